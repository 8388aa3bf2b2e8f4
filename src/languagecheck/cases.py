"""Notes grouped into cases for a batch scan (`scan --group-by COLUMN [--order-by COLUMN]`).

The notes of one case can be anywhere in an export, but the context stage must read a case's notes
together and in order. So the inputs are read once into a temporary SQLite file (created private to
the user, deleted when the scan ends) keyed by case, then read back one whole case at a time, its
notes sorted by `order_by` (else in input order). Memory holds one case, not the export. The stdlib
`sqlite3` module and `pickle` are the spill: no server, nothing to install.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .documents import Document
from .errors import LanguagecheckError
from .readers import Item, find_column, show_columns
from .scanner import order_key


class GroupingError(LanguagecheckError):
    """--group-by / --order-by name a column no input has."""

    code = "E700"


@dataclass(frozen=True)
class Grouping:
    column: str  # metadata column holding the case id
    order_by: str | None = None  # metadata column giving the order of a case's notes (e.g. a date)

    def settings(self) -> dict[str, Any]:
        return {"group_by": self.column, "order_by": self.order_by}


def field_of(item: Item, column: str | None) -> Any:
    """A note's metadata value, the column named as the readers match it ("Case ID" for case_id)."""
    if column is None or not isinstance(item, Document):
        return None
    found = find_column(list(item.meta), column)
    return item.meta[found] if found is not None else None


def case_of(item: Item, grouping: Grouping) -> Any:
    """The case id of a note, or None when it has none (it is then read alone)."""
    value = field_of(item, grouping.column)
    return None if value is None or value == "" else value


class CaseSpill:
    """Every input, written once, read back case by case (cases in order of first appearance)."""

    def __init__(self, items: Iterable[Item], grouping: Grouping, directory: str | None = None):
        self.grouping = grouping
        handle, self.path = tempfile.mkstemp(prefix="languagecheck-cases-", suffix=".sqlite", dir=directory)
        os.close(handle)  # mkstemp made it readable by this user only
        self.db = sqlite3.connect(self.path)
        self.db.execute("CREATE TABLE notes (seq INTEGER PRIMARY KEY, unit INTEGER NOT NULL, item BLOB NOT NULL)")
        self.units = 0
        self.documents = self.with_case = self.with_order = 0
        self.columns: dict[str, None] = {}  # metadata columns seen, for the error message
        self._fill(items)
        self.db.execute("CREATE INDEX notes_unit ON notes (unit, seq)")
        self.db.commit()

    def _fill(self, items: Iterable[Item]) -> None:
        ranks: dict[Any, int] = {}  # case id -> unit number (one entry per case, not per note)
        rows = []
        for seq, item in enumerate(items):
            case = case_of(item, self.grouping)
            if isinstance(item, Document):
                self.documents += 1
                self.with_case += case is not None
                self.with_order += field_of(item, self.grouping.order_by) is not None
                self.columns.update(dict.fromkeys(item.meta))
            key = ("case", _hashable(case)) if case is not None else ("alone", seq)
            if key not in ranks:
                ranks[key] = self.units
                self.units += 1
            rows.append((seq, ranks[key], pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)))
            if len(rows) >= 1000:
                self.db.executemany("INSERT INTO notes VALUES (?, ?, ?)", rows)
                rows = []
        self.db.executemany("INSERT INTO notes VALUES (?, ?, ?)", rows)

    def check(self) -> None:
        """Refuse a column that no note has: a misspelt --group-by would silently read every note alone."""
        seen = show_columns(list(self.columns))
        if self.documents and not self.with_case:
            raise GroupingError(f"--group-by {self.grouping.column}: no input has a value in that column "
                                f"(metadata columns found: {seen})")
        if self.documents and self.grouping.order_by and not self.with_order:
            raise GroupingError(f"--order-by {self.grouping.order_by}: no input has that column "
                                f"(metadata columns found: {seen})")

    def cases(self) -> Iterator[list[tuple[int, Item]]]:
        """(input position, item) lists, one per case (or lone note), each in reading order."""
        for unit in range(self.units):
            rows = self.db.execute("SELECT seq, item FROM notes WHERE unit = ? ORDER BY seq", (unit,)).fetchall()
            members = [(seq, pickle.loads(blob)) for seq, blob in rows]  # our own file, written above
            if self.grouping.order_by:
                column = self.grouping.order_by
                members.sort(key=lambda m: (order_key(field_of(m[1], column)), m[0]))
            yield members

    def close(self) -> None:
        self.db.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(self.path + suffix)
            except FileNotFoundError:
                pass

    def __enter__(self) -> CaseSpill:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _hashable(value: Any) -> Any:
    """Case ids from JSON can be lists or objects: compare them by their JSON-like repr."""
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)
