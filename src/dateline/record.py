"""The record: the vocabulary every stage speaks.

`Document` is what the reader produces; `Record` is what the pipeline returns and what
`dateline extract` prints (schema_version 1, as `shared/RECORD.md` fixes it). Items that point
into the text carry `start`/`end` as Python `str` indices into `Record.text`, end exclusive, so
`record.text[item.start:item.end] == item.text` always holds.

Extensions to RECORD.md (allowed by it, documented in the README): `title`, `source` and
`structure` (the article's anatomy: dateline, byline, contributor notes, tags, body, debris).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

from dateline.published import Published

SCHEMA_VERSION = 1

EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "FACILITY", "EQUIPMENT", "EVENT", "OTHER"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
Factuality = Literal["asserted", "reported", "possible", "future", "negated"]


@dataclass(slots=True)
class Document:
    """One article as read: its body text and what is known about it before analysis.

    `language` is a hint (from `--lang` or the input); `None` means "detect it".
    `source` names where it came from (a path, `path:line` for JSONL), for messages and the store.
    """

    id: str
    text: str
    source: str
    published: Published | None = None
    language: str | None = None
    title: str | None = None


@dataclass(slots=True)
class Mention:
    """A stretch of the record's text: `text == record.text[start:end]`."""

    start: int
    end: int
    text: str


Span = Mention


@dataclass(slots=True)
class NamedSpan:
    """A span that names something, with the id of the entity it became (if any)."""

    start: int
    end: int
    text: str
    entity: str | None = None


@dataclass(slots=True)
class Dateline:
    """A wire dateline ("ISTANBUL (AP) —"): where the story was filed, by which agency, when."""

    start: int
    end: int
    text: str
    place: NamedSpan | None = None
    agency: NamedSpan | None = None
    date: Span | None = None


@dataclass(slots=True)
class Byline:
    """The article's authors (PERSON) and agencies (ORG); `spans` are the byline lines."""

    spans: list[Span] = field(default_factory=list)
    authors: list[NamedSpan] = field(default_factory=list)
    agencies: list[NamedSpan] = field(default_factory=list)


@dataclass(slots=True)
class ContributorNote:
    """ "-Morton a rapporté de Londres.": who contributed, from where."""

    start: int
    end: int
    text: str
    people: list[NamedSpan] = field(default_factory=list)
    place: NamedSpan | None = None


@dataclass(slots=True)
class Debris:
    """Scraping debris: text that is not the article (`kind` says what it is)."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Body:
    """A stretch of the article proper (offsets only: the text is the record's)."""

    start: int
    end: int


@dataclass(slots=True)
class Structure:
    """How the article is built: what is its body and what is around it."""

    title: str | None = None
    dateline: Dateline | None = None
    byline: Byline | None = None
    contributors: list[ContributorNote] = field(default_factory=list)
    tags: list[Span] = field(default_factory=list)
    body: list[Body] = field(default_factory=list)
    debris: list[Debris] = field(default_factory=list)

    def spans(self) -> list[tuple[str, int, int, str]]:
        """Every (kind, start, end, text) of the structure, for offset checks."""
        found: list[tuple[str, int, int, str]] = []
        if self.dateline:
            found.append(("dateline", *_triple(self.dateline)))
            for part in (self.dateline.place, self.dateline.agency, self.dateline.date):
                if part:
                    found.append(("dateline part", *_triple(part)))
        if self.byline:
            for part in [*self.byline.spans, *self.byline.authors, *self.byline.agencies]:
                found.append(("byline", *_triple(part)))
        for note in self.contributors:
            found.append(("contributor", *_triple(note)))
            found += [("contributor part", *_triple(part)) for part in note.people]
            if note.place:
                found.append(("contributor part", *_triple(note.place)))
        found += [("tag", *_triple(tag)) for tag in self.tags]
        found += [("debris", *_triple(item)) for item in self.debris]
        return found

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Structure:
        def named(item):
            return NamedSpan(**item) if item else None

        def span(item):
            return Span(**item) if item else None

        dateline = data.get("dateline")
        byline = data.get("byline")
        return cls(
            title=data.get("title"),
            dateline=Dateline(
                **{
                    **dateline,
                    "place": named(dateline.get("place")),
                    "agency": named(dateline.get("agency")),
                    "date": span(dateline.get("date")),
                }
            )
            if dateline
            else None,
            byline=Byline(
                spans=[Span(**item) for item in byline["spans"]],
                authors=[NamedSpan(**item) for item in byline["authors"]],
                agencies=[NamedSpan(**item) for item in byline["agencies"]],
            )
            if byline
            else None,
            contributors=[
                ContributorNote(
                    **{
                        **note,
                        "people": [NamedSpan(**p) for p in note["people"]],
                        "place": named(note.get("place")),
                    }
                )
                for note in data.get("contributors", [])
            ],
            tags=[Span(**item) for item in data.get("tags", [])],
            body=[Body(**item) for item in data.get("body", [])],
            debris=[Debris(**item) for item in data.get("debris", [])],
        )


def _triple(item: Any) -> tuple[int, int, str]:
    return item.start, item.end, item.text


@dataclass(slots=True)
class TimeExpression:
    id: str
    text: str
    start: int
    end: int
    type: TimeType
    value: str
    earliest: str | None = None
    latest: str | None = None
    mod: str | None = None


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    kb: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Place:
    entity: str
    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    # Extensions: the kind of place (city, region, country, continent, island, facility, water,
    # mountain, area), whether the gazetteer had it, and how sure the choice among its
    # candidates is (the chosen one's share, 0-1).
    kind: str | None = None
    resolved: bool = False
    confidence: float | None = None


@dataclass(slots=True)
class Trigger:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Event:
    id: str
    type: str
    trigger: Trigger
    mode: str | None = None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    place: str | None = None
    time: str | None = None
    factuality: Factuality = "asserted"
    source: str | None = None
    # Extensions. `arguments`: every participant as written, with its role (actor, target,
    # place, source) and its entity when it names one. `context`: PLOVER contexts read from the
    # arguments ("munitions": military). `earliest`/`latest`: the days the event may fall on,
    # from its time expression, else from the publication date. `sentence`: where it is said.
    arguments: list[Argument] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    earliest: str | None = None
    latest: str | None = None
    sentence: Extent | None = None


@dataclass(slots=True)
class Argument:
    role: str  # actor, target, place, source
    text: str
    start: int
    end: int
    entity: str | None = None


@dataclass(slots=True)
class Extent:
    """Where something is said, when it has no text of its own to repeat (a sentence)."""

    start: int
    end: int


@dataclass(slots=True)
class Quote:
    speaker: str | None
    text: str
    start: int
    end: int
    # Extension: the speaker as written (a name, or "les médias d'État nord-coréens" when no
    # entity names them), with its offsets; null when no speaker is found.
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(slots=True)
class Record:
    """The analysis of one document, serialised as RECORD.md fixes it."""

    id: str
    language: str
    published: Published | None
    text: str
    times: list[TimeExpression] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    title: str | None = None
    source: str | None = None
    structure: Structure | None = None
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready record, keys in RECORD.md's order."""
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "language": self.language,
            "published": self.published.to_dict() if self.published else None,
            "text": self.text,
            "times": [plain(item) for item in self.times],
            "entities": [plain(item) for item in self.entities],
            "places": [plain(item) for item in self.places],
            "events": [_event_dict(item) for item in self.events],
            "quotes": [plain(item) for item in self.quotes],
            "title": self.title,
            "source": self.source,
            "structure": plain(self.structure) if self.structure else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        published = data.get("published")
        return cls(
            schema_version=data["schema_version"],
            id=data["id"],
            language=data["language"],
            published=Published.from_dict(published) if published else None,
            text=data["text"],
            times=[TimeExpression(**item) for item in data.get("times", [])],
            entities=[
                Entity(**{**item, "mentions": [Mention(**m) for m in item["mentions"]]})
                for item in data.get("entities", [])
            ],
            places=[Place(**item) for item in data.get("places", [])],
            events=[
                Event(
                    **{
                        **item,
                        "trigger": Trigger(**item["trigger"]),
                        "arguments": [Argument(**a) for a in item.get("arguments", [])],
                        "sentence": Extent(**item["sentence"]) if item.get("sentence") else None,
                    }
                )
                for item in data.get("events", [])
            ],
            quotes=[Quote(**item) for item in data.get("quotes", [])],
            title=data.get("title"),
            source=data.get("source"),
            structure=Structure.from_dict(data["structure"]) if data.get("structure") else None,
        )

    def spans(self) -> list[tuple[str, int, int, str]]:
        """Every (kind, start, end, text) the record points at, for offset checks."""
        found: list[tuple[str, int, int, str]] = []
        found += [("time", t.start, t.end, t.text) for t in self.times]
        found += [("mention", m.start, m.end, m.text) for e in self.entities for m in e.mentions]
        found += [("trigger", v.trigger.start, v.trigger.end, v.trigger.text) for v in self.events]
        found += [("argument", a.start, a.end, a.text) for v in self.events for a in v.arguments]
        found += [("quote", q.start, q.end, q.text) for q in self.quotes]
        found += [
            ("speaker", q.speaker_start, q.speaker_end, q.speaker_text)
            for q in self.quotes
            if q.speaker_text is not None
        ]
        if self.structure:
            found += self.structure.spans()
        return found

    def offset_errors(self) -> list[str]:
        """Items whose offsets do not point at their text (empty when the record is sound)."""
        return [
            f"{kind} {text!r} at {start}:{end} reads {self.text[start:end]!r}"
            for kind, start, end, text in self.spans()
            if self.text[start:end] != text
        ]


def _event_dict(event: Event) -> dict[str, Any]:
    # RECORD.md shows `mode` right after `type`; keep that order for readers who eyeball JSON.
    data = plain(event)
    ordered = {"id": data.pop("id"), "type": data.pop("type"), "mode": data.pop("mode")}
    return ordered | data


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Dataclasses as dicts, lists and tuples rebuilt, other values as they are.

    What `dataclasses.asdict` gives, without its deep copy of every leaf: a record is turned
    into JSON each time it is stored, and those copies were the main cost of storing it.
    """
    kind = type(value)
    if kind in _LEAVES:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[kind] = tuple(item.name for item in fields(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if kind is list or kind is tuple:
        return kind(plain(item) for item in value)
    if kind is dict:
        return {key: plain(item) for key, item in value.items()}
    return value
