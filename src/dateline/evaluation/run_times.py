"""`dateline eval times GOLD`: the time stage against TimeML gold, with each document's date."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from dateline.errors import DatelineError, InputError
from dateline.evaluation.baseline_times import baseline_times
from dateline.evaluation.timeml import GoldDocument, read_gold
from dateline.evaluation.times import PredictedTimex, TimexScores, score_document
from dateline.pipeline import Pipeline
from dateline.published import parse_published
from dateline.record import Document
from dateline.resources import load_language
from dateline.times import TimeGrammar


def evaluate_times(path: Path, pipeline: Pipeline, language: str | None = None) -> TimexScores:
    """Run the whole pipeline on every gold document and score its `times`."""
    scores = TimexScores()
    documents = read_gold(path)
    while batch := list(islice(documents, pipeline.settings.batch_size)):
        inputs = [_as_document(gold, language) for gold in batch]
        for gold, result in zip(batch, pipeline.analyse(inputs), strict=True):
            if isinstance(result, InputError):
                raise DatelineError(f"{gold.id}: {result.reason}")
            predicted = [
                PredictedTimex(t.start, t.end, t.text, t.type, t.value, t.mod) for t in result.times
            ]
            score_document(gold.timexes, predicted, scores, gold.id, gold.text)
    return scores


def _as_document(gold: GoldDocument, language: str | None) -> Document:
    return Document(
        id=gold.id,
        text=gold.text,
        source=gold.id,
        published=parse_published(gold.published) if gold.published else None,
        language=language or gold.language,
    )


def evaluate_baseline(path: Path, language: str) -> TimexScores:
    """Score the single-word baseline tagger on the same gold."""
    grammar = TimeGrammar.for_language(load_language(language))
    scores = TimexScores()
    for gold in read_gold(path):
        published = parse_published(gold.published) if gold.published else None
        predicted = baseline_times(gold.text, grammar, published)
        score_document(gold.timexes, predicted, scores, gold.id, gold.text)
    return scores
