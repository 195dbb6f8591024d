"""Storage: records in an embedded DuckDB file a person can query with SQL.

One row per document in `documents` (keyed by a content hash, so ingesting the same document
twice changes nothing), one table per record part (`entities`, `mentions`, `times`, `places`,
`events`, `quotes`), and `quarantine` for inputs that could not be read, with the reason.
Each batch is written in one transaction: a crash leaves whole documents or none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from dateline.errors import DatelineError, InputError
from dateline.record import Document, Record

# Bumped when a table changes shape; a store of another version is refused with a clear reason.
STORE_VERSION = "3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_key VARCHAR PRIMARY KEY, id VARCHAR, source VARCHAR, language VARCHAR, title VARCHAR,
    published VARCHAR, published_earliest DATE, published_latest DATE,
    text VARCHAR, structure JSON, record JSON, ingested_at TIMESTAMP,
    duplicate_of VARCHAR, similarity DOUBLE
);
CREATE TABLE IF NOT EXISTS entities (
    doc_key VARCHAR, entity_id VARCHAR, name VARCHAR, type VARCHAR, aliases VARCHAR[], kb JSON,
    corpus_id INTEGER
);
CREATE TABLE IF NOT EXISTS corpus_entities (
    corpus_id INTEGER, name VARCHAR, type VARCHAR, documents INTEGER, mentions INTEGER,
    initial VARCHAR
);
CREATE TABLE IF NOT EXISTS corpus_entity_keys (
    type VARCHAR, key VARCHAR, kind VARCHAR, corpus_id INTEGER, ambiguous BOOLEAN
);
CREATE TABLE IF NOT EXISTS mentions (
    doc_key VARCHAR, entity_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR
);
CREATE TABLE IF NOT EXISTS times (
    doc_key VARCHAR, time_id VARCHAR, text VARCHAR, start INTEGER, "end" INTEGER, type VARCHAR,
    value VARCHAR, earliest DATE, latest DATE, mod VARCHAR
);
CREATE TABLE IF NOT EXISTS places (
    doc_key VARCHAR, entity_id VARCHAR, name VARCHAR, lat DOUBLE, lon DOUBLE, country VARCHAR,
    admin1 VARCHAR, geonames_id BIGINT, kind VARCHAR, resolved BOOLEAN, confidence DOUBLE
);
CREATE TABLE IF NOT EXISTS events (
    doc_key VARCHAR, event_id VARCHAR, type VARCHAR, mode VARCHAR, trigger_text VARCHAR,
    trigger_start INTEGER, trigger_end INTEGER, actors VARCHAR[], targets VARCHAR[],
    place VARCHAR, time VARCHAR, factuality VARCHAR, source VARCHAR, context VARCHAR[],
    earliest DATE, latest DATE, sentence_start INTEGER, sentence_end INTEGER, sentence VARCHAR,
    corpus_event_id INTEGER
);
CREATE TABLE IF NOT EXISTS corpus_events (
    corpus_event_id INTEGER PRIMARY KEY, type VARCHAR, mode VARCHAR, factuality VARCHAR,
    earliest DATE, latest DATE, dated BOOLEAN, actors INTEGER[], targets INTEGER[],
    place_id INTEGER, country VARCHAR, reports INTEGER, documents INTEGER, sources INTEGER,
    first_doc_key VARCHAR, first_event_id VARCHAR, first_published DATE
);
CREATE TABLE IF NOT EXISTS quotes (
    doc_key VARCHAR, quote_no INTEGER, speaker VARCHAR, text VARCHAR, start INTEGER, "end" INTEGER
);
CREATE TABLE IF NOT EXISTS document_signatures (doc_key VARCHAR PRIMARY KEY, signature BLOB);
CREATE TABLE IF NOT EXISTS document_bands (band_key VARCHAR PRIMARY KEY, doc_key VARCHAR);
CREATE TABLE IF NOT EXISTS quarantine (
    source VARCHAR PRIMARY KEY, reason VARCHAR, quarantined_at TIMESTAMP
);
"""


def document_key(document: Document) -> str:
    """The content hash that identifies a document in the store.

    The publication date is part of it: the same text with another date anchors its times
    differently, so it is another record.
    """
    published = document.published.value if document.published else ""
    digest = hashlib.sha256(f"{published}\x00{document.text}".encode())
    return digest.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


class Store:
    """A DuckDB file holding dateline records. Use as a context manager."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self._corpus: _CorpusIndex | None = None
        if read_only and not self.path.exists():
            raise DatelineError(f"{self.path}: no such database (create it with `dateline ingest`)")
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as error:
            raise DatelineError(f"{self.path}: cannot open the database ({error})") from None
        self._check_version()
        if not read_only:
            self._con.execute(SCHEMA)
            self._con.execute(
                "INSERT OR IGNORE INTO meta VALUES ('store_version', ?), ('schema_version', '1')",
                [STORE_VERSION],
            )

    def _check_version(self) -> None:
        has_meta = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone()[0]
        if not has_meta:
            return
        row = self._con.execute("SELECT value FROM meta WHERE key = 'store_version'").fetchone()
        if row is not None and row[0] != STORE_VERSION:
            self._con.close()
            raise DatelineError(
                f"{self.path}: written by another version of dateline (store version {row[0]}, "
                f"this one reads {STORE_VERSION}); ingest into a new file"
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    def known_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these document keys are already stored."""
        if not keys:
            return set()
        rows = self._con.execute(
            "SELECT doc_key FROM documents WHERE doc_key IN (SELECT UNNEST(?))", [list(keys)]
        ).fetchall()
        return {row[0] for row in rows}

    def write_batch(
        self,
        stored: Iterable[tuple[str, Record]],
        failed: Iterable[InputError],
        link: Callable[[Store, str, Record], None] | None = None,
        link_batch: Callable[[Store, list[tuple[str, Record]]], None] | None = None,
    ) -> None:
        """Store records (with their keys) and quarantine failures, in one transaction.

        `link(store, doc_key, record)` runs inside that transaction for each stored record, to
        tie its entities to corpus entities (see `merge.py`); `link_batch(store, stored)` once
        for the batch (near duplicates, see `dedup.py`).
        """
        stored = list(stored)
        rows = RecordRows()
        for key, record in stored:
            rows.add(key, record)
        failures = list(failed)
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.transaction():
            for table, columns in rows.tables().items():
                _insert_columns(self._con, table, columns)
            if rows.sources:
                self._con.execute(
                    "DELETE FROM quarantine WHERE source IN (SELECT UNNEST(?))", [rows.sources]
                )
            if link is not None:
                for key, record in stored:
                    link(self, key, record)
            if link_batch is not None:
                link_batch(self, stored)
            for failure in failures:
                self._con.execute(
                    "INSERT OR REPLACE INTO quarantine VALUES (?, ?, ?)",
                    [failure.source, failure.reason, now],
                )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: committed whole (with the corpus entities linked in it) or not at
        all. On failure the in-memory mirror of corpus entities is dropped, to be reloaded."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield
            if self._corpus is not None:
                self._corpus.flush(self._con)
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            self._corpus = None  # the mirror may hold what was rolled back: reload it
            raise

    # -- corpus entities (used by merge.CorpusLinker inside write_batch) --------------------

    def corpus_entity_by_keys(
        self, group: str, keys: Sequence[str], kind: str = "name"
    ) -> int | None:
        """The corpus entity that one of these keys names unambiguously, if any (lowest id)."""
        index = self._corpus_index()
        found = [
            entry[0]
            for key in keys
            if (entry := index.keys.get((group, key, kind))) is not None and not entry[1]
        ]
        return min(found) if found else None

    def corpus_initial(self, corpus_id: int) -> str | None:
        """The first letter of the first name a corpus person was registered with."""
        row = self._corpus_index().entities.get(corpus_id)
        return row[4] if row else None

    def new_corpus_entity(self, name: str, group: str, initial: str | None = None) -> int:
        # Numbered from the table, not a sequence: a sequence's numbers are spent even by a
        # transaction that is rolled back or killed, and a resumed ingest must number as an
        # uninterrupted one would.
        index = self._corpus_index()
        corpus_id = index.next_id
        index.next_id += 1
        index.entities[corpus_id] = [name, group, 0, 0, initial]
        index.changed_entities.add(corpus_id)
        return corpus_id

    def add_corpus_keys(self, corpus_id: int, group: str, keys: Sequence[str], kind: str) -> None:
        """Register keys of a corpus entity; a key another entity already holds is ambiguous."""
        index = self._corpus_index()
        for key in keys:
            entry = index.keys.get((group, key, kind))
            if entry is None:
                index.keys[(group, key, kind)] = [corpus_id, False]
            elif entry[0] != corpus_id and not entry[1]:
                entry[1] = True
            else:
                continue
            index.changed_keys.add((group, key, kind))

    def attach_to_corpus_entity(
        self, doc_key: str, entity_id: str, corpus_id: int, name: str, mentions: int
    ) -> None:
        index = self._corpus_index()
        index.attachments.append((doc_key, entity_id, corpus_id))
        row = index.entities[corpus_id]
        row[2] += 1
        row[3] += mentions
        if len(name) > len(row[0]):
            row[0] = name  # the corpus entity's name is the fullest form any document used
        index.changed_entities.add(corpus_id)

    def _corpus_index(self) -> _CorpusIndex:
        if self._corpus is None:
            self._corpus = _CorpusIndex.load(self._con)
        return self._corpus

    # -- near duplicates (used by dedup.DuplicateLinker inside write_batch) -------------------

    def near_duplicate_candidates(
        self, bands: Sequence[str]
    ) -> list[tuple[str, str, str | None, bytes]]:
        """Stored owners of these LSH bands: (band, doc_key, its duplicate_of, its signature)."""
        return self._con.execute(
            "SELECT b.band_key, b.doc_key, d.duplicate_of, s.signature FROM document_bands b "
            "JOIN document_signatures s USING (doc_key) JOIN documents d USING (doc_key) "
            "WHERE b.band_key IN (SELECT UNNEST(?)) ORDER BY b.band_key",
            [list(bands)],
        ).fetchall()

    def add_signatures(self, found: Sequence[tuple[str, Any, str | None, float | None]]) -> None:
        """Store signatures and band keys, and mark near duplicates: (doc_key, signature,
        duplicate_of, similarity) per document."""
        if not found:
            return
        _insert_columns(self._con, "document_signatures", {
            "doc_key": [f[0] for f in found], "signature": [f[1].values for f in found],
        })  # fmt: skip
        # Only the first document with a band key keeps it: later ones are found through it.
        owners: dict[str, str] = {}
        for doc_key, signature, _, _ in found:
            for band in signature.bands:
                owners.setdefault(band, doc_key)
        self._con.execute(
            "INSERT OR IGNORE INTO document_bands SELECT UNNEST(?), UNNEST(?)",
            [list(owners), list(owners.values())],
        )
        duplicates = [f for f in found if f[2] is not None]
        if duplicates:
            self._con.execute(
                "UPDATE documents SET duplicate_of = n.original, similarity = n.similarity "
                "FROM (SELECT UNNEST(?) AS doc_key, UNNEST(?) AS original, UNNEST(?) AS similarity)"
                " n WHERE documents.doc_key = n.doc_key",
                [[f[0] for f in duplicates], [f[2] for f in duplicates],
                 [f[3] for f in duplicates]],
            )  # fmt: skip

    # -- corpus events (rebuilt whole by corpus_events.rebuild_corpus_events) ----------------

    def replace_corpus_events(
        self, table: dict[str, list[Any]], links: dict[str, list[Any]]
    ) -> None:
        """Replace `corpus_events` and the events' links to them, in one transaction."""
        with self.transaction():
            self._con.execute("DELETE FROM corpus_events")
            self._con.execute("UPDATE events SET corpus_event_id = NULL")
            if table["corpus_event_id"]:
                _insert_columns(self._con, "corpus_events", table)
                self._con.execute(
                    "CREATE OR REPLACE TEMP TABLE event_links AS "
                    "SELECT UNNEST(?) AS doc_key, UNNEST(?) AS event_id, UNNEST(?) AS cid",
                    [links["doc_key"], links["event_id"], links["corpus_event_id"]],
                )
                self._con.execute(
                    "UPDATE events SET corpus_event_id = l.cid FROM event_links l "
                    "WHERE events.doc_key = l.doc_key AND events.event_id = l.event_id"
                )
                self._con.execute("DROP TABLE event_links")

    def near_duplicate_count(self) -> int:
        return self._con.execute(
            "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"
        ).fetchone()[0]

    def query(self, sql: str) -> QueryResult:
        try:
            cursor = self._con.execute(sql)
        except duckdb.Error as error:
            raise DatelineError(f"query failed: {str(error).splitlines()[0]}") from None
        if cursor.description is None:
            return QueryResult([], [])
        return QueryResult([column[0] for column in cursor.description], cursor.fetchall())

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> QueryResult:
        """Run dateline's own parameterised SQL (for a user's SQL, see `query`)."""
        cursor = self._con.execute(sql, list(parameters))
        if cursor.description is None:
            return QueryResult([], [])
        return QueryResult([column[0] for column in cursor.description], cursor.fetchall())

    def copy_table(self, table: str, path: Path, options: str) -> None:
        """Write one table to a file with DuckDB's COPY (`options`: its FORMAT clause)."""
        target = str(path).replace("'", "''")
        self._con.execute(f"COPY {table} TO '{target}' ({options})")

    def count(self, table: str) -> int:
        return self._con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


class _CorpusIndex:
    """The corpus entities and their keys, mirrored in memory while a store is written.

    Linking a document's entities asks several questions per entity; asked of DuckDB one
    statement at a time they cost more than the analysis. The mirror answers them from dicts
    and writes what changed in a few bulk statements at the end of each batch, inside the
    batch's transaction. Its size grows with the corpus entities, not with the documents.
    """

    def __init__(self) -> None:
        # (type, key, kind) -> [corpus_id, ambiguous]
        self.keys: dict[tuple[str, str, str], list[Any]] = {}
        # corpus_id -> [name, type, documents, mentions, initial]
        self.entities: dict[int, list[Any]] = {}
        self.next_id = 1
        self.changed_keys: set[tuple[str, str, str]] = set()
        self.changed_entities: set[int] = set()
        self.attachments: list[tuple[str, str, int]] = []

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> _CorpusIndex:
        index = cls()
        for type_, key, kind, corpus_id, ambiguous in con.execute(
            "SELECT type, key, kind, corpus_id, ambiguous FROM corpus_entity_keys"
        ).fetchall():
            index.keys[(type_, key, kind)] = [corpus_id, ambiguous]
        for corpus_id, *row in con.execute(
            "SELECT corpus_id, name, type, documents, mentions, initial FROM corpus_entities"
        ).fetchall():
            index.entities[corpus_id] = row
        index.next_id = max(index.entities, default=0) + 1
        return index

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.changed_keys:
            keys = sorted(self.changed_keys)
            con.execute(
                "CREATE OR REPLACE TEMP TABLE changed_keys AS SELECT UNNEST(?) AS type, "
                "UNNEST(?) AS key, UNNEST(?) AS kind, UNNEST(?) AS corpus_id, "
                "UNNEST(?) AS ambiguous",
                [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
                 [self.keys[k][0] for k in keys], [self.keys[k][1] for k in keys]],
            )  # fmt: skip
            con.execute(
                "DELETE FROM corpus_entity_keys USING changed_keys c "
                "WHERE corpus_entity_keys.type = c.type AND corpus_entity_keys.key = c.key "
                "AND corpus_entity_keys.kind = c.kind"
            )
            con.execute("INSERT INTO corpus_entity_keys SELECT * FROM changed_keys")
            con.execute("DROP TABLE changed_keys")
        if self.changed_entities:
            ids = sorted(self.changed_entities)
            rows = [self.entities[i] for i in ids]
            con.execute("DELETE FROM corpus_entities WHERE corpus_id IN (SELECT UNNEST(?))", [ids])
            _insert_columns(con, "corpus_entities", {
                "corpus_id": ids, "name": [r[0] for r in rows], "type": [r[1] for r in rows],
                "documents": [r[2] for r in rows], "mentions": [r[3] for r in rows],
                "initial": [r[4] for r in rows],
            })  # fmt: skip
        if self.attachments:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE attached AS SELECT UNNEST(?) AS doc_key, "
                "UNNEST(?) AS entity_id, UNNEST(?) AS corpus_id",
                [[a[0] for a in self.attachments], [a[1] for a in self.attachments],
                 [a[2] for a in self.attachments]],
            )  # fmt: skip
            con.execute(
                "UPDATE entities SET corpus_id = a.corpus_id FROM attached a "
                "WHERE entities.doc_key = a.doc_key AND entities.entity_id = a.entity_id"
            )
            con.execute("DROP TABLE attached")
        self.changed_keys.clear()
        self.changed_entities.clear()
        self.attachments.clear()


class RecordRows:
    """Column-wise rows of a batch of records, ready for one INSERT per table.

    The one place where a record becomes table rows: the store and the Spark path
    (`spark.py`) both use it, so their tables have the same shape.
    """

    def __init__(self) -> None:
        self._tables: dict[str, dict[str, list[Any]]] = {}
        self.sources: list[str] = []

    def _append(self, table: str, **values: Any) -> None:
        columns = self._tables.setdefault(table, {name: [] for name in values})
        for name, value in values.items():
            columns[name].append(value)

    def add(self, key: str, record: Record) -> None:
        published = record.published
        data = record.to_dict()
        self._append(
            "documents",
            doc_key=key, id=record.id, source=record.source, language=record.language,
            title=record.title, published=published.value if published else None,
            published_earliest=published.earliest if published else None,
            published_latest=published.latest if published else None,
            text=record.text,
            structure=json.dumps(data["structure"], ensure_ascii=False),
            record=json.dumps(data, ensure_ascii=False),
            ingested_at=datetime.now(UTC).replace(tzinfo=None),
        )  # fmt: skip
        if record.source:
            self.sources.append(record.source)
        for entity in record.entities:
            self._append(
                "entities", doc_key=key, entity_id=entity.id, name=entity.name, type=entity.type,
                aliases=entity.aliases, kb=json.dumps(entity.kb),
            )  # fmt: skip
            for mention in entity.mentions:
                self._append(
                    "mentions", doc_key=key, entity_id=entity.id, start=mention.start,
                    end=mention.end, text=mention.text,
                )  # fmt: skip
        for time in record.times:
            self._append(
                "times", doc_key=key, time_id=time.id, text=time.text, start=time.start,
                end=time.end, type=time.type, value=time.value, earliest=time.earliest,
                latest=time.latest, mod=time.mod,
            )  # fmt: skip
        for place in record.places:
            self._append(
                "places", doc_key=key, entity_id=place.entity, name=place.name, lat=place.lat,
                lon=place.lon, country=place.country, admin1=place.admin1,
                geonames_id=place.geonames_id, kind=place.kind, resolved=place.resolved,
                confidence=place.confidence,
            )  # fmt: skip
        for event in record.events:
            sentence = event.sentence
            self._append(
                "events", doc_key=key, event_id=event.id, type=event.type, mode=event.mode,
                trigger_text=event.trigger.text, trigger_start=event.trigger.start,
                trigger_end=event.trigger.end, actors=event.actors, targets=event.targets,
                place=event.place, time=event.time, factuality=event.factuality,
                source=event.source, context=event.context, earliest=event.earliest,
                latest=event.latest, sentence_start=sentence.start if sentence else None,
                sentence_end=sentence.end if sentence else None,
                sentence=record.text[sentence.start : sentence.end] if sentence else None,
            )  # fmt: skip
        for number, quote in enumerate(record.quotes, start=1):
            self._append(
                "quotes", doc_key=key, quote_no=number, speaker=quote.speaker, text=quote.text,
                start=quote.start, end=quote.end,
            )  # fmt: skip

    def tables(self) -> dict[str, dict[str, list[Any]]]:
        return self._tables


def _insert_columns(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[Any]]
) -> None:
    # One statement per table and batch: UNNEST over list parameters inserts thousands of rows
    # at once, where executemany would pay a round trip per row.
    names = ", ".join(f'"{name}"' for name in columns)
    unnests = ", ".join("UNNEST(?)" for _ in columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {unnests}", list(columns.values()))
