"""Accepted findings kept beside the notes (case notes have no comment syntax for suppressions).

A baseline entry is (document, rule, hash of the sentence); it stores no note text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import ConfigError
from .results import DocumentResult

FORMAT = 1


def sentence_hash(sentence: str) -> str:
    return hashlib.sha256(" ".join(sentence.lower().split()).encode("utf-8")).hexdigest()[:16]


def keys(result: DocumentResult) -> list[tuple[str, str, str]]:
    return [(result.name, f.rule, sentence_hash(s)) for f, s in zip(result.findings, result.sentences)]


def write(path: Path, results: list[DocumentResult]) -> int:
    accepted = sorted({k for r in results for k in keys(r)})
    data = {"format": FORMAT, "accepted": [{"document": d, "rule": r, "sentence": h} for d, r, h in accepted]}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return len(accepted)


def read(path: Path) -> set[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
        return {(a["document"], a["rule"], a["sentence"]) for a in data["accepted"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a languagecheck baseline ({exc.__class__.__name__})") from exc


def filter_new(result: DocumentResult, accepted: set[tuple[str, str, str]]) -> DocumentResult:
    """Drop findings recorded in the baseline; keeps sentences aligned with findings."""
    kept = [(f, s) for f, s, k in zip(result.findings, result.sentences, keys(result)) if k not in accepted]
    result.findings = [f for f, _ in kept]
    result.sentences = [s for _, s in kept]
    return result
