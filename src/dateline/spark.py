"""Spark: the same pipeline over a cluster, writing one Parquet directory per table.

    driver:    list input units (files as `read_paths` walks them; big JSONL files cut into
               line ranges) -> contiguous groups of about equal bytes, one per partition
    executors: read each unit with dateline's reader -> (ordinal, document key, Document or
               InputError)                                           [persisted]
    driver:    collect the ordinals of later copies of a document key (the duplicates)
    executors: per partition, one Pipeline analyses the documents in batches; RecordRows turns
               each record into table rows; InputErrors become quarantine rows [persisted]
    driver:    write OUTPUT/<table>/ for documents, entities, mentions, times, places, events,
               quotes and quarantine; `load_parquet` later moves it into a DuckDB store

Why it is built this way:
- Records must equal the single-machine path's. So tasks read with `read.py` itself, sources
  are named as `read_paths` names them ("path", "path:lineno" in a JSONL file) even though
  tasks open absolute paths, and rows come from `store.RecordRows`, the one place where a record
  becomes rows. Analysis does not depend on how documents are batched (a document's record is
  the same alone or in a batch), so partitioning cannot change a record.
- Order is kept end to end: units are numbered in input order, partitions are contiguous runs
  of units, and Spark names part files by partition, so reading a table's files in name order
  gives input order. "First copy wins" among duplicates and the loader's corpus numbering both
  rest on it.
- Models are heavy (seconds to load, hundreds of MB): each Python worker builds one Pipeline,
  the first time one of its partitions has a document, and keeps it for the next partitions it
  runs (Spark reuses Python workers), never one per document or per batch.
- Both the read documents and the analysed rows are persisted (MEMORY_AND_DISK): finding
  duplicates and analysing would otherwise read every input twice, and eight table writes
  would otherwise analyse every document eight times.
- Closures hold only module-level functions and picklable values (settings, options, a
  broadcast set): executors import dateline from their own environment, as under
  spark-submit with a packed environment.
- Corpus-level columns (entities.corpus_id, events.corpus_event_id, documents.duplicate_of and
  similarity) depend on every earlier document, so they are not computed by tasks: the loader
  links documents in input order, as `dateline ingest` does.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyspark import StorageLevel
from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DataType,
    DateType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampNTZType,
)

from dateline.errors import DatelineError, InputError
from dateline.read import (
    JSONL_SUFFIXES,
    ReadOptions,
    jsonl_document,
    read_file,
    read_paths,
    walk,
)
from dateline.record import Document, Record
from dateline.settings import Settings
from dateline.store import RecordRows, Store, document_key

if TYPE_CHECKING:
    from pyspark.broadcast import Broadcast
    from pyspark.sql import SparkSession

    from dateline.ingest import IngestReport
    from dateline.pipeline import Pipeline

# The record tables, in the order they are written and loaded, and the table of failures.
TABLES = ("documents", "entities", "mentions", "times", "places", "events", "quotes")
QUARANTINE = "quarantine"

# Partitions per core by default: two, so that a slow partition (long articles) leaves the
# other cores work to take; the models are loaded once per Python worker, not per partition.
PARTITIONS_PER_CORE = 2
# Input units per partition to aim for when cutting big JSONL files: units are what partitions
# are built from, and finer units let contiguous groups come out of about equal size.
UNITS_PER_PARTITION = 4
# Documents per transaction when loading into a store: large enough that the per-statement
# cost vanishes, small enough that an interrupted load loses little and memory stays bounded.
LOAD_CHUNK = 1000


def _schema(*columns: tuple[str, DataType]) -> StructType:
    return StructType([StructField(name, kind, nullable=True) for name, kind in columns])


_S, _I, _D, _F = StringType(), IntegerType(), DateType(), DoubleType()
_LIST = ArrayType(StringType(), containsNull=True)

# The store's tables (store.SCHEMA) as Spark types: VARCHAR and JSON as strings, DATE as dates,
# VARCHAR[] as arrays, TIMESTAMP (naive UTC) as TimestampNTZ, INTEGER/BIGINT as int/long.
# Columns in RecordRows' order; the corpus-level columns are left to the loader.
SCHEMAS: dict[str, StructType] = {
    "documents": _schema(
        ("doc_key", _S), ("id", _S), ("source", _S), ("language", _S), ("title", _S),
        ("published", _S), ("published_earliest", _D), ("published_latest", _D), ("text", _S),
        ("structure", _S), ("record", _S), ("ingested_at", TimestampNTZType()),
    ),
    "entities": _schema(
        ("doc_key", _S), ("entity_id", _S), ("name", _S), ("type", _S), ("aliases", _LIST),
        ("kb", _S),
    ),
    "mentions": _schema(
        ("doc_key", _S), ("entity_id", _S), ("start", _I), ("end", _I), ("text", _S),
    ),
    "times": _schema(
        ("doc_key", _S), ("time_id", _S), ("text", _S), ("start", _I), ("end", _I),
        ("type", _S), ("value", _S), ("earliest", _D), ("latest", _D), ("mod", _S),
    ),
    "places": _schema(
        ("doc_key", _S), ("entity_id", _S), ("name", _S), ("lat", _F), ("lon", _F),
        ("country", _S), ("admin1", _S), ("geonames_id", LongType()), ("kind", _S),
        ("resolved", BooleanType()), ("confidence", _F),
    ),
    "events": _schema(
        ("doc_key", _S), ("event_id", _S), ("type", _S), ("mode", _S), ("trigger_text", _S),
        ("trigger_start", _I), ("trigger_end", _I), ("actors", _LIST), ("targets", _LIST),
        ("place", _S), ("time", _S), ("factuality", _S), ("source", _S), ("context", _LIST),
        ("earliest", _D), ("latest", _D), ("sentence_start", _I), ("sentence_end", _I),
        ("sentence", _S),
    ),
    "quotes": _schema(
        ("doc_key", _S), ("quote_no", _I), ("speaker", _S), ("text", _S), ("start", _I),
        ("end", _I),
    ),
    QUARANTINE: _schema(("source", _S), ("reason", _S), ("quarantined_at", TimestampNTZType())),
}  # fmt: skip


@dataclass(slots=True)
class SparkReport:
    """What a Spark ingest did: documents analysed, duplicates dropped, inputs quarantined."""

    output: str
    master: str
    partitions: int  # Spark partitions the inputs were spread over
    units: int  # input units: files, JSONL line ranges, missing paths
    documents: int = 0  # records written (one per distinct document)
    duplicates: int = 0  # later copies of a document, dropped
    quarantined: int = 0  # quarantine rows (unreadable inputs, refused documents)
    rows: dict[str, int] = field(default_factory=dict)  # rows written per table
    seconds: float = 0.0  # wall time, session start excluded when the session was given

    @property
    def seen(self) -> int:
        return self.documents + self.duplicates + self.quarantined


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of input one task reads: a file, a byte range of whole JSONL lines, or an input
    already known to be an error (a missing path).

    `source` is the path as `read_paths` would name it; `path` is where a task opens it
    (absolute: an executor's working directory is not the driver's).
    """

    number: int
    source: str
    path: str | None = None
    size: int = 0
    start: int = 0
    end: int | None = None  # set for a line range: bytes start..end, first line `first_line`
    first_line: int = 1
    error: str | None = None

    @property
    def weight(self) -> int:
        return max(1, self.end - self.start if self.end is not None else self.size)


def spark_ingest(
    paths: Iterable[str | Path],
    output: str | Path,
    *,
    master: str | None = None,
    partitions: int | None = None,
    options: ReadOptions | None = None,
    settings: Settings | None = None,
    overwrite: bool = False,
    session: SparkSession | None = None,
) -> SparkReport:
    """Analyse every document under `paths` on Spark into Parquet tables under `output`.

    `master` is Spark's (`local[4]`, `spark://host:7077`, `yarn`); None takes the one
    spark-submit set, else `local[*]`. `partitions` defaults to twice the cores Spark offers.
    `output` is any path Spark writes to; a non-empty one is refused unless `overwrite`. A
    running session (`session`, or the active one) is used and left running; otherwise one is
    started and stopped. Inputs must be readable at the same paths on the driver and on every
    executor (a shared file system, or the local machine).
    """
    started = time.perf_counter()
    settings = settings or Settings()
    options = options or ReadOptions()
    with _spark_session(master, session) as spark:
        context = spark.sparkContext
        out = _output_path(context, output)
        _refuse_existing_output(context, out, overwrite)
        wanted = partitions or PARTITIONS_PER_CORE * context.defaultParallelism
        units = list_units(paths, settings, options, pieces=wanted * UNITS_PER_PARTITION)
        groups = group_units(units, wanted)
        report = SparkReport(out, context.master, max(1, len(groups)), len(units))

        read = (
            context.parallelize(groups, report.partitions)
            .flatMap(partial(_read_group, settings, options))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        later = read.flatMap(_key_and_ordinal).groupByKey().flatMap(_later_ordinals).collect()
        duplicates = context.broadcast(frozenset(later))
        analysed = read.mapPartitions(
            partial(_analyse_partition, settings, duplicates), preservesPartitioning=True
        ).persist(StorageLevel.MEMORY_AND_DISK)
        counts = analysed.map(_table_of).countByValue()  # the one pass that analyses
        read.unpersist()

        mode = "overwrite" if overwrite else "errorifexists"
        for table in (*TABLES, QUARANTINE):
            rows = analysed.filter(partial(_in_table, table)).map(_values)
            spark.createDataFrame(rows, SCHEMAS[table]).write.mode(mode).parquet(f"{out}/{table}")
        analysed.unpersist()
        duplicates.destroy()

    report.rows = {table: counts.get(table, 0) for table in (*TABLES, QUARANTINE)}
    report.documents = report.rows["documents"]
    report.quarantined = report.rows[QUARANTINE]
    report.duplicates = len(later)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _spark_session(master: str | None, session: SparkSession | None) -> Iterator[SparkSession]:
    from pyspark.sql import SparkSession

    running = session or SparkSession.getActiveSession()
    if running is not None:
        if master and running.sparkContext.master != master:
            raise DatelineError(
                f"a Spark session with master {running.sparkContext.master} is already running "
                f"in this process; stop it, or leave out the master ({master})"
            )
        yield running
        return
    builder = SparkSession.builder.appName("dateline spark-ingest")
    if master:
        builder = builder.master(master)
    # Local Python workers must run this interpreter (the one with dateline and the models),
    # not whatever `python3` is first on PATH, which is PySpark's default. Under spark-submit,
    # or with a cluster master, PYSPARK_PYTHON is the user's to set (the packed environment).
    local = master.startswith("local") if master else "PYSPARK_GATEWAY_PORT" not in os.environ
    chosen = local and "PYSPARK_PYTHON" not in os.environ
    if chosen:
        os.environ["PYSPARK_PYTHON"] = sys.executable
    try:
        spark = builder.getOrCreate()
    finally:
        if chosen:
            del os.environ["PYSPARK_PYTHON"]  # read once, by the SparkContext just built
    try:
        yield spark
    finally:
        spark.stop()


def _output_path(context: Any, output: str | Path) -> str:
    text = str(output)
    if "://" in text or text.startswith("file:"):
        return text.rstrip("/")
    default = context._jsc.hadoopConfiguration().get("fs.defaultFS") or "file:///"
    if default.startswith("file:"):
        # The JVM resolves a relative path against its own working directory, which is where
        # this process started, not where it is now.
        return str(Path(text).absolute())
    return text.rstrip("/")  # relative to the cluster file system's home directory


def _refuse_existing_output(context: Any, out: str, overwrite: bool) -> None:
    """Refuse a non-empty output before hours of analysis, not at the first table write."""
    if overwrite:
        return
    # Through Hadoop's file system, as Spark will write: the output may be HDFS or S3.
    hadoop = context._jvm.org.apache.hadoop.fs
    target = hadoop.Path(out)
    filesystem = target.getFileSystem(context._jsc.hadoopConfiguration())
    if filesystem.exists(target) and (
        not filesystem.getFileStatus(target).isDirectory() or filesystem.listStatus(target)
    ):
        raise DatelineError(
            f"{out}: already exists and is not empty (overwrite it, or pick another)"
        )


# -- the driver: what to read, and how to spread it ----------------------------------------------


def list_units(
    paths: Iterable[str | Path], settings: Settings, options: ReadOptions, pieces: int
) -> list[Unit]:
    """The inputs under `paths` in `read_paths` order, JSONL files cut into about `pieces`-th
    parts of all the input bytes (at line ends), so that one big file still spreads out."""
    found: list[tuple[Path, int] | InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += [(file, _size(file)) for file in walk(path)]
        elif path.exists():
            found.append((path, _size(path)))
        else:
            # read_paths reads nothing for a missing path: it says why it is refused.
            found += list(read_paths([path], settings, options))
    total = sum(entry[1] for entry in found if not isinstance(entry, InputError))
    target = max(1, -(-total // max(1, pieces)))
    units: list[Unit] = []
    for entry in found:
        if isinstance(entry, InputError):
            units.append(Unit(len(units), entry.source, error=entry.reason))
            continue
        file, size = entry
        opened = str(file.absolute())
        ranges = None
        if file.suffix.lower() in JSONL_SUFFIXES and size > target:
            ranges = _line_ranges(file, size, target)
        if not ranges:
            units.append(Unit(len(units), str(file), opened, size))
            continue
        for start, end, first in ranges:
            units.append(Unit(len(units), str(file), opened, end - start, start, end, first))
    return units


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the task that reads it will say why it cannot


def _line_ranges(path: Path, size: int, target: int) -> list[tuple[int, int, int]] | None:
    """(start, end, first line number) of byte ranges of about `target` bytes, each ending at a
    line end; None if the file cannot be read (its task reports the error)."""
    ranges = []
    start, first = 0, 1
    try:
        with path.open("rb") as stream:
            while start < size:
                end = size
                if start + target < size:
                    stream.seek(start + target - 1)
                    end = min(size, start + target - 1 + len(stream.readline()))
                stream.seek(start)
                newlines = 0
                for offset in range(start, end, 1 << 24):
                    newlines += stream.read(min(1 << 24, end - offset)).count(b"\n")
                ranges.append((start, end, first))
                start, first = end, first + newlines
    except OSError:
        return None
    return ranges


def group_units(units: list[Unit], count: int) -> list[list[Unit]]:
    """At most `count` contiguous runs of units, of about equal bytes (one per partition)."""
    count = max(1, min(count, len(units)))
    total = sum(unit.weight for unit in units)
    groups: list[list[Unit]] = []
    current: list[Unit] = []
    done = 0
    for unit in units:
        current.append(unit)
        done += unit.weight
        if len(groups) < count - 1 and done * count >= total * (len(groups) + 1):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


# -- the executors: reading ------------------------------------------------------------------------

Ordinal = tuple[int, int]  # (unit number, position in the unit): input order
Item = tuple[Ordinal, str | None, Document | InputError]


def _read_group(settings: Settings, options: ReadOptions, units: list[Unit]) -> Iterator[Item]:
    for unit in units:
        for position, item in enumerate(_read_unit(unit, settings, options)):
            key = document_key(item) if isinstance(item, Document) else None
            yield (unit.number, position), key, item


def _read_unit(
    unit: Unit, settings: Settings, options: ReadOptions
) -> Iterator[Document | InputError]:
    if unit.error is not None:
        yield InputError(unit.source, unit.error)
    elif unit.end is None:
        for item in read_file(Path(unit.path), settings, options):
            yield _renamed(item, unit.path, unit.source)
    else:
        yield from _read_lines(unit, settings, options)


def _renamed(item: Document | InputError, opened: str, source: str) -> Document | InputError:
    """Name an item as `read_paths` would have: by the path given, not the absolute one."""
    if opened == source or not item.source.startswith(opened):
        return item
    renamed = source + item.source[len(opened) :]  # keeps ":lineno" and "@offset"
    if isinstance(item, InputError):
        return InputError(renamed, item.reason)
    if item.id == item.source:  # a WARC page without a URL is named by its source
        item.id = renamed
    item.source = renamed
    return item


def _read_lines(
    unit: Unit, settings: Settings, options: ReadOptions
) -> Iterator[Document | InputError]:
    """The lines of a JSONL byte range, read and named exactly as `read.py` reads a whole file."""
    stem = Path(unit.source).stem
    try:
        with open(unit.path, "rb") as stream:
            stream.seek(unit.start)
            position, number = unit.start, unit.first_line
            while position < unit.end and (raw := stream.readline()):
                position += len(raw)
                if raw.strip():
                    source = f"{unit.source}:{number}"
                    try:
                        yield jsonl_document(raw, source, f"{stem}-{number}", settings, options)
                    except InputError as error:
                        yield error
                number += 1
    except OSError as error:
        yield InputError(unit.source, f"cannot read file ({error.strerror or error})")


def _key_and_ordinal(item: Item) -> list[tuple[str, Ordinal]]:
    ordinal, key, _ = item
    return [(key, ordinal)] if key is not None else []


def _later_ordinals(group: tuple[str, Iterable[Ordinal]]) -> list[Ordinal]:
    """All copies of a document but the first in input order."""
    return sorted(group[1])[1:]


# -- the executors: analysing ----------------------------------------------------------------------

Row = tuple[str, tuple[Any, ...]]  # (table, values in SCHEMAS order)

# One per Python worker process, built there; Spark reuses workers across tasks, so the models
# are loaded once per worker, not once per partition.
_WORKER_PIPELINES: dict[Settings, Pipeline] = {}


def _worker_pipeline(settings: Settings) -> Pipeline:
    pipeline = _WORKER_PIPELINES.get(settings)
    if pipeline is None:
        from dateline.pipeline import Pipeline  # here: the driver never loads the models

        _WORKER_PIPELINES.clear()
        pipeline = _WORKER_PIPELINES[settings] = Pipeline(settings)
    return pipeline


def _analyse_partition(
    settings: Settings, duplicates: Broadcast, items: Iterator[Item]
) -> Iterator[Row]:
    later = duplicates.value
    batch: list[tuple[str, Document]] = []
    for ordinal, key, item in items:
        if isinstance(item, InputError):
            yield _quarantine_row(item)
        elif ordinal not in later:
            batch.append((key, item))
            if len(batch) == settings.batch_size:
                yield from _analyse_batch(settings, batch)
                batch = []
    if batch:
        yield from _analyse_batch(settings, batch)


def _analyse_batch(settings: Settings, batch: list[tuple[str, Document]]) -> Iterator[Row]:
    pipeline = _worker_pipeline(settings)
    rows = RecordRows()
    results = pipeline.analyse([document for _, document in batch])
    for (key, _), result in zip(batch, results, strict=True):
        if isinstance(result, InputError):
            yield _quarantine_row(result)
        else:
            rows.add(key, result)
    for table, columns in rows.tables().items():
        yield from _table_rows(table, columns)


def _quarantine_row(error: InputError) -> Row:
    return QUARANTINE, (error.source, error.reason, datetime.now(UTC).replace(tzinfo=None))


def _table_rows(table: str, columns: dict[str, list[Any]]) -> Iterator[Row]:
    converters = _CONVERTERS[table]
    if set(columns) != {name for name, _ in converters}:
        # A column added to RecordRows without its Spark type would otherwise vanish silently.
        raise RuntimeError(
            f"RecordRows gives {table} columns {sorted(columns)}; spark.SCHEMAS has "
            f"{sorted(name for name, _ in converters)}"
        )
    values = [[convert(value) for value in columns[name]] for name, convert in converters]
    for row in zip(*values, strict=True):
        yield table, row


def _as_date(value: Any) -> date | None:
    # Records keep days as ISO strings; DuckDB casts them on insert, Spark wants dates.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _as_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _same(value: Any) -> Any:
    return value


def _converter(kind: DataType) -> Callable[[Any], Any]:
    if isinstance(kind, DateType):
        return _as_date
    if isinstance(kind, DoubleType):
        return _as_float
    if isinstance(kind, IntegerType | LongType):
        return _as_int
    return _same


_CONVERTERS = {
    table: [(column.name, _converter(column.dataType)) for column in schema.fields]
    for table, schema in SCHEMAS.items()
}


def _table_of(row: Row) -> str:
    return row[0]


def _in_table(table: str, row: Row) -> bool:
    return row[0] == table


def _values(row: Row) -> tuple[Any, ...]:
    return row[1]


# -- loading into a store --------------------------------------------------------------------------


def load_parquet(
    output: str | Path,
    store: Store,
    *,
    chunk_size: int = LOAD_CHUNK,
    on_progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Load a `spark_ingest` output (a local directory) into `store`, as `dateline ingest`
    would have stored the same inputs.

    Documents already in the store (same doc_key) are skipped. The rest go in input order, in
    transactions of `chunk_size` documents: their rows are copied by SQL from the Parquet
    files, their entities linked to corpus entities and near duplicates marked inside the same
    transaction, so an interrupted load, run again, ends as an uninterrupted one. Quarantine
    rows replace those of the same source; corpus events are rebuilt at the end.
    """
    from dateline.corpus_events import rebuild_corpus_events
    from dateline.dedup import DuplicateLinker
    from dateline.ingest import IngestReport
    from dateline.merge import CorpusLinker

    folder = Path(output)
    for table in (*TABLES, QUARANTINE):
        if not (folder / table / "_SUCCESS").is_file():
            raise DatelineError(
                f"{folder / table}: missing or unfinished (no _SUCCESS file); is {folder} the "
                "output of a spark-ingest that ran to the end?"
            )
    files = {table: _sql_string(f"{folder / table}/*.parquet") for table in (*TABLES, QUARANTINE)}
    report = IngestReport()

    # The last row of a source wins, as in the store's INSERT OR REPLACE row by row.
    report.quarantined = store.execute(
        f"INSERT OR REPLACE INTO quarantine SELECT source, reason, quarantined_at "
        f"FROM read_parquet({files[QUARANTINE]}, filename = true, file_row_number = true) "
        "QUALIFY row_number() OVER (PARTITION BY source "
        "ORDER BY filename DESC, file_row_number DESC) = 1"
    ).rows[0][0]

    # Staged once with their input order (part files are named in partition order), so that
    # each transaction selects its chunk by a range instead of rescanning the Parquet files.
    # Temporary tables: gone with the connection, and spilled to disk if they outgrow memory.
    store.execute(
        "CREATE OR REPLACE TEMP TABLE spark_load_documents AS "
        "SELECT row_number() OVER (ORDER BY filename, file_row_number) AS load_n, "
        "* EXCLUDE (filename, file_row_number) "
        f"FROM read_parquet({files['documents']}, filename = true, file_row_number = true) "
        "WHERE doc_key NOT IN (SELECT doc_key FROM documents) ORDER BY load_n"
    )
    for table in TABLES[1:]:
        store.execute(
            f"CREATE OR REPLACE TEMP TABLE spark_load_{table} AS "
            "SELECT d.load_n, row_number() OVER (ORDER BY t.filename, t.file_row_number) AS row_n, "
            "t.* EXCLUDE (filename, file_row_number) "
            f"FROM read_parquet({files[table]}, filename = true, file_row_number = true) t "
            "JOIN spark_load_documents d ON t.doc_key = d.doc_key ORDER BY d.load_n, row_n"
        )
    total = store.execute(f"SELECT count(*) FROM read_parquet({files['documents']})").rows[0][0]
    new = store.count("spark_load_documents")
    report.skipped = total - new

    entity_linker, duplicate_linker = CorpusLinker(), DuplicateLinker()
    try:
        for first in range(1, new + 1, chunk_size):
            last = first + chunk_size - 1
            chunk = [
                (key, Record.from_dict(json.loads(record)))
                for key, record in store.execute(
                    "SELECT doc_key, record FROM spark_load_documents "
                    "WHERE load_n BETWEEN ? AND ? ORDER BY load_n",
                    [first, last],
                ).rows
            ]

            # The rows come by SQL from the staged Parquet rather than from Record objects;
            # the transaction also flushes the corpus entities linked in it.
            with store.transaction():
                for table in TABLES:
                    columns = ", ".join(f'"{name}"' for name in SCHEMAS[table].fieldNames())
                    order = "load_n" if table == "documents" else "row_n"
                    store.execute(
                        f"INSERT INTO {table} ({columns}) SELECT {columns} "
                        f"FROM spark_load_{table} WHERE load_n BETWEEN ? AND ? ORDER BY {order}",
                        [first, last],
                    )
                store.execute(
                    "DELETE FROM quarantine WHERE source IN (SELECT source "
                    "FROM spark_load_documents WHERE load_n BETWEEN ? AND ?)",
                    [first, last],
                )
                for key, record in chunk:
                    entity_linker.link(store, key, record)
                duplicate_linker.link_batch(store, chunk)
            report.stored += len(chunk)
            if on_progress:
                on_progress(report)
    finally:
        for table in TABLES:
            store.execute(f"DROP TABLE IF EXISTS spark_load_{table}")
    report.near_duplicates = store.near_duplicate_count()
    report.corpus_events = rebuild_corpus_events(store)
    return report


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
