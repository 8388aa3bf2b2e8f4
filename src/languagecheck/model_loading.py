"""Attach the classifier to a pipeline when a model is available (filled in by the classifier work)."""

from __future__ import annotations

import logging
from typing import Any

from .errors import ModelError

log = logging.getLogger("languagecheck")


def add_classifier(nlp: Any, config: Any, require_model: bool = False, device: str = "cpu") -> str:
    """Returns a one-line status. No classifier model ships yet, so the scanner is lexicon-only."""
    message = "no classifier model is installed; using the lexicon only"
    if require_model:
        raise ModelError(message)
    log.info(message)
    return message
