"""The public entry point: Scanner(config, use_model).scan(text) -> list[Finding]."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .config import Config
from .finding import Finding, evidences_from

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
        self._allow_context_families()
        self.model_status = "not requested"
        if use_model:
            from .model_loading import add_classifier

            self.model_status = add_classifier(self.nlp, self.config, require_model=require_model,
                                               device=device, threads=threads)

    def _allow_context_families(self) -> None:
        """`allow` items that name context families switch those families off (the lexicon matcher does
        the same for its own rule ids; any other item is a phrase)."""
        if "languagecheck_context" not in self.nlp.pipe_names or not self.config.allow:
            return
        context = self.nlp.get_pipe("languagecheck_context")
        rules = getattr(context, "rules", None)
        families = {r.id for r in (*getattr(rules, "risk", ()), *getattr(rules, "harm", ()))}
        context.disabled = set(context.disabled) | (families & set(self.config.allow))

    def rule_descriptions(self) -> dict[str, dict[str, str]]:
        """rule id -> {category, message} for every rule this scanner can report (SARIF rule table)."""
        from .categories import CATEGORIES

        rules = {rid: {"category": e.category, "message": e.message} for rid, e in self.lexicon.entries.items()}
        if "languagecheck_context" in self.nlp.pipe_names:
            for family in self.nlp.get_pipe("languagecheck_context").rules.risk:
                rules[family.id] = {"category": "risk-not-harm", "message": family.message}
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
            yield DocumentResult(findings=findings, path=item.path, id=item.id, sentences=sentences_of(doc, findings))

    def scan_group(self, documents: Iterable[Any], batch_size: int = 64) -> list[Any]:
        """DocumentResults for the notes of one case, in order: harm recorded in an earlier note makes
        risk-only wording in a later note a risk-not-harm finding, citing "note <id>, line N"."""
        items = list(documents)
        return self.scan_grouped(items, key=lambda _item: 0, batch_size=batch_size)

    def scan_grouped(self, documents: Iterable[Any], key: str | Callable[[Any], Any],
                     order_by: str | None = None, batch_size: int = 64) -> list[Any]:
        """DocumentResults in input order, where the notes sharing a case are read as one record.

        `key` is a metadata column (Document.meta[key], e.g. a case id) or a function of the Document;
        documents with no value are read alone. Within a case, notes count in input order, or sorted
        by the metadata column `order_by` (e.g. a date). Holds the processed documents in memory.
        """
        from .documents import Document
        from .results import DocumentResult

        items = list(documents)
        get = key if callable(key) else (lambda d: d.meta.get(key))
        docs = iter(self.nlp.pipe((d.text for d in items if isinstance(d, Document)), batch_size=batch_size))
        processed: dict[int, Any] = {}
        groups: dict[Any, list[int]] = {}
        results: list[Any] = [None] * len(items)
        for n, item in enumerate(items):
            if not isinstance(item, Document):
                results[n] = DocumentResult(path=getattr(item, "path", None), error=str(item), state="failed")
                continue
            processed[n] = next(docs)
            value = get(item)
            groups.setdefault(("alone", n) if value is None or value == "" else ("case", value), []).append(n)
        context = self.nlp.get_pipe("languagecheck_context") if "languagecheck_context" in self.nlp.pipe_names \
            else None
        for members in groups.values():
            if order_by:
                members = sorted(members, key=lambda n: order_key(items[n].meta.get(order_by)))
            prior: list[dict[str, Any]] = []
            for n in members:
                doc, item = processed.pop(n), items[n]
                if context is not None and prior:
                    context.annotate(doc, prior)
                findings = findings_from_doc(doc, self.lexicon)
                sentences = [doc.char_span(f.start, f.end, alignment_mode="expand").sent.text for f in findings]
                results[n] = DocumentResult(findings=findings, path=item.path, id=item.id, sentences=sentences)
                if context is not None:
                    name = item.id or item.path or f"#{n + 1}"
                    prior += [{**e, "document": name} for e in context.harm_of(doc)]
        return results

    def docs(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Any]:
        """The processed spaCy Docs, e.g. for displacy.render(doc, style="span", options={"spans_key": ...})."""
        return self.nlp.pipe(texts, batch_size=batch_size)


def order_key(value: Any) -> tuple[int, Any]:
    """Numbers in numeric order, then text (ISO dates sort as text), then missing values."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value)) if value not in (None, "") else (2, "")


def sentences_of(doc: Any, findings: list[Finding]) -> list[str]:
    """The text of the sentence holding each finding (for baselines)."""
    from .components import sentence_bounds

    out = []
    for f in findings:
        start, end = sentence_bounds(doc, doc.char_span(f.start, f.end, alignment_mode="expand").start)
        out.append(doc[start:end].text)
    return out


def findings_from_doc(doc: Any, lexicon: Any) -> list[Finding]:
    from .components import SPANS_KEY
    from .nlp import _SPAN_EXTENSION
    from .suggest import render

    findings = []
    text = doc.text  # rebuilt by spaCy on every access
    line, counted, line_start = 1, 0, 0  # counted incrementally: a long note may have many findings
    for span in sorted(doc.spans.get(SPANS_KEY, []), key=lambda sp: (sp.start_char, sp.end_char)):
        facts = span._.get(_SPAN_EXTENSION) or {}
        if facts.get("source", "lexicon") == "lexicon":
            entry = lexicon.entries[facts["rule"]]
            message = entry.message + (QUOTED_NOTE if facts.get("quoted") else "")
            suggestions = tuple(render(entry.suggestions, span, text))
        else:
            message = facts["message"]
            suggestions = tuple(facts.get("suggestions", ()))
        line += text.count("\n", counted, span.start_char)
        line_start = text.rfind("\n", counted, span.start_char) + 1 or line_start
        counted = span.start_char
        column = span.start_char - line_start + 1
        findings.append(Finding(
            start=span.start_char, end=span.end_char, text=span.text, line=line, column=column,
            category=span.label_, rule=facts["rule"], severity=facts["severity"], source=facts["source"],
            score=float(facts["score"]), message=message, suggestions=suggestions,
            evidence=evidences_from(facts.get("evidence")),
        ))
    return findings
