"""Entity rules: corrections to the statistical NER, written as data.

The model's spans are fragments and guesses ("Kim Jong" for Kim Jong Un, "Vendredi" as a place,
a frigate as a person, a missile as a place). This stage reworks `doc.ents` before the entities
stage reads them, with the language's data under `resources/<lang>/`:

- `weekday_names.tsv`, `month_names.tsv`: words trimmed off a span's edges ("Kim samedi" ->
  "Kim"; "Vendredi" alone is dropped); `never_entities.txt`: words never an entity alone;
- coordinated spans are split ("Kim et Shoigu" -> "Kim", "Shoigu");
- `equipment.tsv`: designations (Tu-160, MiG-31), weapon names (Kinzhal) and head nouns
  ("la frégate Amiral Shaposhnikov") make EQUIPMENT;
- `titles.txt`: a title or role before capitalised words makes them a PERSON
  ("le lieutenant-général Sergueï Kobylash");
- `facility_heads.txt`: an organisation or place named by a facility noun is a FACILITY;
- a person's name runs on over the capitalised words that follow it ("Kim Jong" + "Un").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from dateline.resources import LanguageResources, PerLanguage
from dateline.string_ids import StringIdMemo

if TYPE_CHECKING:
    from dateline.pipeline import Analysis

MAX_NAME_TOKENS = 4
CONJUNCTION_POS = "CCONJ"
EQUIPMENT_NAME = "name"
EQUIPMENT_HEAD = "head"


@dataclass(frozen=True, slots=True)
class EntityRules:
    """The compiled entity rules of one language."""

    never: frozenset[str]
    time_words: frozenset[str]
    titles: re.Pattern[str]
    facility_heads: frozenset[str]
    person_label: str
    place_labels: frozenset[str]
    demonyms: frozenset[str]
    # What each word is to `_equipment` by `equipment.tsv` (an EQUIPMENT name or designation,
    # a head noun before one, or nothing), remembered by spaCy string id.
    equipment_word: StringIdMemo[str | None]

    @classmethod
    def for_language(cls, resources: LanguageResources) -> EntityRules:
        never = {word.casefold() for word in resources.words("never_entities")}
        time_words = {row[0].casefold().rstrip(".") for row in resources.table("weekday_names")}
        time_words |= {row[0].casefold().rstrip(".") for row in resources.table("month_names")}
        titles = sorted(resources.words("titles"), key=len, reverse=True)
        equipment = resources.table("equipment")
        person_label = next(
            label for label, kind in resources.entity_labels.items() if kind == "PERSON"
        )
        # Designations ("Tu-160"): one alternation of the language's model patterns, or None.
        model = _one_pattern([value for kind, value in equipment if kind == "model"])
        names = frozenset(value.casefold() for kind, value in equipment if kind == "name")
        heads = frozenset(value.casefold() for kind, value in equipment if kind == "head")

        def equipment_word(word: str) -> str | None:
            lower = word.lower()
            if lower in names or (model is not None and model.match(word)):
                return EQUIPMENT_NAME
            return EQUIPMENT_HEAD if lower in heads else None

        return cls(
            never=frozenset(never),
            time_words=frozenset(time_words),
            titles=re.compile(
                r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in titles) + r")\s+(?=[A-ZÀ-Þ])",
                re.IGNORECASE,
            ),
            facility_heads=frozenset(word.casefold() for word in resources.words("facility_heads")),
            person_label=person_label,
            place_labels=frozenset(
                label for label, kind in resources.entity_labels.items() if kind in ("LOC", "GPE")
            ),
            demonyms=frozenset(row[0].casefold() for row in resources.table("demonyms")),
            equipment_word=StringIdMemo(equipment_word),
        )


class CorrectEntities:
    """Rework the parse's named-entity spans with the language's entity rules."""

    name = "entity_rules"
    requires = ("record", "doc")
    provides = ("doc.ents",)

    def __init__(self) -> None:
        self.rules = PerLanguage(EntityRules.for_language)

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            doc = analysis.doc
            if doc.has_annotation("ENT_IOB") or doc.has_annotation("TAG"):
                doc.ents = correct_entities(
                    doc, self.rules[analysis.record.language], analysis.reading_text
                )


def correct_entities(doc: Doc, rules: EntityRules, text: str | None = None) -> list[Span]:
    """The corrected entity spans of `doc`; `text` is the text it was parsed from, if at hand
    (`Doc.text` rebuilds it token by token)."""
    text = doc.text if text is None else text
    spans: list[Span] = []
    for span in doc.ents:
        for part in _split_coordination(span):
            trimmed = _trim(part, rules)
            if trimmed is not None:
                spans.append(trimmed)
    spans = [_extend_name(span, rules) for span in spans]
    spans = [_with_regional_adjective(span, rules) for span in spans]
    spans = [_facility(span, rules) for span in spans]
    added = _equipment(doc, rules) + _titled_people(doc, rules, text)
    return _without_overlaps(added + spans)


def _split_coordination(span: Span) -> list[Span]:
    """ "Kim et Shoigu" is two names."""
    parts, start = [], span.start
    for token in span:
        if token.pos_ == CONJUNCTION_POS and span.start < token.i < span.end - 1:
            parts.append(span.doc[start : token.i])
            start = token.i + 1
    parts.append(span.doc[start : span.end])
    return [Span(span.doc, part.start, part.end, label=span.label) for part in parts if len(part)]


def _trim(span: Span, rules: EntityRules) -> Span | None:
    """Weekday and month names off the edges ("Kim samedi"); nothing left, or a span that is
    only a word never named ("État"), is no entity."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_.rstrip(".") in rules.time_words:
        start += 1
    while end > start and doc[end - 1].lower_.rstrip(".") in rules.time_words:
        end -= 1
    if start >= end or doc[start:end].text.casefold() in rules.never:
        return None
    return Span(doc, start, end, label=span.label)


def _is_name_word(token) -> bool:
    # The parser sometimes opens a sentence inside a name ("Kim Jong | Un rentre"): only a
    # sentence that follows punctuation really starts there.
    after_punctuation = token.i > 0 and token.doc[token.i - 1].is_punct
    return token.is_title and token.is_alpha and not (token.is_sent_start and after_punctuation)


def _extend_name(span: Span, rules: EntityRules) -> Span:
    """A person's name runs on over the capitalised words right after it ("Kim Jong Un")."""
    if span.label_ != rules.person_label:
        return span
    end = span.end
    doc = span.doc
    while (
        end < len(doc)
        and end - span.start < MAX_NAME_TOKENS
        and _is_name_word(doc[end])
        and doc[end].lower_ not in rules.never
        and not doc[end].ent_type_
    ):
        end += 1
    return Span(doc, span.start, end, label=span.label) if end != span.end else span


def _with_regional_adjective(span: Span, rules: EntityRules) -> Span:
    """A place name runs on over a nationality adjective right after it: "l'Extrême-Orient
    russe" is one place, not "Extrême-Orient" followed by an adjective."""
    end = span.end
    doc = span.doc
    if (
        span.label_ in rules.place_labels
        and end < len(doc)
        and doc[end].is_lower
        and doc[end].lower_ in rules.demonyms
        and not doc[end].ent_type_
    ):
        return Span(doc, span.start, end + 1, label=span.label)
    return span


def _facility(span: Span, rules: EntityRules) -> Span:
    if span.label_ in ("ORG", "LOC", "FAC", "GPE", "MISC"):
        edges = {span[0].lower_, span[-1].lower_}
        if edges & rules.facility_heads:
            return Span(span.doc, span.start, span.end, label="FACILITY")
    return span


def _equipment(doc: Doc, rules: EntityRules) -> list[Span]:
    found = []
    # This loop runs over every token of every document: it reads the parse's array of string
    # ids, each distinct word classified once (building a `Token` per word costs more).
    strings = doc.vocab.strings
    orths = doc.to_array(ORTH).tolist() if len(doc) else []
    kinds = rules.equipment_word.answers(orths, strings)
    for i, orth in enumerate(orths):
        kind = kinds[orth]
        if kind is EQUIPMENT_NAME:
            found.append(Span(doc, i, i + 1, label="EQUIPMENT"))
        elif kind is EQUIPMENT_HEAD:
            end = i + 1
            while end < len(doc) and end - i <= MAX_NAME_TOKENS and strings[orths[end]].istitle():
                end += 1
            if end > i + 1:
                found.append(Span(doc, i + 1, end, label="EQUIPMENT"))
    return found


def _titled_people(doc: Doc, rules: EntityRules, text: str) -> list[Span]:
    """ "le président Vladimir Poutine": capitalised words after a title are a person."""
    found = []
    # One pass over the text for the titles, then only the tokens where a title ends.
    for match in rules.titles.finditer(text):
        after = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if after is None or after.start_char != match.end():
            continue
        token = after[0]
        if not (token.is_title and token.is_alpha):
            continue
        index = end = token.i
        while end < len(doc) and end - index < MAX_NAME_TOKENS and _is_capitalised(doc[end]):
            end += 1
            end = _past_hyphenated_part(doc, end)
        if end - index >= 2 and not _inside_person(doc, index, end, rules):
            found.append(Span(doc, index, end, label=rules.person_label))
    return found


def _inside_person(doc: Doc, start: int, end: int, rules: EntityRules) -> bool:
    """Whether the model already found these words as (part of) a person's name."""
    return any(
        e.start <= start and end <= e.end and e.label_ == rules.person_label for e in doc.ents
    )


def _past_hyphenated_part(doc: Doc, end: int) -> int:
    """Step over "-ho" in "Yung-ho", which the tokenizer splits as "Yung", "-", "ho"."""
    if (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
    ):
        return end + 2
    return end


def _is_capitalised(token) -> bool:
    return token.is_title and (token.is_alpha or "-" in token.text)


def _one_pattern(patterns: list[str]) -> re.Pattern[str] | None:
    """Several patterns as one: one regular expression call per token instead of several."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Rule spans win over the model's where they overlap (they come first in `spans`)."""
    taken: list[Span] = []
    occupied: set[int] = set()
    for span in spans:
        positions = set(range(span.start, span.end))
        if positions & occupied:
            continue
        taken.append(span)
        occupied |= positions
    return sorted(taken, key=lambda span: span.start)
