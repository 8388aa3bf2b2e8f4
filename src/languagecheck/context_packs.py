"""Context packs: reviewed YAML data for the risk-not-harm stage (harm evidence, risk phrases).

They live in lexicons/context/ (a subdirectory, so the wording-pack loader never sees them), are
validated against schemas/context-pack.schema.json with line-numbered problems, and are imported
only when the packs must be (re)compiled or inspected; the check path reads the compiled cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import LexiconError
from .lexicon import _as_list

HARM_PACK = "harm-evidence.yaml"
RISK_PACK = "risk-phrases.yaml"
CONTEXT_DIR = "context"


@dataclass(frozen=True)
class Family:
    """One harm-evidence or risk-phrase family, as written in its pack."""

    id: str
    kind: str  # "harm" | "risk"
    source: str
    patterns: tuple[Any, ...]
    examples: dict[str, list[str]]
    exceptions: tuple[dict[str, Any], ...] = ()
    score: float = 0.9
    describes: str = ""  # harm: what the evidence is
    severity: str = "warning"  # risk
    message: str = ""  # risk
    suggestions: tuple[str, ...] = ()  # risk
    when_no_harm: dict[str, str] | None = None  # risk: report at info even without harm
    gap: int | None = None  # overrides the pack's gap for this family's patterns
    tool_output: bool = False  # risk: a grade or score, informational next to a risk of further harm


@dataclass(frozen=True)
class ContextPack:
    pack: str
    kind: str
    path: Path
    families: tuple[Family, ...]
    common_exceptions: tuple[dict[str, Any], ...] = ()
    judgement: tuple[str, ...] = ()
    further_harm: tuple[str, ...] = ()
    gap: int = 4
    description: str = ""


def default_context_dir() -> Path:
    from .lexicon import default_lexicon_dir

    return default_lexicon_dir() / CONTEXT_DIR


def context_pack_paths(directory: Path | None = None) -> list[Path]:
    directory = directory or default_context_dir()
    return [directory / HARM_PACK, directory / RISK_PACK]


def is_context_pack(path: Path) -> bool:
    """A context pack: in a `context` folder, or a YAML file with a top-level `kind:`."""
    if path.parent.name == CONTEXT_DIR:
        return True
    try:
        return any(line.startswith("kind:") for line in path.read_text("utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return False




def read_context_pack(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Parse and validate one context pack. Returns (data, problems); problems are 'file:line: message'."""
    from .context_rules import PatternSyntaxError, compile_patterns
    from .lexicon import _node_line, parse_and_validate

    data, root, problems = parse_and_validate(path, "context-pack.schema.json")
    if problems:
        return data, problems
    gap = data.get("gap", 4)
    seen: dict[str, int] = {}
    for k, context in enumerate(data.get("common_exceptions", [])):
        problems += _context_problems(path, _node_line(root, ["common_exceptions", k]), "common", [context], gap)
    for i, family in enumerate(data["families"]):
        line = _node_line(root, ["families", i])
        if family["id"] in seen:
            problems.append(f"{path}:{line}: duplicate family id '{family['id']}' (first at line {seen[family['id']]})")
        seen.setdefault(family["id"], line)
        try:
            compile_patterns(family["patterns"], family.get("gap", gap))
        except (PatternSyntaxError, ValueError) as exc:
            problems.append(f"{path}:{line}: family '{family['id']}': patterns: {exc}")
        problems += _context_problems(path, line, family["id"], family.get("exceptions", []), gap)
        for example in family["examples"]["flag"]:
            if example.count("[[") != 1 or example.count("]]") != 1:
                problems.append(f"{path}:{line}: family '{family['id']}': flag example needs exactly one [[span]]")
    return data, problems


def _context_problems(path: Path, line: int, owner: str, contexts: list[dict[str, Any]], gap: int) -> list[str]:
    from .context_rules import PatternSyntaxError, compile_context

    try:
        compile_context(tuple(contexts), gap)
    except (PatternSyntaxError, ValueError) as exc:
        return [f"{path}:{line}: '{owner}': exception: {exc}"]
    return []


def load_context_packs(paths: list[Path]) -> list[ContextPack]:
    """Every pack, validated; raises LexiconError listing every problem (file and line, never note text)."""
    packs, problems = [], []
    owners: dict[str, str] = {}
    for path in paths:
        data, pack_problems = read_context_pack(path)
        problems += pack_problems
        if pack_problems:
            continue
        families = []
        for raw in data["families"]:
            if raw["id"] in owners:
                problems.append(f"{path}: family id '{raw['id']}' is also defined in {owners[raw['id']]}")
                continue
            owners[raw["id"]] = str(path)
            families.append(Family(
                id=raw["id"], kind=data["kind"], source=raw["source"], patterns=tuple(raw["patterns"]),
                examples=raw["examples"], exceptions=tuple(raw.get("exceptions", ())),
                score=raw.get("score", 0.9), describes=raw.get("describes", ""),
                severity=raw.get("severity", "warning"), message=" ".join(raw.get("message", "").split()),
                suggestions=tuple(raw.get("suggestions", ())), when_no_harm=raw.get("when_no_harm"),
                gap=raw.get("gap"), tool_output=raw.get("tool_output", False),
            ))
        packs.append(ContextPack(
            pack=data["pack"], kind=data["kind"], path=path, families=tuple(families),
            common_exceptions=tuple(data.get("common_exceptions", ())),
            judgement=tuple(_as_list(data.get("judgement"))), further_harm=tuple(_as_list(data.get("further_harm"))),
            gap=data.get("gap", 4),
            description=data.get("description", ""),
        ))
    if problems:
        raise LexiconError(problems)
    kinds = sorted(p.kind for p in packs)
    if kinds != ["harm", "risk"]:
        raise LexiconError([f"context packs: need exactly one harm pack and one risk pack (got {kinds})"])
    return packs
