"""Evaluation metrics, defined once for every system (lexicon, model, combined, baseline).

Spans are dicts or objects with start, end, category/label. A predicted span is correct when it
overlaps a gold span of the same category; a gold span is found when some correct prediction
overlaps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _cat(span: Any) -> str:
    if isinstance(span, dict):
        return span.get("category") or span["label"]
    return getattr(span, "category", None) or span.label


def _bounds(span: Any) -> tuple[int, int]:
    return (span["start"], span["end"]) if isinstance(span, dict) else (span.start, span.end)


def _overlap(a: Any, b: Any) -> bool:
    (s1, e1), (s2, e2) = _bounds(a), _bounds(b)
    return s1 < e2 and s2 < e1 and _cat(a) == _cat(b)


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "predicted": n_pred, "gold": n_gold}


def span_prf(predicted: Sequence[Sequence[Any]], gold: Sequence[Any], category: str | None = None) -> dict[str, float]:
    """predicted[i] are the spans for item i; gold[i].spans (or gold[i] itself) its gold spans."""
    tp_pred = n_pred = tp_gold = n_gold = 0
    for preds, item in zip(predicted, gold):
        golds = item.spans if hasattr(item, "spans") else item
        if category:
            preds = [p for p in preds if _cat(p) == category]
            golds = [g for g in golds if _cat(g) == category]
        n_pred += len(preds)
        n_gold += len(golds)
        tp_pred += sum(any(_overlap(p, g) for g in golds) for p in preds)
        tp_gold += sum(any(_overlap(p, g) for p in preds) for g in golds)
    return prf(tp_pred, n_pred, tp_gold, n_gold)


def sentence_prf(predicted_any: Sequence[bool], gold_any: Sequence[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(predicted_any, gold_any))
    return prf(tp, sum(predicted_any), tp, sum(gold_any))


def false_positive_rate(predicted_any: Sequence[bool], hard_negative: Sequence[bool]) -> float:
    flagged = [p for p, h in zip(predicted_any, hard_negative) if h]
    return sum(flagged) / len(flagged) if flagged else 0.0
