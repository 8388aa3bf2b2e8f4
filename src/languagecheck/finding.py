"""The findings contract: one frozen record per flagged span, identical in Python and JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SOURCES = ("lexicon", "model", "context")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class Evidence:
    """Harm recorded in the note (or, in a case, an earlier note) that a context finding cites."""

    line: int
    excerpt: str  # a short piece of the note's sentence: note text
    document: str | None = None  # id of the earlier note of the case; None for the same note
    family: str = ""  # harm-evidence family id

    def cite(self, quote: bool = True) -> str:
        """'Harm is recorded at line 3: '...'.' (`quote=False`: the place only, no note text)."""
        place = f"in note {self.document}, line {self.line}" if self.document is not None else f"at line {self.line}"
        if not quote:
            return f"Harm is recorded {place}."
        end = "" if self.excerpt[-1:] in ".!?" else "."
        return f"Harm is recorded {place}: '{self.excerpt}'{end}"


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    text: str
    line: int
    column: int
    category: str
    rule: str
    severity: str
    source: str
    score: float
    message: str
    suggestions: tuple[str, ...] = field(default_factory=tuple)
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)  # what a context finding cites

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["suggestions"] = list(self.suggestions)
        data["evidence"] = [asdict(e) for e in self.evidence]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k != "evidence"}
        fields["suggestions"] = tuple(fields["suggestions"])
        return cls(**fields, evidence=evidences_from(data.get("evidence")))

    def redacted_message(self, keep_place: bool = True) -> str:
        """The message without the note text its citations quote, for outputs that leave the user's
        screen (CI annotations, SARIF): each citation keeps its line (`keep_place`) or goes."""
        message = self.message
        for e in self.evidence:
            message = message.replace(e.cite(), e.cite(quote=False) if keep_place else "")
        return " ".join(message.split())


def evidences_from(rows: Any) -> tuple[Evidence, ...]:
    """Evidence records from their dict form (JSON, the results store); none for a missing value."""
    return tuple(Evidence(**row) for row in rows or ())


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
