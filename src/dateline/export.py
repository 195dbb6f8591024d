"""Exports of a store for other tools: GeoJSON of places (more formats come with the corpus work).

A GeoJSON feature is one place of the world (one GeoNames id, or one name and point for
places without one), whatever the documents called it: "Moscou" in one article and "Moscow"
in another are one feature, listing both documents, the names they used, and the events they
place there.
"""

from __future__ import annotations

from typing import Any

from dateline.store import Store

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
