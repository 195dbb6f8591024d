"""The DuckDB store: idempotent ingest, quarantine, queries (real DuckDB file)."""

from __future__ import annotations

import pytest

from dateline.ingest import ingest
from dateline.store import Store

pytestmark = pytest.mark.slow

ARTICLE = (
    "date 2024-03\nLa Commission européenne a infligé mardi une amende de 1,8 milliard d'euros "
    "à Apple pour abus de position dominante sur le marché de la musique en ligne, a annoncé "
    "Margrethe Vestager à Bruxelles."
)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "apple.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.txt").write_text("date 2023-13 Un texte.", encoding="utf-8")
    return folder


def test_ingest_stores_documents_and_their_parts(tmp_path, corpus, pipeline):
    with Store(tmp_path / "c.duckdb") as store:
        report = ingest([corpus], store, pipeline)
        assert (report.stored, report.quarantined) == (1, 2)
        row = store.query("SELECT id, language, published, published_earliest FROM documents").rows
        assert row == [("apple", "fr", "2024-03", __import__("datetime").date(2024, 3, 1))]
        people = store.query("SELECT name FROM entities WHERE type = 'PERSON'").rows
        assert ("Margrethe Vestager",) in people
        offsets = store.query(
            "SELECT count(*) FROM mentions m JOIN documents d USING (doc_key) "
            'WHERE substr(d.text, m.start + 1, m."end" - m.start) <> m.text'
        ).rows
        assert offsets == [(0,)]


def test_quarantine_names_each_bad_input_and_its_reason(tmp_path, corpus, pipeline):
    with Store(tmp_path / "c.duckdb") as store:
        ingest([corpus], store, pipeline)
        rows = store.query("SELECT source, reason FROM quarantine ORDER BY source").rows
    assert [(source.rsplit("/", 1)[1], reason) for source, reason in rows] == [
        ("broken.txt", "broken date header 'date 2023-13': '2023-13': month 13 is not 1-12"),
        ("empty.txt", "empty file"),
    ]


def test_ingesting_twice_changes_nothing(tmp_path, corpus, pipeline):
    path = tmp_path / "c.duckdb"
    tables = ["documents", "entities", "mentions", "quarantine"]
    with Store(path) as store:
        ingest([corpus], store, pipeline)
        before = {table: store.count(table) for table in tables}
    with Store(path) as store:
        report = ingest([corpus], store, pipeline)
        after = {table: store.count(table) for table in tables}
    assert (report.stored, report.skipped) == (0, 1)
    assert after == before


def test_the_same_text_in_two_files_is_stored_once(tmp_path, pipeline):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    with Store(tmp_path / "c.duckdb") as store:
        report = ingest([tmp_path / "a.txt", tmp_path / "b.txt"], store, pipeline)
        assert (report.stored, report.skipped) == (1, 1)
        assert store.count("documents") == 1


def test_a_fixed_file_leaves_quarantine(tmp_path, corpus, pipeline):
    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        ingest([corpus], store, pipeline)
    (corpus / "broken.txt").write_text("date 2023-12 Le conseil municipal de Nantes a voté.")
    with Store(path) as store:
        ingest([corpus], store, pipeline)
        sources = [
            row[0].rsplit("/", 1)[1] for row in store.query("SELECT source FROM quarantine").rows
        ]
    assert sources == ["empty.txt"]


def test_a_failed_batch_leaves_nothing_half_written(tmp_path, pipeline):
    from dateline.errors import InputError

    record = pipeline.extract(ARTICLE)
    with Store(tmp_path / "c.duckdb") as store:
        record.entities[0].mentions[0].start = "not a number"  # breaks the mentions insert
        with pytest.raises(Exception):  # noqa: B017 - any database error will do
            store.write_batch([("k1", record)], [InputError("x.txt", "empty file")])
        assert store.count("documents") == 0
        assert store.count("quarantine") == 0


def test_a_bad_query_is_one_line(tmp_path):
    from dateline.errors import DatelineError

    with Store(tmp_path / "c.duckdb") as store, pytest.raises(DatelineError) as caught:
        store.query("SELECT nope FROM documents")
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("query failed: Binder Error")
