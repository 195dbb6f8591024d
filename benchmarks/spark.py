"""Spark ingest on one and two local cores, against the in-process pipeline, in one run.

    python benchmarks/spark.py [--articles 60] [--partitions N]

Writes --articles distinct articles (the bundled samples, each copy with its own closing line)
to one JSONL file, then times (1) the in-process pipeline on the same documents (models loaded
beforehand: the baseline), and (2) `spark_ingest` of the file into Parquet with master local[1]
and local[2], each in a fresh session whose start-up is timed apart, twice: "cold" is what a
user waits for (cutting the file into line ranges, starting Python workers, loading the models
in each, reading, deduplicating, analysing, writing the eight tables); "warm" runs again in the
same session, whose Python workers kept their models, so it shows the per-document cost and
Spark's per-job overhead without the one-off start. Prints documents/s for each and the ratios
local[2] / local[1] and local[1] / in-process. The ratios are what to read; nothing is
asserted. On a short run the fixed costs dominate: raise --articles to see the steady state.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from dateline.pipeline import Pipeline
from dateline.read import read_paths
from dateline.record import Document
from dateline.settings import Settings
from dateline.spark import spark_ingest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def write_articles(path: Path, count: int) -> None:
    """`count` articles, all distinct (so none is dropped as a duplicate)."""
    samples = [item for item in read_paths([EXAMPLES], Settings()) if isinstance(item, Document)]
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            sample = samples[n % len(samples)]
            item = {
                "id": f"{sample.id}-{n}",
                "text": f"{sample.text}\n\nCet article a été repris sous le numéro {n}.",
                "published": sample.published.value if sample.published else None,
                "title": sample.title,
            }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def in_process(path: Path) -> tuple[float, float, int]:
    """(model load seconds, analysis seconds, documents) for the pipeline in this process."""
    start = time.perf_counter()
    pipeline = Pipeline(Settings())
    pipeline.extract("Le maire a parlé lundi à Lyon.", published="2024-01")  # lazy models too
    loaded = time.perf_counter() - start
    documents = [item for item in read_paths([path], Settings()) if isinstance(item, Document)]
    start = time.perf_counter()
    results = list(pipeline.analyse(documents))
    return loaded, time.perf_counter() - start, len(results)


def on_spark(path: Path, folder: Path, master: str, partitions: int | None):
    """(session start seconds, cold report, warm report) for one master."""
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    start = time.perf_counter()
    session = (
        SparkSession.builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter() - start
    name = master.replace("[", "-").rstrip("]")
    try:
        cold, warm = (
            spark_ingest([path], folder / f"{name}-{run}", partitions=partitions, session=session)
            for run in ("cold", "warm")
        )
    finally:
        session.stop()
    return started, cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--partitions", type=int, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "articles.jsonl"
        write_articles(path, args.articles)
        loaded, seconds, count = in_process(path)
        runs = {}
        for master in ("local[1]", "local[2]"):
            runs[master] = on_spark(path, Path(folder), master, args.partitions)
            for report in runs[master][1:]:
                if report.documents != args.articles:
                    raise SystemExit(f"{master}: {report.documents} of {args.articles} documents")

    baseline = count / seconds
    print(f"{args.articles} articles, {os.cpu_count()} cores; models load in {loaded:.1f} s")
    print(f"{'':<24}{'documents/s':>12}{'seconds':>9}{'partitions':>11}")
    print(f"{'in-process pipeline':<24}{baseline:>12.2f}{seconds:>9.1f}")
    rates = {}
    for master, (started, cold, warm) in runs.items():
        for label, report in (("cold", cold), ("warm", warm)):
            rates[master, label] = report.documents / report.seconds
            print(
                f"{f'spark {master} {label}':<24}{rates[master, label]:>12.2f}"
                f"{report.seconds:>9.1f}{report.partitions:>11}"
            )
        print(f"{'':<4}(session start {started:.1f} s, not included)")
    for label in ("cold", "warm"):
        one, two = rates["local[1]", label], rates["local[2]", label]
        print(
            f"{label}: ratio local[2] / local[1] {two / one:.2f}, "
            f"local[1] / in-process {one / baseline:.2f}"
        )


if __name__ == "__main__":
    main()
