"""A language's event resources, read once: triggers, frames, factuality cues, sources, quotes.

Everything here is data under `resources/<lang>/`: `events/<type>.tsv` (one PLOVER type per
file), `event_frames.tsv`, `event_objects.tsv`, `factuality_cues.tsv`, `conditional_endings.txt`,
`reporting_verbs.txt`, `source_markers.txt`, `quote_marks.tsv`, `event_contexts.tsv`, and the
parser's dependency labels in `language.toml` (`[syntax]`). Adding a verb is adding a line.
"""

from __future__ import annotations

from dataclasses import dataclass

from dateline.resources import LanguageResources
from dateline.string_ids import StringIdMemo

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
ROLES = ("actor", "target", "place", "destination")


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    type: str
    mode: str | None
    frame: str
    reflexive: bool  # "se rendre": only with its reflexive pronoun


@dataclass(frozen=True, slots=True)
class Syntax:
    """The parser's dependency labels for each kind of argument (`language.toml`)."""

    subject: frozenset[str]
    passive_subject: frozenset[str]
    object: frozenset[str]
    oblique: frozenset[str]
    preposition: frozenset[str]
    case: frozenset[str]
    possessive: frozenset[str]
    passive_auxiliary: frozenset[str]
    agent_prepositions: frozenset[str]
    of_prepositions: frozenset[str]
    reflexive: frozenset[str]
    clausal: frozenset[str]


class EventLexicon:
    def __init__(self, resources: LanguageResources) -> None:
        self.language = resources.code
        self.triggers: dict[tuple[str, str], TriggerEntry] = {}
        for name, rows in resources.tables("events").items():
            event_type = name.upper()
            if event_type not in PLOVER_TYPES:
                raise ValueError(f"resources/{resources.code}/events/{name}.tsv: not a PLOVER type")
            for lemma, pos, mode, frame, *_ in rows:
                reflexive = lemma.startswith("se ")
                key = (lemma.removeprefix("se ").casefold(), pos)
                if key in self.triggers:
                    raise ValueError(f"resources/{resources.code}/events: {lemma} ({pos}) twice")
                self.triggers[key] = TriggerEntry(
                    event_type, None if mode == "-" else mode, frame, reflexive
                )
        # The words a trigger can be, whatever its part of speech: a cheap first test.
        self.trigger_words = frozenset(word for word, _ in self.triggers)
        # The same test by spaCy string id, for the parse's arrays.
        self.is_trigger_id = StringIdMemo(lambda word: word.casefold() in self.trigger_words)
        frames: dict[str, dict[str, str]] = {}
        self.requirements: dict[str, tuple[str, ...]] = {}
        for frame, slot, role in resources.table("event_frames"):
            frames.setdefault(frame, {})
            if slot == "requires":
                self.requirements[frame] = (*self.requirements.get(frame, ()), role)
                continue
            if role not in ROLES:
                raise ValueError(f"resources/{resources.code}/event_frames.tsv: role {role}?")
            frames.setdefault(frame, {})[slot] = role
        # Frames whose trigger needs a certain object ("lancer des missiles", not "un appel").
        self.object_words: dict[str, frozenset[str]] = {}
        for frame, word in resources.table("event_objects"):
            frames.setdefault(frame, {})
            wanted = self.object_words.get(frame, frozenset())
            self.object_words[frame] = wanted | {word.casefold()}
        default = frames.get("default", {})
        self.frames = {name: default | slots for name, slots in frames.items()}
        self.cues: dict[tuple[str, str], str] = {
            (word.casefold(), kind): factuality
            for word, kind, factuality in resources.table("factuality_cues")
        }
        self.conditional_endings = tuple(resources.words("conditional_endings"))
        self.reporting_verbs = frozenset(w.casefold() for w in resources.words("reporting_verbs"))
        self.source_markers = tuple(
            tuple(marker.casefold().replace("’", "'").split())
            for marker in resources.words("source_markers")
        )
        # The same tests by spaCy string id (of a lemma; of a lower-case form), so that a
        # sentence is read word by word only when its string ids (`DocIds`) hold such a word.
        self.is_reporting_id = StringIdMemo(lambda lemma: lemma.casefold() in self.reporting_verbs)
        marker_starts = frozenset(marker[0] for marker in self.source_markers if marker)
        self.is_marker_start_id = StringIdMemo(
            lambda lower: lower.replace("’", "'") in marker_starts
        )
        self.quote_marks = [(row[0], row[1]) for row in resources.table("quote_marks")]
        self.contexts = {word.casefold(): ctx for word, ctx in resources.table("event_contexts")}
        self.is_context_id = StringIdMemo(lambda lemma: lemma.casefold() in self.contexts)
        syntax = resources.syntax
        self.syntax = Syntax(**{key: frozenset(syntax.get(key, ())) for key in _SYNTAX_KEYS})

    def frame(self, name: str) -> dict[str, str]:
        return self.frames.get(name, self.frames["default"])


_SYNTAX_KEYS = (
    "subject", "passive_subject", "object", "oblique", "preposition", "case", "possessive",
    "passive_auxiliary", "agent_prepositions", "of_prepositions", "reflexive", "clausal",
)  # fmt: skip
