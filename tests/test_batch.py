"""batch: every input ends in one state, workers, resume, Ctrl-C, crashes, bounded memory, and the CLI."""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from batch_fixtures import SECRET, TEST_RULES, batch_config, make_tree, note
from languagecheck import batch
from languagecheck.batch import BatchOptions, run_batch
from languagecheck.config import Config
from languagecheck.documents import Document
from languagecheck.errors import LanguagecheckError
from languagecheck.formats.stored import write_export
from languagecheck.readers import count_inputs, iter_inputs
from languagecheck.store import Store

LEXICON_ONLY = BatchOptions(jobs=1, use_model=False)


def _export(store: Store, run_id: int, fmt: str = "jsonl") -> str:
    out = io.StringIO()
    write_export(store, run_id, fmt, out)
    return out.getvalue()


def _notes_dir(root: Path, n: int) -> Path:
    folder = root / "notes"
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"note-{i:02d}.txt").write_text(note(i, i % 3), encoding="utf-8")
    return folder


@pytest.fixture
def config(tmp_path):
    return batch_config(tmp_path)


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_input_ends_in_exactly_one_state(tmp_path, config, jobs):
    expected = make_tree(tmp_path / "tree")
    with Store(tmp_path / "r.sqlite") as store:
        result = run_batch(iter_inputs([tmp_path / "tree"]), store, config,
                           BatchOptions(jobs=jobs, use_model=False, chunk_documents=3))
        docs = list(store.iter_documents(result.run_id))
    assert result.status == "finished" and result.jobs == jobs
    assert {d.name: (d.state, d.code) for d in docs} == expected
    s = result.summary
    assert s["documents"] == len(expected) == count_inputs([tmp_path / "tree"])
    assert s["scanned"] + s["skipped"] + s["failed"] == s["documents"]
    assert s["scanned"] == sum(state == "scanned" for state, _ in expected.values())
    plain = next(d for d in docs if d.name.endswith("plain.txt"))
    assert sorted(f.rule for f in plain.findings if f.rule in TEST_RULES) == sorted(TEST_RULES)
    assert all(d.content_hash for d in docs if d.state == "scanned")
    assert next(d for d in docs if d.name == "N-1").meta == {"author": "A. Khan", "team": "Exploitation Hub",
                                                             "date": "2024-01-02"}


def test_one_and_two_jobs_store_the_same_results(tmp_path, config):
    make_tree(tmp_path / "tree")
    exports = []
    for jobs in (1, 2):
        with Store(tmp_path / f"r{jobs}.sqlite") as store:
            result = run_batch(iter_inputs([tmp_path / "tree"]), store, config,
                               BatchOptions(jobs=jobs, use_model=False, chunk_documents=2))
            exports.append(_export(store, result.run_id))
    assert exports[0] == exports[1]


def _record_scans(monkeypatch) -> list[str]:
    scanned: list[str] = []
    original = batch.scan_texts

    def recording(scanner, texts, cases=None):
        scanned.extend(texts)
        return original(scanner, texts, cases)

    monkeypatch.setattr(batch, "scan_texts", recording)
    return scanned


def test_resume_skips_exactly_the_done_documents(tmp_path, config, monkeypatch):
    folder = _notes_dir(tmp_path, 10)
    files = sorted(folder.iterdir())
    with Store(tmp_path / "r.sqlite") as store:
        first = run_batch(iter_inputs(files[:4]), store, config, LEXICON_ONLY)
        scanned = _record_scans(monkeypatch)
        resumed = run_batch(iter_inputs([folder]), store, config, BatchOptions(jobs=1, use_model=False, resume=True))
        assert scanned == [f.read_text("utf-8") for f in files[4:]]  # only the documents not done yet
        docs = list(store.iter_documents(resumed.run_id))
        assert [d.state for d in docs] == ["skipped"] * 4 + ["scanned"] * 6
        assert all(d.code == "E118" and d.resumed_from == first.run_id for d in docs[:4])
        assert f"run {first.run_id}" in docs[0].reason
        s = resumed.summary
        assert (s["documents"], s["scanned"], s["skipped"], s["resumed"]) == (10, 6, 4, 4)
        # the resumed run exports exactly what a fresh full run does
        fresh = run_batch(iter_inputs([folder]), store, config, LEXICON_ONLY)
        assert _export(store, resumed.run_id) == _export(store, fresh.run_id)
        # other rule settings make a different scan key: nothing is reused
        scanned.clear()
        changed = Config(packs=config.packs, disabled=("test-prostituting",))
        other = run_batch(iter_inputs([folder]), store, changed, BatchOptions(jobs=1, use_model=False, resume=True))
        assert other.summary["resumed"] == 0 and len(scanned) == 10


def test_ctrl_c_stops_cleanly_keeps_what_was_done_and_resume_finishes(tmp_path, config):
    folder = _notes_dir(tmp_path, 9)
    calls = []

    def interrupt_after_first_chunk(n, counts):
        calls.append(n)
        raise KeyboardInterrupt

    with Store(tmp_path / "r.sqlite") as store:
        stopped = run_batch(iter_inputs([folder]), store, config, BatchOptions(jobs=2, use_model=False,
                                                                               chunk_documents=2),
                            on_progress=interrupt_after_first_chunk)
        assert stopped.status == "interrupted" and store.run(stopped.run_id).status == "interrupted"
        kept = list(store.iter_documents(stopped.run_id))
        assert len(kept) == 2 and all(d.state == "scanned" for d in kept)
        finished = run_batch(iter_inputs([folder]), store, config, BatchOptions(jobs=1, use_model=False,
                                                                                 resume=True))
        assert finished.status == "finished"
        assert (finished.summary["resumed"], finished.summary["scanned"]) == (2, 7)


class FakeScanner:
    """Stands in for Scanner: crashes the process on CRASH, raises on BOOM, else one finding per text."""

    model_status = "not requested"

    class lexicon:  # noqa: N801
        fingerprint = "fake-lexicon"

    class nlp:  # noqa: N801
        pipe_names = ["languagecheck_lexicon"]

    def scan(self, text):
        from languagecheck.finding import Finding

        if "CRASH" in text:
            os._exit(3)
        if "BOOM" in text:
            raise ValueError(text)  # the message holds note text; it must not reach the store
        return [Finding(start=0, end=4, text=text[:4], line=1, column=1, category="choice-agency", rule="fake",
                        severity="warning", source="lexicon", score=1.0, message="m")]

    def scan_grouped(self, documents, key):
        from languagecheck.results import DocumentResult

        return [DocumentResult(findings=self.scan(d.text), id=d.id) for d in documents]

    def iter_scan(self, texts, batch_size=64):
        for text in texts:
            yield self.scan(text)


def _fake_docs(texts):
    return [Document(text=t, path=f"doc-{i}.txt") for i, t in enumerate(texts)]


def test_a_document_that_kills_its_worker_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "build_scanner", lambda config, options: FakeScanner())
    texts = [f"{SECRET} note {i}" for i in range(12)]
    texts[5] = f"{SECRET} CRASH note"
    with Store(tmp_path / "r.sqlite") as store:
        result = run_batch(_fake_docs(texts), store, Config(), BatchOptions(jobs=2, use_model=False,
                                                                             chunk_documents=4))
        docs = list(store.iter_documents(result.run_id))
    assert result.status == "finished"
    assert [d.state for d in docs] == ["scanned"] * 5 + ["failed"] + ["scanned"] * 6
    assert docs[5].code == "E117" and SECRET not in docs[5].reason
    assert all(len(d.findings) == 1 for d in docs if d.state == "scanned")


def test_a_note_that_kills_its_worker_fails_its_case_only(tmp_path, monkeypatch):
    from languagecheck.cases import Grouping

    monkeypatch.setattr(batch, "build_scanner", lambda config, options: FakeScanner())
    docs = [Document(text=f"{SECRET} note {i}", id=f"n{i}", meta={"case": str(i // 3)}) for i in range(9)]
    docs[4] = Document(text=f"{SECRET} CRASH", id="n4", meta={"case": "1"})
    options = BatchOptions(jobs=2, use_model=False, chunk_documents=6, grouping=Grouping("case"))
    with Store(tmp_path / "r.sqlite") as store:
        result = run_batch(docs, store, Config(), options)
        stored = list(store.iter_documents(result.run_id))
    assert [d.state for d in stored] == ["scanned"] * 3 + ["failed"] * 3 + ["scanned"] * 3
    assert all(d.code == "E117" and SECRET not in d.reason for d in stored[3:6])


def test_a_scanner_exception_fails_only_that_document(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "build_scanner", lambda config, options: FakeScanner())
    texts = ["fine one", f"{SECRET} BOOM", "fine two"]
    with Store(tmp_path / "r.sqlite") as store:
        result = run_batch(_fake_docs(texts), store, Config(), LEXICON_ONLY)
        docs = list(store.iter_documents(result.run_id))
    assert [d.state for d in docs] == ["scanned", "failed", "scanned"]
    assert docs[1].code == "E116" and "ValueError" in docs[1].reason and SECRET not in docs[1].reason


def test_inputs_are_streamed_with_a_bounded_number_in_flight(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "build_scanner", lambda config, options: FakeScanner())
    produced = Counter()
    ahead = []

    def documents():
        for i in range(500):
            produced["n"] += 1
            yield Document(text=f"note {i}", path=f"{i}.txt")

    def progress(n, counts):
        ahead.append(produced["n"] - sum(counts[s] for s in ("scanned", "skipped", "failed")))

    options = BatchOptions(jobs=1, use_model=False, chunk_documents=10)
    with Store(tmp_path / "r.sqlite") as store:
        result = run_batch(documents(), store, Config(), options, on_progress=progress)
    assert result.summary["documents"] == 500
    assert max(ahead) <= (2 * options.jobs + 1) * options.chunk_documents


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_model_flag_goes_through_the_scanner(tmp_path, jobs):
    folder = _notes_dir(tmp_path, 3)
    missing = Config(packs=batch_config(tmp_path).packs, model=str(tmp_path / "no-model"))
    with Store(tmp_path / "r.sqlite") as store:
        result = run_batch(iter_inputs([folder]), store, missing, BatchOptions(jobs=jobs, use_model=True))
        assert result.model_version == "none" and "lexicon-only" in result.model_status
        assert result.summary["scanned"] == 3
        with pytest.raises(LanguagecheckError, match="E400"):
            run_batch(iter_inputs([folder]), store, missing, BatchOptions(jobs=jobs, require_model=True))


# --- the command line ---------------------------------------------------------------------------------

def _cli(args: list[str]):
    from languagecheck.cli import _register, app

    _register()
    return CliRunner().invoke(app, args, catch_exceptions=False)


def _digest(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_cli_scan_export_report_and_fix_dir(tmp_path):
    expected = make_tree(tmp_path / "tree")
    (tmp_path / "lc.toml").write_text(f'packs = ["{batch_config(tmp_path).packs[0]}"]\n', encoding="utf-8")
    before = _digest(tmp_path / "tree")
    db, out, fixed = tmp_path / "r.sqlite", tmp_path / "out.jsonl", tmp_path / "fixed"
    result = _cli(["scan", str(tmp_path / "tree"), "--db", str(db), "--config", str(tmp_path / "lc.toml"),
                   "--no-model", "-j", "1", "--format", "jsonl", "-o", str(out), "--html", str(tmp_path / "r.html"),
                   "--fix-dir", str(fixed), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert _digest(tmp_path / "tree") == before  # inputs are never changed
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(records) == len(expected)
    assert f"{len(expected)} documents" in result.output and SECRET not in result.output
    assert "failed: " in result.output and "E110" in result.output

    plain = (fixed / "notes" / "plain.txt").read_text("utf-8")
    assert "pattern of exploitation" in plain and "being sexually exploited" in plain
    assert "lifestyle choice" not in plain
    diff = (fixed / "notes" / "plain.txt.diff").read_text("utf-8")
    assert diff.startswith("--- a/notes/plain.txt\n+++ b/notes/plain.txt\n")
    assert "-" + note(1, 2) in diff and "+" in diff
    assert (fixed / "notes" / "sub" / "readme.md").exists()
    assert not list(fixed.rglob("*.docx")) and not (fixed / "notes" / "empty.txt").exists()

    csv_out = tmp_path / "out.csv"
    assert _cli(["export", "--db", str(db), "-f", "csv", "-o", str(csv_out)]).exit_code == 0
    assert csv_out.read_text("utf-8").startswith("id,path,state,reason,")
    sarif = _cli(["export", "--db", str(db), "-f", "sarif"])
    assert json.loads(sarif.stdout)["version"] == "2.1.0"
    assert _cli(["report", "--db", str(db), "-o", str(tmp_path / "again.html")]).exit_code == 0
    assert (tmp_path / "again.html").read_text("utf-8").count('<mark class="lc') > 0


def test_cli_refuses_a_fix_dir_inside_the_inputs_and_bad_formats(tmp_path):
    folder = _notes_dir(tmp_path, 1)
    inside = _cli(["scan", str(folder), "--db", str(tmp_path / "r.sqlite"), "--fix-dir", str(folder / "out"),
                   "--no-model", "-j", "1"])
    assert inside.exit_code == 2 and "inside the folder being scanned" in inside.output
    bad = _cli(["scan", str(folder), "--format", "xml", "--no-model"])
    assert bad.exit_code == 2 and "unknown format" in bad.output
    missing = _cli(["report", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 2 and "no such results store" in missing.output


def test_cli_progress_bar_reports_documents_per_second(tmp_path):
    folder = _notes_dir(tmp_path, 5)
    result = _cli(["scan", str(folder), "--db", str(tmp_path / "r.sqlite"), "--no-model", "-j", "1", "--progress"])
    assert result.exit_code == 0, result.output
    assert "docs/s" in result.output and "5/5" in result.output


def test_versions_cover_every_rule_stage_and_the_model(tmp_path):
    class Stage:
        def __init__(self, **parts):
            self.__dict__.update(parts)

    class Fingerprinted:
        def __init__(self, fingerprint):
            self.fingerprint = fingerprint

    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "languagecheck.json").write_text('{"format": "onnx-int8", "sha256": "abcdef0123456789ff"}')
    pipes = {"languagecheck_lemmatizer": Stage(lexicon=Fingerprinted("lex1")),
             "languagecheck_lexicon": Stage(lexicon=Fingerprinted("lex1")),
             "languagecheck_context": Stage(rules=Fingerprinted("ctx9")),
             "languagecheck_classifier": Stage(model_dir=str(model_dir))}

    class Scanner:
        lexicon = Fingerprinted("lex1")
        model_status = "classifier loaded"

        class nlp:  # noqa: N801  (the parts of spacy.Language that batch reads)
            pipe_names = list(pipes)
            pipeline = list(pipes.items())
            get_pipe = staticmethod(pipes.__getitem__)

    assert batch.pipeline_versions(Scanner()) == ("lex1+ctx9", "onnx-int8:abcdef0123456789", "classifier loaded")
    config = Config()
    assert batch.scan_key(config, "lex1+ctx9", "none") != batch.scan_key(config, "lex1+ctx8", "none")
    assert batch.scan_key(config, "lex1", "none") != batch.scan_key(config, "lex1", "onnx:1")
    assert batch.scan_key(config, "lex1", "none") != batch.scan_key(Config(quotes="flag"), "lex1", "none")
