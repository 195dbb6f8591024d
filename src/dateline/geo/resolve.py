"""Choosing, for each place a document names, the one place of the gazetteer it means.

Each candidate is scored by what a reader weighs:

- **prior**: how likely the name means it before reading anything: its kind (a country or a
  continent before a region, a region before a town of the same name), its population (log
  scale), whether the name is one of its main names or only an alternate one, whether it is a
  capital, whether it matched only after transliteration folding;
- **the mention**: a kind announced by the mention ("l'île", "Island", "la ville de") and the
  entity type (a FACILITY is only a facility; a LOC leans away from towns);
- **the document**: the countries and first-level regions of the document's other places, and
  their nearness: "Alexandria" in an article that also names Rapides Parish is Alexandria,
  Louisiana. Context is computed from the other places' current best choices and the choice is
  made again, a few times, until it settles.

The weights (`Weights`) were set on the English geoparsing development set (LGL + GeoVirus) and
the README gives the figures; they are few and coarse on purpose.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from dateline.geo.gazetteer import Candidate, Gazetteer, distance_km
from dateline.geo.names import plain_key
from dateline.geo.toponyms import ToponymForms
from dateline.resources import PerLanguage


@dataclass(frozen=True, slots=True)
class Weights:
    kind: tuple[tuple[str, float], ...] = (
        ("continent", 7.0),
        ("country", 7.0),
        ("region1", 4.0),
        ("region2", 1.5),
        ("city", 0.0),
        # The curated supplement's places: well known, but without a population to rank them.
        ("island", 5.0),
        ("region", 6.0),
        ("water", 5.0),
        ("mountain", 5.0),
        ("facility", 5.0),
        ("area", 5.0),
    )
    population: float = 0.6  # per power of ten
    preferred_name: float = 1.5
    capital: float = 3.0
    loose_match: float = -2.0
    announced_kind: float = 4.0
    other_kind_announced: float = -3.0
    loc_is_town: float = -1.0
    same_country: float = 3.0
    same_admin1: float = 2.5
    nearby: float = 3.0
    nearby_km: float = 150.0
    rounds: int = 3
    alternate_min_population: int = 5000
    agreement_exponent: float = 1.0
    region_named_after_its_city: float = -3.0


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place as a document names it."""

    text: str
    entity_type: str | None = None  # GPE, LOC, FACILITY, or None when unknown (gold toponyms)


@dataclass(frozen=True, slots=True)
class Resolution:
    toponym: Toponym
    place: Candidate | None  # None: no place of the gazetteer fits
    confidence: float  # the chosen candidate's share of the probability (softmax of scores)
    candidates: int


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer, weights: Weights | None = None) -> None:
        self.gazetteer = gazetteer
        self.weights = weights or Weights()
        self._kind_prior = dict(self.weights.kind)
        self._forms = PerLanguage(ToponymForms)

    def candidates(self, toponym: Toponym, language: str) -> tuple[list[Candidate], str | None]:
        """The candidates of the first form of the mention the gazetteer knows, and its hint."""
        for form in self._forms[language](toponym.text):
            if form.country:
                country = self.gazetteer.country(form.country)
                found = (country,) if country else ()
            else:
                found = self.gazetteer.lookup(form.name)
            # A small place known by this name only as an alternate spelling is noise: the
            # alternate names of GeoNames hold every language's transcription of every village.
            found = tuple(
                c
                for c in found
                if c.preferred
                or c.kind != "city"
                or c.population >= self.weights.alternate_min_population
            )
            if toponym.entity_type == "FACILITY":
                found = tuple(c for c in found if c.kind == "facility")
            if found:
                return list(found), form.kind
        return [], None

    def resolve(self, toponyms: Sequence[Toponym], language: str) -> list[Resolution]:
        """Resolve a document's toponyms together (each one is context for the others).

        A name said twice is one toponym: it gets one place, and does not vote for itself.
        """
        firsts: dict[tuple[str, str | None], Toponym] = {}
        for toponym in toponyms:
            firsts.setdefault(_key(toponym), toponym)
        resolved = self._resolve_distinct(list(firsts.values()), language)
        by_key = dict(zip(firsts, resolved, strict=True))
        return [
            Resolution(t, r.place, r.confidence, r.candidates)
            for t in toponyms
            for r in [by_key[_key(t)]]
        ]

    def _resolve_distinct(self, toponyms: Sequence[Toponym], language: str) -> list[Resolution]:
        options = [self.candidates(toponym, language) for toponym in toponyms]
        priors = [
            self._priors(found, toponym, hint)
            for toponym, (found, hint) in zip(toponyms, options, strict=True)
        ]
        scores = priors
        for _ in range(self.weights.rounds):
            beliefs = [
                _Belief.of(found, row) for (found, _), row in zip(options, scores, strict=True)
            ]
            scores = []
            for position, ((found, _), row_priors) in enumerate(zip(options, priors, strict=True)):
                # A toponym's candidates mostly share countries and regions: each one's chance
                # that no other toponym shares it is worked out once per round.
                none_sharing: dict[tuple[str, str], float] = {}
                scores.append(
                    [
                        prior + self._context(candidate, beliefs, position, none_sharing)
                        for candidate, prior in zip(found, row_priors, strict=True)
                    ]
                )
        choice = [_best(row) for row in scores]
        resolutions = []
        for toponym, (found, _), row, index in zip(toponyms, options, scores, choice, strict=True):
            if index is None:
                resolutions.append(Resolution(toponym, None, 0.0, 0))
                continue
            top = max(row)
            share = 1.0 / sum(math.exp(score - top) for score in row)
            resolutions.append(Resolution(toponym, found[index], round(share, 3), len(found)))
        return resolutions

    def _priors(self, found: list[Candidate], toponym: Toponym, hint: str | None) -> list[float]:
        scores = [self._prior(c, toponym, hint) for c in found]
        # "Pyongyang", "Moscow", "New York": the region named after its main city is rarely
        # what a bare name means.
        cities = {c.admin1_code for c in found if c.kind == "city" and c.preferred}
        return [
            score + self.weights.region_named_after_its_city
            if c.kind == "region" and c.level == 1 and c.admin1_code in cities
            else score
            for c, score in zip(found, scores, strict=True)
        ]

    def _prior(self, candidate: Candidate, toponym: Toponym, hint: str | None) -> float:
        w = self.weights
        kind = candidate.kind
        if kind == "region" and candidate.level:
            kind = f"region{candidate.level}"
        score = self._kind_prior.get(kind, 0.0)
        score += w.population * math.log10(candidate.population + 1)
        score += w.preferred_name if candidate.preferred else 0.0
        score += w.capital if candidate.capital else 0.0
        score += w.loose_match if candidate.loose else 0.0
        if hint is not None:
            score += w.announced_kind if candidate.kind == hint else w.other_kind_announced
        if toponym.entity_type == "LOC" and candidate.kind == "city":
            score += w.loc_is_town
        return score

    def _support(self, probability: float | None) -> float:
        """How much another toponym's probability of agreeing counts: raised to a power below
        one, so that two places that fit each other (Huntsville and Walker County, Texas) lift
        each other even while each one's own prior still points elsewhere."""
        if not probability:
            return 0.0
        return min(probability, 1.0) ** self.weights.agreement_exponent

    def _context(
        self,
        candidate: Candidate,
        beliefs: list[_Belief],
        position: int,
        none_sharing: dict[tuple[str, str], float],
    ) -> float:
        """How well the candidate fits the document's other places, as currently believed.

        Each term is the probability that at least one other place shares the candidate's
        country, its first-level region, or lies near it. `none_sharing` remembers, for the
        toponym at `position`, the chance that no other shares a country or a region.
        """
        w = self.weights
        support = self._support
        country, admin1, place = candidate.country, candidate.admin1_code, candidate.place
        lat, lon = candidate.lat, candidate.lon
        none_same_country = none_same_admin1 = 1.0
        if country:
            none_same_country = self._none_sharing(
                beliefs, position, "country", country, none_sharing
            )
        if admin1:
            none_same_admin1 = self._none_sharing(beliefs, position, "admin1", admin1, none_sharing)
        none_near = 1.0
        if candidate.kind not in _WIDE_KINDS:
            slack = _NEARBY_LATITUDE_SLACK * w.nearby_km
            for index, belief in enumerate(beliefs):
                if index == position or not belief.candidates:
                    continue
                # The latitude gap first: it is a lower bound of the distance, and most
                # pairs of a document's candidates are far apart.
                near = sum(
                    p
                    for other, p in belief.points
                    if abs(other.lat - lat) < slack
                    and other.place != place
                    and distance_km(lat, lon, other.lat, other.lon) < w.nearby_km
                )
                none_near *= 1.0 - support(near)
        return (
            w.same_country * (1.0 - none_same_country)
            + w.same_admin1 * (1.0 - none_same_admin1)
            + w.nearby * (1.0 - none_near)
        )

    def _none_sharing(
        self,
        beliefs: list[_Belief],
        position: int,
        level: str,
        code: str,
        known: dict[tuple[str, str], float],
    ) -> float:
        """The chance that no toponym but the one at `position` lies in the country or
        first-level region `code` (`level`: "country" or "admin1"), remembered in `known`."""
        chance = known.get((level, code))
        if chance is None:
            chance = 1.0
            for index, belief in enumerate(beliefs):
                if index == position or not belief.candidates:
                    continue
                shares = belief.countries if level == "country" else belief.admin1s
                chance *= 1.0 - self._support(shares.get(code))
            known[(level, code)] = chance
        return chance


# Degrees of latitude per km of great-circle distance, with a margin for rounding: two places
# further apart in latitude than this times a distance are further apart than that distance.
_NEARBY_LATITUDE_SLACK = 1.001 * 180 / (math.pi * 6371.0088)


# Places too wide for "near" to mean anything.
_WIDE_KINDS = frozenset({"country", "continent", "region", "water"})


@dataclass(frozen=True, slots=True)
class _Belief:
    """What is currently believed of one toponym: its candidates' probabilities, summed by
    country and by first-level region, and the likely ones that are points (for nearness)."""

    candidates: int
    countries: dict[str, float]
    admin1s: dict[str, float]
    points: list[tuple[Candidate, float]]

    @classmethod
    def of(cls, found: list[Candidate], scores: list[float]) -> _Belief:
        if not found:
            return cls(0, {}, {}, [])
        top = max(scores)
        weights = [math.exp(score - top) for score in scores]
        total = sum(weights)
        countries: dict[str, float] = {}
        admin1s: dict[str, float] = {}
        points = []
        for candidate, weight in zip(found, weights, strict=True):
            p = weight / total
            if candidate.country:
                countries[candidate.country] = countries.get(candidate.country, 0.0) + p
            if candidate.admin1_code:
                admin1s[candidate.admin1_code] = admin1s.get(candidate.admin1_code, 0.0) + p
            if p >= 0.05 and candidate.kind not in _WIDE_KINDS:
                points.append((candidate, p))
        return cls(len(found), countries, admin1s, points)


def _key(toponym: Toponym) -> tuple[str, str | None]:
    return plain_key(toponym.text), toponym.entity_type


def _best(scores: list[float]) -> int | None:
    if not scores:
        return None
    return max(range(len(scores)), key=scores.__getitem__)
