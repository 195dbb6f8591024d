"""Near duplicates and corpus events: the rules, on hand-made reports (no model needed)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from datasketch import MinHash

from dateline.corpus_events import Report, corpus_event_rows, merge_reports
from dateline.dedup import SEED, THRESHOLD, signature, similarity

WIRE = (
    "Le ministre égyptien des Affaires étrangères, Sameh Choukry, a reçu mardi au Caire son "
    "homologue soudanais pour des entretiens consacrés à la guerre au Soudan et au sort des "
    "réfugiés massés à la frontière. Les deux hommes ont appelé à un cessez-le-feu immédiat et "
    "à l'ouverture de couloirs humanitaires, selon un communiqué du ministère. Le Caire accueille "
    "déjà plus de 400 000 Soudanais arrivés depuis le début des combats en avril, d'après les "
    "chiffres des Nations unies, et craint un nouvel afflux si les affrontements gagnent le nord "
    "du pays. La rencontre intervient une semaine après l'échec d'une médiation conduite à "
    "Djeddah par l'Arabie saoudite et les États-Unis."
)
# The same dispatch as republished elsewhere: one sentence reworded, one added at the end.
REPUBLISHED = (
    WIRE.replace("pour des entretiens consacrés à", "pour discuter de")
    + " Aucune date n'a été fixée pour une nouvelle rencontre."
)
OTHER_REPORT = (
    "Sameh Choukry et son homologue soudanais se sont entretenus mardi dans la capitale "
    "égyptienne. Selon la diplomatie égyptienne, l'afflux de réfugiés et la sécurité de la "
    "frontière commune étaient au menu de cette réunion, la troisième depuis le début de l'année."
)


def test_a_republished_wire_story_is_a_near_duplicate():
    assert similarity(signature(WIRE).values, signature(REPUBLISHED).values) >= THRESHOLD


def test_two_articles_on_the_same_event_written_apart_are_not():
    assert similarity(signature(WIRE).values, signature(OTHER_REPORT).values) < 0.3


def test_a_near_duplicate_shares_a_band_unrelated_text_does_not():
    wire, copy, other = signature(WIRE), signature(REPUBLISHED), signature(OTHER_REPORT)
    assert set(wire.bands) & set(copy.bands)
    assert not set(wire.bands) & set(other.bands)


@pytest.mark.parametrize("text", [WIRE, REPUBLISHED, OTHER_REPORT, "Trois mots seulement", ""])
def test_signatures_are_datasketchs_minhash_of_the_shingles(text):
    """The vectorised MinHash gives datasketch's values, so stores written before it still
    find their near duplicates."""
    words = re.findall(r"\w+", text.lower())
    width = 5 if len(words) >= 5 else 1
    shingles = {" ".join(words[i : i + width]) for i in range(len(words) - width + 1)}
    reference = MinHash(num_perm=128, seed=SEED)
    reference.update_batch([shingle.encode() for shingle in shingles])
    assert signature(text).values == reference.hashvalues.astype("<u8").tobytes()


def report(
    doc: str,
    *,
    type: str = "CONSULT",
    factuality: str = "asserted",
    day: tuple[date, date] | None = (date(2024, 3, 12), date(2024, 3, 12)),
    dated: bool = True,
    actors: tuple[int, ...] = (1,),
    targets: tuple[int, ...] = (2,),
    country: str | None = "EG",
    city: int | None = 360630,
    published: date = date(2024, 3, 13),
    origin: str | None = None,
    event: str = "v1",
) -> Report:
    return Report(
        doc_key=doc, event_id=event, type=type, mode=None, factuality=factuality, dated=dated,
        window=day, actors=actors, targets=targets, named=(), place_id=None, country=country,
        city=city, published=published, origin=origin or doc,
    )  # fmt: skip


MARCH = (date(2024, 3, 1), date(2024, 3, 31))
TUESDAY = (date(2024, 3, 12), date(2024, 3, 12))


def test_one_meeting_told_five_ways_is_one_corpus_event():
    reports = [
        report("a"),
        # roles swapped: "B met A"
        report("b", actors=(2,), targets=(1,), published=date(2024, 3, 12)),
        # only one participant named, the month only
        report("c", actors=(1,), targets=(), day=MARCH, published=date(2024, 3, 14)),
        # no time expression: the week before publication
        report("d", dated=False, day=(date(2024, 3, 6), date(2024, 3, 14))),
        # the country, not the city
        report("e", city=None),
    ]
    (event,) = merge_reports(reports)
    assert len(event.reports) == 5
    assert event.best_interval() == TUESDAY


def test_other_people_other_city_other_day_stay_apart():
    reports = [
        report("a"),
        report("b", actors=(3,), targets=(4,)),  # same day and city, other people
        report("c", day=(date(2024, 3, 20), date(2024, 3, 20))),  # same people, another day
        report("d", city=999),  # same people and day, another city
        report("e", country="SD", city=None),  # another country
        report("f", type="ACCUSE"),  # another kind of event
        report("g", factuality="negated"),  # said not to have happened
    ]
    assert len(merge_reports(reports)) == 7


def test_asserted_and_reported_merge_future_does_not():
    events = merge_reports(
        [report("a"), report("b", factuality="reported"), report("c", factuality="future")]
    )
    assert sorted(len(e.reports) for e in events) == [1, 2]


def test_without_participants_the_city_and_day_decide():
    attack = dict(type="ASSAULT", actors=(), targets=())
    events = merge_reports([report("a", **attack), report("b", **attack)])
    assert len(events) == 1


def test_near_duplicates_count_as_one_source_and_first_report_is_the_earliest():
    reports = [
        report("late", published=date(2024, 3, 14)),
        report("early", published=date(2024, 3, 12)),
        report("copy", published=date(2024, 3, 13), origin="early"),
    ]
    table, links = corpus_event_rows(merge_reports(reports))
    assert table["reports"] == [3]
    assert table["sources"] == [2]
    assert table["first_doc_key"] == ["early"]
    assert (table["earliest"], table["latest"]) == ([TUESDAY[0]], [TUESDAY[1]])
    assert sorted(links["doc_key"]) == ["copy", "early", "late"]


def test_the_best_interval_is_the_one_most_reports_contain():
    reports = [
        report("a", day=MARCH),
        report("b", day=(date(2024, 3, 10), date(2024, 3, 16))),  # "la semaine dernière"
        report("c"),
        report("d"),
    ]
    (event,) = merge_reports(reports)
    assert event.best_interval() == TUESDAY


def test_merging_does_not_depend_on_the_order_reports_come_in():
    reports = [report(name, day=day) for name, day in (("a", MARCH), ("b", TUESDAY))]
    reports.append(report("c", actors=(5,), targets=(6,)))
    forward = corpus_event_rows(merge_reports(reports))
    backward = corpus_event_rows(merge_reports(list(reversed(reports))))
    assert forward == backward
