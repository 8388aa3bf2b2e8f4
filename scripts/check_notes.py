#!/usr/bin/env python3
"""Check hand-written corpus files in data/notes/: JSON, required fields, span markup, counts.

usage: python scripts/check_notes.py data/notes/*.jsonl
"""
import collections
import json
import re
import sys

CATEGORIES = {"consent-implied", "choice-agency", "sexualising-judgement", "transactional-exchange",
              "relationship-framing", "minimising", "criminalising", "character-blame", "risk-not-harm"}
REGISTERS = {"police-log", "crime-report", "csc-case-note", "strategy-minutes", "return-home-interview",
             "health-referral", "school-referral", "supervisor-review"}
SPAN = re.compile(r"\[\[(.+?)\|\|([a-z-]+)\]\]")
SENT = re.compile(r"(?<=[.!?])\s+|\n+")


def main(paths):
    ids, cats, regs, problems = set(), collections.Counter(), collections.Counter(), []
    notes = sentences = with_spans = 0
    for path in paths:
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                note = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{where}: not JSON ({e.msg})")
                continue
            for key in ("id", "register", "team", "date", "text"):
                if key not in note:
                    problems.append(f"{where}: missing {key}")
            if note.get("id") in ids:
                problems.append(f"{where}: duplicate id {note.get('id')}")
            ids.add(note.get("id"))
            if note.get("register") not in REGISTERS:
                problems.append(f"{where}: unknown register {note.get('register')}")
            text = note.get("text", "")
            spans = SPAN.findall(text)
            for _, cat in spans:
                if cat not in CATEGORIES:
                    problems.append(f"{where}: unknown category {cat}")
                cats[cat] += 1
            plain = SPAN.sub(lambda m: m.group(1), text)
            if "[[" in plain or "]]" in plain or "||" in plain:
                problems.append(f"{where}: broken span markup")
            k = len([s for s in SENT.split(plain) if s.strip()])
            if not 2 <= k <= 12:
                problems.append(f"{where}: {k} sentences (want 2-10)")
            notes += 1
            sentences += k
            with_spans += bool(spans)
            regs[note.get("register")] += 1
    print(f"notes {notes}, sentences ~{sentences}, notes with spans {with_spans}")
    print("registers:", dict(regs))
    print("spans by category:", dict(cats))
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
