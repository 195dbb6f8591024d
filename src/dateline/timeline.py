"""Timelines: what happened, when, to whom, from a store.

Two kinds, both filtered by entity, place, event type and dates:

- the **event timeline** (`event_timeline`): one entry per corpus event (corpus_events.py), in
  date order, with its interval, what happened (the sentence of its earliest report), who and
  where, its factuality, how many independent sources report it and where each report says it
  (document, publication date, character offsets of the sentence);
- the **topic timeline** (`topic_timeline`): the days that matter for a whole corpus and one
  sentence for each, as timeline summarisation does it (date selection, then one summary per
  date). A day's score is the number of independent documents (near duplicates folded) whose
  text names that very day, plus `PUBLICATION_WEIGHT` per independent document published on it:
  a day many outlets refer back to is a day something happened. The day's sentence is the most
  central of the sentences that name it (the one sharing most content words with the others),
  or of the lead sentences of the day's articles when none names it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateline.store import Store

# Tuned on the development topics (ML-Crisis Egypt and Libya, Timeline17): see the README.
PUBLICATION_WEIGHT = 0.5
LATER_WEIGHT = 1.0
DAY_SPACING = 0
# Summaries are drawn from sentences of reasonable length: titles and fragments say little,
# paragraph-long sentences are usually segmentation failures.
SENTENCE_WORDS = (6, 60)

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+(?=[«\"“(]?[A-ZÀ-ÖØ-Þ0-9])|\n\s*")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """Which part of a corpus a timeline covers (every field optional)."""

    entity: str | None = None
    place: str | None = None
    type: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(slots=True)
class SourceLink:
    document: str
    published: str | None
    start: int | None
    end: int | None
    factuality: str


@dataclass(slots=True)
class TimelineEntry:
    """One line of a timeline."""

    earliest: date | None
    latest: date | None
    what: str
    type: str | None = None
    who: list[str] = field(default_factory=list)
    whom: list[str] = field(default_factory=list)
    where: str | None = None
    factuality: str | None = None
    dated: bool = True
    reported: str | None = None  # for an undated event: when its first report was published
    sources: int = 0
    reports: list[SourceLink] = field(default_factory=list)
    score: float | None = None

    @property
    def when(self) -> str:
        if not self.dated and self.reported:
            return f"reported {self.reported}"
        if self.earliest is None:
            return "undated"
        if self.latest is None or self.latest == self.earliest:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}..{self.latest.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "when": self.when,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
            "dated": self.dated,
            "type": self.type,
            "what": self.what,
            "who": self.who,
            "whom": self.whom,
            "where": self.where,
            "factuality": self.factuality,
            "sources": self.sources,
            "score": self.score,
            "reports": [
                {
                    "document": link.document,
                    "published": link.published,
                    "start": link.start,
                    "end": link.end,
                    "factuality": link.factuality,
                }
                for link in self.reports
            ],
        }


# -- event timeline --------------------------------------------------------------------------

EVENTS_SQL = """
WITH chosen AS (
    SELECT * FROM corpus_events c
    WHERE {where}
    ORDER BY CASE WHEN c.dated THEN c.earliest ELSE c.first_published END NULLS LAST, c.latest,
             c.corpus_event_id
    {limit}
)
SELECT c.corpus_event_id, c.type, c.mode, c.factuality, c.earliest, c.latest, c.dated,
       c.sources, c.first_published,
       (SELECT list(n.name ORDER BY idx) FROM UNNEST(c.actors) WITH ORDINALITY AS a(id, idx)
          JOIN corpus_entities n ON n.corpus_id = a.id) AS who,
       (SELECT list(n.name ORDER BY idx) FROM UNNEST(c.targets) WITH ORDINALITY AS a(id, idx)
          JOIN corpus_entities n ON n.corpus_id = a.id) AS whom,
       p.name AS place,
       f.sentence AS what,
       fd.published AS first_published_as
FROM chosen c
LEFT JOIN corpus_entities p ON p.corpus_id = c.place_id
LEFT JOIN documents fd ON fd.doc_key = c.first_doc_key
LEFT JOIN events f ON f.doc_key = c.first_doc_key AND f.event_id = c.first_event_id
ORDER BY CASE WHEN c.dated THEN c.earliest ELSE c.first_published END NULLS LAST, c.latest,
         c.corpus_event_id
"""

REPORTS_SQL = """
SELECT e.corpus_event_id, d.id, d.published, e.sentence_start, e.sentence_end, e.factuality
FROM events e JOIN documents d USING (doc_key)
WHERE e.corpus_event_id IN (SELECT UNNEST(?))
ORDER BY e.corpus_event_id, d.published_earliest NULLS LAST, d.id, e.sentence_start
"""


def event_timeline(
    store: Store, selection: TimelineFilter | None = None, limit: int | None = None
) -> list[TimelineEntry]:
    """One entry per corpus event matching `selection`, in date order."""
    selection = selection or TimelineFilter()
    where, parameters = _event_conditions(store, selection)
    sql = EVENTS_SQL.format(
        where=" AND ".join(where) or "true", limit=f"LIMIT {int(limit)}" if limit else ""
    )
    result = store.execute(sql, parameters)
    entries: dict[int, TimelineEntry] = {}
    for row in result.rows:
        item = dict(zip(result.columns, row, strict=True))
        dated = bool(item["dated"])
        entries[item["corpus_event_id"]] = TimelineEntry(
            earliest=item["earliest"] if dated else item["first_published"],
            latest=item["latest"] if dated else item["first_published"],
            what=_clean(item["what"] or ""),
            type=item["type"] + (f" ({item['mode']})" if item["mode"] else ""),
            who=list(item["who"] or []),
            whom=list(item["whom"] or []),
            where=item["place"],
            factuality=item["factuality"],
            dated=dated,
            reported=item["first_published_as"],
            sources=item["sources"],
        )
    if entries:
        links = store.execute(REPORTS_SQL, [list(entries)])
        for number, document, published, start, end, factuality in links.rows:
            entries[number].reports.append(SourceLink(document, published, start, end, factuality))
    return list(entries.values())


def _event_conditions(store: Store, selection: TimelineFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    parameters: list[Any] = []
    if selection.type:
        where.append("c.type = ?")
        parameters.append(selection.type.upper())
    # An undated event is placed on the day its first report was published, as it is shown.
    if selection.start:
        where.append("(CASE WHEN c.dated THEN c.latest ELSE c.first_published END) >= ?")
        parameters.append(selection.start)
    if selection.end:
        where.append("(CASE WHEN c.dated THEN c.earliest ELSE c.first_published END) <= ?")
        parameters.append(selection.end)
    if selection.entity:
        ids = matching_corpus_entities(store, selection.entity)
        where.append("(list_has_any(c.actors, ?) OR list_has_any(c.targets, ?))")
        parameters += [ids, ids]
    if selection.place:
        ids = matching_corpus_entities(store, selection.place, places=True)
        codes = matching_countries(selection.place)
        where.append("(c.place_id IN (SELECT UNNEST(?)) OR c.country IN (SELECT UNNEST(?)))")
        parameters += [ids, codes]
    return where, parameters


def matching_corpus_entities(store: Store, name: str, *, places: bool = False) -> list[int]:
    """Corpus entities a user's name for them designates, in any spelling or language.

    The name's spelling-blind key in each language ("Choïgou" and "Shoigu" key alike), matched
    against every key the corpus entities were registered with, and the plain name (without a
    leading article: "Le Havre" finds "port du Havre") as a substring of any name a document
    gave them ("Kim" finds "Kim Jong Un"). A place is also found through the gazetteer: every
    place of that name (GeoNames id) the places stage resolved a mention to.
    """
    keys = set(_name_keys(name))
    if places:
        keys |= {f"geonames:{place_id}" for place_id in _gazetteer_ids(name)}
    group = "AND k.type = 'PLACE'" if places else ""
    result = store.execute(
        f"""
        SELECT DISTINCT k.corpus_id FROM corpus_entity_keys k
        WHERE k.key IN (SELECT UNNEST(?)) {group}
        UNION
        SELECT DISTINCT n.corpus_id FROM entities n
        WHERE n.corpus_id IS NOT NULL
          AND strip_accents(lower(n.name)) LIKE '%' || strip_accents(lower(?)) || '%'
        """,
        [sorted(keys), _without_article(name)],
    )
    return sorted(row[0] for row in result.rows)


def _without_article(name: str) -> str:
    from dateline.resources import available_languages, load_language

    articles = {a for code in available_languages() for a in load_language(code).words("articles")}
    words = name.split()
    if len(words) > 1 and words[0].lower() in articles:
        return " ".join(words[1:])
    for elided in (a for a in articles if a.endswith(("'", "’"))):
        if name.lower().startswith(elided) and len(name) > len(elided):
            return name[len(elided) :]
    return name


def _gazetteer_ids(name: str) -> set[int]:
    from dateline.geo.gazetteer import Gazetteer

    gazetteer = Gazetteer()
    try:
        return {c.geonames_id for c in gazetteer.lookup(name) if c.geonames_id is not None}
    finally:
        gazetteer.close()


def _name_keys(name: str) -> set[str]:
    from dateline.entities import NameKeys
    from dateline.resources import available_languages, load_language

    return {" ".join(NameKeys(load_language(code)).words(name)) for code in available_languages()}


def matching_countries(name: str) -> list[str]:
    """ISO codes of the countries `name` names in any language dateline reads."""
    from dateline.entities import NameKeys
    from dateline.merge import CountryNames
    from dateline.resources import available_languages, load_language

    codes = set()
    for code in available_languages():
        resources = load_language(code)
        key = " ".join(NameKeys(resources).words(name))
        found = CountryNames(resources).codes.get(key)
        if found:
            codes.add(found)
    if len(name) == 2 and name.isalpha():
        codes.add(name.upper())
    return sorted(codes)


# -- topic timeline --------------------------------------------------------------------------

DAY_SCORES_SQL = """
WITH docs AS (
    SELECT doc_key, coalesce(duplicate_of, doc_key) AS origin, published_earliest,
           published_latest
    FROM documents WHERE {documents}
),
referred AS (
    SELECT t.earliest AS day, count(DISTINCT docs.origin) AS n,
           count(DISTINCT docs.origin) FILTER (
               WHERE docs.published_earliest > t.earliest + INTERVAL 1 DAY) AS later
    FROM times t JOIN docs USING (doc_key)
    WHERE t.type IN ('DATE', 'TIME') AND t.earliest = t.latest
    GROUP BY t.earliest
),
published AS (
    SELECT published_earliest AS day, count(DISTINCT origin) AS n
    FROM docs WHERE published_earliest = published_latest
    GROUP BY published_earliest
)
SELECT day, coalesce(r.n, 0) AS referred, coalesce(r.later, 0) AS later,
       coalesce(p.n, 0) AS published
FROM referred r FULL OUTER JOIN published p USING (day)
WHERE day IS NOT NULL AND day <= (SELECT max(published_latest) FROM docs) {days}
"""


@dataclass(frozen=True, slots=True)
class DayWeights:
    """How a day's evidence adds up (tuned on the development topics, see the README)."""

    referred: float = 1.0  # per independent document whose text names the day
    later: float = LATER_WEIGHT  # extra, when that document was published days later
    published: float = PUBLICATION_WEIGHT  # per independent document published that day


def day_scores(
    store: Store, selection: TimelineFilter | None = None, weights: DayWeights | None = None
) -> dict[date, float]:
    """Every day the corpus points at, up to its last publication, with its score."""
    selection = selection or TimelineFilter()
    weights = weights or DayWeights()
    documents, parameters = _document_conditions(store, selection)
    days = ""
    if selection.start:
        days += " AND day >= ?"
        parameters.append(selection.start)
    if selection.end:
        days += " AND day <= ?"
        parameters.append(selection.end)
    sql = DAY_SCORES_SQL.format(documents=" AND ".join(documents) or "true", days=days)
    result = store.execute(sql, parameters)
    return {
        day: weights.referred * referred + weights.later * later + weights.published * published
        for day, referred, later, published in result.rows
    }


def select_days(scores: dict[date, float], count: int, spacing: int = DAY_SPACING) -> list[date]:
    """The `count` best days, skipping a day within `spacing` days of one already chosen.

    News clusters around peaks: the days after a big event all score high for it. A timeline
    of a crisis needs its turning points, not five views of the same week.
    """
    chosen: list[date] = []
    for day in sorted(scores, key=lambda d: (-scores[d], d)):
        if len(chosen) == count:
            break
        if all(abs((day - other).days) > spacing for other in chosen):
            chosen.append(day)
    return sorted(chosen)


def _document_conditions(store: Store, selection: TimelineFilter) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    parameters: list[Any] = []
    for name, places in ((selection.entity, False), (selection.place, True)):
        if name:
            ids = matching_corpus_entities(store, name, places=places)
            conditions.append(
                "doc_key IN (SELECT doc_key FROM entities WHERE corpus_id IN (SELECT UNNEST(?)))"
            )
            parameters.append(ids)
    if selection.type:
        conditions.append("doc_key IN (SELECT doc_key FROM events WHERE type = ?)")
        parameters.append(selection.type.upper())
    return conditions, parameters


def topic_timeline(
    store: Store,
    days: int,
    selection: TimelineFilter | None = None,
    weights: DayWeights | None = None,
    spacing: int = DAY_SPACING,
) -> list[TimelineEntry]:
    """The `days` best-scored days of the corpus, each with its most central sentence."""
    selection = selection or TimelineFilter()
    scores = day_scores(store, selection, weights)
    chosen = select_days(scores, days, spacing)
    documents, parameters = _document_conditions(store, selection)
    entries = []
    for day in chosen:
        candidates = _day_sentences(store, day, documents, parameters)
        best = _most_central(candidates)
        entry = TimelineEntry(earliest=day, latest=day, what="", score=scores[day])
        if best is not None:
            entry.what = best.text
            entry.reports.append(
                SourceLink(best.document, best.published, best.start, best.end, "asserted")
            )
        entry.sources = len({c.origin for c in candidates})
        entries.append(entry)
    return entries


@dataclass(slots=True)
class _Sentence:
    text: str
    document: str
    published: str | None
    start: int
    end: int
    origin: str
    has_event: bool


DAY_TEXTS_SQL = """
SELECT d.doc_key, d.id, d.published, d.text, coalesce(d.duplicate_of, d.doc_key) AS origin,
       list(t.start) FILTER (WHERE t.earliest = ? AND t.latest = ?) AS starts,
       d.published_earliest = ? AND d.published_latest = ? AS published_that_day,
       (SELECT list(e.sentence_start) FROM events e WHERE e.doc_key = d.doc_key) AS events
FROM documents d LEFT JOIN times t ON t.doc_key = d.doc_key AND t.type IN ('DATE', 'TIME')
WHERE {documents}
GROUP BY ALL
HAVING len(starts) > 0 OR published_that_day
"""


def _day_sentences(
    store: Store, day: date, documents: list[str], parameters: list[Any]
) -> list[_Sentence]:
    sql = DAY_TEXTS_SQL.format(documents=" AND ".join(documents) or "true")
    result = store.execute(sql, [day, day, day, day, *parameters])
    naming: list[_Sentence] = []
    leads: list[_Sentence] = []
    for _, document, published, text, origin, starts, _, event_starts in result.rows:
        sentences = list(_sentences(text))
        events = set(event_starts or ())
        found = False
        for start, end in sentences:
            if any(start <= s < end for s in starts or ()):
                naming.append(
                    _Sentence(text[start:end], document, published, start, end, origin,
                              start in events)
                )  # fmt: skip
                found = True
        if not found and sentences:
            # The lead: the first sentence of reasonable length (the title is usually short).
            for start, end in sentences:
                if _good_length(text[start:end]):
                    leads.append(
                        _Sentence(text[start:end], document, published, start, end, origin,
                                  start in events)
                    )  # fmt: skip
                    break
    return naming or leads


def _sentences(text: str):
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        if text[start:end].strip():
            yield _trim(text, start, end)
        start = match.end()
    if text[start:].strip():
        yield _trim(text, start, len(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _good_length(sentence: str) -> bool:
    words = len(_WORD.findall(sentence))
    return SENTENCE_WORDS[0] <= words <= SENTENCE_WORDS[1]


def _content_words(text: str) -> Counter:
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )
    # Words of four letters or more: a language-free stand-in for a stopword list.
    return Counter(word for word in _WORD.findall(plain) if len(word) > 3)


def _most_central(candidates: list[_Sentence]) -> _Sentence | None:
    """The sentence most like the others (cosine of content words), well-formed first."""
    if not candidates:
        return None
    pool = [c for c in candidates if _good_length(c.text)] or candidates
    # One sentence per independent source: a republished story must not vote twice.
    seen: set[tuple[str, str]] = set()
    unique = []
    for sentence in pool:
        key = (sentence.origin, sentence.text)
        if key not in seen:
            seen.add(key)
            unique.append(sentence)
    vectors = [_content_words(s.text) for s in unique]
    norms = [math.sqrt(sum(v * v for v in vector.values())) or 1.0 for vector in vectors]

    def centrality(index: int) -> float:
        total = 0.0
        for other, vector in enumerate(vectors):
            if other != index:
                shared = sum(vectors[index][w] * vector[w] for w in vectors[index] if w in vector)
                total += shared / (norms[index] * norms[other])
        return total + (0.1 if unique[index].has_event else 0.0)

    best = max(range(len(unique)), key=lambda i: (centrality(i), -i))
    return unique[best]


def _clean(text: str) -> str:
    return " ".join(text.split())
