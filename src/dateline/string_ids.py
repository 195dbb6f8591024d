"""Word tests remembered by spaCy string id, across documents.

A stage that must test every token of every document ("is this word a trigger?", "an
equipment name?") reads the parse's array of string ids instead of building a `Token` per word,
and asks each distinct id once per process rather than once per token: an id is the hash of
its string, the same in every parse, and a corpus repeats most of its words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from spacy.strings import StringStore

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
