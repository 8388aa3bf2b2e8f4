"""Import spaCy without torch, and build the blank English pipeline the scanner runs on."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

_SPAN_EXTENSION = "languagecheck"
MAX_TEXT_LENGTH = 2**31 - 1


def import_spacy() -> ModuleType:
    """Import spaCy while hiding torch from thinc's optional import.

    thinc imports torch whenever it is installed (~1.5 s); we never run thinc models, so torch is
    hidden for the duration of the import only and stays importable afterwards (training needs it).
    """
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


def register_extensions() -> None:
    from spacy.tokens import Span

    if not Span.has_extension(_SPAN_EXTENSION):
        # per-span facts for one finding: rule, severity, source, score, and (context/model) message
        Span.set_extension(_SPAN_EXTENSION, default=None)


def build_pipeline(lexicon_config: dict[str, Any] | None = None, components: tuple[str, ...] = ()) -> Any:
    """spacy.blank('en') + segmenter + lemmatizer + lexicon matcher + context stage (+ optional later ones)."""
    spacy = import_spacy()
    from . import components as _registered  # noqa: F401  (registers the factories)
    from . import context_component as _context  # noqa: F401  (registers languagecheck_context)

    nlp = spacy.blank("en")
    # spaCy's 1,000,000-character guard is for parser/NER memory; this pipeline has neither, and
    # document size is limited where documents are read (documents.DEFAULT_MAX_MB, --max-size-mb)
    nlp.max_length = MAX_TEXT_LENGTH
    nlp.add_pipe("languagecheck_segmenter")
    nlp.add_pipe("languagecheck_lemmatizer", config={"lexicon": lexicon_config or {}})
    nlp.add_pipe("languagecheck_lexicon", config={"lexicon": lexicon_config or {}})
    nlp.add_pipe("languagecheck_context", config={"lexicon": lexicon_config or {}})
    for name in components:
        nlp.add_pipe(name)
    return nlp
