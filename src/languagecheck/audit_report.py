"""Render an audit (audit.build_audit) as self-contained HTML, Markdown, CSV tables, JSON or a short text.

Charts are drawn with matplotlib's Agg backend and embedded as SVG data URIs, so the HTML file needs
nothing else, prints on A4, and opens offline. No chart is drawn from no data: an empty run or a run
without findings gets a sentence saying so instead.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .audit import numbers
from .categories import CATEGORY_IDS

_PALETTE = ("#1b6ca8", "#d1495b", "#3f8f4f", "#8e5fb0", "#e08a1e", "#5a5a5a", "#00a0b0", "#a85b1b", "#c2185b")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")
_COLOURS = {c: _PALETTE[i % len(_PALETTE)] for i, c in enumerate(CATEGORY_IDS)}
_MARKS = {c: _MARKERS[i % len(_MARKERS)] for i, c in enumerate(CATEGORY_IDS)}

PSEUDONYMISATION = (
    "Excerpts are pseudonymised by patterns before they are written: names (capitalised words that are not "
    "ordinary sentence words, names after titles such as Mr or PC and after 'known as', surnames in capitals, "
    "initials), dates of birth and other dates, addresses (house numbers with street or building names, flats, "
    "postcodes), phone numbers, e-mail addresses, links, social-media handles and reference numbers (crime, "
    "case, NHS, National Insurance, vehicle registrations, any long number). Pattern matching can miss a name "
    "written in lower case or an identifying detail in ordinary words: check excerpts before sharing them "
    "outside the organisation."
)


# --- charts -------------------------------------------------------------------------------------

def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "languagecheck-audit", "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _data_uri(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def chart_categories(audit: Mapping[str, Any]) -> str | None:
    rows = [r for r in audit["by_category"] if r["findings"]]
    if not rows:
        return None
    plt = _pyplot()
    rows.sort(key=lambda r: r["per_1000_documents"])
    fig, ax = plt.subplots(figsize=(6.8, 0.35 * len(rows) + 0.9))
    ax.barh([r["title"] for r in rows], [r["per_1000_documents"] for r in rows],
            color=[_COLOURS.get(r["category"], "#5a5a5a") for r in rows])
    for y, r in enumerate(rows):
        ax.annotate(_num(r["per_1000_documents"]), (r["per_1000_documents"], y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_xlabel("findings per 1,000 documents")
    ax.margins(x=0.12)
    return _data_uri(fig)


def chart_trend(audit: Mapping[str, Any]) -> str | None:
    trend = audit.get("trend")
    if not trend or sum(v is not None for v in trend["all"]) < 2 or not trend["categories"]:
        return None
    plt = _pyplot()
    months = trend["months"]
    x = list(range(len(months)))
    fig, ax = plt.subplots(figsize=(6.8, 3.4))
    titles = {r["category"]: r["title"] for r in audit["by_category"]}
    for c, values in trend["categories"].items():
        ax.plot(x, [float("nan") if v is None else v for v in values], marker=_MARKS.get(c, "o"), markersize=4,
                linewidth=1.5, color=_COLOURS.get(c, "#5a5a5a"), label=titles.get(c, c))
    split = (audit.get("comparison") or {}).get("split")
    if split and split[:7] in months:
        ax.axvline(months.index(split[:7]) - 0.5, color="#333333", linestyle="--", linewidth=1)
        ax.annotate("compare from here", (months.index(split[:7]) - 0.45, 1), xycoords=("data", "axes fraction"),
                    va="top", fontsize=8)
    step = max(1, len(months) // 12)
    ax.set_xticks(x[::step], months[::step], rotation=45, ha="right")
    ax.set_ylabel("findings per 1,000 documents")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _data_uri(fig)


def chart_comparison(audit: Mapping[str, Any]) -> str | None:
    comparison = audit.get("comparison")
    rows = [r for r in (comparison or {}).get("rows", []) if r["rate_ratio"] is not None]
    if not rows:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.8, 0.4 * len(rows) + 1.0))
    for y, r in enumerate(reversed(rows)):
        colour = _COLOURS.get(r["category"], "#222222")
        ax.plot([r["ci_low"], r["ci_high"]], [y, y], color=colour, linewidth=2)
        ax.plot([r["rate_ratio"]], [y], marker="o", color=colour)
    ax.axvline(1, color="#333333", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    from matplotlib.ticker import FixedLocator, NullLocator

    low = min(r["ci_low"] for r in rows)
    high = max(r["ci_high"] for r in rows)
    ticks = [t for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if low / 2 <= t <= high * 2]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.set_yticks(range(len(rows)), [r["title"] for r in reversed(rows)])
    ax.set_xlabel(f"rate ratio, after / before {comparison['split']} (95% CI, log scale)")  # type: ignore[index]
    return _data_uri(fig)


def charts(audit: Mapping[str, Any]) -> dict[str, str | None]:
    if audit["empty"]:
        return {"categories": None, "trend": None, "comparison": None}
    return {"categories": chart_categories(audit), "trend": chart_trend(audit),
            "comparison": chart_comparison(audit)}


# --- notes shown with the numbers ----------------------------------------------------------------

def caveats(audit: Mapping[str, Any]) -> list[str]:
    """Plain-language warnings about what the numbers can and cannot say for this run."""
    out = []
    run = audit.get("run") or {}
    head = audit["headline"]
    if run.get("status") and run["status"] != "finished":
        out.append(f"The scan run is '{run['status']}', not finished: these numbers cover only what it stored.")
    if head["scanned"] and head["per_100000_words"] is None:
        out.append(f"Word counts are known for {head['words_known_for']} of {head['scanned']} documents, so "
                   "rates per 100,000 words are not given (the scan did not store the note text or a word count).")
    if head["scanned"] and not audit["settings"]["date_column"]:
        out.append("No document has a date column, so there is no monthly breakdown or trend "
                   "(name the column with --date-column).")
    elif head["undated_documents"]:
        out.append(f"{head['undated_documents']} document(s) have no readable date and are left out of the "
                   "monthly tables, the trend and the before/after comparison.")
    if audit["settings"]["compare_before"] and not head["dated_documents"]:
        out.append("--compare-before needs dated documents; none were found.")
    examples = [e for rows in audit.get("examples", {}).values() for e in rows]
    if any(e["context"] == "span" for e in examples):
        out.append("The note text is not in the results store (or no longer matches the findings), so some "
                   "excerpts show only the flagged words, without their sentence.")
    return out


# --- HTML -----------------------------------------------------------------------------------------

def render_html(audit: Mapping[str, Any], title: str = "Language audit") -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("languagecheck", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["num"] = _num
    env.globals["rules_heading"] = rules_heading
    template = env.get_template("audit.html.j2")
    return template.render(audit=audit, title=title, charts=charts(audit), caveats=caveats(audit),
                           pseudonymisation=PSEUDONYMISATION,
                           categories={r["category"]: r for r in audit["by_category"]})


def _num(value: Any, digits: int = 1) -> str:
    """Numbers as people read them: thousands separators, no trailing .0, a dash for no value."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.{digits}f}"
    return text[:-2] if text.endswith(".0") and digits == 1 else text


# --- Markdown -------------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    text = _num(value) if isinstance(value, (int, float)) or value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(audit: Mapping[str, Any], title: str = "Language audit") -> str:
    out = [f"# {title}", ""]
    run = audit.get("run") or {}
    out.append(_run_line(run, audit))
    out.append("")
    if audit["empty"]:
        out += [f"**{audit['message']}**", ""]
        return "\n".join(out)
    for note in caveats(audit):
        out.append(f"> {note}")
    out.append("")
    head = audit["headline"]
    out += ["## Headline", "",
            f"- Documents scanned: **{_num(head['scanned'])}** ({_num(head['skipped'])} skipped, "
            f"{_num(head['failed'])} failed)",
            f"- Documents with at least one finding: **{_num(head['documents_with_findings'])}** "
            f"({_num(head['percent_with_findings'])}%)",
            f"- Findings: **{_num(head['findings'])}**, {_num(head['per_1000_documents'])} per 1,000 documents, "
            f"{_num(head['per_100000_words'])} per 100,000 words",
            f"- Notes dated {head['first_date'] or '–'} to {head['last_date'] or '–'}", ""]
    out += [_table(["Severity", "Findings", "Documents", "per 1,000 documents", "per 100,000 words"],
                   [[r["severity"], r["findings"], r["documents_with"], r["per_1000_documents"],
                     r["per_100000_words"]] for r in audit["by_severity"]]), ""]
    out += ["## By category", "",
            _table(["Category", "Findings", "Documents", "per 1,000 documents", "per 100,000 words", "% of findings"],
                   [[f"{r['title']} (`{r['category']}`)", r["findings"], r["documents_with"], r["per_1000_documents"],
                     r["per_100000_words"], r["percent_of_findings"]] for r in audit["by_category"]]), ""]
    out += [f"## Most frequent wording ({rules_heading(audit)})", "",
            _table(["Rule", "Category", "Findings", "Documents", "per 1,000 documents", "Why", "Try instead"],
                   [[f"`{r['rule']}`", r["category"], r["findings"], r["documents_with"], r["per_1000_documents"],
                     r["why"] or r["message"], "; ".join(r["suggestions"])] for r in audit["by_rule"]]), ""]
    for column, table in audit["groups"].items():
        out += [f"## By {column}", "", _group_md(table, column), ""]
    if audit["by_month"]:
        out += ["## By month", "", _group_md(audit["by_month"], "month"), ""]
    comparison = audit.get("comparison")
    if comparison:
        out += [f"## Before and after {comparison['split']}", "",
                f"{_num(comparison['before_documents'])} documents before, {_num(comparison['after_documents'])} "
                f"from {comparison['split']} on; {_num(comparison['undated_excluded'])} undated documents left out.",
                "", _table(["Category", "Before (per 1,000)", "After (per 1,000)", "Rate ratio (95% CI)", "In words"],
                           [[r["title"], _num(r["before_rate"]), _num(r["after_rate"]), _ratio_text(r), r["verdict"]]
                            for r in comparison["rows"]]), ""]
    out += ["## Categories explained, with examples", ""]
    for r in audit["by_category"]:
        if not r["findings"]:
            continue
        out += [f"### {r['title']} (`{r['category']}`)", "", r["definition"], "", f"*Why it matters:* {r['why']}", "",
                "*Preferred wording:* " + "; ".join(r["alternatives"]), ""]
        for e in audit["examples"].get(r["category"], []):
            line = f"- {e['before']}**{e['span']}**{e['after']}"
            if e["document"]:
                line += f" ({e['document']})"
            out.append(line)
            if e["rewording"]:
                out.append(f"  - try: {e['rewording']}")
        out.append("")
    out += ["## Method", "", *_method(audit), "", PSEUDONYMISATION, ""]
    return "\n".join(out)


def rules_heading(audit: Mapping[str, Any]) -> str:
    shown, fired = len(audit["by_rule"]), audit["rules_fired"]
    return f"top {shown} of {fired} rules" if fired > shown else f"all {fired} rule{'s' if fired != 1 else ''}"


def _ratio_text(r: Mapping[str, Any]) -> str:
    if r["rate_ratio"] is None:
        return "–"
    return f"{r['rate_ratio']:.2f} ({r['ci_low']:.2f}–{r['ci_high']:.2f})"


def _group_md(table: Mapping[str, Any], column: str) -> str:
    body = _table([column, "Documents", "% with a finding", "per 1,000 documents", "per 100,000 words",
                   "Most frequent category"],
                  [[r["value"], r["documents"], r["percent_with_findings"], r["per_1000_documents"],
                    r["per_100000_words"], r["top_category"] or "–"] for r in table["rows"]])
    if table["suppressed_groups"]:
        body += (f"\n\n{table['suppressed_groups']} group(s) not shown: fewer than the minimum group size, or hidden "
                 "so that a small group cannot be worked out from the others.")
    return body


def _method(audit: Mapping[str, Any]) -> list[str]:
    s = audit["settings"]
    return [
        "- Rates are findings per 1,000 scanned documents and per 100,000 words (whitespace-separated words of "
        "the note text); every rate is shown with the number of documents behind it.",
        f"- Groups (metadata values and months) with fewer than {s['min_group']} documents are not shown; when the "
        "hidden groups together hold fewer than that, the next smallest group is hidden too.",
        "- Before/after: the ratio of the rates after and before the date, with a 95% confidence interval from the "
        "log rate ratio (Poisson counts, SE = sqrt(1/a + 1/b)). Findings cluster within notes and authors, so "
        "the interval is if anything too narrow; treat borderline results with care.",
        "- Categories and preferred wording come from the lexicon and the guidance behind it (docs/TERMS.md).",
    ]


def _run_line(run: Mapping[str, Any], audit: Mapping[str, Any]) -> str:
    parts = []
    if run.get("id") is not None:
        parts.append(f"Run {run['id']}")
    if run.get("started_at"):
        parts.append(f"scanned {str(run['started_at'])[:10]}")
    for key, label in (("lexicon_version", "lexicon"), ("model_version", "model"), ("tool_version", "languagecheck")):
        if run.get(key):
            parts.append(f"{label} {run[key]}")
    head = audit["headline"]
    if head.get("first_date"):
        parts.append(f"notes dated {head['first_date']} to {head['last_date']}")
    return " · ".join(parts) or "Results file"


# --- CSV, JSON, text ------------------------------------------------------------------------------

def write_csv(audit: Mapping[str, Any], directory: Path) -> list[Path]:
    """One CSV per table; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, headers: list[str], rows: list[list[Any]]) -> None:
        path = directory / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(headers)
            out.writerows(["" if v is None else v for v in row] for row in rows)
        written.append(path)

    head = audit["headline"]
    write("headline", ["measure", "value"], [[k, v] for k, v in head.items()])
    write("severity", ["severity", "findings", "documents_with", "per_1000_documents", "per_100000_words"],
          [[r[k] for k in ("severity", "findings", "documents_with", "per_1000_documents", "per_100000_words")]
           for r in audit["by_severity"]])
    cat_keys = ["category", "title", "findings", "documents_with", "percent_of_findings", "per_1000_documents",
                "per_100000_words"]
    write("categories", cat_keys, [[r[k] for k in cat_keys] for r in audit["by_category"]])
    rule_keys = ["rule", "category", "severity", "source", "findings", "documents_with", "per_1000_documents",
                 "percent_of_findings", "message"]
    write("rules", rule_keys + ["suggestions"],
          [[r[k] for k in rule_keys] + ["; ".join(r["suggestions"])] for r in audit["by_rule"]])
    group_keys = ["value", "documents", "documents_with_findings", "percent_with_findings", "findings",
                  "per_1000_documents", "per_100000_words", "top_category"]
    tables = dict(audit["groups"])
    if audit["by_month"]:
        tables["month"] = audit["by_month"]
    for column, table in tables.items():
        name = "months" if column == "month" and table is audit["by_month"] else f"by-{_slug(column)}"
        write(name, [column if k == "value" else k for k in group_keys] + [f"per_1000_{c}" for c in CATEGORY_IDS],
              [[r[k] for k in group_keys] + [r["by_category"].get(c, 0.0) for c in CATEGORY_IDS]
               for r in table["rows"]])
    trend = audit.get("trend")
    if trend:
        cats = list(trend["categories"])
        write("trend", ["month", "documents", "all"] + cats,
              [[m, trend["documents"][i], trend["all"][i]] + [trend["categories"][c][i] for c in cats]
               for i, m in enumerate(trend["months"])])
    comparison = audit.get("comparison")
    if comparison:
        keys = ["category", "before_documents", "before_findings", "before_rate", "after_documents", "after_findings",
                "after_rate", "rate_ratio", "ci_low", "ci_high", "change_percent", "verdict"]
        write("comparison", keys, [[r[k] for k in keys] for r in comparison["rows"]])
    return written


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-") or "column"


def render_json(audit: Mapping[str, Any]) -> str:
    return json.dumps(numbers(audit), indent=2, ensure_ascii=False) + "\n"


def render_text(audit: Mapping[str, Any]) -> str:
    if audit["empty"]:
        return audit["message"] + "\n"
    head = audit["headline"]
    lines = [f"{_num(head['scanned'])} documents scanned; {_num(head['documents_with_findings'])} "
             f"({_num(head['percent_with_findings'])}%) with at least one finding; {_num(head['findings'])} findings "
             f"= {_num(head['per_1000_documents'])} per 1,000 documents"
             + (f", {_num(head['per_100000_words'])} per 100,000 words." if head["per_100000_words"] is not None
                else ".")]
    for r in sorted(audit["by_category"], key=lambda r: -r["findings"]):
        if r["findings"]:
            noun = "finding " if r["findings"] == 1 else "findings"
            lines.append(f"  {r['category']:<24} {r['findings']:>7,} {noun}  {_num(r['per_1000_documents']):>9} "
                         "per 1,000 documents")
    for r in (audit.get("comparison") or {}).get("rows", []):
        lines.append(f"  {r['title']}: {r['verdict']}")
    return "\n".join(lines) + "\n"
