"""Shared helpers for the lexicon data tests."""

import re

from languagecheck.lexicon import load_entries, pack_paths

MARK = re.compile(r"\[\[(.+?)\]\]")


def unmark(example: str) -> tuple[str, int, int]:
    """Example text without [[ ]], and the character offsets of the marked span."""
    m = MARK.search(example)
    text = example[: m.start()] + m.group(1) + example[m.end():]
    return text, m.start(), m.start() + len(m.group(1))


def all_entries():
    return load_entries(pack_paths())


def apply(text: str, start: int, end: int, replacement: str) -> str:
    return text[:start] + replacement + text[end:]
