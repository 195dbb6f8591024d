"""Knowledge base: an offline entity index from a Wikidata dump, and linking to it.

`dateline kb import DUMP --kb FILE` streams a Wikidata JSON dump (one entity per line inside a
JSON array, as Wikidata publishes it; `.json` or `.json.gz`) or a slice of it, and keeps, for the
languages dateline reads, labels and aliases, a coarse type (from P31 "instance of"), the country
(P17 or P27) and coordinates (P625), in a DuckDB file. Memory stays bounded: lines are parsed one
by one and written in batches.

Linking (`KnowledgeBase.link`) fills `entity.kb["wikidata"]` when the entity's name or aliases
match the names of exactly one KB entry of a compatible type; when several match, the countries
of the document's other linked places break the tie; otherwise the entity stays unlinked.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dateline.entities import NameKeys
from dateline.errors import DatelineError
from dateline.record import Entity, Record
from dateline.resources import PerLanguage, available_languages, load_language

# P31 values (instance of) -> RECORD.md entity type. Facts of Wikidata's class hierarchy.
INSTANCE_TYPES = {
    "Q5": "PERSON",
    "Q6256": "GPE",  # country
    "Q3624078": "GPE",  # sovereign state
    "Q515": "GPE",  # city
    "Q1549591": "GPE",  # big city
    "Q486972": "GPE",  # human settlement
    "Q5119": "GPE",  # capital
    "Q10864048": "GPE",  # first-level administrative division
    "Q23442": "LOC",  # island
    "Q8502": "LOC",  # mountain
    "Q4022": "LOC",  # river
    "Q43229": "ORG",  # organization
    "Q4830453": "ORG",  # business
    "Q7278": "ORG",  # political party
    "Q1752346": "ORG",  # news agency
    "Q327333": "ORG",  # government agency
    "Q484652": "ORG",  # international organization
    "Q13418847": "EVENT",  # historical event
    "Q728": "EQUIPMENT",  # weapon
    "Q2811": "EQUIPMENT",  # submarine
    "Q11436": "EQUIPMENT",  # aircraft
    "Q13226383": "FACILITY",  # facility
    "Q3918": "FACILITY",  # university
}
COMPATIBLE = {"GPE": {"GPE", "LOC"}, "LOC": {"GPE", "LOC"}}
BATCH = 5000

SCHEMA = """
CREATE TABLE IF NOT EXISTS kb_entities (
    qid VARCHAR PRIMARY KEY, label VARCHAR, type VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE
);
CREATE TABLE IF NOT EXISTS kb_names (key VARCHAR, language VARCHAR, qid VARCHAR);
"""


@dataclass(slots=True)
class ImportReport:
    read: int = 0
    kept: int = 0


def _lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        yield from lines


def _claim_id(entity: dict, prop: str) -> str | None:
    for claim in entity.get("claims", {}).get(prop, []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and "id" in value:
            return value["id"]
    return None


def _coordinates(entity: dict) -> tuple[float | None, float | None]:
    for claim in entity.get("claims", {}).get("P625", []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict):
            return value.get("latitude"), value.get("longitude")
    return None, None


def _type(entity: dict) -> str:
    for claim in entity.get("claims", {}).get("P31", []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and value.get("id") in INSTANCE_TYPES:
            return INSTANCE_TYPES[value["id"]]
    return "OTHER"


def import_dump(
    dump: Path, kb_path: Path, on_progress: Callable[[ImportReport], None] | None = None
) -> ImportReport:
    """Build (or extend) the KB file from a Wikidata JSON dump or slice."""
    if not dump.is_file():
        raise DatelineError(f"{dump}: no such file")
    languages = available_languages()
    keys = {code: NameKeys(load_language(code)) for code in languages}
    report = ImportReport()
    con = duckdb.connect(str(kb_path))
    con.execute(SCHEMA)
    entities: list[tuple] = []
    names: list[tuple] = []
    try:
        for number, raw in enumerate(_lines(dump), start=1):
            line = raw.strip().rstrip(",")
            if line in ("", "[", "]"):
                continue
            try:
                entity = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatelineError(f"{dump}:{number}: not a JSON entity ({error.msg})") from None
            report.read += 1
            row, entity_names = _entry(entity, languages, keys)
            if row is None:
                continue
            entities.append(row)
            names += entity_names
            report.kept += 1
            if len(entities) >= BATCH:
                _flush(con, entities, names)
                entities, names = [], []
                if on_progress:
                    on_progress(report)
        _flush(con, entities, names)
    finally:
        con.close()
    return report


def _entry(entity: dict, languages, keys) -> tuple[tuple | None, list[tuple]]:
    qid = entity.get("id")
    if not qid or entity.get("type", "item") != "item":
        return None, []
    labels = entity.get("labels", {})
    aliases = entity.get("aliases", {})
    names = []
    for code in languages:
        forms = [labels[code]["value"]] if code in labels else []
        forms += [alias["value"] for alias in aliases.get(code, [])]
        for form in forms:
            key = " ".join(keys[code].words(form))
            if key:
                names.append((key, code, qid))
    if not names:
        return None, []
    label = next((labels[code]["value"] for code in languages if code in labels), qid)
    country = _claim_id(entity, "P17") or _claim_id(entity, "P27")
    lat, lon = _coordinates(entity)
    return (qid, label, _type(entity), country, lat, lon), sorted(set(names))


def _flush(con: duckdb.DuckDBPyConnection, entities: list[tuple], names: list[tuple]) -> None:
    if entities:
        con.executemany("INSERT OR REPLACE INTO kb_entities VALUES (?, ?, ?, ?, ?, ?)", entities)
    if names:
        con.executemany("INSERT INTO kb_names VALUES (?, ?, ?)", names)


class KnowledgeBase:
    """A KB file opened read-only, and the linking of a record's entities to it."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise DatelineError(
                f"{path}: no such knowledge base (build it with `dateline kb import`)"
            )
        self._con = duckdb.connect(str(path), read_only=True)
        self._keys = PerLanguage(NameKeys)

    def candidates(self, key: str) -> list[tuple[str, str, str | None]]:
        return self._con.execute(
            "SELECT DISTINCT e.qid, e.type, e.country FROM kb_names n JOIN kb_entities e "
            "USING (qid) WHERE n.key = ? ORDER BY e.qid",
            [key],
        ).fetchall()

    def link(self, record: Record) -> None:
        keys = self._keys[record.language]
        pending: list[tuple[Entity, list[tuple[str, str, str | None]]]] = []
        countries: set[str] = set()
        for entity in record.entities:
            found: dict[str, tuple[str, str, str | None]] = {}
            for form in [entity.name, *entity.aliases]:
                for candidate in self.candidates(" ".join(keys.words(form))):
                    if candidate[1] in COMPATIBLE.get(entity.type, {entity.type}):
                        found[candidate[0]] = candidate
            if len(found) == 1:
                qid, _, country = next(iter(found.values()))
                entity.kb["wikidata"] = qid
                countries |= {country, qid} - {None}
            elif found:
                pending.append((entity, list(found.values())))
        # Several candidates: the one of a country the document already speaks of, if only one.
        for entity, candidates in pending:
            local = [c for c in candidates if c[2] in countries]
            if len(local) == 1:
                entity.kb["wikidata"] = local[0][0]

    def close(self) -> None:
        self._con.close()
