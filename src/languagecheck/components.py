"""spaCy pipeline components: segmenter, lemmatizer and lexicon matcher.

Add them to any blank English pipeline; findings land in doc.spans["languagecheck"], each span's
label is its category and `span._.languagecheck` holds the rule, severity, source and score.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, SpanGroup

from . import compiled, phrase_index
from .config import QUOTE_POLICIES
from .merge import priority, resolve_overlaps
from .nlp import _SPAN_EXTENSION, register_extensions
from .quotes import is_quoted, quoted_ranges

SPANS_KEY = "languagecheck"
SENTENCE_STARTS = "languagecheck_sentence_starts"  # doc.user_data: token indices where sentences start
register_extensions()


@Language.factory("languagecheck_segmenter")
class Segmenter:
    """Sentence boundaries after sentence punctuation, at blank lines, and at list items and headings.

    A single line break inside a sentence (a wrapped line) does not end it; whitespace tokens stay
    with the sentence before them, so every sentence starts on a word.
    """

    def __init__(self, nlp: Language, name: str):
        self.sentencizer = Sentencizer()  # sets boundaries in C: Token.is_sent_start is O(n) per token
        self.punct_chars = set(Sentencizer.default_punct_chars)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        text = doc.text
        starts = [False] * len(doc)
        starts[0] = True
        previous = None  # the last word token
        seen_period = False
        marker_end = 0  # the end of a list marker ("1.", "a)") at the start of the current line
        for token in doc:
            if token.is_space:
                continue
            if previous is not None:
                gap = text[previous.idx + len(previous):token.idx]
                if seen_period and not token.is_punct and token.text not in self.punct_chars:
                    starts[token.i] = True
                elif "\n" in gap and _starts_a_block(text, previous.idx + len(previous), token.idx, gap):
                    starts[token.i] = True
                if starts[token.i]:
                    seen_period = False
            if previous is None or "\n" in text[previous.idx + len(previous):token.idx]:
                item = _LIST_ITEM.match(text, token.idx)
                marker_end = item.end() if item else 0
            if token.text in self.punct_chars and token.idx >= marker_end:
                seen_period = True
            previous = token
        self.sentencizer.set_annotations([doc], [starts])
        doc.user_data[SENTENCE_STARTS] = [i for i, start in enumerate(starts) if start]
        return doc


def sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """(start, end) token indices of the sentence holding token i.

    spaCy's Token.sent and Span.sent scan the whole Doc on every call when it has no parse, which is
    quadratic over a long note's findings; the segmenter keeps its boundaries for a binary search.
    """
    starts = doc.user_data.get(SENTENCE_STARTS)
    if not starts:
        sent = doc[i].sent
        return sent.start, sent.end
    k = bisect_right(starts, i) - 1
    return starts[k], starts[k + 1] if k + 1 < len(starts) else len(doc)


_LIST_ITEM = re.compile(r"(?:[-*+>\u2022\u2023\u25e6\u00b7\u2013\u2014]|\(?\d{1,3}[.)]|\(?[A-Za-z][.)]"
                        r"|\(?[ivxIVX]{1,4}[.)])(?=\s)")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_FIELD_LABEL = re.compile(r"[A-Za-z][\w /&'()-]{0,40}:(?:\s|$)")


def _starts_a_block(text: str, previous_end: int, at: int, gap: str) -> bool:
    """At a line break: does the line starting at `at` begin a new sentence (not a wrapped line)?"""
    if _BLANK_LINE.search(gap):
        return True
    line_end = text.find("\n", at)
    line = text[at:line_end if line_end != -1 else len(text)]
    previous_line = text[text.rfind("\n", 0, previous_end) + 1:previous_end]
    return (_LIST_ITEM.match(line) is not None or _FIELD_LABEL.match(line) is not None
            or _is_heading(line) or _is_heading(previous_line))


def _is_heading(line: str) -> bool:
    line = line.strip()
    if not line:
        return False
    if line.startswith("#") or line.endswith(":"):
        return True
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


@Language.factory("languagecheck_lemmatizer", default_config={"lexicon": {}})
class LookupLemmatizer:
    """Case-insensitive lookup lemmas (spacy-lookups-data plus reviewed overrides).

    spaCy's lookup lemmatizer is case-sensitive and maps e.g. "putting" to "putt"; this one lower-cases
    first, reads curly apostrophes as straight ones, reads 's and 're from the words around them
    (she's -> be, YP's phone -> possessive), applies lexicons/lemma_overrides.yaml, and carries only the
    forms the patterns can use. Whitespace tokens are skipped, so a line wrap does not hide a neighbour.
    """

    def __init__(self, nlp: Language, name: str, lexicon: dict[str, Any]):
        self.lexicon = compiled.load(lexicon.get("packs"), lexicon.get("extra_packs"))

    def __call__(self, doc: Doc) -> Doc:
        words = [token for token in doc if not token.is_space]
        for token, lemma in zip(words, self.lexicon.lemmatize([t.lower_ for t in words])):
            token.lemma_ = lemma
        for token in doc:
            if token.is_space:
                token.lemma_ = token.text
        return doc


@Language.factory("languagecheck_lexicon", default_config={"lexicon": {}})
class LexiconMatcher:
    """Match lexicon entries on lemmas, apply context requirements and exceptions, merge overlaps.

    `lexicon` config keys: packs, extra_packs, disabled (rule ids), severity ({rule: level}),
    allow (rule ids of this lexicon, or phrases never flagged), quotes ("info" | "ignore" | "flag").
    Matching runs on the words only, so extra spaces, tabs and line wraps between them do not hide a
    phrase; spans are reported on the original tokens.
    """

    def __init__(self, nlp: Language, name: str, lexicon: dict[str, Any]):
        self.lexicon = compiled.load(lexicon.get("packs"), lexicon.get("extra_packs"))
        allow = list(lexicon.get("allow") or ())
        # an allow item is a rule id when this lexicon has that rule, otherwise a phrase
        self.disabled = set(lexicon.get("disabled") or ()) | {a for a in allow if a in self.lexicon.entries}
        self.severity = dict(lexicon.get("severity") or {})
        self.allow = {_phrase_key(a) for a in allow if a not in self.lexicon.entries}
        self.quotes = lexicon.get("quotes", "info")
        if self.quotes not in QUOTE_POLICIES:
            raise ValueError(f"quotes policy must be one of {QUOTE_POLICIES}")
        # phrases: the precompiled lemma-sequence index (what PhraseMatcher(attr="LEMMA") finds)
        self.phrase_index = self.lexicon.phrase_index or phrase_index.build(self.lexicon.phrase_patterns)
        # token patterns: one spaCy Matcher, run only on Docs holding one of the patterns' anchor words
        self.token_matcher = Matcher(nlp.vocab)
        anchors: set[str] | None = set()
        for rule, tokens in self.lexicon.token_patterns:
            if rule not in self.disabled:
                self.token_matcher.add(rule, [tokens])
                words = _anchor_words(tokens)
                anchors = None if words is None or anchors is None else anchors | words
        self.anchors = frozenset(anchors) if anchors is not None else None  # None: always run

    def __call__(self, doc: Doc) -> Doc:
        view = WordView(doc, self.lexicon)
        matches = self.phrase_index.matches(view.lemmas, self.disabled)
        if len(self.token_matcher) and (self.anchors is None or view.has_any(self.anchors)):
            strings = doc.vocab.strings
            matches += [(strings[m], start, end) for m, start, end in self.token_matcher(view.doc)]
        quoted = quoted_ranges(doc.text) if matches else []
        candidates = []
        for rule, start, end in matches:
            span = view.span(start, end)
            if self._suppressed(rule, view, start, end):
                continue
            entry = self.lexicon.entries[rule]
            severity = self.severity.get(rule, entry.severity)
            facts = {"rule": rule, "severity": severity, "source": "lexicon", "score": entry.score,
                     "quoted": False}
            if is_quoted(span.start_char, span.end_char, quoted):
                if self.quotes == "ignore":
                    continue
                if self.quotes == "info":
                    facts.update(severity="info", quoted=True, score=round(entry.score * 0.5, 3))
            candidates.append((span, entry.category, facts, end - start))
        kept = resolve_overlaps(
            candidates,
            bounds=lambda c: (c[0].start_char, c[0].end_char),
            rank=lambda c: priority(c[3], c[2]["severity"], "lexicon", c[2]["score"]),
        )
        group = doc.spans.get(SPANS_KEY) or SpanGroup(doc, name=SPANS_KEY)
        for span, category, facts, _ in kept:
            new = Span(doc, span.start, span.end, label=category, span_id=facts["rule"])
            new._.set(_SPAN_EXTENSION, facts)
            group.append(new)
        doc.spans[SPANS_KEY] = group
        return doc

    def _suppressed(self, rule: str, view: WordView, start: int, end: int) -> bool:
        if self.allow and _phrase_key(view.text(start, end)) in self.allow:
            return True
        entry = self.lexicon.entries[rule]
        if not entry.requires and not entry.exceptions:
            return False
        sent_start, sent_end = view.sentence(start)

        def matches(kind: str, window: int, source: str) -> bool:
            if kind == "before":
                lo, hi = max(sent_start, start - window), start
            elif kind == "after":
                lo, hi = end, min(sent_end, end + window)
            else:
                lo, hi = sent_start, sent_end
            return view.search(compiled.regex(source), lo, hi)

        if entry.requires and not any(matches(*condition) for condition in entry.requires):
            return True
        return any(matches(*condition) for condition in entry.exceptions)


_ANCHOR_ATTRS = ("LOWER", "LEMMA", "ORTH", "TEXT")
_COMMON = frozenset("a an and are as at be been being by do for from go had has have he her him his in is it "
                    "of on or out she that the their them they this to was were will with".split())


def _anchor_words(tokens: list[dict[str, Any]]) -> frozenset[str] | None:
    """Words one of which every match of this token pattern contains (the rarest required token's
    values), or None when no required token names its words."""
    best: frozenset[str] | None = None
    for spec in tokens:
        if spec.get("OP", "1") not in ("1", "+", "{1}"):
            continue
        for attr in _ANCHOR_ATTRS:
            value = spec.get(attr)
            if isinstance(value, str):
                words = frozenset([value])
            elif isinstance(value, dict) and set(value) == {"IN"}:
                words = frozenset(str(v) for v in value["IN"])
            else:
                continue
            if best is None or _rarity(words) > _rarity(best):
                best = words
    return best


def _rarity(words: frozenset[str]) -> tuple[bool, int]:
    return (words.isdisjoint(_COMMON), -len(words))


def _phrase_key(text: str) -> str:
    return " ".join(compiled.normalise(text).lower().split())


# word separators that are not whitespace: zero-width space, word joiner, BOM
_INVISIBLE_SPACE = re.compile("[\u200b\u2060\ufeff]+")


class WordView:
    """The words of a Doc as their own Doc (no whitespace tokens, apostrophes straightened, zero-width
    spaces splitting words), with the map back to the original tokens."""

    def __init__(self, doc: Doc, lexicon: compiled.CompiledLexicon):
        self.original = doc
        words: list[str] = []
        lemmas: list[str] = []
        self.source: list[int] = []  # view token -> original token index
        for token in doc:
            if token.is_space:
                continue
            if _INVISIBLE_SPACE.search(token.text):
                pieces = [compiled.normalise(p) for p in _INVISIBLE_SPACE.split(token.text)]
                pieces = [p for p in pieces if p and not p.isspace()]
                words += pieces
                lemmas += [lexicon.lemma(p.lower()) for p in pieces]
                self.source += [token.i] * len(pieces)
                continue
            word = compiled.normalise(token.text)
            if not word:
                continue
            words.append(word)
            lemmas.append(token.lemma_ or lexicon.lemma(token.lower_))
            self.source.append(token.i)
        self.words, self.lemmas = words, lemmas
        self._doc: Doc | None = None
        self._regions: dict[tuple[int, int], tuple[str, str]] = {}
        self._found: dict[tuple[re.Pattern[str], int, int], bool] = {}  # a sentence is searched once per rule

    @property
    def doc(self) -> Doc:
        """The words as a Doc of their own (for the token Matcher), made on first use."""
        if self._doc is None:
            self._doc = Doc(self.original.vocab, words=self.words, spaces=[True] * len(self.words),
                            lemmas=self.lemmas)
        return self._doc

    def has_any(self, words: frozenset[str]) -> bool:
        """Does any word (as written, lower-cased) or lemma of the view belong to `words`?"""
        return not (words.isdisjoint(self.lemmas) and words.isdisjoint(w.lower() for w in self.words)
                    and words.isdisjoint(self.words))

    def span(self, start: int, end: int) -> Span:
        """The original tokens under view tokens [start, end)."""
        return self.original[self.source[start]:self.source[end - 1] + 1]

    def sentence(self, i: int) -> tuple[int, int]:
        """View bounds of the sentence holding view token i."""
        start, end = sentence_bounds(self.original, self.source[i])
        return bisect_left(self.source, start), bisect_left(self.source, end)

    def text(self, start: int, end: int) -> str:
        return self.span(start, end).text

    def search(self, pattern: re.Pattern[str], start: int, end: int) -> bool:
        """Does the pattern occur in the original text of view tokens [start, end), or in their lemmas?"""
        if start >= end:
            return False
        found = self._found.get((pattern, start, end))
        if found is None:
            region = self._regions.get((start, end))
            if region is None:
                region = (compiled.normalise(self.text(start, end)),
                          " ".join(self.lemmas[start:end]))
                self._regions[(start, end)] = region
            found = self._found[(pattern, start, end)] = bool(pattern.search(region[0]) or pattern.search(region[1]))
        return found
