"""Render an entry's suggestion templates so they fit the sentence they replace text in.

Templates may use {obj} {poss} {self} {subj} (the child's pronouns), {be} {was} {has} (agreeing with
number), and may be keyed by the verb form of the matched text: ing, present, past, perfect, base.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

_PRONOUNS = {
    # word -> (obj, poss, self, subj, plural)
    "she": ("her", "her", "herself", "she", False), "her": ("her", "her", "herself", "she", False),
    "herself": ("her", "her", "herself", "she", False), "hers": ("her", "her", "herself", "she", False),
    "he": ("him", "his", "himself", "he", False), "him": ("him", "his", "himself", "he", False),
    "his": ("him", "his", "himself", "he", False), "himself": ("him", "his", "himself", "he", False),
    "they": ("them", "their", "themselves", "they", True), "them": ("them", "their", "themselves", "they", True),
    "their": ("them", "their", "themselves", "they", True),
    "themselves": ("them", "their", "themselves", "they", True),
    "themself": ("them", "their", "themself", "they", True),
}
_UNKNOWN = ("the child", "the child's", "themselves", "the child", False)
_MODALS = {"to", "will", "would", "can", "could", "may", "might", "must", "should", "shall", "do", "does",
           "did", "'ll", "wo", "ca", "not", "n't", "never"}
_PERFECT = {"has", "have", "had", "'s", "'ve", "'d", "having"}
_ING_AUX = {"is", "are", "was", "were", "be", "been", "being", "'m", "'re", "am"}


def _pronoun_of(span: Span) -> tuple[str, str, str, str, bool]:
    for token in span:
        if token.lower_ in _PRONOUNS:
            return _PRONOUNS[token.lower_]
    sent = span.sent
    # nearest personal pronoun before the match in the sentence, then after it
    for token in reversed(span.doc[sent.start:span.start]):
        if token.lower_ in _PRONOUNS:
            return _PRONOUNS[token.lower_]
    for token in span.doc[span.end:sent.end]:
        if token.lower_ in _PRONOUNS:
            return _PRONOUNS[token.lower_]
    return _UNKNOWN


def verb_form(span: Span, plural: bool) -> str:
    """ing | present | past | perfect | base, from the first word of the match and the word before it."""
    first = span[0]
    before = span.doc[first.i - 1].lower_ if first.i > span.sent.start else ""
    word, lemma = first.lower_, first.lemma_
    if before in _PERFECT and not word.endswith("ing"):
        return "perfect"
    if word.endswith("ing") and word != lemma:
        return "ing"
    if before in _MODALS:
        return "base"
    if word != lemma:
        return "present" if word.endswith("s") and not word.endswith("ss") else "past"
    # same spelling as the lemma ("put", "let"): plural subjects make it present, otherwise past
    return "present" if plural else "past"


def render(templates: tuple[Any, ...], span: Span) -> list[str]:
    obj, poss, self_, subj, plural = _pronoun_of(span)
    values = {"obj": obj, "poss": poss, "self": self_, "subj": subj,
              "be": "are" if plural else "is", "was": "were" if plural else "was",
              "has": "have" if plural else "has"}
    form = None
    out: list[str] = []
    for template in templates:
        if isinstance(template, dict):
            form = form or verb_form(span, plural)
            template = template.get(form) or template.get("default") or next(iter(template.values()))
        text = template.format(**values)
        text = match_case(text, span.text)
        if text not in out:
            out.append(text)
    return out


def match_case(replacement: str, original: str) -> str:
    """Keep the original's capitalisation: ALL CAPS stays caps, a capital first letter stays capital."""
    if original.isupper() and sum(ch.isalpha() for ch in original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        for i, ch in enumerate(replacement):
            if ch.isalpha():
                return replacement[:i] + ch.upper() + replacement[i + 1:]
    return replacement
