"""`dateline eval entities GOLD`: named-entity mentions against a gold `docs.jsonl`.

The gold format is the one of `shared/data/hipe2022_fr` (HIPE coarse types `pers`, `org`,
`loc`, `prod`, `time`; metonymic readings are extra entries), or a geoparsing set whose
`toponyms` are its only gold (then only `loc` means anything). dateline's types map onto them
(PERSON -> pers, ORG -> org, GPE/LOC/FACILITY -> loc, EQUIPMENT -> prod); `time` is left out
(times are their own part of the record), and so are metonymic readings. Scores are micro
precision/recall/F1, strict (same span and type) and partial (overlapping span, same type),
overall and per type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dateline.evaluation.gold import analysed, read_gold
from dateline.evaluation.scores import Score
from dateline.pipeline import Pipeline
from dateline.record import Record

TYPE_MAP = {
    "PERSON": "pers",
    "ORG": "org",
    "GPE": "loc",
    "LOC": "loc",
    "FACILITY": "loc",
    "EQUIPMENT": "prod",
}
SCORED_TYPES = ("pers", "org", "loc", "prod")


@dataclass(slots=True)
class EntityReport:
    documents: int = 0
    strict: dict[str, Score] = field(default_factory=dict)
    partial: dict[str, Score] = field(default_factory=dict)


Mention = tuple[int, int, str]


def gold_mentions(item: dict) -> list[Mention]:
    mentions = [
        (entity["start"], entity["end"], entity["type"])
        for entity in item.get("entities", [])
        if entity["type"] in SCORED_TYPES and not entity.get("metonymic")
    ]
    # Geoparsing sets (`shared/data/geoparsing_en`) give only toponyms: places.
    mentions += [(top["start"], top["end"], "loc") for top in item.get("toponyms", [])]
    return mentions


def predicted_mentions(record: Record) -> list[Mention]:
    return [
        (mention.start, mention.end, TYPE_MAP[entity.type])
        for entity in record.entities
        if entity.type in TYPE_MAP
        for mention in entity.mentions
    ]


def evaluate_entities(path: Path, pipeline: Pipeline, language: str | None = None) -> EntityReport:
    report = EntityReport()
    for item, record in analysed(read_gold(path), pipeline, language):
        report.documents += 1
        _score(gold_mentions(item), predicted_mentions(record), report)
    return report


def _score(gold: list[Mention], predicted: list[Mention], report: EntityReport) -> None:
    for type_ in ("all", *SCORED_TYPES):
        wanted = [m for m in gold if type_ in ("all", m[2])]
        found = [m for m in predicted if type_ in ("all", m[2])]
        report.strict.setdefault(type_, Score()).add(found, wanted)
        partial = report.partial.setdefault(type_, Score())
        matched = _overlap_matches(found, wanted)
        partial.tp += matched
        partial.fp += len(found) - matched
        partial.fn += len(wanted) - matched


def _overlap_matches(found: list[Mention], wanted: list[Mention]) -> int:
    """One-to-one pairs of overlapping mentions of the same type."""
    used: set[int] = set()
    matched = 0
    for start, end, type_ in found:
        for index, (gold_start, gold_end, gold_type) in enumerate(wanted):
            if index not in used and gold_type == type_ and start < gold_end and gold_start < end:
                used.add(index)
                matched += 1
                break
    return matched
