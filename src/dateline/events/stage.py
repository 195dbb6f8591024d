"""The events stage: PLOVER events, their factuality and source, and the quotes of a record.

For each sentence of the parse, a word whose lemma is in the language's event lexicon
(`resources/<lang>/events/<type>.tsv`) is a trigger. Its arguments come from the parse
(`arguments.py`), its factuality and source from cue words and reporting verbs
(`factuality.py`), its time from the time expression inside its clause, else the one nearest in
its sentence, else the publication date (its `earliest`/`latest` say which days are possible).
A request answered in the same sentence ("Kim a invité Poutine …, et Poutine a accepté") gives
the answer its target. Quotes come from `quotes.py`.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from spacy.attrs import IS_SPACE
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from dateline.events.arguments import Found, Mentions, arguments, phrase, slots
from dateline.events.factuality import factuality, source_phrase
from dateline.events.lexicon import EventLexicon, TriggerEntry
from dateline.events.quotes import find_quotes
from dateline.record import Argument, Event, Extent, Quote, Record, Trigger
from dateline.resources import PerLanguage
from dateline.string_ids import DocIds

if TYPE_CHECKING:
    from dateline.pipeline import Analysis

NOUN_POS = frozenset({"NOUN", "PROPN"})
VERB_POS = frozenset({"VERB"})
# An answer to a request names no one when the request just did ("et Poutine a accepté").
ANSWERS = frozenset({"AGREE", "REJECT"})


class ExtractEvents:
    name = "events"
    requires = ("record.entities", "record.times", "record.places", "doc")
    provides = ("record.events", "record.quotes")

    def __init__(self) -> None:
        self._lexicons = PerLanguage(EventLexicon)

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            record = analysis.record
            lexicon = self._lexicons[record.language]
            mentions = Mentions(record)
            ids = DocIds.of(analysis.doc)
            record.events = extract_events(record, analysis.doc, lexicon, mentions, ids)
            record.quotes = extract_quotes(record, analysis.doc, lexicon, mentions, ids)


def trigger_entry(token: Token, lexicon: EventLexicon) -> TriggerEntry | None:
    if token.pos_ in VERB_POS:
        pos = "verb"
    elif token.pos_ in NOUN_POS:
        pos = "noun"
    else:
        return None
    entry = lexicon.triggers.get((token.lemma_.casefold(), pos)) or lexicon.triggers.get(
        (token.lower_, pos)
    )
    if entry is None:
        return None
    if entry.reflexive and not any(
        child.lower_.replace("’", "'") in lexicon.syntax.reflexive for child in token.children
    ):
        return None
    return entry


def extract_events(
    record: Record, doc, lexicon: EventLexicon, mentions: Mentions, ids: DocIds
) -> list[Event]:
    text = record.text
    events: list[Event] = []
    candidates = _candidate_triggers(ids, doc, lexicon)
    context_words = _context_words(ids, doc, lexicon)
    for sentence in reading_sentences(doc):
        in_sentence: list[Event] = []
        first = bisect_left(candidates, sentence.start)
        last = bisect_left(candidates, sentence.end)
        for token in (doc[i] for i in candidates[first:last]):
            entry = trigger_entry(token, lexicon)
            if entry is None or _inside_a_name(token, mentions) or _adjectival(token):
                continue
            event = _event(
                token, entry, sentence, record, mentions, lexicon, text, ids, context_words
            )
            if event is not None:
                in_sentence.append(event)
        _answer_requests(in_sentence)
        events += in_sentence
    for number, event in enumerate(events, start=1):
        event.id = f"v{number}"
    return events


def _candidate_triggers(ids: DocIds, doc, lexicon: EventLexicon) -> list[int]:
    """The positions of the tokens whose lemma or form is a trigger word, in order.

    Read from the parse's string ids: building a `Token` for every word of every document
    costs more than the rest of the stage.
    """
    is_trigger = lexicon.is_trigger_id.answers([*ids.lemmas, *ids.lowers], doc.vocab.strings)
    return [
        i
        for i, (lemma, lower) in enumerate(zip(ids.lemmas, ids.lowers, strict=True))
        if is_trigger[lemma] or is_trigger[lower]
    ]


def _context_words(ids: DocIds, doc, lexicon: EventLexicon) -> list[int]:
    """The positions of the tokens whose lemma names a context (`event_contexts.tsv`)."""
    is_context = lexicon.is_context_id.answers(ids.lemmas, doc.vocab.strings)
    return [i for i, lemma in enumerate(ids.lemmas) if is_context[lemma]]


SENTENCE_ENDS = frozenset({".", "!", "?", "…"})


def reading_sentences(doc) -> list[SpacySpan]:
    """The parser's sentences, with the pieces it cut out of one sentence put back together:
    a cut after an opening quotation mark or before ", a rapporté l'agence RIA" is no sentence
    end. A line break always is (a title has no full stop)."""
    merged: list[SpacySpan] = []
    for sentence in _line_pieces(doc):
        if merged:
            previous = merged[-1]
            # Token by token: `Doc.text` would rebuild the whole text for every sentence.
            gap = [previous[-1].whitespace_, *(t.text for t in doc[previous.end : sentence.start])]
            last = previous[-1].text
            if (last not in SENTENCE_ENDS and "\n" not in "".join(gap)) or sentence[0].text == ",":
                merged[-1] = doc[previous.start : sentence.end]
                continue
        merged.append(sentence)
    return merged


def _line_pieces(doc) -> list[SpacySpan]:
    """The parser's sentences, cut again at line breaks (a paragraph never runs on)."""
    if not len(doc):
        return []
    # spaCy keeps at most one plain space after a token: any other whitespace, a line break
    # included, is a space token of its own, so only those need reading.
    is_space = doc.to_array(IS_SPACE).tolist()
    breaks = [i for i, space in enumerate(is_space) if space and "\n" in doc[i].text]
    pieces = []
    for sentence in doc.sents:
        start = sentence.start
        for i in breaks[bisect_left(breaks, sentence.start) : bisect_left(breaks, sentence.end)]:
            if i > start:
                pieces.append(doc[start:i])
            start = i + 1
        if start < sentence.end:
            pieces.append(doc[start : sentence.end])
    return [piece for piece in pieces if not all(is_space[piece.start : piece.end])]


def _adjectival(token: Token) -> bool:
    """ "des accords bloqués": a participle describing a noun is no event of its own."""
    return (
        token.dep_ in ("acl", "amod")
        and "Part" in token.morph.get("VerbForm")
        and not any(child.dep_.startswith(("aux", "nsubj")) for child in token.children)
    )


def _has_object_among(trigger: Token, words: frozenset[str], lexicon: EventLexicon) -> bool:
    """Whether the trigger's object (its subject, in the passive), or a word coordinated with
    it, is one of `words`: "a lancé des roquettes et des obus", "des missiles ont été lancés"."""
    return any(
        slot in ("object", "passive_subject") and head.lemma_.casefold() in words
        for slot, head in slots(trigger, lexicon)
    )


def _inside_a_name(token: Token, mentions: Mentions) -> bool:
    """ "Conseil de sécurité", "Summit Avenue": a word of a name is no trigger."""
    covering = mentions.covering(token.idx, token.idx + len(token))
    return covering is not None and mentions.types.get(covering[2]) != "PERSON"


def _event(
    token: Token,
    entry: TriggerEntry,
    sentence: SpacySpan,
    record: Record,
    mentions: Mentions,
    lexicon: EventLexicon,
    text: str,
    ids: DocIds,
    context_words: list[int],
) -> Event | None:
    wanted = lexicon.object_words.get(entry.frame)
    if wanted is not None and not _has_object_among(token, wanted, lexicon):
        return None  # "a lancé un appel", "« … », a lancé le ministre": no weapon, no attack
    frame = lexicon.frame(entry.frame)
    found = arguments(token, frame, lexicon, mentions, text)
    named = {item.role for item in found if item.entity}
    if not found or (token.pos_ in NOUN_POS and not named):
        return None  # "l'aide", "ce qu'elle appelle": no one named, too vague to record
    named_directly = {item.role for item in found if item.entity and item.direct}
    if any(role not in named_directly for role in lexicon.requirements.get(entry.frame, ())):
        return None  # "recevoir des munitions" is no meeting: a host frame needs its guest
    source_head = source_phrase(token, sentence, lexicon, ids)
    source: Found | None = None
    if source_head is not None:
        start, end = phrase(source_head)
        mention = mentions.entity_of(source_head, (start, end))
        if mention is not None:
            start, end = mention[0], mention[1]
        source = Found("source", text[start:end], start, end, mention[2] if mention else None)
    actors = _entities(found, "actor")
    targets = [e for e in _entities(found, "target") if e not in actors]
    places = _entities(found, "place")
    time = _time(token, sentence, record)
    earliest, latest = _interval(time, record)
    return Event(
        id="",
        type=entry.type,
        mode=entry.mode,
        trigger=Trigger(token.text, token.idx, token.idx + len(token)),
        actors=actors,
        targets=targets,
        place=places[0] if places else None,
        time=time.id if time else None,
        factuality=factuality(token, lexicon, has_source=source is not None),
        source=(source.entity or source.text) if source else None,
        arguments=[
            Argument(item.role, item.text, item.start, item.end, item.entity)
            for item in [*found, *([source] if source else [])]
        ],
        context=_contexts(token, lexicon, context_words),
        earliest=earliest,
        latest=latest,
        sentence=Extent(sentence.start_char, sentence.end_char),
    )


def _entities(found: list[Found], role: str) -> list[str]:
    seen: list[str] = []
    for item in found:
        if item.role == role and item.entity and item.entity not in seen:
            seen.append(item.entity)
    return seen


def _contexts(token: Token, lexicon: EventLexicon, context_words: list[int]) -> list[str]:
    """The contexts named by words of the trigger's subtree, in order, each once."""
    # The subtree lies between its edges: with no context word there, no word need be read.
    first = bisect_left(context_words, token.left_edge.i)
    if first == len(context_words) or context_words[first] > token.right_edge.i:
        return []
    contexts = []
    for word in token.subtree:
        context = lexicon.contexts.get(word.lemma_.casefold())
        if context and context not in contexts:
            contexts.append(context)
    return contexts


def _time(token: Token, sentence: SpacySpan, record: Record):
    """The time expression in the trigger's clause, else the nearest one in its sentence."""
    in_sentence = [t for t in record.times if sentence.start_char <= t.start < sentence.end_char]
    if not in_sentence:
        return None
    clause = {word.idx for word in token.subtree}
    own = [t for t in in_sentence if t.start in clause]
    pool = own or in_sentence
    return min(pool, key=lambda t: abs(t.start - token.idx))


def _interval(time, record: Record) -> tuple[str | None, str | None]:
    if time is not None and time.earliest:
        return time.earliest, time.latest
    if record.published is not None:
        return record.published.earliest.isoformat(), record.published.latest.isoformat()
    return None, None


def _answer_requests(events: list[Event]) -> None:
    for index, event in enumerate(events):
        if event.type not in ANSWERS or event.targets:
            continue
        for earlier in reversed(events[:index]):
            if earlier.type == "REQUEST" and set(event.actors) & set(earlier.targets):
                event.targets = [a for a in earlier.actors if a not in event.actors]
                break


def extract_quotes(
    record: Record, doc, lexicon: EventLexicon, mentions: Mentions, ids: DocIds
) -> list[Quote]:
    quotes = []
    for found in find_quotes(record.text, doc, lexicon, ids):
        speaker_id = speaker_text = speaker_start = speaker_end = None
        if found.speaker is not None:
            speaker_start, speaker_end = phrase(found.speaker)
            mention = mentions.entity_of(found.speaker, (speaker_start, speaker_end))
            if mention is not None:
                speaker_start, speaker_end, speaker_id = mention
            speaker_text = record.text[speaker_start:speaker_end]
        quotes.append(
            Quote(
                speaker=speaker_id,
                text=record.text[found.start : found.end],
                start=found.start,
                end=found.end,
                speaker_text=speaker_text,
                speaker_start=speaker_start,
                speaker_end=speaker_end,
            )
        )
    return quotes
