"""Find stretches of text inside quotation marks (recorded speech or someone else's words).

Double quotes (straight or curly) of any length within a paragraph, and single quotes around short
phrases ('boyfriend'), telling apostrophes (she's, girls') apart by the characters around them.
"""

from __future__ import annotations

import re

_DOUBLE = re.compile(r"\"[^\"\n]{1,600}\"|\u201c[^\u201d\n]{1,600}\u201d")
_SINGLE = re.compile(r"(?<![\w])['\u2018](?=\S)[^'\u2018\u2019\n]{1,120}(?<=\S)['\u2019](?![\w])")


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) character ranges of quoted stretches, quotation marks included."""
    ranges = [m.span() for m in _DOUBLE.finditer(text)]
    ranges += [m.span() for m in _SINGLE.finditer(text) if not _inside(m.start(), ranges)]
    return sorted(ranges)


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in ranges)


def is_quoted(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(q_start <= start and end <= q_end for q_start, q_end in ranges)
