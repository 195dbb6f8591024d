"""Timeline scoring on hand-made timelines, and the floors of `dateline eval timeline` on the
development sets (ML-Crisis Egypt and Libya in French, two Timeline17 topics in English)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dateline.evaluation.timelines import date_scores, rouge_agreement, rouge_concat

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
D1, D2, D3 = date(2011, 2, 11), date(2011, 2, 12), date(2011, 2, 13)


def test_date_scores_count_the_days_in_common():
    scores = date_scores({D1: [], D2: []}, {D2: [], D3: [], date(2011, 3, 1): []})
    assert (scores.precision, scores.recall) == (0.5, 1 / 3)
    assert scores.f1 == pytest.approx(0.4)
    assert date_scores({}, {D1: []}).f1 == 0.0


def test_rouge_agreement_gives_nothing_for_words_under_the_wrong_day():
    reference = {D1: ["Moubarak quitte le pouvoir."], D2: ["L'armée prend le contrôle."]}
    swapped = {D1: ["L'armée prend le contrôle."], D2: ["Moubarak quitte le pouvoir."]}
    assert rouge_concat(swapped, reference, 1).f1 == 1.0
    # Only "le" is shared on each day: 2 of the 9 words on either side.
    assert rouge_agreement(swapped, reference, 1).f1 == pytest.approx(2 / 9)
    assert rouge_agreement(reference, reference, 2).f1 == 1.0


def test_rouge_reads_accents_and_drops_treebank_brackets():
    reference = {D1: ["Protests in Tahrir -LRB- Cairo -RRB- grew ."]}
    system = {D1: ["protests in tahrir (cairo) grew"]}
    assert rouge_concat(system, reference, 2).f1 == 1.0
    assert rouge_concat({D1: ["élection"]}, {D1: ["election"]}, 1).f1 == 0.0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dataset", "topics", "floor"),
    [("ml_crisis", None, 0.25), ("t17", ["H1N1_bbc", "H1N1_guardian"], 0.45)],
)
def test_topic_timelines_keep_their_date_f1(dataset, topics, floor, tmp_path):
    from dateline.evaluation.run_timelines import evaluate_timelines, mean

    if not (DATA / dataset).exists():
        pytest.skip("../shared/data is not beside the checkout")
    results = evaluate_timelines(DATA / dataset, tmp_path, workers=2, topics=topics)
    assert results
    ours = mean(results, lambda r: r.date_f1)
    baseline = mean(results, lambda r: r.baseline_date_f1)
    assert ours >= floor
    assert ours > baseline  # better than the days with the most articles
