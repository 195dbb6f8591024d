"""The French pipeline end to end on real sentences (loads fr_core_news_md)."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from dateline.errors import InputError
from dateline.pipeline import Analysis, Pipeline, check_contracts
from dateline.read import ReadOptions, read_paths

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def schema():
    return json.loads(resources.files("dateline").joinpath("schema/record.schema.json").read_text())


@pytest.fixture(scope="module")
def seed_record(pipeline, seed_path):
    (document,) = read_paths([seed_path], pipeline.settings, ReadOptions())
    (record,) = pipeline.analyse([document])
    return record


def names(record, entity_type):
    return {entity.name for entity in record.entities if entity.type == entity_type}


def test_seed_is_french_with_its_month(seed_record):
    assert seed_record.language == "fr"
    assert seed_record.published.to_dict() == {
        "value": "2023-09",
        "earliest": "2023-09-01",
        "latest": "2023-09-30",
    }


def test_seed_people_places_and_organisations(seed_record):
    assert {"Vladimir Poutine", "Oleg Kozhemyako", "Alexander Kozlov", "Yoon Suk Yeol"} <= names(
        seed_record, "PERSON"
    )
    assert {"Pyongyang", "Vladivostok", "Artyom", "Moscou", "Londres"} <= names(seed_record, "LOC")
    assert {"RIA", "Associated Press"} <= names(seed_record, "ORG")


def test_seed_offsets_are_exact(seed_record):
    assert seed_record.offset_errors() == []
    assert sum(len(entity.mentions) for entity in seed_record.entities) > 90


def test_leading_preposition_is_not_part_of_the_name(seed_record):
    # The model tags "de Russie"; the record says "Russie".
    assert "Russie" in names(seed_record, "LOC")
    assert not any(
        name.startswith("de ") for entity in seed_record.entities for name in [entity.name]
    )


def test_names_do_not_run_across_paragraphs(seed_record):
    assert all("\n" not in mention.text for e in seed_record.entities for mention in e.mentions)


def test_short_form_joins_the_full_name(seed_record):
    (poutine,) = [e for e in seed_record.entities if "Poutine" in e.name]
    assert (poutine.name, poutine.type, poutine.aliases) == (
        "Vladimir Poutine",
        "PERSON",
        ["Poutine"],
    )
    assert [m.text for m in poutine.mentions] == ["le président", "Vladimir Poutine"] + [
        "Poutine"
    ] * 5
    assert all(seed_record.text[m.start : m.end] == m.text for m in poutine.mentions)


def test_spelling_and_transliteration_variants_are_one_person(seed_record):
    (shoigu,) = [e for e in seed_record.entities if e.name == "Sergueï Choïgou"]
    assert shoigu.type == "PERSON"
    names = {"Sergueï Choïgou", "Shoigu", "Choïgou", "Choïgu"}
    assert {m.text for m in shoigu.mentions} == names | {"le ministre de la Défense"}
    assert set(shoigu.aliases) == names - {shoigu.name}


def test_kim_jong_un_is_whole_and_keeps_only_his_kims(seed_record):
    (kim,) = [e for e in seed_record.entities if e.name == "Kim Jong Un"]
    byline = seed_record.structure.byline.spans[0]
    assert kim.type == "PERSON"
    assert {m.text for m in kim.mentions} == {"Kim Jong Un", "Kim", "Le dirigeant nord-coréen"}
    assert all(m.end <= byline.start for m in kim.mentions)


def test_equipment_and_no_weekday_entities(seed_record):
    equipment = {e.name for e in seed_record.entities if e.type == "EQUIPMENT"}
    assert {"Tu-160", "Tu-95", "Tu-22", "Kinzhal", "MiG-31", "Amiral Shaposhnikov"} <= equipment
    weekdays = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
    for entity in seed_record.entities:
        assert not any(m.text.casefold() in weekdays for m in entity.mentions), entity


def test_role_descriptions_are_mentions_of_their_person(seed_record):
    people = {e.name: {m.text for m in e.mentions} for e in seed_record.entities}
    assert "le gouverneur de Primorye" in people["Oleg Kozhemyako"]
    assert "le ministre russe des Ressources naturelles" in people["Alexander Kozlov"]
    # The model's fragment of the title is no organisation of its own.
    assert "Ressources naturelles" not in people and "ministre de la Défense" not in people


def test_a_title_makes_a_person(seed_record):
    assert ("Sergueï Kobylash", "PERSON") in {(e.name, e.type) for e in seed_record.entities}


def test_real_output_validates_against_the_schema(seed_record, schema):
    jsonschema.validate(seed_record.to_dict(), schema)


def test_extract_one_text(pipeline):
    record = pipeline.extract(
        "Emmanuel Macron a reçu jeudi à l'Élysée le chancelier allemand Olaf Scholz.",
        published="2024-05-16",
    )
    assert record.language == "fr"
    assert record.published.value == "2024-05-16"
    persons = {e.name for e in record.entities if e.type == "PERSON"}
    assert {"Emmanuel Macron", "Olaf Scholz"} <= persons


def test_english_text_gets_entities_and_times(pipeline):
    record = pipeline.extract(
        "Prime Minister Keir Starmer flew to Washington on Monday for talks.",
        published="2025-02-26",
    )
    assert record.language == "en"
    assert {(e.name, e.type) for e in record.entities} >= {
        ("Keir Starmer", "PERSON"),
        ("Washington", "GPE"),
    }
    assert [(t.text, t.value) for t in record.times] == [("Monday", "2025-02-24")]


def test_unsupported_language_is_an_input_error(pipeline):
    with pytest.raises(InputError, match="unsupported language: Spanish"):
        pipeline.extract("El Gobierno aprobó el martes los presupuestos generales del Estado.")


def test_a_stage_that_breaks_on_one_document_costs_only_that_document(pipeline, settings):
    class Fragile:
        name = "fragile"
        requires = ("record",)
        provides = ()

        def __call__(self, batch: list[Analysis]) -> None:
            for analysis in batch:
                if "piège" in analysis.document.text:
                    raise RuntimeError("boom")

    stages = [*pipeline.stages, Fragile()]
    fragile = Pipeline(settings, stages=stages)
    texts = ["Le maire de Lille a parlé.", "Un piège dans ce texte.", "La ministre est à Rouen."]
    documents = [fragile_document(text, n) for n, text in enumerate(texts)]
    results = list(fragile.analyse(documents))
    assert [type(result).__name__ for result in results] == ["Record", "InputError", "Record"]
    assert results[1].reason == "stage 'fragile' failed: RuntimeError('boom')"


def fragile_document(text, number):
    from dateline.record import Document

    return Document(id=f"d{number}", text=text, source=f"d{number}", language="fr")


def test_a_stage_whose_needs_no_earlier_stage_provides_is_refused(pipeline):
    class NeedsTimeline:
        name = "needs-timeline"
        requires = ("corpus.timeline",)
        provides = ()

        def __call__(self, batch):
            pass

    with pytest.raises(ValueError, match=r"requires \[.corpus.timeline.\]"):
        check_contracts([*pipeline.stages, NeedsTimeline()])


def test_no_entity_comes_from_debris_or_the_byline(seed_record):
    structure = seed_record.structure
    masked = [(d.start, d.end) for d in structure.debris]
    masked += [(span.start, span.end) for span in structure.byline.spans]
    masked += [(note.start, note.end) for note in structure.contributors]
    linked = {span.entity for span in [*structure.byline.authors, *structure.byline.agencies]}
    linked |= {p.entity for note in structure.contributors for p in note.people}
    linked |= {note.place.entity for note in structure.contributors if note.place}
    for entity in seed_record.entities:
        for mention in entity.mentions:
            inside = any(start <= mention.start < end for start, end in masked)
            assert not inside or entity.id in linked, (entity.name, mention)
    assert not any("NordRussie" in e.name or "\n" in e.name for e in seed_record.entities)


def test_byline_authors_are_their_own_people(seed_record):
    authors = seed_record.structure.byline.authors
    ids = {author.entity for author in authors}
    by_id = {entity.id: entity for entity in seed_record.entities}
    assert [by_id[i].name for i in sorted(ids, key=lambda i: int(i[1:]))] == [
        "Kim Tong-hyung",
        "Hyung-jin Kim",
        "Elise Morton",
    ]
    assert all(by_id[i].type == "PERSON" for i in ids)
    # The story's Kim keeps only the story's mentions.
    byline_start = seed_record.structure.byline.spans[0].start
    for entity in seed_record.entities:
        if entity.name == "Kim":
            assert all(m.start < byline_start for m in entity.mentions)
    # The contributor note's "Morton" is the author Elise Morton.
    (note,) = seed_record.structure.contributors
    assert note.people[0].entity == by_id[authors[2].entity].id
    assert note.place.text == "Londres"
    assert by_id[note.place.entity].type == "LOC"
