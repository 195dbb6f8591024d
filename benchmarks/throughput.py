"""Throughput of the dateline pipeline against the raw spaCy parse, in one run.

    python benchmarks/throughput.py [--articles 500] [--rounds 2]

Reads the bundled samples (examples/), repeats them to about --articles documents, and times (1)
the raw spaCy parse of the same texts (`nlp.pipe`, each by its language's model: baseline.py)
and (2) the whole dateline pipeline (language detection, parse, every stage). Rounds alternate
baseline and pipeline and the best of each is kept, so a noisy neighbour hurts both alike.
Prints articles/s, words/s, the ratio pipeline/baseline, and each stage's share of the
pipeline's time. The figure that matters is the ratio: the project keeps it at or above 0.8.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from baseline import RawParse
from dateline.pipeline import Pipeline
from dateline.read import read_paths
from dateline.record import Document
from dateline.settings import Settings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class TimedStage:
    """Wraps a stage and adds up the seconds spent in it."""

    def __init__(self, stage) -> None:
        self.stage = stage
        self.name = stage.name
        self.requires = stage.requires
        self.provides = stage.provides
        self.seconds = 0.0

    def __call__(self, batch) -> None:
        start = time.perf_counter()
        self.stage(batch)
        self.seconds += time.perf_counter() - start


def load_documents(count: int) -> list[Document]:
    samples = [item for item in read_paths([EXAMPLES], Settings()) if isinstance(item, Document)]
    return [
        replace(samples[n % len(samples)], id=f"{samples[n % len(samples)].id}-{n}")
        for n in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    documents = load_documents(args.articles)
    texts = [document.text for document in documents]
    words = sum(len(text.split()) for text in texts)
    settings = Settings()
    baseline = RawParse(texts, settings)
    pipeline = Pipeline(settings)
    timed = [TimedStage(stage) for stage in pipeline.stages]
    pipeline.stages = timed
    # Warm the pipeline (model load, lingua's lazy language models) outside the timings; the
    # baseline warmed itself.
    list(pipeline.analyse(documents[:8]))
    for stage in timed:
        stage.seconds = 0.0

    baseline_best = pipeline_best = float("inf")
    for _ in range(args.rounds):
        baseline_best = min(baseline_best, baseline.seconds())
        start = time.perf_counter()
        results = list(pipeline.analyse(documents))
        pipeline_best = min(pipeline_best, time.perf_counter() - start)
    failed = [result for result in results if not hasattr(result, "entities")]
    if failed:
        raise SystemExit(f"{len(failed)} documents failed: {failed[0]}")

    print(f"{len(documents)} articles, {words} words, best of {args.rounds} rounds")
    print(f"raw parse: {baseline.describe()}")
    print(f"{'':<22}{'articles/s':>12}{'words/s':>12}")
    for label, seconds in (
        ("raw spaCy parse", baseline_best),
        ("dateline pipeline", pipeline_best),
    ):
        print(f"{label:<22}{len(documents) / seconds:>12.1f}{words / seconds:>12.0f}")
    print(f"ratio pipeline / raw parse: {baseline_best / pipeline_best:.2f}")
    total = sum(stage.seconds for stage in timed)
    print("stage share of pipeline time (all rounds):")
    for stage in timed:
        print(f"  {stage.name:<10}{stage.seconds / total:>7.1%}")


if __name__ == "__main__":
    main()
