"""Audit summaries: how common flagged language is, which kinds, where, and whether it is changing.

Pure aggregation over an iterable of documents with their findings (from the results store or from
a JSON/JSONL results file), in one streaming pass: memory grows with the number of groups, months and
rules, not with the number of documents. Rates, never raw counts alone: findings per 1,000 documents
and per 100,000 words, with the number of documents behind every rate, and groups smaller than
`min_group` documents suppressed so that individuals cannot be singled out.

The output is a plain JSON-ready dict (`build_audit`); audit_report.py renders it.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import IO, Any

from .categories import CATEGORIES, CATEGORY_IDS
from .errors import LanguagecheckError
from .finding import SEVERITIES, SEVERITY_RANK, Finding
from .pseudonymise import pseudonymise

FORMAT = "languagecheck-audit/1"
Z_95 = 1.959963984540054  # two-sided 95 % normal quantile
NOT_RECORDED = "(not recorded)"
EXCERPT_CHARS = 240  # at most this much sentence either side of a span


class AuditError(LanguagecheckError):
    """The audit cannot be produced (no such run, unreadable results file, bad option)."""

    code = "E600"


@dataclass
class AuditDocument:
    """One input as the audit needs it. `text` is used only for word counts and excerpts."""

    findings: list[Finding]
    state: str = "scanned"  # scanned | skipped | failed (resumed documents count as scanned)
    meta: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    name: str | None = None  # document id or path: shown only with include_ids
    words: int | None = None  # when the text is not available


@dataclass(frozen=True)
class AuditOptions:
    min_group: int = 10
    compare_before: dt.date | None = None
    examples: int = 3  # per category
    include_ids: bool = False
    date_column: str | None = None  # None: the first metadata key that names a date
    group_columns: tuple[str, ...] | None = None  # None: every suitable metadata column
    top_rules: int = 20
    max_groups: int = 50  # a detected column with more distinct values is left out


# --- metadata: dates, word counts, grouping columns ---------------------------------------------------

_WORD_KEYS = frozenset({"words", "word_count", "wordcount", "n_words", "num_words", "words_count", "word_total"})
_DATE_NAMES = frozenset({"date", "datetime", "timestamp", "created", "recorded", "entered", "written", "when"})
# columns that name or identify a person or a record are never grouped on unless asked for by name
_PERSONAL = re.compile(r"(^|_)(id|ids|ref|reference|urn|crn|number|no|name|names|author|officer|worker|staff|"
                       r"user|person|child|subject|email|phone|address|postcode|dob|by|path|file|hash|text|note)$")


@functools.lru_cache(maxsize=1024)
def normalise_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")


@functools.lru_cache(maxsize=1024)
def _auto_group(name: str) -> bool:
    """Whether a metadata column is grouped on without being asked: not a date, word count or person."""
    key = normalise_key(name)
    return not is_date_key(name) and key not in _WORD_KEYS and not _PERSONAL.search(key)


@functools.lru_cache(maxsize=1024)
def is_date_key(name: str) -> bool:
    key = normalise_key(name)
    return (key in _DATE_NAMES or key.endswith("_date") or key.startswith("date_") or key.endswith("_at")
            or key.endswith("_on") or key.endswith("_time"))


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d %Y",
                 "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


def parse_date(value: Any) -> dt.date | None:
    """A date from a metadata value: ISO (with or without time), or UK day-first forms."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace(",", "")
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def word_count(text: str) -> int:
    """Whitespace-separated words: the same count whatever reader produced the text."""
    return len(text.split())


def _words_of(doc: AuditDocument) -> tuple[int | None, str | None]:
    if doc.text is not None:
        return word_count(doc.text), "text"
    if doc.words is not None:
        return int(doc.words), "scan"
    for key, value in doc.meta.items():
        if normalise_key(key) in _WORD_KEYS:
            try:
                return int(float(value)), f"metadata:{key}"
            except (TypeError, ValueError):
                return None, None
    return None, None


def _group_value(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return NOT_RECORDED
    if isinstance(value, (dict, list, tuple, set)):
        return None  # not a grouping column
    return str(value).strip()


# --- tallies ----------------------------------------------------------------------------------------

@dataclass
class _Tally:
    documents: int = 0
    with_findings: int = 0
    findings: int = 0
    words: int = 0
    words_missing: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    docs_by_category: Counter[str] = field(default_factory=Counter)
    docs_by_severity: Counter[str] = field(default_factory=Counter)

    def add(self, findings: list[Finding], words: int | None) -> None:
        self.documents += 1
        self.with_findings += bool(findings)
        self.findings += len(findings)
        if words is None:
            self.words_missing += 1
        else:
            self.words += words
        if not findings:
            return
        self.by_category.update(f.category for f in findings)
        self.by_severity.update(f.severity for f in findings)
        self.docs_by_category.update({f.category for f in findings})
        self.docs_by_severity.update({f.severity for f in findings})

    @property
    def known_words(self) -> int | None:
        return self.words if self.documents and not self.words_missing and self.words else None


def _tally(tallies: dict[str, _Tally], key: str) -> _Tally:
    found = tallies.get(key)
    if found is None:
        found = tallies[key] = _Tally()
    return found


def per_1000(count: int, documents: int) -> float | None:
    return round(1000 * count / documents, 2) if documents else None


def per_100k_words(count: int, words: int | None) -> float | None:
    return round(100_000 * count / words, 2) if words else None


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _rates(t: _Tally) -> dict[str, Any]:
    return {
        "documents": t.documents,
        "documents_with_findings": t.with_findings,
        "percent_with_findings": _share(t.with_findings, t.documents),
        "findings": t.findings,
        "per_1000_documents": per_1000(t.findings, t.documents),
        "words": t.known_words,
        "per_100000_words": per_100k_words(t.findings, t.known_words),
    }


# --- rate ratio -----------------------------------------------------------------------------------

def rate_ratio(before: int, before_docs: int, after: int, after_docs: int, min_docs: int = 1) -> dict[str, Any]:
    """After/before ratio of Poisson rates with a 95 % interval (log-rate-ratio normal approximation:
    SE = sqrt(1/a + 1/b)); 'not enough data' when either count is zero or a period is too small."""
    out: dict[str, Any] = {
        "before_findings": before, "before_documents": before_docs, "before_rate": per_1000(before, before_docs),
        "after_findings": after, "after_documents": after_docs, "after_rate": per_1000(after, after_docs),
        "rate_ratio": None, "ci_low": None, "ci_high": None, "change_percent": None,
        "distinguishable": None,
    }
    if before_docs < max(min_docs, 1) or after_docs < max(min_docs, 1):
        out["verdict"] = f"not enough data: a period has fewer than {max(min_docs, 1)} documents"
        return out
    if before == 0 or after == 0:
        missing = "either period" if before == after == 0 else ("the period before" if before == 0
                                                                 else "the period after")
        out["verdict"] = f"not enough data: no findings in {missing}"
        return out
    ratio = (after / after_docs) / (before / before_docs)
    se = math.sqrt(1 / before + 1 / after)
    low, high = (math.exp(math.log(ratio) + sign * Z_95 * se) for sign in (-1, 1))
    out.update(rate_ratio=round(ratio, 3), ci_low=round(low, 3), ci_high=round(high, 3),
               change_percent=round(100 * (ratio - 1), 1), distinguishable=high < 1 or low > 1)
    out["verdict"] = _verdict(ratio, low, high)
    return out


def _verdict(ratio: float, low: float, high: float) -> str:
    change = "no change" if ratio == 1 else f"{'fell' if ratio < 1 else 'rose'} by {abs(100 * (ratio - 1)):.0f}%"
    if high < 1 or low > 1:
        return f"{change}; distinguishable from noise (the 95% interval excludes no change)"
    return f"{change}; not distinguishable from noise (the 95% interval includes no change)"


# --- suppression ----------------------------------------------------------------------------------

def suppressed_groups(documents: Mapping[str, int], min_group: int) -> set[str]:
    """Groups to hide: those under `min_group` documents, plus (secondary suppression) the next
    smallest groups while the hidden ones together are still under `min_group`, so that a hidden
    group cannot be recovered by subtracting the shown ones from the total."""
    hidden = {k for k, n in documents.items() if n < min_group}
    if hidden:
        shown = sorted((n, k) for k, n in documents.items() if k not in hidden)
        total = sum(documents[k] for k in hidden)
        while total < min_group and shown:
            n, k = shown.pop(0)
            hidden.add(k)
            total += n
    return hidden


def _group_table(tallies: Mapping[str, _Tally], min_group: int, order: list[str]) -> dict[str, Any]:
    hidden = suppressed_groups({k: t.documents for k, t in tallies.items()}, min_group)
    rows = []
    for key in order:
        t = tallies[key]
        if key in hidden:
            continue
        top = t.by_category.most_common(1)
        rows.append({"value": key, **_rates(t),
                     "by_category": {c: per_1000(t.by_category[c], t.documents) for c in sorted(t.by_category)},
                     "top_category": top[0][0] if top else None})
    hidden_docs = sum(tallies[k].documents for k in hidden)
    return {"rows": rows, "suppressed_groups": len(hidden), "suppressed_documents": hidden_docs}


def _value_order(values: Iterable[str]) -> list[str]:
    return sorted(values, key=lambda v: (v == NOT_RECORDED, v.lower(), v))


# --- excerpts -------------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?]['\"’”)]*(?=\s)|\n")


def sentence_around(text: str, start: int, end: int, limit: int = EXCERPT_CHARS) -> tuple[str, int, int]:
    """(sentence, span start, span end) of the sentence holding text[start:end], trimmed to `limit`
    characters either side of the span with an ellipsis."""
    left = 0
    for m in _BOUNDARY.finditer(text, max(0, start - limit - 1), start):
        left = m.end()
    right = len(text)
    after = _BOUNDARY.search(text, end, min(len(text), end + limit + 1))
    if after:
        right = after.end() if text[after.start()] != "\n" else after.start()
    prefix = suffix = ""
    if start - left > limit:
        left = text.find(" ", start - limit, start) + 1 or start - limit
        prefix = "…"
    if right - end > limit:
        cut = text.rfind(" ", end, end + limit)
        right = cut if cut > end else end + limit
        suffix = "…"
    while left < start and text[left].isspace():
        left += 1
    sentence = prefix + " ".join(text[left:right].split("\n")).rstrip()
    s = len(prefix) + start - left
    return sentence + suffix, s, s + (end - start)


def build_example(finding: Finding, text: str | None, name: str | None) -> dict[str, Any]:
    """A pseudonymised excerpt: the sentence (or, without stored text, the flagged words alone),
    the highlighted span and the sentence with the first suggestion in place of the span."""
    if text is not None and 0 <= finding.start < finding.end <= len(text) \
            and text[finding.start:finding.end] == finding.text:
        sentence, s, e = sentence_around(text, finding.start, finding.end)
        context = "sentence"
    else:
        sentence, s, e = finding.text, 0, len(finding.text)
        context = "span"
    done = pseudonymise(sentence, keep=(s, e))
    hs, he = done.highlight or (s, e)
    before, span, after = done.text[:hs], done.text[hs:he], done.text[he:]
    first = finding.suggestions[0] if finding.suggestions else None
    return {
        "category": finding.category, "rule": finding.rule, "severity": finding.severity,
        "source": finding.source, "context": context, "before": before, "span": span, "after": after,
        "suggestion": first, "rewording": None if first is None else before + first + after,
        "replaced": done.replaced, "document": name,
    }


@dataclass(order=True)
class _Candidate:
    rank: tuple[int, float, int]  # severity, score, -order: higher is a better example
    finding: Finding = field(compare=False)
    text: str | None = field(compare=False)  # the sentence window only, never the whole note
    name: str | None = field(compare=False)


def _candidate(order: int, f: Finding, text: str | None, name: str | None) -> _Candidate:
    window = None
    if text is not None and 0 <= f.start < f.end <= len(text) and text[f.start:f.end] == f.text:
        lo = max(0, f.start - EXCERPT_CHARS - 2)
        hi = min(len(text), f.end + EXCERPT_CHARS + 2)
        window = text[lo:hi]
        f = replace(f, start=f.start - lo, end=f.end - lo)
    return _Candidate((SEVERITY_RANK.get(f.severity, 0), round(f.score, 6), -order), f, window, name)


def _choose_examples(candidates: list[_Candidate], rule_counts: Counter[str], n: int) -> list[dict[str, Any]]:
    """Up to n examples, one rule at a time (most frequent rule first), best candidate first."""
    by_rule: dict[str, list[_Candidate]] = {}
    for c in sorted(candidates, reverse=True):
        by_rule.setdefault(c.finding.rule, []).append(c)
    rules = sorted(by_rule, key=lambda r: (-rule_counts[r], r))
    chosen: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(chosen) < n and any(by_rule.values()):
        for rule in rules:
            if len(chosen) >= n:
                break
            while by_rule[rule]:
                c = by_rule[rule].pop(0)
                example = build_example(c.finding, c.text, c.name)
                key = example["before"] + example["span"] + example["after"]
                if key not in seen:
                    seen.add(key)
                    chosen.append(example)
                    break
    return chosen


# --- the audit ------------------------------------------------------------------------------------

def build_audit(documents: Iterable[AuditDocument], options: AuditOptions | None = None,
                run: Mapping[str, Any] | None = None, rule_notes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Aggregate a run's documents into the audit's numbers, tables and examples (JSON-ready)."""
    options = options or AuditOptions()
    explicit = set(options.group_columns) if options.group_columns is not None else None
    states: Counter[str] = Counter()
    overall = _Tally()
    months: dict[str, _Tally] = {}
    periods = {"before": _Tally(), "after": _Tally()}
    groups: dict[str, dict[str, _Tally]] = {}
    dropped: dict[str, str] = {}  # column -> why it is not grouped on
    date_keys: Counter[str] = Counter()
    word_sources: Counter[str] = Counter()
    undated = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    rule_findings: Counter[str] = Counter()
    rule_docs: Counter[str] = Counter()
    rule_info: dict[str, dict[str, Any]] = {}
    sources: Counter[str] = Counter()
    keep = max(options.examples * 10, 30)
    candidates: dict[str, list[_Candidate]] = {}
    order = 0

    for doc in documents:
        states[doc.state] += 1
        if doc.state != "scanned":
            continue
        found = list(doc.findings)
        words, word_source = _words_of(doc)
        word_sources[word_source or "none"] += 1
        overall.add(found, words)

        date_key = options.date_column if options.date_column is not None else next(
            (k for k in doc.meta if is_date_key(k)), None)
        when = parse_date(doc.meta.get(date_key)) if date_key is not None else None
        if when is None:
            undated += 1
        else:
            date_keys[date_key] += 1  # type: ignore[index]
            first_date = when if first_date is None else min(first_date, when)
            last_date = when if last_date is None else max(last_date, when)
            _tally(months, f"{when.year:04d}-{when.month:02d}").add(found, words)
            if options.compare_before is not None:
                periods["before" if when < options.compare_before else "after"].add(found, words)

        columns = explicit if explicit is not None else (
            k for k in doc.meta if k not in dropped and _auto_group(k))
        for key in columns:
            value = _group_value(doc.meta.get(key))
            if value is None or (explicit is None and len(value) > 60):
                dropped[key] = "values are not short labels"
                groups.pop(key, None)
                continue
            table = groups.setdefault(key, {})
            _tally(table, value).add(found, words)
            if explicit is None and len(table) > options.max_groups:
                dropped[key] = f"more than {options.max_groups} distinct values"
                groups.pop(key)

        for f in found:
            rule_findings[f.rule] += 1
            sources[f.source] += 1
            info = rule_info.setdefault(f.rule, {"category": f.category, "severity": Counter(), "source": Counter(),
                                                 "message": f.message, "suggestions": Counter()})
            if info["message"] != f.message:
                info["message"] = None  # per-finding wording (e.g. a context finding's citation): not shown
            info["severity"][f.severity] += 1
            info["source"][f.source] += 1
            if f.suggestions:
                info["suggestions"][tuple(f.suggestions[:3])] += 1
            order += 1
            if options.examples > 0:
                heap = candidates.setdefault(f.category, [])
                c = _candidate(order, f, doc.text, doc.name if options.include_ids else None)
                if len(heap) < keep:
                    heapq.heappush(heap, c)
                elif c > heap[0]:
                    heapq.heapreplace(heap, c)
        rule_docs.update({f.rule for f in found})

    for key in list(groups):
        if set(groups[key]) == {NOT_RECORDED}:
            del groups[key]
            if explicit is not None:
                dropped[key] = "no document has this column"
    return _assemble(options, run or {}, states, overall, months, periods, groups, dropped, date_keys,
                     word_sources, undated, first_date, last_date, rule_findings, rule_docs, rule_info, sources,
                     candidates, rule_notes or {})


def _assemble(options: AuditOptions, run: Mapping[str, Any], states: Counter[str], overall: _Tally,
              months: dict[str, _Tally], periods: dict[str, _Tally], groups: dict[str, dict[str, _Tally]],
              dropped: dict[str, str], date_keys: Counter[str], word_sources: Counter[str], undated: int,
              first_date: dt.date | None, last_date: dt.date | None, rule_findings: Counter[str],
              rule_docs: Counter[str], rule_info: dict[str, dict[str, Any]], sources: Counter[str],
              candidates: dict[str, list[_Candidate]], rule_notes: Mapping[str, str]) -> dict[str, Any]:
    n = overall.documents
    words = overall.known_words
    headline = {
        "inputs": sum(states.values()), "scanned": n, "skipped": states["skipped"], "failed": states["failed"],
        **{k: v for k, v in _rates(overall).items() if k != "documents"},
        "words_known_for": n - overall.words_missing,
        "first_date": first_date.isoformat() if first_date else None,
        "last_date": last_date.isoformat() if last_date else None,
        "dated_documents": n - undated, "undated_documents": undated,
    }
    by_severity = [{"severity": s, "findings": overall.by_severity[s],
                    "documents_with": overall.docs_by_severity[s],
                    "per_1000_documents": per_1000(overall.by_severity[s], n),
                    "per_100000_words": per_100k_words(overall.by_severity[s], words)} for s in SEVERITIES]
    category_ids = [c for c in CATEGORY_IDS] + sorted(set(overall.by_category) - set(CATEGORY_IDS))
    by_category = []
    for c in category_ids:
        about = CATEGORIES.get(c)
        by_category.append({
            "category": c, "title": about.title if about else c, "findings": overall.by_category[c],
            "documents_with": overall.docs_by_category[c],
            "percent_of_findings": _share(overall.by_category[c], overall.findings),
            "per_1000_documents": per_1000(overall.by_category[c], n),
            "per_100000_words": per_100k_words(overall.by_category[c], words),
            "definition": about.definition if about else "", "why": about.why if about else "",
            "alternatives": list(about.alternatives) if about else [],
        })
    ranked = sorted(rule_findings, key=lambda r: (-rule_findings[r], r))
    by_rule = []
    for rule in ranked[:options.top_rules]:
        info = rule_info[rule]
        suggestions = info["suggestions"].most_common(1)
        by_rule.append({
            "rule": rule, "category": info["category"], "severity": info["severity"].most_common(1)[0][0],
            "source": info["source"].most_common(1)[0][0], "findings": rule_findings[rule],
            "documents_with": rule_docs[rule], "per_1000_documents": per_1000(rule_findings[rule], n),
            "percent_of_findings": _share(rule_findings[rule], overall.findings),
            "message": _rule_message(info, CATEGORIES.get(info["category"])), "why": rule_notes.get(rule, ""),
            "suggestions": list(suggestions[0][0]) if suggestions else [],
        })

    month_table = _group_table(months, options.min_group, sorted(months)) if months else None
    trend = _trend(months, month_table, category_ids) if months else None
    group_tables = {key: {"column": key, **_group_table(table, options.min_group, _value_order(table))}
                    for key, table in groups.items() if key not in dropped}

    comparison = None
    if options.compare_before is not None:
        before, after = periods["before"], periods["after"]
        rows = [{"category": "all", "title": "All categories",
                 **rate_ratio(before.findings, before.documents, after.findings, after.documents, options.min_group)}]
        for c in category_ids:
            if before.by_category[c] or after.by_category[c]:
                rows.append({"category": c, "title": CATEGORIES[c].title if c in CATEGORIES else c,
                             **rate_ratio(before.by_category[c], before.documents, after.by_category[c],
                                          after.documents, options.min_group)})
        comparison = {"split": options.compare_before.isoformat(), "before_documents": before.documents,
                      "after_documents": after.documents, "undated_excluded": undated, "rows": rows}

    category_rule_counts = Counter(rule_findings)
    examples = {c: _choose_examples(candidates[c], category_rule_counts, options.examples)
                for c in category_ids if c in candidates}
    words_from = sorted(k for k in word_sources if k != "none")
    empty = n == 0
    return {
        "format": FORMAT,
        "run": dict(run),
        "settings": {
            "min_group": options.min_group, "examples": options.examples, "include_ids": options.include_ids,
            "compare_before": options.compare_before.isoformat() if options.compare_before else None,
            "date_column": (options.date_column or (date_keys.most_common(1)[0][0] if date_keys else None)),
            "word_counts_from": words_from, "top_rules": options.top_rules,
        },
        "empty": empty,
        "message": _empty_message(states) if empty else None,
        "headline": headline,
        "by_severity": by_severity,
        "by_source": {s: sources[s] for s in sorted(sources)},
        "by_category": by_category,
        "by_rule": by_rule,
        "rules_fired": len(rule_findings),
        "groups": group_tables,
        "columns_not_grouped": dict(sorted(dropped.items())),
        "by_month": month_table,
        "trend": trend,
        "comparison": comparison,
        "examples": examples,
    }


def _rule_message(info: Mapping[str, Any], about: Any) -> str:
    """A rule's message, only when it is the same for every finding and not from the context stage,
    whose messages cite other notes by id and quote the harm they record; else the category's reason."""
    if info["message"] and "context" not in info["source"]:
        return str(info["message"])
    return about.why if about else ""


def _empty_message(states: Counter[str]) -> str:
    if not states:
        return "Nothing to audit: the run has no documents."
    return (f"Nothing to audit: none of the run's {sum(states.values())} inputs was scanned "
            f"({states['skipped']} skipped, {states['failed']} failed).")


def _month_range(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _trend(months: dict[str, _Tally], table: dict[str, Any] | None, category_ids: list[str]) -> dict[str, Any]:
    shown = {row["value"] for row in (table or {}).get("rows", [])}
    labels = _month_range(min(months), max(months))
    per_category = {}
    for c in category_ids:
        if any(months[m].by_category[c] for m in months if m in shown):
            per_category[c] = [per_1000(months[m].by_category[c], months[m].documents) if m in shown else None
                               for m in labels]
    return {"months": labels,
            "documents": [months[m].documents if m in shown else None for m in labels],
            "all": [per_1000(months[m].findings, months[m].documents) if m in shown else None for m in labels],
            "categories": per_category}


def numbers(audit: Mapping[str, Any]) -> dict[str, Any]:
    """The aggregated numbers only (for --format json): no excerpts."""
    return {k: v for k, v in audit.items() if k != "examples"}


# --- where documents come from ------------------------------------------------------------------

def documents_from_store(store: Any, run_id: int) -> Iterator[AuditDocument]:
    """A stored run's documents through the store's read API (resumed documents count as scanned)."""
    for d in store.iter_documents(run_id, with_text=True):
        yield AuditDocument(findings=list(d.findings), state=d.effective_state, meta=d.meta or {}, text=d.text,
                            name=d.name)


def run_info(run: Any) -> dict[str, Any]:
    config = run.config or {}
    return {
        "source": "store", "id": run.id, "status": run.status,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "tool_version": run.tool_version, "lexicon_version": run.lexicon_version,
        "model_version": run.model_version, "text_stored": bool(config.get("store_text", True)),
    }


def documents_from_results(stream: IO[str], where: str) -> Iterator[AuditDocument]:
    """Documents of a JSON results file (check --format json) or JSONL (one document per line),
    streamed line by line for JSONL.

    Each document: {"path"|"id", "findings", optional "error", "state", "meta", "text", "words"}."""
    first = ""
    for first in stream:
        if first.strip():
            break
    try:
        head = json.loads(first) if first.strip() else None
    except ValueError:
        head = None  # an indented JSON document
    if head is None or (isinstance(head, dict) and "documents" in head):
        try:
            data = head if head is not None else json.loads(first + stream.read())
            records = data["documents"]
        except (ValueError, KeyError, TypeError):
            raise AuditError(f"{where}: not a languagecheck JSON or JSONL results file") from None
        yield from (_record(r, where, i + 1) for i, r in enumerate(records))
        return
    yield _record(head, where, 1)
    for number, line in enumerate(stream, 2):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise AuditError(f"{where}: document {number} is not a JSON line") from None
        yield _record(record, where, number)


def _record(record: Any, where: str, number: int) -> AuditDocument:
    if not isinstance(record, dict) or not isinstance(record.get("findings", []), list):
        raise AuditError(f"{where}:{number}: a document needs a 'findings' list")
    try:
        found = [Finding.from_dict(f) for f in record.get("findings") or []]
    except (KeyError, TypeError, ValueError):
        raise AuditError(f"{where}:{number}: a finding is missing fields of the findings contract") from None
    state = record.get("state") or ("failed" if record.get("error") else "scanned")
    text = record.get("text") if isinstance(record.get("text"), str) else None
    meta: dict[str, Any] = record["meta"] if isinstance(record.get("meta"), dict) else {}
    words = record.get("words") if isinstance(record.get("words"), int) else None
    return AuditDocument(findings=found, state=state, meta=meta, text=text, words=words,
                         name=record.get("id") or record.get("path"))


def explain_rules(audit: dict[str, Any], notes: Mapping[str, str]) -> dict[str, Any]:
    """Fill each rule row's 'why' from `notes` (rule id -> explanation) where it is still empty."""
    for row in audit["by_rule"]:
        row["why"] = row["why"] or notes.get(row["rule"], "")
    return audit


@functools.lru_cache(maxsize=1)
def rule_explanations() -> dict[str, str]:
    """rule id -> the lexicon's 'why' for it, or a context family's message (empty where the packs
    cannot be read)."""
    import yaml

    from .lexicon import pack_paths

    notes: dict[str, str] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in pack_paths():  # parsed, not validated (that is `lexicon validate`'s job): a second, not three
        try:
            for raw in yaml.load(path.read_text("utf-8"), Loader=loader)["entries"]:
                notes[str(raw["id"])] = " ".join(str(raw.get("why") or raw["message"]).split())
        except Exception:  # one unreadable pack does not lose the others; stored messages remain
            continue
    try:  # risk-not-harm rules of the context stage: the family's own message, without a citation
        from .context_packs import context_pack_paths, load_context_packs

        for pack in load_context_packs(context_pack_paths()):
            notes.update({f.id: f.message for f in pack.families if f.message})
    except Exception:
        pass
    return notes
