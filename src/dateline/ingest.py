"""Ingest: read inputs, analyse what is new, store records and quarantine what failed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from dateline.errors import InputError
from dateline.merge import CorpusLinker
from dateline.pipeline import Pipeline
from dateline.read import ReadOptions, read_paths
from dateline.record import Document
from dateline.store import Store, document_key


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: documents stored, already present, and quarantined."""

    stored: int = 0
    skipped: int = 0
    quarantined: int = 0


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    pipeline: Pipeline,
    options: ReadOptions | None = None,
    on_progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Analyse every new document under `paths` into `store`, batch by batch.

    Documents already in the store (same content hash) are not analysed again; unreadable
    inputs go to the `quarantine` table; entities are linked to corpus entities. Each batch is
    committed whole.
    """
    report = IngestReport()
    linker = CorpusLinker()
    items = read_paths(paths, pipeline.settings, options)
    while batch := list(islice(items, pipeline.settings.batch_size)):
        documents = [item for item in batch if isinstance(item, Document)]
        failures = [item for item in batch if isinstance(item, InputError)]
        keys = {id(document): document_key(document) for document in documents}
        known = store.known_keys(list(keys.values()))
        fresh = _first_of_each_key(documents, keys, known)
        report.skipped += len(documents) - len(fresh)
        stored = []
        for document, result in zip(fresh, pipeline.analyse(fresh), strict=True):
            if isinstance(result, InputError):
                failures.append(result)
            else:
                stored.append((keys[id(document)], result))
        store.write_batch(stored, failures, link=linker.link)
        report.stored += len(stored)
        report.quarantined += len(failures)
        if on_progress:
            on_progress(report)
    return report


def _first_of_each_key(
    documents: list[Document], keys: dict[int, str], known: set[str]
) -> list[Document]:
    """The documents not yet stored, each content once (a batch may repeat a document)."""
    seen = set(known)
    fresh = []
    for document in documents:
        key = keys[id(document)]
        if key not in seen:
            seen.add(key)
            fresh.append(document)
    return fresh
