"""Build data/corpus.jsonl from the annotated notes: strip markup, deduplicate, assign fixed splits.

Splits come from a stable hash of the note id, so adding notes never moves an existing note to
another split, and the test split is never re-shuffled.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPAN = re.compile(r"\[\[(.+?)\|\|([a-z-]+)\]\]", re.DOTALL)
DATA_DIR = Path(__file__).resolve().parents[3] / "data"
SPLITS = (("train", 70), ("dev", 15), ("test", 15))


def split_of(note_id: str) -> str:
    bucket = int(hashlib.sha256(note_id.encode()).hexdigest()[:8], 16) % 100
    edge = 0
    for name, share in SPLITS:
        edge += share
        if bucket < edge:
            return name
    return SPLITS[-1][0]


def strip_markup(marked: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and its gold spans (start, end, label) from [[text||label]] markup."""
    spans, pieces, cursor, offset = [], [], 0, 0
    for m in SPAN.finditer(marked):
        pieces.append(marked[cursor:m.start()])
        offset += m.start() - cursor
        spans.append({"start": offset, "end": offset + len(m.group(1)), "label": m.group(2)})
        pieces.append(m.group(1))
        offset += len(m.group(1))
        cursor = m.end()
    pieces.append(marked[cursor:])
    return "".join(pieces), spans


def _shingles(text: str, n: int = 3) -> set[str]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def deduplicate(notes: list[dict[str, Any]], threshold: float = 0.6) -> tuple[list[dict[str, Any]], list[str]]:
    """Drop notes whose word-trigram Jaccard similarity to an earlier note is >= threshold."""
    kept: list[dict[str, Any]] = []
    dropped: list[str] = []
    seen: list[set[str]] = []
    for note in notes:
        sh = _shingles(note["text"])
        if any(len(sh & other) / max(1, len(sh | other)) >= threshold for other in seen):
            dropped.append(note["id"])
            continue
        seen.append(sh)
        kept.append(note)
    return kept, dropped


def read_marked(paths: list[Path]) -> Iterator[dict[str, Any]]:
    for path in sorted(paths):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                text, spans = strip_markup(raw["text"])
                yield {**raw, "text": text, "spans": spans, "source_file": path.name,
                       "template": path.parent.name == "templated"}


def build(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    notes = list(read_marked(list((data_dir / "notes").glob("*.jsonl"))
                             + list((data_dir / "templated").glob("*.jsonl"))))
    notes, dropped = deduplicate(notes)
    for note in notes:  # the notes of one case stay together, so a case is never split across splits
        note["split"] = split_of(note.get("case_id") or note["id"])
    out = data_dir / "corpus.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for note in notes:
            fh.write(json.dumps(note, ensure_ascii=False) + "\n")
    return {"notes": len(notes), "dropped_near_duplicates": dropped, "path": str(out)}


@dataclass
class Sentence:
    note_id: str
    split: str
    text: str
    start: int  # offset in the note
    previous: str
    next: str
    spans: list[dict[str, Any]]  # gold spans, offsets relative to the sentence
    hard_negative: bool


def tempting_words(data_dir: Path = DATA_DIR) -> re.Pattern[str]:
    words = [w.strip() for w in (data_dir / "tempting_words.txt").read_text("utf-8").splitlines()
             if w.strip() and not w.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE)


def load_notes(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (data_dir / "corpus.jsonl").read_text("utf-8").splitlines() if line]


def sentences(notes: list[dict[str, Any]], nlp: Any, data_dir: Path = DATA_DIR) -> list[Sentence]:
    """Sentence items with one neighbour either side, segmented exactly as the scanner does."""
    tempting = tempting_words(data_dir)
    out = []
    for note, doc in zip(notes, nlp.pipe(n["text"] for n in notes)):
        sents = [s for s in doc.sents if s.text.strip()]
        for i, s in enumerate(sents):
            gold = [{"start": sp["start"] - s.start_char, "end": sp["end"] - s.start_char, "label": sp["label"]}
                    for sp in note["spans"] if s.start_char <= sp["start"] < s.end_char]
            out.append(Sentence(
                note_id=note["id"], split=note["split"], text=s.text, start=s.start_char,
                previous=sents[i - 1].text if i else "", next=sents[i + 1].text if i + 1 < len(sents) else "",
                spans=gold, hard_negative=not gold and bool(tempting.search(s.text)),
            ))
    return out


def statistics(notes: list[dict[str, Any]], items: list[Sentence]) -> str:
    """Markdown tables of counts per split, category and register (the datasheet's numbers)."""
    from collections import Counter

    splits = ("train", "dev", "test")
    lines = ["| split | notes | templated notes | sentences | hard-negative sentences | sentences with spans |",
             "|---|---|---|---|---|---|"]
    for split in (*splits, "all"):
        ns = [n for n in notes if split == "all" or n["split"] == split]
        ss = [s for s in items if split == "all" or s.split == split]
        hard = sum(s.hard_negative for s in ss)
        lines.append(f"| {split} | {len(ns)} | {sum(bool(n.get('template')) for n in ns)} | {len(ss)} | "
                     f"{hard} ({hard / max(1, len(ss)):.0%}) | {sum(bool(s.spans) for s in ss)} |")
    cats = sorted({sp["label"] for n in notes for sp in n["spans"]})
    lines += ["", "| category | " + " | ".join(splits) + " | all |", "|---|" + "---|" * (len(splits) + 1)]
    for c in cats:
        counts = [sum(sp["label"] == c for n in notes if n["split"] == s for sp in n["spans"]) for s in splits]
        lines.append(f"| {c} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    registers = Counter(n.get("register", "?") for n in notes)
    lines += ["", "| register | notes |", "|---|---|"] + [f"| {r} | {k} |" for r, k in sorted(registers.items())]
    positives = sum(any(sp["label"] == "risk-not-harm" for sp in n["spans"]) for n in notes)
    lines += ["", f"Notes with a risk-not-harm span: {positives}. Notes with any span: "
                  f"{sum(bool(n['spans']) for n in notes)} of {len(notes)}."]
    return "\n".join(lines) + "\n"
