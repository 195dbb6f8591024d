"""Corpus events: the same event reported by several articles, merged into one.

Each stored event (one report: a trigger in one document) joins a corpus event when all of
these hold, else it starts one:

- **same PLOVER type**, and the same **stance**: things said to have happened (asserted or
  reported) merge together; possible, future and negated events each only with their kind (a
  summit announced for next week is not the summit that took place);
- **shared participants**: at least one corpus entity (merge.py links "Choukry" and "Shoukry")
  among the participants of both, roles ignored (one outlet's "A received B" is another's "B
  met A"). Participants are the parsed actors and targets, and the people the report's
  sentence names: a parse that misses the subject of "acting Foreign Minister Ali Al-Sadig
  held talks with Sameh Shoukry" still knows who was there. When either report names no
  participant, a shared city-level place (the same GeoNames id) stands in for one, and so
  does the sentence: two triggers of one type
  in one sentence ("s'est rendu à Saint-Omer pour rencontrer les sinistrés") are one event,
  and so is the same sentence in a republished copy of the story, or an event of the same kind
  in it (a near duplicate retells its original, edits and all);
- **compatible times**: the days the report allows overlap the days every report of the corpus
  event allows (their intersection, the event's *window*, must stay non-empty). A report dated
  by its own time expression allows that expression's interval; one with no time expression
  allows the week before its publication (news reports what just happened) up to the day after;
- **compatible places**: the same country when both say where, and the same city when both
  name one.

Among candidates the one sharing the most participants wins, then the one with the most
reports. Reports are taken in date order, so the result does not depend on ingest order, and
windows that closed before the current report are no longer searched (linear in practice).

A corpus event records every report (`events.corpus_event_id`), its earliest report (the
document published first), the number of documents and of **independent sources** (documents
after near duplicates are folded into the first of their group: a wire story republished five
times is one source), and its **best-supported interval**: of the intervals its dated reports
give, the one contained in the most of them, the narrowest on a tie ("mardi" and "le 12 mars"
read as 12 March and "en mars" as the month give 12 March, supported three times).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateline.store import Store

# The days before its publication an undated report may refer to, and after.
UNDATED_BEFORE = timedelta(days=7)
UNDATED_AFTER = timedelta(days=1)
REALISED = frozenset({"asserted", "reported"})

REPORTS_SQL = """
WITH roles AS (
    SELECT doc_key, event_id, 'actor' AS role, UNNEST(actors) AS entity_id FROM events
    UNION ALL
    SELECT doc_key, event_id, 'target' AS role, UNNEST(targets) AS entity_id FROM events
),
participants AS (
    SELECT r.doc_key, r.event_id,
           list(n.corpus_id ORDER BY n.corpus_id) FILTER (WHERE r.role = 'actor') AS actor_ids,
           list(n.corpus_id ORDER BY n.corpus_id) FILTER (WHERE r.role = 'target') AS target_ids
    FROM roles r JOIN entities n USING (doc_key, entity_id)
    WHERE n.corpus_id IS NOT NULL
    GROUP BY r.doc_key, r.event_id
),
named AS (
    SELECT e.doc_key, e.event_id, list(DISTINCT n.corpus_id ORDER BY n.corpus_id) AS named_ids
    FROM events e
    JOIN mentions m ON m.doc_key = e.doc_key AND m.start >= e.sentence_start
                   AND m."end" <= e.sentence_end
    JOIN entities n ON n.doc_key = m.doc_key AND n.entity_id = m.entity_id
    WHERE n.type = 'PERSON' AND n.corpus_id IS NOT NULL
    GROUP BY e.doc_key, e.event_id
)
SELECT e.doc_key, e.event_id, e.type, e.mode, e.factuality, e.earliest, e.latest, e.sentence,
       e.time IS NOT NULL AS dated, p.actor_ids, p.target_ids, nm.named_ids,
       pe.corpus_id AS place_id, pl.country, pl.geonames_id, pl.kind AS place_kind,
       d.published_earliest, d.published_latest, coalesce(d.duplicate_of, d.doc_key) AS origin
FROM events e
JOIN documents d USING (doc_key)
LEFT JOIN participants p USING (doc_key, event_id)
LEFT JOIN named nm USING (doc_key, event_id)
LEFT JOIN entities pe ON pe.doc_key = e.doc_key AND pe.entity_id = e.place
LEFT JOIN places pl ON pl.doc_key = e.doc_key AND pl.entity_id = e.place AND pl.resolved
"""


@dataclass(slots=True)
class Report:
    """One stored event, as the merge sees it."""

    doc_key: str
    event_id: str
    type: str
    mode: str | None
    factuality: str
    dated: bool
    window: tuple[date, date] | None
    actors: tuple[int, ...]
    targets: tuple[int, ...]
    named: tuple[int, ...]  # people its sentence names, beside its parsed arguments
    place_id: int | None
    country: str | None
    city: int | None  # GeoNames id of a city-level place
    published: date | None
    origin: str
    sentence: str | None = None  # the sentence that reports it

    @property
    def stance(self) -> str:
        return "realised" if self.factuality in REALISED else self.factuality

    @property
    def participants(self) -> frozenset[int]:
        return frozenset(self.actors) | frozenset(self.targets) | frozenset(self.named)

    @property
    def order(self) -> tuple:
        start = self.window[0] if self.window else date.max
        return (start, self.published or date.max, self.doc_key, self.event_id)


@dataclass(slots=True)
class CorpusEvent:
    """Reports merged into one event, with what they agree on."""

    type: str
    stance: str
    window: tuple[date, date] | None
    reports: list[Report] = field(default_factory=list)
    participants: Counter = field(default_factory=Counter)
    countries: set[str] = field(default_factory=set)
    cities: set[int] = field(default_factory=set)

    def add(self, report: Report) -> None:
        self.reports.append(report)
        self.participants.update(report.participants)
        if report.country:
            self.countries.add(report.country)
        if report.city is not None:
            self.cities.add(report.city)
        self.window = _intersection(self.window, report.window)

    def accepts(self, report: Report) -> bool:
        participants = report.participants
        if (
            participants
            and self.participants
            and not any(p in self.participants for p in participants)
        ):
            return False  # both say who, and nobody is the same: two events
        if report.window and self.window and _intersection(self.window, report.window) is None:
            return False
        if report.country and self.countries and report.country not in self.countries:
            return False
        return not (report.city is not None and self.cities and report.city not in self.cities)

    def best_interval(self) -> tuple[date, date] | None:
        """Of the dated reports' intervals, the one inside most of them (narrowest on a tie)."""
        intervals = [r.window for r in self.reports if r.dated and r.window]
        if not intervals:
            return self.window
        return max(
            set(intervals),
            key=lambda c: (
                sum(1 for r in intervals if r[0] <= c[0] and c[1] <= r[1]),
                -(c[1] - c[0]).days,
                -c[0].toordinal(),
            ),
        )


def merge_reports(reports: list[Report]) -> list[CorpusEvent]:
    """Group reports into corpus events (see the module docstring for the rules)."""
    events: list[CorpusEvent] = []
    index: dict[tuple, list[int]] = {}
    for report in sorted(reports, key=lambda r: r.order):
        keys = _keys(report)
        best, best_score = None, None
        for number in {n for key in keys for n in index.get(key, ())}:
            event = events[number]
            if not event.accepts(report):
                continue
            shared = sum(1 for p in report.participants if p in event.participants)
            score = (shared, len(event.reports), -number)
            if best_score is None or score > best_score:
                best, best_score = number, score
        if best is None:
            best = len(events)
            events.append(CorpusEvent(report.type, report.stance, report.window))
        events[best].add(report)
        for key in keys:
            numbers = index.setdefault(key, [])
            if best not in numbers:
                numbers.append(best)
        _forget_closed(index, events, report)
    return events


def _keys(report: Report) -> list[tuple]:
    keys = [(report.type, report.stance, "entity", p) for p in sorted(report.participants)]
    if report.city is not None:
        keys.append((report.type, report.stance, "city", report.city))
    if report.sentence:
        keys.append((report.type, report.stance, "sentence", report.sentence))
    if report.origin != report.doc_key:
        # A near duplicate retells its original: its events are the original's.
        keys.append((report.type, report.stance, "story", report.origin))
    elif not report.participants:
        keys.append((report.type, report.stance, "story", report.doc_key))
    return keys


def _forget_closed(index: dict[tuple, list[int]], events: list[CorpusEvent], report: Report):
    # Reports come in order of their window's start: an event whose window ended before this
    # report's start can take no later report. Pruned on the keys just touched (cheap).
    if report.window is None:
        return
    start = report.window[0]
    for key in _keys(report):
        numbers = index.get(key)
        if numbers and len(numbers) > 8:
            index[key] = [
                n for n in numbers if events[n].window is None or events[n].window[1] >= start
            ]


def _intersection(
    first: tuple[date, date] | None, second: tuple[date, date] | None
) -> tuple[date, date] | None:
    if first is None:
        return second
    if second is None:
        return first
    start, end = max(first[0], second[0]), min(first[1], second[1])
    return (start, end) if start <= end else None


def load_reports(store: Store) -> list[Report]:
    result = store.query(REPORTS_SQL)
    reports = []
    for row in result.rows:
        item = dict(zip(result.columns, row, strict=True))
        reports.append(_report(item))
    return reports


def _report(item: dict[str, Any]) -> Report:
    window = None
    if item["dated"] and item["earliest"] and item["latest"]:
        window = (item["earliest"], item["latest"])
    elif item["published_earliest"] and item["published_latest"]:
        window = (
            item["published_earliest"] - UNDATED_BEFORE,
            item["published_latest"] + UNDATED_AFTER,
        )
    actors = tuple(item["actor_ids"] or ())
    return Report(
        doc_key=item["doc_key"],
        event_id=item["event_id"],
        type=item["type"],
        mode=item["mode"],
        factuality=item["factuality"],
        dated=bool(item["dated"]) and window is not None,
        window=window,
        actors=actors,
        targets=tuple(t for t in item["target_ids"] or () if t not in actors),
        named=tuple(item["named_ids"] or ()),
        place_id=item["place_id"],
        country=item["country"],
        city=item["geonames_id"] if item["place_kind"] == "city" else None,
        published=item["published_earliest"],
        origin=item["origin"],
        sentence=" ".join(item["sentence"].split()) if item["sentence"] else None,
    )


def corpus_event_rows(events: list[CorpusEvent]) -> tuple[dict[str, list], dict[str, list]]:
    """Column-wise rows of `corpus_events` and of the report -> corpus event links."""
    intervals = [event.best_interval() for event in events]
    numbered = sorted(zip(events, intervals, strict=True), key=_event_order)
    table: dict[str, list] = {name: [] for name in CORPUS_EVENT_COLUMNS}
    links: dict[str, list] = {"doc_key": [], "event_id": [], "corpus_event_id": []}
    for number, (event, interval) in enumerate(numbered, start=1):
        reports = event.reports
        first = min(reports, key=lambda r: (r.published or date.max, r.doc_key, r.event_id))
        actors = Counter(a for r in reports for a in r.actors)
        targets = Counter(t for r in reports for t in r.targets if t not in actors)
        places = Counter(r.place_id for r in reports if r.place_id is not None)
        countries = Counter(r.country for r in reports if r.country)
        modes = Counter(r.mode for r in reports if r.mode)
        factualities = {r.factuality for r in reports}
        values = {
            "corpus_event_id": number,
            "type": event.type,
            "mode": modes.most_common(1)[0][0] if modes else None,
            "factuality": "asserted" if "asserted" in factualities else reports[0].factuality,
            "earliest": interval[0] if interval else None,
            "latest": interval[1] if interval else None,
            "dated": any(r.dated for r in reports),
            "actors": [a for a, _ in actors.most_common()],
            "targets": [t for t, _ in targets.most_common()],
            "place_id": places.most_common(1)[0][0] if places else None,
            "country": countries.most_common(1)[0][0] if countries else None,
            "reports": len(reports),
            "documents": len({r.doc_key for r in reports}),
            "sources": len({r.origin for r in reports}),
            "first_doc_key": first.doc_key,
            "first_event_id": first.event_id,
            "first_published": first.published,
        }
        for name, value in values.items():
            table[name].append(value)
        for report in reports:
            links["doc_key"].append(report.doc_key)
            links["event_id"].append(report.event_id)
            links["corpus_event_id"].append(number)
    return table, links


CORPUS_EVENT_COLUMNS = (
    "corpus_event_id", "type", "mode", "factuality", "earliest", "latest", "dated", "actors",
    "targets", "place_id", "country", "reports", "documents", "sources", "first_doc_key",
    "first_event_id", "first_published",
)  # fmt: skip


def _event_order(item: tuple[CorpusEvent, tuple[date, date] | None]) -> tuple:
    event, interval = item
    first = min(event.reports, key=lambda r: r.order)
    return (interval[0] if interval else date.max, first.doc_key, first.event_id)


def rebuild_corpus_events(store: Store) -> int:
    """Recompute `corpus_events` and every event's link to it; returns how many there are.

    Run at the end of each ingest, in one transaction: the table is derived, so it is rebuilt
    whole rather than patched, and an interrupted rebuild leaves the previous one.
    """
    events = merge_reports(load_reports(store))
    table, links = corpus_event_rows(events)
    store.replace_corpus_events(table, links)
    return len(events)
