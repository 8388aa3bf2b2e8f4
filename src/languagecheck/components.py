"""spaCy pipeline components: segmenter, lemmatizer and lexicon matcher.

Add them to any blank English pipeline; findings land in doc.spans["languagecheck"], each span's
label is its category and `span._.languagecheck` holds the rule, severity, source and score.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, SpanGroup

from . import compiled
from .merge import priority, resolve_overlaps
from .nlp import _SPAN_EXTENSION, register_extensions
from .quotes import is_quoted, quoted_ranges

SPANS_KEY = "languagecheck"
QUOTE_POLICIES = ("info", "ignore", "flag")
register_extensions()


@Language.factory("languagecheck_segmenter")
class Segmenter:
    """Sentence boundaries at sentence punctuation and at line breaks (headed notes, lists)."""

    def __init__(self, nlp: Language, name: str):
        self.sentencizer = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        doc = self.sentencizer(doc)
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if "\n" in previous.whitespace_ or ("\n" in previous.text and previous.is_space):
                token.is_sent_start = True
        return doc


@Language.factory("languagecheck_lemmatizer", default_config={"lexicon": {}})
class LookupLemmatizer:
    """Case-insensitive lookup lemmas (spacy-lookups-data plus reviewed overrides).

    spaCy's lookup lemmatizer is case-sensitive and maps e.g. "putting" to "putt"; this one lower-cases
    first, applies lexicons/lemma_overrides.yaml, and carries only the forms the patterns can use.
    """

    def __init__(self, nlp: Language, name: str, lexicon: dict[str, Any]):
        self.lexicon = compiled.load(lexicon.get("packs"), lexicon.get("extra_packs"))

    def __call__(self, doc: Doc) -> Doc:
        lemma = self.lexicon.lemma
        for token in doc:
            token.lemma_ = lemma(token.lower_)
        return doc


@Language.factory("languagecheck_lexicon", default_config={"lexicon": {}})
class LexiconMatcher:
    """Match lexicon entries on lemmas, apply context requirements and exceptions, merge overlaps.

    `lexicon` config keys: packs, extra_packs, disabled (rule ids), severity ({rule: level}),
    allow (phrases never flagged), quotes ("info" | "ignore" | "flag").
    """

    def __init__(self, nlp: Language, name: str, lexicon: dict[str, Any]):
        self.lexicon = compiled.load(lexicon.get("packs"), lexicon.get("extra_packs"))
        self.disabled = set(lexicon.get("disabled") or ())
        self.severity = dict(lexicon.get("severity") or {})
        self.allow = {" ".join(p.lower().split()) for p in lexicon.get("allow") or ()}
        self.quotes = lexicon.get("quotes", "info")
        if self.quotes not in QUOTE_POLICIES:
            raise ValueError(f"quotes policy must be one of {QUOTE_POLICIES}")
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        by_rule: dict[str, list[Doc]] = {}
        for rule, lemmas in self.lexicon.phrase_patterns:
            if rule not in self.disabled:
                by_rule.setdefault(rule, []).append(Doc(nlp.vocab, words=list(lemmas), lemmas=list(lemmas)))
        for rule, docs in by_rule.items():
            self.phrase_matcher.add(rule, docs)
        self.token_matcher = Matcher(nlp.vocab)
        for rule, tokens in self.lexicon.token_patterns:
            if rule not in self.disabled:
                self.token_matcher.add(rule, [tokens])

    def __call__(self, doc: Doc) -> Doc:
        matches = list(self.phrase_matcher(doc))
        if len(self.token_matcher):
            matches += self.token_matcher(doc)
        quoted = quoted_ranges(doc.text) if matches else []
        candidates = []
        for match_id, start, end in matches:
            rule = doc.vocab.strings[match_id]
            span = doc[start:end]
            if self._suppressed(rule, span):
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
            candidates.append((span, entry.category, facts))
        kept = resolve_overlaps(
            candidates,
            bounds=lambda c: (c[0].start_char, c[0].end_char),
            rank=lambda c: priority(len(c[0]), c[2]["severity"], "lexicon", c[2]["score"]),
        )
        group = doc.spans.get(SPANS_KEY) or SpanGroup(doc, name=SPANS_KEY)
        for span, category, facts in kept:
            new = Span(doc, span.start, span.end, label=category, span_id=facts["rule"])
            new._.set(_SPAN_EXTENSION, facts)
            group.append(new)
        doc.spans[SPANS_KEY] = group
        return doc

    def _suppressed(self, rule: str, span: Span) -> bool:
        if " ".join(span.text.lower().split()) in self.allow:
            return True
        entry = self.lexicon.entries[rule]
        if entry.requires and not any(_context_matches(kind, window, rx, span)
                                      for kind, window, rx in entry.requires):
            return True
        return any(_context_matches(kind, window, rx, span) for kind, window, rx in entry.exceptions)


def _context_matches(kind: str, window: int, source: str, span: Span) -> bool:
    sent = span.sent
    doc = span.doc
    if kind == "before":
        region = doc[max(sent.start, span.start - window):span.start]
    elif kind == "after":
        region = doc[span.end:min(sent.end, span.end + window)]
    else:
        region = sent
    if not len(region):
        return False
    pattern = compiled.regex(source)
    return bool(pattern.search(region.text) or pattern.search(" ".join(t.lemma_ for t in region)))
