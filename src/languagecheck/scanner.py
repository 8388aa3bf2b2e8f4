"""The public entry point: Scanner(config, use_model).scan(text) -> list[Finding]."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from .config import Config
from .finding import Finding, line_and_column

log = logging.getLogger("languagecheck")

QUOTED_NOTE = (" These words are inside quotation marks: if they are the child's own words, recording them is "
               "good practice; make sure the note's own analysis does not adopt them.")


class Scanner:
    """Runs the pipeline (segment -> lemmas -> lexicon -> context -> classifier) and returns findings."""

    def __init__(self, config: Config | None = None, use_model: bool = True, require_model: bool = False,
                 device: str = "cpu", threads: int = 0):
        from .nlp import build_pipeline

        self.config = config or Config()
        self.nlp = build_pipeline(self.config.lexicon_config())
        self.lexicon = self.nlp.get_pipe("languagecheck_lexicon").lexicon
        self.model_status = "not requested"
        if use_model:
            from .model_loading import add_classifier

            self.model_status = add_classifier(self.nlp, self.config, require_model=require_model,
                                               device=device, threads=threads)

    def rule_descriptions(self) -> dict[str, dict[str, str]]:
        """rule id -> {category, message} for every rule this scanner can report (SARIF rule table)."""
        from .categories import CATEGORIES

        rules = {rid: {"category": e.category, "message": e.message} for rid, e in self.lexicon.entries.items()}
        for cid, category in CATEGORIES.items():
            for source in ("model", "context"):
                rules[f"{source}/{cid}"] = {"category": cid, "message": category.why}
        return rules

    def scan(self, text: str) -> list[Finding]:
        return findings_from_doc(self.nlp(text), self.lexicon)

    def scan_many(self, texts: Iterable[str], batch_size: int = 64) -> list[list[Finding]]:
        return list(self.iter_scan(texts, batch_size=batch_size))

    def iter_scan(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[list[Finding]]:
        """Findings per text, in input order, streaming (nlp.pipe keeps order)."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield findings_from_doc(doc, self.lexicon)

    def scan_documents(self, documents: Iterable[Any], batch_size: int = 64) -> Iterator[Any]:
        """DocumentResults in input order for Documents (scanned) and InputErrors (failed)."""
        from .documents import Document
        from .results import DocumentResult

        items = list(documents) if not isinstance(documents, list) else documents
        texts = (d.text for d in items if isinstance(d, Document))
        docs = self.nlp.pipe(texts, batch_size=batch_size)
        for item in items:
            if not isinstance(item, Document):
                yield DocumentResult(path=getattr(item, "path", None), error=str(item), state="failed")
                continue
            doc = next(docs)
            findings = findings_from_doc(doc, self.lexicon)
            sentences = [doc.char_span(f.start, f.end, alignment_mode="expand").sent.text for f in findings]
            yield DocumentResult(findings=findings, path=item.path, id=item.id, sentences=sentences)

    def docs(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Any]:
        """The processed spaCy Docs, e.g. for displacy.render(doc, style="span", options={"spans_key": ...})."""
        return self.nlp.pipe(texts, batch_size=batch_size)


def findings_from_doc(doc: Any, lexicon: Any) -> list[Finding]:
    from .components import SPANS_KEY
    from .nlp import _SPAN_EXTENSION
    from .suggest import render

    findings = []
    for span in sorted(doc.spans.get(SPANS_KEY, []), key=lambda sp: (sp.start_char, sp.end_char)):
        facts = span._.get(_SPAN_EXTENSION) or {}
        if facts.get("source", "lexicon") == "lexicon":
            entry = lexicon.entries[facts["rule"]]
            message = entry.message + (QUOTED_NOTE if facts.get("quoted") else "")
            suggestions = tuple(render(entry.suggestions, span))
        else:
            message = facts["message"]
            suggestions = tuple(facts.get("suggestions", ()))
        line, column = line_and_column(doc.text, span.start_char)
        findings.append(Finding(
            start=span.start_char, end=span.end_char, text=span.text, line=line, column=column,
            category=span.label_, rule=facts["rule"], severity=facts["severity"], source=facts["source"],
            score=float(facts["score"]), message=message, suggestions=suggestions,
        ))
    return findings
