"""`dateline eval anatomy DIR`: the article anatomy against hand-annotated articles.

DIR holds pairs `NAME.txt` (an article, optionally with a `date` header) and `NAME.json`
(its annotation: dateline, authors, agencies, contributors, tags, debris, names that must not
become entities, people the story is about). Every part is scored as precision/recall/F1 over
exact strings; entity leaks are counted on the full pipeline's output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dateline.evaluation.articles import analysed_articles
from dateline.evaluation.scores import Score
from dateline.pipeline import Pipeline
from dateline.record import Record

PARTS = (
    "dateline place",
    "dateline agency",
    "dateline date",
    "authors",
    "agencies",
    "contributor people",
    "contributor places",
    "tags",
    "debris",
)


@dataclass(slots=True)
class AnatomyReport:
    articles: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {part: Score() for part in PARTS})
    debris_by_kind: dict[str, Score] = field(default_factory=dict)
    leaked_entities: list[tuple[str, str]] = field(default_factory=list)
    missed_people: list[tuple[str, str]] = field(default_factory=list)
    people_expected: int = 0


def evaluate_anatomy(folder: Path, pipeline: Pipeline) -> AnatomyReport:
    report = AnatomyReport()
    for article, gold, record in analysed_articles(folder, pipeline):
        report.articles += 1
        _score_article(record, gold, report, article.stem)
    return report


def _score_article(record: Record, gold: dict, report: AnatomyReport, name: str) -> None:
    structure = record.structure
    scores = report.scores
    dateline = structure.dateline
    gold_dateline = gold.get("dateline") or {}
    scores["dateline place"].add(
        [_first_part(dateline.place.text)] if dateline and dateline.place else [],
        [_first_part(gold_dateline["place"])] if gold_dateline.get("place") else [],
    )
    scores["dateline agency"].add(
        [dateline.agency.text] if dateline and dateline.agency else [],
        [gold_dateline["agency"]] if gold_dateline.get("agency") else [],
    )
    scores["dateline date"].add(
        [dateline.date.text] if dateline and dateline.date else [],
        [gold_dateline["date"]] if gold_dateline.get("date") else [],
    )
    byline = structure.byline
    scores["authors"].add(
        [a.text for a in byline.authors] if byline else [], gold.get("authors", [])
    )
    scores["agencies"].add(
        [a.text for a in byline.agencies] if byline else [], gold.get("agencies", [])
    )
    notes = gold.get("contributors", [])
    scores["contributor people"].add(
        [p.text for note in structure.contributors for p in note.people],
        [person for note in notes for person in _names(note.get("person"))],
    )
    scores["contributor places"].add(
        [note.place.text for note in structure.contributors if note.place],
        [note["place"] for note in notes if note.get("place")],
    )
    scores["tags"].add([tag.text for tag in structure.tags], gold.get("tags", []))
    found_debris = [(d.kind, d.text) for d in structure.debris]
    gold_debris = [(d["kind"], d["text"]) for d in gold.get("debris", [])]
    scores["debris"].add(found_debris, gold_debris)
    for kind in {kind for kind, _ in found_debris + gold_debris}:
        report.debris_by_kind.setdefault(kind, Score()).add(
            [item for item in found_debris if item[0] == kind],
            [item for item in gold_debris if item[0] == kind],
        )
    names = [mention.text for entity in record.entities for mention in entity.mentions]
    for forbidden in gold.get("must_not_be_entities", []):
        if any(forbidden in found for found in names):
            report.leaked_entities.append((name, forbidden))
    if record.language == "fr":  # English has no NER model yet: nothing to check there
        people = {e.name for e in record.entities if e.type == "PERSON"}
        for person in gold.get("people_in_story", []):
            report.people_expected += 1
            if not any(person in found or found in person for found in people):
                report.missed_people.append((name, person))


def _first_part(place: str) -> str:
    return place.split(",")[0].strip().casefold()


def _names(person: str | None) -> list[str]:
    if not person:
        return []
    parts = person.replace(" et ", ", ").replace(" and ", ", ").split(",")
    return [part.strip() for part in parts if part.strip()]
