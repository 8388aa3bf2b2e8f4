"""`languagecheck train` and `languagecheck evaluate` (need the `train` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app
from .common import fail


def _need_train_extra() -> None:
    import importlib.util

    missing = [m for m in ("torch", "transformers", "sklearn") if importlib.util.find_spec(m) is None]
    if missing:
        fail(f"this command needs the train extra ({', '.join(missing)} missing): "
             "pip install -e '.[train]' (pins the CPU build torch==2.13.0)")


@app.command()
def train(
    base_model: Annotated[str, typer.Option(help="Local path or hub id of the encoder.")] = "all-MiniLM-L6-v2",
    output_dir: Annotated[Path, typer.Option(help="Where to write the model.")] = Path("models/languagecheck-minilm"),
    data_dir: Annotated[Path, typer.Option(help="Corpus directory.")] = Path("data"),
    epochs: Annotated[int, typer.Option()] = 12,
    seed: Annotated[int, typer.Option()] = 13,
    context: Annotated[str, typer.Option(
        help="What the model reads besides the sentence: neighbours (the sentences either side) "
             "or none.")] = "neighbours",
    rebuild_corpus: Annotated[bool, typer.Option(help="Rebuild data/corpus.jsonl from data/notes first.")] = True,
) -> None:
    """Rebuild the shipped classifier from data/ (fixed seed; config logged in the model directory)."""
    from ..model_inputs import CONTEXTS

    if context not in CONTEXTS:
        fail(f"unknown --context '{context}' (choose from {', '.join(CONTEXTS)})")
    _need_train_extra()
    import json
    import logging

    from ..training.corpus import build
    from ..training.train import TrainConfig
    from ..training.train import train as run

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("root", "onnxruntime", "transformers"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if rebuild_corpus:
        typer.echo(f"corpus: {build(data_dir)['notes']} notes")
    meta = run(TrainConfig(base_model=base_model, output_dir=str(output_dir), data_dir=str(data_dir),
                           epochs=epochs, seed=seed, context=context))
    typer.echo(json.dumps({k: meta[k] for k in ("thresholds", "history", "training_seconds")}, indent=2))


@app.command()
def evaluate(
    model_dir: Annotated[Path | None, typer.Option(help="Model to evaluate (default: shipped).")] = None,
    data_dir: Annotated[Path, typer.Option()] = Path("data"),
    split: Annotated[str, typer.Option(help="test (reported numbers) or dev.")] = "test",
    output_dir: Annotated[Path | None, typer.Option(help="Write metrics.json and metrics.md here.")] = None,
    risk_not_harm_only: Annotated[bool, typer.Option(
        "--risk-not-harm-only", help="Only the document-level risk-not-harm section (rules only, no model).")] = False,
) -> None:
    """Print the evaluation table: lexicon only, model only, combined, TF-IDF baseline, risk-not-harm."""
    _need_train_extra()
    from ..training.evaluate import evaluate as run
    from ..training.evaluate import evaluate_risk_not_harm, markdown_table, risk_not_harm_markdown, write_report

    if risk_not_harm_only:
        section = evaluate_risk_not_harm(data_dir, split)
        typer.echo(risk_not_harm_markdown(section))
        if output_dir:
            write_report(section, output_dir, name="risk-not-harm")
        return
    report = run(data_dir, model_dir, split)
    typer.echo(markdown_table(report))
    if output_dir:
        write_report(report, output_dir)
