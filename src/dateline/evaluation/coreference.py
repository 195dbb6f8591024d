"""`dateline eval coreference DIR`: within-document entity clusters against hand annotation (B³).

DIR holds `NAME.txt` (an article) and `NAME.json` (`{"language", "clusters": [[mention text,
…], …]}`). Gold mentions are found in the body by their text, longest first, whole words only.
B³ (Bagga & Baldwin 1998) over the gold mentions: for each, precision is the share of its system
cluster (restricted to gold mentions) that is in its gold cluster, recall the share of its gold
cluster found in its system cluster; a gold mention the system did not find is a cluster of its
own. Figures are averaged over all gold mentions of all documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dateline.evaluation.articles import analysed_articles
from dateline.pipeline import Pipeline
from dateline.record import Record

Span = tuple[int, int]


@dataclass(slots=True)
class CoreferenceReport:
    documents: int = 0
    mentions: int = 0
    precision_sum: float = 0.0
    recall_sum: float = 0.0

    @property
    def precision(self) -> float:
        return self.precision_sum / self.mentions if self.mentions else 1.0

    @property
    def recall(self) -> float:
        return self.recall_sum / self.mentions if self.mentions else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def gold_clusters(text: str, clusters: list[list[str]]) -> dict[Span, int]:
    """Each gold mention's span -> its cluster number."""
    owner = {mention: number for number, cluster in enumerate(clusters) for mention in cluster}
    found: dict[Span, int] = {}
    for mention in sorted(owner, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(mention)}(?!\w)", text):
            span = (match.start(), match.end())
            if all(span[1] <= a or span[0] >= b for a, b in found):
                found[span] = owner[mention]
    return found


def system_clusters(record: Record) -> dict[Span, str]:
    return {(m.start, m.end): entity.id for entity in record.entities for m in entity.mentions}


def score_document(
    gold: dict[Span, int], system: dict[Span, str], report: CoreferenceReport
) -> None:
    for span, cluster in gold.items():
        gold_members = {s for s, c in gold.items() if c == cluster}
        entity = system.get(span)
        if entity is None:
            system_members = {span}
        else:
            system_members = {s for s, e in system.items() if e == entity and s in gold}
        overlap = len(gold_members & system_members)
        report.precision_sum += overlap / len(system_members)
        report.recall_sum += overlap / len(gold_members)
        report.mentions += 1


def evaluate_coreference(folder: Path, pipeline: Pipeline) -> CoreferenceReport:
    report = CoreferenceReport()
    for _, gold, record in analysed_articles(folder, pipeline):
        report.documents += 1
        clusters = gold_clusters(record.text, gold["clusters"])
        score_document(clusters, system_clusters(record), report)
    return report
