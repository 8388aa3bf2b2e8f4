"""Turn sentence items into model inputs: the sentence, then its neighbours as the second segment."""

from __future__ import annotations

from typing import Any

from ..model_inputs import context_of
from .labels import LABEL_IDS, MAX_LENGTH
from .labels import MODEL_CATEGORIES as _CATS


def encode(tokenizer: Any, items: list[Any], with_labels: bool = True, context: str = "neighbours") -> Any:
    """Tokenise (sentence, context) pairs; labels only on the sentence's own tokens (-100 elsewhere)."""
    enc = tokenizer([i.text for i in items], [context_of(i.previous, i.next, context) for i in items],
                    truncation="only_second", max_length=MAX_LENGTH, return_offsets_mapping=True)
    if not with_labels:
        return enc
    all_labels = []
    for k, item in enumerate(items):
        seq_ids = enc.sequence_ids(k)
        labels = []
        for (start, end), seq in zip(enc["offset_mapping"][k], seq_ids):
            if seq != 0 or start == end:
                labels.append(-100)
                continue
            label = "O"
            for span in item.spans:
                if start < span["end"] and end > span["start"] and span["label"] in _CATS:
                    label = ("B-" if start <= span["start"] else "I-") + span["label"]
                    break
            labels.append(LABEL_IDS[label])
        all_labels.append(labels)
    enc["labels"] = all_labels
    return enc

