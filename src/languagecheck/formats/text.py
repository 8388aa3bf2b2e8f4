"""Terminal output in the familiar linter shape, with the span highlighted in its line."""

from __future__ import annotations

from typing import Any

from ..finding import Finding
from ..results import DocumentResult, summarise

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}
_CONTEXT = 70  # characters of the line shown either side of the span


def _excerpt(text: str, f: Finding) -> tuple[str, int, int]:
    """The line holding the finding, trimmed around it; returns (line, span start, span end) in it."""
    line_start = text.rfind("\n", 0, f.start) + 1
    line_end = text.find("\n", f.start)
    line_end = len(text) if line_end == -1 else line_end
    lo = max(line_start, f.start - _CONTEXT)
    hi = min(line_end, max(f.end, f.start) + _CONTEXT)
    prefix = "…" if lo > line_start else ""
    suffix = "…" if hi < line_end else ""
    start, end = f.start - lo + len(prefix), min(f.end, hi) - lo + len(prefix)
    return prefix + text[lo:hi] + suffix, start, end


def render(console: Any, results: list[DocumentResult], texts: dict[str, str], colour: bool) -> None:
    from rich.text import Text

    for r in results:
        if r.state != "scanned":
            console.print(Text(f"{r.state}: {r.error}", style="red" if colour else ""), soft_wrap=True)
            continue
        text = texts.get(r.name, "")
        for f in r.findings:
            head = Text()
            head.append(f"{r.name}:{f.line}:{f.column}: ", style="bold" if colour else "")
            head.append(f.severity, style=_STYLE[f.severity] if colour else "")
            head.append(f" [{f.category}/{f.rule}] {f.message}")
            console.print(head, soft_wrap=True)
            line, s, e = _excerpt(text, f)
            body = Text("    │ ")
            body.append(line[:s])
            body.append(line[s:e], style=("reverse " + _STYLE[f.severity]) if colour else "")
            body.append(line[e:])
            console.print(body, soft_wrap=True)
            if not colour:
                console.print("    │ " + " " * s + "^" * max(1, e - s), soft_wrap=True)
            for suggestion in f.suggestions:
                console.print(Text("    → try: ", style="green" if colour else "") + Text(suggestion), soft_wrap=True)
    console.print(summary_line(results), soft_wrap=True)


def summary_line(results: list[DocumentResult]) -> str:
    s = summarise(results)
    sev = s["by_severity"]
    parts = [f"{sev[k]} {k}{'s' if sev[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info")]
    docs = f"{s['scanned']} document{'s' if s['scanned'] != 1 else ''} checked"
    tail = f", {s['failed']} failed" if s["failed"] else ""
    tail += f", {s['skipped']} skipped" if s["skipped"] else ""
    return f"{s['findings']} finding{'s' if s['findings'] != 1 else ''} ({', '.join(parts)}) in {docs}{tail}."
