"""Scores of a timeline summary against a reference timeline (date F1 and ROUGE).

A timeline maps days to summary sentences. The measures are those of the timeline
summarisation literature (Martschat and Markert's definitions):

- **date F1**: precision and recall of the set of days the system chose against the days of
  the reference;
- **concat ROUGE-n**: n-gram overlap of all the system's sentences against all the reference's,
  days ignored (F1 of clipped n-gram counts);
- **agreement ROUGE-n**: the same overlap counted only between the summaries of the same day,
  so words put under the wrong day earn nothing.

Tokens are lowercased runs of letters and digits (Unicode-aware: "Moubarak" and "Moubârak"
differ, accents stay), with no stemming or stopword removal, so French and English are scored
the same way. References tokenised in the Penn Treebank way (`-LRB-`, `` `` ``) have those
tokens removed first.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

Timeline = dict[date, list[str]]

_TOKEN = re.compile(r"[^\W_]+")
_PTB = re.compile(r"-[LR][RCS]B-|``|''")


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class ReferenceTimeline:
    topic: str
    name: str  # the reference's language (ML-Crisis) or file (Timeline17)
    language: str | None
    timeline: Timeline


def read_reference_timelines(path: Path) -> list[ReferenceTimeline]:
    """Reference timelines of a `timelines.jsonl` (ML-Crisis and Timeline17 layouts)."""
    references = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            item = json.loads(line)
            timeline: Timeline = {}
            for entry in item["timeline"]:
                sentences = entry.get("sentences") or [entry.get("summary", "")]
                timeline.setdefault(date.fromisoformat(entry["date"]), []).extend(sentences)
            language = item.get("language")
            references.append(
                ReferenceTimeline(
                    topic=item["topic"],
                    name=language or item.get("timeline_file") or item["topic"],
                    language=language,
                    timeline=timeline,
                )
            )
    return references


def date_scores(predicted: Timeline, reference: Timeline) -> Scores:
    chosen, gold = set(predicted), set(reference)
    hits = len(chosen & gold)
    return Scores(hits / len(chosen) if chosen else 0.0, hits / len(gold) if gold else 0.0)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(_PTB.sub(" ", text).lower())


def ngrams(sentences: list[str], n: int) -> Counter:
    counts: Counter = Counter()
    for sentence in sentences:
        words = tokens(sentence)
        counts.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return counts


def rouge_concat(predicted: Timeline, reference: Timeline, n: int = 1) -> Scores:
    """ROUGE-n of all the system's sentences against all the reference's, days ignored."""
    system = ngrams([s for day in sorted(predicted) for s in predicted[day]], n)
    gold = ngrams([s for day in sorted(reference) for s in reference[day]], n)
    overlap = sum((system & gold).values())
    return _scores(overlap, sum(system.values()), sum(gold.values()))


def rouge_agreement(predicted: Timeline, reference: Timeline, n: int = 1) -> Scores:
    """ROUGE-n counted only between the summaries of the same day."""
    overlap = 0
    for day in set(predicted) & set(reference):
        overlap += sum((ngrams(predicted[day], n) & ngrams(reference[day], n)).values())
    system = sum(sum(ngrams(sentences, n).values()) for sentences in predicted.values())
    gold = sum(sum(ngrams(sentences, n).values()) for sentences in reference.values())
    return _scores(overlap, system, gold)


def _scores(overlap: int, system: int, gold: int) -> Scores:
    return Scores(overlap / system if system else 0.0, overlap / gold if gold else 0.0)
