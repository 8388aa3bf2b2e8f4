"""`languagecheck scan`, `export` and `report`: batch scanning into a results store, and its outputs."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app
from .common import fail, get_config

DbOpt = Annotated[str, typer.Option("--db", help="Results store: a SQLite file, or postgresql://user@host/db.")]
RunOpt = Annotated[int | None, typer.Option("--run", help="Run id in the store (default: the latest run).")]
_LISTED = 20  # failed/skipped documents named on the terminal; the rest are in the store and exports


@app.command()
def scan(
    paths: Annotated[list[str], typer.Argument(help="Files and folders (searched recursively).")],
    db: DbOpt = "results.sqlite",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (0: one per core).")] = 0,
    resume: Annotated[bool, typer.Option(help="Skip documents already scanned with this lexicon and model.")] = False,
    text_column: Annotated[str | None, typer.Option(help="CSV/JSON field holding the note text.")] = None,
    id_column: Annotated[str | None, typer.Option(help="CSV/JSON field holding the record id.")] = None,
    meta_column: Annotated[list[str] | None, typer.Option(
        help="CSV/JSON field to keep as metadata (repeatable; default: every other field).")] = None,
    group_by: Annotated[str | None, typer.Option(
        help="Field holding the case id: a case's notes are read as one record, so harm recorded in an "
             "earlier note makes risk-only wording in a later one a finding.")] = None,
    order_by: Annotated[str | None, typer.Option(
        help="With --group-by: field giving the order of a case's notes (e.g. a date; default: input order).")] = None,
    output_format: Annotated[str | None, typer.Option(
        "--format", "-f", help="Export: jsonl, csv, json or sarif.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the export here, not stdout.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML report here.")] = None,
    fix_dir: Annotated[Path | None, typer.Option(help="Write fixed copies of .txt/.md inputs and diffs here.")] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="Configuration file to use.")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Lexicon and context rules only.")] = False,
    require_model: Annotated[bool, typer.Option(help="Fail if the classifier cannot be loaded.")] = False,
    device: Annotated[str, typer.Option(help="cpu or cuda, for the classifier.")] = "cpu",
    quotes: Annotated[str | None, typer.Option(help="Quoted words: info, ignore or flag.")] = None,
    max_size_mb: Annotated[float, typer.Option(help="Refuse documents larger than this.")] = 20.0,
    store_text: Annotated[bool, typer.Option(help="Keep note text in the store (the HTML report needs it).")] = True,
    progress: Annotated[bool | None, typer.Option(help="Progress bar (default: on a terminal, off in CI).")] = None,
) -> None:
    """Scan a team's case files or a record-system export into a results store."""
    from dataclasses import replace

    from ..batch import BatchOptions, run_batch
    from ..cases import Grouping
    from ..errors import LanguagecheckError
    from ..formats.stored import EXPORT_FORMATS
    from ..readers import ReadOptions, count_inputs, iter_inputs
    from ..store import Store

    if output_format and output_format not in EXPORT_FORMATS:
        fail(f"unknown format '{output_format}' (choose from {', '.join(EXPORT_FORMATS)})")
    if output and not output_format:
        fail("--output needs --format (jsonl, csv, json or sarif)")
    if order_by and not group_by:
        fail("--order-by needs --group-by (the field holding the case id)")
    grouping = Grouping(group_by, order_by) if group_by else None
    if meta_column and grouping:  # the case fields must be kept to group by them
        meta_column = list(dict.fromkeys([*meta_column, group_by, *([order_by] if order_by else [])]))
    config = get_config(config_file)
    if quotes:
        config = replace(config, quotes=quotes)
    read = ReadOptions(text_column=text_column, id_column=id_column, meta_columns=tuple(meta_column or ()),
                       max_mb=max_size_mb)
    options = BatchOptions(jobs=jobs, use_model=not no_model, require_model=require_model, device=device,
                           resume=resume, store_text=store_text, grouping=grouping)
    settings = {"read": {"text_column": text_column, "id_column": id_column, "meta_columns": meta_column or [],
                         "max_size_mb": max_size_mb}}
    show_progress = progress if progress is not None else (sys.stderr.isatty() and not os.environ.get("CI"))
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        from ..fix_files import FixWriter

        fixer = FixWriter(fix_dir, paths) if fix_dir else None
        store = Store(db)
        with _Progress(show_progress, lambda: count_inputs(paths, read)) as bar:
            result = run_batch(iter_inputs(paths, read), store, config, options, inputs=paths, settings=settings,
                               on_progress=bar.advance, on_document=fixer)
    except LanguagecheckError as exc:
        fail(str(exc))
        return
    except KeyboardInterrupt:  # before the run started (counting inputs, starting workers)
        typer.echo("languagecheck: interrupted before scanning started; nothing was stored", err=True)
        raise typer.Exit(130) from None
    if result.model_status.startswith("warning"):
        typer.echo(f"languagecheck: {result.model_status}", err=True)
    _report_unscanned(store, result.run_id)
    typer.echo("languagecheck: " + _summary_line(result, db), err=True)
    if fixer:
        typer.echo(f"languagecheck: wrote {fixer.written} fixed cop{'y' if fixer.written == 1 else 'ies'} "
                   f"with diffs to {fix_dir}", err=True)
    if output_format:
        _export(store, result.run_id, output_format, output)
    if html:
        _html(store, result.run_id, html)
    store.close()
    if result.status == "interrupted":
        typer.echo("languagecheck: interrupted; finished documents are kept. Run again with --resume to "
                   "continue.", err=True)
        raise typer.Exit(130)
    if result.summary["failed"] and not result.summary["scanned"] and not result.summary["resumed"]:
        raise typer.Exit(2)  # nothing could be scanned: as `check` does when every input fails


@app.command()
def export(
    db: DbOpt = "results.sqlite",
    output_format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv, json or sarif.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")] = None,
    run: RunOpt = None,
) -> None:
    """Export a stored run's documents and findings."""
    from ..formats.stored import EXPORT_FORMATS

    if output_format not in EXPORT_FORMATS:
        fail(f"unknown format '{output_format}' (choose from {', '.join(EXPORT_FORMATS)})")
    store = _open(db)
    _export(store, _run_id(store, run), output_format, output)


@app.command()
def report(
    db: DbOpt = "results.sqlite",
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("report.html"),
    run: RunOpt = None,
) -> None:
    """Write the self-contained HTML report of a stored run."""
    store = _open(db)
    _html(store, _run_id(store, run), output)


# --- helpers --------------------------------------------------------------------------------------

def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _open(db: str) -> Any:
    from ..errors import LanguagecheckError
    from ..store import Store

    try:
        return Store(db, create=False)
    except LanguagecheckError as exc:
        fail(str(exc))


def _run_id(store: Any, run: int | None) -> int:
    from ..errors import LanguagecheckError

    try:
        return int(store.run(run).id)
    except LanguagecheckError as exc:
        fail(str(exc))
        raise


def _export(store: Any, run_id: int, output_format: str, output: Path | None) -> None:
    from ..formats.stored import write_export

    if output is None:
        write_export(store, run_id, output_format, sys.stdout)
        sys.stdout.flush()
        return
    with output.open("w", encoding="utf-8", newline="") as fh:
        write_export(store, run_id, output_format, fh)
    typer.echo(f"languagecheck: wrote {output_format} export of run {run_id} to {output}", err=True)


def _html(store: Any, run_id: int, output: Path) -> None:
    from ..report_html import render_report

    with output.open("w", encoding="utf-8") as fh:
        render_report(store, run_id, fh)
    typer.echo(f"languagecheck: wrote the HTML report of run {run_id} to {output}", err=True)


def _report_unscanned(store: Any, run_id: int) -> None:
    shown = hidden = 0
    for d in store.iter_documents(run_id, with_text=False):
        if d.state == "scanned" or d.resumed_from is not None:
            continue
        if shown < _LISTED:
            typer.echo(f"languagecheck: {d.state}: {d.reason}", err=True)
            shown += 1
        else:
            hidden += 1
    if hidden:
        typer.echo(f"languagecheck: ... and {hidden} more not scanned (see the store or an export)", err=True)


def _summary_line(result: Any, db: str) -> str:
    s = result.summary
    rate = s["documents"] / result.elapsed_s if result.elapsed_s else 0.0
    resumed = f" ({s['resumed']:,} already done)" if s["resumed"] else ""
    severities = ", ".join(f"{n:,} {k}" for k, n in s["by_severity"].items() if n)
    return (f"run {result.run_id} {result.status}: {s['documents']:,} documents: {s['scanned']:,} scanned, "
            f"{s['skipped']:,} skipped{resumed}, {s['failed']:,} failed; {s['findings']:,} findings"
            f"{' (' + severities + ')' if severities else ''} in {result.elapsed_s:.1f} s "
            f"({rate:,.0f} documents/s, {result.jobs} job{'s' if result.jobs != 1 else ''}) -> {db}")


class _Progress:
    """A rich progress bar on stderr with documents/s and ETA, or nothing (CI, pipes)."""

    def __init__(self, enabled: bool, count: Any):
        self.enabled, self.count = enabled, count
        self.bar: Any = None

    def __enter__(self) -> _Progress:
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                return Text(f"{task.speed or 0:,.0f} docs/s")

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                            console=Console(file=sys.stderr), transient=False)
        self.bar.start()
        self.task = self.bar.add_task("counting", total=None)
        total = self.count()
        self.bar.update(self.task, total=total, description="scanning")
        return self

    def advance(self, n: int, counts: Any) -> None:
        if self.bar is not None:
            failed = counts.get("failed", 0)
            self.bar.update(self.task, advance=n, description=f"scanning ({failed} failed)" if failed else "scanning")

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
