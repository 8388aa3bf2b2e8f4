"""Turn paths into a stream of Documents to scan, or Unscanned records saying why not.

Every input ends as exactly one item: a Document (scannable text), or an Unscanned record that is
skipped (nothing to scan: empty, unsupported type, no text layer) or failed (with the reason).
Files are walked recursively; CSV/TSV/JSONL/JSON exports yield one item per record and are streamed,
so memory does not grow with the size of the export. Reasons never contain note text.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import errors
from .documents import DEFAULT_MAX_MB, Document, decode, read_bytes
from .errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
KINDS = {**{s: "text" for s in TEXT_SUFFIXES}, ".docx": "docx", ".pdf": "pdf", ".csv": "csv", ".tsv": "tsv",
         ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
RECORD_KINDS = ("csv", "tsv", "jsonl", "json")

# Column names that obviously hold the note, in order of preference (compared after normalising).
TEXT_NAMES = ("text", "note", "note_text", "notes", "case_note", "casenote", "body", "content", "narrative",
              "entry", "details", "description", "comments", "comment", "observations")
ID_NAMES = ("id", "note_id", "noteid", "record_id", "recordid", "entry_id", "case_note_id", "uuid", "ref",
            "reference", "note_ref")
_SAMPLE_RECORDS = 100  # records looked at to recognise the text column
_MIN_TEXT_CHARS = 30  # a column needs notes at least this long on average to be "obviously the text"
_CHUNK = 1 << 16
_SNIFF = 8192


@dataclass(frozen=True)
class ReadOptions:
    text_column: str | None = None
    id_column: str | None = None
    meta_columns: tuple[str, ...] = ()  # empty: every column except the text and id
    max_mb: float = DEFAULT_MAX_MB


@dataclass(frozen=True)
class Unscanned:
    """An input that is not scanned: state is 'skipped' or 'failed'; reason is one line, no note text."""

    state: str
    reason: str
    code: str
    path: str | None = None
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_error(cls, exc: InputError, path: str | None = None, id: str | None = None,
                   meta: dict[str, Any] | None = None) -> Unscanned:
        state = "skipped" if exc.code in errors.SKIP_CODES else "failed"
        return cls(state=state, reason=str(exc), code=exc.code, path=path, id=id, meta=meta or {})

    @property
    def name(self) -> str:
        return self.id or self.path or "<input>"


Item = Document | Unscanned


def content_hash(text: str) -> str:
    """SHA-256 of the document text: what --resume recognises as 'already scanned'."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def kind_of(path: Path) -> str | None:
    return KINDS.get(path.suffix.lower())


def walk(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path | None]]:
    """(file, the directory argument it was found under or None), sorted, recursing into directories.

    Hidden files and folders (names starting with '.') inside a directory are not walked, nor are
    symbolic links to folders (no loops); paths given explicitly are always read.
    """
    for given in paths:
        root = Path(given)
        if not root.is_dir():
            yield root, None
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield Path(folder) / name, root


def iter_inputs(paths: Iterable[str | Path], options: ReadOptions | None = None) -> Iterator[Item]:
    """Every document found under `paths`, streaming, in a stable order."""
    options = options or ReadOptions()
    for path, _root in walk(paths):
        yield from read_path(path, options)


def count_inputs(paths: Iterable[str | Path], options: ReadOptions | None = None) -> int:
    """How many items iter_inputs will yield, without extracting .docx/.pdf text (for progress bars)."""
    options = options or ReadOptions()
    total = 0
    for path, _root in walk(paths):
        if kind_of(path) in RECORD_KINDS and path.is_file():
            total += sum(1 for _ in read_path(path, options))
        else:
            total += 1
    return total


def read_path(path: Path, options: ReadOptions | None = None) -> Iterator[Item]:
    """The items of one file: one for a document file, one per record for an export."""
    options = options or ReadOptions()
    name = str(path)
    try:
        if path.is_dir():
            raise errors.input_error(name, errors.NOT_A_FILE)
        if not path.exists():
            raise errors.input_error(name, errors.NOT_FOUND)
        kind = kind_of(path)
        if kind is None:
            raise errors.input_error(name, errors.UNSUPPORTED, suffix=path.suffix.lower() or "(none)")
        if kind in RECORD_KINDS:
            yield from _RECORD_READERS[kind](path, options)
            return
        text = _EXTRACTORS[kind](path, options)
        if not text.strip():
            raise errors.input_error(name, errors.EMPTY)
        yield Document(text=text, path=name)
    except InputError as exc:
        yield Unscanned.from_error(exc, path=name)


# --- single documents -----------------------------------------------------------------------------

def _read_text(path: Path, options: ReadOptions) -> str:
    return decode(read_bytes(path, options.max_mb), str(path))


def _read_docx(path: Path, options: ReadOptions) -> str:
    """Paragraphs and table rows in document order, one per line."""
    import zipfile

    data = read_bytes(path, options.max_mb)
    if not data.strip():
        raise errors.input_error(str(path), errors.EMPTY)
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[Any] = []
                    for cell in row.cells:  # a merged cell is repeated; keep it once
                        if not cells or cell._tc is not cells[-1]._tc:
                            cells.append(cell)
                    lines.append("\t".join(c.text for c in cells))
            else:
                lines.append(block.text)
    except zipfile.BadZipFile:
        raise errors.input_error(str(path), errors.CORRUPT, kind="a Word document",
                                 reason="the file is truncated or not a .docx") from None
    except Exception as exc:  # python-docx raises many types for damaged files; name it, never echo it
        raise errors.input_error(str(path), errors.CORRUPT, kind="a Word document",
                                 reason=f"damaged file: {exc.__class__.__name__}") from None
    return "\n".join(lines)


def _read_pdf(path: Path, options: ReadOptions) -> str:
    data = read_bytes(path, options.max_mb)
    if not data.strip():
        raise errors.input_error(str(path), errors.EMPTY)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings can quote document content
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise errors.input_error(str(path), errors.ENCRYPTED)
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:
        raise errors.input_error(str(path), errors.CORRUPT, kind="a PDF",
                                 reason=f"damaged file: {exc.__class__.__name__}") from None
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise errors.input_error(str(path), errors.NO_TEXT_LAYER)
    return text


_EXTRACTORS = {"text": _read_text, "docx": _read_docx, "pdf": _read_pdf}


# --- record exports -------------------------------------------------------------------------------

def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def show_columns(columns: list[str]) -> str:
    """Column names for error messages; a long 'name' is probably a note in a header-less file."""
    shown = [c if len(c) <= 40 else f"<column {i + 1}: not a header name>" for i, c in enumerate(columns)]
    return ", ".join(shown) or "none"


def find_column(columns: list[str], wanted: str) -> str | None:
    if wanted in columns:
        return wanted
    matches = [c for c in columns if _normalise(c) == _normalise(wanted)]
    return matches[0] if matches else None


@dataclass(frozen=True)
class _Layout:
    text: str
    id: str | None
    meta: tuple[str, ...] | None  # None: every other column


def _layout(name: str, columns: list[str], sample: list[dict[str, Any]], options: ReadOptions) -> _Layout:
    def require(wanted: str, what: str) -> str:
        found = find_column(columns, wanted)
        if found is None:
            raise errors.input_error(name, errors.NO_COLUMN, what=what, column=wanted,
                                     columns=show_columns(columns))
        return found

    text = require(options.text_column, "text") if options.text_column else _guess_text(name, columns, sample)
    if options.id_column:
        id_column: str | None = require(options.id_column, "id")
    else:
        by_name = {_normalise(c): c for c in columns if c != text}
        id_column = next((by_name[n] for n in ID_NAMES if n in by_name), None)
    meta = tuple(require(m, "metadata") for m in options.meta_columns) if options.meta_columns else None
    return _Layout(text=text, id=id_column, meta=meta)


def _guess_text(name: str, columns: list[str], sample: list[dict[str, Any]]) -> str:
    by_name = {_normalise(c): c for c in columns}
    for candidate in TEXT_NAMES:
        if candidate in by_name:
            return by_name[candidate]
    lengths = []
    for column in columns:
        values = [v for v in (r.get(column) for r in sample) if isinstance(v, str)]
        lengths.append((sum(map(len, values)) / max(1, len(sample)), column))
    lengths.sort(reverse=True)
    longest = lengths[0][0] if lengths else 0.0
    if longest >= _MIN_TEXT_CHARS and (len(lengths) == 1 or longest >= 2 * lengths[1][0]):
        return lengths[0][1]
    raise errors.input_error(name, errors.UNCLEAR_TEXT_COLUMN, columns=show_columns(columns))


def _records_to_items(name: str, columns: list[str], records: Iterator[tuple[int, Any]],
                      options: ReadOptions) -> Iterator[Item]:
    """records: (record number, dict | InputError). Yields one item per record."""
    sample = list(itertools.islice(records, _SAMPLE_RECORDS))
    if not sample:
        raise errors.input_error(name, errors.NO_RECORDS)
    dicts = [r for _, r in sample if isinstance(r, dict)]
    if not columns:  # JSON: the keys seen in the first records, in order of first appearance
        columns = list(dict.fromkeys(k for r in dicts for k in r))
    layout = _layout(name, columns, dicts, options)
    limit = int(options.max_mb * 1024 * 1024)
    for number, record in itertools.chain(sample, records):
        where = f"{name}#{number}"
        if isinstance(record, InputError):
            yield Unscanned.from_error(record, path=name, id=where)
            continue
        raw_id = record.get(layout.id) if layout.id else None
        doc_id = str(raw_id) if raw_id not in (None, "") else where
        if layout.meta is None:
            meta = {k: v for k, v in record.items() if k not in (layout.text, layout.id)}
        else:
            meta = {k: record.get(k) for k in layout.meta}
        text = record.get(layout.text)
        problem = None
        if isinstance(text, (dict, list)):
            holds = f"the '{layout.text}' field holds a JSON {type(text).__name__}"
            problem = errors.input_error(where, errors.BAD_RECORD, problem=holds)
        elif text is None or not str(text).strip():
            problem = errors.input_error(where, errors.EMPTY)
        elif len(str(text)) > limit:
            problem = errors.input_error(where, errors.TOO_LARGE, size_mb=len(str(text)) / 1024 / 1024,
                                         limit_mb=options.max_mb)
        if problem:
            yield Unscanned.from_error(problem, path=name, id=doc_id, meta=meta)
        else:
            yield Document(text=str(text), path=name, id=doc_id, meta=meta)


def detect_encoding(path: Path) -> str:
    """The encoding of a (possibly large) export, found without reading it all into memory."""
    name = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF)
            if not head.strip():
                raise errors.input_error(name, errors.EMPTY)
            if head.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: same first bytes
                return "utf-32"
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            if b"\x00" in head:
                raise errors.input_error(name, errors.BINARY)
            fh.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8")()
            sample = b""
            try:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    sample = sample or block
                    decoder.decode(block)
                decoder.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise errors.input_error(name, errors.UNREADABLE, reason=reason) from None
    # Not UTF-8: record-system exports from Windows are Windows-1252 almost always.
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise errors.input_error(name, errors.UNDECODABLE)
    return best.encoding


def _open_text(path: Path) -> IO[str]:
    # errors="replace": one stray byte deep in a large export must not lose the records after it
    return path.open("r", encoding=detect_encoding(path), errors="replace", newline="")


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path, options: ReadOptions, delimiter: str | None = None) -> Iterator[Item]:
    name = str(path)
    limit = int(options.max_mb * 1024 * 1024)
    csv.field_size_limit(max(limit, csv.field_size_limit()))
    with _open_text(path) as stream:
        if delimiter is None:
            delimiter = _sniff_delimiter(stream.readline())
            stream.seek(0)
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise errors.input_error(name, errors.CORRUPT, kind="CSV", reason=str(exc)) from None
        if not header or not any(h.strip() for h in header):
            raise errors.input_error(name, errors.EMPTY)
        columns = [h.strip() or f"column {i + 1}" for i, h in enumerate(header)]
        width = len(columns)

        def records() -> Iterator[tuple[int, Any]]:
            number = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise errors.input_error(name, errors.CORRUPT, kind="CSV",
                                             reason=f"after record {number}: {exc}") from None
                if not row or not any(cell.strip() for cell in row):
                    continue  # a blank line is not a record
                number += 1
                if len(row) != width:
                    yield number, errors.input_error(
                        f"{name}#{number}", errors.BAD_RECORD,
                        problem=f"has {len(row)} fields where the header has {width}")
                else:
                    yield number, dict(zip(columns, row, strict=True))

        yield from _records_to_items(name, columns, records(), options)


def _read_tsv(path: Path, options: ReadOptions) -> Iterator[Item]:
    return _read_csv(path, options, delimiter="\t")


def _read_jsonl(path: Path, options: ReadOptions) -> Iterator[Item]:
    name = str(path)
    with _open_text(path) as stream:

        def records() -> Iterator[tuple[int, Any]]:
            number = 0
            for line in stream:
                if not line.strip():
                    continue
                number += 1
                try:
                    value = json.loads(line)
                except ValueError as exc:
                    yield number, errors.input_error(f"{name}#{number}", errors.BAD_RECORD,
                                                     problem=f"is not valid JSON ({_json_reason(exc)})")
                    continue
                yield number, _as_record(value, f"{name}#{number}")

        yield from _records_to_items(name, [], records(), options)


def _json_reason(exc: ValueError) -> str:
    return getattr(exc, "msg", exc.__class__.__name__)  # json's message names a position, not content


def _as_record(value: Any, where: str) -> dict[str, Any] | InputError:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        return {"text": value}
    problem = f"is a JSON {type(value).__name__}, not an object"
    return errors.input_error(where, errors.BAD_RECORD, problem=problem)


def _read_json(path: Path, options: ReadOptions) -> Iterator[Item]:
    """A top-level array is streamed; an object is one record, or holds the list of records."""
    name = str(path)
    with _open_text(path) as stream:
        first = stream.read(_SNIFF).lstrip()[:1]
        stream.seek(0)
        if first == "[":
            values: Iterator[Any] = _json_array(stream, name)
        else:
            if path.stat().st_size > options.max_mb * 1024 * 1024:
                raise errors.input_error(name, errors.TOO_LARGE, size_mb=path.stat().st_size / 1024 / 1024,
                                         limit_mb=options.max_mb)
            try:
                data = json.loads(stream.read())
            except ValueError as exc:
                reason = _json_reason(exc)
                raise errors.input_error(name, errors.CORRUPT, kind="JSON", reason=reason) from None
            lists = [v for v in data.values() if isinstance(v, list)] if isinstance(data, dict) else []
            values = iter(lists[0] if len(lists) == 1 else [data])
        records = ((n, _as_record(v, f"{name}#{n}")) for n, v in enumerate(values, 1))
        yield from _records_to_items(name, [], records, options)


def _json_array(stream: IO[str], name: str) -> Iterator[Any]:
    """The items of a top-level JSON array, decoded one at a time from a text stream."""
    decoder = json.JSONDecoder()
    buf, pos, eof = "", 0, False

    def fill() -> None:
        nonlocal buf, pos, eof
        chunk = stream.read(_CHUNK)
        eof = not chunk
        buf, pos = buf[pos:] + chunk, 0

    def peek() -> str | None:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos].isspace():
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if eof:
                return None
            fill()

    def broken(reason: str) -> InputError:
        return errors.input_error(name, errors.CORRUPT, kind="JSON", reason=reason)

    peek()
    pos += 1  # the '['
    if peek() == "]":
        return
    while True:
        if peek() is None:
            raise broken("the array is not closed (truncated file?)")
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                if end < len(buf) or eof:
                    break
            except ValueError as exc:
                if eof:
                    raise broken(_json_reason(exc)) from None
            fill()
        pos = end
        yield value
        following = peek()
        if following == ",":
            pos += 1
        elif following == "]":
            return
        else:
            raise broken("expected ',' or ']' between array items")


_RECORD_READERS = {"csv": _read_csv, "tsv": _read_tsv, "jsonl": _read_jsonl, "json": _read_json}
