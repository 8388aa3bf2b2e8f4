"""Corpus building, fine-tuning, export and evaluation of the classifier (needs the `train` extra)."""
