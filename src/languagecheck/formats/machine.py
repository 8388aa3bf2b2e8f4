"""Machine-readable outputs: JSON, JSONL, SARIF 2.1.0 and GitHub workflow annotations."""

from __future__ import annotations

import json
from typing import Any

from .._version import __version__
from ..results import DocumentResult, run_json

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def to_json(results: list[DocumentResult]) -> str:
    return json.dumps(run_json(results), indent=2, ensure_ascii=False)


def to_jsonl(results: list[DocumentResult]) -> str:
    lines = []
    for r in results:
        record: dict[str, Any] = {**r.key(), "findings": [f.to_dict() for f in r.findings]}
        if r.error:
            record["error"] = r.error
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")


def to_sarif(results: list[DocumentResult], rules: dict[str, dict[str, str]]) -> str:
    """SARIF 2.1.0; `rules` maps rule id -> {category, message, help}."""
    used = sorted({f.rule for r in results for f in r.findings})
    index = {rule: i for i, rule in enumerate(used)}
    sarif_results = [item for r in results for item in sarif_results_of(r, index)]
    failed = [r.error or "failed" for r in results if r.state == "failed"]
    return json.dumps(sarif_log([sarif_rule(rule, rules.get(rule, {})) for rule in used], failed, sarif_results),
                      indent=2, ensure_ascii=False)


def sarif_rule(rule: str, info: dict[str, str]) -> dict[str, Any]:
    return {
        "id": rule,
        "name": rule.replace("/", "-"),
        "shortDescription": {"text": info.get("message", rule)[:200]},
        "fullDescription": {"text": info.get("message", rule)},
        "help": {"text": info.get("help") or info.get("message", rule)},
        "properties": {"category": info.get("category", "")},
    }


def sarif_results_of(r: DocumentResult, index: dict[str, int]) -> list[dict[str, Any]]:
    """The SARIF results of one document; `index` maps rule id -> position in the rule table."""
    uri = r.path or r.id or "stdin"
    out = []
    for f in r.findings:
        end_line = f.line + f.text.count("\n")
        end_column = (len(f.text) - f.text.rfind("\n")) if "\n" in f.text else f.column + len(f.text)
        region = {"startLine": f.line, "startColumn": f.column, "endLine": end_line,
                  "endColumn": end_column, "charOffset": f.start, "charLength": f.end - f.start}
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.redacted_message()},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
            "properties": {"category": f.category, "source": f.source, "score": f.score},
        }
        if f.suggestions:
            result["fixes"] = [{
                "description": {"text": f"Replace with: {s}"},
                "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": [
                    {"deletedRegion": {"charOffset": f.start, "charLength": f.end - f.start},
                     "insertedContent": {"text": s}}]}],
            } for s in f.suggestions]
        out.append(result)
    return out


def sarif_log(driver_rules: list[dict[str, Any]], failed: list[str], results: Any) -> dict[str, Any]:
    """The SARIF document around `results`; `failed` holds one reason per document that failed."""
    invocation: dict[str, Any] = {"executionSuccessful": not failed}
    if failed:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": e}} for e in failed]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "languagecheck", "version": __version__,
                                "informationUri": "https://example.invalid/languagecheck", "rules": driver_rules}},
            "invocations": [invocation],
            "results": results,
        }],
    }


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def to_github(results: list[DocumentResult]) -> str:
    """GitHub Actions workflow commands (::error file=...,line=...::message)."""
    lines = []
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for r in results:
        for f in r.findings:
            props = (f"file={_escape_property(r.path or r.name)},line={f.line},col={f.column},"
                     f"endColumn={f.column + len(f.text)},title={_escape_property(f.category + '/' + f.rule)}")
            hint = f" Suggestion: {f.suggestions[0]}" if f.suggestions else ""
            lines.append(f"::{level[f.severity]} {props}::{_escape_data(f.redacted_message() + hint)}")
        if r.state == "failed":
            lines.append(f"::error title=languagecheck::{_escape_data(r.error or 'failed')}")
    return "\n".join(lines) + ("\n" if lines else "")
