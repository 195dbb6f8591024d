"""Precision, recall and F1 over counted matches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(slots=True)
class Score:
    """Counts of true positives, false positives and false negatives, and what follows."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found: Iterable[Hashable], expected: Iterable[Hashable]) -> None:
        """Count one item's matches (multisets: a name found twice counts twice)."""
        found_counts, expected_counts = Counter(found), Counter(expected)
        matched = sum((found_counts & expected_counts).values())
        self.tp += matched
        self.fp += sum(found_counts.values()) - matched
        self.fn += sum(expected_counts.values()) - matched

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn
