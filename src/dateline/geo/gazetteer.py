"""Reading the gazetteer index: the candidate places for a name."""

from __future__ import annotations

import math
import os
import sqlite3
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dateline.errors import SetupError
from dateline.geo.build import build_index, default_index_path, index_is_current
from dateline.geo.names import loose_keys, plain_key


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may denote, as the index knows it, and how the name matched it."""

    place: int
    geonames_id: int | None
    name: str
    kind: str  # continent, country, region, city, island, facility, water, mountain, area
    level: int  # 1 or 2 for GeoNames admin1/admin2 regions, else 0
    lat: float
    lon: float
    country: str | None
    admin1_code: str | None
    admin1: str | None
    population: int
    capital: bool
    preferred: bool  # matched one of its main names, not an alternate
    loose: bool  # matched only after folding transliteration variants


_COLUMNS = (
    "p.id, p.geonames_id, p.name, p.kind, p.level, p.lat, p.lon, p.country, p.admin1_code, "
    "p.admin1, p.population, p.capital"
)


def index_path() -> Path:
    """`DATELINE_GAZETTEER` if set, else the index beside the environment."""
    configured = os.environ.get("DATELINE_GAZETTEER")
    return Path(configured) if configured else default_index_path()


def ensure_index(path: Path) -> Path:
    """Build the index if it is missing or from another version (normally `make` did it)."""
    if not index_is_current(path):
        print(f"dateline: building the gazetteer index at {path} (once)", file=sys.stderr)
        try:
            build_index(path)
        except OSError as error:
            raise SetupError(f"cannot build the gazetteer index at {path}: {error}") from error
    return path


class Gazetteer:
    """Candidate places by name, from the index built by `dateline gazetteer build`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = ensure_index(path or index_path())
        # Read-only, shared across threads of one process; each process opens its own.
        self._connection = sqlite3.connect(
            f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
        )
        self.lookup = lru_cache(maxsize=65536)(self._lookup)

    def _lookup(self, name: str) -> tuple[Candidate, ...]:
        """Places with this name: by its plain key, else by its loose key."""
        key = plain_key(name)
        if not key:
            return ()
        # "St. Petersburg" is looked up as written and with its abbreviations spelt out.
        keys = sorted({key, loose_keys().expand(key)})
        rows = self._connection.execute(
            f"SELECT {_COLUMNS}, MAX(n.preferred) FROM names n JOIN places p ON p.id = n.place "
            f"WHERE n.key IN ({','.join('?' * len(keys))}) GROUP BY p.id",
            keys,
        ).fetchall()
        loose = False
        if not rows:
            loose = True
            rows = self._connection.execute(
                f"SELECT {_COLUMNS}, MAX(n.preferred) FROM names n "
                "JOIN places p ON p.id = n.place WHERE n.loose = ? GROUP BY p.id",
                (loose_keys()(key),),
            ).fetchall()
        return tuple(Candidate(*row[:12], preferred=bool(row[12]), loose=loose) for row in rows)

    def country(self, iso: str) -> Candidate | None:
        row = self._connection.execute(
            f"SELECT {_COLUMNS}, 1 FROM places p WHERE p.kind = 'country' AND p.country = ?",
            (iso,),
        ).fetchone()
        return Candidate(*row[:12], preferred=True, loose=False) if row else None

    def by_geonames_id(self, geonames_id: int) -> Candidate | None:
        row = self._connection.execute(
            f"SELECT {_COLUMNS}, 1 FROM places p WHERE p.geonames_id = ?", (geonames_id,)
        ).fetchone()
        return Candidate(*row[:12], preferred=True, loose=False) if row else None

    def close(self) -> None:
        self._connection.close()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
