"""Word tests remembered by spaCy string id, across documents.

A stage that must test every token of every document ("is this word a trigger?", "an
equipment name?") reads the parse's array of string ids instead of building a `Token` per word,
and asks each distinct id once per process rather than once per token: an id is the hash of
its string, the same in every parse, and a corpus repeats most of its words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from spacy.attrs import LEMMA, LOWER
from spacy.strings import StringStore
from spacy.tokens import Doc

Answer = TypeVar("Answer")

# Distinct words remembered before starting afresh: a long ingest meets endless words.
MEMO_SIZE = 200_000


class StringIdMemo(Generic[Answer]):
    """`of_word` of each word, looked up by string id."""

    def __init__(self, of_word: Callable[[str], Answer]) -> None:
        self._of_word = of_word
        self._known: dict[int, Answer] = {}

    def answers(self, ids: Iterable[int], strings: StringStore) -> dict[int, Answer]:
        """A mapping that holds the answer for every id in `ids` (and possibly others)."""
        known = self._known
        wanted = set(ids)
        missing = wanted.difference(known)
        if len(known) + len(missing) > MEMO_SIZE:
            known.clear()
            missing = wanted
        of_word = self._of_word
        for string_id in missing:
            known[string_id] = of_word(strings[string_id])
        return known


@dataclass(frozen=True, slots=True)
class DocIds:
    """The string ids of each token's lemma and lower-case form, read from a parse once.

    `Doc.to_array` reads a whole parse in microseconds; `Span.to_array` and a `Token` per word
    cost far more, so a stage that tests the words of many spans reads them from here.
    """

    lemmas: list[int]
    lowers: list[int]

    @classmethod
    def of(cls, doc: Doc) -> DocIds:
        rows = doc.to_array([LEMMA, LOWER]).tolist() if len(doc) else []
        return cls([row[0] for row in rows], [row[1] for row in rows])
