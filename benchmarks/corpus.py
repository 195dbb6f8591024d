"""Corpus ingest and timeline queries, as ratios against baselines measured in the same run.

    python benchmarks/corpus.py [--articles 480] [--batch-size 32] [--rounds 4] [--events 1000000]

1. Ingest throughput: the raw spaCy parse of the texts (`nlp.pipe`, one process, each text by
   its language's model: baseline.py) is the baseline; `dateline ingest` with 1 and 2 worker
   processes (the reading process finds each text's language and stores while they analyse),
   and for comparison the Python API's in-process path (analysis and storage in turn), store
   the same texts into fresh DuckDB files (reading, analysis, storage, corpus entities, near
   duplicates and corpus events all included). Rates are taken between the first and the last
   committed batch, so the one-off model load of each worker is left out (it is printed
   apart). Each round measures all four in turn and the best of each is kept, so a noisy
   neighbour (runs of the same code on a shared machine differ by a fifth) hurts baseline and
   ingest alike. Targets: 1 worker >= 0.8x the raw parse; 2 workers >= 1.7x 1 worker (with at
   least 2 free cores).
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


def timed_ingest(
    corpus: Path, db: Path, workers: int, pipeline: Pipeline | None, settings: Settings
):
    commits: list[tuple[float, int]] = []
    start = time.perf_counter()
    with Store(db) as store:
        report = ingest(
            [corpus], store, pipeline, workers=workers, settings=settings,
            on_progress=lambda r: commits.append((time.perf_counter(), r.stored)),
        )  # fmt: skip
    total = time.perf_counter() - start
    (first_time, first_count), (last_time, last_count) = commits[0], commits[-1]
    steady = (last_count - first_count) / (last_time - first_time)
    startup = commits[0][0] - start
    return report, steady, total, startup


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
    # Runs minutes apart on a shared machine differ by a fifth: the best of 4 rounds is steadier.
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        corpus, texts = write_corpus(folder, args.articles)
        settings = Settings(batch_size=args.batch_size)
        baseline = RawParse(texts, settings)
        pipeline = Pipeline(settings)
        list(pipeline.analyse([Document(id="warm", text=texts[0], source="warm")]))

        raw = inline = one = two = 0.0
        one_total = two_total = startup = 0.0
        for round_ in range(args.rounds):
            raw = max(raw, len(texts) / baseline.seconds())
            db = folder / f"round{round_}"
            rate = timed_ingest(corpus, db.with_suffix(".inline"), 1, pipeline, settings)[1]
            inline = max(inline, rate)
            _, rate, total, _ = timed_ingest(corpus, db.with_suffix(".one"), 1, None, settings)
            if rate > one:
                one, one_total = rate, total
            two_dbs = db.with_suffix(".two")
            _, rate, total, first_commit = timed_ingest(corpus, two_dbs, 2, None, settings)
            if rate > two:
                two, two_total, startup = rate, total, first_commit
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"ingest of {len(texts)} articles in batches of {args.batch_size} (rates between "
            f"first and last commit, best of {args.rounds} rounds)"
        )
        print(f"  raw spaCy parse               {raw:8.1f} articles/s  ({baseline.describe()})")
        print(f"  analysis, storage in turn     {inline:8.1f} articles/s  (Python API, 1 process)")
        print(f"  dateline ingest, 1 worker     {one:8.1f} articles/s  ({one_total:.1f} s in all)")
        print(
            f"  dateline ingest, 2 workers    {two:8.1f} articles/s  ({two_total:.1f} s in all, "
            f"{startup:.1f} s to the first commit)"
        )
        print(f"  ratio 1 worker / raw parse:   {one / raw:.2f}  (target >= 0.8)")
        print(f"  ratio 2 workers / 1 worker:   {two / one:.2f}  (target >= 1.7)")
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
