"""Resolve overlapping spans: one finding per stretch of text, the longest/most specific wins."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .finding import SEVERITY_RANK

T = TypeVar("T")
SOURCE_RANK = {"lexicon": 3, "context": 2, "model": 1}


def priority(length: int, severity: str, source: str, score: float) -> tuple[Any, ...]:
    return (length, SEVERITY_RANK.get(severity, 0), SOURCE_RANK.get(source, 0), score)


def resolve_overlaps(items: Iterable[T], bounds: Callable[[T], tuple[int, int]],
                     rank: Callable[[T], tuple[Any, ...]]) -> list[T]:
    """Greedy: take items best-first, drop any that overlaps one already taken; return in text order."""
    taken: list[T] = []
    occupied: list[tuple[int, int]] = []
    for item in sorted(items, key=lambda i: (tuple(-x if isinstance(x, (int, float)) else x for x in rank(i)),
                                             bounds(i))):
        start, end = bounds(item)
        if all(end <= s or start >= e for s, e in occupied):
            taken.append(item)
            occupied.append((start, end))
    return sorted(taken, key=bounds)
