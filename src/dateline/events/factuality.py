"""Whether an event happened, and who says so.

Factuality, in order of precedence:

- `negated`: a negation beside the trigger or the verb that governs it ("n'a pas rencontré",
  "did not meet"), or a negative determiner on a noun trigger ("aucun accord");
- `possible`: a modal of possibility governs it ("pourrait fournir", "could provide") or a
  hedge qualifies its clause ("peut-être", "il est possible que");
- `future`: future tense, a modal or planning verb of the future ("devrait", "prévoit de",
  "will"), or a conditional said in the past by a reporting verb ("a déclaré qu'une délégation
  se rendrait": the future of the past);
- `reported`: the journalistic conditional ("auraient tiré"), or a source (below);
- `asserted` otherwise.

The source is, in this order: "selon X" / "according to X" in the sentence; the subject of a
reporting verb the event depends on ("Des responsables ... ont déclaré que ..."); a reporting
verb set off after the event as an incise (", a rapporté l'agence RIA"). Cue words are data
(`factuality_cues.tsv`, `reporting_verbs.txt`, `source_markers.txt`, `conditional_endings.txt`).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dateline.events.lexicon import EventLexicon
from dateline.string_ids import DocIds

PRECEDENCE = ("negated", "possible", "future", "reported", "asserted")
MAX_GOVERNORS = 4


def governors(trigger: Token) -> list[Token]:
    """The verbs an infinitive trigger depends on ("pourrait" for "fournir")."""
    chain = []
    word = trigger
    for _ in range(MAX_GOVERNORS):
        if word.dep_ != "xcomp" or word.head.i == word.i:
            break
        word = word.head
        chain.append(word)
    return chain


def reporting_governor(trigger: Token, lexicon: EventLexicon) -> Token | None:
    """The nearest reporting verb above the trigger in the tree, if any."""
    word = trigger
    while word.head.i != word.i:
        word = word.head
        if is_reporting(word, lexicon):
            return word
    return None


def is_conditional(token: Token, lexicon: EventLexicon) -> bool:
    if "Cnd" in token.morph.get("Mood"):
        return True
    lower = token.lower_
    return len(lower) > 5 and lower.endswith(lexicon.conditional_endings)


def factuality(trigger: Token, lexicon: EventLexicon, has_source: bool) -> str:
    cues = lexicon.cues
    chain = [trigger, *governors(trigger)]
    found: set[str] = set()
    for word in chain:
        for child in word.children:
            lower = child.lower_.replace("’", "'")
            if (lower, "negation") in cues:
                found.add("negated")
            if child.dep_.startswith("aux") and (lower, "modal") in cues:
                found.add(cues[(lower, "modal")])
            if child.dep_.startswith("aux") and is_conditional(child, lexicon):
                found.add("conditional")
            if (lower, "hedge") in cues:
                found.add(cues[(lower, "hedge")])
    if trigger.pos_ in ("NOUN", "PROPN"):
        for child in trigger.children:
            if (child.lower_, "determiner") in cues:
                found.add(cues[(child.lower_, "determiner")])
    for governor in chain[1:]:
        modal = cues.get((governor.lemma_.casefold(), "modal"))
        if modal:
            found.add(modal)
        if is_conditional(governor, lexicon) and not modal:
            found.add("conditional")
    # A hedge that frames the clause from above: "il est possible que la Russie livre ...".
    for ancestor in list(trigger.ancestors)[:MAX_GOVERNORS]:
        for child in ancestor.children:
            if (child.lower_, "hedge") in cues and child.i < trigger.i:
                found.add(cues[(child.lower_, "hedge")])
        if (ancestor.lower_, "hedge") in cues:
            found.add(cues[(ancestor.lower_, "hedge")])
    verb_forms = [trigger, *(c for c in trigger.children if c.dep_.startswith("aux"))]
    if any("Fut" in word.morph.get("Tense") for word in verb_forms):
        found.add("future")
    if trigger.pos_ == "VERB" and is_conditional(trigger, lexicon):
        found.add("conditional")
    if "conditional" in found:
        found.discard("conditional")
        reporter = reporting_governor(trigger, lexicon)
        found.add("future" if reporter is not None and _past(reporter) else "reported")
    if has_source:
        found.add("reported")
    return next(level for level in PRECEDENCE if level in found or level == "asserted")


def _past(verb: Token) -> bool:
    if "Past" in verb.morph.get("Tense") or "Imp" in verb.morph.get("Tense"):
        return True
    return any(c.dep_.startswith("aux") for c in verb.children)


def source_phrase(
    trigger: Token, sentence: Span, lexicon: EventLexicon, ids: DocIds
) -> Token | None:
    """The head word of whoever the event is attributed to, or None."""
    reporter = reporting_governor(trigger, lexicon)
    if reporter is not None and reporter.i != trigger.i and _same_paragraph(trigger, reporter):
        speaker = speaker_of(reporter, lexicon)
        # "X a déclaré que [event]", or "[event], a déclaré X" with its subject inverted; not
        # "[event]. X a déclaré …", which the parser sometimes hangs on the next verb.
        if speaker is not None and (reporter.i < trigger.i or speaker.i > reporter.i):
            return speaker
    marker = _marked_source(sentence, lexicon, ids)
    if marker is not None and _same_paragraph(trigger, marker):
        return marker
    return _incise_source(trigger, sentence, lexicon, ids)


def _same_paragraph(one: Token, other: Token) -> bool:
    # Token by token: `Doc.text` would rebuild the whole text on every call.
    first, last = sorted((one.i, other.i))
    return not any("\n" in token.text or "\n" in token.whitespace_ for token in one.doc[first:last])


def is_reporting(verb: Token, lexicon: EventLexicon) -> bool:
    """A reporting verb that reports: not its present participle ("soulignant
    l'approfondissement de la coopération" comments, it does not attribute)."""
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.casefold() not in lexicon.reporting_verbs:
        return False
    forms = verb.morph.get("VerbForm")
    return not ("Ger" in forms or ("Part" in forms and "Pres" in verb.morph.get("Tense")))


def speaker_of(verb: Token, lexicon: EventLexicon) -> Token | None:
    """Who a reporting verb gives the word to: its subject, or the noun after it when the
    subject is inverted ("a déclaré le président Yoon", which parsers often read as an object)."""
    subjects = [c for c in verb.children if c.dep_ in lexicon.syntax.subject]
    if subjects:
        # A pronoun ("qui", "il") is not resolved here: no speaker rather than a wrong one.
        return None if subjects[0].pos_ == "PRON" else subjects[0]
    after = [
        c
        for c in verb.children
        if c.i > verb.i and c.pos_ in ("NOUN", "PROPN") and c.dep_ not in ("obl", "obl:mod")
    ]
    return after[0] if after else None


def name_after(verb: Token) -> Token | None:
    """The first noun hanging on the verb after it, not a complement of time or place: the
    inverted speaker of "a rapporté l'agence RIA", "a écrit Volodymyr Zelensky"."""
    return next(
        (
            c
            for c in verb.children
            if c.i > verb.i and c.pos_ in ("NOUN", "PROPN") and not c.dep_.startswith("obl")
        ),
        None,
    )


def reporting_candidates(span: Span, lexicon: EventLexicon, ids: DocIds) -> list[Token]:
    """The words of `span` whose lemma is a reporting verb, found in the parse's string ids (a
    `Token` is built only for them); `is_reporting` has the last word."""
    lemmas = ids.lemmas[span.start : span.end]
    known = lexicon.is_reporting_id.answers(lemmas, span.doc.vocab.strings)
    doc, start = span.doc, span.start
    return [doc[start + offset] for offset, lemma in enumerate(lemmas) if known[lemma]]


def _marked_source(sentence: Span, lexicon: EventLexicon, ids: DocIds) -> Token | None:
    # Most sentences hold no marker's first word: tell from the string ids before reading words.
    lowers = ids.lowers[sentence.start : sentence.end]
    starts = lexicon.is_marker_start_id.answers(lowers, sentence.doc.vocab.strings)
    if not any(starts[lower] for lower in lowers):
        return None
    words = [token.lower_.replace("’", "'") for token in sentence]
    for marker in lexicon.source_markers:
        for index in range(len(words) - len(marker) + 1):
            if tuple(words[index : index + len(marker)]) != marker:
                continue
            last = sentence[index + len(marker) - 1]
            if last.dep_ in lexicon.syntax.case:
                return last.head  # "selon les médias": the case word hangs on its noun
            nouns = [t for t in last.subtree if t.pos_ in ("NOUN", "PROPN") and t.i > last.i]
            if nouns:
                return nouns[0]
    return None


def _incise_source(
    trigger: Token, sentence: Span, lexicon: EventLexicon, ids: DocIds
) -> Token | None:
    """ ", a rapporté l'agence RIA" after the event (in the sentence or the fragment after it)."""
    doc = sentence.doc
    end = sentence.end
    # The parser may cut the incise off as a sentence of its own when it follows a full stop.
    if end < len(doc) and doc[end].is_punct and doc[end].text == ",":
        end = doc[end].sent.end
    for token in reporting_candidates(doc[trigger.i + 1 : end], lexicon, ids):
        if not is_reporting(token, lexicon):
            continue
        if not _same_paragraph(trigger, token):
            return None
        between = doc[trigger.i + 1 : token.i]
        stops = [t.i for t in between if t.text in (".", "!", "?", ";")]
        if any(i + 1 < len(doc) and doc[i + 1].text != "," for i in stops):
            return None  # another sentence stands between them: its incise, not this one's
        # In an incise the speaker follows the verb, whatever the parser made of it.
        after = name_after(token)
        before = doc[max(sentence.start, token.i - 3) : token.i]
        # (The comma may have been masked as debris: ". ," after a sentence is a typo.)
        if after is not None and any(t.text == "," or t.is_space for t in before):
            return after
    return None
