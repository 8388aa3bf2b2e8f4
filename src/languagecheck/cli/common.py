"""Small pieces the commands share: config loading, consoles, error printing."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer

from ..config import Config, load_config
from ..errors import LanguagecheckError


def use_colour(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    colour = use_colour(stream)
    return Console(file=stream, no_color=not colour, highlight=False, emoji=False,
                   force_terminal=colour, width=None if colour else 10_000)


def tolerant_stdout() -> None:
    """Never crash on a character the console cannot show (cp1252 pipes on Windows): replace it."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("_", "-")
    if not encoding.startswith("utf") and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")


def stdout_can_encode(text: str) -> bool:
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error (no traceback, no note text) and exit."""
    typer.echo(f"languagecheck: error: {message}", err=True)
    raise typer.Exit(code)


def get_config(path: Path | None) -> Config:
    try:
        return load_config(path)
    except LanguagecheckError as exc:
        fail(str(exc))
        raise  # unreachable; keeps type checkers happy
