"""Lexicon packs: reviewed YAML data, validated against a JSON Schema with line-numbered errors.

Imported only when packs must be (re)compiled or inspected; the check path reads the compiled cache.
"""

from __future__ import annotations

import json
import os
import re
import string
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import LexiconError
from .patterns import PatternSyntaxError, expand

LEMMA_OVERRIDES_FILE = "lemma_overrides.yaml"
SUGGESTION_PLACEHOLDERS = ("obj", "poss", "self", "subj", "be", "was", "has")


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    severity: str
    patterns: tuple[Any, ...]
    message: str
    suggestions: tuple[Any, ...]
    source: str
    examples: dict[str, list[str]]
    pack: str
    why: str = ""
    score: float = 0.9
    requires: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    exceptions: tuple[dict[str, Any], ...] = field(default_factory=tuple)


def default_lexicon_dir() -> Path:
    """The bundled packs: the repository's lexicons/ or the copy installed under share/."""
    override = os.environ.get("LANGUAGECHECK_LEXICONS")
    if override:
        return Path(override)
    repo = Path(__file__).resolve().parents[2] / "lexicons"
    if repo.is_dir():
        return repo
    return Path(sys.prefix) / "share" / "languagecheck" / "lexicons"


def pack_paths(directory: Path | None = None) -> list[Path]:
    directory = directory or default_lexicon_dir()
    return sorted(p for p in directory.glob("*.yaml") if p.name != LEMMA_OVERRIDES_FILE)


def _schema(name: str = "lexicon-pack.schema.json") -> dict[str, Any]:
    text = resources.files("languagecheck").joinpath(f"schemas/{name}").read_text("utf-8")
    return json.loads(text)


def _node_line(root: Any, path: list[Any]) -> int:
    """Line (1-based) of the YAML node at a JSON path, walking the composed node tree."""
    import yaml

    node = root
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1


def parse_and_validate(path: Path, schema: str) -> tuple[dict[str, Any], Any, list[str]]:
    """Read a YAML pack and check it against a packaged JSON Schema.

    Returns (data, composed node tree for line numbers, problems as 'file:line: message'); shared by
    the wording packs and the context packs.
    """
    import jsonschema
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, None, [f"{path}: cannot read ({exc.__class__.__name__})"]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return {}, None, [f"{path}:{line}: YAML syntax error: {getattr(exc, 'problem', exc)}"]
    if root is None:
        return {}, None, [f"{path}:1: the pack is empty"]
    validator = jsonschema.Draft202012Validator(_schema(schema))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(map(str, error.absolute_path)) or "(top level)"
        problems.append(f"{path}:{_node_line(root, list(error.absolute_path))}: {where}: {error.message}")
    return data, root, problems


def read_pack(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Parse and validate one pack. Returns (data, problems); problems are 'file:line: message'."""
    data, root, problems = parse_and_validate(path, "lexicon-pack.schema.json")
    if problems:
        return data, problems
    seen: dict[str, int] = {}
    for i, entry in enumerate(data["entries"]):
        line = _node_line(root, ["entries", i])
        if entry["id"] in seen:
            problems.append(f"{path}:{line}: duplicate entry id '{entry['id']}' (first at line {seen[entry['id']]})")
        seen.setdefault(entry["id"], line)
        texts = [p for p in entry["patterns"] if isinstance(p, str)]
        for field_name in ("exceptions", "requires"):
            for j, context in enumerate(entry.get(field_name, [])):
                texts += [p for k in ("before", "after", "sentence") for p in _as_list(context.get(k))]
                if context.get("regex"):
                    regex_line = _node_line(root, ["entries", i, field_name, j, "regex"])
                    try:
                        re.compile(context["regex"], re.IGNORECASE)
                    except re.error as exc:
                        problems.append(f"{path}:{regex_line}: entry '{entry['id']}': {field_name} regex "
                                        f"{context['regex']!r} does not compile: {exc}")
        for phrase in texts:
            try:
                expand(phrase)
            except PatternSyntaxError as exc:
                problems.append(f"{path}:{line}: entry '{entry['id']}': pattern {phrase!r}: {exc}")
        for j, suggestion in enumerate(entry.get("suggestions", [])):
            forms = suggestion.items() if isinstance(suggestion, dict) else [(None, suggestion)]
            for form, template in forms:
                node = ["entries", i, "suggestions", j] + ([form] if form is not None else [])
                problem = template_problem(template)
                if problem:
                    problems.append(f"{path}:{_node_line(root, node)}: entry '{entry['id']}': suggestion "
                                    f"{template!r}: {problem}")
        for example in entry["examples"]["flag"]:
            if example.count("[[") != 1 or example.count("]]") != 1:
                problems.append(f"{path}:{line}: entry '{entry['id']}': flag example needs exactly one [[span]]")
    return data, problems


def template_problem(template: Any) -> str | None:
    """Why a suggestion template would fail to render, or None."""
    if not isinstance(template, str):
        return "must be text"
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return f"{exc} (write {{{{ or }}}} for a literal brace)"
    unknown = [name for name in fields if name not in SUGGESTION_PLACEHOLDERS]
    if unknown:
        allowed = " ".join(f"{{{p}}}" for p in SUGGESTION_PLACEHOLDERS)
        return f"unknown placeholder {{{unknown[0]}}} (allowed: {allowed})"
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def load_entries(paths: list[Path]) -> list[Entry]:
    """Entries of all packs, in pack then file order; raises LexiconError listing every problem."""
    entries: list[Entry] = []
    problems: list[str] = []
    owners: dict[str, str] = {}
    for path in paths:
        data, pack_problems = read_pack(path)
        problems += pack_problems
        if pack_problems:
            continue
        for raw in data["entries"]:
            if raw["id"] in owners:
                problems.append(f"{path}: entry id '{raw['id']}' is also defined in {owners[raw['id']]}")
                continue
            owners[raw["id"]] = str(path)
            entries.append(
                Entry(
                    id=raw["id"], category=raw["category"], severity=raw["severity"],
                    patterns=tuple(raw["patterns"]), message=" ".join(raw["message"].split()),
                    suggestions=tuple(raw["suggestions"]), source=raw["source"], examples=raw["examples"],
                    pack=data["pack"], why=" ".join(raw.get("why", "").split()), score=raw.get("score", 0.9),
                    requires=tuple(raw.get("requires", ())), exceptions=tuple(raw.get("exceptions", ())),
                )
            )
    if problems:
        raise LexiconError(problems)
    return entries


def load_lemma_overrides(directory: Path | None = None) -> dict[str, str]:
    """Reviewed corrections to the lookup lemmatizer (e.g. putting -> put, not putt)."""
    import yaml

    path = (directory or default_lexicon_dir()) / LEMMA_OVERRIDES_FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return {str(k).lower(): str(v).lower() for k, v in (data.get("overrides") or {}).items()}
