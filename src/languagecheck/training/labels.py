"""Token labels of the classifier: BIO tags over the eight wording categories.

`risk-not-harm` is not a wording category: it depends on what else the record says, so the
context stage decides it.
"""

from ..categories import CATEGORY_IDS

MODEL_CATEGORIES = tuple(c for c in CATEGORY_IDS if c != "risk-not-harm")
LABELS = ("O", *[f"{p}-{c}" for c in MODEL_CATEGORIES for p in ("B", "I")])
LABEL_IDS = {label: i for i, label in enumerate(LABELS)}
MAX_LENGTH = 128
