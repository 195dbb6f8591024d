"""Direct quotes and their speakers.

A quote is the text between a pair of quotation marks (`quote_marks.tsv`). Its speaker is the
subject of a reporting verb in the quote's sentence outside the quote ("« … », a déclaré le
président Yoon Suk Yeol"; "Kim a déclaré que son pays offrirait son « soutien total »"), else
the speaker of the previous quote of the same paragraph (a second quote with no verb of its
own is the same person speaking on). A quote with no speaker is kept only when it is long
enough to be speech rather than a title or a nickname (« Misha », « Adieu à Slavianka »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from dateline.events.factuality import (
    is_reporting,
    name_after,
    reporting_candidates,
    speaker_of,
)
from dateline.events.lexicon import EventLexicon
from dateline.string_ids import DocIds

MIN_UNATTRIBUTED_WORDS = 6
MAX_QUOTE_CHARS = 3000


@dataclass(frozen=True, slots=True)
class FoundQuote:
    start: int
    end: int
    speaker: Token | None


def quote_spans(text: str, lexicon: EventLexicon) -> list[tuple[int, int]]:
    """(start, end) of each quote's words, marks and surrounding spaces excluded."""
    spans: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for opening, closing in lexicon.quote_marks:
        pattern = re.compile(
            re.escape(opening)
            + r"([^"
            + re.escape(closing)
            + rf"\n]{{1,{MAX_QUOTE_CHARS}}})"
            + re.escape(closing)
        )
        for match in pattern.finditer(text):
            outer = match.span()
            if any(outer[0] < end and start < outer[1] for start, end in taken):
                continue
            start, end = match.span(1)
            inner = text[start:end]
            start += len(inner) - len(inner.lstrip())
            end -= len(inner) - len(inner.rstrip())
            if end > start:
                taken.append(outer)
                spans.append((start, end))
    return sorted(spans)


def find_quotes(text: str, doc: Doc, lexicon: EventLexicon, ids: DocIds) -> list[FoundQuote]:
    found: list[FoundQuote] = []
    previous: FoundQuote | None = None
    for start, end in quote_spans(text, lexicon):
        speaker = _speaker(doc, start, end, lexicon, ids, short=_short(text[start:end]))
        same_paragraph = previous is not None and "\n" not in text[previous.end : start]
        if speaker is None and same_paragraph and previous.speaker is not None:
            speaker = previous.speaker
        if speaker is None and _short(text[start:end]):
            continue
        quote = FoundQuote(start, end, speaker)
        found.append(quote)
        previous = quote
    return found


def _short(words: str) -> bool:
    return len(words.split()) < MIN_UNATTRIBUTED_WORDS


def _speaker(
    doc: Doc, start: int, end: int, lexicon: EventLexicon, ids: DocIds, *, short: bool
) -> Token | None:
    first = doc.char_span(start, end, alignment_mode="expand")
    if first is None or not len(first):
        return None
    sentences = {first[0].sent.start: first[0].sent, first[-1].sent.start: first[-1].sent}
    after = first[-1].sent.end
    # A reporting verb right after the quote's own sentence ends ("» , a déclaré …").
    if after < len(doc) and doc[after].is_punct and doc[after].text in (",", "»", "”"):
        sentences[after] = doc[after].sent
    candidates = []
    for sentence in sentences.values():
        for token in reporting_candidates(sentence, lexicon, ids):
            if start <= token.idx < end or token.pos_ != "VERB":
                continue
            if is_reporting(token, lexicon):
                distance = min(abs(token.idx - start), abs(token.idx - end))
                candidates.append((distance, token))
    for _, verb in sorted(candidates, key=lambda item: item[0]):
        speaker = speaker_of(verb, lexicon)
        if speaker is None or start <= speaker.idx < end:
            # "« C'est une étape », a écrit Zelensky": the parser may take a word of the quote
            # for the subject; the speaker is then the name after the verb.
            speaker = name_after(verb)
        if speaker is None or start <= speaker.idx < end:
            continue
        # A few quoted words are someone's only when the reporting verb governs them ("a
        # déclaré que son pays offrirait son « soutien total »"); otherwise they are a title
        # or a nickname that happens to share a sentence with a reporting verb.
        if short and not any(word.i == first[0].i for word in verb.subtree):
            continue
        return speaker
    return None
