#!/usr/bin/env python3
"""Benchmark `languagecheck scan` on a generated record-system export (CSV).

Generates a seeded corpus of case notes, then runs the real command line in a fresh process for each
configuration, sampling the resident memory of the whole process tree (parent + workers) every 50 ms.
Reports notes/s over the scan (from the run's start/end in the store) and end to end (process wall
time, including start-up), peak RSS of the tree and of the largest single process, and the speed-up
from 1 to 2 jobs. A GEMM canary before and after shows whether the machine's speed drifted.

The machine is shared and its speed drifts, so each row also gives the best of the repeats, notes per
CPU-second of the whole process tree (insensitive to other load) and the load average during the run.

usage: python scripts/bench_scan.py [--notes 10000] [--repeats 3] [--model-repeats 1]
                                    [--sizes 2500,10000,40000] [--no-with-model] [--out DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from languagecheck.cli import main; main()"]

NAMES = ["Amelia", "Olivia", "Isla", "Ava", "Mia", "Ruby", "Grace", "Freya", "Lily", "Evie", "Jack", "Noah",
         "Leo", "Oscar", "Harry", "Charlie", "Jacob", "Alfie", "Kai", "Tyler"]
ROLES = ["the social worker", "the youth worker", "PC Davies", "the school nurse", "the family support worker",
         "the CAMHS practitioner", "the duty manager", "the independent return interviewer", "DS Ahmed"]
PLACES = ["the family home", "school", "the park near the estate", "the train station", "a flat in the town centre",
          "the shopping centre", "a friend's address", "the children's home", "the police station", "McDonald's"]
TIMES = ["on Monday evening", "late on Friday night", "after school", "at 02:30", "over the weekend",
         "during the half-term holiday", "yesterday afternoon", "in the early hours"]
FEELINGS = ["anxious", "tired", "withdrawn", "angry", "tearful", "quiet but polite", "frightened", "settled"]
TEAMS = ["Exploitation Hub", "Riverside Locality Team", "Northgate CIN", "Children in Care Team", "MASH",
         "Youth Justice Service", "Leaving Care Team"]
AUTHORS = ["A. Khan", "B. Jones", "C. Patel", "D. Smith", "E. Okafor", "F. Murphy", "G. Evans", "H. Nowak"]
NEUTRAL = [
    "Visited {name} at {place} {time} with {role}.",
    "{name} presented as {feeling} and spoke about school and friends.",
    "{role} reported that {name} had been missing {time} and returned at 07:00.",
    "Mum said {name} has been sleeping badly and not eating much.",
    "{name} agreed to meet {role} again next week at {place}.",
    "Discussed the safety plan with {name} and mum; both were engaged.",
    "{name} has new clothes and a phone that mum cannot account for.",
    "Attendance at school has dropped to 62 per cent this term.",
    "{role} will make a referral to the NRM and share information with the police.",
    "{name} was seen getting into a car with two older males near {place}.",
    "Strategy discussion held {time}; actions agreed for all agencies.",
    "{name} said that the men at the flat give {obj} cannabis and lifts.",
    "No concerns were raised about the younger siblings during the visit.",
    "{role} contacted the school, who confirmed {name} left early {time}.",
    "{name} disclosed that an adult had sent {obj} threatening messages.",
    "Return home interview completed by {role}; {name} did not want to talk about where {pron} had been.",
    "Case ref {ref} updated and the chronology brought up to date.",
    "Next review is booked for the end of the month at {place}.",
]
FLAGGED = [
    "{name} continues to put {self} at risk by going to {place}.",
    "{name} consented to sexual activity with the 24-year-old.",
    "This appears to be a lifestyle choice for {name}.",
    "{name} is choosing to associate with older males.",
    "{name} was drunk and flirting with the men at the party.",
    "{name} is sexually active and promiscuous.",
    "{name} has a boyfriend who is 23 and they are in a relationship.",
    "{name} is being exploited by the adults at the flat.",
]


def gen_note(rng: random.Random, i: int) -> str:
    name = rng.choice(NAMES)
    female = NAMES.index(name) < 10
    slots = {"name": name, "role": rng.choice(ROLES), "place": rng.choice(PLACES), "time": rng.choice(TIMES),
             "feeling": rng.choice(FEELINGS), "ref": f"{rng.randrange(10**6):06d}",
             "obj": "her" if female else "him", "pron": "she" if female else "he",
             "self": "herself" if female else "himself"}
    sentences = rng.sample(NEUTRAL, rng.randint(5, 10))
    if rng.random() < 0.4:
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(FLAGGED))
    return " ".join(s.format(**slots) for s in sentences)


def write_corpus(path: Path, n: int, seed: int = 1234) -> dict[str, float]:
    rng = random.Random(seed)
    words = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["note_id", "author", "team", "date", "case_id", "note_text"])
        for i in range(n):
            text = gen_note(rng, i)
            words += len(text.split())
            writer.writerow([f"N{i:07d}", rng.choice(AUTHORS), rng.choice(TEAMS),
                             f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", f"C{rng.randrange(5000):05d}",
                             text])
    return {"notes": n, "words_per_note": round(words / n, 1), "mb": round(path.stat().st_size / 1e6, 2)}


def _tree_rss_kib(root: int) -> tuple[int, int, int]:
    """(sum of RSS, max RSS, sum of PSS) in KiB over a process and all its descendants.

    Forked workers share pages with the parent, so the RSS sum overstates; PSS splits shared pages.
    """
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as fh:
                pages = int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    tree, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == current and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    values = [rss.get(pid, 0) for pid in tree]
    pss = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                pss += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
    return sum(values), max(values, default=0), pss


def run_scan(corpus: Path, jobs: int, model: bool, workdir: Path) -> dict[str, float]:
    db = workdir / f"bench-{time.monotonic_ns()}.sqlite"
    args = [*CLI, "scan", str(corpus), "--db", str(db), "--jobs", str(jobs), "--no-progress"]
    if not model:
        args.append("--no-model")
    env = {**os.environ, "LANGUAGECHECK_CACHE_DIR": str(workdir / "cache")}
    peaks = {"sum": 0, "max": 0, "pss": 0}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                               cwd=workdir)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, largest, pss = _tree_rss_kib(process.pid)
            peaks["sum"], peaks["max"] = max(peaks["sum"], total), max(peaks["max"], largest)
            peaks["pss"] = max(peaks["pss"], pss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"scan failed ({process.returncode}):\n{err[-2000:]}")
    with sqlite3.connect(db) as conn:
        started_at, finished_at, summary, model_version = conn.execute(
            "select started_at, finished_at, summary, model_version from runs order by id desc limit 1").fetchone()
    summary = json.loads(summary)
    scan_s = (datetime.fromisoformat(finished_at) - datetime.fromisoformat(started_at)).total_seconds()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return {"documents": summary["documents"], "findings": summary["findings"], "scan_s": scan_s, "wall_s": wall,
            "notes_per_s": summary["documents"] / scan_s, "notes_per_s_wall": summary["documents"] / wall,
            "peak_rss_tree_mib": peaks["sum"] / 1024, "peak_rss_process_mib": peaks["max"] / 1024,
            "peak_pss_tree_mib": peaks["pss"] / 1024, "cpu_s": cpu, "notes_per_cpu_s": summary["documents"] / cpu,
            "load": max(load_before, os.getloadavg()[0]), "model_version": model_version}


def scanner_alone(corpus: Path, model: bool, notes: int = 2000) -> float:
    """Notes per CPU-second of Scanner.iter_scan in one process, without the batch layer (its ceiling)."""
    code = (
        "import csv, itertools, sys, time\n"
        "from languagecheck import Scanner\n"
        f"scanner = Scanner(use_model={model})\n"
        f"rows = itertools.islice(csv.reader(open({str(corpus)!r}, newline='')), 1, {notes + 1})\n"
        "texts = [r[-1] for r in rows]\n"
        "list(scanner.iter_scan(texts[:64]))\n"
        "t = time.process_time()\n"
        "for _ in scanner.iter_scan(texts):\n    pass\n"
        "print(len(texts) / (time.process_time() - t))\n")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                cwd=corpus.parent).stdout)


def canary() -> float:
    """GFLOP/s of a 1024x1024 float32 matmul (2 threads): the machine's speed at this moment."""
    code = ("import os;os.environ['OPENBLAS_NUM_THREADS']='2';import numpy as np,time;"
            "a=np.random.rand(1024,1024).astype('float32');b=a.copy();a@b;ts=[]\n"
            "for _ in range(15):\n t=time.perf_counter();a@b;ts.append(time.perf_counter()-t)\n"
            "ts.sort();print(2*1024**3/ts[len(ts)//2]/1e9)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def median_run(corpus: Path, jobs: int, model: bool, workdir: Path, repeats: int) -> dict[str, float]:
    runs = [run_scan(corpus, jobs, model, workdir) for _ in range(repeats)]
    keys = [k for k, v in runs[0].items() if isinstance(v, float)]
    out = {k: statistics.median(r[k] for r in runs) for k in keys}
    out["peak_rss_tree_mib"] = max(r["peak_rss_tree_mib"] for r in runs)
    out["peak_rss_process_mib"] = max(r["peak_rss_process_mib"] for r in runs)
    out["peak_pss_tree_mib"] = max(r["peak_pss_tree_mib"] for r in runs)
    out.update(documents=runs[0]["documents"], findings=runs[0]["findings"], model_version=runs[0]["model_version"],
               best=max(r["notes_per_s"] for r in runs),
               spread=(max(r["notes_per_s"] for r in runs) - min(r["notes_per_s"] for r in runs)) / out["notes_per_s"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model-repeats", type=int, default=1, help="repeats for the (slow) model runs")
    parser.add_argument("--sizes", default="2500,10000,40000", help="corpus sizes for the memory check")
    parser.add_argument("--with-model", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--lexicon-only", action=argparse.BooleanOptionalAction, default=True,
                        help="run the lexicon-only configurations (--no-lexicon-only: the model ones only)")
    parser.add_argument("--out", type=Path, default=None, help="keep the corpus here (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = parser.parse_args()

    workdir = args.out or Path(tempfile.mkdtemp(prefix="languagecheck-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / f"corpus-{args.notes}.csv"
    info = write_corpus(corpus, args.notes)
    print(f"corpus: {info['notes']:,} notes, {info['words_per_note']} words/note, {info['mb']} MB ({corpus})")
    print(f"cores: {os.cpu_count()}, canary before: {canary():.0f} GFLOP/s")
    run_scan(corpus, 1, False, workdir)  # warm-up: compiles the lexicon cache, warms the page cache

    results: dict[str, dict[str, float]] = {}
    configs = [("lexicon-only, --jobs 1", 1, False), ("lexicon-only, --jobs 2", 2, False)] if args.lexicon_only else []
    if args.with_model:
        configs += [("with model, --jobs 1", 1, True), ("with model, --jobs 2", 2, True)]
    print("\n| configuration | notes/s (scan, median) | best | notes/s (end to end) | notes per CPU-second | "
          "peak RSS, all processes (PSS) | peak RSS, largest process | spread | load avg |\n"
          "|---|---|---|---|---|---|---|---|---|")
    for label, jobs, model in configs:
        r = median_run(corpus, jobs, model, workdir, args.model_repeats if model else args.repeats)
        results[label] = r
        note = "" if not model or r["model_version"] != "none" else " (no model installed: lexicon-only fallback)"
        print(f"| {label}{note} | {r['notes_per_s']:,.0f} | {r['best']:,.0f} | {r['notes_per_s_wall']:,.0f} | "
              f"{r['notes_per_cpu_s']:,.0f} | {r['peak_rss_tree_mib']:,.0f} MiB ({r['peak_pss_tree_mib']:,.0f} MiB) | "
              f"{r['peak_rss_process_mib']:,.0f} MiB"
              f" | {r['spread']:.0%} | {r['load']:.1f} |", flush=True)
    alone = {"lexicon-only": scanner_alone(corpus, False)} if args.lexicon_only else {}
    if args.with_model:
        alone["with model"] = scanner_alone(corpus, True, notes=500)
    for kind, rate in alone.items():
        print(f"\nthe Scanner alone, {kind}, one process, no batch layer: {rate:,.0f} notes per CPU-second")
    speedups = {}
    for kind in ("lexicon-only", "with model"):
        one, two = results.get(f"{kind}, --jobs 1"), results.get(f"{kind}, --jobs 2")
        if one and two:
            speedups[kind] = two["notes_per_s"] / one["notes_per_s"]
            best = two["best"] / one["best"]
            print(f"\nspeed-up from 1 to 2 jobs, {kind}: {speedups[kind]:.2f}x (medians), {best:.2f}x (best runs)")

    memory = {}
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if sizes:
        print("\n| notes (lexicon-only, --jobs 2) | notes/s | peak RSS, all processes (PSS) | "
              "peak RSS, largest process |\n|---|---|---|---|")
    for size in sizes:
        path = workdir / f"corpus-{size}.csv"
        if not path.exists():
            write_corpus(path, size)
        r = run_scan(path, 2, False, workdir)
        memory[size] = r
        print(f"| {size:,} | {r['notes_per_s']:,.0f} | {r['peak_rss_tree_mib']:,.0f} MiB "
              f"({r['peak_pss_tree_mib']:,.0f} MiB) | {r['peak_rss_process_mib']:,.0f} MiB |", flush=True)
    print(f"\ncanary after: {canary():.0f} GFLOP/s")
    if args.json:
        args.json.write_text(json.dumps({"corpus": info, "results": results, "speedups": speedups, "alone": alone,
                                         "memory": {str(k): v for k, v in memory.items()}}, indent=2))


if __name__ == "__main__":
    main()
