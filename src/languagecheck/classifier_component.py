"""spaCy component `languagecheck_classifier`: model spans merged into doc.spans["languagecheck"].

Runs after the lexicon matcher. Where the model agrees with a lexicon span, the lexicon's explanation
stays and its score rises; model-only spans borrow the message and suggestions of the closest lexicon
entry of the same category (cosine similarity of span embeddings from the fine-tuned encoder).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from .components import SPANS_KEY
from .nlp import _SPAN_EXTENSION

_MARK = re.compile(r"\[\[(.+?)\]\]")
MODEL_SEVERITY = "warning"


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
        self._entry_vectors: tuple[list[str], np.ndarray] | None = None

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
        from .categories import CATEGORIES
        from .suggest import render

        lexicon = self.nlp.get_pipe("languagecheck_lexicon").lexicon  # type: ignore[attr-defined]
        rule = f"model/{predicted.category}"
        ids, vectors = self._vectors(lexicon)
        same = [k for k, rid in enumerate(ids) if lexicon.entries[rid].category == predicted.category]
        if same and predicted.embedding is not None:
            sims = vectors[same] @ predicted.embedding
            entry = lexicon.entries[ids[same[int(np.argmax(sims))]]]
            return rule, f"{entry.message} (Similar to rule '{entry.id}'.)", render(entry.suggestions, span)
        return rule, CATEGORIES[predicted.category].why, []

    def _vectors(self, lexicon: Any) -> tuple[list[str], np.ndarray]:
        if self._entry_vectors is None:
            examples, ids = [], []
            for rid, entry in lexicon.entries.items():
                for marked in entry.flag_examples:
                    m = _MARK.search(marked)
                    if m:
                        text = marked[:m.start()] + m.group(1) + marked[m.end():]
                        examples.append((text, m.start(), m.start() + len(m.group(1))))
                        ids.append(rid)
            vectors = self.model.embed_spans(examples) if examples else np.zeros((0, 1))
            # one vector per entry: the normalised mean of its examples
            order = list(dict.fromkeys(ids))
            table = np.vstack([vectors[[k for k, r in enumerate(ids) if r == rid]].mean(axis=0) for rid in order]) \
                if order else np.zeros((0, 1))
            table /= np.linalg.norm(table, axis=1, keepdims=True).clip(min=1e-9)
            self._entry_vectors = (order, table)
        return self._entry_vectors
