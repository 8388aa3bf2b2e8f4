"""Find stretches of text inside quotation marks (recorded speech or someone else's words).

Quotation marks are paired in order within a paragraph, each mark used once. Double quotes (straight,
curly, low-9 or guillemets) may span a single line break; single quotes stay on one line. Apostrophes
are told apart by the characters around them: between letters (he's, didn't, o'clock), elisions
('cos, 'til, '90s, rock 'n' roll), plural possessives with no quote open (the lads' car), and feet
and inches (5'4", 6'2). An opening mark that is never closed quotes nothing.
"""

from __future__ import annotations

import re

_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")
_MARKS = re.compile("[\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb]")
# opening double mark -> the marks that close it
_DOUBLE_OPENERS = {'"': '"\u201d', "\u201c": '"\u201d', "\u201e": '"\u201c\u201d', "\u201f": '"\u201d',
                   "\u00ab": "\u00bb"}
_DOUBLE_CLOSERS = '"\u201d\u201c\u00bb'
_SINGLE_OPENERS = "'\u2018\u201a\u201b\u2019"  # some notes use the right single mark both ways
_SINGLE_CLOSERS = "'\u2019"
_ELISION = re.compile(r"(?:cos|cause|coz|cuz|til|till|em|bout|round|n|ere|ow|ave|tis|twas|\d\d)s?\b",
                      re.IGNORECASE)
_FEET_INCHES = re.compile(r"\d['\u2019\u2032]\s?\d{1,2}$")
_MAX_SINGLE = 200  # characters inside single quotes: longer is not a quoted word or phrase
_OPEN_AFTER = "([{<\u2014\u2013-/"


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) character ranges of quoted stretches, quotation marks included."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for m in _PARAGRAPH.finditer(text):
        ranges += _paragraph_ranges(text, start, m.start())
        start = m.end()
    ranges += _paragraph_ranges(text, start, len(text))
    return sorted(ranges)


def _paragraph_ranges(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    ranges = []
    double: tuple[int, str] | None = None  # (offset, closing marks) of the open double quote
    single: int | None = None  # offset of the open single quote
    skip_to = lo
    breaks, counted = 0, lo  # line breaks since the open double quote, counted up to `counted`
    for m in _MARKS.finditer(text, lo, hi):
        i, mark = m.start(), m.group()
        if i < skip_to:
            continue
        before = text[i - 1] if i > lo else " "
        after = text[i + 1] if i + 1 < hi else " "
        if single is not None and (i - single > _MAX_SINGLE or "\n" in text[single:i]):
            single = None
        if double is not None:
            breaks += text.count("\n", counted, i)
            counted = i
            if breaks > 1:
                double = None  # a double quote spans one line break at most
        opens = not after.isspace() and (before.isspace() or before in _OPEN_AFTER or _MARKS.match(before) is not None)
        closes = not before.isspace() and not after.isalnum()
        if mark in _DOUBLE_OPENERS or mark in _DOUBLE_CLOSERS:
            if before.isdigit() and (double is None or _FEET_INCHES.search(text, max(lo, i - 6), i)):
                continue  # inches: 5'4", 12"
            if double is not None and mark in double[1] and (closes or not opens):
                ranges.append((double[0], i + 1))
                double = None
            elif opens and (mark in _DOUBLE_OPENERS or (mark == "\u201d" and double is None)):
                double = (i, _DOUBLE_OPENERS.get(mark, "\u201d"))  # an unclosed earlier mark is dropped
                breaks, counted = 0, i
            continue
        if before.isalnum() and after.isalnum():
            continue  # he's, didn't, o'clock, 6'2
        if opens and mark in "'\u2019" and (elision := _ELISION.match(text, i + 1, hi)):
            if elision.group().lower() == "n" and elision.end() < hi and text[elision.end()] in _SINGLE_CLOSERS:
                skip_to = elision.end() + 1  # rock 'n' roll
            continue
        if single is not None and mark in _SINGLE_CLOSERS and closes:
            ranges.append((single, i + 1))
            single = None
        elif opens and mark in _SINGLE_OPENERS:
            single = i
    return ranges


def is_quoted(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(q_start <= start and end <= q_end for q_start, q_end in ranges)
