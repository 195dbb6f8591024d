"""Events: PLOVER coding, factuality, sources and quotes on real sentences (loads the models)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.events.lexicon import PLOVER_TYPES, EventLexicon
from dateline.resources import load_language

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
OWN_SET = Path(__file__).resolve().parent / "fixtures" / "events_fr" / "docs.jsonl"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_event_file_is_a_plover_type_with_known_frames(language):
    lexicon = EventLexicon(load_language(language))
    assert {entry.type for entry in lexicon.triggers.values()} == set(PLOVER_TYPES)
    assert {entry.frame for entry in lexicon.triggers.values()} <= set(lexicon.frames)


def names(record, ids):
    by_id = {entity.id: entity.name for entity in record.entities}
    return {by_id.get(i, i) for i in ids}


def find(record, trigger):
    return [event for event in record.events if event.trigger.text == trigger]


# The seed article.


@pytest.fixture(scope="module")
def seed(pipeline, seed_path):
    from dateline.read import ReadOptions, read_paths

    (document,) = read_paths([seed_path], pipeline.settings, ReadOptions())
    (record,) = pipeline.analyse([document])
    return record


pytestmark = pytest.mark.slow


def test_seed_kim_meets_putin(seed):
    (meeting,) = find(seed, "rencontré")[:1]
    assert meeting.type == "CONSULT" and meeting.factuality == "asserted"
    assert names(seed, meeting.actors) == {"Kim Jong Un"}
    assert names(seed, meeting.targets) == {"Vladimir Poutine"}
    (summit,) = find(seed, "sommet")[:1]
    assert (summit.type, names(seed, summit.targets)) == ("CONSULT", {"Vladimir Poutine"})


def test_seed_munitions_are_a_possible_military_aid_sourced_to_officials(seed):
    (supply,) = find(seed, "fournir")
    assert (supply.type, supply.factuality) == ("AID", "possible")
    assert "military" in supply.context
    assert names(seed, supply.actors) == {"Corée du Nord"}
    assert names(seed, supply.targets) & {"Moscou", "Russie"}
    assert supply.source == "Des responsables et des experts étrangers"


def test_seed_invitation_and_its_acceptance(seed):
    (invitation,) = find(seed, "invité")
    assert invitation.type == "REQUEST" and invitation.mode == "meet"
    assert names(seed, invitation.actors) == {"Kim Jong Un"}
    assert names(seed, invitation.targets) == {"Vladimir Poutine"}
    (accepted,) = find(seed, "accepté")
    assert accepted.type == "AGREE"
    assert names(seed, accepted.actors) == {"Vladimir Poutine"}
    assert names(seed, accepted.targets) == {"Kim Jong Un"}


def test_seed_delegation_visit_is_future_and_sourced_to_kozhemyako(seed):
    (visit,) = find(seed, "rendrait")
    assert (visit.type, visit.mode, visit.factuality) == ("CONSULT", "visit", "future")
    assert names(seed, [visit.source]) == {"Oleg Kozhemyako"}
    assert names(seed, visit.targets) == {"Corée du Nord"}


def test_seed_departure_from_artyom_is_sourced_to_ria(seed):
    (departure,) = find(seed, "parti")
    assert departure.type == "CONSULT" and departure.factuality == "reported"
    assert names(seed, [departure.source]) == {"RIA"}
    assert names(seed, [departure.place]) == {"Artyom"}


def test_seed_quotes_and_their_speakers(seed):
    speakers = {quote.text[:24]: names(seed, [quote.speaker]) for quote in seed.quotes}
    assert speakers["La coopération militaire"] == {"Yoon Suk Yeol"}
    assert speakers["La communauté internatio"] == {"Yoon Suk Yeol"}
    assert speakers["soutien total et incondi"] == {"Kim Jong Un"}
    # A song title and a walrus's name are not quotes.
    assert not any(q.text in ("Adieu à Slavianka", "Misha") for q in seed.quotes)


def test_seed_events_point_back_to_their_words(seed):
    assert seed.events and seed.offset_errors() == []
    for event in seed.events:
        assert event.earliest and event.latest and event.earliest <= event.latest


# Factuality on sentences of our own.


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Le président Macron a rencontré jeudi le chancelier Scholz à Berlin.", "rencontré",
         "asserted"),
        ("Les deux camps auraient tiré des centaines d'obus sur la ville.", "tiré", "reported"),
        ("La Chine pourrait livrer des drones à la Russie.", "livrer", "possible"),
        ("Le ministre se rendra à Kiev la semaine prochaine.", "rendra", "future"),
        ("Le Premier ministre n'a pas rencontré les syndicats.", "rencontré", "negated"),
        ("Selon l'agence Reuters, l'armée a arrêté trois journalistes.", "arrêté", "reported"),
    ],
)  # fmt: skip
def test_french_factuality(pipeline, sentence, trigger, expected):
    record = pipeline.extract(sentence, published="2024-03-12", language="fr")
    (event,) = find(record, trigger)
    assert event.factuality == expected


def test_a_source_named_by_selon(pipeline):
    record = pipeline.extract(
        "Selon l'agence Reuters, la police a arrêté trois journalistes à Minsk.",
        published="2024-03-12",
        language="fr",
    )
    (arrest,) = find(record, "arrêté")
    assert arrest.type == "COERCE" and arrest.mode == "arrest"
    assert names(record, [arrest.source]) & {"Reuters", "agence Reuters"}
    assert names(record, [arrest.place]) == {"Minsk"}


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Russia could provide fighter jets to Iran, officials said.", "provide", "possible"),
        ("The minister will travel to Kyiv next week.", "travel", "future"),
        ("The prime minister did not meet the union leaders.", "meet", "negated"),
    ],
)
def test_english_factuality(pipeline, sentence, trigger, expected):
    record = pipeline.extract(sentence, published="2024-03-12", language="en")
    (event,) = find(record, trigger)
    assert event.factuality == expected


@pytest.mark.parametrize(
    ("language", "sentence", "trigger", "attack"),
    [
        ("fr", "L'armée russe a lancé des missiles et des drones sur Kharkiv.", "lancé", True),
        ("fr", "Des roquettes ont été lancées depuis Gaza vers Ashkelon.", "lancées", True),
        ("fr", "Le gouvernement français a lancé un appel à la retenue.", "lancé", False),
        ("fr", "« Nous ne céderons pas », a lancé Gérald Darmanin aux députés.", "lancé", False),
        ("en", "Ukrainian forces launched drones at the Crimean bridge.", "launched", True),
        ("en", "The Pentagon launched an inquiry into the crash on Monday.", "launched", False),
    ],
)
def test_launching_is_an_attack_only_with_a_weapon_or_an_attack(
    pipeline, language, sentence, trigger, attack
):
    record = pipeline.extract(sentence, published="2024-03-12", language=language)
    assert bool([e for e in find(record, trigger) if e.type == "ASSAULT"]) is attack


def test_a_second_quote_keeps_the_speaker_of_the_first(pipeline):
    text = (
        "« Nous ne céderons rien sur les retraites », a déclaré jeudi la ministre Élisabeth "
        "Borne devant les députés. « Le texte sera voté avant l'été. »"
    )
    record = pipeline.extract(text, published="2024-03-12", language="fr")
    assert [names(record, [q.speaker]) for q in record.quotes] == [{"Élisabeth Borne"}] * 2
    assert all(text[q.start : q.end] == q.text for q in record.quotes)


def test_events_are_stored_and_queryable(tmp_path, examples_dir):
    from typer.testing import CliRunner

    from dateline.cli import app

    db = tmp_path / "events.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(examples_dir), "--db", str(db)]).exit_code == 0
    from dateline.store import Store

    with Store(db, read_only=True) as store:
        result = store.query("SELECT type, count(*) FROM events GROUP BY type")
    counts = dict(result.rows)
    assert sum(counts.values()) >= 5 and set(counts) <= set(PLOVER_TYPES)


# Figures on annotated data, as floors.


def test_plover_gold_records_floor(pipeline):
    gold = SHARED_DATA / "plover" / "docs.jsonl"
    if not gold.exists():
        pytest.skip("../shared/data is not beside the checkout")
    from dateline.evaluation.events import evaluate_events

    report = evaluate_events(gold, pipeline)
    assert report.sentences == 166
    assert report.main_type.rate >= 0.54 and report.macro_f1 >= 0.54
    assert report.actors.rate >= 0.5


def test_own_french_annotated_texts_floor(pipeline):
    from dateline.evaluation.events import evaluate_events

    report = evaluate_events(OWN_SET, pipeline, "fr")
    assert report.documents == 12
    assert report.triggers.f1 >= 0.75
    assert report.type.rate >= 0.85 and report.factuality.rate >= 0.88
    assert report.source.rate >= 0.9
    assert report.quotes.f1 >= 0.85 and report.speaker.rate >= 0.6
