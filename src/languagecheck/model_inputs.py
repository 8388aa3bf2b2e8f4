"""Pieces shared by training and run time that must not import torch."""


CONTEXTS = ("neighbours", "none")  # what a model reads besides the sentence (its metadata's "context")


def context_of(previous: str, following: str, context: str = "neighbours") -> str:
    """The second segment of a model input: the neighbouring sentences, or "." for a model that reads
    the sentence alone (about a third of the tokens, so about three times as fast)."""
    if context == "none":
        return "."
    return f"{previous} {following}".strip() or "."
