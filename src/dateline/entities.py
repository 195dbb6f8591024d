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

import re
import unicodedata
from typing import TYPE_CHECKING

from spacy.tokens import Span

from dateline.record import Entity, Mention, NamedSpan, Structure
from dateline.resources import LanguageResources, PerLanguage

if TYPE_CHECKING:
    from dateline.pipeline import Analysis

# Universal POS tags that cannot open a name: prepositions, determiners, punctuation.
_NOT_NAME_START = frozenset({"ADP", "DET", "PUNCT", "CCONJ"})
_NOT_NAME_END = frozenset({"PUNCT", "CCONJ", "ADP"})


class FindEntities:
    """Fill `record.entities` from the parse's named-entity spans."""

    name = "entities"
    requires = ("record", "record.structure", "doc", "doc.ents")
    provides = ("record.entities",)

    def __init__(self) -> None:
        self._labels = PerLanguage(lambda resources: resources.entity_labels)
        self._keys = PerLanguage(NameKeys)
        self._descriptions = PerLanguage(Descriptions)

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            record, doc = analysis.record, analysis.doc
            labels, keys = self._labels[record.language], self._keys[record.language]
            mentions = []
            for span in doc.ents:
                entity_type = labels.get(span.label_)
                cleaned = _clean(span, record.text)
                if entity_type is None or cleaned is None:
                    continue
                start, end = cleaned
                mentions.append((entity_type, start, end, record.text[start:end]))
            entities = _EntityTable()
            for key, entity_type, start, end, text in canonical_keys(
                mentions, self._keys[record.language]
            ):
                entities.add(key, entity_type, start, end, text)
            self._descriptions[record.language].attach(record.text, entities.list())
            if record.structure:
                _add_structure_entities(record.structure, entities, keys)
            record.entities = entities.list()


class Descriptions:
    """Role descriptions that name a person right beside the name, as mentions of that person.

    "Le dirigeant nord-coréen Kim Jong Un", "le ministre de la Défense Sergueï Choïgou",
    "Kozhemyako, le gouverneur de Primorye": an article, a title or role (`titles.txt`), and
    at most a few more words, just before the name or in apposition just after it. The model's
    fragments inside the title ("ministre de la Défense" as an organisation) give way to it.
    """

    MAX_WORDS = 6

    def __init__(self, resources: LanguageResources) -> None:
        articles = "|".join(re.escape(a) for a in resources.words("articles"))
        titles = "|".join(
            re.escape(t) for t in sorted(resources.words("titles"), key=len, reverse=True)
        )
        phrase = rf"(?:{articles})\s*(?:{titles})\b(?:[\s-]+[\w’'-]+){{0,{self.MAX_WORDS}}}?"
        self._before = re.compile(rf"(?<![\w’'])({phrase})\s+$", re.IGNORECASE)
        self._after = re.compile(rf",\s*({phrase})(?=\s*[,.;)])", re.IGNORECASE)

    def attach(self, text: str, entities: list[Entity]) -> None:
        # A description never runs over a person's name ("le chancelier Olaf Scholz" does not
        # describe the Poutine of the next sentence).
        taken = [(m.start, m.end) for e in entities if e.type == "PERSON" for m in e.mentions]
        names = len(taken)
        for entity in entities:
            if entity.type != "PERSON":
                continue
            for mention in list(entity.mentions):
                span = self._describe(text, mention)
                if span and all(span[1] <= start or span[0] >= end for start, end in taken):
                    taken.append(span)
                    entity.mentions.append(Mention(span[0], span[1], text[span[0] : span[1]]))
            entity.mentions.sort(key=lambda item: item.start)
        descriptions = taken[names:]
        for entity in entities:
            if entity.type in ("ORG", "OTHER"):
                entity.mentions = [
                    m
                    for m in entity.mentions
                    if not any(s <= m.start and m.end <= e for s, e in descriptions)
                ]

    def _describe(self, text: str, mention: Mention) -> tuple[int, int] | None:
        window = text[max(0, mention.start - 80) : mention.start]
        before = self._before.search(window)
        if before:
            start = mention.start - len(window) + before.start(1)
            return start, start + len(before.group(1))
        after = self._after.match(text, mention.end, min(len(text), mention.end + 100))
        if after:
            return after.start(1), after.end(1)
        return None


NAME_CACHE_SIZE = 100_000


class NameKeys:
    """Spelling- and transliteration-blind keys of names (`resources/<lang>/transliteration.tsv`).

    Choïgou, Choïgu and Shoigu all key to `shoigu`; Kozhemiako and Kozhemyako to `kojemiako`.
    """

    def __init__(self, resources: LanguageResources) -> None:
        self._rules = [
            (row[0], row[1] if len(row) > 1 else "") for row in resources.table("transliteration")
        ]
        # Names recur within and across articles: each spelling is keyed once.
        self._seen: dict[str, list[str]] = {}

    def words(self, text: str) -> list[str]:
        """The key words of a name (a new list: callers may change it)."""
        words = self._seen.get(text)
        if words is None:
            if len(self._seen) >= NAME_CACHE_SIZE:
                self._seen.clear()  # a long ingest meets endless names: keep memory bounded
            words = self._seen[text] = self._compute(text)
        return list(words)

    def _compute(self, text: str) -> list[str]:
        folded = text.casefold().replace("’", "'")
        for source, target in self._rules:
            folded = folded.replace(source, target)
        plain = "".join(
            char
            for char in unicodedata.normalize("NFKD", folded)
            if not unicodedata.combining(char)
        )
        words = [re.sub(r"[^a-z0-9]", "", word) for word in re.split(r"\s+", plain)]
        return [re.sub(r"(.)\1+", r"\1", word) for word in words if word]


# Single-word mentions the model may mislabel that can be the short form of a person's name
# ("Shoigu" tagged as a place, "Kim" as MISC, "Trump" as an organisation).
SHORT_FORM_TYPES = frozenset({"PERSON", "LOC", "GPE", "OTHER", "ORG"})


def canonical_keys(mentions: list[tuple[str, int, int, str]], keys: NameKeys):
    """Yield (key, type, start, end, text) so that mentions of one thing share a key.

    A person's full name and its spelling variants share the key of its words; a one-word
    mention that is the first or last word of a person's full name ("Poutine", "Kim", "Shoigu")
    joins that person, and becomes a PERSON if the model said otherwise. When two full names
    share the word (Kim Jong Un, Kim Yo Jong), it joins the one named most recently before it,
    as a reader would; with none before it, it stays apart.
    """
    full_names: dict[str, set[str]] = {}
    named_at: dict[str, list[int]] = {}
    for entity_type, start, _, text in mentions:
        words = keys.words(text)
        if entity_type == "PERSON" and len(words) >= 2:
            full = " ".join(words)
            named_at.setdefault(full, []).append(start)
            for word in (words[0], words[-1]):
                full_names.setdefault(word, set()).add(full)
    for entity_type, start, end, text in mentions:
        words = keys.words(text)
        if len(words) == 1 and entity_type in SHORT_FORM_TYPES:
            owner = _owner(full_names.get(words[0], set()), named_at, start)
            if owner is not None:
                yield ("PERSON", owner), "PERSON", start, end, text
                continue
        yield (entity_type, " ".join(words)), entity_type, start, end, text


def _owner(candidates: set[str], named_at: dict[str, list[int]], start: int) -> str | None:
    if len(candidates) == 1:
        return next(iter(candidates))
    before = {
        full: max((at for at in named_at[full] if at < start), default=-1) for full in candidates
    }
    latest = max(before.values(), default=-1)
    if latest < 0:
        return None
    return next(full for full, at in before.items() if at == latest)


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
        entities = [entity for entity in self._by_key.values() if entity.mentions]
        for entity in entities:
            entity.mentions.sort(key=lambda mention: mention.start)
        return entities


def _add_structure_entities(structure: Structure, entities: _EntityTable, keys: NameKeys) -> None:
    def entity_key(entity_type: str, text: str) -> tuple[str, str]:
        return entity_type, " ".join(keys.words(text))

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
                entity_key("ORG", agency.text), "ORG", agency.start, agency.end, agency.text
            )
            agency.entity = entity.id
    if structure.dateline:
        place, agency = structure.dateline.place, structure.dateline.agency
        if place:
            # A capitalised dateline place ("ISTANBUL") is the same place as "Istanbul" in the text.
            place.entity = entities.add(
                entity_key("LOC", place.text), "LOC", place.start, place.end, place.text
            ).id
        if agency:
            agency.entity = entities.add(
                entity_key("ORG", agency.text), "ORG", agency.start, agency.end, agency.text
            ).id
    for note in structure.contributors:
        for person in note.people:
            match = _author_named(person.text, authors)
            key = ("author", (match.name if match else person.text).casefold())
            person.entity = entities.add(key, "PERSON", person.start, person.end, person.text).id
        if note.place:
            place = note.place
            place.entity = entities.add(
                entity_key("LOC", place.text), "LOC", place.start, place.end, place.text
            ).id


def _author_named(text: str, authors: list[tuple[NamedSpan, Entity]]) -> Entity | None:
    """The byline author a contributor note's "Morton" or "Elise Morton" refers to."""
    folded = text.casefold()
    for author, entity in authors:
        name = author.text.casefold()
        if folded == name or name.split()[-1] == folded:
            return entity
    return None


def _clean(span: Span, full_text: str) -> tuple[int, int] | None:
    """Character offsets of the name inside `span`, or None if nothing name-like is left.

    `full_text` is the text the doc was made from (spaCy's `Doc.text` rebuilds it from the
    tokens on every call, which is far too slow to do per span).
    """
    tokens = list(span)
    while tokens and tokens[0].pos_ in _NOT_NAME_START:
        tokens.pop(0)
    while tokens and tokens[-1].pos_ in _NOT_NAME_END:
        tokens.pop()
    if not tokens:
        return None
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    text = full_text[start:end]
    if "\n" in text:
        end = start + text.index("\n")
        end = start + len(full_text[start:end].rstrip())
    if end <= start or not any(char.isalpha() for char in full_text[start:end]):
        return None
    return start, end
