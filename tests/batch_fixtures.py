"""Builders for the batch tests: a tiny deterministic lexicon pack and a tree of every input type.

The tree holds good files and bad ones (binary renamed .txt, truncated .docx, PDF without text, CSV
without a text column, empty file, non-UTF-8 text); EXPECTED gives each item's state and code.
"""

from __future__ import annotations

import io
from pathlib import Path

from languagecheck.config import Config

TEST_PACK = """\
pack: batch-test
version: 1
description: Two deterministic rules for the batch tests.
entries:
  - id: test-lifestyle-choice
    category: choice-agency
    severity: warning
    source: tests
    patterns: ["lifestyle choice"]
    message: Test rule; calling exploitation a lifestyle choice blames the child.
    suggestions: ["pattern of exploitation"]
    examples:
      flag:
        - "It is a [[lifestyle choice]]."
        - "Her [[lifestyle choice]] worries staff."
        - "A [[lifestyle choice]] again."
      ok: ["She plays football.", "She chose the blue coat.", "Staff described her style."]
  - id: test-prostituting
    category: sexualising-judgement
    severity: error
    source: tests
    patterns: ["prostituting herself"]
    message: Test rule; a child cannot prostitute herself, she is being sexually exploited.
    suggestions: ["being sexually exploited"]
    examples:
      flag:
        - "She is [[prostituting herself]]."
        - "Seen [[prostituting herself]] again."
        - "Not [[prostituting herself]]."
      ok: ["She is being exploited.", "Adults are exploiting her.", "She was sexually abused."]
"""

TEST_RULES = ("test-lifestyle-choice", "test-prostituting")
SECRET = "Zebedee"  # a word that appears in note text and must never appear in a reason


def batch_config(tmp: Path) -> Config:
    pack = tmp / "batch-test.yaml"
    pack.write_text(TEST_PACK, encoding="utf-8")
    return Config(packs=(str(pack),))


def note(i: int, flagged: int = 0) -> str:
    """A note; `flagged` 1 adds a warning, 2 a warning and an error."""
    parts = [f"Visit {i} to {SECRET} at home with the allocated worker.", "Mum was present and engaged well."]
    if flagged >= 1:
        parts.append("Staff described it as a lifestyle choice.")
    if flagged >= 2:
        parts.append("The old record says she was prostituting herself.")
    return " ".join(parts)


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Helvetica text operators)."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    content = "BT /F1 11 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def make_blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_tree(root: Path) -> dict[str, tuple[str, str | None]]:
    """Write the fixture tree under root; returns item name -> (state, code or None when scanned)."""
    notes, exports = root / "notes", root / "exports"
    (notes / "sub").mkdir(parents=True)
    exports.mkdir()
    (root / ".hidden").mkdir()
    expected: dict[str, tuple[str, str | None]] = {}

    def add(path: Path, data: bytes | str, state: str = "scanned", code: str | None = None) -> None:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="")
        else:
            path.write_bytes(data)
        expected[str(path)] = (state, code)

    add(notes / "plain.txt", note(1, 2) + "\n" + note(2) + "\n")
    add(notes / "sub" / "readme.md", "# Visit\n\n" + note(3, 1) + "\n")
    add(notes / "windows-1252.txt", (f"{SECRET}\u2019s caf\u00e9 visit \u2013 \u201cgood\u201d. " + note(4, 1))
        .encode("cp1252"))
    add(notes / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "failed", "E104")
    add(notes / "empty.txt", b"", "skipped", "E103")
    add(notes / "blank.md", "  \n\n ", "skipped", "E103")
    good_docx = make_docx([note(5, 1), "Plan agreed."], table=[["Worker", "Action"], ["SW", note(6, 2)]])
    add(notes / "visit.docx", good_docx)
    add(notes / "truncated.docx", good_docx[: len(good_docx) // 2], "failed", "E110")
    add(notes / "letter.pdf", make_pdf([note(7, 2), "Second line of the letter."]))
    add(notes / "scanned.pdf", make_blank_pdf(), "skipped", "E109")
    add(notes / "photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "skipped", "E108")
    (root / ".hidden" / "secret.txt").write_text(note(99, 1), encoding="utf-8")  # never walked

    # A record-system export: BOM, multi-line quoted field, CRLF, metadata, one empty note.
    csv_path = exports / "casenotes.csv"
    rows = [("N-1", "A. Khan", "Exploitation Hub", "2024-01-02", note(10, 1)),
            ("N-2", "B. Jones", "Riverside", "2024-01-03", f"First line of {SECRET}'s note.\nSecond line, \"quoted\", "
                                                           "and a lifestyle choice."),
            ("N-3", "C. Patel", "Riverside", "2024-01-04", ""),
            ("N-4", "A. Khan", "Exploitation Hub", "2024-01-05", note(11, 2))]
    body = "note_id,author,team,date,text\r\n" + "".join(
        ",".join(_csv_cell(v) for v in row) + "\r\n" for row in rows)
    csv_path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    for row in rows:
        expected[row[0]] = ("skipped", "E103") if not row[4] else ("scanned", None)

    # Windows-1252 export with a header the reader must recognise as the text ("Case Note").
    win = exports / "windows.csv"
    win.write_bytes(("Ref;Case Note\r\n" + f"W-1;{SECRET}\u2019s r\u00e9sum\u00e9 \u2013 a lifestyle choice.\r\n")
                    .encode("cp1252"))
    expected["W-1"] = ("scanned", None)

    add(exports / "codes.csv", "id,code,date\n1,A1,2024-01-01\n2,B2,2024-01-02\n", "failed", "E113")

    tsv = exports / "notes.tsv"
    tsv.write_text(f"id\tnote\nT-1\t{note(12, 1)}\n", encoding="utf-8")
    expected["T-1"] = ("scanned", None)

    jsonl = exports / "notes.jsonl"
    jsonl.write_text(
        f'{{"id": "J-1", "team": "Hub", "text": "{note(13, 1)}"}}\n'
        "\n"
        '{"id": "J-2", "team": "Hub", "text": "unterminated\n'
        f'{{"id": "J-3", "team": "Hub", "text": "{note(14)}"}}\n', encoding="utf-8")
    expected["J-1"] = ("scanned", None)
    expected[f"{jsonl}#2"] = ("failed", "E114")
    expected["J-3"] = ("scanned", None)

    js = exports / "notes.json"
    js.write_text(f'[{{"id": "S-1", "body": "{note(15, 2)}"}}, {{"id": "S-2", "body": "{note(16)}"}}]',
                  encoding="utf-8")
    expected["S-1"] = ("scanned", None)
    expected["S-2"] = ("scanned", None)
    return expected


def _csv_cell(value: str) -> str:
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value
