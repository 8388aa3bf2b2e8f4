"""Render an entry's suggestion templates so they fit the sentence they replace text in.

Templates may use {obj} {poss} {self} {subj} (the child's pronouns), {be} {was} {has} (agreeing with
number), and may be keyed by the verb form of the matched text: ing, present, past, perfect, base.

The child's pronoun comes from the match or the words before it, never after it (after a match the
pronoun is usually the adult's: "in a relationship with him"). Number comes from the subject or
auxiliary before the match, separately from the pronoun ("YP puts themself at risk" -> is ... them).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span, Token

from .compiled import normalise
from .components import sentence_bounds

_PRONOUNS = {
    # word -> (obj, poss, self, subj)
    "she": ("her", "her", "herself", "she"), "her": ("her", "her", "herself", "she"),
    "herself": ("her", "her", "herself", "she"), "hers": ("her", "her", "herself", "she"),
    "he": ("him", "his", "himself", "he"), "him": ("him", "his", "himself", "he"),
    "his": ("him", "his", "himself", "he"), "himself": ("him", "his", "himself", "he"),
    "they": ("them", "their", "themselves", "they"), "them": ("them", "their", "themselves", "they"),
    "their": ("them", "their", "themselves", "they"),
    "themselves": ("them", "their", "themselves", "they"),
    "themself": ("them", "their", "themself", "they"),
}
_UNKNOWN = ("the child", "the child's", "themselves", "the child")
# subject word -> plural
_SUBJECTS = {"she": False, "he": False, "it": False, "i": False, "yp": False, "cyp": False, "they": True,
             "we": True, "you": True}
_PLURAL_WORDS = {"they", "them", "their", "themselves"}
_AGREEMENT = {"is": False, "was": False, "has": False, "am": False, "'m": False, "does": False,
              "are": True, "were": True, "have": True, "'re": True, "'ve": True, "do": True}
# forms of "be" at the start of a match, and the template key each one takes
_BE_FORMS = {"is": "present", "am": "present", "are": "present", "'s": "present", "'re": "present",
             "'m": "present", "was": "past", "were": "past", "be": "base", "been": "perfect", "being": "ing"}
_DO = {"do", "does", "did"}
_MODALS = {"to", "will", "would", "can", "could", "may", "might", "must", "should", "shall", "'ll", "wo", "ca"}
_PERFECT = {"has", "have", "had", "'ve", "'d", "having", "'s"}
# words that may stand between an auxiliary and the verb: "did not", "has always", "does she"
_BETWEEN = {"not", "n't", "never", "always", "just", "really", "even", "ever", "also", "still", "often",
            "sometimes", "usually", "only", "already", "again", "probably", "possibly", "clearly",
            "apparently", "reportedly", "allegedly", "then", "now", "actually", "repeatedly", "regularly"}
_BE_WORDS = {"be", "is", "are", "am", "was", "were", "been", "being", "{be}", "{was}"}
_LOOKBACK = 40  # words before the match that can hold its subject or the child's pronoun
DO_SUPPORT = "do"  # verb form after do/does/did: the base form, and never a form of "be"


def _lower(token: Token) -> str:
    return normalise(token.lower_)


def _words_before(span: Span) -> list[Token]:
    """The sentence's words before the match, nearest first (at most _LOOKBACK of them)."""
    start, _ = sentence_bounds(span.doc, span.start)
    start = max(start, span.start - 2 * _LOOKBACK)
    return [t for t in reversed(span.doc[start:span.start]) if not t.is_space][:_LOOKBACK]


def _child_pronoun(span: Span) -> tuple[str, str, str, str]:
    for token in span:
        if _lower(token) in _PRONOUNS:
            return _PRONOUNS[_lower(token)]
    for token in _words_before(span):
        if _lower(token) in _PRONOUNS:
            return _PRONOUNS[_lower(token)]
    return _UNKNOWN


def is_plural(span: Span) -> bool:
    """Number of the match's subject: an auxiliary or verb that agrees, else the nearest subject word."""
    before = _words_before(span)
    nearest = next((_lower(t) for t in before if _lower(t) not in _BETWEEN), "")
    if nearest == "'s":
        return False
    if nearest in _AGREEMENT:
        return _AGREEMENT[nearest]
    first, word = span[0], _lower(span[0])
    if word in _AGREEMENT:
        return _AGREEMENT[word]
    if word != first.lemma_ and word.endswith("s") and not word.endswith("ss"):
        return False  # puts, chooses
    for i, token in enumerate(before):
        lower = _lower(token)
        if lower in _SUBJECTS:
            joined = i + 2 < len(before) and _lower(before[i + 1]) == "and"  # "he and she"
            return _SUBJECTS[lower] or joined
    return any(_lower(t) in _PLURAL_WORDS for t in span)


def _auxiliary(span: Span) -> tuple[str, str]:
    """(word, lemma) of the auxiliary governing the match's first verb, looking past negation and
    adverbs and, in a question, past the subject ("did she put"); ("", "") when there is none."""
    passed_subject = False
    for token in _words_before(span):
        lower = _lower(token)
        if lower in _BETWEEN:
            continue
        if lower in _SUBJECTS and not passed_subject:
            passed_subject = True
            continue
        return lower, token.lemma_
    return "", ""


def verb_form(span: Span, plural: bool) -> str:
    """ing | present | past | perfect | base, or DO_SUPPORT after do/does/did, from the first word of
    the match and the auxiliary before it."""
    first = span[0]
    word, lemma = _lower(first), first.lemma_
    aux, aux_lemma = _auxiliary(span)
    if word in _BE_FORMS:
        if word == "be" and aux in _DO:
            return DO_SUPPORT
        return _BE_FORMS[word]
    if aux in _PERFECT and aux_lemma != "'s" and not word.endswith("ing"):  # 's: has, not a possessive
        return "perfect"
    if word.endswith("ing") and word != lemma:
        return "ing"
    if aux in _DO:
        return DO_SUPPORT
    if aux in _MODALS:
        return "base"
    if word != lemma:
        return "present" if word.endswith("s") and not word.endswith("ss") else "past"
    # same spelling as the lemma ("put", "let"): plural subjects make it present, otherwise past
    return "present" if plural else "past"


def _pick(template: dict[str, str], form: str) -> str | None:
    if form == DO_SUPPORT:
        base = template.get("base")
        return base if base and not _starts_with_be(base) else None
    return template.get(form) or template.get("default") or next(iter(template.values()))


def _starts_with_be(template: str) -> bool:
    words = template.split()
    return bool(words) and words[0].lower() in _BE_WORDS


def render(templates: tuple[Any, ...], span: Span, text: str | None = None) -> list[str]:
    """The templates rendered for this match; `text` is doc.text (which spaCy rebuilds on every access)."""
    obj, poss, self_, subj = _child_pronoun(span)
    plural = is_plural(span)
    values = {"obj": obj, "poss": poss, "self": self_, "subj": subj,
              "be": "are" if plural else "is", "was": "were" if plural else "was",
              "has": "have" if plural else "has"}
    form: str | None = None
    line = _line_of(span, span.doc.text if text is None else text)
    sentence_start = span.start == _sentence_start(span)
    out: list[str] = []
    for template in templates:
        if isinstance(template, dict):
            form = form or verb_form(span, plural)
            picked = _pick(template, form)
            if picked is None:
                continue
            template = picked
        elif _starts_with_be(template):
            form = form or verb_form(span, plural)
            if form == DO_SUPPORT:
                continue  # "did was ..."
        text = template.format(**values)
        text = match_case(text, span.text, line, sentence_start)
        if text not in out:
            out.append(text)
    return out


def _sentence_start(span: Span) -> int:
    start, end = sentence_bounds(span.doc, span.start)
    return next((t.i for t in span.doc[start:end] if not t.is_space), start)


def _line_of(span: Span, text: str) -> str:
    """The rest of the line holding the match (the match itself left out)."""
    start = text.rfind("\n", 0, span.start_char) + 1
    end = text.find("\n", span.end_char)
    end = len(text) if end == -1 else end
    return text[start:span.start_char] + " " + text[span.end_char:end]


def _is_shouted(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def match_case(replacement: str, original: str, line: str | None = None, sentence_start: bool = False) -> str:
    """Keep the original's capitalisation: a capital first letter stays capital; capitals stay capitals
    when the line around the match is in capitals too (a heading, a shouted note), but an abbreviation
    in ordinary text (AWOL, CSE) is replaced in lower case."""
    if original.isupper() and sum(ch.isalpha() for ch in original) > 1:
        if line is None or _is_shouted(line) or (not any(ch.isalpha() for ch in line) and " " in original.strip()):
            return replacement.upper()
        return _capitalise(replacement) if sentence_start else replacement
    if original[:1].isupper():
        return _capitalise(replacement)
    return replacement


def _capitalise(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
    return text
