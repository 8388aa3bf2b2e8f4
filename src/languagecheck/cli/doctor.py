"""`languagecheck doctor`: check the install offline and say what to fix."""

from __future__ import annotations

import importlib.util
import sys

import typer

from . import app


@app.command()
def doctor() -> None:
    """Check spaCy, lemma data, lexicon packs, model files and offline readiness."""
    checks: list[tuple[bool, str, str]] = []

    def record(ok: bool, what: str, fix: str = "") -> None:
        checks.append((ok, what, fix))
        typer.echo(f"{'ok  ' if ok else 'FAIL'}  {what}" + ("" if ok or not fix else f"\n      fix: {fix}"))

    record(sys.version_info >= (3, 11), f"Python {sys.version.split()[0]}", "use Python 3.11 or newer")
    for module, package in (("spacy", "spacy"), ("spacy_lookups_data", "spacy-lookups-data"),
                            ("onnxruntime", "onnxruntime"), ("tokenizers", "tokenizers")):
        found = importlib.util.find_spec(module) is not None
        record(found, f"{package} installed", f"pip install {package}")
    try:
        from ..lexicon import default_lexicon_dir, load_entries, pack_paths

        paths = pack_paths()
        entries = load_entries(paths)
        record(bool(entries), f"{len(paths)} lexicon pack(s) valid, {len(entries)} rules ({default_lexicon_dir()})")
    except Exception as exc:  # report, never crash: doctor is what users run when things are broken
        record(False, f"lexicon packs: {str(exc).splitlines()[0]}", "run `languagecheck lexicon validate`")
    try:
        from .. import compiled

        lexicon = compiled.load()
        record(True, f"compiled lexicon cache ({compiled.cache_dir()}), {len(lexicon.phrase_patterns)} phrases")
    except Exception as exc:
        record(False, f"compiling the lexicon failed: {exc.__class__.__name__}", "check the cache directory")
    # before anything else can import torch: build the scanner a lexicon-only check builds, then look
    already = "torch" in sys.modules
    try:
        from ..scanner import Scanner

        Scanner(use_model=False).scan("YP continues putting herself at risk.")
        clean = not already and "torch" not in sys.modules
        record(clean, "a lexicon-only check runs without importing torch"
               + (" (torch was imported before the check ran)" if already else ""),
               "report this as a bug: torch slows every check")
    except Exception as exc:
        record(False, f"building the lexicon-only scanner failed: {exc.__class__.__name__}",
               "run `languagecheck lexicon validate`")
    try:
        from ..model_loading import model_report

        ok, what, fix = model_report()
        record(ok, what, fix)
    except ImportError:
        pass
    failed = [c for c in checks if not c[0]]
    typer.echo(f"\n{len(checks) - len(failed)} of {len(checks)} checks passed; no network was used.")
    if failed:
        raise typer.Exit(1)
