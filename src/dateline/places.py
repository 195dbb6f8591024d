"""The places stage: every place entity of a record gets its place in the gazetteer, or says
it has none.

Place entities are GPE, LOC and FACILITY entities (a FACILITY only resolves to a facility the
gazetteer knows, such as a cosmodrome: a station is not put on its town). An entity is
resolved by the mention that names it most fully, in the context of the document's other
places (`geo/resolve.py`). "Moscou" standing for the Russian government is still a mention of
Moscow: the entity keeps its type, the place is Moscow's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dateline.geo.gazetteer import Gazetteer
from dateline.geo.resolve import PlaceResolver, Toponym
from dateline.record import Place

if TYPE_CHECKING:
    from dateline.pipeline import Analysis

PLACE_ENTITY_TYPES = frozenset({"GPE", "LOC", "FACILITY"})


class ResolvePlaces:
    name = "places"
    requires = ("record.entities",)
    provides = ("record.places",)

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer
        self._resolver: PlaceResolver | None = None

    @property
    def resolver(self) -> PlaceResolver:
        # Opened on first use, so building a pipeline that never meets a place costs nothing.
        if self._resolver is None:
            self._resolver = PlaceResolver(self._gazetteer or Gazetteer())
        return self._resolver

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            record = analysis.record
            entities = [e for e in record.entities if e.type in PLACE_ENTITY_TYPES]
            toponyms = [Toponym(entity.name, entity.type) for entity in entities]
            resolutions = self.resolver.resolve(toponyms, record.language)
            record.places = [
                Place(entity=entity.id, name=entity.name, resolved=False)
                if resolution.place is None
                else Place(
                    entity=entity.id,
                    name=resolution.place.name,
                    lat=round(resolution.place.lat, 5),
                    lon=round(resolution.place.lon, 5),
                    country=resolution.place.country,
                    admin1=resolution.place.admin1,
                    geonames_id=resolution.place.geonames_id,
                    kind=resolution.place.kind,
                    resolved=True,
                    confidence=resolution.confidence,
                )
                for entity, resolution in zip(entities, resolutions, strict=True)
            ]
