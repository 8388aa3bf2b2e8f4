"""Output formats for a run: text (terminal), json, jsonl, sarif, github."""

FORMATS = ("text", "json", "jsonl", "sarif", "github")
