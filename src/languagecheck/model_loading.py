"""Attach the classifier to a pipeline when its model is present and intact, else fall back clearly."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .errors import ModelError

log = logging.getLogger("languagecheck")


def model_dir_for(config: Any) -> Path:
    from .classifier import default_model_dir

    return Path(config.model) if getattr(config, "model", None) else default_model_dir()


def add_classifier(nlp: Any, config: Any, require_model: bool = False, device: str = "cpu",
                   threads: int = 0) -> str:
    """Add `languagecheck_classifier` after verifying the files; returns a one-line status.

    A missing or corrupt model raises ModelError with require_model, else the scanner stays
    lexicon-only and the status says so (the CLI prints it as a warning).
    """
    from .classifier import verify

    directory = model_dir_for(config)
    try:
        verify(directory)
    except ModelError as exc:
        if require_model:
            raise
        status = f"warning: {exc}; falling back to lexicon-only scanning"
        log.warning(status)
        return status
    from . import classifier_component  # noqa: F401  (registers the factory)

    nlp.add_pipe("languagecheck_classifier", config={"model_dir": str(directory), "device": device,
                                                     "threads": threads})
    return f"classifier loaded from {directory}"


def model_report() -> tuple[bool, str, str]:
    """For `languagecheck doctor`: (ok, what, how to fix)."""
    from .classifier import default_model_dir, verify

    directory = default_model_dir()
    try:
        meta = verify(directory)
    except ModelError as exc:
        return False, str(exc), "reinstall the package or rebuild with `languagecheck train`"
    return True, f"classifier model {directory} ({meta.get('format')}), SHA-256 matches", ""
