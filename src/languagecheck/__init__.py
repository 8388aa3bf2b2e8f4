"""languagecheck: flag victim-blaming and 'risk instead of harm' language in case notes.

Heavy modules (spaCy) load only when a Scanner is created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .categories import CATEGORIES, CATEGORY_IDS
from .config import Config, load_config
from .finding import Finding

if TYPE_CHECKING:
    from .scanner import Scanner

__all__ = ["CATEGORIES", "CATEGORY_IDS", "Config", "Finding", "Scanner", "__version__", "load_config"]


def __getattr__(name: str) -> Any:
    if name == "Scanner":
        from .scanner import Scanner

        return Scanner
    raise AttributeError(name)
