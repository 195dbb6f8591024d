"""Entities: corrections as data, canonical names, and a floor on the French NER set."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest

from dateline.entities import NameKeys
from dateline.evaluation.entities import evaluate_entities
from dateline.resources import load_language

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(scope="module")
def french_keys():
    return NameKeys(load_language("fr"))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Choïgou", "Shoigu"),
        ("Choïgu", "Shoigu"),
        ("Kozhemyako", "Kozhemiako"),
        ("Sergueï", "Serguei"),
        ("Khodorkovski", "Hodorkovsky"),
    ],
)
def test_transliteration_variants_share_a_key(french_keys, one, other):
    assert french_keys.words(one) == french_keys.words(other)


def test_different_names_keep_different_keys(french_keys):
    assert french_keys.words("Kim Jong Un") != french_keys.words("Kim Tong-hyung")


@pytest.mark.slow
def test_articles_people_are_canonical(pipeline):
    text = (
        "Le président russe Vladimir Poutine a reçu jeudi le chancelier Olaf Scholz. "
        "Poutine a promis des livraisons de gaz, selon Scholz. Le ministre de la Défense "
        "Sergueï Choïgou assistait à la rencontre. Shoigu a ensuite quitté Moscou."
    )
    record = pipeline.extract(text, published="2024-05-16")
    people = {e.name: {m.text for m in e.mentions} for e in record.entities if e.type == "PERSON"}
    assert people["Vladimir Poutine"] == {"Le président russe", "Vladimir Poutine", "Poutine"}
    assert people["Olaf Scholz"] == {"le chancelier", "Olaf Scholz", "Scholz"}
    assert people["Sergueï Choïgou"] >= {"Sergueï Choïgou", "Shoigu"}


@pytest.mark.slow
def test_equipment_from_data(pipeline):
    record = pipeline.extract(
        "L'armée a déployé des chasseurs MiG-29 et des missiles Iskander près de la frontière.",
        published="2024-05-16",
    )
    equipment = {e.name for e in record.entities if e.type == "EQUIPMENT"}
    assert {"MiG-29", "Iskander"} <= equipment


@pytest.mark.slow
def test_french_ner_floor_on_hipe(pipeline):
    gold = DATA / "hipe2022_fr" / "docs.jsonl"
    if not gold.exists():
        pytest.skip(f"{gold} is not beside the checkout")
    report = evaluate_entities(gold, pipeline, "fr")
    assert report.strict["all"].f1 >= 0.49
    assert report.partial["all"].f1 >= 0.67


@pytest.mark.slow
def test_english_place_mentions_floor_on_the_first_150_geoparsing_articles(pipeline, tmp_path):
    gold = DATA / "geoparsing_en" / "docs.jsonl"
    if not gold.exists():
        pytest.skip(f"{gold} is not beside the checkout")
    sample = tmp_path / "sample.jsonl"
    with gold.open(encoding="utf-8") as lines:
        sample.write_text("".join(islice(lines, 150)), encoding="utf-8")
    report = evaluate_entities(sample, pipeline, "en")
    assert report.strict["loc"].f1 >= 0.58
    assert report.partial["loc"].f1 >= 0.65


@pytest.mark.slow
def test_within_document_clusters_on_ten_annotated_articles(pipeline):
    from dateline.evaluation.coreference import evaluate_coreference

    folder = Path(__file__).resolve().parent / "fixtures" / "coreference"
    report = evaluate_coreference(folder, pipeline)
    assert report.documents == 10
    assert report.precision >= 0.95
    assert report.f1 >= 0.93


def test_b_cubed_on_a_hand_computed_example():
    from dateline.evaluation.coreference import CoreferenceReport, score_document

    # Gold: {a, b, c} one cluster, {d} another; the system splits c off and merges d with a, b.
    gold = {(0, 1): 0, (2, 3): 0, (4, 5): 0, (6, 7): 1}
    system = {(0, 1): "e1", (2, 3): "e1", (6, 7): "e1", (4, 5): "e2"}
    report = CoreferenceReport()
    score_document(gold, system, report)
    # Precision: a, b: 2/3 each; c: 1/1; d: 1/3. Recall: a, b: 2/3; c: 1/3; d: 1/1.
    assert report.precision == pytest.approx((2 / 3 + 2 / 3 + 1 + 1 / 3) / 4)
    assert report.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)


@pytest.mark.slow
def test_english_people_organisations_and_places_on_twelve_annotated_paragraphs(pipeline):
    gold = Path(__file__).resolve().parent / "fixtures" / "entities_en" / "docs.jsonl"
    report = evaluate_entities(gold, pipeline, "en")
    assert report.strict["all"].f1 >= 0.85
    assert report.strict["pers"].f1 >= 0.8
    assert report.strict["org"].f1 >= 0.78
