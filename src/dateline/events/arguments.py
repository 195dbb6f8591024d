"""Who, whom and where: the arguments of a trigger, read from the dependency parse.

A trigger's children are sorted into slots (subject, object, passive subject, the agent of a
passive, a noun's "de"/"of" complement or possessive, a complement introduced by a preposition)
with the language's dependency labels (`language.toml`, `[syntax]`); the trigger's frame
(`event_frames.tsv`) gives each slot a role. An argument names an entity when one of the
entity's mentions covers its head word, or, failing that, lies inside its phrase (the nearest
to the head: "la guerre menée par Moscou" names Moscow). A place entity reached through a
preposition is the event's place unless it is a country (countries act: "fournir à la Russie").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from dateline.events.lexicon import EventLexicon
from dateline.record import Record

PLACE_TYPES = frozenset({"GPE", "LOC", "FACILITY"})
# Words that end a participant's phrase: a clause or an aside starts there.
_PHRASE_BREAKS = frozenset({"acl", "acl:relcl", "relcl", "appos", "advcl", "ccomp", "parataxis"})
MAX_PHRASE_TOKENS = 12


@dataclass(frozen=True, slots=True)
class Found:
    role: str  # actor, target, place
    text: str
    start: int
    end: int
    entity: str | None
    direct: bool = False  # the entity's mention covers the argument's head word


class Mentions:
    """The record's entity mentions by character offset."""

    def __init__(self, record: Record) -> None:
        items = sorted(
            (m.start, m.end, entity.id, entity.type)
            for entity in record.entities
            for m in entity.mentions
        )
        self._items = items
        self._starts = [item[0] for item in items]
        self.types = {entity.id: entity.type for entity in record.entities}
        self.kinds = {place.entity: place.kind for place in record.places}

    def covering(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The mention covering [start, end), the longest if several do."""
        best = None
        index = bisect_right(self._starts, start)
        for m_start, m_end, entity, _ in self._items[max(0, index - 8) : index]:
            if (
                m_start <= start
                and end <= m_end
                and (best is None or m_end - m_start > best[1] - best[0])
            ):
                best = (m_start, m_end, entity)
        return best

    def inside(self, start: int, end: int, near: int) -> tuple[int, int, str] | None:
        """The mention inside [start, end) closest to `near`."""
        index = bisect_right(self._starts, start - 1)
        inside = [
            (m_start, m_end, entity)
            for m_start, m_end, entity, _ in self._items[index:]
            if m_start >= start and m_end <= end
        ]
        return min(inside, key=lambda m: abs(m[0] - near), default=None)

    def entity_of(self, token: Token, phrase: tuple[int, int]) -> tuple[int, int, str] | None:
        return self.covering(token.idx, token.idx + len(token)) or self.inside(*phrase, token.idx)


def slots(trigger: Token, lexicon: EventLexicon) -> Iterator[tuple[str, Token]]:
    """(slot, head word) for each argument child of the trigger, coordinated ones included."""
    syntax = lexicon.syntax
    passive = any(c.dep_ in syntax.passive_auxiliary for c in trigger.children)
    noun = trigger.pos_ in ("NOUN", "PROPN")
    for child in trigger.children:
        dep = child.dep_
        slot, head = None, child
        if dep in syntax.subject:
            slot = "passive_subject" if passive else "subject"
        elif dep in syntax.passive_subject:
            slot = "passive_subject"
        elif dep in syntax.object:
            slot = "object"
        elif dep in syntax.possessive:
            slot = "of"
        elif dep in syntax.oblique:
            cases = [g for g in child.children if g.dep_ in syntax.case and g.i < child.i]
            if cases:
                slot = _prepositional(_word(cases[0]), passive, noun, syntax)
        elif dep in syntax.preposition:
            objects = [g for g in child.children if g.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]
            if objects:
                head = objects[0]
                slot = _prepositional(_word(child), passive or dep == "agent", noun, syntax)
        if slot is None:
            continue
        yield slot, head
        for conjunct in head.conjuncts:
            if conjunct.i > head.i and conjunct.pos_ in ("NOUN", "PROPN", "PRON"):
                yield slot, conjunct


def _prepositional(word: str, passive: bool, noun: bool, syntax) -> str:
    if passive and word in syntax.agent_prepositions:
        return "agent"
    if noun and word in syntax.of_prepositions:
        return "of"
    return f"prep:{word}"


def _word(token: Token) -> str:
    return token.lower_.replace("’", "'")


def inherited_subjects(trigger: Token, lexicon: EventLexicon) -> list[Token]:
    """The subject of the verb a bare infinitive or a conjoined verb depends on ("la Corée du
    Nord pourrait fournir": Corée; "Kim a rencontré Poutine et visité": Kim)."""
    syntax = lexicon.syntax
    word = trigger
    for _ in range(3):
        if word.dep_ not in ("xcomp", "conj") or word.head.i == word.i:
            return []
        word = word.head
        # "Kim a invité Poutine à se rendre …": who goes is the object of the inviting verb.
        objects = [c for c in word.children if c.dep_ in syntax.object and c.pos_ != "PRON"]
        if trigger.dep_ == "xcomp" and objects and word.i == trigger.head.i:
            return [objects[0]]
        subjects = [c for c in word.children if c.dep_ in syntax.subject]
        if subjects:
            return [subjects[0], *(c for c in subjects[0].conjuncts if c.i > subjects[0].i)]
    return []


def _antecedent(head: Token, trigger: Token) -> Token | None:
    """A relative pronoun subject stands for the noun its clause hangs on ("Choïgou, qui avait
    rencontré Kim")."""
    if head.pos_ == "PRON" and "Rel" in head.morph.get("PronType"):
        if trigger.dep_ in ("acl:relcl", "relcl", "acl") and trigger.head.i != trigger.i:
            return trigger.head
        return None
    return head


def subtree_span(head: Token) -> tuple[int, int]:
    doc = head.doc
    left, right = head.left_edge, head.right_edge
    return left.idx, doc[right.i].idx + len(doc[right.i])


def phrase(head: Token) -> tuple[int, int]:
    """Character span of the participant's phrase: the head and its modifiers, without the
    preposition before it or a clause after it."""
    doc = head.doc
    start = head.i
    for token in head.subtree:
        if token.i < head.i and token.dep_ not in ("case", "punct", "mark"):
            start = min(start, token.i)
            break
    end = head.i
    for token in head.subtree:
        if token.i <= head.i:
            continue
        if token.is_punct or token.dep_ in _PHRASE_BREAKS or token.pos_ == "VERB":
            break
        if token.i - head.i > MAX_PHRASE_TOKENS:
            break
        end = token.i
    return doc[start].idx, doc[end].idx + len(doc[end])


def arguments(
    trigger: Token, frame: dict[str, str], lexicon: EventLexicon, mentions: Mentions, text: str
) -> list[Found]:
    found: list[Found] = []
    pairs = [(slot, _antecedent(head, trigger)) for slot, head in slots(trigger, lexicon)]
    if not any(slot in ("subject", "agent") for slot, _ in pairs):
        pairs += [("subject", subject) for subject in inherited_subjects(trigger, lexicon)]
    taken: set[str] = set()
    for slot, head in pairs:
        role = frame.get(slot)
        if role is None or head is None:
            continue
        span = phrase(head)
        # An object's entity may sit deep in it ("des munitions … à la guerre menée par
        # Moscou"); other complements name theirs in their own phrase.
        mention = mentions.entity_of(head, subtree_span(head) if slot == "object" else span)
        entity = mention[2] if mention else None
        direct = mention is not None and mention[0] <= head.idx < mention[1]
        if entity is not None:
            if entity in taken:
                continue  # "en Corée | du Nord": one name parsed as two complements
            taken.add(entity)
        elif head.pos_ == "PRON":
            continue  # "il", "elle", "qui": whom they stand for is not resolved here
        start, end = (mention[0], mention[1]) if mention else span
        if entity is not None and mentions.types.get(entity) in PLACE_TYPES:
            kind = mentions.kinds.get(entity)
            if role == "destination":
                # The country a visitor goes to is both where it happens and whom it concerns.
                if kind == "country":
                    found.append(Found("target", text[start:end], start, end, entity, direct))
                role = "place"
            elif slot.startswith("prep:") and role == "target" and kind not in (None, "country"):
                role = "place"
        elif role in ("place", "destination"):
            continue  # "dans une gare": a place only when it names one
        found.append(Found(role, text[start:end], start, end, entity, direct))
    return found
