"""`dateline eval places GOLD`: toponym resolution against a geoparsing `docs.jsonl`.

The gold format is the one of `shared/data/geoparsing_en`: each document's `toponyms` with
their span, coordinates and, for LGL, GeoNames id. Two modes:

- **given toponyms**: the gold spans are resolved by dateline's resolver, each document's
  toponyms together (the same input as Mordecai 3's published "given the true toponyms"
  figures);
- **end to end**: the whole pipeline reads the text; a gold toponym counts as found when a
  place entity's mention overlaps it, and its resolution is that entity's place. Toponym
  precision/recall/F1 say how many were found.

Accuracy is over gold toponyms that have coordinates: *exact* when the chosen place has the gold
GeoNames id or lies within 1 km of the gold point, *161 km* (100 miles, the usual tolerance)
when within 161 km; an unresolved or unfound toponym counts as wrong. Mean and median error
(km) are over the toponyms that got coordinates.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from dateline.evaluation.gold import analysed, read_gold
from dateline.evaluation.scores import Score
from dateline.geo.gazetteer import Candidate, distance_km
from dateline.geo.resolve import PlaceResolver, Toponym
from dateline.pipeline import Pipeline
from dateline.places import PLACE_ENTITY_TYPES
from dateline.record import Record

EXACT_KM = 1.0
NEAR_KM = 161.0


@dataclass(slots=True)
class Accuracy:
    total: int = 0
    exact: int = 0
    near: int = 0
    errors_km: list[float] = field(default_factory=list)

    def add(self, gold: dict, lat: float | None, lon: float | None, geonames_id: int | None):
        self.total += 1
        if lat is None or lon is None:
            return
        error = distance_km(gold["lat"], gold["lon"], lat, lon)
        self.errors_km.append(error)
        same_id = gold.get("geonameid") and str(geonames_id) == str(gold["geonameid"])
        self.exact += bool(same_id or error <= EXACT_KM)
        self.near += bool(same_id or error <= NEAR_KM)

    @property
    def exact_rate(self) -> float:
        return self.exact / self.total if self.total else 0.0

    @property
    def near_rate(self) -> float:
        return self.near / self.total if self.total else 0.0

    @property
    def mean_km(self) -> float | None:
        return statistics.fmean(self.errors_km) if self.errors_km else None

    @property
    def median_km(self) -> float | None:
        return statistics.median(self.errors_km) if self.errors_km else None


@dataclass(slots=True)
class PlaceReport:
    mode: str
    documents: int = 0
    by_dataset: dict[str, Accuracy] = field(default_factory=dict)
    recognition: Score = field(default_factory=Score)  # end to end only
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # text, gold, got

    def accuracy(self, dataset: str) -> Accuracy:
        return self.by_dataset.setdefault(dataset, Accuracy())


def _located(item: dict) -> list[dict]:
    return [t for t in item.get("toponyms", []) if t.get("lat") is not None]


def _describe(gold: dict) -> str:
    return f"{gold.get('gaz_name') or gold['text']} ({gold['lat']:.2f},{gold['lon']:.2f})"


def _got(place: Candidate | None) -> str:
    if place is None:
        return "-"
    where = f"{place.admin1 or ''} {place.country or ''}"
    return f"{place.name}, {where} ({place.lat:.2f},{place.lon:.2f})"


def evaluate_given_toponyms(
    path: Path, resolver: PlaceResolver, language: str = "en", limit: int | None = None
) -> PlaceReport:
    report = PlaceReport(mode="given toponyms")
    for item in islice(read_gold(path), limit):
        report.documents += 1
        toponyms = item.get("toponyms", [])
        resolutions = resolver.resolve(
            [Toponym(t["text"]) for t in toponyms], item.get("language") or language
        )
        accuracy = report.accuracy(item.get("dataset", "all"))
        for gold, resolution in zip(toponyms, resolutions, strict=True):
            if gold.get("lat") is None:
                continue
            place = resolution.place
            before = accuracy.near
            accuracy.add(
                gold,
                place.lat if place else None,
                place.lon if place else None,
                place.geonames_id if place else None,
            )
            if accuracy.near == before:
                report.misses.append((gold["text"], _describe(gold), _got(place)))
    return report


def evaluate_end_to_end(
    path: Path, pipeline: Pipeline, language: str | None = None, limit: int | None = None
) -> PlaceReport:
    report = PlaceReport(mode="end to end")
    for item, record in analysed(islice(read_gold(path), limit), pipeline, language):
        report.documents += 1
        _score_document(item, record, report)
    return report


def _score_document(item: dict, record: Record, report: PlaceReport) -> None:
    places = {place.entity: place for place in record.places}
    mentions = [
        (mention.start, mention.end, places.get(entity.id))
        for entity in record.entities
        if entity.type in PLACE_ENTITY_TYPES
        for mention in entity.mentions
    ]
    gold = item.get("toponyms", [])
    used: set[int] = set()
    found = 0
    accuracy = report.accuracy(item.get("dataset", "all"))
    for toponym in gold:
        match = next(
            (
                index
                for index, (start, end, _) in enumerate(mentions)
                if index not in used and start < toponym["end"] and toponym["start"] < end
            ),
            None,
        )
        if match is not None:
            used.add(match)
            found += 1
        if toponym.get("lat") is None:
            continue
        place = mentions[match][2] if match is not None else None
        accuracy.add(
            toponym,
            place.lat if place else None,
            place.lon if place else None,
            place.geonames_id if place else None,
        )
    report.recognition.tp += found
    report.recognition.fn += len(gold) - found
    report.recognition.fp += len(mentions) - found
