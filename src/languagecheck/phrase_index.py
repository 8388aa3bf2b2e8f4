"""A precompiled lemma-sequence index: the lexicon's phrase matching without spaCy's PhraseMatcher.

Hand-written because building a PhraseMatcher means making one pattern Doc per phrase (~12k) in every
process, which cost more than spaCy's own start-up; this index is built once and pickled with the
compiled lexicon. It finds exactly what `PhraseMatcher(attr="LEMMA")` finds (every match, nested and
overlapping ones included), in the same order: by start, then end, then (for rules sharing a lemma
sequence) the order the PhraseMatcher's hash map gives them, which decides ties between equally
ranked findings (tests/test_phrase_index.py).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class PhraseIndex:
    # first lemma -> the pattern lengths that start with it, shortest first
    lengths: dict[str, tuple[int, ...]]
    # lemma sequence (a one-lemma pattern: the lemma itself) -> rule ids, in the order they were added
    rules: dict[str | tuple[str, ...], tuple[str, ...]]

    def __len__(self) -> int:
        return sum(map(len, self.rules.values()))

    def matches(self, lemmas: list[str], disabled: frozenset[str] | set[str] = frozenset()
                ) -> list[tuple[str, int, int]]:
        """(rule, start, end) for every pattern occurring in this lemma sequence."""
        lengths, rules = self.lengths, self.rules
        n = len(lemmas)
        out = []
        for start, lemma in enumerate(lemmas):
            found = lengths.get(lemma)
            if found is None:
                continue
            for length in found:
                end = start + length
                if end > n:
                    break
                hit = rules.get(lemma if length == 1 else tuple(lemmas[start:end]))
                if hit is not None:
                    out += [(rule, start, end) for rule in hit if rule not in disabled]
        return out


def build(patterns: Iterable[tuple[str, tuple[str, ...]]]) -> PhraseIndex:
    """The index of (rule, lemma sequence) patterns; a repeated (rule, sequence) counts once."""
    rules: dict[tuple[str, ...], list[str]] = {}
    lengths: dict[str, set[int]] = {}
    for rule, lemmas in patterns:
        if not lemmas:
            continue
        lemmas = tuple(sys.intern(lemma) for lemma in lemmas)  # one string object per lemma in the pickle
        rule = sys.intern(rule)
        listed = rules.setdefault(lemmas, [])
        if rule not in listed:
            listed.append(rule)
        lengths.setdefault(lemmas[0], set()).add(len(lemmas))
    # one-lemma patterns are looked up by the lemma itself: no tuple to build per token
    shared = {lemmas: listed for lemmas, listed in rules.items() if len(listed) > 1}
    if shared:
        rules.update(phrase_matcher_order(shared))
    keyed: dict[str | tuple[str, ...], tuple[str, ...]] = {}
    for lemmas, listed in rules.items():
        keyed[lemmas[0] if len(lemmas) == 1 else lemmas] = tuple(listed)
    return PhraseIndex(lengths={k: tuple(sorted(v)) for k, v in lengths.items()}, rules=keyed)


def phrase_matcher_order(shared: dict[tuple[str, ...], list[str]]) -> dict[tuple[str, ...], list[str]]:
    """The order spaCy's PhraseMatcher reports rules that share a lemma sequence (its hash-map order).

    Each sequence's rules go into a PhraseMatcher of their own, in the order given (the order the
    lexicon matcher used to add them), which fills that sequence's terminal map exactly as before.
    Runs at compile time only.
    """
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    vocab = Vocab()
    out = {}
    for lemmas, listed in shared.items():
        matcher = PhraseMatcher(vocab, attr="LEMMA")
        pattern = Doc(vocab, words=list(lemmas), lemmas=list(lemmas))
        for rule in listed:
            matcher.add(rule, [pattern])
        found = [vocab.strings[m] for m, _, _ in matcher(pattern)]
        out[lemmas] = found if sorted(found) == sorted(listed) else listed
    return out
