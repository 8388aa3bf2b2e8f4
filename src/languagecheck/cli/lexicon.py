"""`languagecheck lexicon validate|list` and `languagecheck explain RULE_ID`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app
from .common import console, fail

lexicon_app = typer.Typer(help="Inspect and validate lexicon packs.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("validate")
def validate(files: Annotated[list[Path] | None, typer.Argument(help="Pack files (default: all).")] = None) -> None:
    """Check packs against the schema; prints file:line: problem for each error."""
    from ..context_packs import context_pack_paths, is_context_pack, read_context_pack
    from ..lexicon import pack_paths, read_pack

    paths = files or pack_paths() + context_pack_paths()
    problems = []
    for path in paths:
        problems += (read_context_pack(path) if is_context_pack(path) else read_pack(path))[1]
    for problem in problems:
        typer.echo(problem)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {len(paths)} pack(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"{len(paths)} pack(s) valid")


def _entries():
    from ..errors import LexiconError
    from ..lexicon import load_entries, pack_paths

    try:
        return load_entries(pack_paths())
    except LexiconError as exc:
        fail(str(exc))
        raise


@lexicon_app.command("list")
def list_entries(category: Annotated[str | None, typer.Option(help="Only this category.")] = None) -> None:
    """List rules: id, category, severity and first pattern."""
    from ..categories import CATEGORY_IDS

    if category and category not in CATEGORY_IDS:
        fail(f"unknown category '{category}' (choose from {', '.join(CATEGORY_IDS)})")
    entries = [e for e in _entries() if not category or e.category == category]
    for e in entries:
        first = e.patterns[0] if isinstance(e.patterns[0], str) else "(token pattern)"
        typer.echo(f"{e.id:<34} {e.category:<24} {e.severity:<8} {first}")
    typer.echo(f"{len(entries)} rule(s)", err=True)


@app.command()
def explain(rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. put-self-at-risk, or a category.")]) -> None:
    """Explain a rule: message, why, alternatives, examples and source."""
    from ..categories import CATEGORIES

    out = console()
    if rule_id in CATEGORIES or rule_id.split("/")[-1] in CATEGORIES:
        c = CATEGORIES[rule_id.split("/")[-1]]
        out.print(f"[bold]{c.id}[/bold] — {c.title}\n\n{c.definition}\n\nWhy: {c.why}\n\nPreferred alternatives:")
        for alt in c.alternatives:
            out.print(f"  • {alt}", markup=False)
        return
    entry = next((e for e in _entries() if e.id == rule_id), None)
    if entry is None and _explain_context_rule(rule_id):
        return
    if entry is None:
        fail(f"no rule '{rule_id}' (see `languagecheck lexicon list`)")
        return
    category = CATEGORIES[entry.category]
    out.print(f"[bold]{entry.id}[/bold]  ({entry.category}, {entry.severity})")
    out.print(f"\n{entry.message}", markup=False)
    if entry.why:
        out.print(f"\nWhy: {entry.why}", markup=False)
    out.print("\nMatches:")
    for p in entry.patterns:
        out.print(f"  • {p if isinstance(p, str) else p['tokens']}", markup=False)
    out.print("\nWrite instead:")
    for s in entry.suggestions:
        out.print(f"  • {s if isinstance(s, str) else next(iter(s.values()))}", markup=False)
    for alt in category.alternatives:
        out.print(f"  • {alt}", markup=False)
    out.print("\nFlagged, e.g.:")
    for x in entry.examples["flag"]:
        out.print(f"  ✗ {x.replace('[[', '«').replace(']]', '»')}", markup=False)
    out.print("Not flagged, e.g.:")
    for x in entry.examples["ok"]:
        out.print(f"  ✓ {x}", markup=False)
    out.print(f"\nSource: {entry.source}", markup=False)


def _explain_context_rule(rule_id: str) -> bool:
    """A risk-not-harm family (rnh-...) or a harm-evidence family (harm-...) of lexicons/context/."""
    from ..context_packs import context_pack_paths, load_context_packs

    family = next((f for p in load_context_packs(context_pack_paths()) for f in p.families if f.id == rule_id), None)
    if family is None:
        return False
    out = console()
    if family.kind == "risk":
        out.print(f"[bold]{family.id}[/bold]  (risk-not-harm, {family.severity}, context rule)")
        out.print(f"\n{family.message}", markup=False)
        out.print("\nFlagged only when the note, or an earlier note of the same case, records harm to the same "
                  "child; the finding cites that evidence by line.", markup=False)
    else:
        out.print(f"[bold]{family.id}[/bold]  (harm evidence: {family.describes})")
    out.print("\nMatches:")
    for p in family.patterns:
        out.print(f"  • {p if isinstance(p, str) else p['regex']}", markup=False)
    if family.suggestions:
        out.print("\nWrite instead:")
        for x in family.suggestions:
            out.print(f"  • {x}", markup=False)
    out.print("\nFound, e.g.:")
    for x in family.examples["flag"]:
        out.print(f"  ✗ {x.replace('[[', '«').replace(']]', '»')}", markup=False)
    out.print("Not found, e.g.:")
    for x in family.examples["ok"]:
        out.print(f"  ✓ {x}", markup=False)
    out.print(f"\nSource: {family.source}", markup=False)
    return True
