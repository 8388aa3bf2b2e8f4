"""Accepted findings kept beside the notes (case notes have no comment syntax for suppressions).

A baseline entry is (document, rule, hash of the sentence); it stores no note text. Documents are
keyed by their path relative to the baseline file's folder, so a check run from another directory
still matches; keys written by older versions (the path as given) are still honoured.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .errors import ConfigError
from .results import DocumentResult

FORMAT = 1


def sentence_hash(sentence: str) -> str:
    return hashlib.sha256(" ".join(sentence.lower().split()).encode("utf-8")).hexdigest()[:16]


def document_key(result: DocumentResult, base_dir: Path | None = None) -> str:
    """The document's name in a baseline kept in `base_dir`: its path relative to that folder."""
    if base_dir is None or result.id is not None or not result.path or result.path == "<stdin>":
        return result.name
    path = Path(result.path).resolve()
    try:
        return Path(os.path.relpath(path, base_dir)).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_posix()


def keys(result: DocumentResult, base_dir: Path | None = None) -> list[tuple[str, str, str]]:
    name = document_key(result, base_dir)
    return [(name, f.rule, sentence_hash(s)) for f, s in zip(result.findings, result.sentences)]


def folder_of(path: Path) -> Path:
    return path.resolve().parent


def write(path: Path, results: list[DocumentResult]) -> int:
    """Record every finding of `results` (pass them unfiltered, so accepted ones stay accepted)."""
    base_dir = folder_of(path)
    accepted = sorted({k for r in results for k in keys(r, base_dir)})
    data = {"format": FORMAT, "accepted": [{"document": d, "rule": r, "sentence": h} for d, r, h in accepted]}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return len(accepted)


def read(path: Path) -> set[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
        return {(a["document"], a["rule"], a["sentence"]) for a in data["accepted"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a languagecheck baseline ({exc.__class__.__name__})") from exc


def filter_new(result: DocumentResult, accepted: set[tuple[str, str, str]],
               base_dir: Path | None = None) -> DocumentResult:
    """Drop findings recorded in the baseline (kept in `base_dir`); keeps sentences aligned with findings."""
    if not accepted:
        return result
    new_keys = keys(result, base_dir)
    legacy_keys = keys(result) if base_dir is not None else new_keys
    kept = [(f, s) for f, s, k, old in zip(result.findings, result.sentences, new_keys, legacy_keys)
            if k not in accepted and old not in accepted]
    result.findings = [f for f, _ in kept]
    result.sentences = [s for _, s in kept]
    return result
