"""The offline knowledge base: import from a Wikidata-format slice, and linking in context."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.entities import NameKeys
from dateline.errors import DatelineError
from dateline.knowledge import KnowledgeBase, import_dump
from dateline.pipeline import Pipeline
from dateline.resources import load_language
from dateline.settings import Settings

SLICE = Path(__file__).resolve().parent / "fixtures" / "kb" / "wikidata-slice.json"


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("kb") / "kb.duckdb"
    report = import_dump(SLICE, path)
    assert (report.read, report.kept) == (6, 6)
    return path


def test_import_keeps_names_in_both_languages(kb_path):
    french, english = NameKeys(load_language("fr")), NameKeys(load_language("en"))

    def key(keys, name):
        return " ".join(keys.words(name))

    kb = KnowledgeBase(kb_path)
    try:
        assert [c[0] for c in kb.candidates(key(french, "Sergueï Choïgou"))] == ["Q900002"]
        assert [c[0] for c in kb.candidates(key(english, "Sergei Shoigu"))] == ["Q900002"]
        assert [c[0] for c in kb.candidates(key(english, "Moscow"))] == ["Q900003", "Q900004"]
    finally:
        kb.close()


def test_a_broken_dump_line_is_one_error_naming_the_line(tmp_path):
    dump = tmp_path / "broken.json"
    dump.write_text('[\n{"type": "item", "id": "Q1", "labels": {}},\n{not json\n]\n')
    with pytest.raises(DatelineError, match=r"broken.json:3: not a JSON entity"):
        import_dump(dump, tmp_path / "kb.duckdb")


@pytest.fixture(scope="module")
def linking_pipeline(kb_path):
    return Pipeline(Settings(kb_path=kb_path))


@pytest.mark.slow
def test_unambiguous_names_are_linked(linking_pipeline):
    record = linking_pipeline.extract(
        "Le ministre de la Défense Sergueï Choïgou a reçu mardi à Moscou une délégation.",
        published="2023-09-13",
    )
    links = {e.name: e.kb.get("wikidata") for e in record.entities}
    assert links["Sergueï Choïgou"] == "Q900002"
    assert links["Moscou"] == "Q900003"


@pytest.mark.slow
def test_the_country_in_the_text_chooses_among_namesakes(linking_pipeline):
    record = linking_pipeline.extract(
        "Officials in Moscow said Russia would send more troops.", published="2023-09-13"
    )
    links = {e.name: e.kb.get("wikidata") for e in record.entities}
    assert links["Moscow"] == "Q900003"


@pytest.mark.slow
def test_an_ambiguous_name_alone_stays_unlinked(linking_pipeline):
    record = linking_pipeline.extract(
        "The mayor of Moscow opened a new bridge.", published="2023-09-13"
    )
    assert all("wikidata" not in e.kb for e in record.entities if e.name == "Moscow")


@pytest.mark.slow
def test_linked_people_merge_across_languages_in_the_corpus(linking_pipeline, tmp_path):
    from dateline.ingest import ingest
    from dateline.store import Store

    (tmp_path / "fr.txt").write_text(
        "date 2023-09-13\nLe président Vladimir Poutine a reçu mardi à Moscou une délégation.",
        encoding="utf-8",
    )
    (tmp_path / "en.txt").write_text(
        "date 2023-09-13\nPresident Vladimir Putin met a delegation in Moscow on Tuesday.",
        encoding="utf-8",
    )
    with Store(tmp_path / "corpus.duckdb") as store:
        ingest([tmp_path], store, linking_pipeline)
        rows = store.query(
            "SELECT DISTINCT corpus_id FROM entities "
            "WHERE name IN ('Vladimir Poutine', 'Vladimir Putin')"
        ).rows
    assert len(rows) == 1
