"""Entities: named people, organisations, places and things, from the parse.

This stage turns the statistical NER's spans into record entities: labels mapped to RECORD.md
types by the language's resources, spans trimmed of leading function words ("de Russie" ->
"Russie") and cut at line breaks (a scraped tag line glued to a byline is not one name), and
mentions with the same surface form and type grouped into one entity.

It also makes entities of what the anatomy stage found around the article: the byline's
authors (PERSON) and agencies (ORG), the dateline's place (LOC) and agency, and the place a
contributor reported from (LOC: it is a place the text names). Authors are keyed
apart from everyone else, so the reporter Hyung-jin Kim is never merged with a Kim the article is
about; a contributor note's "Morton" joins the author Elise Morton.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

from dateline.record import Entity, Mention, NamedSpan, Structure
from dateline.resources import LanguageResources, load_language

if TYPE_CHECKING:
    from dateline.pipeline import Analysis

# Universal POS tags that cannot open a name: prepositions, determiners, punctuation.
_NOT_NAME_START = frozenset({"ADP", "DET", "PUNCT", "CCONJ"})
_NOT_NAME_END = frozenset({"PUNCT", "CCONJ", "ADP"})


class FindEntities:
    """Fill `record.entities` from the parse's named-entity spans."""

    name = "entities"
    requires = ("record", "record.structure", "doc")
    provides = ("record.entities",)

    def __init__(self) -> None:
        self._resources: dict[str, LanguageResources] = {}

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            record, doc = analysis.record, analysis.doc
            labels = self._labels(record.language)
            entities = _EntityTable()
            for span in doc.ents:
                entity_type = labels.get(span.label_)
                cleaned = _clean(span)
                if entity_type is None or cleaned is None:
                    continue
                start, end = cleaned
                text = record.text[start:end]
                entities.add((entity_type, text.casefold()), entity_type, start, end, text)
            if record.structure:
                _add_structure_entities(record.structure, entities)
            record.entities = entities.list()

    def _labels(self, language: str) -> dict[str, str]:
        if language not in self._resources:
            self._resources[language] = load_language(language)
        return self._resources[language].entity_labels


class _EntityTable:
    """Entities by key, in order of first mention."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Entity] = {}

    def add(
        self, key: tuple[str, str], entity_type: str, start: int, end: int, text: str
    ) -> Entity:
        entity = self._by_key.get(key)
        if entity is None:
            entity = Entity(id=f"e{len(self._by_key) + 1}", name=text, type=entity_type)
            self._by_key[key] = entity
        elif len(text) > len(entity.name):
            entity.aliases.append(entity.name)
            entity.name = text  # the fullest form used is the canonical name
        elif text != entity.name and text not in entity.aliases:
            entity.aliases.append(text)
        entity.mentions.append(Mention(start=start, end=end, text=text))
        return entity

    def list(self) -> list[Entity]:
        entities = list(self._by_key.values())
        for entity in entities:
            entity.mentions.sort(key=lambda mention: mention.start)
        return entities


def _add_structure_entities(structure: Structure, entities: _EntityTable) -> None:
    authors: list[tuple[NamedSpan, Entity]] = []
    if structure.byline:
        for author in structure.byline.authors:
            entity = entities.add(
                ("author", author.text.casefold()), "PERSON", author.start, author.end, author.text
            )
            author.entity = entity.id
            authors.append((author, entity))
        for agency in structure.byline.agencies:
            entity = entities.add(
                ("ORG", agency.text.casefold()), "ORG", agency.start, agency.end, agency.text
            )
            agency.entity = entity.id
    if structure.dateline:
        place, agency = structure.dateline.place, structure.dateline.agency
        if place:
            # A capitalised dateline place ("ISTANBUL") is the same place as "Istanbul" in the text.
            place.entity = entities.add(
                ("LOC", place.text.casefold()), "LOC", place.start, place.end, place.text
            ).id
        if agency:
            agency.entity = entities.add(
                ("ORG", agency.text.casefold()), "ORG", agency.start, agency.end, agency.text
            ).id
    for note in structure.contributors:
        for person in note.people:
            match = _author_named(person.text, authors)
            key = ("author", (match.name if match else person.text).casefold())
            person.entity = entities.add(key, "PERSON", person.start, person.end, person.text).id
        if note.place:
            place = note.place
            place.entity = entities.add(
                ("LOC", place.text.casefold()), "LOC", place.start, place.end, place.text
            ).id


def _author_named(text: str, authors: list[tuple[NamedSpan, Entity]]) -> Entity | None:
    """The byline author a contributor note's "Morton" or "Elise Morton" refers to."""
    folded = text.casefold()
    for author, entity in authors:
        name = author.text.casefold()
        if folded == name or name.split()[-1] == folded:
            return entity
    return None


def _clean(span: Span) -> tuple[int, int] | None:
    """Character offsets of the name inside `span`, or None if nothing name-like is left."""
    tokens = list(span)
    while tokens and tokens[0].pos_ in _NOT_NAME_START:
        tokens.pop(0)
    while tokens and tokens[-1].pos_ in _NOT_NAME_END:
        tokens.pop()
    if not tokens:
        return None
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    text = span.doc.text[start:end]
    if "\n" in text:
        end = start + text.index("\n")
        end = start + len(span.doc.text[start:end].rstrip())
    if end <= start or not any(char.isalpha() for char in span.doc.text[start:end]):
        return None
    return start, end
