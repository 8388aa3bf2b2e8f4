"""Per-document results and the run summary shared by every output format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ._version import __version__
from .finding import SEVERITIES, SEVERITY_RANK, Finding


@dataclass
class DocumentResult:
    findings: list[Finding] = field(default_factory=list)
    path: str | None = None
    id: str | None = None
    error: str | None = None  # one-line reason when the document failed or was skipped
    state: str = "scanned"  # scanned | skipped | failed
    sentences: list[str] = field(default_factory=list)  # per finding, for baselines; never serialised

    @property
    def name(self) -> str:
        return self.id or self.path or "<stdin>"

    def key(self) -> dict[str, str]:
        return {"id": self.id} if self.id is not None else {"path": self.path or "<stdin>"}

    def to_dict(self) -> dict[str, Any]:
        return {**self.key(), "findings": [f.to_dict() for f in self.findings], "error": self.error}


def summarise(results: list[DocumentResult]) -> dict[str, Any]:
    findings = [f for r in results for f in r.findings]
    states = Counter(r.state for r in results)
    return {
        "documents": len(results),
        "scanned": states["scanned"],
        "skipped": states["skipped"],
        "failed": states["failed"],
        "documents_with_findings": sum(1 for r in results if r.findings),
        "findings": len(findings),
        "by_severity": {s: sum(f.severity == s for f in findings) for s in SEVERITIES},
        "by_category": dict(sorted(Counter(f.category for f in findings).items())),
    }


def run_json(results: list[DocumentResult]) -> dict[str, Any]:
    return {"version": __version__, "documents": [r.to_dict() for r in results], "summary": summarise(results)}


def at_or_above(findings: list[Finding], level: str) -> list[Finding]:
    if level == "never":
        return []
    return [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[level]]
