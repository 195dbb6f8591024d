"""Scores of a predicted timeline against reference timelines, as in timeline summarisation.

A timeline maps a day to the sentences that summarise it. The measures follow those of the
timeline-summarisation literature (Martschat & Markert, EACL 2017 "Improving ROUGE for Timeline
Summarization", and CoNLL 2018, whose toolkit is *tilse*); this module is an implementation of
those definitions written for dateline, not a port of tilse.

Date selection
    The days of each timeline are a set (a day counts when it is a key of the mapping, even with
    no sentence). ``precision = |P ∩ R| / |P|``, ``recall = |P ∩ R| / |R|``, F1 their harmonic
    mean; every ratio with an empty denominator is 0, so an empty prediction scores 0.

ROUGE-N (N = 1 or 2), counted with clipping as in ROUGE: an n-gram found ``a`` times in the
prediction and ``b`` times in the reference matches ``min(a, b)`` times.
``precision = matches / n-grams of the prediction``, ``recall = matches / n-grams of the
reference``, F1 their harmonic mean (0 when there is no match).

    concat
        Every sentence of each timeline is pooled, whatever its day: this is plain ROUGE between
        the two timelines read as two summaries, blind to dates.
    agreement
        Matches are counted day by day, only between the prediction's and the reference's
        summaries of the same day, and summed; the denominators stay the n-grams of the whole
        prediction and the whole reference. Words put under the wrong day therefore earn
        nothing, and agreement is never above concat.

    tilse's third family (``align_date_content_costs_many_to_one``: each predicted day aligned to
    a nearby reference day, matches weighted by ``1 / (distance in days + 1)``) is not
    implemented here.

Several references for one topic (Timeline17's Syrian crisis has three) are scored one by one and
the per-timeline precision, recall and F1 are averaged, as tilse's experiments do; the averaged F1
is the mean of the F1s, not the F1 of the mean precision and recall.

Tokenisation
    Text is NFC-normalised and lowercased, then split on every character that is not a Unicode
    letter or digit: ``"L’Égypte"`` gives ``l``, ``égypte``. There is no stemming, no stopword
    removal and no accent stripping, so the measures mean the same thing in French and English
    and ``élection`` does not match ``election``. Splitting on punctuation also makes texts
    tokenised differently comparable: the references are Penn-Treebank tokenised (``-LRB-``,
    ``Egypt 's``, ``does n't``, ``9\\/11``), and ``normalize_ptb`` undoes the escapes so that they
    give the same tokens as the raw text a system extracts.

    N-grams are counted inside each sentence and never span two sentences: in ``concat`` the
    order in which days are pooled would otherwise create bigrams no one wrote.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from statistics import fmean
from typing import TypeAlias

from dateline.errors import DatelineError

Timeline: TypeAlias = dict[date, list[str]]
"""Sentences that summarise each day. Functions accept any mapping of days to sentences."""

TimelineLike: TypeAlias = Mapping[date, Sequence[str]]

# Treebank escapes for brackets and quotes, mapped back to the characters they stand for. The
# tokeniser drops punctuation anyway; mapping (rather than deleting) keeps `-LRB-82` from gluing.
_PTB_ESCAPES = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "``": '"',
    "''": '"',
}
_PTB_ESCAPE = re.compile("|".join(re.escape(escape) for escape in _PTB_ESCAPES))
# The treebank splits `doesn't` into `does n't`; split on the apostrophe, that would give
# `does n t` against the raw text's `doesn t`, so the split is undone before tokenising.
_PTB_NEGATION = re.compile(r"(?<=[^\W_]) (n['’]t)\b", re.IGNORECASE)
# A letter or digit run: `[^\W_]` is `\w` without the underscore, Unicode-aware in `re`.
_WORD = re.compile(r"[^\W_]+")


@dataclass(slots=True, frozen=True)
class Scores:
    """Precision, recall and F1 of one measure, each in [0, 1]."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, matched: float, predicted: float, reference: float) -> Scores:
        """Scores from a match count and the sizes of both sides (empty sides score 0)."""
        precision = matched / predicted if predicted else 0.0
        recall = matched / reference if reference else 0.0
        return cls(precision, recall, _harmonic_mean(precision, recall))

    @classmethod
    def mean(cls, scores: Sequence[Scores]) -> Scores:
        """The mean of each field over several timelines (F1 averaged as it is, not recomputed)."""
        if not scores:
            raise ValueError("no scores to average")
        return cls(
            fmean(score.precision for score in scores),
            fmean(score.recall for score in scores),
            fmean(score.f1 for score in scores),
        )


@dataclass(slots=True, frozen=True)
class TimelineScores:
    """Every measure of one predicted timeline against one reference (or the mean over several)."""

    dates: Scores
    concat_rouge1: Scores
    concat_rouge2: Scores
    agreement_rouge1: Scores
    agreement_rouge2: Scores


@dataclass(slots=True, frozen=True)
class ReferenceTimeline:
    """One reference timeline of a `timelines.jsonl` file."""

    topic: str
    # What tells apart the references of one topic: the language (ML-Crisis, whose topics have a
    # French and an English timeline) or the timeline's file (Timeline17).
    name: str
    language: str | None
    timeline: Timeline


def read_reference_timelines(path: Path | str) -> list[ReferenceTimeline]:
    """The reference timelines of a `timelines.jsonl` file (ML-Crisis or Timeline17), in order.

    Each day's text is its `sentences` (its `summary` when the list is missing or empty); a day
    listed twice has its sentences joined. A malformed line stops with its number.
    """
    path = Path(path)
    references: list[ReferenceTimeline] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                references.append(_reference(json.loads(line)))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise DatelineError(
                    f"{path}:{number}: not a reference timeline ({error!r})"
                ) from None
    return references


def _reference(item: dict) -> ReferenceTimeline:
    language = item.get("language")
    name = language if language is not None else item["timeline_file"]
    timeline: Timeline = {}
    for entry in item["timeline"]:
        sentences = entry.get("sentences") or [entry["summary"]]
        timeline.setdefault(date.fromisoformat(entry["date"]), []).extend(sentences)
    return ReferenceTimeline(topic=item["topic"], name=name, language=language, timeline=timeline)


def normalize_ptb(text: str) -> str:
    """Text with Penn-Treebank escapes undone (`-LRB-` → `(`, ``` `` ``` → `"`, `\\/` → `/`,
    `does n't` → `doesn't`); text that has none comes back unchanged."""
    text = _PTB_ESCAPE.sub(lambda match: _PTB_ESCAPES[match.group()], text)
    text = text.replace("\\/", "/").replace("\\*", "*")
    return _PTB_NEGATION.sub(r"\1", text)


def tokenize(text: str) -> list[str]:
    """Lowercased runs of Unicode letters and digits, after treebank escapes are undone."""
    # NFC first: a decomposed `é` (e + combining accent) would otherwise split the word in two,
    # since a combining mark is neither a letter nor a digit.
    text = unicodedata.normalize("NFC", normalize_ptb(text)).lower()
    return _WORD.findall(text)


def ngrams(sentences: Iterable[str], n: int) -> Counter[tuple[str, ...]]:
    """How often each n-gram occurs, counted sentence by sentence (none spans two sentences)."""
    if n < 1:
        raise ValueError(f"n-grams need n >= 1, not {n}")
    counts: Counter[tuple[str, ...]] = Counter()
    for sentence in sentences:
        words = tokenize(sentence)
        counts.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return counts


def date_scores(predicted: TimelineLike, reference: TimelineLike) -> Scores:
    """Precision, recall and F1 of the predicted days against the reference days."""
    predicted_days, reference_days = set(predicted), set(reference)
    return Scores.from_counts(
        len(predicted_days & reference_days), len(predicted_days), len(reference_days)
    )


def rouge_concat(predicted: TimelineLike, reference: TimelineLike, n: int = 1) -> Scores:
    """ROUGE-n of all the predicted sentences against all the reference sentences, days ignored."""
    predicted_counts = ngrams(_all_sentences(predicted), n)
    reference_counts = ngrams(_all_sentences(reference), n)
    return Scores.from_counts(
        (predicted_counts & reference_counts).total(),
        predicted_counts.total(),
        reference_counts.total(),
    )


def rouge_agreement(predicted: TimelineLike, reference: TimelineLike, n: int = 1) -> Scores:
    """ROUGE-n whose matches count only between summaries of the same day."""
    predicted_by_day = {day: ngrams(sentences, n) for day, sentences in predicted.items()}
    reference_by_day = {day: ngrams(sentences, n) for day, sentences in reference.items()}
    matched = sum(
        (counts & reference_by_day[day]).total()
        for day, counts in predicted_by_day.items()
        if day in reference_by_day
    )
    return Scores.from_counts(
        matched,
        sum(counts.total() for counts in predicted_by_day.values()),
        sum(counts.total() for counts in reference_by_day.values()),
    )


def score_timeline(predicted: TimelineLike, reference: TimelineLike) -> TimelineScores:
    """Every measure of a predicted timeline against one reference timeline."""
    return TimelineScores(
        dates=date_scores(predicted, reference),
        concat_rouge1=rouge_concat(predicted, reference, 1),
        concat_rouge2=rouge_concat(predicted, reference, 2),
        agreement_rouge1=rouge_agreement(predicted, reference, 1),
        agreement_rouge2=rouge_agreement(predicted, reference, 2),
    )


def score_against_references(
    predicted: TimelineLike, references: Sequence[TimelineLike]
) -> TimelineScores:
    """The mean of every measure over the reference timelines of one topic, each scored alone."""
    if not references:
        raise ValueError("no reference timeline to score against")
    per_reference = [score_timeline(predicted, reference) for reference in references]
    return TimelineScores(
        dates=Scores.mean([scores.dates for scores in per_reference]),
        concat_rouge1=Scores.mean([scores.concat_rouge1 for scores in per_reference]),
        concat_rouge2=Scores.mean([scores.concat_rouge2 for scores in per_reference]),
        agreement_rouge1=Scores.mean([scores.agreement_rouge1 for scores in per_reference]),
        agreement_rouge2=Scores.mean([scores.agreement_rouge2 for scores in per_reference]),
    )


def _all_sentences(timeline: TimelineLike) -> Iterable[str]:
    for sentences in timeline.values():
        yield from sentences


def _harmonic_mean(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
