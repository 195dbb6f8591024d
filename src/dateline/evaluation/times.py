"""TempEval-3 scoring of time expressions (UzZaman et al., 2013), independent of any tagger.

Spans: a *strict* match has the gold span's exact start and end; a *relaxed* match only
overlaps it. Gold and predicted expressions are paired one to one, greedily by largest overlap
(an exact span first on ties), so every strict match is also a relaxed one. Precision is
matched / predicted, recall matched / gold, F1 their harmonic mean.

Attributes: the accuracy of `type` or `value` is the share of relaxed pairs whose attribute is
equal (values compared as exact strings); the attribute's F1 is the relaxed F1 times that
accuracy, as in TempEval-3.

Every miss is also kept as a `TimexError` for error analysis.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dateline.evaluation.timeml import GoldTimex

ERROR_KINDS = ("missed", "spurious", "wrong_value", "wrong_type", "partial_span")
CONTEXT_WIDTH = 60


@dataclass(slots=True)
class PredictedTimex:
    """A time expression found by a tagger: `text == document text[start:end]`."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass(slots=True)
class TimexError:
    """One disagreement with the gold annotation.

    `kind` is one of ERROR_KINDS; the gold side is empty for "spurious", the predicted side for
    "missed". `context` is about 60 characters of text on one line, the expression in
    [brackets] (for a pair, the stretch covered by both spans).
    """

    doc_id: str
    kind: str
    gold_text: str | None
    gold_value: str | None
    predicted_text: str | None
    predicted_value: str | None
    context: str
    gold_type: str | None = None
    predicted_type: str | None = None


@dataclass(slots=True)
class TimexScores:
    """Counts accumulated over documents by `score_document`, and the figures they give."""

    documents: int = 0
    gold: int = 0
    predicted: int = 0
    strict_matches: int = 0
    relaxed_matches: int = 0
    type_correct: int = 0
    value_correct: int = 0
    errors: list[TimexError] = field(default_factory=list)

    @property
    def strict_precision(self) -> float:
        return _ratio(self.strict_matches, self.predicted)

    @property
    def strict_recall(self) -> float:
        return _ratio(self.strict_matches, self.gold)

    @property
    def strict_f1(self) -> float:
        return _harmonic_mean(self.strict_precision, self.strict_recall)

    @property
    def relaxed_precision(self) -> float:
        return _ratio(self.relaxed_matches, self.predicted)

    @property
    def relaxed_recall(self) -> float:
        return _ratio(self.relaxed_matches, self.gold)

    @property
    def relaxed_f1(self) -> float:
        return _harmonic_mean(self.relaxed_precision, self.relaxed_recall)

    @property
    def type_accuracy(self) -> float:
        return _ratio(self.type_correct, self.relaxed_matches)

    @property
    def value_accuracy(self) -> float:
        return _ratio(self.value_correct, self.relaxed_matches)

    @property
    def type_f1(self) -> float:
        return self.relaxed_f1 * self.type_accuracy

    @property
    def value_f1(self) -> float:
        return self.relaxed_f1 * self.value_accuracy

    def error_kinds(self) -> list[tuple[str, int]]:
        """How many errors of each kind, most frequent first (ties by name)."""
        counts = Counter(error.kind for error in self.errors)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def value_error_examples(self, n: int = 10) -> list[TimexError]:
        """The first `n` pairs whose normalised value differs from the gold one."""
        return [error for error in self.errors if error.kind == "wrong_value"][:n]


def score_document(
    gold: list[GoldTimex],
    predicted: list[PredictedTimex],
    scores: TimexScores,
    doc_id: str,
    text: str,
) -> None:
    """Add one document's comparison to `scores` (counts and error records)."""
    scores.documents += 1
    scores.gold += len(gold)
    scores.predicted += len(predicted)
    pairs = _pair(gold, predicted)
    paired_gold = {g for g, _ in pairs}
    paired_predicted = {p for _, p in pairs}
    records: list[tuple[int, TimexError]] = []
    for g, p in pairs:
        gold_timex, found = gold[g], predicted[p]
        start = min(gold_timex.start, found.start)
        end = max(gold_timex.end, found.end)
        context = _context(text, start, end)
        scores.relaxed_matches += 1
        exact = (gold_timex.start, gold_timex.end) == (found.start, found.end)
        scores.strict_matches += exact
        scores.type_correct += gold_timex.type == found.type
        scores.value_correct += gold_timex.value == found.value
        kinds = []
        if not exact:
            kinds.append("partial_span")
        if gold_timex.type != found.type:
            kinds.append("wrong_type")
        if gold_timex.value != found.value:
            kinds.append("wrong_value")
        for kind in kinds:
            records.append((start, _error(doc_id, kind, gold_timex, found, context)))
    for g, gold_timex in enumerate(gold):
        if g not in paired_gold:
            context = _context(text, gold_timex.start, gold_timex.end)
            records.append((gold_timex.start, _error(doc_id, "missed", gold_timex, None, context)))
    for p, found in enumerate(predicted):
        if p not in paired_predicted:
            context = _context(text, found.start, found.end)
            records.append((found.start, _error(doc_id, "spurious", None, found, context)))
    records.sort(key=lambda record: record[0])  # stable: a pair's kinds stay together
    scores.errors.extend(error for _, error in records)


def format_report(scores: TimexScores, title: str) -> str:
    """A plain-text table of the figures and of the error kinds."""
    lines = [
        title,
        "=" * len(title),
        f"documents  {scores.documents:>7}",
        f"gold       {scores.gold:>7}",
        f"predicted  {scores.predicted:>7}",
        "",
        f"{'spans':<10} {'precision':>10} {'recall':>10} {'F1':>10} {'matched':>8}",
        _span_row(
            "strict",
            scores.strict_precision,
            scores.strict_recall,
            scores.strict_f1,
            scores.strict_matches,
        ),
        _span_row(
            "relaxed",
            scores.relaxed_precision,
            scores.relaxed_recall,
            scores.relaxed_f1,
            scores.relaxed_matches,
        ),
        "",
        f"{'attribute':<10} {'accuracy':>10} {'F1':>10} {'correct':>8}",
        _attribute_row("type", scores.type_accuracy, scores.type_f1, scores.type_correct),
        _attribute_row("value", scores.value_accuracy, scores.value_f1, scores.value_correct),
        "",
        f"{'errors':<14} {'count':>6}",
    ]
    kinds = scores.error_kinds()
    lines.extend(f"{kind:<14} {count:>6}" for kind, count in kinds)
    if not kinds:
        lines.append("(none)")
    return "\n".join(lines) + "\n"


# --- pairing -----------------------------------------------------------------------------------


def _pair(gold: list[GoldTimex], predicted: list[PredictedTimex]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of overlapping spans, largest overlap first.

    On equal overlap an exact span wins, then the closer lengths, then text order.
    """
    candidates = []
    for g, gold_timex in enumerate(gold):
        for p, found in enumerate(predicted):
            overlap = min(gold_timex.end, found.end) - max(gold_timex.start, found.start)
            exact = (gold_timex.start, gold_timex.end) == (found.start, found.end)
            if overlap > 0 or exact:
                length_gap = abs((gold_timex.end - gold_timex.start) - (found.end - found.start))
                candidates.append((-overlap, not exact, length_gap, g, p))
    candidates.sort()
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    for *_, g, p in candidates:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            pairs.append((g, p))
    pairs.sort()
    return pairs


# --- helpers -----------------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float:
    """`part / whole`, and 1.0 when there was nothing to get right (as in `Score`)."""
    return part / whole if whole else 1.0


def _harmonic_mean(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def _span_row(name: str, precision: float, recall: float, f1: float, matched: int) -> str:
    figures = "".join(f" {_percent(share):>10}" for share in (precision, recall, f1))
    return f"{name:<10}{figures} {matched:>8}"


def _attribute_row(name: str, accuracy: float, f1: float, correct: int) -> str:
    return f"{name:<10} {_percent(accuracy):>10} {_percent(f1):>10} {correct:>8}"


def _error(
    doc_id: str,
    kind: str,
    gold: GoldTimex | None,
    found: PredictedTimex | None,
    context: str,
) -> TimexError:
    return TimexError(
        doc_id=doc_id,
        kind=kind,
        gold_text=gold.text if gold else None,
        gold_value=gold.value if gold else None,
        predicted_text=found.text if found else None,
        predicted_value=found.value if found else None,
        context=context,
        gold_type=gold.type if gold else None,
        predicted_type=found.type if found else None,
    )


def _context(text: str, start: int, end: int) -> str:
    """About CONTEXT_WIDTH characters around text[start:end], the span in brackets, on one line."""
    margin = max(10, (CONTEXT_WIDTH - (end - start)) // 2)
    before = text[max(0, start - margin) : start]
    after = text[end : end + margin]
    snippet = f"{before}[{text[start:end]}]{after}"
    if start - margin > 0:
        snippet = "…" + snippet
    if end + margin < len(text):
        snippet += "…"
    return " ".join(snippet.split())
