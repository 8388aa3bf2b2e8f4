"""Exports of a stored run (jsonl, json, csv, sarif), written one document at a time.

JSON and JSONL keep the findings contract of `check` (id or path, findings, error) and add `path`
for records, `state` when a document was not scanned and `meta` when it has metadata. Documents
whose findings were reused by --resume are exported as scanned, with those findings.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from typing import Any, TextIO

from .._version import __version__
from ..finding import SEVERITIES
from ..store import Store, StoredDocument
from .machine import sarif_log, sarif_results_of, sarif_rule

EXPORT_FORMATS = ("jsonl", "json", "csv", "sarif")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_export(store: Store, run_id: int, output_format: str, out: TextIO) -> dict[str, Any]:
    """Write the run in `output_format`; returns the summary of what was written."""
    writer = {"jsonl": _jsonl, "json": _json, "csv": _csv, "sarif": _sarif}[output_format]
    return writer(store, run_id, out)


def export_record(d: StoredDocument) -> dict[str, Any]:
    result = d.to_result()
    record = result.to_dict()
    if d.id is not None and d.path is not None:
        record["path"] = d.path
    if result.state != "scanned":
        record["state"] = result.state
    if d.meta:
        record["meta"] = d.meta
    return record


class Tally:
    """The run summary of results.summarise, accumulated one document at a time."""

    def __init__(self) -> None:
        self.states: Counter[str] = Counter()
        self.severity: Counter[str] = Counter()
        self.category: Counter[str] = Counter()
        self.with_findings = 0

    def add(self, d: StoredDocument) -> None:
        self.states[d.effective_state] += 1
        self.with_findings += bool(d.findings)
        for f in d.findings:
            self.severity[f.severity] += 1
            self.category[f.category] += 1

    def summary(self) -> dict[str, Any]:
        return {
            "documents": sum(self.states.values()), "scanned": self.states["scanned"],
            "skipped": self.states["skipped"], "failed": self.states["failed"],
            "documents_with_findings": self.with_findings, "findings": sum(self.severity.values()),
            "by_severity": {s: self.severity[s] for s in SEVERITIES},
            "by_category": dict(sorted(self.category.items())),
        }


def _jsonl(store: Store, run_id: int, out: TextIO) -> dict[str, Any]:
    tally = Tally()
    for d in store.iter_documents(run_id, with_text=False):
        tally.add(d)
        record = export_record(d)
        if record.get("error") is None:
            record.pop("error", None)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return tally.summary()


def _json(store: Store, run_id: int, out: TextIO) -> dict[str, Any]:
    tally = Tally()
    out.write('{\n  "version": ' + json.dumps(__version__) + ',\n  "documents": [')
    for i, d in enumerate(store.iter_documents(run_id, with_text=False)):
        tally.add(d)
        out.write(("," if i else "") + "\n    " + json.dumps(export_record(d), ensure_ascii=False))
    summary = tally.summary()
    out.write('\n  ],\n  "summary": ' + json.dumps(summary, ensure_ascii=False) + "\n}\n")
    return summary


CSV_DOCUMENT_COLUMNS = ("id", "path", "state", "reason")
CSV_FINDING_COLUMNS = ("line", "column", "start", "end", "category", "rule", "severity", "source", "score",
                       "text", "message", "suggestion", "other_suggestions")


def _cell(value: Any) -> str:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula is prefixed with '."""
    text = "" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(store: Store, run_id: int, out: TextIO) -> dict[str, Any]:
    """One row per finding; a document without findings still gets one row (nothing goes missing)."""
    meta_keys = store.meta_keys(run_id)
    writer = csv.writer(out)
    writer.writerow([*CSV_DOCUMENT_COLUMNS, *meta_keys, *CSV_FINDING_COLUMNS])
    tally = Tally()
    for d in store.iter_documents(run_id, with_text=False):
        tally.add(d)
        result = d.to_result()
        head = [_cell(d.id), _cell(d.path), result.state, _cell(result.error),
                *(_cell(d.meta.get(k)) for k in meta_keys)]
        if not d.findings:
            writer.writerow(head + [""] * len(CSV_FINDING_COLUMNS))
        for f in d.findings:
            writer.writerow(head + [f.line, f.column, f.start, f.end, f.category, f.rule, f.severity, f.source,
                                    f"{f.score:.3f}", _cell(f.text), f.message,
                                    _cell(f.suggestions[0] if f.suggestions else ""),
                                    _cell(" | ".join(f.suggestions[1:]))])
    return tally.summary()


def _sarif(store: Store, run_id: int, out: TextIO) -> dict[str, Any]:
    rules = store.rules(run_id)
    used = sorted(rules)
    index = {rule: i for i, rule in enumerate(used)}
    failed = [d.reason or "failed" for d in store.iter_documents(run_id, with_text=False)
              if d.effective_state == "failed"]
    placeholder = "\x00results\x00"
    head, tail = json.dumps(sarif_log([sarif_rule(r, rules[r]) for r in used], failed, placeholder),
                            indent=2, ensure_ascii=False).split(json.dumps(placeholder))
    out.write(head + "[")
    tally = Tally()
    first = True
    for d in store.iter_documents(run_id, with_text=False):
        tally.add(d)
        for item in sarif_results_of(d.to_result(), index):
            out.write(("" if first else ",") + "\n        " + json.dumps(item, ensure_ascii=False))
            first = False
    out.write("\n      ]" + tail)
    return tally.summary()
