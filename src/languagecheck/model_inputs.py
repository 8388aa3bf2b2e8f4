"""Pieces shared by training and run time that must not import torch."""


def context_of(previous: str, following: str) -> str:
    """The second segment of a model input: the neighbouring sentences."""
    return f"{previous} {following}".strip() or "."
