"""`languagecheck check`: the pre-submission check of one or more notes (files or stdin)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import app
from .common import console, fail, get_config, stdout_can_encode, tolerant_stdout, use_colour

MARKERS = "\u2502\u2192\u2026"  # the text format's frame, arrow and ellipsis
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text, json, jsonl, sarif or github.")]


@app.command()
def check(
    paths: Annotated[list[str] | None, typer.Argument(help="Files to check; '-' or nothing reads stdin.")] = None,
    output_format: FormatOpt = "text",
    fail_on: Annotated[str | None, typer.Option(help="error, warning, info or never (default warning).")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Write the note with the first suggestions applied.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="Configuration file to use.")] = None,
    baseline_file: Annotated[Path | None, typer.Option("--baseline", help="Report only findings not in it.")] = None,
    write_baseline: Annotated[Path | None, typer.Option(help="Record current findings as accepted.")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Lexicon and context rules only.")] = False,
    require_model: Annotated[bool, typer.Option(help="Fail if the classifier cannot be loaded.")] = False,
    device: Annotated[str, typer.Option(help="cpu or cuda, for the classifier.")] = "cpu",
    quotes: Annotated[str | None, typer.Option(help="Quoted words: info, ignore or flag.")] = None,
    max_size_mb: Annotated[float, typer.Option(help="Refuse files larger than this.")] = 20.0,
) -> None:
    """Check notes and print each finding with why it matters and what to write instead."""
    from dataclasses import replace

    from .. import baseline as baselines
    from ..config import FAIL_LEVELS, QUOTE_POLICIES
    from ..documents import Document, decode, read_text_file
    from ..errors import InputError, LanguagecheckError
    from ..formats import FORMATS
    from ..results import at_or_above

    if output_format not in FORMATS:
        fail(f"unknown format '{output_format}' (choose from {', '.join(FORMATS)})")
    config = get_config(config_file)
    if quotes:
        if quotes not in QUOTE_POLICIES:
            fail(f"--quotes must be {', '.join(QUOTE_POLICIES[:-1])} or {QUOTE_POLICIES[-1]}, not '{quotes}'")
        config = replace(config, quotes=quotes)
    level = fail_on or config.fail_on
    if level not in FAIL_LEVELS:
        fail(f"--fail-on must be error, warning, info or never, not '{level}'")
    inputs = list(paths or [])
    if not inputs:
        if sys.stdin.isatty():
            fail("no input: give file paths, or pipe a note on stdin")
        inputs = ["-"]
    if fix and len(inputs) != 1:
        fail("--fix works on one note at a time")
    if fix and output and inputs[0] != "-" and _same_file(output, Path(inputs[0])):
        fail(f"--output {output} is the input note; --fix never overwrites its input, choose another file")

    items: list[Document | InputError] = []
    for name in inputs:
        try:
            if name == "-":
                items.append(Document(text=decode(sys.stdin.buffer.read(), "<stdin>"), path="<stdin>"))
            else:
                items.append(read_text_file(Path(name), max_size_mb))
        except InputError as exc:
            items.append(exc)

    try:
        from ..scanner import Scanner

        scanner = Scanner(config, use_model=not no_model, require_model=require_model, device=device)
        if scanner.model_status.startswith("warning"):
            typer.echo(f"languagecheck: {scanner.model_status}", err=True)
        accepted = baselines.read(baseline_file) if baseline_file else set()
        results = list(scanner.scan_documents(items))
    except LanguagecheckError as exc:
        fail(str(exc))
        return
    if write_baseline:  # from every current finding, so a baseline rewritten in place keeps what it accepted
        try:
            count = baselines.write(write_baseline, results)
        except OSError as exc:
            fail(f"cannot write the baseline {write_baseline} ({exc.strerror or exc.__class__.__name__})")
        typer.echo(f"languagecheck: recorded {count} accepted finding(s) in {write_baseline}", err=True)
    if baseline_file:
        base_dir = baselines.folder_of(baseline_file)
        for r in results:
            baselines.filter_new(r, accepted, base_dir)

    texts = {d.name: d.text for d in items if isinstance(d, Document)}
    if fix:
        from ..fix import apply_first_suggestions

        only = results[0]
        if only.state == "scanned":
            _write(output, apply_first_suggestions(texts[only.name], only.findings))
        from ..formats.text import summary_line

        typer.echo(("languagecheck: " + summary_line(results)) if only.state == "scanned"
                   else f"languagecheck: error: {only.error}", err=True)
    else:
        _emit(output_format, results, texts, output, scanner)

    for r in results:
        if r.state == "failed" and output_format != "text" and not fix:
            typer.echo(f"languagecheck: error: {r.error}", err=True)
    if any(r.state == "failed" for r in results):
        raise typer.Exit(2)  # an input error outranks findings: some notes were not checked
    if at_or_above([f for r in results for f in r.findings], level):
        raise typer.Exit(1)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _emit(output_format: str, results: list, texts: dict[str, str], output: Path | None, scanner) -> None:
    from ..formats import machine

    if output_format == "text":
        from ..formats.text import render

        if output:
            from rich.console import Console

            try:
                with output.open("w", encoding="utf-8") as fh:
                    render(Console(file=fh, no_color=True, width=10_000), results, texts, colour=False)
            except OSError as exc:
                _cannot_write(output, exc)
            return
        tolerant_stdout()
        render(console(), results, texts, colour=use_colour(), ascii_only=not stdout_can_encode(MARKERS))
        return
    if output_format == "json":
        body = machine.to_json(results)
    elif output_format == "jsonl":
        body = machine.to_jsonl(results)
    elif output_format == "sarif":
        body = machine.to_sarif(results, scanner.rule_descriptions())
    else:
        body = machine.to_github(results)
    _write(output, body if body.endswith("\n") else body + "\n")


def _write(output: Path | None, body: str) -> None:
    """Write as is: newline="" keeps a CRLF note's line endings in its --fix copy."""
    if output:
        try:
            with output.open("w", encoding="utf-8", newline="") as fh:
                fh.write(body)
        except OSError as exc:
            _cannot_write(output, exc)
    else:
        tolerant_stdout()
        sys.stdout.write(body)
        sys.stdout.flush()


def _cannot_write(output: Path, exc: OSError) -> None:
    fail(f"cannot write {output} ({exc.strerror or exc.__class__.__name__})")
