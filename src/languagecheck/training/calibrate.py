"""Turn token probabilities into spans and pick per-category thresholds on the dev split."""

from __future__ import annotations

from typing import Any

from ..classifier import ModelSpan, decode_spans
from .labels import MODEL_CATEGORIES
from .metrics import span_prf


def spans_for_items(probs: list[Any], items: list[Any], labels: tuple[str, ...] | list[str],
                    thresholds: dict[str, float]) -> list[list[ModelSpan]]:
    out = []
    for (p, offsets, seq_ids), item in zip(probs, items):
        inside = [s == 0 for s in seq_ids]
        out.append(decode_spans(p, [tuple(o) for o in offsets], inside, item.text, list(labels),
                                thresholds or dict.fromkeys(MODEL_CATEGORIES, 0.0)))
    return out


def calibrate_thresholds(probs: list[Any], items: list[Any], labels: tuple[str, ...] | list[str],
                         min_precision: float) -> dict[str, float]:
    """Per category: the threshold with the best F1 among those reaching min_precision on dev.

    When no threshold reaches the precision floor, the one with the highest precision is used (the
    model card reports these categories).
    """
    candidates = spans_for_items(probs, items, labels, {})
    thresholds = {}
    for category in MODEL_CATEGORIES:
        best, best_key = 0.5, (-1.0, -1.0)
        for t in [x / 100 for x in range(30, 100, 2)]:
            kept = [[s for s in spans if s.category == category and s.score >= t] for spans in candidates]
            m = span_prf(kept, items, category)
            if not m["predicted"]:
                continue
            key = (m["f1"], m["precision"]) if m["precision"] >= min_precision else (-1.0, m["precision"])
            if key > best_key:
                best, best_key = t, key
        thresholds[category] = best
    return thresholds
