"""Expand the compact phrase syntax used in lexicon packs into plain phrases.

Syntax (documented in lexicons/README.md):
  {self} {obj} {poss} {subj}   any pronoun of that kind: herself/himself/themselves, her/him/them, ...
  [a|b|c]                      one of the alternatives; an empty alternative makes the group optional
Written by hand because no library expands this tiny grammar; bounded by MAX_EXPANSIONS.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

PRONOUN_SLOTS: dict[str, tuple[str, ...]] = {
    "self": ("herself", "himself", "themselves", "themself"),
    "obj": ("her", "him", "them"),
    "poss": ("her", "his", "their"),
    "subj": ("she", "he", "they"),
}
MAX_EXPANSIONS = 512
_TOKEN = re.compile(r"\{(\w+)\}|\[([^\[\]]*)\]|([^\[\]{}]+)")
_APOSTROPHE = re.compile("['\u2018\u2019\u02bc]")
_APOSTROPHE_CLASS = "['\u2018\u2019\u02bc]"  # notes mix straight and curly apostrophes


class PatternSyntaxError(ValueError):
    pass


def parts(phrase: str) -> list[tuple[Any, Any, Any]]:
    """(slot, group, literal) pieces of a compact phrase, in order; unbalanced brackets are an error."""
    out = []
    pos = 0
    for m in _TOKEN.finditer(phrase):
        if m.start() != pos:
            raise PatternSyntaxError(f"unbalanced bracket near {phrase[pos:pos + 12]!r}")
        pos = m.end()
        out.append((m.group(1), m.group(2), m.group(3)))
    if pos != len(phrase):
        raise PatternSyntaxError(f"unbalanced bracket near {phrase[pos:pos + 12]!r}")
    return out


def expand(phrase: str) -> list[str]:
    """All plain phrases a compact phrase stands for, whitespace-normalised, in a stable order."""
    choices: list[tuple[str, ...]] = []
    for slot, group, literal in parts(phrase):
        if slot is not None:
            if slot not in PRONOUN_SLOTS:
                raise PatternSyntaxError(f"unknown placeholder {{{slot}}}")
            choices.append(PRONOUN_SLOTS[slot])
        elif group is not None:
            choices.append(tuple(alt.strip() for alt in group.split("|")))
        else:
            choices.append((literal,))
    out: list[str] = []
    seen: set[str] = set()
    for combo in itertools.product(*choices):
        text = " ".join(" ".join(combo).split())
        if text and text not in seen:
            seen.add(text)
            out.append(text)
            if len(out) > MAX_EXPANSIONS:
                raise PatternSyntaxError(f"expands to more than {MAX_EXPANSIONS} phrases")
    return out


def to_regex(phrases: list[str]) -> str:
    """One case-insensitive, word-bounded regex source for a list of compact phrases."""
    alternatives = sorted({p for phrase in phrases for p in expand(phrase)}, key=len, reverse=True)
    body = "|".join(r"\s+".join(_word_regex(w) for w in alt.split()) for alt in alternatives)
    return rf"(?<![\w-])(?:{body})(?![\w-])"


def _word_regex(word: str) -> str:
    """One word, matching a straight or curly apostrophe wherever it has one."""
    return _APOSTROPHE_CLASS.join(re.escape(part) for part in _APOSTROPHE.split(word))

