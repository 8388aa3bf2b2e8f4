"""`languagecheck audit`: rates, trends and pseudonymised examples from a scan's results, for training leads."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app
from .common import fail


@app.command()
def audit(
    db: Annotated[str | None, typer.Option("--db", help="Results store (SQLite path or database URL).")] = None,
    results: Annotated[Path | None, typer.Option("--results", help="JSON or JSONL results instead of a store.")] = None,
    run_id: Annotated[int | None, typer.Option("--run", help="Run id in the store (default: the latest).")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the self-contained HTML audit here.")] = None,
    md: Annotated[Path | None, typer.Option("--md", help="Write the audit as Markdown here.")] = None,
    csv_dir: Annotated[Path | None, typer.Option("--csv", help="Write one CSV per table into this folder.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="stdout: text (a summary) or json.")] = "text",
    min_group: Annotated[int, typer.Option(help="Hide groups with fewer documents than this.")] = 10,
    compare_before: Annotated[str | None, typer.Option(help="YYYY-MM-DD: compare rates before and after.")] = None,
    examples: Annotated[int, typer.Option(help="Pseudonymised examples per category (0: none).")] = 3,
    include_ids: Annotated[bool, typer.Option("--include-ids", help="Show document ids next to examples.")] = False,
    date_column: Annotated[str | None, typer.Option(help="Metadata column with the note date.")] = None,
    by: Annotated[list[str] | None, typer.Option("--by", help="Metadata column to group by (repeatable).")] = None,
    top_rules: Annotated[int, typer.Option(help="Rules listed in the rule table.")] = 20,
    title: Annotated[str, typer.Option(help="Title of the HTML and Markdown audit.")] = "Language audit",
) -> None:
    """Summarise a scan for training: how common flagged language is, which kinds, where, and trends."""
    from .. import audit as audits
    from .. import audit_report
    from ..errors import LanguagecheckError

    if (db is None) == (results is None):
        fail("give one of --db (a results store) or --results (a JSON/JSONL results file)")
    if output_format not in ("text", "json"):
        fail(f"unknown format '{output_format}' (choose from text, json)")
    if min_group < 1 or examples < 0 or top_rules < 1:
        fail("--min-group and --top-rules must be at least 1, --examples at least 0")
    split = None
    if compare_before:
        try:
            split = dt.date.fromisoformat(compare_before)
        except ValueError:
            fail(f"--compare-before needs a date as YYYY-MM-DD, not '{compare_before}'")
    options = audits.AuditOptions(min_group=min_group, compare_before=split, examples=examples,
                                  include_ids=include_ids, date_column=date_column,
                                  group_columns=tuple(by) if by else None, top_rules=top_rules)
    try:
        if db is not None:
            result = _from_store(db, run_id, options)
        else:
            assert results is not None
            result = _from_file(results, options)
        if result["by_rule"]:
            audits.explain_rules(result, audits.rule_explanations())
        if html:
            html.write_text(audit_report.render_html(result, title), encoding="utf-8")
        if md:
            md.write_text(audit_report.render_markdown(result, title), encoding="utf-8")
        written = audit_report.write_csv(result, csv_dir) if csv_dir else []
    except LanguagecheckError as exc:
        fail(str(exc))
        return
    except OSError as exc:
        fail(f"cannot write the audit ({exc.__class__.__name__}: {exc.strerror or 'error'})")
        return

    if output_format == "json":
        sys.stdout.write(audit_report.render_json(result))
    else:
        sys.stdout.write(audit_report.render_text(result))
    for path in [p for p in (html, md) if p] + ([csv_dir] if csv_dir else []):
        what = f"{len(written)} CSV tables in " if path == csv_dir else ""
        typer.echo(f"languagecheck: wrote {what}{path}", err=True)
    if result["empty"]:
        typer.echo(f"languagecheck: {result['message']}", err=True)


def _from_store(db: str, run_id: int | None, options: Any) -> dict[str, Any]:
    from .. import audit as audits
    from ..store import Store

    with Store(db, create=False) as store:
        run = store.run(run_id)
        return audits.build_audit(audits.documents_from_store(store, run.id), options, audits.run_info(run))


def _from_file(path: Path, options: Any) -> dict[str, Any]:
    from .. import audit as audits

    try:
        stream = path.open(encoding="utf-8")
    except OSError as exc:
        raise audits.AuditError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    with stream:
        try:
            return audits.build_audit(audits.documents_from_results(stream, str(path)), options,
                                      {"source": "results file"})
        except UnicodeDecodeError:
            raise audits.AuditError(f"{path}: not UTF-8 text") from None
