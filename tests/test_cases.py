"""Batch scans with notes grouped by case (--group-by / --order-by): cases.py and batch.py."""

from __future__ import annotations

import csv
import glob
import json
import tempfile

import pytest
from typer.testing import CliRunner

from languagecheck.batch import BatchOptions, run_batch
from languagecheck.cases import CaseSpill, Grouping, GroupingError
from languagecheck.config import Config
from languagecheck.documents import Document
from languagecheck.readers import ReadOptions, iter_inputs
from languagecheck.store import Store

HARM = "YP (14) disclosed that two men raped her at a flat in [town] on Saturday."
RISK = "Summary: YP is at risk of CSE and a plan is in place."
PLAIN = "Home visit completed; YP attended school all week."


def _export(path, rows, columns=("note_id", "case_id", "date", "text")):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


# Case A: harm in its first note (by date), risk wording in a later one, the two far apart in the file.
# Case B: risk wording only. Case C: the risk note is dated BEFORE the harm note.
ROWS = [
    ("a1", "A", "2024-01-02", HARM),
    ("b1", "B", "2024-01-03", RISK),
    ("c2", "C", "2024-02-09", HARM),
    ("x1", "", "2024-01-05", RISK),  # no case: read alone
    ("a2", "A", "2024-01-09", RISK),
    ("c1", "C", "2024-02-01", RISK),
]


def _scan(tmp_path, grouping, jobs=1, chunk_documents=64, resume=False, db="r.sqlite", rows=ROWS):
    export = _export(tmp_path / "export.csv", rows)
    read = ReadOptions(text_column="text", id_column="note_id")
    options = BatchOptions(jobs=jobs, use_model=False, grouping=grouping, chunk_documents=chunk_documents,
                           resume=resume)
    store = Store(tmp_path / db)
    result = run_batch(iter_inputs([export], read), store, Config(), options)
    docs = list(store.iter_documents(result.run_id))
    store.close()
    return result, docs


def _rnh(doc):
    return [f for f in doc.findings if f.category == "risk-not-harm"]


@pytest.mark.parametrize("jobs, chunk_documents", [(1, 64), (1, 1), (2, 2)])
def test_harm_in_an_earlier_note_of_the_case_makes_later_risk_wording_a_finding(tmp_path, jobs, chunk_documents):
    result, docs = _scan(tmp_path, Grouping("case_id", "date"), jobs=jobs, chunk_documents=chunk_documents)
    assert result.status == "finished"
    assert [d.id for d in docs] == [r[0] for r in ROWS], "stored in input order whatever the case order"
    flagged = {d.id: _rnh(d) for d in docs}
    assert [d for d, f in flagged.items() if f] == ["a2"]
    (finding,) = flagged["a2"]
    assert "Harm is recorded in note a1, line 1" in finding.message
    assert finding.evidence[0].document == "a1"
    assert result.summary["documents"] == len(ROWS)


def test_without_grouping_or_order_the_notes_are_read_alone_or_in_input_order(tmp_path):
    _, alone = _scan(tmp_path, None, db="alone.sqlite")
    assert not any(_rnh(d) for d in alone)
    _, file_order = _scan(tmp_path, Grouping("case_id"), db="input-order.sqlite")
    # in input order c2 (harm) comes before c1 (risk): c1 is then flagged, citing c2
    assert sorted(d.id for d in file_order if _rnh(d)) == ["a2", "c1"]


def test_a_column_no_input_has_is_refused_before_the_run_starts(tmp_path):
    with pytest.raises(GroupingError, match="--group-by case_number: no input has a value") as info:
        _scan(tmp_path, Grouping("case_number"))
    assert "case_id" in str(info.value) and "raped" not in str(info.value)
    with pytest.raises(GroupingError, match="--order-by when"):
        _scan(tmp_path, Grouping("case_id", "when"), db="r2.sqlite")
    with Store(tmp_path / "r.sqlite") as store:
        assert store.runs() == []


def test_resume_reuses_a_case_only_when_none_of_its_notes_changed(tmp_path):
    grouping = Grouping("case_id", "date")
    first, _ = _scan(tmp_path, grouping)
    changed = [r if r[0] != "a1" else (*r[:3], PLAIN) for r in ROWS]  # case A's harm note is rewritten
    second, docs = _scan(tmp_path, grouping, resume=True, rows=changed)
    reused = {d.id for d in docs if d.resumed_from == first.run_id}
    assert reused == {"b1", "c1", "c2", "x1"}  # a2 is unchanged but its case changed: scanned again
    assert not any(_rnh(d) for d in docs), "a2 lost its cited harm with the rewritten note"
    # a different grouping is a different scan: nothing is reused
    third, docs = _scan(tmp_path, Grouping("case_id"), resume=True, rows=changed)
    assert not any(d.resumed_from for d in docs)


def test_the_spill_is_private_and_removed(tmp_path):
    items = [Document(text=t, id=i, meta={"Case ID": c, "date": d}) for i, c, d, t in ROWS]
    with CaseSpill(items, Grouping("case_id", "date"), directory=str(tmp_path)) as spill:
        (path,) = glob.glob(str(tmp_path / "languagecheck-cases-*"))
        assert oct(__import__("os").stat(path).st_mode & 0o777) == "0o600"
        cases = [[item.id for _, item in case] for case in spill.cases()]
    assert cases == [["a1", "a2"], ["b1"], ["c1", "c2"], ["x1"]]  # "Case ID" matched as case_id
    assert not glob.glob(str(tmp_path / "languagecheck-cases-*"))
    assert tempfile.gettempdir()  # the default directory is the system's temporary one


def _cli(args):
    from languagecheck.cli import _register, app

    _register()
    return CliRunner().invoke(app, args, catch_exceptions=False)


def test_cli_group_by_and_order_by(tmp_path):
    export = _export(tmp_path / "export.csv", ROWS)
    db = str(tmp_path / "cli.sqlite")
    result = _cli(["scan", str(export), "--db", db, "--no-model", "--jobs", "1", "--text-column", "text",
                   "--id-column", "note_id", "--group-by", "case_id", "--order-by", "date", "--meta-column",
                   "note_id", "--format", "jsonl", "--no-progress"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    flagged = [d["id"] for d in lines if any(f["category"] == "risk-not-harm" for f in d["findings"])]
    assert flagged == ["a2"]
    refused = _cli(["scan", str(export), "--db", db, "--no-model", "--order-by", "date"])
    assert refused.exit_code == 2 and "--order-by needs --group-by" in refused.output
    wrong = _cli(["scan", str(export), "--db", db, "--no-model", "--jobs", "1", "--text-column", "text",
                  "--group-by", "case", "--no-progress"])
    assert wrong.exit_code == 2 and "E700" in wrong.output and "case_id" in wrong.output
