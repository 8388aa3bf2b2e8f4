"""Scan a stream of inputs into a results store with a pool of worker processes.

The parent reads inputs, hashes them, skips what --resume finds already done, and sends chunks of
texts to workers; each worker builds its Scanner once (forked, never spaCy's n_process, which is slow
here) and returns only findings. At most a few chunks are in flight, so memory stays flat however
large the corpus. Completed chunks are committed to the store every second or two: Ctrl-C stops
cleanly and keeps what was done. A worker that dies (crash, out of memory) is replaced; the documents it held are
retried one at a time so that only the document that kills a worker fails.

With a Grouping (--group-by), inputs are first spilled to disk by case (cases.py) and chunks hold
whole cases, so the context stage reads a case's notes together: harm recorded in an earlier note
makes risk-only wording in a later one a finding. A grouped note's stored hash covers its text and
everything read before it in its case, so --resume reuses it only when it and all earlier notes of
its case are unchanged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors
from ._version import __version__
from .cases import CaseSpill, Grouping, case_of
from .config import Config
from .documents import Document
from .errors import LanguagecheckError
from .finding import Finding
from .readers import Item, Unscanned, content_hash
from .store import Store, StoredDocument

CHUNK_DOCUMENTS = 64
CHUNK_CHARS = 256_000
COMMIT_DOCUMENTS = 1000  # write to the store in transactions of about this many documents...
COMMIT_SECONDS = 2.0  # ...or at least this often, so an interruption loses nothing already reported
_CLASSIFIER = "languagecheck_classifier"


@dataclass(frozen=True)
class BatchOptions:
    jobs: int = 0  # worker processes; 0 means one per core; 1 scans in this process
    use_model: bool = True
    require_model: bool = False
    device: str = "cpu"
    resume: bool = False  # reuse findings of documents already scanned with the same scan key
    store_text: bool = True  # keep note text in the store (the HTML report shows it)
    chunk_documents: int = CHUNK_DOCUMENTS
    chunk_chars: int = CHUNK_CHARS
    grouping: Grouping | None = None  # read the notes of a case as one record


@dataclass
class BatchResult:
    run_id: int
    status: str  # finished | interrupted
    summary: dict[str, Any]
    elapsed_s: float
    jobs: int
    lexicon_version: str
    model_version: str
    model_status: str


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_scanner(config: Config, options: BatchOptions) -> Any:
    """The one way a batch scans: the public Scanner (patched in tests to simulate crashes)."""
    from .scanner import Scanner

    return Scanner(config, use_model=options.use_model, require_model=options.require_model,
                   device=options.device)


def pipeline_versions(scanner: Any) -> tuple[str, str, str]:
    """(lexicon version, model version, model status) of a built Scanner."""
    model = "none"
    if _CLASSIFIER in scanner.nlp.pipe_names:
        model_dir = Path(getattr(scanner.nlp.get_pipe(_CLASSIFIER), "model_dir", ""))
        try:
            meta = json.loads((model_dir / "languagecheck.json").read_text("utf-8"))
            model = f"{meta.get('format', 'onnx')}:{str(meta.get('sha256', 'unknown'))[:16]}"
        except (OSError, ValueError):
            model = "unknown"
    return _rules_version(scanner), model, scanner.model_status


def _rules_version(scanner: Any) -> str:
    """The compiled lexicon's fingerprint, plus that of any other rule stage (e.g. the context packs)."""
    parts = [scanner.lexicon.fingerprint]
    for name, pipe in getattr(scanner.nlp, "pipeline", ()):
        if name == _CLASSIFIER:
            continue
        for attribute in ("lexicon", "rules"):
            value = getattr(getattr(pipe, attribute, None), "fingerprint", None)
            if isinstance(value, str) and value not in parts:
                parts.append(value)
    joined = "+".join(parts)
    return joined if len(joined) <= 80 else hashlib.sha256(joined.encode()).hexdigest()[:40]


def scan_key(config: Config, lexicon_version: str, model_version: str, grouping: Grouping | None = None) -> str:
    """What must match for a stored result to be reused: tool, lexicon, model, rule and case settings."""
    settings = config.lexicon_config()
    settings.pop("packs", None)
    settings.pop("extra_packs", None)  # their content is in the lexicon fingerprint
    cases = grouping.settings() if grouping else None
    blob = json.dumps([__version__, lexicon_version, model_version, settings, *([cases] if cases else [])],
                      sort_keys=True, default=list)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


Cases = list[tuple[str, Any]]  # per text: (note name for citations, case id or None), cases adjacent


def scan_texts(scanner: Any, texts: list[str], cases: Cases | None = None) -> list[tuple[list[Finding], str | None]]:
    """(findings, error) per text; an unexpected exception fails only the document (or case) that raised it."""
    if cases is not None:
        return _scan_cases(scanner, texts, cases)
    try:
        return [(found, None) for found in scanner.iter_scan(texts)]
    except Exception:
        pass
    out: list[tuple[list[Finding], str | None]] = []
    for text in texts:
        try:
            out.append((scanner.scan(text), None))
        except Exception as exc:  # the class name only: exception messages may quote the text
            out.append(([], exc.__class__.__name__))
    return out


def _scan_cases(scanner: Any, texts: list[str], cases: Cases) -> list[tuple[list[Finding], str | None]]:
    def scan(positions: list[int]) -> list[tuple[list[Finding], str | None]]:
        docs = [Document(text=texts[k], id=cases[k][0], meta={"case": cases[k][1]}) for k in positions]
        return [(r.findings, None) for r in scanner.scan_grouped(docs, "case")]

    try:
        return scan(list(range(len(texts))))
    except Exception:
        pass
    out: list[tuple[list[Finding], str | None]] = []
    for unit in case_units(cases):
        try:
            out += scan(unit)
        except Exception as exc:  # the class name only: exception messages may quote the text
            out += [([], exc.__class__.__name__)] * len(unit)
    return out


def case_units(cases: Cases) -> list[list[int]]:
    """Positions of each case's run of texts (a text with no case is a unit of its own)."""
    units: list[list[int]] = []
    for k, (_, case) in enumerate(cases):
        if units and case is not None and cases[k - 1][1] == case:
            units[-1].append(k)
        else:
            units.append([k])
    return units


# --- engines: where scanning happens --------------------------------------------------------------

class _Relayed(LanguagecheckError):
    """An error raised while a worker built its scanner, shown with its original message and code."""

    def __init__(self, message: str, code: str):
        self.code = code
        Exception.__init__(self, message)


class _InProcess:
    def __init__(self, config: Config, options: BatchOptions):
        self.scanner = build_scanner(config, options)

    def versions(self) -> tuple[str, str, str]:
        return pipeline_versions(self.scanner)

    def submit(self, texts: list[str], cases: Cases | None = None) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(scan_texts(self.scanner, texts, cases))
        return future

    def restart(self) -> None:
        pass

    def close(self, kill: bool = False) -> None:
        pass


_WORKER: dict[str, Any] = {}


def _init_worker(config: Config, options: BatchOptions, threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    os.environ.setdefault("LANGUAGECHECK_THREADS", str(threads))  # jobs x inference threads <= cores
    try:
        _WORKER["scanner"] = build_scanner(config, options)
    except LanguagecheckError as exc:
        _WORKER["error"] = (str(exc), exc.code)
    except Exception as exc:
        _WORKER["error"] = (f"could not build the scanner ({exc.__class__.__name__})", "E000")


def _worker_versions() -> tuple[str, Any]:
    if "error" in _WORKER:
        return "error", _WORKER["error"]
    return "ok", pipeline_versions(_WORKER["scanner"])


def _worker_scan(texts: list[str], cases: Cases | None = None) -> list[tuple[list[Finding], str | None]]:
    return scan_texts(_WORKER["scanner"], texts, cases)


class _Pool:
    def __init__(self, config: Config, options: BatchOptions, jobs: int):
        import multiprocessing

        self.args = (config, options, max(1, default_jobs() // jobs))
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.jobs = jobs
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=_init_worker, initargs=self.args)

    def versions(self) -> tuple[str, str, str]:
        status, value = self.executor.submit(_worker_versions).result()
        if status == "error":
            raise _Relayed(*value)
        return tuple(value)  # type: ignore[return-value]

    def submit(self, texts: list[str], cases: Cases | None = None) -> Future[Any]:
        return self.executor.submit(_worker_scan, texts, cases)

    def restart(self) -> None:
        self.close(kill=True)
        self.executor = self._start()

    def close(self, kill: bool = False) -> None:
        if kill:
            for process in list((getattr(self.executor, "_processes", None) or {}).values()):
                process.terminate()
        self.executor.shutdown(wait=not kill, cancel_futures=True)


# --- the batch loop -------------------------------------------------------------------------------

@dataclass
class _Chunk:
    seqs: list[int]  # input position of each item
    items: list[Item]
    cases: Cases | None = None  # per item, when notes are grouped by case
    stored: list[StoredDocument | None] = field(default_factory=list)  # None: waiting for the scan
    to_scan: list[int] = field(default_factory=list)  # positions in items
    hashes: list[str | None] = field(default_factory=list)
    future: Future[Any] | None = None


def _chunks(units: Iterable[list[tuple[int, Item]]], options: BatchOptions) -> Iterator[list[tuple[int, Item]]]:
    """(seq, item) lists of about the chunk size; a unit (one note, or a whole case) is never split."""
    chunk: list[tuple[int, Item]] = []
    chars = 0
    for unit in units:
        chunk += unit
        chars += sum(len(item.text) for _, item in unit if isinstance(item, Document))
        if len(chunk) >= options.chunk_documents or chars >= options.chunk_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


class _Batch:
    def __init__(self, store: Store, engine: Any, run_id: int, key: str, options: BatchOptions,
                 on_progress: Callable[[int, Counter[str]], None] | None,
                 on_document: Callable[[Document, StoredDocument], None] | None):
        self.store, self.engine, self.run_id, self.key, self.options = store, engine, run_id, key, options
        self.on_progress, self.on_document = on_progress, on_document
        self.counts: Counter[str] = Counter()
        self.pending: list[StoredDocument] = []
        self.flushed_at = time.monotonic()

    def flush(self) -> None:
        if self.pending:
            self.store.add_documents(self.run_id, self.pending)
            self.pending = []
        self.flushed_at = time.monotonic()

    def prepare(self, members: list[tuple[int, Item]]) -> _Chunk:
        items = [item for _, item in members]
        grouping = self.options.grouping
        chunk = _Chunk(seqs=[seq for seq, _ in members], items=items)
        hashes = chunk.hashes = [content_hash(i.text) if isinstance(i, Document) else None for i in items]
        if grouping is not None:
            chunk.cases = [(i.id or i.path or f"#{seq + 1}", case_of(i, grouping)) for seq, i in members]
            chunk.hashes = hashes = _case_hashes(hashes, chunk.cases)
        reusable = self.store.reusable(self.key, [h for h in hashes if h]) if self.options.resume else {}
        for k, (item, digest) in enumerate(zip(items, hashes, strict=True)):
            seq = chunk.seqs[k]
            if isinstance(item, Unscanned):
                chunk.stored.append(StoredDocument(seq=seq, state=item.state, id=item.id, path=item.path,
                                                   meta=item.meta, reason=item.reason, code=item.code))
            elif digest in reusable:
                done = reusable[digest]
                reason = str(errors.input_error(item.name, errors.RESUMED, run=done.resumed_from))
                chunk.stored.append(StoredDocument(
                    seq=seq, state="skipped", id=item.id, path=item.path, content_hash=digest, meta=item.meta,
                    reason=reason, code=errors.RESUMED[0], findings=done.findings, resumed_from=done.resumed_from,
                    text=item.text if self.options.store_text else None))
            else:
                chunk.stored.append(None)
                chunk.to_scan.append(k)
        if chunk.to_scan:
            try:
                texts = [items[k].text for k in chunk.to_scan]  # type: ignore[union-attr]
                cases = [chunk.cases[k] for k in chunk.to_scan] if chunk.cases is not None else None
                chunk.future = self.engine.submit(texts, cases)
            except BrokenProcessPool as exc:  # a worker died since the last chunk: rescued in complete()
                chunk.future = Future()
                chunk.future.set_exception(exc)
        return chunk

    def complete(self, chunk: _Chunk) -> None:
        results: list[tuple[list[Finding], str | None]] = []
        if chunk.future is not None:
            try:
                results = chunk.future.result()
            except BrokenProcessPool:
                results = self._rescue(chunk)
        for k, (found, error) in zip(chunk.to_scan, results, strict=True):
            doc = chunk.items[k]
            assert isinstance(doc, Document)
            stored = StoredDocument(seq=chunk.seqs[k], state="scanned", id=doc.id, path=doc.path,
                                    content_hash=chunk.hashes[k], meta=doc.meta, findings=found,
                                    text=doc.text if self.options.store_text else None)
            if error is not None:
                spec = errors.WORKER_DIED if error == "WorkerDied" else errors.SCAN_FAILED
                exc = errors.input_error(doc.name, spec, error=error)
                stored.state, stored.reason, stored.code, stored.findings = "failed", str(exc), exc.code, []
            chunk.stored[k] = stored
        final = [s for s in chunk.stored if s is not None]
        self.pending.extend(final)
        if len(self.pending) >= COMMIT_DOCUMENTS or time.monotonic() - self.flushed_at >= COMMIT_SECONDS:
            self.flush()
        for item, stored in zip(chunk.items, final, strict=True):
            self.counts[stored.state] += 1
            self.counts["resumed"] += stored.resumed_from is not None
            self.counts["findings"] += len(stored.findings)
            if self.on_document and isinstance(item, Document) and stored.effective_state == "scanned":
                self.on_document(item, stored)
        if self.on_progress:
            self.on_progress(len(final), self.counts)

    def _rescue(self, chunk: _Chunk) -> list[tuple[list[Finding], str | None]]:
        """The pool broke while this chunk was in it: retry its documents (or cases) one by one in a fresh pool."""
        cases = [chunk.cases[k] for k in chunk.to_scan] if chunk.cases is not None else None
        units = case_units(cases) if cases is not None else [[n] for n in range(len(chunk.to_scan))]
        results: list[tuple[list[Finding], str | None]] = []
        for unit in units:
            texts = [chunk.items[chunk.to_scan[n]].text for n in unit]  # type: ignore[union-attr]
            for attempt in range(2):
                try:
                    results += self.engine.submit(texts, [cases[n] for n in unit] if cases else None).result()
                    break
                except BrokenProcessPool:
                    self.engine.restart()
                    if attempt:
                        results += [([], "WorkerDied")] * len(unit)
        return results


def _case_hashes(hashes: list[str | None], cases: Cases) -> list[str | None]:
    """Each grouped note's hash, chained through the notes read before it in its case (their text and
    name, which its citations use): equal hashes mean equal findings."""
    out = list(hashes)
    for unit in case_units(cases):
        previous: tuple[str, str] | None = None
        for k in unit:
            if hashes[k] is None:
                continue
            if previous is not None:
                out[k] = content_hash(json.dumps([previous, hashes[k]]))
            previous = (out[k], cases[k][0])  # type: ignore[assignment]
    return out


def run_batch(items: Iterable[Item], store: Store, config: Config | None = None,
              options: BatchOptions | None = None, *, inputs: Iterable[str] = (),
              settings: dict[str, Any] | None = None,
              on_progress: Callable[[int, Counter[str]], None] | None = None,
              on_document: Callable[[Document, StoredDocument], None] | None = None) -> BatchResult:
    """Scan every item into a new run of `store`; returns when done or after Ctrl-C (status 'interrupted')."""
    config = config or Config()
    options = options or BatchOptions()
    jobs = options.jobs or default_jobs()
    started = time.perf_counter()
    engine: Any = _InProcess(config, options) if jobs == 1 else _Pool(config, options, jobs)
    status = "failed"
    stack = contextlib.ExitStack()  # the case spill, when notes are grouped
    try:
        lexicon_version, model_version, model_status = engine.versions()
        key = scan_key(config, lexicon_version, model_version, options.grouping)
        if options.grouping is not None:
            spill = stack.enter_context(CaseSpill(items, options.grouping))
            spill.check()  # before the run starts: a wrong column leaves no empty run behind
            units: Iterable[list[tuple[int, Item]]] = spill.cases()
        else:
            units = ([(seq, item)] for seq, item in enumerate(items))
        run_config = {"config": dataclasses.asdict(config), "jobs": jobs, "use_model": options.use_model,
                      "resume": options.resume, "store_text": options.store_text,
                      **(options.grouping.settings() if options.grouping else {}), **(settings or {})}
        run_id = store.start_run(tool_version=__version__, lexicon_version=lexicon_version,
                                 model_version=model_version, scan_key=key, config=run_config,
                                 inputs=[str(i) for i in inputs])
        batch = _Batch(store, engine, run_id, key, options, on_progress, on_document)
        in_flight: deque[_Chunk] = deque()
        try:
            for members in _chunks(units, options):
                in_flight.append(batch.prepare(members))
                while len(in_flight) > 2 * jobs:
                    batch.complete(in_flight.popleft())
            while in_flight:
                batch.complete(in_flight.popleft())
            batch.flush()
            status = "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            engine.close(kill=True)
            batch.flush()  # everything completed so far is kept
        except BaseException:
            store.finish_run(run_id, "failed")
            raise
        store.finish_run(run_id, status)
    finally:
        engine.close(kill=status != "finished")
        stack.close()
    return BatchResult(run_id=run_id, status=status, summary=store.summary(run_id),
                       elapsed_s=time.perf_counter() - started, jobs=jobs, lexicon_version=lexicon_version,
                       model_version=model_version, model_status=model_status)
