"""Apply the first suggestion of each finding to produce a rewritten copy (inputs are never edited)."""

from __future__ import annotations

from .finding import Finding


def apply_first_suggestions(text: str, findings: list[Finding]) -> str:
    pieces: list[str] = []
    cursor = 0
    for f in sorted(findings, key=lambda f: f.start):
        if not f.suggestions or f.start < cursor or f.severity == "info":
            continue
        pieces += [text[cursor:f.start], f.suggestions[0]]
        cursor = f.end
    pieces.append(text[cursor:])
    return "".join(pieces)
