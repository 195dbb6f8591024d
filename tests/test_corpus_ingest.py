"""Corpus ingest as a user runs it: WARC archives, worker processes, a kill -9 and a rerun,
timelines and exports (real model, real DuckDB, real subprocesses)."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dateline.read import read_paths
from dateline.record import Document
from dateline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATELINE = Path(sys.executable).with_name("dateline")

PAGE = """<html><head><title>Grève au port</title>
<meta property="article:published_time" content="2024-04-03T08:00:00+02:00"></head>
<body><nav>Accueil | Économie | Social</nav><article><h1>Les dockers de Marseille en grève</h1>
<p>Les dockers du port de Marseille ont cessé le travail mercredi pour protester contre la
réforme des retraites, bloquant une dizaine de navires dans le bassin de la Joliette.</p>
<p>La direction du port a demandé aux syndicats de reprendre les discussions dès jeudi, selon
un communiqué publié dans la matinée.</p></article><footer>Mentions légales</footer></body></html>
"""
GERMAN = (
    "Der Bürgermeister von Hamburg hat am Montag die Vertreter der Hafenarbeiter empfangen, "
    "um über die Streiks der vergangenen Woche zu sprechen."
)
PLAIN = "Le préfet a reçu lundi les représentants des dockers à Marseille pour une médiation."


def write_warc(path: Path) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)

        def response(url: str, status: str, content_type: str, body: bytes) -> None:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)

        writer.write_record(
            writer.create_warc_record(
                "https://example.org/",
                "metadata",
                payload=io.BytesIO(b"crawler: test"),
                warc_content_type="text/plain",
            )
        )
        response("https://example.org/greve", "200 OK", "text/html; charset=utf-8", PAGE.encode())
        response("https://example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n")
        response("https://example.org/gone", "404 Not Found", "text/html", b"<p>introuvable</p>")
        response("https://example.org/note.txt", "200 OK", "text/plain", PLAIN.encode("latin-1"))


def test_a_warc_archive_yields_its_pages_and_skips_the_rest(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive)
    items = list(read_paths([tmp_path], Settings()))
    assert all(isinstance(item, Document) for item in items)
    page, note = items
    assert page.id == "https://example.org/greve"
    assert page.source.startswith(f"{archive}@")
    assert "bassin de la Joliette" in page.text and "Mentions légales" not in page.text
    assert page.published is not None and page.published.value == "2024-04-03"
    assert note.text == PLAIN  # a latin-1 page decoded as such


def test_a_truncated_warc_keeps_what_it_could_read_and_names_the_damage(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive)
    data = gzip.decompress(archive.read_bytes())
    cut = data.index(b"WARC-Target-URI: https://example.org/note.txt")
    (tmp_path / "cut.warc").write_bytes(data[: cut + 200])
    archive.unlink()
    items = list(read_paths([tmp_path / "cut.warc"], Settings()))
    assert isinstance(items[0], Document)
    assert items[-1].source == str(tmp_path / "cut.warc")
    assert "WARC" in items[-1].reason


# -- ingest end to end (slow) -----------------------------------------------------------------


def corpus(folder: Path) -> Path:
    """A small corpus of the project's own texts, one bad file, one republished copy."""
    folder.mkdir()
    for path in sorted((ROOT / "examples").glob("*.txt"))[:6]:
        (folder / path.name).write_bytes(path.read_bytes())
    lines = (ROOT / "tests" / "fixtures" / "events_fr" / "docs.jsonl").read_text("utf-8")
    (folder / "events.jsonl").write_text(lines, encoding="utf-8")
    first = json.loads(lines.splitlines()[0])
    first["id"] = "republished"
    first["text"] = first["text"] + " Cet article a été mis à jour dans la soirée."
    (folder / "republished.jsonl").write_text(json.dumps(first, ensure_ascii=False) + "\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "german.txt").write_text(GERMAN, encoding="utf-8")
    return folder


def run_ingest(folder: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(DATELINE), "ingest", str(folder), "--db", str(db), "--batch-size", "2", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill reaches its workers too
    )


# Every table, without the columns that say when a row was written.
TABLES = {
    "documents": "doc_key", "entities": "doc_key", "mentions": "doc_key", "times": "doc_key",
    "places": "doc_key", "events": "doc_key", "quotes": "doc_key", "quarantine": "source",
    "corpus_entities": "corpus_id", "corpus_entity_keys": "key", "corpus_events": "corpus_event_id",
    "document_bands": "band_key", "document_signatures": "doc_key",
}  # fmt: skip


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {}
        for table in TABLES:
            columns = [
                row[0]
                for row in con.execute(f"DESCRIBE {table}").fetchall()
                if row[0] not in {"ingested_at", "quarantined_at"}
            ]
            names = ", ".join(f'"{column}"' for column in columns)
            tables[table] = con.execute(f"SELECT {names} FROM {table} ORDER BY ALL").fetchall()
        return tables


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The store an uninterrupted, single-process ingest writes."""
    folder = corpus(tmp_path_factory.mktemp("ref") / "in")
    db = folder.parent / "reference.duckdb"
    process = run_ingest(folder, db, "--quiet")
    _, err = process.communicate(timeout=600)
    assert process.returncode == 1, err  # the binary file is quarantined
    return folder, db


@pytest.mark.slow
def test_the_reference_ingest_stores_links_and_quarantines(reference):
    _, db = reference
    with duckdb.connect(str(db), read_only=True) as con:
        documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert documents == 6 + 12 + 1
        reasons = dict(con.execute("SELECT source, reason FROM quarantine").fetchall())
        assert {Path(source).name: reason for source, reason in reasons.items()} == {
            "binary.txt": "binary file, not text",
            "german.txt": "unsupported language: German (de); dateline reads en, fr",
        }
        duplicate = con.execute(
            "SELECT o.id FROM documents d JOIN documents o ON o.doc_key = d.duplicate_of "
            "WHERE d.id = 'republished'"
        ).fetchall()
        assert duplicate == [("evfr-01",)]
        linked = con.execute(
            "SELECT count(*) FROM events WHERE corpus_event_id IS NULL"
        ).fetchone()[0]
        assert linked == 0


@pytest.mark.slow
def test_analysis_in_this_process_stores_what_the_workers_store(reference, pipeline, tmp_path):
    """The Python API's in-process path and the command's worker path (where the reading process
    finds the languages) write the same store, quarantine included."""
    from dateline.ingest import ingest
    from dateline.store import Store

    folder, reference_db = reference
    db = tmp_path / "inline.duckdb"
    with Store(db) as store:
        report = ingest([folder], store, pipeline, settings=Settings(batch_size=2))
    assert (report.stored, report.quarantined) == (19, 2)
    assert snapshot(db) == snapshot(reference_db)


@pytest.mark.slow
def test_a_worker_freezes_its_model_out_of_the_collector_once(pipeline, monkeypatch):
    """After the batch that loaded a model, the model's objects are frozen (no full garbage
    collection walks them again), once per model, and the records are the pipeline's own."""
    import gc

    from dateline import ingest as ingest_module

    documents = [
        Document(id="a", text="Le ministre est arrivé lundi à Lyon.", source="a", language="fr"),
        Document(id="b", text="La grève a commencé mardi à Rennes.", source="b", language="fr"),
    ]
    monkeypatch.setattr(ingest_module, "_worker_pipeline", pipeline)
    monkeypatch.setattr(ingest_module, "_models_frozen", 0)
    gc.unfreeze()
    try:
        first = ingest_module._analyse_in_worker(documents[:1])
        frozen = gc.get_freeze_count()
        assert frozen > 100_000  # the French model's objects, at least
        second = ingest_module._analyse_in_worker(documents[1:])
        assert gc.get_freeze_count() == frozen  # no second freeze for the same model
        assert first + second == list(pipeline.analyse(documents))
    finally:
        gc.unfreeze()


@pytest.mark.slow
def test_a_kill_9_then_a_rerun_leaves_the_store_an_uninterrupted_run_writes(reference, tmp_path):
    folder, reference_db = reference
    db = tmp_path / "killed.duckdb"
    process = run_ingest(folder, db, "--workers", "2")
    committed = 0
    for line in process.stderr:
        if "documents (" in line:
            committed += 1
            if committed == 2:  # two batches are in: kill the ingest and its workers, hard
                os.killpg(process.pid, signal.SIGKILL)
                break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < stored < 19  # interrupted for real, partway

    rerun = run_ingest(folder, db, "--workers", "2")
    _, err = rerun.communicate(timeout=600)
    assert f"{19 - stored} stored, {stored} already in the store" in err
    assert snapshot(db) == snapshot(reference_db)


@pytest.mark.slow
def test_timeline_filters_and_formats(reference):
    _, db = reference

    def timeline(*args: str) -> str:
        done = subprocess.run(
            [str(DATELINE), "timeline", "--db", str(db), *args],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    entries = json.loads(timeline("--format", "json"))
    assert entries and all(entry["reports"] for entry in entries)
    days = [entry["earliest"] for entry in entries if entry["dated"]]
    assert days == sorted(days)
    consults = json.loads(timeline("--type", "consult", "--format", "json"))
    assert consults and {entry["type"].split()[0] for entry in consults} == {"CONSULT"}
    macron = json.loads(timeline("--entity", "macron", "--format", "json"))
    assert macron and all("Emmanuel Macron" in entry["who"] + entry["whom"] for entry in macron)
    berlin = json.loads(timeline("--place", "Berlin", "--format", "json"))
    assert [entry["where"] for entry in berlin] == ["Berlin"]
    # The wire story and its republished copy: one event, two reports, one source.
    (meeting,) = [entry for entry in berlin if entry["type"] == "CONSULT"]
    assert sorted(r["document"] for r in meeting["reports"]) == ["evfr-01", "republished"]
    assert meeting["sources"] == 1
    march = json.loads(timeline("--from", "2024-03", "--to", "2024-03", "--format", "json"))
    assert all(e["latest"] >= "2024-03-01" and e["earliest"] <= "2024-03-31" for e in march)
    csv_text = timeline("--format", "csv")
    assert csv_text.splitlines()[0].startswith("earliest,latest,dated,type,what")
    assert timeline("--format", "md").startswith("### ")
    topic = json.loads(timeline("--days", "3", "--format", "json"))
    assert len(topic) == 3 and all(entry["what"] and entry["reports"] for entry in topic)
    bad = subprocess.run(
        [str(DATELINE), "timeline", "--db", str(db), "--type", "PARTY"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and "unknown PLOVER event type 'PARTY'" in bad.stderr


@pytest.mark.slow
def test_exports(reference, tmp_path):
    _, db = reference

    def export(fmt: str, output: Path) -> None:
        done = subprocess.run(
            [str(DATELINE), "export", "--db", str(db), "--format", fmt, "-o", str(output)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    export("parquet", tmp_path / "pq")
    with duckdb.connect() as con:
        count = con.execute(f"SELECT count(*) FROM '{tmp_path}/pq/documents.parquet'").fetchone()
        assert count == (19,)
    export("csv", tmp_path / "csv")
    assert (tmp_path / "csv" / "corpus_events.csv").read_text().startswith("corpus_event_id,")
    export("jsonl", tmp_path / "records.jsonl")
    records = [json.loads(line) for line in (tmp_path / "records.jsonl").read_text().splitlines()]
    assert len(records) == 19 and all(r["schema_version"] == 1 for r in records)
    export("geojson", tmp_path / "map.geojson")
    features = json.loads((tmp_path / "map.geojson").read_text())["features"]
    kinds = {feature["properties"]["feature"] for feature in features}
    assert kinds == {"place", "event"}
    export("jsonld", tmp_path / "events.jsonld")
    graph = json.loads((tmp_path / "events.jsonld").read_text())
    assert graph["@context"] == "https://schema.org"
    assert all(item["@type"] == "Event" and item["subjectOf"] for item in graph["@graph"])
    assert any("location" in item and "geo" in item["location"] for item in graph["@graph"])
