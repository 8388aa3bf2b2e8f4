#!/usr/bin/env python3
"""Rebuild data/corpus.jsonl from data/notes and data/templated, and print the datasheet's count tables."""

from pathlib import Path

from languagecheck.nlp import build_pipeline
from languagecheck.training.corpus import build, load_notes, sentences, statistics

if __name__ == "__main__":
    data = Path(__file__).resolve().parents[1] / "data"
    report = build(data)
    print(f"built {report['notes']} notes; dropped as near-duplicates: {report['dropped_near_duplicates']}\n")
    notes = load_notes(data)
    print(statistics(notes, sentences(notes, build_pipeline(), data)))
