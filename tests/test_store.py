"""store: SQLite and PostgreSQL round trips, resume lookups, and identical results from both backends."""

from __future__ import annotations

import glob
import io
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from batch_fixtures import batch_config, make_tree
from languagecheck.batch import BatchOptions, run_batch
from languagecheck.errors import StoreError
from languagecheck.finding import Evidence, Finding
from languagecheck.formats.stored import write_export
from languagecheck.readers import iter_inputs
from languagecheck.store import Store, StoredDocument, database_url


def _finding(start: int, text: str, severity: str = "warning", rule: str = "r1") -> Finding:
    return Finding(start=start, end=start + len(text), text=text, line=1, column=start + 1, category="choice-agency",
                   rule=rule, severity=severity, source="lexicon", score=0.875, message="why \u2014 it matters",
                   suggestions=("first \u201cone\u201d", "second"))


def _docs() -> list[StoredDocument]:
    return [
        StoredDocument(seq=0, state="scanned", path="a.txt", content_hash="h-a", text="aaa bad words",
                       findings=[_finding(4, "bad"), _finding(8, "words", "error", "r2")]),
        StoredDocument(seq=1, state="skipped", path="b.txt", reason="b.txt: is empty [E103]", code="E103"),
        StoredDocument(seq=2, state="scanned", id="N-1", path="x.csv", content_hash="h-n1", text="fine",
                       meta={"author": "Ann", "nested": {"team": ["Hub", 1]}}),
        StoredDocument(seq=3, state="failed", id="N-2", path="x.csv", reason="x.csv#2: broken [E114]", code="E114"),
    ]


def _start(store: Store, key: str = "key-1") -> int:
    return store.start_run(tool_version="t", lexicon_version="lex", model_version="none", scan_key=key,
                           config={"jobs": 1}, inputs=["in"])


# --- a real PostgreSQL server, started for the session when its binaries are installed ----------------

def _postgres_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                        if Path(p).parent.name.isdigit() else 0)
    found = [Path(p) for p in candidates if (Path(p) / "initdb").exists() and (Path(p) / "pg_ctl").exists()]
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


@pytest.fixture(scope="session")
def postgres_server():
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql; .ci/run does this)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'languagecheck[postgres]')")
    user = None
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the 'postgres' account
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        user = "postgres"
    base = Path(tempfile.mkdtemp(prefix="languagecheck-pg-", dir="/tmp"))
    if user:
        os.chown(base, account.pw_uid, account.pw_gid)
    data = base / "data"

    def run(*args: str) -> None:
        subprocess.run([str(a) for a in args], check=True, user=user, capture_output=True, timeout=120, cwd=base)

    run(bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    run(bindir / "pg_ctl", "-D", data, "-l", base / "server.log", "-w", "-t", "60", "-o",
        f"-k {base} -c listen_addresses='' -c fsync=off -c full_page_writes=off", "start")
    try:
        yield f"postgresql+psycopg://postgres@/{{db}}?host={base}"
    finally:
        subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], user=user,
                       capture_output=True, timeout=60, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    admin = postgres_server.format(db="postgres").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.format(db=name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = str(tmp_path / "results.sqlite") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    with Store(url) as opened:
        yield opened


# --- tests --------------------------------------------------------------------------------------------

def test_round_trip_streams_documents_in_order_with_findings_and_metadata(store):
    run_id = _start(store)
    docs = _docs()
    store.add_documents(run_id, docs[:2])
    store.add_documents(run_id, docs[2:])
    store.finish_run(run_id, "finished")
    back = list(store.iter_documents(run_id, page=3))  # pages cut through the run
    assert [d.seq for d in back] == [0, 1, 2, 3]
    for original, stored in zip(docs, back, strict=True):
        assert (stored.state, stored.id, stored.path, stored.reason, stored.code, stored.meta, stored.text) == (
            original.state, original.id, original.path, original.reason, original.code, original.meta, original.text)
        assert stored.findings == original.findings
    assert [d.seq for d in store.iter_documents(run_id, only_with_findings=True)] == [0]
    assert all(d.text is None for d in store.iter_documents(run_id, with_text=False))
    run = store.run()
    assert (run.id, run.status, run.scan_key, run.config) == (run_id, "finished", "key-1", {"jobs": 1})
    assert run.finished_at is not None and run.summary["documents"] == 4
    summary = store.summary(run_id)
    assert (summary["documents"], summary["scanned"], summary["skipped"], summary["failed"]) == (4, 2, 1, 1)
    assert summary["findings"] == 2 and summary["by_severity"] == {"error": 1, "warning": 1, "info": 0}
    assert summary["by_category_severity"] == {"choice-agency/error": 1, "choice-agency/warning": 1}
    assert store.rules(run_id)["r2"]["category"] == "choice-agency"
    assert store.meta_keys(run_id) == ["author", "nested"]


def test_reusable_finds_scanned_documents_with_the_same_key_only(store):
    run_id = _start(store, "key-1")
    store.add_documents(run_id, _docs())
    found = store.reusable("key-1", ["h-a", "h-n1", "h-unknown"])
    assert set(found) == {"h-a", "h-n1"}
    assert found["h-a"].findings == _docs()[0].findings and found["h-a"].resumed_from == run_id
    assert store.reusable("key-2", ["h-a"]) == {}
    # a resumed copy is itself reusable and points at the run that really scanned it
    second = _start(store, "key-1")
    store.add_documents(second, [StoredDocument(seq=0, state="skipped", content_hash="h-a", resumed_from=run_id,
                                                findings=found["h-a"].findings, reason="resumed", code="E118")])
    assert store.reusable("key-1", ["h-a"])["h-a"].resumed_from == run_id


def test_runs_are_listed_and_missing_runs_are_clear_errors(store):
    with pytest.raises(StoreError, match="no runs yet"):
        store.run()
    first, second = _start(store), _start(store)
    assert [r.id for r in store.runs()] == [first, second]
    assert store.run().id == second and store.run(first).id == first
    with pytest.raises(StoreError, match="no run 999"):
        store.run(999)


def test_database_urls():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("results.sqlite").startswith("sqlite:////")
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_opening_for_reading_never_creates_a_store(tmp_path):
    with pytest.raises(StoreError, match="no such results store"):
        Store(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()
    import sqlite3

    sqlite3.connect(tmp_path / "other.sqlite").execute("create table t (x)").connection.commit()
    with pytest.raises(StoreError, match="not a languagecheck results store"):
        Store(tmp_path / "other.sqlite", create=False)


def test_connection_errors_hide_the_password():
    with pytest.raises(StoreError) as raised:
        Store("postgresql://someone:s3cret-pw@127.0.0.1:1/db")
    assert "s3cret-pw" not in str(raised.value) and "cannot open the results store" in str(raised.value)


def _scan_and_export(db: str, root: Path, config, resume: bool = False) -> tuple[str, dict]:
    with Store(db) as store:
        result = run_batch(iter_inputs([root]), store, config, BatchOptions(jobs=1, use_model=False, resume=resume))
        out = io.StringIO()
        write_export(store, result.run_id, "jsonl", out)
        return out.getvalue(), result.summary


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_results(tmp_path, postgres_url):
    make_tree(tmp_path / "tree")
    config = batch_config(tmp_path)
    lite, lite_summary = _scan_and_export(str(tmp_path / "r.sqlite"), tmp_path / "tree", config)
    pg, pg_summary = _scan_and_export(postgres_url, tmp_path / "tree", config)
    assert lite == pg and lite_summary == pg_summary
    assert lite_summary["findings"] > 0
    # resume against PostgreSQL reuses every scanned document and exports the same results
    again, again_summary = _scan_and_export(postgres_url, tmp_path / "tree", config, resume=True)
    assert again == pg
    assert again_summary["scanned"] == 0 and again_summary["resumed"] == pg_summary["scanned"]


def _cited_finding() -> Finding:
    cited = Evidence(line=1, excerpt="he hit her", document="n0", family="physical-assault")
    return Finding(start=20, end=34, text="at risk of CSE", line=2, column=5, category="risk-not-harm",
                   rule="rnh-at-risk-of-cse", severity="warning", source="context", score=0.8,
                   message=f"Risk wording about harm already recorded. {cited.cite()}", evidence=(cited,))


def test_cited_evidence_round_trips_and_stays_out_of_the_rule_table(store):
    run_id = _start(store)
    doc = StoredDocument(seq=0, state="scanned", path="a.txt", content_hash="h", text="x",
                         findings=[_finding(0, "bad"), _cited_finding()])
    store.add_documents(run_id, [doc])
    (back,) = store.iter_documents(run_id)
    assert back.findings == doc.findings and back.findings[0].evidence == ()
    assert store.rules(run_id)["rnh-at-risk-of-cse"]["message"] == "Risk wording about harm already recorded."


def test_a_store_from_before_evidence_is_upgraded_when_opened(tmp_path):
    import sqlalchemy as sa

    path = tmp_path / "old.sqlite"
    with Store(path) as made:
        run_id = _start(made)
        made.add_documents(run_id, _docs()[:1])
    engine = sa.create_engine(database_url(path))
    with engine.begin() as conn:  # what schema 1 looked like: no evidence column
        conn.execute(sa.text("ALTER TABLE findings DROP COLUMN evidence"))
    engine.dispose()
    with Store(path) as reopened:
        (old,) = reopened.iter_documents(run_id)
        assert [f.evidence for f in old.findings] == [(), ()]
        new_run = _start(reopened)
        reopened.add_documents(new_run, [StoredDocument(seq=0, state="scanned", findings=[_cited_finding()])])
        assert next(iter(reopened.iter_documents(new_run))).findings == [_cited_finding()]
