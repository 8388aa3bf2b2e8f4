#!/usr/bin/env python3
"""Time `languagecheck check --no-model` on a 300-word note against spaCy's own start-up floor.

The floor is spaCy alone with torch kept out: python -c "import sys; sys.modules['torch'] = None;
import spacy; spacy.blank('en')". The two commands alternate over repeated runs in the same
environment; the script prints both medians and their ratio (target: at most 1.3). It also measures
lexicon-pipeline throughput (words/s) with scan_many on a generated 1 MB corpus next to spaCy's blank
pipeline on the same corpus (the ceiling).

usage: python scripts/bench_check.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "Strategy discussion held with police, health and education present.",
    "YP was found at an address in the town centre with two adult males aged 24 and 31.",
    "She continues putting herself at risk by returning to the flat.",
    "Mum gave consent to share information with the school and the GP.",
    "The school DSL reports attendance has dropped to 62 per cent this term.",
    "He was found in another county with cash and two phones he could not explain.",
    "A return home interview was offered and YP agreed to meet the worker next week.",
    "Police have recorded an offence of sexual communication with a child.",
    "The plan is for the social worker to visit weekly and for a referral to the exploitation hub.",
    "YP said she feels safer at her nan's house and wants to stay there.",
]


def note_of(words: int, rng: random.Random) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(rng.choice(SENTENCES))
    return " ".join(out)


def time_command(cmd: list[str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-400:]}")
    return time.perf_counter() - start


def startup(runs: int) -> dict[str, float]:
    rng = random.Random(1)
    exe = shutil.which("languagecheck") or str(Path(sys.executable).parent / "languagecheck")
    with tempfile.TemporaryDirectory() as tmp:
        note = Path(tmp) / "note.txt"
        note.write_text(note_of(300, rng), encoding="utf-8")
        check = [exe, "check", "--no-model", str(note)]
        floor = [sys.executable, "-c", "import sys; sys.modules['torch'] = None; import spacy; spacy.blank('en')"]
        time_command(check)  # warm the compiled-lexicon cache and the file system cache
        time_command(floor)
        checks, floors = [], []
        for _ in range(runs):
            checks.append(time_command(check))
            floors.append(time_command(floor))
    c, f = statistics.median(checks), statistics.median(floors)
    return {"check_median_s": round(c, 3), "spacy_floor_median_s": round(f, 3), "ratio": round(c / f, 3),
            "runs": runs}


def throughput() -> dict[str, float]:
    from languagecheck import Scanner
    from languagecheck.nlp import import_spacy

    rng = random.Random(2)
    notes, size = [], 0
    while size < 1_000_000:
        notes.append(note_of(rng.randint(60, 250), rng))
        size += len(notes[-1]) + 1
    words = sum(len(n.split()) for n in notes)
    scanner = Scanner(use_model=False)
    scanner.scan_many(notes[:50])
    start = time.perf_counter()
    scanner.scan_many(notes)
    ours = time.perf_counter() - start
    blank = import_spacy().blank("en")
    blank.add_pipe("sentencizer")
    list(blank.pipe(notes[:50]))
    start = time.perf_counter()
    for _ in blank.pipe(notes, batch_size=64):
        pass
    ceiling = time.perf_counter() - start
    return {"corpus_mb": round(size / 1e6, 2), "notes": len(notes), "words": words,
            "lexicon_pipeline_words_per_s": round(words / ours), "spacy_blank_words_per_s": round(words / ceiling),
            "share_of_ceiling": round(ceiling / ours, 3)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("NO_COLOR", "1")
    print(json.dumps({"startup": startup(args.runs), "throughput": throughput()}, indent=2))
