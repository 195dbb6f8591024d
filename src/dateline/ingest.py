"""Ingest: read inputs, analyse what is new, store records and quarantine what failed.

    read (streaming) -> skip documents already stored -> analyse (here, or in N worker
    processes) -> store batch by batch, in input order, one transaction each (records,
    quarantine, corpus entities, near duplicates) -> rebuild corpus events

Why it can be trusted with a big corpus:
- memory is bounded: inputs are read lazily, and at most `2 × workers` batches are in flight;
- a batch is committed whole or not at all, and batches are committed in input order whatever
  the worker that analysed them, so an ingest killed at any point (even by kill -9) and run
  again skips what was committed, analyses the rest, and ends with the store an uninterrupted
  run would have written (corpus numbering included);
- each worker process loads the models once and returns plain records (no spaCy objects, no
  custom `Doc._` attributes to lose between processes).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from dateline.corpus_events import rebuild_corpus_events
from dateline.dedup import DuplicateLinker
from dateline.errors import InputError
from dateline.language import LanguageIdentifier
from dateline.merge import CorpusLinker
from dateline.read import ReadOptions, is_warc, read_paths, walk
from dateline.record import Document, Record
from dateline.settings import Settings
from dateline.store import Store, document_key

Analyse = Callable[[list[Document]], list[Record | InputError]]


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: documents stored, already present, quarantined, near duplicates."""

    stored: int = 0
    skipped: int = 0
    quarantined: int = 0
    near_duplicates: int = 0
    corpus_events: int = 0

    @property
    def seen(self) -> int:
        return self.stored + self.skipped + self.quarantined


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    pipeline=None,
    options: ReadOptions | None = None,
    on_progress: Callable[[IngestReport], None] | None = None,
    *,
    workers: int = 1,
    settings: Settings | None = None,
) -> IngestReport:
    """Analyse every new document under `paths` into `store`, batch by batch.

    Given a `pipeline`, and `workers` = 1, this process analyses with it. Otherwise `workers`
    processes each build their own pipeline and analyse, while this process reads and writes:
    even with one worker, analysis and storage then overlap (the command line always does so).
    Documents already in the store (same content hash) are not analysed again; unreadable
    inputs go to `quarantine`; entities are linked to corpus entities, near-duplicate
    documents to the first of their group, and corpus events are rebuilt at the end.
    """
    if settings is None:
        settings = pipeline.settings if pipeline is not None else Settings()
    report = IngestReport()
    entity_linker = CorpusLinker()
    duplicate_linker = DuplicateLinker()

    def commit(batch: _Batch, results: list[Record | InputError]) -> None:
        stored, failures = [], list(batch.failures)
        for key, result in zip(batch.keys, results, strict=True):
            if isinstance(result, InputError):
                failures.append(result)
            else:
                stored.append((key, result))
        store.write_batch(
            stored, failures, link=entity_linker.link, link_batch=duplicate_linker.link_batch
        )
        report.stored += len(stored)
        report.skipped += batch.skipped
        report.quarantined += len(failures)
        if on_progress:
            on_progress(report)

    batches = _batches(read_paths(paths, settings, options), store, settings.batch_size)
    if workers <= 1 and pipeline is not None:
        for batch in batches:
            commit(batch, list(pipeline.analyse(batch.documents)) if batch.documents else [])
    else:
        # While workers analyse, the cores are theirs: DuckDB's own threads (one per core by
        # default) would take a worker's core at each commit of a batch, for writes too small
        # to gain from them. The corpus-wide work after the last batch gets them back.
        store.execute("SET threads = 1")
        try:
            _ingest_in_processes(batches, commit, max(workers, 1), settings)
        finally:
            store.execute("RESET threads")
    report.near_duplicates = store.near_duplicate_count()
    report.corpus_events = rebuild_corpus_events(store)
    return report


@dataclass(slots=True)
class _Batch:
    documents: list[Document]
    keys: list[str]
    failures: list[InputError]
    skipped: int


def _batches(items: Iterator[Document | InputError], store: Store, size: int) -> Iterator[_Batch]:
    """Batches of new documents (each content once), with the reading failures among them."""
    claimed: set[str] = set()  # keys stored or in a batch already handed out
    while chunk := list(islice(items, size)):
        documents = [item for item in chunk if isinstance(item, Document)]
        failures = [item for item in chunk if isinstance(item, InputError)]
        keys = [document_key(document) for document in documents]
        claimed |= store.known_keys([key for key in keys if key not in claimed])
        fresh_documents, fresh_keys = [], []
        for document, key in zip(documents, keys, strict=True):
            if key not in claimed:
                claimed.add(key)
                fresh_documents.append(document)
                fresh_keys.append(key)
        yield _Batch(fresh_documents, fresh_keys, failures, len(documents) - len(fresh_keys))


def _ingest_in_processes(
    batches: Iterator[_Batch],
    commit: Callable[[_Batch, list[Record | InputError]], None],
    workers: int,
    settings: Settings,
) -> None:
    # "spawn", not "fork": the parent holds an open DuckDB connection and threads, which a
    # forked child must not inherit.
    context = multiprocessing.get_context("spawn")
    in_flight: deque[tuple[_Batch, Future]] = deque()
    identifier = LanguageIdentifier(settings)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(settings,)
    ) as pool:
        for batch in batches:
            documents = _with_languages(batch.documents, identifier)
            in_flight.append((batch, pool.submit(_analyse_in_worker, documents)))
            # Commit the oldest batch as soon as the window is full: input order is kept and
            # no more than 2 batches per worker are held in memory.
            while len(in_flight) >= 2 * workers:
                done, future = in_flight.popleft()
                commit(done, future.result())
        while in_flight:
            done, future = in_flight.popleft()
            commit(done, future.result())


def _with_languages(documents: list[Document], identifier: LanguageIdentifier) -> list[Document]:
    """The documents with their language found here, in the process that reads and stores.

    Detection needs no parse, so doing it here overlaps it with the workers' parsing instead of
    adding to it. A document whose language cannot be told goes as it came: its worker finds
    the same error and returns it, so records and quarantine are those of any other path.
    """
    shipped = []
    for document in documents:
        if document.language is None:
            try:
                code = identifier.identify(document.text, document.source)
                document = replace(document, language=code)
            except InputError:
                pass
        shipped.append(document)
    return shipped


_worker_pipeline = None
_models_frozen = 0


def _start_worker(settings: Settings) -> None:
    global _worker_pipeline
    from dateline.pipeline import Pipeline

    _worker_pipeline = Pipeline(settings)


def _analyse_in_worker(documents: list[Document]) -> list[Record | InputError]:
    global _models_frozen
    if not documents:
        return []
    results = list(_worker_pipeline.analyse(documents))
    loaded = _worker_pipeline.models.loaded
    if loaded > _models_frozen:
        # A spaCy model is about half a million Python objects that live as long as the
        # worker; left in the collector's generations, every full collection walks them all
        # (~150 ms each, a few per thousand articles) to find the analyses' short-lived
        # garbage. Once a model is in, collect what loading left and freeze the rest out of
        # the collector's sight. Frozen objects are still freed by reference counting.
        gc.collect()
        gc.freeze()
        _models_frozen = loaded
    return results


def count_documents(paths: Iterable[str | Path]) -> int:
    """How many documents `paths` hold, cheaply (for a progress bar's total and ETA).

    Counts files, lines of JSONL files and page records of WARC archives, without decoding or
    analysing anything; an unreadable input counts as one (it will be one quarantine row).
    """
    total = 0
    for raw in paths:
        path = Path(raw)
        files = walk(path) if path.is_dir() else [path]
        for file in files:
            total += _count_in_file(file)
    return total


def _count_in_file(path: Path) -> int:
    try:
        if path.suffix.lower() == ".jsonl":
            with path.open("rb") as lines:
                return sum(1 for line in lines if line.strip()) or 1
        if is_warc(path):
            from warcio.archiveiterator import ArchiveIterator

            with path.open("rb") as stream:
                return (
                    sum(1 for record in ArchiveIterator(stream) if record.rec_type == "response")
                    or 1
                )
    except Exception:  # noqa: BLE001 - a count is an estimate; reading reports the real error
        return 1
    return 1
