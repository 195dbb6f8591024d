"""`dateline eval timeline DATA`: topic timelines against journalists' reference timelines.

DATA is a folder with `docs.jsonl` (articles with a `topic` and a publication date) and
`timelines.jsonl` (reference timelines per topic), as ML-Crisis and Timeline17 come. For each
topic with articles, the articles are ingested into `WORK/<topic>.duckdb` (resumable: a rerun
reuses what is stored), then `topic_timeline` picks as many days as the reference has (the
usual setting of timeline summarisation: the length is given) and is scored against every
reference timeline of the topic. The baseline, in the same run, takes the days on which the
most independent articles were published.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dateline.errors import DatelineError
from dateline.evaluation.timelines import (
    ReferenceTimeline,
    date_scores,
    read_reference_timelines,
    rouge_agreement,
    rouge_concat,
)
from dateline.ingest import ingest
from dateline.store import Store
from dateline.timeline import DayWeights, day_scores, select_days, topic_timeline

# The baseline: days ranked by independent articles published on them, nothing else.
PUBLICATION_BASELINE = DayWeights(referred=0.0, later=0.0, published=1.0)


@dataclass(slots=True)
class TimelineResult:
    """Scores of one topic timeline against one reference."""

    topic: str
    reference: str
    language: str | None
    dates: int
    documents: int
    date_f1: float
    date_precision: float
    date_recall: float
    baseline_date_f1: float
    rouge: dict[str, float] = field(default_factory=dict)


def evaluate_timelines(
    data: Path,
    work: Path,
    *,
    workers: int = 1,
    topics: list[str] | None = None,
    on_topic: Callable[[str, int], None] | None = None,
) -> list[TimelineResult]:
    docs_path, timelines_path = data / "docs.jsonl", data / "timelines.jsonl"
    for path in (docs_path, timelines_path):
        if not path.is_file():
            raise DatelineError(
                f"{path}: not found (DATA must hold docs.jsonl and timelines.jsonl)"
            )
    work.mkdir(parents=True, exist_ok=True)
    by_topic = _split_by_topic(docs_path, work, topics)
    references = read_reference_timelines(timelines_path)
    pipeline = None
    if workers == 1:
        from dateline.pipeline import Pipeline

        pipeline = Pipeline()
    results = []
    for topic, (inputs, language, count) in sorted(by_topic.items()):
        if on_topic:
            on_topic(topic, count)
        with Store(work / f"{topic}.duckdb") as store:
            ingest([inputs], store, pipeline, workers=workers)
            for reference in (r for r in references if r.topic == topic):
                results.append(_score(store, topic, reference, language, count))
    return results


def _score(
    store: Store, topic: str, reference: ReferenceTimeline, language: str | None, count: int
) -> TimelineResult:
    gold = reference.timeline
    entries = topic_timeline(store, len(gold))
    predicted = {entry.earliest: [entry.what] for entry in entries if entry.earliest}
    scores = date_scores(predicted, gold)
    baseline_days = select_days(day_scores(store, weights=PUBLICATION_BASELINE), len(gold))
    baseline = date_scores({day: [] for day in baseline_days}, gold)
    rouge = {}
    if reference.language in (None, language):
        # ROUGE only against a reference in the articles' language.
        for n in (1, 2):
            rouge[f"concat R{n}"] = rouge_concat(predicted, gold, n).f1
            rouge[f"agreement R{n}"] = rouge_agreement(predicted, gold, n).f1
    return TimelineResult(
        topic=topic,
        reference=reference.name,
        language=reference.language,
        dates=len(gold),
        documents=count,
        date_f1=scores.f1,
        date_precision=scores.precision,
        date_recall=scores.recall,
        baseline_date_f1=baseline.f1,
        rouge=rouge,
    )


def _split_by_topic(
    docs_path: Path, work: Path, topics: list[str] | None
) -> dict[str, tuple[Path, str | None, int]]:
    """Write each topic's articles to `WORK/<topic>.jsonl` (once); return path, language, count."""
    lines: dict[str, list[str]] = {}
    languages: dict[str, str | None] = {}
    with docs_path.open(encoding="utf-8") as docs:
        for line in docs:
            if not line.strip():
                continue
            item = json.loads(line)
            topic = str(item.get("topic") or "all")
            if topics and topic not in topics:
                continue
            lines.setdefault(topic, []).append(line if line.endswith("\n") else line + "\n")
            languages.setdefault(topic, item.get("language"))
    result = {}
    for topic, topic_lines in lines.items():
        path = work / f"{topic}.jsonl"
        text = "".join(topic_lines)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        result[topic] = (path, languages[topic], len(topic_lines))
    return result


def mean(results: list[TimelineResult], pick: Callable[[TimelineResult], float]) -> float:
    return sum(pick(r) for r in results) / len(results) if results else 0.0
