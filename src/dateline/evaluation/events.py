"""`dateline eval events GOLD`: PLOVER events, factuality, sources and quotes against gold.

Two gold formats, told apart per document:

- **sentence-coded** (`shared/data/plover`, the PLOVER gold-standard records): one event per
  sentence, with its type, mode, and actor and recipient spans, no trigger. dateline's *main*
  event of the sentence is the one with the most named participants (the earliest if tied).
  Reported: how many sentences get an event; type accuracy of the main event and of any event;
  macro-F1 over types (main event; no event counts as a wrong type); mode accuracy where the
  gold has a mode and dateline found that type; actor and recipient recall (a gold span
  overlapped by an argument of that role of the event of the gold type).
- **trigger-coded** (dateline's own annotated texts, `tests/fixtures/events_fr`): events with
  trigger spans, factuality, source, actors, recipients; and quotes with speakers. Events match
  when their triggers overlap: trigger precision/recall/F1, then, over matched events, type
  accuracy, factuality accuracy, source accuracy (both none, or overlapping spans), actor and
  recipient recall; quotes match when their spans overlap: precision/recall, speaker accuracy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from dateline.evaluation.gold import analysed, read_gold
from dateline.evaluation.scores import Score
from dateline.pipeline import Pipeline
from dateline.record import Argument, Event, Record


@dataclass(slots=True)
class Ratio:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass(slots=True)
class EventReport:
    sentences: int = 0  # sentence-coded
    with_event: int = 0
    main_type: Ratio = field(default_factory=Ratio)
    any_type: Ratio = field(default_factory=Ratio)
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted main)
    documents: int = 0  # trigger-coded
    triggers: Score = field(default_factory=Score)
    type: Ratio = field(default_factory=Ratio)
    factuality: Ratio = field(default_factory=Ratio)
    source: Ratio = field(default_factory=Ratio)
    quotes: Score = field(default_factory=Score)
    speaker: Ratio = field(default_factory=Ratio)
    mode: Ratio = field(default_factory=Ratio)  # both formats
    actors: Ratio = field(default_factory=Ratio)
    targets: Ratio = field(default_factory=Ratio)
    factuality_confusion: Counter = field(default_factory=Counter)

    @property
    def macro_f1(self) -> float:
        types = {gold for gold, _ in self.confusion}
        scores = []
        for type_ in types:
            tp = self.confusion[(type_, type_)]
            fp = sum(n for (g, p), n in self.confusion.items() if p == type_ and g != type_)
            fn = sum(n for (g, p), n in self.confusion.items() if g == type_ and p != type_)
            scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        return sum(scores) / len(scores) if scores else 0.0


def evaluate_events(
    path: Path, pipeline: Pipeline, language: str | None = None, limit: int | None = None
) -> EventReport:
    report = EventReport()
    for item, record in analysed(islice(read_gold(path), limit), pipeline, language):
        gold = item.get("events", [])
        if any("trigger_start" in event for event in gold) or "quotes" in item:
            _score_triggers(item, record, report)
        else:
            _score_sentence(gold, record, report)
    return report


def _overlaps(start: int | None, end: int | None, other_start: int, other_end: int) -> bool:
    return start is not None and end is not None and start < other_end and other_start < end


def _covered(gold_spans: list[dict], arguments: list[Argument], roles: tuple[str, ...]) -> int:
    return sum(
        any(
            a.role in roles and _overlaps(s.get("start"), s.get("end"), a.start, a.end)
            for a in arguments
        )
        for s in gold_spans
    )


def _main(events: list[Event]) -> Event | None:
    return max(
        events, key=lambda e: (len(e.actors) + len(e.targets), -e.trigger.start), default=None
    )


def _score_sentence(gold: list[dict], record: Record, report: EventReport) -> None:
    if not gold:
        return
    expected = gold[0]
    report.sentences += 1
    report.with_event += bool(record.events)
    main = _main(record.events)
    report.main_type.add(main is not None and main.type == expected["type"])
    report.confusion[(expected["type"], main.type if main else "none")] += 1
    same_type = [event for event in record.events if event.type == expected["type"]]
    report.any_type.add(bool(same_type))
    if expected.get("mode") and same_type:
        report.mode.add(any(event.mode == expected["mode"] for event in same_type))
    arguments = [a for event in same_type for a in event.arguments]
    located = [s for s in expected.get("actors", []) if s.get("start") is not None]
    report.actors.right += _covered(located, arguments, ("actor",))
    report.actors.total += len(located)
    located = [s for s in expected.get("recipients", []) if s.get("start") is not None]
    report.targets.right += _covered(located, arguments, ("target",))
    report.targets.total += len(located)


def _score_triggers(item: dict, record: Record, report: EventReport) -> None:
    report.documents += 1
    gold = item.get("events", [])
    used: set[int] = set()
    matched = 0
    for expected in gold:
        index = next(
            (
                i
                for i, event in enumerate(record.events)
                if i not in used
                and _overlaps(
                    event.trigger.start,
                    event.trigger.end,
                    expected["trigger_start"],
                    expected["trigger_end"],
                )
            ),
            None,
        )
        if index is None:
            continue
        used.add(index)
        matched += 1
        event = record.events[index]
        report.type.add(event.type == expected["type"])
        report.factuality.add(event.factuality == expected["factuality"])
        report.factuality_confusion[(expected["factuality"], event.factuality)] += 1
        if expected.get("mode"):
            report.mode.add(event.mode == expected["mode"])
        source = next((a for a in event.arguments if a.role == "source"), None)
        gold_source = expected.get("source")
        if gold_source is None:
            report.source.add(source is None)
        else:
            report.source.add(
                source is not None
                and _overlaps(source.start, source.end, gold_source["start"], gold_source["end"])
            )
        report.actors.right += _covered(expected.get("actors", []), event.arguments, ("actor",))
        report.actors.total += len(expected.get("actors", []))
        recipients = expected.get("recipients", [])
        report.targets.right += _covered(recipients, event.arguments, ("target",))
        report.targets.total += len(recipients)
    report.triggers.tp += matched
    report.triggers.fn += len(gold) - matched
    report.triggers.fp += len(record.events) - matched
    _score_quotes(item.get("quotes", []), record, report)


def _score_quotes(gold: list[dict], record: Record, report: EventReport) -> None:
    used: set[int] = set()
    for expected in gold:
        index = next(
            (
                i
                for i, quote in enumerate(record.quotes)
                if i not in used
                and _overlaps(quote.start, quote.end, expected["start"], expected["end"])
            ),
            None,
        )
        if index is None:
            continue
        used.add(index)
        quote = record.quotes[index]
        report.speaker.add(
            _overlaps(
                quote.speaker_start,
                quote.speaker_end,
                expected["speaker_start"],
                expected["speaker_end"],
            )
        )
    report.quotes.tp += len(used)
    report.quotes.fn += len(gold) - len(used)
    report.quotes.fp += len(record.quotes) - len(used)
