"""spaCy component `languagecheck_context`: risk wording about a child whose harm is already recorded.

Runs after the lexicon matcher. Per document it collects harm evidence (lexicons/context/
harm-evidence.yaml) and risk wording (risk-phrases.yaml), each sentence by sentence with its
exceptions; when both are present, each risk phrase becomes a `risk-not-harm` span whose message
cites the harm evidence by line and a short excerpt of the note. Evidence from earlier notes of
the same case can be passed in (`annotate(doc, prior=...)`, used by Scanner.scan_group).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from . import context_rules
from .components import QUOTE_POLICIES, SPANS_KEY
from .finding import Evidence, line_and_column
from .merge import priority, resolve_overlaps
from .nlp import _SPAN_EXTENSION, register_extensions
from .quotes import is_quoted, quoted_ranges

CATEGORY = "risk-not-harm"
SOURCE = "context"
HARM_ATTR = "languagecheck_harm"  # doc._.languagecheck_harm: harm evidence (None until needed: see harm_of)
RISK_ATTR = "languagecheck_risk"  # doc._.languagecheck_risk: risk wording that passed its exceptions
EXCERPT_CHARS = 80
MAX_EVIDENCE = 3
ELLIPSIS = "\u2026"
_LINE_BREAK = re.compile(r"[\r\n]+")
TOOL_OUTPUT_NOTE = ("The note also states a risk of further harm, so the grade is informational here; keep it, "
                    "but never as the only description of the child.")

register_extensions()
for _attr in (HARM_ATTR, RISK_ATTR):
    if not Doc.has_extension(_attr):
        Doc.set_extension(_attr, default=None)


def excerpt(sentence: str, start: int, end: int, limit: int = EXCERPT_CHARS) -> str:
    """A piece of `sentence` of at most `limit` characters around [start, end), cut at spaces.

    A sentence wrapped over several lines is shown on one line (line breaks become spaces).
    """
    sentence = _LINE_BREAK.sub(lambda m: " " * len(m.group()), sentence)  # same length: offsets hold
    text = sentence.strip()
    offset = len(sentence) - len(sentence.lstrip())
    start, end = max(0, start - offset), max(0, end - offset)
    if len(text) <= limit:
        return text
    budget = limit - 2  # room for an ellipsis at each end
    if end - start >= budget:
        return text[start:start + budget].rstrip() + ELLIPSIS
    left, right = start, end
    while True:  # grow one word at a time, alternating, while it fits
        grown = False
        if left > 0:
            new_left = text.rfind(" ", 0, left - 1) + 1
            if right - new_left <= budget:
                left, grown = new_left, True
        if right < len(text):
            new_right = text.find(" ", right + 1)
            new_right = len(text) if new_right == -1 else new_right
            if new_right - left <= budget:
                right, grown = new_right, True
        if not grown:
            break
    return (ELLIPSIS if left > 0 else "") + text[left:right].strip() + (ELLIPSIS if right < len(text) else "")


@Language.factory("languagecheck_context", default_config={"lexicon": {}, "context_dir": None})
class ContextStage:
    """Pair risk wording with harm evidence about the same child; write risk-not-harm spans.

    `lexicon` config keys used: disabled (family ids), severity ({family: level}), allow (phrases),
    quotes ("info" | "ignore" | "flag"), as for the lexicon matcher. `context_dir` overrides
    lexicons/context/.
    """

    def __init__(self, nlp: Language, name: str, lexicon: dict[str, Any], context_dir: str | None):
        self.rules = context_rules.load(context_dir)
        self.disabled = set(lexicon.get("disabled") or ())
        self.severity = dict(lexicon.get("severity") or {})
        self.allow = {" ".join(p.lower().split()) for p in lexicon.get("allow") or ()}
        self.quotes = lexicon.get("quotes", "info")
        if self.quotes not in QUOTE_POLICIES:
            raise ValueError(f"quotes policy must be one of {QUOTE_POLICIES}")
        self._harm = {r.id: r for r in self.rules.harm}
        self._risk = {r.id: r for r in self.rules.risk}

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(HARM_ATTR, None)
        if not self.rules.may_have_risk(doc.text):  # most notes: no risk word at all, nothing to pair
            doc._.set(RISK_ATTR, [])
            return doc
        sentences = _sentences(doc)
        risk = self.risk_wording(doc, sentences)
        doc._.set(RISK_ATTR, risk)
        if risk:  # most notes have no risk wording: their harm evidence is found only if a case needs it
            doc._.set(HARM_ATTR, self.harm_evidence(doc, sentences))
            self.annotate(doc)
        return doc

    # --- what the document says -------------------------------------------------------------------

    def harm_of(self, doc: Doc) -> list[dict[str, Any]]:
        """This document's harm evidence, found now if the pipeline has not needed it yet."""
        harm = doc._.get(HARM_ATTR)
        if harm is None:
            harm = self.harm_evidence(doc)
            doc._.set(HARM_ATTR, harm)
        return list(harm)

    def harm_evidence(self, doc: Doc, sentences: list[tuple[int, str]] | None = None) -> list[dict[str, Any]]:
        """Harm evidence in reading order: family, offsets, line and a short excerpt of the sentence."""
        found = []
        for offset, text in sentences if sentences is not None else _sentences(doc):
            for m in context_rules.find_harm(self.rules, text):
                if m.family in self.disabled:
                    continue
                start = offset + m.start
                found.append({"family": m.family, "start": start, "end": offset + m.end, "sentence": offset,
                              "line": line_and_column(doc.text, start)[0],
                              "excerpt": excerpt(text, m.start, m.end), "document": None,
                              "score": self._harm[m.family].score})
        return found

    def risk_wording(self, doc: Doc, sentences: list[tuple[int, str]] | None = None) -> list[dict[str, Any]]:
        """Risk phrases that no exception covers: family and character offsets."""
        found = []
        for offset, text in sentences if sentences is not None else _sentences(doc):
            for m in context_rules.find_risk(self.rules, text):
                start, end = offset + m.start, offset + m.end
                if m.family in self.disabled or " ".join(doc.text[start:end].lower().split()) in self.allow:
                    continue
                found.append({"family": m.family, "start": start, "end": end})
        return found

    # --- findings -------------------------------------------------------------------------------

    def annotate(self, doc: Doc, prior: list[dict[str, Any]] | tuple[()] = ()) -> Doc:
        """(Re)write this document's context spans from its own evidence plus `prior` (earlier notes)."""
        risk = doc._.get(RISK_ATTR)
        if risk is None:
            risk = self.risk_wording(doc)
            doc._.set(RISK_ATTR, risk)
        if not risk:
            return doc
        evidence = self.harm_of(doc) + list(prior)
        quoted = quoted_ranges(doc.text) if risk else []
        only_scores = not any(self._risk[r["family"]].no_harm_message is None for r in risk)
        judged = bool(self.rules.judgement and self.rules.judgement.search(doc.text))
        stated = bool(self.rules.further_harm and self.rules.further_harm.search(doc.text))
        candidates = []
        for r in risk:
            rule = self._risk[r["family"]]
            facts: dict[str, Any] | None = None
            if evidence:
                cited = _cite(evidence, r["start"])
                facts = {"rule": rule.id, "severity": self.severity.get(rule.id, rule.severity),
                         "source": SOURCE, "score": round(rule.score * cited[0]["score"], 3),
                         "message": f"{rule.message} {_evidence(cited[0]).cite()}",
                         "suggestions": list(rule.suggestions),
                         "evidence": [{k: e[k] for k in ("line", "excerpt", "document", "family")} for e in cited],
                         "quoted": False}
                if rule.tool_output and stated:  # TERMS.md 3.6: a grade next to the harm is informational
                    facts.update(severity="info", message=f"{facts['message']} {TOOL_OUTPUT_NOTE}")
            elif rule.no_harm_message and only_scores and not judged:
                facts = {"rule": rule.id, "severity": "info", "source": SOURCE, "score": round(rule.score * 0.5, 3),
                         "message": rule.no_harm_message, "suggestions": [], "evidence": [], "quoted": False}
            if facts is None:
                continue
            if is_quoted(r["start"], r["end"], quoted):
                if self.quotes == "ignore":
                    continue
                if self.quotes == "info":
                    facts.update(severity="info", quoted=True, score=round(facts["score"] * 0.5, 3))
            span = doc.char_span(r["start"], r["end"], label=CATEGORY, alignment_mode="expand")
            if span is not None:
                candidates.append((span, facts))
        self._write(doc, candidates)
        return doc

    def _write(self, doc: Doc, candidates: list[tuple[Span, dict[str, Any]]]) -> None:
        existing = [(sp, sp._.get(_SPAN_EXTENSION) or {}) for sp in doc.spans.get(SPANS_KEY, [])]
        existing = [(sp, f) for sp, f in existing if f.get("source") != SOURCE]  # annotate() may run twice
        new = []
        for span, facts in candidates:
            made = Span(doc, span.start, span.end, label=CATEGORY, span_id=facts["rule"])
            made._.set(_SPAN_EXTENSION, facts)
            new.append((made, facts))
        kept = resolve_overlaps(
            existing + new,
            bounds=lambda c: (c[0].start_char, c[0].end_char),
            rank=lambda c: priority(len(c[0]), c[1].get("severity", "warning"), c[1].get("source", "lexicon"),
                                    c[1].get("score", 0.0)),
        )
        doc.spans[SPANS_KEY] = SpanGroup(doc, name=SPANS_KEY, spans=[sp for sp, _ in kept])


def _sentences(doc: Doc) -> list[tuple[int, str]]:
    return [(s.start_char, s.text) for s in doc.sents if s.text.strip()]


def _cite(evidence: list[dict[str, Any]], position: int) -> list[dict[str, Any]]:
    """Evidence to cite for risk wording at `position`: this note's nearest first, then earlier notes."""
    own = [e for e in evidence if e["document"] is None]
    earlier = [e for e in evidence if e["document"] is not None]
    # the nearest sentence before the risk wording, and in it the first evidence (it reads best)
    own.sort(key=lambda e: (e["sentence"] > position, abs(e["sentence"] - position), e["start"]))
    seen, out = set(), []
    for e in own + earlier:
        key = (e["document"], e["line"])
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out[:MAX_EVIDENCE]


def _evidence(e: dict[str, Any]) -> Evidence:
    return Evidence(line=e["line"], excerpt=e["excerpt"], document=e["document"], family=e["family"])
