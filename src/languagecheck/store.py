"""The results store: runs, documents and findings in SQLite (default) or PostgreSQL, via SQLAlchemy Core.

Write side: a batch opens a run, adds documents chunk by chunk (each chunk one transaction, so an
interrupted run keeps everything committed) and closes the run. Read side (exports, the HTML report,
audits): `runs()`, `summary(run_id)` and `iter_documents(run_id)`, which streams documents with their
metadata and findings in input order, page by page, so memory stays flat however large the run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .errors import StoreError
from .finding import SEVERITIES, Finding, evidences_from
from .results import DocumentResult

SCHEMA_VERSION = 2  # 2: findings.evidence
_PAGE = 500

metadata = sa.MetaData()

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("status", sa.String(16), nullable=False),  # running | finished | interrupted | failed
    sa.Column("tool_version", sa.String(40), nullable=False),
    sa.Column("lexicon_version", sa.String(80), nullable=False),
    sa.Column("model_version", sa.String(80), nullable=False),
    sa.Column("scan_key", sa.String(64), nullable=False, index=True),  # lexicon + model + rule settings
    sa.Column("config", sa.JSON, nullable=False),
    sa.Column("inputs", sa.JSON, nullable=False),
    sa.Column("summary", sa.JSON),
    sa.Column("schema_version", sa.Integer, nullable=False, default=SCHEMA_VERSION),
)

documents = sa.Table(
    "documents", metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),  # input order within the run
    sa.Column("doc_id", sa.Text),
    sa.Column("path", sa.Text),
    sa.Column("content_hash", sa.String(64), index=True),
    sa.Column("meta", sa.JSON, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),  # scanned | skipped | failed
    sa.Column("reason", sa.Text),
    sa.Column("code", sa.String(8)),
    sa.Column("resumed_from", sa.Integer),  # run whose findings were reused (--resume)
    sa.Column("finding_count", sa.Integer, nullable=False, default=0),
    sa.Column("text", sa.Text),  # kept for the HTML report unless the run says otherwise
)

findings = sa.Table(
    "findings", metadata,
    sa.Column("run_id", sa.Integer, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    *(sa.Column(name, kind, nullable=False) for name, kind in (
        ("start", sa.Integer), ("end", sa.Integer), ("text", sa.Text), ("line", sa.Integer),
        ("column", sa.Integer), ("category", sa.String(64)), ("rule", sa.String(128)),
        ("severity", sa.String(10)), ("source", sa.String(10)), ("score", sa.Float), ("message", sa.Text),
        ("suggestions", sa.JSON))),
    sa.Column("evidence", sa.JSON),  # what a context finding cites (schema 2; NULL in older stores)
    sa.ForeignKeyConstraint(["run_id", "seq"], ["documents.run_id", "documents.seq"], ondelete="CASCADE"),
)

_FINDING_FIELDS = tuple(Finding.__dataclass_fields__)


@dataclass
class Run:
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    tool_version: str
    lexicon_version: str
    model_version: str
    scan_key: str
    config: dict[str, Any]
    inputs: list[str]
    summary: dict[str, Any] | None


@dataclass
class StoredDocument:
    """One input of a run as stored: where it came from, what happened to it, and its findings."""

    seq: int
    state: str
    id: str | None = None
    path: str | None = None
    content_hash: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    code: str | None = None
    findings: list[Finding] = field(default_factory=list)
    text: str | None = None
    resumed_from: int | None = None
    run_id: int | None = None

    @property
    def name(self) -> str:
        return self.id or self.path or "<input>"

    @property
    def effective_state(self) -> str:
        """'scanned' for a document whose findings were reused from an earlier run (--resume)."""
        return "scanned" if self.resumed_from is not None else self.state

    def to_result(self) -> DocumentResult:
        state = self.effective_state
        return DocumentResult(findings=list(self.findings), path=self.path, id=self.id,
                              error=None if state == "scanned" else self.reason, state=state)


def database_url(db: str | Path) -> str:
    """A SQLAlchemy URL: a plain path is a SQLite file; postgresql:// uses the psycopg (v3) driver."""
    text = str(db)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    scheme, rest = text.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return text


def _safe(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


class Store:
    def __init__(self, db: str | Path, create: bool = True):
        self.url = database_url(db)
        shown = _safe(self.url)
        if self.url.startswith("sqlite:///") and not create:
            if not Path(self.url[len("sqlite:///"):]).exists():
                raise StoreError(f"{db}: no such results store")
        try:
            self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreError(f"{shown}: the database driver '{exc.name}' is not installed "
                             "(for PostgreSQL: pip install 'languagecheck[postgres]')") from None
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"{shown}: not a database URL or path ({exc.__class__.__name__})") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            if create:
                metadata.create_all(self.engine)
                _add_missing_columns(self.engine)
            elif not sa.inspect(self.engine).has_table("runs"):
                raise StoreError(f"{shown}: not a languagecheck results store (no 'runs' table)")
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"{shown}: cannot open the results store ({_describe(exc)})") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    def start_run(self, *, tool_version: str, lexicon_version: str, model_version: str, scan_key: str,
                  config: dict[str, Any], inputs: list[str]) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(runs.insert().values(
                started_at=_now(), status="running", tool_version=tool_version, lexicon_version=lexicon_version,
                model_version=model_version, scan_key=scan_key, config=config, inputs=inputs,
                schema_version=SCHEMA_VERSION))
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def add_documents(self, run_id: int, docs: Iterable[StoredDocument]) -> None:
        """Add one chunk of documents with their findings, in one transaction."""
        doc_rows, finding_rows = [], []
        for d in docs:
            doc_rows.append({"run_id": run_id, "seq": d.seq, "doc_id": d.id, "path": d.path,
                             "content_hash": d.content_hash, "meta": d.meta, "state": d.state, "reason": d.reason,
                             "code": d.code, "resumed_from": d.resumed_from, "finding_count": len(d.findings),
                             "text": d.text})
            for n, f in enumerate(d.findings):
                row = {k: getattr(f, k) for k in _FINDING_FIELDS}  # not asdict(): it deep-copies, slowly
                row["suggestions"] = list(f.suggestions)
                row["evidence"] = [asdict(e) for e in f.evidence] or None
                finding_rows.append({"run_id": run_id, "seq": d.seq, "n": n, **row})
        if not doc_rows:
            return
        with self.engine.begin() as conn:
            conn.execute(documents.insert(), doc_rows)
            if finding_rows:
                conn.execute(findings.insert(), finding_rows)

    def finish_run(self, run_id: int, status: str, summary: dict[str, Any] | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(runs.update().where(runs.c.id == run_id).values(
                status=status, finished_at=_now(), summary=summary or self.summary(run_id, conn=conn)))

    def reusable(self, scan_key: str, hashes: Iterable[str]) -> dict[str, StoredDocument]:
        """content hash -> an earlier scanned document with that text and the same scan key, with findings."""
        wanted = sorted(set(hashes))
        if not wanted:
            return {}
        done = documents.alias("done")
        query = (sa.select(done.c.content_hash, done.c.run_id, done.c.seq, done.c.resumed_from)
                 .join(runs, runs.c.id == done.c.run_id)
                 .where(runs.c.scan_key == scan_key, done.c.content_hash.in_(wanted),
                        sa.or_(done.c.state == "scanned", done.c.resumed_from.is_not(None)))
                 .order_by(done.c.run_id, done.c.seq))
        found: dict[str, StoredDocument] = {}
        with self.engine.connect() as conn:
            for content_hash, run_id, seq, resumed_from in conn.execute(query):
                found.setdefault(content_hash, StoredDocument(
                    seq=seq, run_id=run_id, state="scanned", content_hash=content_hash,
                    resumed_from=resumed_from if resumed_from is not None else run_id))
            keys = [(d.run_id, d.seq) for d in found.values()]
            by_key = self._findings(conn, sa.tuple_(findings.c.run_id, findings.c.seq).in_(keys)) if keys else {}
        for d in found.values():
            d.findings = by_key.get((d.run_id or 0, d.seq), [])
        return found

    # --- reading -------------------------------------------------------------------------------

    def runs(self) -> list[Run]:
        with self.engine.connect() as conn:
            return [Run(**row._mapping) for row in conn.execute(
                sa.select(*[c for c in runs.c if c.name != "schema_version"]).order_by(runs.c.id))]

    def run(self, run_id: int | None = None) -> Run:
        """The run with this id, or the latest run."""
        query = sa.select(*[c for c in runs.c if c.name != "schema_version"])
        query = query.where(runs.c.id == run_id) if run_id is not None else query.order_by(runs.c.id.desc())
        with self.engine.connect() as conn:
            row = conn.execute(query.limit(1)).first()
        if row is None:
            raise StoreError(f"the results store has no run {run_id}" if run_id is not None
                             else "the results store has no runs yet")
        return Run(**row._mapping)

    def iter_documents(self, run_id: int, with_text: bool = True, only_with_findings: bool = False,
                       page: int = _PAGE) -> Iterator[StoredDocument]:
        """The run's documents in input order, each with its metadata and findings, streamed by page."""
        columns = [c for c in documents.c if with_text or c.name != "text"]
        after = -1
        while True:
            query = (sa.select(*columns).where(documents.c.run_id == run_id, documents.c.seq > after)
                     .order_by(documents.c.seq).limit(page))
            if only_with_findings:
                query = query.where(documents.c.finding_count > 0)
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
                if not rows:
                    return
                lo, hi = rows[0].seq, rows[-1].seq
                by_key = self._findings(conn, sa.and_(findings.c.run_id == run_id, findings.c.seq >= lo,
                                                      findings.c.seq <= hi))
            for row in rows:
                m = row._mapping
                yield StoredDocument(
                    seq=m["seq"], run_id=run_id, state=m["state"], id=m["doc_id"], path=m["path"],
                    content_hash=m["content_hash"], meta=m["meta"] or {}, reason=m["reason"], code=m["code"],
                    resumed_from=m["resumed_from"], text=m.get("text"), findings=by_key.get((run_id, m["seq"]), []))
            after = hi

    def summary(self, run_id: int, conn: Any = None) -> dict[str, Any]:
        """Counts for a run, in the shape of results.summarise (resumed documents count as skipped)."""
        def compute(c: Any) -> dict[str, Any]:
            states = Counter(dict(c.execute(sa.select(documents.c.state, sa.func.count())
                                            .where(documents.c.run_id == run_id).group_by(documents.c.state)).all()))
            resumed = c.execute(sa.select(sa.func.count()).where(
                documents.c.run_id == run_id, documents.c.resumed_from.is_not(None))).scalar_one()
            with_findings = c.execute(sa.select(sa.func.count()).where(
                documents.c.run_id == run_id, documents.c.finding_count > 0)).scalar_one()
            by = c.execute(sa.select(findings.c.category, findings.c.severity, sa.func.count())
                           .where(findings.c.run_id == run_id)
                           .group_by(findings.c.category, findings.c.severity)).all()
            severity: Counter[str] = Counter()
            category: Counter[str] = Counter()
            for cat, sev, count in by:
                severity[sev] += count
                category[cat] += count
            return {
                "documents": sum(states.values()), "scanned": states["scanned"], "skipped": states["skipped"],
                "failed": states["failed"], "resumed": resumed, "documents_with_findings": with_findings,
                "findings": sum(severity.values()), "by_severity": {s: severity[s] for s in SEVERITIES},
                "by_category": dict(sorted(category.items())),
                "by_category_severity": {f"{cat}/{sev}": count for cat, sev, count in sorted(by)},
            }

        if conn is not None:
            return compute(conn)
        with self.engine.connect() as c:
            return compute(c)

    def rules(self, run_id: int) -> dict[str, dict[str, str]]:
        """rule id -> {category, message} for the rules that fired in a run (e.g. the SARIF rule table).
        A context rule's message is one finding's with its harm citations removed: they quote a note."""
        query = (sa.select(findings.c.rule, findings.c.category, sa.func.min(findings.c.message))
                 .where(findings.c.run_id == run_id).group_by(findings.c.rule, findings.c.category))
        with self.engine.connect() as conn:
            table = {rule: {"category": category, "message": message}
                     for rule, category, message in conn.execute(query)}
            cited = sa.select(findings.c.rule).where(findings.c.run_id == run_id,
                                                     findings.c.evidence.is_not(None)).distinct()
            for (rule,) in conn.execute(cited).all():
                one = self._findings(conn, sa.and_(findings.c.run_id == run_id, findings.c.rule == rule,
                                                   findings.c.evidence.is_not(None)), limit=1)
                finding = next(iter(one.values()))[0]
                table[rule]["message"] = finding.redacted_message(keep_place=False)
            return table

    def meta_keys(self, run_id: int) -> list[str]:
        """Every metadata key used in a run, in order of first appearance (CSV export columns)."""
        keys: dict[str, None] = {}
        for d in self.iter_documents(run_id, with_text=False):
            keys.update(dict.fromkeys(d.meta))
        return list(keys)

    @staticmethod
    def _findings(conn: Any, condition: Any, limit: int | None = None) -> dict[tuple[int, int], list[Finding]]:
        by_key: dict[tuple[int, int], list[Finding]] = {}
        query = sa.select(findings).where(condition).order_by(findings.c.run_id, findings.c.seq, findings.c.n)
        if limit is not None:
            query = query.limit(limit)
        for row in conn.execute(query):
            m = row._mapping
            data = {k: m[k] for k in _FINDING_FIELDS}
            data["suggestions"] = tuple(data["suggestions"] or ())
            data["evidence"] = evidences_from(data["evidence"])
            by_key.setdefault((m["run_id"], m["seq"]), []).append(Finding(**data))
        return by_key


def _add_missing_columns(engine: sa.Engine) -> None:
    """Bring a store made by an older version up to this schema: columns added since are nullable."""
    inspector = sa.inspect(engine)
    for table in metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=engine.dialect)
                with engine.begin() as conn:
                    conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _describe(exc: Exception) -> str:
    # driver messages can carry the URL or SQL parameters (note text); show the kind and first line only
    orig = getattr(exc, "orig", None)
    first = str(orig or "").strip().splitlines()[:1]
    return f"{(orig or exc).__class__.__name__}: {first[0][:200]}" if first else exc.__class__.__name__


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (report, audit) never block a running scan
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
