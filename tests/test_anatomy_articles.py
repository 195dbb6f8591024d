"""The anatomy of twenty hand-annotated articles, through the whole pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.evaluation.anatomy import PARTS, evaluate_anatomy
from dateline.evaluation.articles import annotated_articles

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def report(pipeline):
    return evaluate_anatomy(ARTICLES, pipeline)


def test_there_are_twenty_articles_in_both_languages():
    languages = [gold["language"] for _, gold in annotated_articles(ARTICLES)]
    assert len(languages) >= 20
    assert {"fr", "en"} <= set(languages)


@pytest.mark.parametrize("part", PARTS)
def test_every_part_is_found_exactly(report, part):
    score = report.scores[part]
    assert (score.fp, score.fn) == (0, 0), part


def test_no_byline_tag_or_debris_text_becomes_an_entity(report):
    assert report.leaked_entities == []


def test_the_people_of_the_story_are_still_found(report):
    assert report.people_expected - len(report.missed_people) >= 0.9 * report.people_expected
