"""One storyline told by eight articles (tests/fixtures/corpus, see EXPECTED.md there):
near duplicates, corpus events and timelines on real sentences, French and English."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dateline.ingest import ingest
from dateline.store import Store
from dateline.timeline import TimelineFilter, event_timeline, topic_timeline

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
TUESDAY = date(2024, 3, 12)


@pytest.fixture(scope="module")
def store(tmp_path_factory, pipeline):
    path = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    with Store(path) as writing:
        report = ingest([CORPUS], writing, pipeline)
    assert (report.stored, report.quarantined, report.near_duplicates) == (8, 0, 1)
    with Store(path, read_only=True) as reading:
        yield reading


def test_the_republished_wire_story_points_at_its_original(store):
    rows = store.execute(
        "SELECT d.id, o.id FROM documents d JOIN documents o ON o.doc_key = d.duplicate_of"
    ).rows
    assert rows == [("07-fr-soudanais-reclament-hcr", "06-fr-refugies-manifestent-hcr")]


def test_the_cairo_meeting_reported_in_three_articles_and_two_languages_is_one_event(store):
    meetings = event_timeline(store, TimelineFilter(type="CONSULT", entity="Shoukry"))
    (meeting,) = [m for m in meetings if (m.earliest, m.latest) == (TUESDAY, TUESDAY)]
    documents = {link.document for link in meeting.reports}
    assert {
        "03-fr-soudan-accuse-emirats-onu",
        "04-en-shoukry-meets-sadiq",
        "05-en-cairo-diplomacy-refugees",
    } <= documents
    assert meeting.sources == len(documents) >= 3
    # The French and English spellings are one person.
    assert "Sameh Choukry" in meeting.who + meeting.whom


def test_the_juba_meeting_four_days_later_stays_apart(store):
    juba = event_timeline(store, TimelineFilter(type="CONSULT", place="Djouba"))
    assert juba and all(entry.earliest == date(2024, 3, 16) for entry in juba)
    assert all(
        {link.document for link in entry.reports} == {"08-fr-agar-kiir-djouba"} for entry in juba
    )


def test_the_protest_told_by_a_story_and_its_copy_is_one_source(store):
    protests = event_timeline(store, TimelineFilter(type="PROTEST", start=date(2024, 3, 13)))
    french = [p for p in protests if any(link.document.startswith("06-") for link in p.reports)]
    (protest,) = french
    assert {link.document for link in protest.reports} >= {
        "06-fr-refugies-manifestent-hcr",
        "07-fr-soudanais-reclament-hcr",
    }
    assert protest.sources == len({link.document for link in protest.reports}) - 1


def test_the_topic_timeline_puts_the_meeting_day_first(store):
    days = topic_timeline(store, 3)
    assert TUESDAY in [entry.earliest for entry in days]
    best = max(days, key=lambda entry: entry.score)
    assert best.earliest in {TUESDAY, date(2024, 3, 13)}
    assert all(entry.what and entry.reports for entry in days)
