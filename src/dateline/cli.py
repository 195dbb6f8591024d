"""The command line: a thin layer over the Python API.

Every failure a user can cause or meet ends as one line on stderr (`dateline: <what>: <why>`),
never a traceback; set DATELINE_DEBUG=1 to see one.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from dateline.errors import DatelineError, InputError, PublishedDateError
from dateline.published import Published, parse_published
from dateline.read import ReadOptions, read_paths
from dateline.record import Document, Record

if TYPE_CHECKING:
    from dateline.ingest import IngestReport

app = typer.Typer(
    name="dateline",
    help="Turn news articles into a dated, placed, sourced record of events.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True)


class Lang(StrEnum):
    fr = "fr"
    en = "en"
    auto = "auto"


class RecordFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


LangOption = Annotated[Lang, typer.Option("--lang", help="Language of the documents.")]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="Publication date (YYYY, YYYY-MM, YYYY-MM-DD or ISO); "
        "overrides the file's `date` header.",
    ),
]
PathsArgument = Annotated[list[Path], typer.Argument(help="Files or directories to read.")]
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file.")]
KbOption = Annotated[
    Path | None,
    typer.Option("--kb", help="Knowledge base built by `dateline kb import`, to link entities."),
]


def _pipeline(kb: Path | None):
    from dateline.pipeline import Pipeline
    from dateline.settings import Settings

    return Pipeline(Settings(kb_path=kb))


def _read_options(lang: Lang, published: str | None) -> ReadOptions:
    parsed: Published | None = None
    if published:
        try:
            parsed = parse_published(published)
        except PublishedDateError as error:
            raise DatelineError(f"--published: {error}") from None
    return ReadOptions(published=parsed, language=None if lang is Lang.auto else lang.value)


def _report(error: InputError) -> None:
    print(f"dateline: {error.source}: {error.reason}", file=sys.stderr)


@app.command()
def extract(
    paths: PathsArgument,
    lang: LangOption = Lang.auto,
    published: PublishedOption = None,
    fmt: Annotated[
        RecordFormat, typer.Option("--format", help="Output format.")
    ] = RecordFormat.jsonl,
    kb: KbOption = None,
) -> None:
    """Print one record per document (JSON lines, or one JSON array)."""
    from dateline.output import record_json, write_records

    options = _read_options(lang, published)
    pipeline = _pipeline(kb)
    failed = False
    gathered: list[Record] = []
    items = read_paths(paths, pipeline.settings, options)
    documents = _FailureFilter(items)
    for result in pipeline.analyse(documents):
        if isinstance(result, InputError):
            _report(result)
            failed = True
        elif fmt is RecordFormat.json:
            gathered.append(result)
        else:
            sys.stdout.write(record_json(result) + "\n")
            sys.stdout.flush()
    if fmt is RecordFormat.json:
        write_records(gathered, sys.stdout, "json")
    failed = failed or documents.failed
    raise typer.Exit(1 if failed else 0)


class _FailureFilter:
    """Pass documents on; report reading failures as they come, remembering there were some."""

    def __init__(self, items: Iterable[Document | InputError]) -> None:
        self._items = items
        self.failed = False

    def __iter__(self) -> Iterator[Document]:
        for item in self._items:
            if isinstance(item, InputError):
                _report(item)
                self.failed = True
            else:
                yield item


@app.command()
def ingest(
    paths: PathsArgument,
    db: DbOption,
    lang: LangOption = Lang.auto,
    published: PublishedOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
    kb: KbOption = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", "-w", min=1, help="Processes analysing documents (each loads the models)."
        ),
    ] = 1,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Documents per batch and per commit.")
    ] = 32,
) -> None:
    """Analyse documents (text, HTML, JSONL, WARC) into a DuckDB file.

    Resumable: run it again after an interruption and it goes on where it stopped. Unreadable
    inputs go to the `quarantine` table.
    """
    from dateline.ingest import count_documents
    from dateline.ingest import ingest as run_ingest
    from dateline.output import summary_tables
    from dateline.settings import Settings
    from dateline.store import Store

    options = _read_options(lang, published)
    settings = Settings(kb_path=kb, batch_size=batch_size)
    live = not quiet and stderr.is_terminal
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TextColumn(
            "{task.fields[stored]} stored, {task.fields[skipped]} already in, "
            "{task.fields[quarantined]} quarantined"
        ),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=stderr,
        disable=not live,
        transient=True,
    )
    started = time.monotonic()
    with Store(db) as store, progress:
        task = progress.add_task("ingest", total=None, stored=0, skipped=0, quarantined=0, rate="-")
        if live:
            # The total (for the ETA) is counted beside the ingest, so it starts at once.
            threading.Thread(
                target=lambda: progress.update(task, total=count_documents(paths)), daemon=True
            ).start()

        def show(report: IngestReport) -> None:
            rate = report.seen / max(time.monotonic() - started, 1e-9)
            if live:
                progress.update(
                    task, completed=report.seen, stored=report.stored, skipped=report.skipped,
                    quarantined=report.quarantined, rate=f"{rate:.1f}",
                )  # fmt: skip
            elif not quiet:
                # Not a terminal (a log, a pipe): one line per committed batch.
                print(
                    f"dateline: {db}: {report.seen} documents ({report.stored} stored, "
                    f"{report.skipped} already in, {report.quarantined} quarantined), "
                    f"{rate:.1f} documents/s",
                    file=sys.stderr,
                    flush=True,
                )

        report = run_ingest(
            paths, store, None, options, on_progress=show, workers=workers, settings=settings
        )
    with Store(db, read_only=True) as store:
        if not quiet:
            console = Console()
            for table in summary_tables(store):
                console.print(table)
    _print_ingest_report(db, report)
    raise typer.Exit(1 if report.quarantined else 0)


def _print_ingest_report(db: Path, report: IngestReport) -> None:
    print(
        f"dateline: {db}: {report.stored} stored, {report.skipped} already in the store, "
        f"{report.quarantined} quarantined, {report.near_duplicates} near duplicates, "
        f"{report.corpus_events} corpus events",
        file=sys.stderr,
    )


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="A SQL query over the store's tables.")],
    db: DbOption,
    fmt: Annotated[
        TableFormat, typer.Option("--format", help="Output format.")
    ] = TableFormat.table,
) -> None:
    """Run SQL on a dateline store and print the result."""
    from dateline.output import query_table
    from dateline.store import Store

    with Store(db, read_only=True) as store:
        result = store.query(sql)
    if fmt is TableFormat.json:
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        print(json.dumps(rows, ensure_ascii=False, default=str, indent=2))
    elif fmt is TableFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    else:
        Console().print(query_table(result))


@app.command()
def summary(db: DbOption) -> None:
    """Print what a store holds: one row per document, then the quarantine."""
    from dateline.output import summary_tables
    from dateline.store import Store

    with Store(db, read_only=True) as store:
        for table in summary_tables(store):
            Console().print(table)


@app.command("spark-ingest")
def spark_ingest_command(
    paths: Annotated[
        list[str], typer.Argument(help="Inputs (files, folders), then the output folder.")
    ],
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master (default: spark-submit's, else local[*])."),
    ] = None,
    partitions: Annotated[int | None, typer.Option("--partitions", min=1)] = None,
    lang: LangOption = Lang.auto,
    published: PublishedOption = None,
    kb: KbOption = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing output folder.")
    ] = False,
) -> None:
    """Analyse documents on Spark (mapPartitions) into one Parquet folder per table.

    The records are those `dateline ingest` writes; load them into a store with
    `dateline spark-load OUTPUT --db FILE`, or query the Parquet directly with DuckDB.
    """
    from dateline.settings import Settings
    from dateline.spark import spark_ingest

    if len(paths) < 2:
        raise DatelineError("spark-ingest: give one or more inputs, then the output folder")
    *inputs, output = paths  # strings: Path() would fold the "//" of hdfs:// or s3a://
    report = spark_ingest(
        inputs, output, master=master, partitions=partitions,
        options=_read_options(lang, published), settings=Settings(kb_path=kb),
        overwrite=overwrite,
    )  # fmt: skip
    print(
        f"dateline: {report.output}: {report.documents} documents, {report.duplicates} "
        f"duplicates dropped, {report.quarantined} quarantined, {report.seconds:.0f} s "
        f"({report.partitions} partitions, {report.master})",
        file=sys.stderr,
    )
    raise typer.Exit(1 if report.quarantined else 0)


@app.command("spark-load")
def spark_load_command(
    output: Annotated[Path, typer.Argument(help="A folder written by `dateline spark-ingest`.")],
    db: DbOption,
) -> None:
    """Load what `spark-ingest` wrote into a store (corpus entities, near duplicates, events)."""
    from dateline.spark import load_parquet
    from dateline.store import Store

    with Store(db) as store:
        report = load_parquet(output, store)
    _print_ingest_report(db, report)


class TimelineFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


def _date_option(value: str | None, option: str, *, first_day: bool):
    """A --from/--to date; a month or a year stands for its first or its last day."""
    if value is None:
        return None
    try:
        parsed = parse_published(value)
    except PublishedDateError as error:
        raise DatelineError(f"{option}: {error}") from None
    return parsed.earliest if first_day else parsed.latest


@app.command()
def timeline(
    db: DbOption,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Only events involving this person/org.")
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Only events at this place or in this country.")
    ] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Only this PLOVER event type (e.g. CONSULT).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this date.")] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days", min=1, help="Topic timeline: the N days that matter, one sentence each."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N entries.")] = None,
    fmt: Annotated[
        TimelineFormat, typer.Option("--format", help="Output format.")
    ] = TimelineFormat.table,
) -> None:
    """Print a timeline: corpus events in date order, or with --days a topic timeline."""
    from dateline.events.lexicon import PLOVER_TYPES
    from dateline.store import Store
    from dateline.timeline import TimelineFilter, event_timeline, topic_timeline
    from dateline.timeline_output import write_timeline

    if event_type and event_type.upper() not in PLOVER_TYPES:
        raise DatelineError(
            f"--type: unknown PLOVER event type '{event_type}' (one of {', '.join(PLOVER_TYPES)})"
        )
    selection = TimelineFilter(
        entity=entity,
        place=place,
        type=event_type,
        start=_date_option(start, "--from", first_day=True),
        end=_date_option(end, "--to", first_day=False),
    )
    with Store(db, read_only=True) as store:
        if days:
            entries = topic_timeline(store, days, selection)
        else:
            entries = event_timeline(store, selection, limit)
    write_timeline(entries, fmt.value, sys.stdout, topic=bool(days))


eval_app = typer.Typer(help="Score dateline against annotated data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
kb_app = typer.Typer(
    help="The offline knowledge base entities are linked to.", no_args_is_help=True
)
app.add_typer(kb_app, name="kb")


@kb_app.command("import")
def kb_import(
    dump: Annotated[Path, typer.Argument(help="A Wikidata JSON dump or slice (.json, .json.gz).")],
    kb: Annotated[Path, typer.Option("--kb", help="The knowledge-base file to build.")],
) -> None:
    """Build a local entity index from a Wikidata JSON dump, streamed."""
    from dateline.knowledge import ImportReport, import_dump

    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]kb import"),
        TextColumn("{task.fields[read]} read, {task.fields[kept]} kept"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
    with progress:
        task = progress.add_task("kb", total=None, read=0, kept=0)

        def show(report: ImportReport) -> None:
            progress.update(task, read=report.read, kept=report.kept)

        report = import_dump(dump, kb, on_progress=show)
    print(f"dateline: {kb}: {report.kept} entities kept of {report.read} read", file=sys.stderr)


gazetteer_app = typer.Typer(
    help="The offline gazetteer places are resolved with.", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    path: Annotated[
        Path | None, typer.Option("--path", help="Where to write it (default: the usual place).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if it is current.")] = False,
) -> None:
    """Compile the gazetteer index from the installed GeoNames/CLDR data packages."""
    from dateline.geo.build import build_index, index_is_current
    from dateline.geo.gazetteer import index_path

    target = path or index_path()
    if index_is_current(target) and not force:
        print(f"dateline: {target}: gazetteer is current", file=sys.stderr)
        return
    with stderr.status(f"building the gazetteer at {target}"):
        count = build_index(target)
    print(f"dateline: {target}: {count} places", file=sys.stderr)


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    names: Annotated[list[str], typer.Argument(help="Place names, resolved together.")],
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the names.")] = Lang.fr,
) -> None:
    """Resolve place names as the pipeline would (each one is context for the others)."""
    from rich.table import Table

    from dateline.geo.gazetteer import Gazetteer
    from dateline.geo.resolve import PlaceResolver, Toponym

    language = "fr" if lang is Lang.auto else lang.value
    resolver = PlaceResolver(Gazetteer())
    table = Table()
    for column in ("name", "place", "kind", "country", "admin1", "lat", "lon", "geonames", "p"):
        table.add_column(column)
    for resolution in resolver.resolve([Toponym(name) for name in names], language):
        place = resolution.place
        if place is None:
            table.add_row(resolution.toponym.text, "[red]unresolved[/red]")
            continue
        table.add_row(
            resolution.toponym.text, place.name, place.kind, place.country or "",
            place.admin1 or "", f"{place.lat:.4f}", f"{place.lon:.4f}",
            str(place.geonames_id or ""), f"{resolution.confidence:.2f}",
        )  # fmt: skip
    Console().print(table)


class PlaceMode(StrEnum):
    given = "given"
    end_to_end = "end-to-end"
    both = "both"


@eval_app.command("places")
def eval_places(
    gold: Annotated[
        Path, typer.Argument(help="A geoparsing docs.jsonl (toponyms with coordinates).")
    ],
    mode: Annotated[PlaceMode, typer.Option("--mode", help="Which evaluation.")] = PlaceMode.both,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Only the first N documents.")
    ] = None,
    misses: Annotated[int, typer.Option("--misses", help="Show the N commonest misses.")] = 0,
) -> None:
    """Toponym resolution: exact / 161 km accuracy and error, given gold toponyms and end to end."""
    from collections import Counter

    from rich.table import Table

    from dateline.evaluation.places import evaluate_end_to_end, evaluate_given_toponyms
    from dateline.geo.gazetteer import Gazetteer
    from dateline.geo.resolve import PlaceResolver
    from dateline.pipeline import Pipeline

    if not gold.is_file():
        raise DatelineError(f"{gold}: no such file")
    reports = []
    if mode is not PlaceMode.end_to_end:
        reports.append(evaluate_given_toponyms(gold, PlaceResolver(Gazetteer()), limit=limit))
    if mode is not PlaceMode.given:
        reports.append(evaluate_end_to_end(gold, Pipeline(), limit=limit))
    table = Table(title=f"places: {gold}")
    for column in ("mode", "set", "toponyms", "exact", "161 km", "mean km", "median km"):
        table.add_column(column, justify="left" if column in ("mode", "set") else "right")
    for report in reports:
        for dataset, accuracy in report.by_dataset.items():
            table.add_row(
                report.mode, dataset, str(accuracy.total), f"{accuracy.exact_rate:.1%}",
                f"{accuracy.near_rate:.1%}", f"{accuracy.mean_km or 0:.0f}",
                f"{accuracy.median_km or 0:.1f}",
            )  # fmt: skip
    Console().print(table)
    for report in reports:
        if report.mode == "end to end":
            found = report.recognition
            print(
                f"toponyms found end to end: precision {found.precision:.1%}  "
                f"recall {found.recall:.1%}  F1 {found.f1:.1%}"
            )
    for report in reports:
        for (text, expected, got), count in Counter(report.misses).most_common(misses):
            print(f"{count:>4}  {text!r}: gold {expected}, got {got}")


@eval_app.command("timeline")
def eval_timeline(
    data: Annotated[
        Path, typer.Argument(help="A folder with docs.jsonl and timelines.jsonl (ML-Crisis, T17).")
    ],
    work: Annotated[
        Path | None,
        typer.Option("--work", help="Where topic stores go (default: .cache/timelines/<DATA>)."),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1)] = 1,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="Only this topic (repeatable).")
    ] = None,
) -> None:
    """Topic timelines against reference timelines: date F1 (and ROUGE), with a baseline."""
    from dateline.evaluation.run_timelines import evaluate_timelines, mean

    work = work or Path(".cache") / "timelines" / data.resolve().name

    def starting(name: str, count: int) -> None:
        print(f"dateline: {name}: {count} articles", file=sys.stderr, flush=True)

    results = evaluate_timelines(data, work, workers=workers, topics=topic, on_topic=starting)
    if not results:
        raise DatelineError(f"{data}: no topic has both articles and a reference timeline")
    print(f"{'topic':<22} {'reference':<28} {'dates':>5}  {'date F1':>7}  {'baseline':>8}  rouge")
    for r in results:
        rouge = "  ".join(f"{name} {value:.3f}" for name, value in r.rouge.items())
        print(
            f"{r.topic:<22} {r.reference[:28]:<28} {r.dates:>5}  {r.date_f1:>7.3f}  "
            f"{r.baseline_date_f1:>8.3f}  {rouge}"
        )
    print(
        f"mean over {len(results)} reference timelines: date F1 "
        f"{mean(results, lambda r: r.date_f1):.3f} (baseline, most-published days: "
        f"{mean(results, lambda r: r.baseline_date_f1):.3f})"
    )


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path, typer.Argument(help="A docs.jsonl with gold events (PLOVER).")],
    lang: LangOption = Lang.auto,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Only the first N documents.")
    ] = None,
) -> None:
    """PLOVER events against gold: type accuracy and macro-F1, mode, actors, factuality, quotes."""
    from dateline.evaluation.events import evaluate_events
    from dateline.pipeline import Pipeline

    if not gold.is_file():
        raise DatelineError(f"{gold}: no such file")
    language = None if lang is Lang.auto else lang.value
    r = evaluate_events(gold, Pipeline(), language, limit)
    if r.sentences:
        print(f"sentence-coded: {r.sentences} sentences, {r.with_event} with an event")
        print(
            f"  type (main event) {r.main_type.rate:.1%}  type (any event) {r.any_type.rate:.1%}"
            f"  macro-F1 {r.macro_f1:.1%}"
        )
    if r.documents:
        t = r.triggers
        print(
            f"trigger-coded: {r.documents} documents; triggers P {t.precision:.1%} "
            f"R {t.recall:.1%} F1 {t.f1:.1%}"
        )
        print(
            f"  matched events: type {r.type.rate:.1%}  factuality {r.factuality.rate:.1%}  "
            f"source {r.source.rate:.1%}"
        )
        q = r.quotes
        print(
            f"  quotes P {q.precision:.1%} R {q.recall:.1%} F1 {q.f1:.1%}; "
            f"speaker {r.speaker.rate:.1%} of {r.speaker.total}"
        )
    print(
        f"mode {r.mode.rate:.1%} of {r.mode.total}; actors {r.actors.rate:.1%} of "
        f"{r.actors.total}; recipients {r.targets.rate:.1%} of {r.targets.total}"
    )


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    geojson = "geojson"
    jsonld = "jsonld"


@app.command()
def export(
    db: DbOption,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="What to write.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: stdout); for parquet and csv a folder "
            "(default: <db>-parquet/ or <db>-csv/).",
        ),
    ] = None,
) -> None:
    """Export a store: parquet/csv (one file per table), jsonl (records), geojson (places and
    events), jsonld (events as schema.org Event)."""
    from dateline.export import events_jsonld, export_tables, records_jsonl, store_geojson
    from dateline.store import Store

    with Store(db, read_only=True) as store:
        if fmt in (ExportFormat.parquet, ExportFormat.csv):
            folder = output or db.with_name(f"{db.stem}-{fmt.value}")
            files = export_tables(store, folder, fmt.value)
            print(f"dateline: {folder}: {len(files)} tables as {fmt.value}", file=sys.stderr)
            return
        if fmt is ExportFormat.jsonl:
            lines = list(records_jsonl(store))
            _write_text("\n".join(lines), output, f"{len(lines)} records")
            return
        if fmt is ExportFormat.geojson:
            collection = store_geojson(store)
            count = f"{len(collection['features'])} features"
        else:
            collection = events_jsonld(store)
            count = f"{len(collection['@graph'])} events"
    _write_text(json.dumps(collection, ensure_ascii=False, indent=1), output, count)


def _write_text(text: str, output: Path | None, what: str) -> None:
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        print(f"dateline: {output}: {what}", file=sys.stderr)


@eval_app.command("anatomy")
def eval_anatomy(
    folder: Annotated[Path, typer.Argument(help="Folder of NAME.txt + NAME.json pairs.")],
) -> None:
    """Datelines, bylines, contributor notes, tags and debris against annotated articles."""
    from rich.table import Table

    from dateline.evaluation.anatomy import evaluate_anatomy
    from dateline.pipeline import Pipeline

    if not folder.is_dir():
        raise DatelineError(f"{folder}: not a folder")
    report = evaluate_anatomy(folder, Pipeline())
    table = Table(title=f"anatomy: {report.articles} articles in {folder}")
    for column in ("part", "P", "R", "F1", "gold"):
        table.add_column(column, justify="left" if column == "part" else "right")
    rows = list(report.scores.items())
    rows += [(f"  debris: {kind}", score) for kind, score in sorted(report.debris_by_kind.items())]
    for part, score in rows:
        table.add_row(
            part,
            f"{score.precision:.1%}",
            f"{score.recall:.1%}",
            f"{score.f1:.1%}",
            str(score.support),
        )
    console = Console()
    console.print(table)
    console.print(
        f"names that must not be entities but are: {len(report.leaked_entities)}"
        + "".join(f"\n  {name}: {text!r}" for name, text in report.leaked_entities)
    )
    found = report.people_expected - len(report.missed_people)
    console.print(
        f"people of the story still found (French): {found}/{report.people_expected}"
        + "".join(f"\n  {name}: {text}" for name, text in report.missed_people)
    )


@eval_app.command("times")
def eval_times(
    gold: Annotated[Path, typer.Argument(help="A docs.jsonl, a .tml file or a folder of them.")],
    lang: LangOption = Lang.auto,
    errors: Annotated[int, typer.Option(help="How many wrong values to show.")] = 0,
    baseline: Annotated[
        bool, typer.Option("--baseline", help="Score the single-word baseline instead.")
    ] = False,
) -> None:
    """TIMEX3 spans, types and values against TimeML gold (TempEval-3 figures)."""
    from dateline.evaluation.run_times import evaluate_baseline, evaluate_times
    from dateline.evaluation.times import format_report

    if not gold.exists():
        raise DatelineError(f"{gold}: no such file or directory")
    language = None if lang is Lang.auto else lang.value
    if baseline:
        if language is None:
            raise DatelineError("--baseline needs --lang fr|en")
        scores = evaluate_baseline(gold, language)
        print(format_report(scores, f"times (single-word baseline): {gold}"), end="")
        return
    from dateline.pipeline import Pipeline

    scores = evaluate_times(gold, Pipeline(), language)
    print(format_report(scores, f"times: {gold}"), end="")
    for error in scores.value_error_examples(errors):
        print(
            f"{error.kind:<12} gold {error.gold_value!s:<16} got {error.predicted_value!s:<16} "
            f"{error.context}"
        )


@eval_app.command("entities")
def eval_entities(
    gold: Annotated[Path, typer.Argument(help="A docs.jsonl with gold entity mentions.")],
    lang: LangOption = Lang.auto,
) -> None:
    """Named-entity mentions against gold (strict and partial P/R/F1 by type)."""
    from rich.table import Table

    from dateline.evaluation.entities import evaluate_entities
    from dateline.pipeline import Pipeline

    if not gold.is_file():
        raise DatelineError(f"{gold}: no such file")
    language = None if lang is Lang.auto else lang.value
    report = evaluate_entities(gold, Pipeline(), language)
    table = Table(title=f"entities: {report.documents} documents in {gold}")
    for column in ("type", "strict P", "strict R", "strict F1", "partial F1", "gold"):
        table.add_column(column, justify="left" if column == "type" else "right")
    for type_, strict in report.strict.items():
        partial = report.partial[type_]
        table.add_row(
            type_,
            f"{strict.precision:.1%}",
            f"{strict.recall:.1%}",
            f"{strict.f1:.1%}",
            f"{partial.f1:.1%}",
            str(strict.support),
        )
    Console().print(table)


@eval_app.command("coreference")
def eval_coreference(
    folder: Annotated[Path, typer.Argument(help="Folder of NAME.txt + NAME.json pairs.")],
) -> None:
    """Within-document entity clusters against hand-annotated clusters (B³)."""
    from dateline.evaluation.coreference import evaluate_coreference
    from dateline.pipeline import Pipeline

    if not folder.is_dir():
        raise DatelineError(f"{folder}: not a folder")
    report = evaluate_coreference(folder, Pipeline())
    print(f"coreference (B³): {report.documents} documents, {report.mentions} gold mentions")
    print(f"precision {report.precision:.1%}  recall {report.recall:.1%}  F1 {report.f1:.1%}")


@app.command()
def doctor() -> None:
    """Say what is installed and what is missing, with the fix for each."""
    from dateline.doctor import run_checks

    console = Console()
    checks = run_checks()
    for check in checks:
        mark = "[green]ok[/green]" if check.ok else "[red]missing[/red]"
        console.print(f"{mark:>20}  {escape(check.name)}: {escape(check.detail)}")
        if check.fix:
            console.print(f"{'':>9}fix: {escape(check.fix)}")
    raise typer.Exit(0 if all(check.ok for check in checks) else 1)


def main() -> None:
    """Entry point: run the app, turning any error into one line on stderr."""
    try:
        app()
    except DatelineError as error:
        print(f"dateline: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("dateline: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:
        if os.environ.get("DATELINE_DEBUG"):
            raise
        print(
            f"dateline: internal error: {error!r} (DATELINE_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        sys.exit(3)
