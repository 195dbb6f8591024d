"""Exports of a store for other tools.

- `parquet` and `csv`: one file per table, written by DuckDB itself (types kept in Parquet);
- `jsonl`: the records, one per line, exactly as `dateline extract` prints them;
- `geojson`: places and corpus events. A place feature is one place of the world (one GeoNames
  id, or one name and point for places without one), whatever the documents called it:
  "Moscou" in one article and "Moscow" in another are one feature, listing both documents,
  the names they used, and the events they place there. An event feature is one corpus event
  at its place, with its dates, type, factuality and sources;
- `jsonld`: corpus events as schema.org `Event`s (JSON-LD), for knowledge graphs and search.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dateline.store import Store

# Every table a person may want outside dateline (the LSH bands and signatures are internal).
EXPORTED_TABLES = (
    "documents", "entities", "mentions", "times", "places", "events", "quotes", "quarantine",
    "corpus_entities", "corpus_events",
)  # fmt: skip

PLACES_SQL = """
SELECT p.geonames_id, p.name, p.kind, p.country, p.admin1, p.lat, p.lon,
       d.id AS document, d.title, d.published, e.name AS named_as,
       (SELECT count(*) FROM mentions m
         WHERE m.doc_key = p.doc_key AND m.entity_id = p.entity_id) AS mentions,
       (SELECT list({'event': v.event_id, 'type': v.type, 'factuality': v.factuality})
          FROM events v WHERE v.doc_key = p.doc_key AND v.place = p.entity_id) AS events
FROM places p
JOIN documents d ON d.doc_key = p.doc_key
JOIN entities e ON e.doc_key = p.doc_key AND e.entity_id = p.entity_id
WHERE p.resolved
ORDER BY p.name, d.id
"""


def export_tables(store: Store, folder: Path, fmt: str) -> list[Path]:
    """Write each table to `folder/<table>.<fmt>` (`parquet` or `csv`); return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER"
    written = []
    for table in EXPORTED_TABLES:
        path = folder / f"{table}.{fmt}"
        store.copy_table(table, path, options)
        written.append(path)
    return written


def records_jsonl(store: Store) -> Iterator[str]:
    """The stored records, one JSON line each, in publication order."""
    result = store.execute(
        "SELECT record FROM documents ORDER BY published_earliest NULLS LAST, id, doc_key"
    )
    for (record,) in result.rows:
        yield json.dumps(json.loads(record), ensure_ascii=False)


def places_geojson(store: Store) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the store's resolved places."""
    result = store.query(PLACES_SQL)
    features: dict[Any, dict[str, Any]] = {}
    for row in result.rows:
        item = dict(zip(result.columns, row, strict=True))
        key = item["geonames_id"] or (item["name"], item["lat"], item["lon"])
        feature = features.get(key)
        if feature is None:
            feature = features[key] = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [item["lon"], item["lat"]]},
                "properties": {
                    "name": item["name"],
                    "kind": item["kind"],
                    "country": item["country"],
                    "admin1": item["admin1"],
                    "geonames_id": item["geonames_id"],
                    "mentions": 0,
                    "names": [],
                    "documents": [],
                    "events": [],
                },
            }
        properties = feature["properties"]
        properties["mentions"] += item["mentions"]
        if item["named_as"] not in properties["names"]:
            properties["names"].append(item["named_as"])
        properties["documents"].append(
            {"id": item["document"], "title": item["title"], "published": item["published"]}
        )
        properties["events"] += [
            {"document": item["document"], **event} for event in item["events"] or []
        ]
    return {"type": "FeatureCollection", "features": list(features.values())}


EVENTS_SQL = """
SELECT c.*, p.name AS place_name, pl.lat, pl.lon, pl.geonames_id,
       f.sentence AS description, fd.id AS first_document,
       (SELECT list({'name': n.name, 'type': n.type} ORDER BY a.idx)
          FROM UNNEST(c.actors) WITH ORDINALITY AS a(id, idx)
          JOIN corpus_entities n ON n.corpus_id = a.id) AS actor_list,
       (SELECT list({'name': n.name, 'type': n.type} ORDER BY a.idx)
          FROM UNNEST(c.targets) WITH ORDINALITY AS a(id, idx)
          JOIN corpus_entities n ON n.corpus_id = a.id) AS target_list,
       (SELECT list({'document': d.id, 'published': d.published, 'start': e.sentence_start,
                     'end': e.sentence_end, 'factuality': e.factuality}
                    ORDER BY d.published_earliest, d.id)
          FROM events e JOIN documents d USING (doc_key)
          WHERE e.corpus_event_id = c.corpus_event_id) AS report_list
FROM corpus_events c
LEFT JOIN corpus_entities p ON p.corpus_id = c.place_id
LEFT JOIN events f ON f.doc_key = c.first_doc_key AND f.event_id = c.first_event_id
LEFT JOIN documents fd ON fd.doc_key = c.first_doc_key
LEFT JOIN places pl ON pl.doc_key = f.doc_key AND pl.entity_id = f.place AND pl.resolved
ORDER BY c.earliest NULLS LAST, c.corpus_event_id
"""


def corpus_events(store: Store) -> list[dict[str, Any]]:
    result = store.execute(EVENTS_SQL)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def events_geojson(store: Store) -> list[dict[str, Any]]:
    """One GeoJSON feature per corpus event whose place was resolved to a point."""
    features = []
    for event in corpus_events(store):
        if event["lat"] is None or event["lon"] is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [event["lon"], event["lat"]]},
                "properties": {
                    "feature": "event",
                    "corpus_event_id": event["corpus_event_id"],
                    "type": event["type"],
                    "mode": event["mode"],
                    "factuality": event["factuality"],
                    "earliest": _iso(event["earliest"]),
                    "latest": _iso(event["latest"]),
                    "place": event["place_name"],
                    "country": event["country"],
                    "description": event["description"],
                    "actors": [a["name"] for a in event["actor_list"] or []],
                    "targets": [t["name"] for t in event["target_list"] or []],
                    "sources": event["sources"],
                    "reports": event["report_list"] or [],
                },
            }
        )
    return features


def store_geojson(store: Store) -> dict[str, Any]:
    """Places and events of a store in one FeatureCollection (`properties.feature` tells)."""
    places = places_geojson(store)["features"]
    for feature in places:
        feature["properties"] = {"feature": "place", **feature["properties"]}
    return {"type": "FeatureCollection", "features": places + events_geojson(store)}


# Stances a schema.org EventStatus can express; asserted and reported events have none to add.
EVENT_STATUS = {
    "future": "https://schema.org/EventScheduled",
    "negated": "https://schema.org/EventCancelled",
}
SCHEMA_TYPES = {"PERSON": "Person", "ORG": "Organization", "PLACE": "Place"}


def events_jsonld(store: Store) -> dict[str, Any]:
    """Corpus events as a JSON-LD graph of schema.org `Event`s.

    Actors are `actor`, targets `about`, the place `location` (a `Place` with `geo` and
    `address.addressCountry`), the reports `subjectOf` (`NewsArticle`s with their
    `datePublished`), the PLOVER type and factuality `additionalProperty` values; a future
    event is `EventScheduled` and a negated one `EventCancelled`.
    """
    graph = []
    for event in corpus_events(store):
        item: dict[str, Any] = {
            "@type": "Event",
            "@id": f"urn:dateline:event:{event['corpus_event_id']}",
            "name": _event_name(event),
            "description": " ".join((event["description"] or "").split()) or None,
            # An event no report dates has only its reports' publication dates (subjectOf).
            "startDate": _iso(event["earliest"]) if event["dated"] else None,
            "endDate": _iso(event["latest"]) if event["dated"] else None,
            "actor": [_thing(a) for a in event["actor_list"] or []],
            "about": [_thing(t) for t in event["target_list"] or []],
            "subjectOf": [
                {
                    "@type": "NewsArticle",
                    "identifier": report["document"],
                    "datePublished": report["published"],
                }
                for report in _one_per_document(event["report_list"] or [])
            ],
            "additionalProperty": [
                {"@type": "PropertyValue", "name": "ploverType", "value": event["type"]},
                {"@type": "PropertyValue", "name": "ploverMode", "value": event["mode"]},
                {"@type": "PropertyValue", "name": "factuality", "value": event["factuality"]},
                {"@type": "PropertyValue", "name": "independentSources", "value": event["sources"]},
            ],
        }
        if event["factuality"] in EVENT_STATUS:
            item["eventStatus"] = EVENT_STATUS[event["factuality"]]
        if event["place_name"] or event["country"]:
            place: dict[str, Any] = {"@type": "Place", "name": event["place_name"]}
            if event["lat"] is not None:
                place["geo"] = {
                    "@type": "GeoCoordinates",
                    "latitude": event["lat"],
                    "longitude": event["lon"],
                }
            if event["country"]:
                place["address"] = {"@type": "PostalAddress", "addressCountry": event["country"]}
            if event["geonames_id"]:
                place["sameAs"] = f"https://sws.geonames.org/{event['geonames_id']}/"
            item["location"] = place
        graph.append({key: value for key, value in item.items() if value not in (None, [])})
    return {"@context": "https://schema.org", "@graph": graph}


def _one_per_document(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    return [r for r in reports if not (r["document"] in seen or seen.add(r["document"]))]


def _event_name(event: dict[str, Any]) -> str:
    actors = ", ".join(a["name"] for a in event["actor_list"] or [])
    targets = ", ".join(t["name"] for t in event["target_list"] or [])
    name = event["type"].lower()
    if actors:
        name = f"{actors}: {name}"
    if targets:
        name = f"{name} → {targets}"
    return name


def _thing(entity: dict[str, Any]) -> dict[str, Any]:
    return {"@type": SCHEMA_TYPES.get(entity["type"], "Thing"), "name": entity["name"]}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
