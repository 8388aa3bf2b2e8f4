"""Terminal output in the familiar linter shape, with the span highlighted in its line."""

from __future__ import annotations

from typing import Any

from ..finding import Finding
from ..results import DocumentResult, summarise

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}
_CONTEXT = 70  # characters of the line shown either side of the span
_TAB = 8
_UNICODE = {"bar": "\u2502", "arrow": "\u2192", "ellipsis": "\u2026"}
_ASCII = {"bar": "|", "arrow": "->", "ellipsis": "..."}  # for consoles that cannot show the others


def _excerpt(text: str, f: Finding, ellipsis: str = "\u2026") -> tuple[str, int, int]:
    """The line holding the finding, trimmed around it, tabs expanded and a trailing CR dropped;
    returns (line, span start, span end) in it, as columns of the printed line."""
    line_start = text.rfind("\n", 0, f.start) + 1
    line_end = text.find("\n", f.start)
    line_end = len(text) if line_end == -1 else line_end
    if line_end > line_start and text[line_end - 1] == "\r":
        line_end -= 1
    lo = max(line_start, f.start - _CONTEXT)
    hi = min(line_end, max(f.end, f.start) + _CONTEXT)
    prefix = ellipsis if lo > line_start else ""
    suffix = ellipsis if hi < line_end else ""
    end = max(f.start, min(f.end, hi))
    before, inside = text[lo:f.start], text[f.start:end].split("\n")[0]  # a span over a wrap: its first line
    after = text[f.start + len(inside):hi]
    # tabs expanded here, so the caret line below lines up whatever the terminal's tab stops
    before = (prefix + before).expandtabs(_TAB)
    inside = (before + inside).expandtabs(_TAB)[len(before):]
    after = (before + inside + after).expandtabs(_TAB)[len(before) + len(inside):]
    return before + inside + after.replace("\r", " ") + suffix, len(before), len(before) + len(inside)


def render(console: Any, results: list[DocumentResult], texts: dict[str, str], colour: bool,
           ascii_only: bool = False) -> None:
    from rich.text import Text

    marks = _ASCII if ascii_only else _UNICODE
    bar = f"    {marks['bar']} "

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
            line, s, e = _excerpt(text, f, marks["ellipsis"])
            body = Text(bar)
            body.append(line[:s])
            body.append(line[s:e], style=("reverse " + _STYLE[f.severity]) if colour else "")
            body.append(line[e:])
            console.print(body, soft_wrap=True)
            if not colour:
                console.print(bar + " " * s + "^" * max(1, e - s), soft_wrap=True)
            for suggestion in f.suggestions:
                console.print(Text(f"    {marks['arrow']} try: ", style="green" if colour else "") + Text(suggestion),
                              soft_wrap=True)
    console.print(summary_line(results), soft_wrap=True)


def summary_line(results: list[DocumentResult]) -> str:
    s = summarise(results)
    sev = s["by_severity"]
    parts = [f"{sev[k]} {k}{'s' if sev[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info")]
    docs = f"{s['scanned']} document{'s' if s['scanned'] != 1 else ''} checked"
    tail = f", {s['failed']} failed" if s["failed"] else ""
    tail += f", {s['skipped']} skipped" if s["skipped"] else ""
    return f"{s['findings']} finding{'s' if s['findings'] != 1 else ''} ({', '.join(parts)}) in {docs}{tail}."
