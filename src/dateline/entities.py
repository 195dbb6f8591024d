"""Entities: named people, organisations, places and things, from the parse.

This stage turns the statistical NER's spans into record entities: labels mapped to RECORD.md
types by the language's resources, spans trimmed of leading function words ("de Russie" ->
"Russie") and cut at line breaks (a scraped tag line glued to a byline is not one name), and
mentions with the same surface form and type grouped into one entity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

from dateline.record import Entity, Mention
from dateline.resources import LanguageResources, load_language

if TYPE_CHECKING:
    from dateline.pipeline import Analysis

# Universal POS tags that cannot open a name: prepositions, determiners, punctuation.
_NOT_NAME_START = frozenset({"ADP", "DET", "PUNCT", "CCONJ"})
_NOT_NAME_END = frozenset({"PUNCT", "CCONJ", "ADP"})


class FindEntities:
    """Fill `record.entities` from the parse's named-entity spans."""

    name = "entities"
    requires = ("record", "doc")
    provides = ("record.entities",)

    def __init__(self) -> None:
        self._resources: dict[str, LanguageResources] = {}

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            record, doc = analysis.record, analysis.doc
            labels = self._labels(record.language)
            entities: dict[tuple[str, str], Entity] = {}
            for span in doc.ents:
                entity_type = labels.get(span.label_)
                cleaned = _clean(span)
                if entity_type is None or cleaned is None:
                    continue
                start, end = cleaned
                text = record.text[start:end]
                key = (entity_type, text.casefold())
                if key not in entities:
                    entities[key] = Entity(id=f"e{len(entities) + 1}", name=text, type=entity_type)
                entities[key].mentions.append(Mention(start=start, end=end, text=text))
            record.entities = list(entities.values())

    def _labels(self, language: str) -> dict[str, str]:
        if language not in self._resources:
            self._resources[language] = load_language(language)
        return self._resources[language].entity_labels


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
