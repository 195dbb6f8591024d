"""Merging across documents: one corpus entity for the same person, place or organisation.

Each document's entities are linked, as they are stored, to corpus entities by spelling- and
transliteration-blind keys (the same `NameKeys` as within a document):

- a full name ("Sergueï Choïgou", "Sergei Shoigu") is a key of its entity, and so is every
  multi-word alias;
- a person's surname ("shoigu") is a key too, so that an article that only says "Shoigu" finds
  him, and one that says "Sergei Shoigu" where another said "Sergueï Choïgou" too (same
  surname key, first names starting alike), but only while one person of the corpus bears it:
  when a second one appears, the surname is marked ambiguous and links by it stop (the Kims
  stay apart);
- places match across LOC and GPE (models disagree on which a city is), and a country matches
  across languages by its ISO code: the CLDR territory names (through babel) of each language
  are its exonym table, so "Corée du Nord" and "North Korea" are one corpus entity;
- places the places stage resolved match across languages by their GeoNames id, so "Moscou" and
  "Moscow", "Komsomolsk-sur-Amour" and "Komsomolsk-on-Amur" are one corpus entity;
- entities linked to the knowledge base (`dateline kb import`, `--kb`) match by their Wikidata
  item, so "Vladimir Poutine" and "Vladimir Putin" are one corpus entity when the KB knows him.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale

from dateline.entities import NameKeys
from dateline.record import Entity, Record
from dateline.resources import LanguageResources, PerLanguage
from dateline.store import Store

PLACE_TYPES = frozenset({"GPE", "LOC"})


def type_group(entity_type: str) -> str:
    return "PLACE" if entity_type in PLACE_TYPES else entity_type


@dataclass(frozen=True, slots=True)
class EntityKeys:
    group: str
    names: tuple[str, ...]
    surname: str | None
    initial: str | None = None  # first letter of a person's first name


class CountryNames:
    """A language's country names (CLDR, via babel), by name key: `coree du nord` -> `KP`."""

    def __init__(self, resources: LanguageResources) -> None:
        keys = NameKeys(resources)
        territories = Locale(resources.code).territories
        self.codes = {
            " ".join(keys.words(name)): code
            for code, name in territories.items()
            if len(code) == 2 and code.isalpha()
        }


def honorific_keys(resources: LanguageResources) -> set[str]:
    """A language's honorifics ("M.", "Mme", "Mr.") as name-key words."""
    keys = NameKeys(resources)
    return {word for form in resources.words("honorifics") for word in keys.words(form)}


class CorpusLinker:
    """Links the entities of stored records to corpus entities (call inside the store's batch)."""

    def __init__(self) -> None:
        self._keys = PerLanguage(NameKeys)
        self._countries = PerLanguage(CountryNames)
        self._honorifics = PerLanguage(honorific_keys)

    def keys_of(self, entity: Entity, language: str, geonames_id: int | None = None) -> EntityKeys:
        keys = self._keys[language]
        forms = [entity.name, *entity.aliases]
        words = [keys.words(form) for form in forms]
        if entity.type == "PERSON":
            # "M. Choukry" is Choukry: an honorific is no first name.
            honorifics = self._honorifics[language]
            words = [w[1:] if len(w) > 1 and w[0] in honorifics else w for w in words]
        name_words = words[0]
        names = {" ".join(w) for w in words if w and (len(w) > 1 or len(name_words) == 1)}
        surname = name_words[-1] if entity.type == "PERSON" and len(name_words) > 1 else None
        initial = name_words[0][0] if surname else None
        group = type_group(entity.type)
        if "wikidata" in entity.kb:
            # Linked to the knowledge base: the same item in any language is the same entity.
            names.add(f"wikidata:{entity.kb['wikidata']}")
        if group == "PLACE":
            codes = self._countries[language].codes
            names |= {f"country:{codes[name]}" for name in names if name in codes}
            if geonames_id is not None:
                names.add(f"geonames:{geonames_id}")
        return EntityKeys(group, tuple(sorted(names)), surname, initial)

    def link(self, store: Store, doc_key: str, record: Record) -> None:
        resolved = {place.entity: place.geonames_id for place in record.places if place.resolved}
        for entity in record.entities:
            keys = self.keys_of(entity, record.language, resolved.get(entity.id))
            if not keys.names:
                continue
            corpus_id = store.corpus_entity_by_keys(keys.group, keys.names)
            if corpus_id is None and entity.type == "PERSON" and len(keys.names) == 1:
                # A one-word person ("Shoigu") may be the surname of a known full name.
                corpus_id = store.corpus_entity_by_keys(keys.group, keys.names, kind="surname")
            if corpus_id is None and keys.surname:
                # "Sergei Shoigu" in English, "Sergueï Choïgou" in French: the same surname key,
                # held by one person only, and first names that start alike.
                corpus_id = store.corpus_entity_by_keys(keys.group, (keys.surname,), kind="surname")
                if corpus_id is not None and store.corpus_initial(corpus_id) != keys.initial:
                    corpus_id = None
            if corpus_id is None:
                corpus_id = store.new_corpus_entity(entity.name, keys.group, keys.initial)
            store.add_corpus_keys(corpus_id, keys.group, keys.names, kind="name")
            if keys.surname:
                store.add_corpus_keys(corpus_id, keys.group, (keys.surname,), kind="surname")
            store.attach_to_corpus_entity(
                doc_key, entity.id, corpus_id, entity.name, len(entity.mentions)
            )
