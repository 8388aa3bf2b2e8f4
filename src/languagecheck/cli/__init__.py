"""The `languagecheck` command line. Commands are thin: parse -> call the library -> render."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="languagecheck",
    help="Flag victim-blaming and 'risk instead of harm' language in case notes, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from . import check, doctor, lexicon  # noqa: F401  (each module adds its commands to `app`)

    for optional in ("scan", "audit", "train", "evaluate"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{optional}":
                raise


def main() -> None:
    _register()
    app()
