"""One self-contained, offline HTML report of a stored run, for supervisors.

Summary counts by category and severity, a table of documents with finding counts, and the text of
every document with findings, its spans highlighted (displaCy's span style, as a Jinja2 template),
with the message and suggestions on hover and in an expandable list, and filters by category,
severity and rule. Autoescaping renders all note text as text; a Content-Security-Policy allows no
network requests and only the report's own script (by hash). Written streaming, one document at a time.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from typing import Any, TextIO

from .categories import CATEGORIES
from .finding import SEVERITIES, Finding
from .store import Store, StoredDocument

_META_SHOWN = 4  # metadata fields shown in the documents table


def segments(text: str, findings: list[Finding]) -> list[tuple[str, list[int]]]:
    """The text cut at every finding boundary: (piece, indexes of the findings covering it)."""
    bounds = sorted({0, len(text), *(min(max(0, b), len(text)) for f in findings for b in (f.start, f.end))})
    pieces = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if hi > lo:
            pieces.append((text[lo:hi], [i for i, f in enumerate(findings) if f.start <= lo and f.end >= hi]))
    return pieces


def _severity_order(findings: list[Finding], covering: list[int]) -> str:
    severities = {findings[i].severity for i in covering}
    return next((s for s in SEVERITIES if s in severities), "info")


def _row(d: StoredDocument) -> dict[str, Any]:
    by_severity = Counter(f.severity for f in d.findings)
    return {
        "key": f"d{d.seq}", "name": d.name, "path": d.path if d.id else None, "state": d.effective_state,
        "reason": d.reason if d.effective_state != "scanned" else None,
        "meta": list(d.meta.items())[:_META_SHOWN], "count": len(d.findings),
        "by_severity": [by_severity[s] for s in SEVERITIES],
        "categories": " ".join(sorted({f.category for f in d.findings})),
        "severities": " ".join(sorted(by_severity)),
        "rules": " ".join(sorted({f.rule for f in d.findings})),
    }


def _section(d: StoredDocument) -> dict[str, Any]:
    text = d.text
    pieces = []
    if text is not None:
        for piece, covering in segments(text, d.findings):
            first = d.findings[covering[0]] if covering else None
            pieces.append({
                "text": piece, "findings": " ".join(f"d{d.seq}-{i}" for i in covering),
                "severity": _severity_order(d.findings, covering) if covering else "",
                "category": first.category if first else "",
                "title": first.message if first else "",
            })
    return {"row": _row(d), "pieces": pieces, "has_text": text is not None,
            "findings": [{"key": f"d{d.seq}-{i}", "f": f} for i, f in enumerate(d.findings)]}


def _asset(name: str) -> str:
    return resources.files("languagecheck").joinpath(f"templates/{name}").read_text("utf-8")


def render_report(store: Store, run_id: int | None, out: TextIO, title: str = "languagecheck report") -> None:
    import jinja2

    run = store.run(run_id)
    summary = store.summary(run.id)
    summary["scanned"] += summary["resumed"]  # reused findings are shown as scanned documents
    summary["skipped"] -= summary["resumed"]
    script = _asset("report.js")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    rules = store.rules(run.id)
    categories = sorted(summary["by_category"])

    def rows() -> Iterator[dict[str, Any]]:
        for d in store.iter_documents(run.id, with_text=False):
            yield _row(d)

    def sections() -> Iterator[dict[str, Any]]:
        for d in store.iter_documents(run.id, only_with_findings=True):
            yield _section(d)

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("languagecheck", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    template = environment.get_template("report.html.j2")
    stream = template.generate(
        title=title, run=run, summary=summary, severities=SEVERITIES, categories=categories,
        category_titles={c: (CATEGORIES[c].title if c in CATEGORIES else c) for c in categories},
        by_cell=summary["by_category_severity"], rules=sorted(rules.items()), rows=rows(),
        sections=sections(), style=_asset("report.css"), script=script, script_hash=script_hash)
    for piece in stream:
        out.write(piece)
