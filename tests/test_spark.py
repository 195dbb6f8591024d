"""The Spark path against the single-machine one: a real local Spark session, the real model,
real Parquet and DuckDB files; the records, the rows and the quarantine must be the same."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from dateline.errors import DatelineError, InputError
from dateline.read import ReadOptions, read_paths
from dateline.settings import Settings
from dateline.spark import (
    QUARANTINE,
    SCHEMAS,
    TABLES,
    _read_unit,
    group_units,
    list_units,
)
from dateline.store import SCHEMA

# Columns that differ between two runs by nature (clock) or that only a store computes.
CLOCK_COLUMNS = {"ingested_at", "quarantined_at"}
CORPUS_COLUMNS = {"corpus_id", "corpus_event_id", "duplicate_of", "similarity"}
JSON_COLUMNS = {"record", "structure", "kb"}

# Short news items written for this test. In the JSONL file, line 4 is broken JSON, line 5
# repeats line 1 (same text, same date: the same document), and line 6 is blank: line 7 must
# still be called line 7. Line 8 is line 2 with a sentence added: a near duplicate.
NEWS = [
    {
        "id": "grenoble-bus",
        "published": "2024-04-03",
        "text": "La métropole de Grenoble a annoncé mercredi l'ouverture d'une nouvelle ligne "
        "de bus entre la gare et le campus universitaire. Selon le vice-président chargé des "
        "transports, Marc Dufresne, « cette ligne réduira de moitié le temps de trajet des "
        "étudiants ». Les travaux doivent s'achever en septembre.",
    },
    {
        "id": "wales-wetlands",
        "published": "2024-03-12",
        "text": "Welsh ministers approved on Tuesday a plan to restore three coastal wetlands "
        "near Swansea. The environment secretary, Helen Morgan, said the work would begin in "
        "June and protect hundreds of homes from flooding along the Gower coast.",
    },
    {
        "id": "boulogne-peche",
        "published": "2024-02-08",
        "text": "Les pêcheurs de Boulogne-sur-Mer ont bloqué le port jeudi pour protester contre "
        "la hausse du prix du gazole. Le syndicat des marins a indiqué qu'il rencontrerait le "
        "préfet du Pas-de-Calais la semaine prochaine à Arras.",
    },
]
LAST = {
    "id": "oslo-rates",
    "published": "2024-06-20",
    "text": "Norway's central bank left its main interest rate unchanged on Thursday, citing "
    "slowing inflation. Governor Kari Lunde told reporters in Oslo that a first cut could "
    "come before the end of the year.",
}
PAGE_TEXT = (
    "date 2024-01-15\n\nLe tribunal administratif de Rennes a suspendu lundi l'arrêté du "
    "maire de Vannes interdisant les terrasses après 22 heures, a-t-on appris auprès de "
    "l'association des cafetiers du Morbihan."
)


def write_inputs(folder: Path, examples: Path) -> list[str]:
    """The inputs, as paths relative to `folder` (sources must come out as given)."""
    corpus = folder / "corpus"
    shutil.copytree(examples, corpus)
    # Last in walk order, far from its original: the copy must lose wherever it runs.
    shutil.copy(corpus / "sommet-lisbonne.txt", corpus / "zz-copie-sommet.txt")
    lines = [json.dumps(item, ensure_ascii=False) for item in NEWS]
    lines.insert(3, '{"id": "casse", "text": "Le maire a')
    lines += [json.dumps({**NEWS[0], "id": "grenoble-bus-bis"}, ensure_ascii=False), ""]
    lines.append(json.dumps(LAST, ensure_ascii=False))
    update = {**NEWS[1], "id": "wales-wetlands-update"}
    update["text"] += " A public consultation on the plan will open next month in Swansea."
    lines.append(json.dumps(update, ensure_ascii=False))
    (folder / "nouvelles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_warc(folder / "pages.warc.gz")
    return ["corpus", "nouvelles.jsonl", "pages.warc.gz", "absent.txt"]


def write_warc(path: Path) -> None:
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        record = writer.create_warc_record(
            "", "resource", payload=io.BytesIO(PAGE_TEXT.encode()), warc_content_type="text/plain"
        )
        writer.write_record(record)


def normalise(value):
    if isinstance(value, list | tuple):
        return tuple(normalise(item) for item in value)
    return value


def rows(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> list[tuple]:
    names = ", ".join(f'"{name}"' for name in columns)
    found = []
    for row in con.execute(f"SELECT {names} FROM {relation}").fetchall():
        found.append(
            tuple(
                json.loads(value) if name in JSON_COLUMNS and value is not None else value
                for name, value in zip(columns, row, strict=True)
            )
        )
    return sorted((normalise(row) for row in found), key=repr)


def parquet(output: Path, table: str) -> str:
    return f"read_parquet('{output / table}/*.parquet')"


# -- without Spark: schemas and input units ----------------------------------------------------


def test_spark_schemas_are_the_store_tables():
    con = duckdb.connect()
    con.execute(SCHEMA)
    spark_types = {
        "StringType()": {"VARCHAR", "JSON"},
        "DateType()": {"DATE"},
        "IntegerType()": {"INTEGER"},
        "LongType()": {"BIGINT"},
        "DoubleType()": {"DOUBLE"},
        "BooleanType()": {"BOOLEAN"},
        "TimestampNTZType()": {"TIMESTAMP"},
        "ArrayType(StringType(), True)": {"VARCHAR[]"},
    }
    for table in (*TABLES, QUARANTINE):
        described = con.execute(f"DESCRIBE {table}").fetchall()
        expected = [(name, kind) for name, kind, *_ in described if name not in CORPUS_COLUMNS]
        fields = SCHEMAS[table].fields
        assert [field.name for field in fields] == [name for name, _ in expected], table
        for field, (name, kind) in zip(fields, expected, strict=True):
            assert kind in spark_types[repr(field.dataType)], (table, name, kind)


def test_units_read_as_read_paths_reads(tmp_path, examples_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = write_inputs(tmp_path, examples_dir)
    settings, options = Settings(), ReadOptions()
    # Small pieces: the JSONL file is cut into several line ranges.
    units = list_units(paths, settings, options, pieces=40)
    assert sum(unit.source == "nouvelles.jsonl" for unit in units) > 1
    assert all(unit.path is None or Path(unit.path).is_absolute() for unit in units)
    spread = [item for unit in units for item in _read_unit(unit, settings, options)]
    expected = list(read_paths(paths, settings, options))
    assert [describe(item) for item in spread] == [describe(item) for item in expected]
    groups = group_units(units, 3)
    assert len(groups) == 3
    assert [unit for group in groups for unit in group] == units


def describe(item):
    if isinstance(item, InputError):
        return ("error", item.source, item.reason)
    return ("document", item.id, item.source, item.text, item.published, item.title)


# -- with Spark (slow) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java")
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        # Python workers run this interpreter, the one with dateline and the models.
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        session = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def both(spark, pipeline, examples_dir, tmp_path_factory):
    """The same inputs through spark_ingest and through ingest into DuckDB."""
    from dateline.ingest import ingest
    from dateline.spark import spark_ingest
    from dateline.store import Store

    folder = tmp_path_factory.mktemp("spark")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        paths = write_inputs(folder, examples_dir)
        report = spark_ingest(paths, "out", partitions=4)
        with Store(folder / "single.duckdb") as store:
            single = ingest(paths, store, pipeline)
    return folder, report, single


@pytest.mark.slow
def test_spark_records_equal_single_machine(both):
    folder, report, single = both
    output = folder / "out"
    con = duckdb.connect(str(folder / "single.duckdb"), read_only=True)

    stored = dict(con.execute("SELECT doc_key, record FROM documents").fetchall())
    spread = dict(
        duckdb.sql(f"SELECT doc_key, record FROM {parquet(output, 'documents')}").fetchall()
    )
    assert len(spread) == report.documents == single.stored
    assert spread.keys() == stored.keys()
    for key, record in stored.items():
        assert json.loads(spread[key]) == json.loads(record), key

    parquet_con = duckdb.connect()
    for table in TABLES:
        columns = [name for name in SCHEMAS[table].fieldNames() if name not in CLOCK_COLUMNS]
        assert rows(parquet_con, parquet(output, table), columns) == rows(con, table, columns)
        assert report.rows[table] == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    quarantine = parquet_con.execute(
        f"SELECT source, reason FROM {parquet(output, QUARANTINE)}"
    ).fetchall()
    assert sorted(quarantine) == sorted(
        con.execute("SELECT source, reason FROM quarantine").fetchall()
    )
    assert {source for source, _ in quarantine} == {"nouvelles.jsonl:4", "absent.txt"}
    # The two copies (a file, a JSONL line), each dropped in favour of its first occurrence.
    assert report.duplicates == single.skipped == 2
    assert report.quarantined == single.quarantined == 2
    sources = {
        row[0]
        for row in duckdb.sql(f"SELECT source FROM {parquet(output, 'documents')}").fetchall()
    }
    assert {"corpus/sommet-lisbonne.txt", "nouvelles.jsonl:1", "nouvelles.jsonl:7"} <= sources
    assert not {"corpus/zz-copie-sommet.txt", "nouvelles.jsonl:5"} & sources
    # The JSONL file was cut into line ranges: more units than inputs (files and missing path).
    assert report.units > len(list((folder / "corpus").iterdir())) + 3
    assert any(source.startswith("pages.warc.gz@") for source in sources)


@pytest.mark.slow
def test_loaded_store_equals_ingested_store(both, tmp_path):
    from dateline.spark import load_parquet
    from dateline.store import Store

    folder, report, single = both
    with Store(tmp_path / "loaded.duckdb") as store:
        loaded = load_parquet(folder / "out", store, chunk_size=5)
        again = load_parquet(folder / "out", store)
    assert (loaded.stored, loaded.skipped, loaded.quarantined) == (report.documents, 0, 2)
    assert single.near_duplicates == 1
    assert (loaded.near_duplicates, loaded.corpus_events) == (
        single.near_duplicates,
        single.corpus_events,
    )
    assert (again.stored, again.skipped) == (0, report.documents)

    first = duckdb.connect(str(folder / "single.duckdb"), read_only=True)
    second = duckdb.connect(str(tmp_path / "loaded.duckdb"), read_only=True)
    tables = [row[0] for row in first.execute("SHOW TABLES").fetchall()]
    assert tables == [row[0] for row in second.execute("SHOW TABLES").fetchall()]
    for table in tables:
        columns = [
            row[0]
            for row in first.execute(f"DESCRIBE {table}").fetchall()
            if row[0] not in CLOCK_COLUMNS
        ]
        assert rows(second, table, columns) == rows(first, table, columns), table


@pytest.mark.slow
def test_spark_output_is_not_overwritten_unasked(both):
    from dateline.spark import spark_ingest

    folder, _, _ = both
    with pytest.raises(DatelineError, match="not empty"):
        spark_ingest([folder / "nouvelles.jsonl"], folder / "out")
