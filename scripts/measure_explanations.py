#!/usr/bin/env python3
"""How often would a model-only finding borrow the right lexicon entry's explanation?

Leave-one-out over the lexicon's own flag examples: each marked phrase is treated as a model span of
its entry's category and matched (classifier_component.closest_entry rules: content-word stems,
same category) against every other flag example. Reported per overlap threshold: how many spans would
borrow an entry, and how often that entry is the one the example belongs to. Below the shipped
threshold (BORROW_OVERLAP) the finding is explained by its category's guidance instead.

The same measurement with span embeddings from the fine-tuned encoder (mean-pooled last hidden state,
nearest entry by cosine; removed in the commit that added this script) gave 13% at every threshold:
the encoder separates categories, not entries.

usage: python scripts/measure_explanations.py
"""
import re

from languagecheck import Scanner
from languagecheck.classifier_component import BORROW_OVERLAP, overlap, word_stems

MARK = re.compile(r"\[\[(.+?)\]\]")


def main() -> None:
    lexicon = Scanner(use_model=False).lexicon
    examples = [(rid, e.category, word_stems(m.group(1)))
                for rid, e in lexicon.entries.items() for marked in e.flag_examples
                if (m := MARK.search(marked))]
    best = []  # (overlap of the closest other example, is it the same entry)
    for i, (rid, category, stems) in enumerate(examples):
        others = [(overlap(stems, s), r) for j, (r, c, s) in enumerate(examples) if j != i and c == category]
        if not any(r == rid for _, r in others):
            continue  # the entry has no other example: nothing right to find
        score, chosen = max(others, key=lambda t: t[0])  # first best, as closest_entry keeps the first
        best.append((score, chosen == rid))
    print(f"{len(best)} flag examples whose entry has another example")
    print("threshold  borrowed  right entry")
    for tau in (0.0, 0.2, 0.4, BORROW_OVERLAP, 0.8, 1.0):
        kept = [ok for score, ok in best if score >= tau and score > 0]
        mark = "  <- shipped" if tau == BORROW_OVERLAP else ""
        print(f"{tau:9.2f}  {len(kept):8d}  {sum(kept) / max(len(kept), 1):11.1%}{mark}")


if __name__ == "__main__":
    main()
