"""spaCy component `languagecheck_classifier`: model spans merged into doc.spans["languagecheck"].

Runs after the lexicon matcher. Where the model agrees with a lexicon span, the lexicon's explanation
stays and its score rises. A model-only span borrows the message and suggestions of a lexicon entry of
the same category only when its words are close to one of that entry's flag examples (content-word
overlap >= BORROW_OVERLAP); otherwise it is explained by its category's guidance and alternatives.

Why not the nearest entry by embedding: measured leave-one-out on the lexicon's own flag examples
(scripts/measure_explanations.py), the fine-tuned encoder's span vectors pick the right entry for 13%
of examples (they separate categories, not entries), content-word overlap >= 0.6 for 51%, and a
wrong entry's message is worse than the category's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from .components import SPANS_KEY
from .nlp import _SPAN_EXTENSION

_MARK = re.compile(r"\[\[(.+?)\]\]")
_WORD = re.compile(r"[a-z']+")
_FUNCTION_WORDS = frozenset(
    "a an the to of in on at for with and or but is was were be been being are am has have had her his him "
    "she he they them their themselves herself himself it its this that by from as up out about into".split())
MODEL_SEVERITY = "warning"
BORROW_OVERLAP = 0.6  # Jaccard of content-word stems between the span and an entry's flag example


def word_stems(text: str) -> frozenset[str]:
    """Content words cut to 5 letters ("grooming"/"groomed" -> "groom"): a cheap, inflection-blind
    key for comparing a model span with lexicon examples (a lemmatizer would miss "groomer")."""
    return frozenset(w[:5] for w in _WORD.findall(text.lower()) if w not in _FUNCTION_WORDS and len(w) > 1)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def category_explanation(category: str) -> str:
    """The fallback message: the category's reason and its preferred alternatives from the guidance."""
    from .categories import CATEGORIES

    c = CATEGORIES[category]
    alternatives = "; ".join(f"'{a}'" for a in c.alternatives[:2])
    return f"The classifier reads this as {c.title.lower()}. {c.why} Instead, for example: {alternatives}."


@Language.factory("languagecheck_classifier",
                  default_config={"model_dir": None, "device": "cpu", "batch_size": 32, "threads": 0})
class ClassifierComponent:
    def __init__(self, nlp: Language, name: str, model_dir: str | None, device: str, batch_size: int,
                 threads: int):
        from .classifier import default_model_dir

        self.nlp = nlp
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        self.device = device
        self.batch_size = batch_size
        self.threads = threads or None
        self._model: Any = None
        self._example_stems: list[tuple[str, frozenset[str]]] | None = None

    @property
    def model(self) -> Any:
        if self._model is None:  # loaded on first use, so building a pipeline stays cheap
            from .classifier import OnnxClassifier

            self._model = OnnxClassifier(self.model_dir, self.device, self.threads)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Any, batch_size: int = 64) -> Any:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._process(batch)
                batch = []
        if batch:
            yield from self._process(batch)

    def _process(self, docs: list[Doc]) -> list[Doc]:
        triples, owners = [], []
        for d, doc in enumerate(docs):
            sents = [s for s in doc.sents if s.text.strip()]
            for i, s in enumerate(sents):
                following = sents[i + 1].text if i + 1 < len(sents) else ""
                triples.append((s.text, sents[i - 1].text if i else "", following))
                owners.append((d, s.start_char))
        if not triples:
            return docs
        predictions = self.model.predict(triples, batch_size=self.batch_size)
        for (d, offset), spans in zip(owners, predictions):
            for span in spans:
                self._merge(docs[d], offset + span.start, offset + span.end, span)
        return docs

    def _merge(self, doc: Doc, start: int, end: int, predicted: Any) -> None:
        group = doc.spans.get(SPANS_KEY) or SpanGroup(doc, name=SPANS_KEY)
        for existing in group:
            if existing.start_char < end and start < existing.end_char:
                facts = existing._.get(_SPAN_EXTENSION)
                if existing.label_ == predicted.category and facts is not None:
                    facts["score"] = round(1 - (1 - facts["score"]) * (1 - predicted.score), 4)
                    facts["model_score"] = round(predicted.score, 4)
                return  # one finding per span: an existing finding keeps its explanation
        span = doc.char_span(start, end, label=predicted.category, alignment_mode="expand")
        if span is None or not span.text.strip():
            return
        rule, message, suggestions = self._explain(span, predicted)
        new = Span(doc, span.start, span.end, label=predicted.category, span_id=rule)
        new._.set(_SPAN_EXTENSION, {"rule": rule, "severity": MODEL_SEVERITY, "source": "model",
                                     "score": round(predicted.score, 4), "message": message,
                                     "suggestions": suggestions})
        group.append(new)
        doc.spans[SPANS_KEY] = group

    def _explain(self, span: Span, predicted: Any) -> tuple[str, str, list[str]]:
        from .suggest import render

        lexicon = self.nlp.get_pipe("languagecheck_lexicon").lexicon  # type: ignore[attr-defined]
        rule = f"model/{predicted.category}"
        entry = closest_entry(lexicon, self._stems(lexicon), span.text, predicted.category)
        if entry is not None:
            return rule, f"{entry.message} (Close to rule '{entry.id}'.)", render(entry.suggestions, span)
        return rule, category_explanation(predicted.category), []

    def _stems(self, lexicon: Any) -> list[tuple[str, frozenset[str]]]:
        if self._example_stems is None:
            self._example_stems = example_stems(lexicon)
        return self._example_stems


def example_stems(lexicon: Any) -> list[tuple[str, frozenset[str]]]:
    """(entry id, stems of the marked words) for every lexicon flag example."""
    rows = []
    for rid, entry in lexicon.entries.items():
        for marked in entry.flag_examples:
            m = _MARK.search(marked)
            if m:
                rows.append((rid, word_stems(m.group(1))))
    return rows


def closest_entry(lexicon: Any, examples: list[tuple[str, frozenset[str]]], text: str, category: str) -> Any:
    """The entry of `category` whose flag example shares most content words with `text`, if close enough."""
    words = word_stems(text)
    best, best_score = None, BORROW_OVERLAP
    for rid, stems in examples:
        if lexicon.entries[rid].category == category:
            score = overlap(words, stems)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = rid, score
    return lexicon.entries[best] if best is not None else None
