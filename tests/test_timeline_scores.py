"""Timeline scores (date F1, ROUGE concat and agreement) on small hand-made timelines, with the
values worked out by hand, and the counts of the real reference timelines when they are present."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from dateline.evaluation.timelines import (
    ReferenceTimeline,
    Scores,
    date_scores,
    normalize_ptb,
    read_reference_timelines,
    rouge_agreement,
    rouge_concat,
    score_against_references,
    score_timeline,
    tokenize,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
JAN = [date(2011, 1, day) for day in range(1, 6)]


def close(scores: Scores, precision: float, recall: float, f1: float) -> bool:
    return (scores.precision, scores.recall, scores.f1) == pytest.approx((precision, recall, f1))


def test_date_scores_with_partial_overlap():
    predicted = {JAN[0]: ["a"], JAN[1]: ["b"], JAN[2]: ["c"]}
    reference = {JAN[1]: ["b"], JAN[2]: ["c"], JAN[3]: ["d"], JAN[4]: ["e"]}
    # 2 days in common: P = 2/3, R = 2/4, F1 = 2·(2/3)(1/2) / (2/3 + 1/2) = 4/7.
    assert close(date_scores(predicted, reference), 2 / 3, 1 / 2, 4 / 7)


def test_a_day_without_sentences_still_counts_as_a_chosen_day():
    assert close(date_scores({JAN[0]: []}, {JAN[0]: ["x"], JAN[1]: ["y"]}), 1, 1 / 2, 2 / 3)


def test_an_empty_prediction_scores_zero_everywhere():
    reference = {JAN[0]: ["Le président démissionne."], JAN[1]: ["La foule célèbre."]}
    scores = score_timeline({}, reference)
    for measure in (
        scores.dates,
        scores.concat_rouge1,
        scores.concat_rouge2,
        scores.agreement_rouge1,
        scores.agreement_rouge2,
    ):
        assert measure == Scores(0.0, 0.0, 0.0)
    # Nothing to divide by on either side is not an error either.
    assert score_timeline({}, {}).dates == Scores(0.0, 0.0, 0.0)


FRENCH_PREDICTED = {JAN[0]: ["Le président démissionne."], JAN[1]: ["La foule célèbre."]}
FRENCH_REFERENCE = {
    JAN[0]: ["Le président démissionne ce soir."],
    JAN[2]: ["La foule célèbre dans la rue."],
}


def test_rouge1_concat_pools_every_day():
    # Predicted: le président démissionne la foule célèbre (6 words, all in the reference).
    # Reference: le président démissionne ce soir la foule célèbre dans la rue (11 words; `la`
    # twice, but the prediction has it once, so it matches once). P = 6/6, R = 6/11, F1 = 12/17.
    assert close(rouge_concat(FRENCH_PREDICTED, FRENCH_REFERENCE, 1), 1, 6 / 11, 12 / 17)


def test_rouge1_agreement_counts_only_the_shared_day():
    # Only 1 January is in both: le président démissionne = 3 matches.
    # P = 3/6, R = 3/11, F1 = 2·(1/2)(3/11) / (1/2 + 3/11) = 6/17.
    assert close(rouge_agreement(FRENCH_PREDICTED, FRENCH_REFERENCE, 1), 1 / 2, 3 / 11, 6 / 17)


def test_rouge2_agreement_is_lower_when_words_sit_under_another_day():
    predicted = {JAN[0]: ["Protesters storm the ministry."], JAN[1]: ["Police fire tear gas."]}
    reference = {JAN[0]: ["Protesters storm the building."], JAN[1]: ["The ministry burns."]}
    # Predicted bigrams: protesters storm, storm the, the ministry, police fire, fire tear,
    # tear gas (6). Reference: protesters storm, storm the, the building, the ministry,
    # ministry burns (5).
    # concat: 3 matches, P = 3/6, R = 3/5, F1 = 6/11.
    concat = rouge_concat(predicted, reference, 2)
    assert close(concat, 1 / 2, 3 / 5, 6 / 11)
    # agreement: `the ministry` is on 2 January in the reference, 1 January in the prediction,
    # so 2 matches remain: P = 2/6, R = 2/5, F1 = 4/11.
    agreement = rouge_agreement(predicted, reference, 2)
    assert close(agreement, 1 / 3, 2 / 5, 4 / 11)
    assert agreement.f1 < concat.f1


def test_a_timeline_against_itself_scores_one():
    scores = score_timeline(FRENCH_REFERENCE, FRENCH_REFERENCE)
    assert scores.dates.f1 == scores.concat_rouge2.f1 == scores.agreement_rouge2.f1 == 1.0


def test_bigrams_do_not_span_two_sentences():
    # `démissionne la` would only exist by gluing two sentences together.
    predicted = {JAN[0]: ["Le président démissionne.", "La foule célèbre."]}
    assert rouge_concat(predicted, {JAN[0]: ["démissionne la"]}, 2).recall == 0.0


def test_accents_stay_inside_words():
    assert tokenize("L’Égypte célèbre la démission de Moubarak.") == [
        "l",
        "égypte",
        "célèbre",
        "la",
        "démission",
        "de",
        "moubarak",
    ]
    # A decomposed accent (e + U+0301) reads as the composed letter.
    assert tokenize(unicodedata.normalize("NFD", "Élection présidentielle")) == [
        "élection",
        "présidentielle",
    ]
    # No accent stripping: `élection` is another word than `election`.
    assert rouge_concat({JAN[0]: ["élection"]}, {JAN[0]: ["election"]}, 1).f1 == 0.0


def test_treebank_escapes_read_like_raw_text():
    treebank = "Mubarak -LRB- 82 -RRB- does n't resign ; Egypt 's army `` waits '' after 9\\/11"
    raw = "Mubarak (82) doesn't resign; Egypt's army \"waits\" after 9/11"
    assert tokenize(treebank) == tokenize(raw)
    assert "lrb" not in tokenize(treebank)
    assert normalize_ptb("-LSB- a -RSB- ca n't") == "[ a ] can't"
    assert rouge_concat({JAN[0]: [raw]}, {JAN[0]: [treebank]}, 2).f1 == 1.0


def test_several_references_are_scored_one_by_one_then_averaged():
    predicted = {JAN[0]: ["Le président démissionne."]}
    same = {JAN[0]: ["Le président démissionne."]}
    other = {JAN[1]: ["Une autre histoire."]}
    mean = score_against_references(predicted, [same, other])
    assert mean.dates == Scores(0.5, 0.5, 0.5)
    assert mean.concat_rouge1 == Scores(0.5, 0.5, 0.5)
    with pytest.raises(ValueError):
        score_against_references(predicted, [])


def test_reading_both_formats(tmp_path):
    path = tmp_path / "timelines.jsonl"
    path.write_text(
        '{"topic": "t", "language": "fr", "source_file": "x", "timeline": '
        '[{"date": "2011-01-02", "summary": "B c.", "sentences": ["B", "c."]}]}\n'
        '{"topic": "u", "timeline_file": "f.json", "articles_included": true, "timeline": '
        '[{"date": "2011-01-03", "summary": "D.", "sentences": []}]}\n',
        encoding="utf-8",
    )
    assert read_reference_timelines(path) == [
        ReferenceTimeline("t", "fr", "fr", {JAN[1]: ["B", "c."]}),
        ReferenceTimeline("u", "f.json", None, {JAN[2]: ["D."]}),
    ]


def reference_file(dataset: str) -> Path:
    path = DATA / dataset / "timelines.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout")
    return path


def test_ml_crisis_references():
    references = read_reference_timelines(reference_file("ml_crisis"))
    assert sorted((r.topic, r.name) for r in references) == [
        ("egypt", "en"),
        ("egypt", "fr"),
        ("libya", "en"),
        ("libya", "fr"),
    ]
    french = {r.topic: len(r.timeline) for r in references if r.language == "fr"}
    assert french == {"egypt": 59, "libya": 28}
    for reference in references:
        assert score_timeline(reference.timeline, reference.timeline).agreement_rouge2.f1 == 1.0


def test_t17_references():
    references = read_reference_timelines(reference_file("t17"))
    assert len(references) == 19
    assert all(r.language is None and r.name.endswith(".json") for r in references)
    syria = [r for r in references if r.topic == "SyrianCrisis_reuters"]
    assert len(syria) == 3
