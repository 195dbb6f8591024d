"""Anatomy: read an article the way an editor does.

Finds what surrounds the article proper — the wire dateline ("ISTANBUL (AP) —"), the byline
(authors and agencies), contributor notes ("-Morton a rapporté de Londres."), the category tag
line ("Corée du NordRussie"), site boilerplate ("Lire aussi…") — and scraping debris inside it
(a word or sentence scraped twice, orphan punctuation, duplicated or truncated parentheticals).
Everything found is a span into the record's text, in `record.structure`.

The stages that read sentences then read a *masked* copy of the text: every character of the
dateline, byline, notes, tags, boilerplate and debris is replaced by a space (line breaks kept),
so the copy has the same length and every offset found in it is an offset into `record.text`.

The conventions (agencies, byline words, note patterns, boilerplate cues, month names) are data
under `resources/<lang>/`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from dateline.record import (
    Body,
    Byline,
    ContributorNote,
    Dateline,
    Debris,
    NamedSpan,
    Span,
    Structure,
)
from dateline.resources import LanguageResources, PerLanguage

if TYPE_CHECKING:
    from dateline.pipeline import Analysis

UPPER = "A-ZÀ-ÖØ-Þ"
# A capitalised word of a name: "Kim", "Tong-hyung", "O'Neill", "J.", "McAllister".
NAME_WORD = rf"[{UPPER}][\w'’.\-]*"
SENTENCE = re.compile(r"[^.!?\n]+[.!?]+[»”\"]?")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# How far from the end of an article its byline, notes and tags may stand (in paragraphs).
TAIL_PARAGRAPHS = 8
MAX_META_LINE = 200
MAX_TAG_LINE = 150
MIN_REPEATED_SENTENCE_WORDS = 6


@dataclass(frozen=True, slots=True)
class AnatomyRules:
    """The compiled conventions of one language."""

    agencies: dict[str, str]
    agency: re.Pattern[str]
    byline_prefix: re.Pattern[str]
    list_separator: re.Pattern[str]
    contributor_notes: tuple[re.Pattern[str], ...]
    boilerplate: re.Pattern[str]
    caps_dateline: re.Pattern[str]
    titled_dateline: re.Pattern[str]
    correspondent_dateline: re.Pattern[str]
    particles: frozenset[str]
    person: re.Pattern[str]

    @classmethod
    def for_language(cls, resources: LanguageResources) -> AnatomyRules:
        agencies: dict[str, str] = {}
        for row in resources.table("agencies"):
            canonical = row[0]
            forms = [
                canonical,
                *(form for form in (row[1] if len(row) > 1 else "").split("|") if form),
            ]
            for form in forms:
                agencies[form.casefold()] = canonical
        agency_forms = sorted(
            {form for row in resources.table("agencies") for form in _forms(row)},
            key=len,
            reverse=True,
        )
        agency = _alternation(agency_forms)
        particles = frozenset(resources.words("name_particles"))
        particle = _alternation(sorted(particles, key=len, reverse=True))
        name = rf"{NAME_WORD}(?:[ \t]+(?:(?:{particle})[ \t]+)?{NAME_WORD}){{0,3}}"
        conjunctions = _alternation(resources.words("conjunctions"))
        names = rf"{name}(?:(?:,[ \t]*|[ \t]+(?:{conjunctions})[ \t]+){name})*"
        place = rf"{NAME_WORD}(?:[ \t-]+(?:(?:{particle})[ \t-]+)?{NAME_WORD}){{0,3}}"
        months = _alternation(
            sorted((row[0] for row in resources.table("month_names")), key=len, reverse=True)
        )
        date = (
            rf"(?:\d{{1,2}}(?:er|st|nd|rd|th)?\.?[ \t]+(?i:{months})(?:[ \t]+\d{{4}})?"
            rf"|(?i:{months})[ \t]+\d{{1,2}}(?:,[ \t]*\d{{4}})?)"
        )
        region = rf"(?:,[ \t]*(?P<region>{NAME_WORD}(?:[ \t]+{NAME_WORD})?))"
        notes = tuple(
            re.compile(
                r"[-—–]*[ \t]*"
                + pattern.replace("{who}", f"(?P<who>{names})")
                .replace("{where}", f"(?P<where>{place})")
                .replace("{agency}", f"(?:{agency})")
                + r"[ \t]*\.?"
            )
            for pattern in resources.words("contributor_notes")
        )
        caps_place = rf"[{UPPER}][{UPPER}'’.\- ]*[{UPPER}.]"
        return cls(
            agencies=agencies,
            agency=re.compile(rf"(?:{agency})"),
            byline_prefix=re.compile(
                rf"(?:{_alternation(resources.words('byline_prefixes'))})[ \t]*:?[ \t]+"
            ),
            list_separator=re.compile(
                rf"[ \t]*(?:,|;|/|\(|\)|[ \t](?:{conjunctions})(?=[ \t]))[ \t]*"
            ),
            contributor_notes=notes,
            boilerplate=re.compile(rf"(?i:{_alternation(resources.words('boilerplate'))})(?=\W|$)"),
            caps_dateline=re.compile(
                rf"(?P<place>{caps_place}){region}?(?:,[ \t]*(?P<date>{date}))?[ \t]*"
                rf"(?:\((?P<agency>[^()\n]{{1,40}})\)[ \t]*)?[-—–]+[ \t]*"
            ),
            titled_dateline=re.compile(
                rf"(?P<place>{place}){region}?(?:,[ \t]*(?P<date>{date}))?[ \t]*"
                rf"\((?P<agency>{agency})\)[ \t]*[-—–]+[ \t]*"
            ),
            correspondent_dateline=re.compile(
                rf"(?:{_alternation(resources.words('correspondent_datelines'))})[ \t]+"
                rf"(?P<place>{place})[ \t]*[,:—–-][ \t]*"
            ),
            particles=particles,
            person=re.compile(name),
        )

    def agency_name(self, text: str) -> str | None:
        """The canonical name of the agency `text` names, or None."""
        return self.agencies.get(text.strip().casefold())


def _forms(row: list[str]) -> list[str]:
    return [row[0], *(form for form in (row[1] if len(row) > 1 else "").split("|") if form)]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in words)


class ReadAnatomy:
    """Fill `record.structure` and give later stages a masked text to read."""

    name = "anatomy"
    requires = ("record",)
    provides = ("record.structure", "reading_text")

    def __init__(self) -> None:
        self.rules = PerLanguage(AnatomyRules.for_language)

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            record = analysis.record
            structure = analyse_structure(record.text, self.rules[record.language])
            structure.title = record.title
            record.structure = structure
            analysis.reading_text = masked_text(record.text, structure)


@dataclass(slots=True)
class _Paragraph:
    start: int
    end: int
    text: str


def _paragraphs(text: str) -> list[_Paragraph]:
    paragraphs = []
    position = 0
    for match in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped = chunk.strip()
        if stripped:
            start = position + chunk.index(stripped)
            paragraphs.append(_Paragraph(start, start + len(stripped), stripped))
        if match:
            position = match.end()
    return paragraphs


def analyse_structure(text: str, rules: AnatomyRules) -> Structure:
    """The anatomy of one article (without entity ids: the entities stage sets those)."""
    structure = Structure()
    paragraphs = _paragraphs(text)
    taken: set[int] = set()  # indices of paragraphs that are not article text

    if paragraphs:
        _find_top(paragraphs, rules, structure, taken)
        _find_tail(paragraphs, rules, structure, taken)
    for index, paragraph in enumerate(paragraphs):
        if index not in taken and _is_boilerplate(paragraph.text, rules):
            structure.debris.append(
                Debris("boilerplate", paragraph.start, paragraph.end, paragraph.text)
            )
            taken.add(index)

    body_start = 0
    if structure.dateline:
        after = text[structure.dateline.end :]
        body_start = structure.dateline.end + len(after) - len(after.lstrip())
    for index, paragraph in enumerate(paragraphs):
        if index in taken:
            continue
        start = max(paragraph.start, body_start)
        if start < paragraph.end:
            structure.body.append(Body(start, paragraph.end))
            structure.debris += _debris_in(text, start, paragraph.end)
    structure.debris += _repeated_sentences(text, structure.body)
    structure.debris.sort(key=lambda item: item.start)
    return structure


def _find_top(
    paragraphs: list[_Paragraph], rules: AnatomyRules, structure: Structure, taken: set[int]
) -> None:
    """A byline on the first line ("Par Claire Dubois"), then a dateline opening the body."""
    first = 0
    byline = _parse_byline(paragraphs[0], rules, top=True)
    if byline is not None:
        structure.byline = byline
        taken.add(0)
        first = 1
    for index in range(first, min(first + 2, len(paragraphs))):
        dateline = _parse_dateline(paragraphs[index], rules)
        if dateline is not None:
            structure.dateline = dateline
            return


def _find_tail(
    paragraphs: list[_Paragraph], rules: AnatomyRules, structure: Structure, taken: set[int]
) -> None:
    """Tags, bylines, contributor notes and boilerplate, walking back from the end."""
    last = len(paragraphs) - 1
    tags = _parse_tags(paragraphs[last], rules) if last > 0 else None
    if tags is not None:
        structure.tags = tags
        paragraph = paragraphs[last]
        structure.debris.append(Debris("tags", paragraph.start, paragraph.end, paragraph.text))
        taken.add(last)
        last -= 1
    lowest = max(1, len(paragraphs) - TAIL_PARAGRAPHS)
    for index in range(last, lowest - 1, -1):
        paragraph = paragraphs[index]
        if index in taken:
            continue
        if _is_boilerplate(paragraph.text, rules):
            structure.debris.append(
                Debris("boilerplate", paragraph.start, paragraph.end, paragraph.text)
            )
        elif (note := _parse_contributor_note(paragraph, rules)) is not None:
            structure.contributors.insert(0, note)
        elif (byline := _parse_byline(paragraph, rules, top=False)) is not None:
            structure.byline = _merge_bylines(byline, structure.byline)
        else:
            break
        taken.add(index)


def _merge_bylines(later: Byline, earlier: Byline | None) -> Byline:
    if earlier is None:
        return later
    return Byline(
        spans=earlier.spans + later.spans,
        authors=earlier.authors + later.authors,
        agencies=earlier.agencies + later.agencies,
    )


def _parse_byline(paragraph: _Paragraph, rules: AnatomyRules, *, top: bool) -> Byline | None:
    """A paragraph that is only names and agencies ("A, B et C, Associated Press")."""
    line = paragraph.text
    if "\n" in line or len(line) > MAX_META_LINE:
        return None
    offset = 0
    prefix = rules.byline_prefix.match(line)
    if prefix:
        offset = prefix.end()
    authors: list[NamedSpan] = []
    agencies: list[NamedSpan] = []
    for start, end in _list_items(line, offset, rules):
        part = line[start:end]
        span = NamedSpan(paragraph.start + start, paragraph.start + end, part)
        if rules.agency_name(part):
            agencies.append(span)
        elif _is_full_name(part, rules):
            authors.append(span)
        else:
            return None
    if not authors and not agencies:
        return None
    # At the top of an article a line of names could be a headline: demand a "Par"/"By" or an
    # agency there. At the bottom, a paragraph of nothing but full names is a byline.
    if top and not prefix and not agencies:
        return None
    return Byline(
        spans=[Span(paragraph.start, paragraph.end, line)], authors=authors, agencies=agencies
    )


def _list_items(line: str, offset: int, rules: AnatomyRules) -> Iterator[tuple[int, int]]:
    """(start, end) of each item of a list of names, separators and dashes left out."""
    position = offset
    for separator in [*rules.list_separator.finditer(line, offset), None]:
        end = separator.start() if separator else len(line)
        chunk = line[position:end]
        stripped = chunk.strip(" \t.—–-")
        if stripped:
            start = position + chunk.index(stripped)
            yield start, start + len(stripped)
        if separator:
            position = separator.end()


def _is_full_name(text: str, rules: AnatomyRules) -> bool:
    """Two to four capitalised words, particles allowed between them."""
    if not rules.person.fullmatch(text):
        return False
    words = [word for word in text.split() if word not in rules.particles]
    return 2 <= len(words) <= 4


def _parse_dateline(paragraph: _Paragraph, rules: AnatomyRules) -> Dateline | None:
    text = paragraph.text
    for pattern in (rules.caps_dateline, rules.titled_dateline, rules.correspondent_dateline):
        match = pattern.match(text)
        if match is None or match.end() >= len(text):
            continue
        base = paragraph.start
        agency_group = "agency" if "agency" in pattern.groupindex else None
        agency = None
        if agency_group and match.group("agency"):
            if pattern is rules.caps_dateline and not _plausible_agency(
                match.group("agency"), rules
            ):
                continue
            agency = NamedSpan(
                base + match.start("agency"), base + match.end("agency"), match.group("agency")
            )
        date = None
        if "date" in pattern.groupindex and match.group("date"):
            date = Span(base + match.start("date"), base + match.end("date"), match.group("date"))
        place_end = match.end("place")
        if "region" in pattern.groupindex and match.group("region"):
            place_end = match.end("region")
        place = NamedSpan(
            base + match.start("place"), base + place_end, text[match.start("place") : place_end]
        )
        whole = text[: match.end()].rstrip()
        return Dateline(base, base + len(whole), whole, place=place, agency=agency, date=date)
    return None


def _plausible_agency(text: str, rules: AnatomyRules) -> bool:
    # "(AP)", "(Reuters)": a known agency, or a short capitalised name of one or two words.
    return bool(rules.agency_name(text)) or bool(
        re.fullmatch(rf"{NAME_WORD}(?: {NAME_WORD})?", text)
    )


def _parse_contributor_note(paragraph: _Paragraph, rules: AnatomyRules) -> ContributorNote | None:
    text = paragraph.text
    if "\n" in text or len(text) > MAX_META_LINE:
        return None
    for pattern in rules.contributor_notes:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        base = paragraph.start
        who_start = match.start("who")
        people = [
            NamedSpan(
                base + who_start + start, base + who_start + end, match.group("who")[start:end]
            )
            for start, end in _list_items(match.group("who"), 0, rules)
        ]
        place = None
        if "where" in pattern.groupindex and match.group("where"):
            # NAME_WORD allows a final "." for initials; a place never ends with one.
            where = match.group("where").rstrip(".")
            start = base + match.start("where")
            place = NamedSpan(start, start + len(where), where)
        return ContributorNote(base, paragraph.end, text, people=people, place=place)
    return None


def _is_boilerplate(text: str, rules: AnatomyRules) -> bool:
    return len(text) <= MAX_META_LINE and "\n" not in text and bool(rules.boilerplate.match(text))


# -- tags --------------------------------------------------------------------------------------

GLUE = re.compile(rf"(?<=[a-zß-öø-ÿ])(?=[{UPPER}])")


def _parse_tags(paragraph: _Paragraph, rules: AnatomyRules) -> list[Span] | None:
    """The last paragraph as a line of category tags, or None if it reads as prose."""
    text = paragraph.text
    if "\n" in text or len(text) > MAX_TAG_LINE or re.search(r"[.!?:;,«»\"“”\d]", text):
        return None
    words = text.split()
    if not words[0][0].isupper() or len(words) > 12:
        return None
    glued = bool(GLUE.search(text))
    capitals = sum(1 for word in words if word[0].isupper())
    if not glued and capitals < 2:
        return None
    lower = sum(1 for word in words if word.islower() and word not in rules.particles)
    if not glued and lower >= capitals:
        return None  # "Assemblée nationale Santé" is tags; "Le gouvernement démissionne" is not
    pieces = _split_glued(text) if glued else _split_spaced(text, rules)
    return [
        Span(paragraph.start + start, paragraph.start + end, text[start:end])
        for start, end in pieces
    ]


def _split_glued(text: str) -> list[tuple[int, int]]:
    """Split where the scraper dropped the separator: "Corée du NordRussie"."""
    cuts = [0, *(match.start() for match in GLUE.finditer(text)), len(text)]
    return [(start, end) for start, end in pairwise(cuts) if text[start:end].strip()]


def _split_spaced(text: str, rules: AnatomyRules) -> list[tuple[int, int]]:
    """Split space-separated tags, keeping "Corée du Nord" and "Assemblée nationale" whole.

    A particle joins the words on both sides; a lower-case word belongs to the tag before it.
    """
    pieces: list[list[int]] = []
    joining = False
    for match in re.finditer(r"\S+", text):
        word = match.group()
        if pieces and (joining or word.islower()):
            pieces[-1][1] = match.end()
            joining = word in rules.particles
        else:
            pieces.append([match.start(), match.end()])
            joining = False
    return [(start, end) for start, end in pieces]


# -- debris inside the body --------------------------------------------------------------------

REPEATED_WORD = re.compile(r"(?<![\w'’])(\w[\w'’-]*[.!?])[ \t]+(\1)(?=\s|$)")
ORPHAN_PUNCTUATION = re.compile(r"[.!?][ \t]+[,;](?=[ \t])")
PARENTHETICAL = re.compile(r"\(([^()\n]{1,120})\)")


def _debris_in(text: str, start: int, end: int) -> list[Debris]:
    found = []
    chunk = text[start:end]
    for match in REPEATED_WORD.finditer(chunk):
        found.append(
            Debris("repeated_word", start + match.start(2), start + match.end(2), match.group(2))
        )
    for match in ORPHAN_PUNCTUATION.finditer(chunk):
        found.append(
            Debris("orphan_punctuation", start + match.start(), start + match.end(), match.group())
        )
    for match in PARENTHETICAL.finditer(chunk):
        if _repeats_what_precedes(chunk[: match.start()], match.group(1)):
            found.append(
                Debris(
                    "duplicate_parenthetical",
                    start + match.start(),
                    start + match.end(),
                    match.group(),
                )
            )
    found += _truncated_parentheticals(chunk, start)
    return found


def _repeats_what_precedes(before: str, inside: str) -> bool:
    """True for "6 500 kilomètres (plus de 6 500 kilomètres)": the content ends the same way."""
    before_words = before.split()
    inside_words = inside.split()
    for size in range(len(inside_words), 1, -1):
        tail = inside_words[-size:]
        if before_words[-size:] == tail and len(" ".join(tail)) >= 6:
            return True
    return False


def _truncated_parentheticals(chunk: str, offset: int) -> list[Debris]:
    """A fragment closed by a ")" that nothing opened: ". 4 040 milles)"."""
    if ")" not in chunk:
        return []  # most paragraphs: no need to read them character by character
    found = []
    depth = 0
    last_boundary = -1
    for index, char in enumerate(chunk):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0 and last_boundary >= 0:
                found.append(
                    Debris(
                        "truncated_parenthetical",
                        offset + last_boundary,
                        offset + index + 1,
                        chunk[last_boundary : index + 1],
                    )
                )
                last_boundary = -1
            depth = max(0, depth - 1)
        elif char in ".!?" and depth == 0:
            last_boundary = index
    return found


def _repeated_sentences(text: str, body: list[Body]) -> list[Debris]:
    """A sentence of six words or more that the article already said: the later copy."""
    seen: set[str] = set()
    found = []
    for part in body:
        for match in SENTENCE.finditer(text, part.start, part.end):
            sentence = match.group().strip()
            key = " ".join(sentence.casefold().split())
            if len(key.split()) < MIN_REPEATED_SENTENCE_WORDS:
                continue
            if key in seen:
                start = match.start() + match.group().index(sentence)
                found.append(Debris("repeated_sentence", start, start + len(sentence), sentence))
            seen.add(key)
    return found


# -- the masked reading text -------------------------------------------------------------------


def masked_text(text: str, structure: Structure) -> str:
    """`text` with everything that is not article prose blanked (same length, newlines kept)."""
    chars = list(text)
    spans: list[tuple[int, int]] = []
    if structure.dateline:
        spans.append((structure.dateline.start, structure.dateline.end))
    if structure.byline:
        spans += [(span.start, span.end) for span in structure.byline.spans]
    spans += [(note.start, note.end) for note in structure.contributors]
    spans += [(item.start, item.end) for item in structure.debris]
    for start, end in spans:
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)
