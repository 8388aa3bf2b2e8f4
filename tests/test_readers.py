"""readers: every input type, bad files, record exports; each input ends as exactly one item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from batch_fixtures import SECRET, make_docx, make_pdf, make_tree
from languagecheck import readers
from languagecheck.documents import Document
from languagecheck.readers import ReadOptions, Unscanned, count_inputs, iter_inputs, read_path


def _by_name(items):
    return {item.name: item for item in items}


def test_fixture_tree_every_item_has_its_expected_state_and_reason(tmp_path):
    expected = make_tree(tmp_path)
    items = list(iter_inputs([tmp_path]))
    got = _by_name(items)
    assert len(got) == len(items), "item names are unique"
    assert set(got) == set(expected)
    for name, (state, code) in expected.items():
        item = got[name]
        if state == "scanned":
            assert isinstance(item, Document), (name, item)
            assert item.text.strip()
        else:
            assert isinstance(item, Unscanned), name
            assert (item.state, item.code) == (state, code), (name, item.reason)
            assert item.reason.endswith(f"[{code}]")
            assert SECRET not in item.reason  # reasons never quote note text
    assert count_inputs([tmp_path]) == len(items)
    assert not any(".hidden" in (item.path or "") for item in items)


def test_specific_reasons_are_clear(tmp_path):
    make_tree(tmp_path)
    got = _by_name(iter_inputs([tmp_path]))
    assert "no text layer" in got[str(tmp_path / "notes" / "scanned.pdf")].reason
    assert "unsupported file type '.jpg'" in got[str(tmp_path / "notes" / "photo.jpg")].reason
    assert "Word document" in got[str(tmp_path / "notes" / "truncated.docx")].reason
    codes = got[str(tmp_path / "exports" / "codes.csv")].reason
    assert "--text-column" in codes and "columns: id, code, date" in codes


def test_documents_are_decoded_and_extracted(tmp_path):
    make_tree(tmp_path)
    got = _by_name(iter_inputs([tmp_path]))
    win = got[str(tmp_path / "notes" / "windows-1252.txt")]
    assert win.text.startswith(f"{SECRET}\u2019s caf\u00e9 visit \u2013 \u201cgood\u201d.")
    docx_text = got[str(tmp_path / "notes" / "visit.docx")].text
    assert "Plan agreed." in docx_text and "Worker\tAction" in docx_text and "prostituting herself" in docx_text
    pdf_text = got[str(tmp_path / "notes" / "letter.pdf")].text
    assert "prostituting herself" in pdf_text and "Second line of the letter." in pdf_text


def test_csv_export_bom_multiline_metadata_and_ids(tmp_path):
    make_tree(tmp_path)
    got = _by_name(iter_inputs([tmp_path / "exports" / "casenotes.csv"]))
    assert list(got) == ["N-1", "N-2", "N-3", "N-4"]
    n2 = got["N-2"]
    assert n2.text == f"First line of {SECRET}'s note.\nSecond line, \"quoted\", and a lifestyle choice."
    assert n2.meta == {"author": "B. Jones", "team": "Riverside", "date": "2024-01-03"}
    assert n2.path == str(tmp_path / "exports" / "casenotes.csv")
    assert got["N-3"].state == "skipped" and got["N-3"].meta["author"] == "C. Patel"


def test_windows_1252_csv_with_semicolons_and_recognised_text_column(tmp_path):
    make_tree(tmp_path)
    (doc,) = iter_inputs([tmp_path / "exports" / "windows.csv"])
    assert doc.id == "W-1"
    assert doc.text == f"{SECRET}\u2019s r\u00e9sum\u00e9 \u2013 a lifestyle choice."


def test_explicit_columns(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Record,Who,Team,Body,Extra\nr1,Ann,Hub,Some note text,x\n", encoding="utf-8")
    options = ReadOptions(text_column="body", id_column="Record", meta_columns=("who", "Team"))
    (doc,) = read_path(path, options)
    assert (doc.id, doc.text, doc.meta) == ("r1", "Some note text", {"Who": "Ann", "Team": "Hub"})
    (missing,) = read_path(path, ReadOptions(text_column="narrative"))
    assert missing.state == "failed" and missing.code == "E112"
    assert "no text column 'narrative'" in missing.reason and "Record, Who, Team, Body, Extra" in missing.reason
    (missing_meta,) = read_path(path, ReadOptions(meta_columns=("author",)))
    assert missing_meta.code == "E112" and "metadata column 'author'" in missing_meta.reason


def test_text_column_found_by_length_when_not_named(tmp_path):
    path = tmp_path / "export.csv"
    long = "A long free-text case note about the visit and what was said by everyone present."
    path.write_text(f"ref_no,when,free_text_1\n1,2024,{long}\n2,2024,{long}\n", encoding="utf-8")
    docs = list(read_path(path))
    assert [d.text for d in docs] == [long, long]


def test_headerless_csv_never_echoes_a_note_as_a_column_name(tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text(f"{SECRET} was seen at the address again by the allocated social worker,x\n"
                    f"{SECRET} another short note that is long enough to be a note,y\n", encoding="utf-8")
    (item,) = read_path(path, ReadOptions(text_column="text"))
    assert item.state == "failed" and SECRET not in item.reason and "not a header name" in item.reason


def test_ragged_rows_fail_alone(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id,text\n1,first note here\n2,second,extra field\n3,third note here\n", encoding="utf-8")
    items = list(read_path(path))
    assert [i.state if isinstance(i, Unscanned) else "doc" for i in items] == ["doc", "failed", "doc"]
    assert "3 fields where the header has 2" in items[1].reason


def test_csv_header_only_is_reported(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("id,text\n", encoding="utf-8")
    (item,) = read_path(path)
    assert (item.state, item.code) == ("skipped", "E115")


def test_json_array_is_streamed_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "_CHUNK", 7)
    records = [{"id": f"x{i}", "text": f"note number {i} with \"quotes\" and ] brackets ,"} for i in range(50)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    docs = list(read_path(path))
    assert [d.id for d in docs] == [r["id"] for r in records]
    assert [d.text for d in docs] == [r["text"] for r in records]


@pytest.mark.parametrize("body, code", [
    ('[{"text": "a note"}, {"text": "trunc', "E110"),
    ('{"notes": [{"text": "x"}', "E110"),
])
def test_broken_json_fails_with_a_reason(tmp_path, body, code):
    path = tmp_path / "broken.json"
    path.write_text(body, encoding="utf-8")
    items = list(read_path(path))
    assert items[-1].state == "failed" and items[-1].code == code


def test_json_object_holding_the_records(tmp_path):
    path = tmp_path / "wrapped.json"
    path.write_text('{"exported": "2024-01-01", "notes": [{"id": "a", "note": "first"}, {"id": "b", "note": "x y"}]}',
                    encoding="utf-8")
    assert [(d.id, d.text) for d in read_path(path)] == [("a", "first"), ("b", "x y")]


def test_docx_and_pdf_builders_round_trip(tmp_path):
    (tmp_path / "a.docx").write_bytes(make_docx(["Hello there."]))
    (tmp_path / "a.pdf").write_bytes(make_pdf(["Hello (there)."]))
    texts = {Path(d.path).suffix: d.text for d in iter_inputs([tmp_path])}
    assert texts[".docx"] == "Hello there." and texts[".pdf"].strip() == "Hello (there)."


def test_missing_path_and_explicit_hidden_file(tmp_path):
    hidden = tmp_path / ".note.txt"
    hidden.write_text("explicitly named", encoding="utf-8")
    items = list(iter_inputs([tmp_path / "nope.txt", hidden]))
    assert items[0].state == "failed" and items[0].code == "E102"
    assert isinstance(items[1], Document)


def test_content_hash_is_of_the_text():
    assert readers.content_hash("abc") == readers.content_hash("abc") != readers.content_hash("abd")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig", "cp1252"])
def test_export_encodings(tmp_path, encoding):
    path = tmp_path / "export.csv"
    path.write_bytes("id,text\r\nE-1,caf\u00e9 \u2013 a note\r\n".encode(encoding))
    (doc,) = read_path(path)
    assert (doc.id, doc.text) == ("E-1", "caf\u00e9 \u2013 a note")
