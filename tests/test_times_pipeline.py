"""Times through the whole pipeline: the seed article, and accuracy floors on the dev sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.evaluation.run_times import evaluate_times
from dateline.published import parse_published
from dateline.read import ReadOptions, read_paths

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

# The seed's expressions and the day (or period) each one really denotes: the article was
# published on Sunday 17 September 2023.
SEED_TRUTH = [
    ("dimanche", "2023-09-17"),
    ("six jours", None),
    ("fin 2011", "2011-12-31"),
    ("lundi après-midi", "2023-09-18"),
    ("mardi dernier", "2023-09-12"),
    ("plus de quatre ans", None),
    ("chaque jour", None),
    ("dimanche", "2023-09-17"),
    ("Plus tôt dimanche", "2023-09-17"),
    ("Samedi", "2023-09-16"),
    ("plus tard dans la journée", "2023-09-16"),
    ("Vendredi", "2023-09-15"),
    ("samedi", "2023-09-16"),
    ("récemment", None),
    ("juillet", "2023-07-15"),
    ("Ces derniers mois", None),
    ("octobre", "2023-10-15"),
    ("avril 2019", "2019-04-15"),
    ("deux mois", None),
]


def seed_times(pipeline, seed_path, published=None):
    options = ReadOptions(published=parse_published(published) if published else None)
    (document,) = read_paths([seed_path], pipeline.settings, options)
    (record,) = pipeline.analyse([document])
    return record.times


def test_every_seed_expression_is_found(pipeline, seed_path):
    assert [t.text for t in seed_times(pipeline, seed_path)] == [text for text, _ in SEED_TRUTH]


def test_with_the_month_date_no_interval_excludes_the_true_day(pipeline, seed_path):
    for time, (_, truth) in zip(seed_times(pipeline, seed_path), SEED_TRUTH, strict=True):
        if truth and time.type in ("DATE", "TIME") and not time.value.endswith("_REF"):
            assert time.earliest <= truth <= time.latest, (time.text, time.earliest, time.latest)


def test_with_the_month_date_weekday_intervals_are_at_most_five_weeks(pipeline, seed_path):
    for time in seed_times(pipeline, seed_path):
        if time.value.startswith("XXXX"):
            days = parse_published(time.latest).earliest - parse_published(time.earliest).earliest
            assert days.days <= 35, time


def test_with_the_day_date_every_day_is_exact(pipeline, seed_path):
    times = seed_times(pipeline, seed_path, published="2023-09-17")
    days = {t.text: t.value for t in times if t.type in ("DATE", "TIME")}
    assert days["mardi dernier"] == "2023-09-12"
    assert days["lundi après-midi"] == "2023-09-18TAF"
    assert days["Vendredi"] == "2023-09-15"
    assert days["plus tard dans la journée"] == "2023-09-16"
    assert days["octobre"] == "2023-10"
    assert [t.value for t in times if t.text == "dimanche"] == ["2023-09-17", "2023-09-17"]
    values = {t.text: (t.type, t.value, t.mod) for t in times}
    assert values["plus de quatre ans"] == ("DURATION", "P4Y", "MORE_THAN")
    assert values["chaque jour"] == ("SET", "P1D", None)
    assert values["fin 2011"] == ("DATE", "2011", "END")


@pytest.mark.parametrize(
    ("corpus", "language", "relaxed_f1", "value_f1"),
    [("fr_timebank_dev", "fr", 0.88, 0.75), ("te3_tbaq_dev", "en", 0.92, 0.775)],
)
def test_accuracy_floors(pipeline, corpus, language, relaxed_f1, value_f1):
    gold = DATA / corpus / "docs.jsonl"
    if not gold.exists():
        pytest.skip(f"{gold} is not beside the checkout")
    scores = evaluate_times(gold, pipeline, language)
    assert scores.relaxed_f1 >= relaxed_f1
    assert scores.value_f1 >= value_f1
