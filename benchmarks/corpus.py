"""Corpus ingest and timeline queries, as ratios against baselines measured in the same run.

    python benchmarks/corpus.py [--articles 480] [--batch-size 32] [--rounds 3] [--events 1000000]

1. Ingest throughput: the raw spaCy parse of the texts (`nlp.pipe`, one process, each text by
   its language's model: baseline.py) is the baseline; `dateline ingest` with 1 and 2 worker
   processes (the reading process finds each text's language and stores while they analyse),
   and for comparison the Python API's in-process path (analysis and storage in turn), store
   the same texts into fresh DuckDB files (reading, analysis, storage, corpus entities, near
   duplicates and corpus events all included). Rates are taken while every worker has work:
   from the first committed batch (with N workers, the N-th), so the one-off model load of
   each worker is left out, to the last (with N workers, the N-th from the end, as the others
   run out of batches one by one). Each ingest run is framed by two raw parses and rated
   against their mean, so that the machine's drift (on a shared machine runs minutes apart
   differ by a fifth) moves both sides of a ratio alike; each figure is the median over
   rounds (2 workers against 1: the median of each round's pair of adjacent runs). Targets:
   1 worker >= 0.8x the raw parse; 2 workers >= 1.7x 1 worker (with at least 2 free cores).
2. Memory: the peak resident memory of a worker process (each holds its own models).
3. Timeline queries on a synthetic store of --events corpus events (and as many reports),
   built in DuckDB: an entity over a year, a type over a month, the first 100 events. Target:
   each under 1 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from statistics import median

from baseline import RawParse
from dateline.ingest import ingest
from dateline.pipeline import Pipeline
from dateline.read import read_paths
from dateline.record import Document
from dateline.settings import Settings
from dateline.store import Store
from dateline.timeline import TimelineFilter, event_timeline

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def write_corpus(folder: Path, count: int) -> tuple[Path, list[str]]:
    """`count` distinct articles (the samples, each copy with its own closing line)."""
    samples = [item for item in read_paths([EXAMPLES], Settings()) if isinstance(item, Document)]
    path = folder / "corpus.jsonl"
    texts = []
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            sample = samples[n % len(samples)]
            text = f"{sample.text}\n\nMise à jour n° {n} de cet article."
            texts.append(text)
            published = sample.published.value if sample.published else None
            item = {"id": f"{sample.id}-{n}", "text": text, "published": published}
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path, texts


def steady_rate(
    corpus: Path, db: Path, workers: int, pipeline: Pipeline | None, settings: Settings
) -> float:
    """Articles stored per second by one ingest while all its workers have batches to analyse."""
    commits: list[tuple[float, int]] = []
    with Store(db) as store:
        ingest(
            [corpus], store, pipeline, workers=workers, settings=settings,
            on_progress=lambda r: commits.append((time.perf_counter(), r.stored)),
        )  # fmt: skip
    # N workers start their first batches together: the rate is taken from the N-th commit,
    # or the batches that were under way before it would be counted as done in no time. At
    # the other end, once the last batch is handed out the other N - 1 workers run dry one
    # by one: the rate stops at the commit N - 1 before the last, so that start and end are
    # cut alike (with 1 worker, first and last commit, as before).
    if len(commits) <= 2 * workers - 1:
        raise SystemExit(f"{len(commits)} batches give no steady rate: raise --articles")
    (first_time, first_count) = commits[workers - 1]
    (last_time, last_count) = commits[len(commits) - workers]
    return (last_count - first_count) / (last_time - first_time)


def synthetic_store(path: Path, events: int) -> None:
    """A store with `events` corpus events, one report each, over 10 years and 20k actors."""
    with Store(path) as store:
        con = store  # the benchmark fills tables directly: no ingest could make 1M events in time
        people = 20_000
        con.execute(
            "INSERT INTO corpus_entities SELECT i, 'Personne ' || i, "
            "CASE WHEN i % 10 = 0 THEN 'PLACE' ELSE 'PERSON' END, 1, 1, 'p' "
            "FROM range(1, ?) t(i)",
            [people + 1],
        )
        con.execute(
            "INSERT INTO entities (doc_key, entity_id, name, type, corpus_id) "
            "SELECT 'd' || i, 'e1', 'Personne ' || i, 'PERSON', i FROM range(1, ?) t(i)",
            [people + 1],
        )
        con.execute(
            "INSERT INTO documents (doc_key, id, published, published_earliest, "
            "published_latest, text) SELECT 'd' || i, 'doc-' || i, "
            "strftime(DATE '2014-01-01' + (i % 3650)::INT, '%Y-%m-%d'), "
            "DATE '2014-01-01' + (i % 3650)::INT, DATE '2014-01-01' + (i % 3650)::INT, '' "
            "FROM range(0, ?) t(i)",
            [events // 10],
        )
        types = ["CONSULT", "ASSAULT", "PROTEST", "ACCUSE", "AID", "REQUEST"]
        con.execute(
            "INSERT INTO events (doc_key, event_id, type, factuality, sentence, sentence_start, "
            "sentence_end, corpus_event_id) SELECT 'd' || (i // 10), 'v' || (i % 10), "
            "(?)[1 + i % 6], 'asserted', 'Une phrase de rapport numéro ' || i || '.', 0, 30, i "
            "FROM range(1, ?) t(i)",
            [types, events + 1],
        )
        con.execute(
            "INSERT INTO corpus_events SELECT i, (?)[1 + i % 6], NULL, 'asserted', "
            "DATE '2014-01-01' + (i % 3650)::INT, DATE '2014-01-01' + (i % 3650)::INT, true, "
            "[1 + (i * 7) % ?, 1 + (i * 13) % ?], [1 + (i * 31) % ?], "
            "CASE WHEN i % 3 = 0 THEN 10 * (1 + i % 2000) END, 'FR', 1, 1, 1, "
            "'d' || (i // 10), 'v' || (i % 10), DATE '2014-01-01' + (i % 3650)::INT "
            "FROM range(1, ?) t(i)",
            [types, people, people, people, events + 1],
        )


def best_of(runs: int, work) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(work())
        best = min(best, time.perf_counter() - start)
    return best, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=480)
    # The command's own default batch size; 480 articles make 15 commits to take a rate over.
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        corpus, texts = write_corpus(folder, args.articles)
        settings = Settings(batch_size=args.batch_size)
        baseline = RawParse(texts, settings)
        pipeline = Pipeline(settings)
        list(pipeline.analyse([Document(id="warm", text=texts[0], source="warm")]))

        # Every ingest run is framed by two raw parses and rated against their mean, so the
        # machine's drift (runs minutes apart differ by a fifth here) hits both sides of each
        # ratio alike; the figure is the median over rounds.
        runs = {"inline": (1, pipeline), "one": (1, None), "two": (2, None)}
        ratios: dict[str, list[float]] = {name: [] for name in runs}
        rates: dict[str, list[float]] = {name: [] for name in runs}
        raws: list[float] = []
        before = len(texts) / baseline.seconds()
        for round_ in range(args.rounds):
            for name, (workers, in_process) in runs.items():
                db = folder / f"{name}{round_}.duckdb"
                rate = steady_rate(corpus, db, workers, in_process, settings)
                after = len(texts) / baseline.seconds()
                rates[name].append(rate)
                ratios[name].append(rate / ((before + after) / 2))
                raws.append(after)
                before = after
        one = median(ratios["one"])
        # 2 workers against 1, round by round: the two runs follow each other, each rated
        # against its own framing raw parses, so a round compares like with like.
        two_over_one = [t / o for t, o in zip(ratios["two"], ratios["one"], strict=True)]
        two = median(two_over_one)
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"ingest of {len(texts)} articles in batches of {args.batch_size} (rates while every "
            f"worker has a batch; each run against the raw parses just before and after it; "
            f"medians of {args.rounds} rounds)"
        )

        def spread(values: list[float], unit: str) -> str:
            return f"{median(values):6.2f}{unit} (from {min(values):.2f} to {max(values):.2f})"

        print(f"  raw spaCy parse               {spread(raws, ' articles/s')}")
        print(f"                                ({baseline.describe()})")
        for name, label in [
            ("inline", "analysis, storage in turn"),
            ("one", "dateline ingest, 1 worker"),
            ("two", "dateline ingest, 2 workers"),
        ]:
            print(f"  {label:<29} {spread(rates[name], ' articles/s')}")
            print(f"  {'':<29} {spread(ratios[name], ' x raw parse')}")
        print(f"  ratio 1 worker / raw parse:   {one:.2f}  (target >= 0.8)")
        print(f"  ratio 2 workers / 1 worker:   {two:.2f}  (target >= 1.7; needs 2 free cores)")
        for name, values in [("1 worker / raw", ratios["one"]), ("2 / 1 worker", two_over_one)]:
            print(f"    {name:<20} by round: " + ", ".join(f"{v:.2f}" for v in values))
        print(f"  peak memory of a worker:      {worker_peak:.0f} MB")

        db = folder / "synthetic.duckdb"
        start = time.perf_counter()
        synthetic_store(db, args.events)
        print(f"timeline queries on {args.events:,} synthetic corpus events "
              f"(built in {time.perf_counter() - start:.1f} s), best of 3")  # fmt: skip
        with Store(db, read_only=True) as store:
            queries = {
                "one person over a year": TimelineFilter(
                    entity="Personne 4242", start=date(2018, 1, 1), end=date(2018, 12, 31)
                ),
                "one type over a month": TimelineFilter(
                    type="PROTEST", start=date(2020, 3, 1), end=date(2020, 3, 31)
                ),
                "first 100 events": None,
            }
            for label, selection in queries.items():
                limit = 100 if selection is None else None
                seconds, size = best_of(3, lambda s=selection, n=limit: event_timeline(store, s, n))
                print(f"  {label:<26} {seconds:6.3f} s  ({size} entries; target < 1 s)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
