"""Corpus entities: the same person across articles is one corpus entity (real DuckDB file)."""

from __future__ import annotations

import pytest

from dateline.ingest import ingest
from dateline.store import Store

pytestmark = pytest.mark.slow

ARTICLES = {
    "a.txt": "date 2023-09-13\nLe ministre de la Défense Sergueï Choïgou a reçu mardi à Moscou "
    "une délégation nord-coréenne. Shoigu a promis une coopération militaire.",
    "b.txt": "date 2023-09-14\nLe président Vladimir Poutine a salué jeudi le travail de Choïgu, "
    "qui a accompagné Kim Jong Un à Vladivostok.",
    "c.txt": "date 2023-09-15\nPoutine a quitté Vladivostok vendredi. Le dirigeant Kim Jong Un "
    "rentrera à Pyongyang en train.",
    "d.txt": "date 2023-09-16\nLe journaliste Hyung-jin Kim a rencontré à Séoul le ministre "
    "Kim Yung-ho, chargé de l'Unification.",
}


@pytest.fixture
def store(tmp_path, pipeline):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Store(tmp_path / "corpus.duckdb") as store:
        ingest([tmp_path], store, pipeline)
        yield store


def corpus_of(store, name):
    rows = store.query(
        "SELECT DISTINCT c.corpus_id, c.name, c.documents FROM entities e "
        f"JOIN corpus_entities c USING (corpus_id) WHERE e.name = '{name}'"
    ).rows
    return rows


def test_spelling_variants_across_articles_are_one_corpus_entity(store):
    (first,) = corpus_of(store, "Sergueï Choïgou")
    (second,) = corpus_of(store, "Choïgu")
    assert first[0] == second[0]
    assert first[1] == "Sergueï Choïgou"


def test_a_short_form_in_another_article_finds_the_full_name(store):
    (full,) = corpus_of(store, "Vladimir Poutine")
    (short,) = corpus_of(store, "Poutine")
    assert full[0] == short[0]


def test_the_same_full_name_in_two_articles(store):
    (row,) = corpus_of(store, "Kim Jong Un")
    assert row[2] == 2  # documents


def test_people_who_share_a_surname_stay_apart(store):
    ids = {
        row[0]
        for name in ("Kim Jong Un", "Kim Yung-ho", "Hyung-jin Kim")
        for row in corpus_of(store, name)
    }
    assert len(ids) == 3


def test_places_merge_across_articles(store):
    (row,) = corpus_of(store, "Vladivostok")
    assert row[2] == 2


def corpus_ids_across_languages(tmp_path, pipeline, french: str, english: str, names):
    """Ingest one French and one English article; the corpus ids of the two names."""
    (tmp_path / "fr.txt").write_text(f"date 2023-09-13\n{french}", encoding="utf-8")
    (tmp_path / "en.txt").write_text(f"date 2023-09-13\n{english}", encoding="utf-8")
    with Store(tmp_path / "corpus.duckdb") as store:
        ingest([tmp_path], store, pipeline)
        return [row[0] for name in names for row in corpus_of(store, name)]


@pytest.mark.parametrize(
    ("french", "english", "names"),
    [
        (  # a country, through CLDR territory names
            "La Corée du Nord a tiré mardi deux missiles balistiques, a annoncé l'armée.",
            "North Korea fired two ballistic missiles on Tuesday, the military said.",
            ("Corée du Nord", "North Korea"),
        ),
        (  # a capital, through GeoNames alternate names
            "Le ministre s'est rendu mardi à Moscou pour des entretiens.",
            "The minister travelled to Moscow on Tuesday for talks.",
            ("Moscou", "Moscow"),
        ),
        (  # a person, by surname key and initial
            "Le ministre de la Défense Sergueï Choïgou a reçu mardi une délégation.",
            "Defense Minister Sergei Shoigu received a delegation on Tuesday.",
            ("Sergueï Choïgou", "Sergei Shoigu"),
        ),
    ],
)
def test_one_corpus_entity_across_languages(tmp_path, pipeline, french, english, names):
    first, second = corpus_ids_across_languages(tmp_path, pipeline, french, english, names)
    assert first == second
