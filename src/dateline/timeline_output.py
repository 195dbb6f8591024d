"""Timelines for people and tools: a terminal table, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import json
from typing import IO

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dateline.timeline import TimelineEntry


def write_timeline(entries: list[TimelineEntry], fmt: str, stream: IO[str], *, topic: bool) -> None:
    if fmt == "json":
        json.dump([entry.to_dict() for entry in entries], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt == "csv":
        _write_csv(entries, stream)
    elif fmt == "md":
        _write_markdown(entries, stream, topic=topic)
    else:
        console = Console(file=stream)
        if not console.is_terminal:
            console = Console(file=stream, width=120)
        console.print(_table(entries, topic=topic))


def _sources(count: int) -> str:
    return f"{count} source" if count == 1 else f"{count} sources"


def _who(entry: TimelineEntry) -> str:
    who = ", ".join(entry.who)
    if entry.whom:
        who = f"{who} → {', '.join(entry.whom)}" if who else f"→ {', '.join(entry.whom)}"
    return who


def _links(entry: TimelineEntry, limit: int | None = None) -> str:
    links = [f"{link.document}#{link.start}-{link.end}" for link in entry.reports[:limit]]
    if limit is not None and len(entry.reports) > limit:
        links.append(f"+{len(entry.reports) - limit}")
    return " ".join(links)


def _table(entries: list[TimelineEntry], *, topic: bool) -> Table:
    # Three columns so that an 80-column terminal still reads it: the day, the kind of event,
    # and what happened with who, where and the sources on a second, dimmer line.
    table = Table(box=box.SIMPLE_HEAD, title="topic timeline" if topic else "timeline")
    table.add_column("when", no_wrap=True)
    table.add_column("score" if topic else "event", no_wrap=True)
    table.add_column("what happened")
    for entry in entries:
        if topic:
            kind = f"{entry.score:.1f}"
            details = [_sources(entry.sources), _links(entry)]
        else:
            kind = f"{entry.type}\n[dim]{entry.factuality}[/dim]"
            details = [_who(entry), entry.where or "", _sources(entry.sources),
                       _links(entry, limit=3)]  # fmt: skip
        detail = " · ".join(escape(part) for part in details if part)
        table.add_row(entry.when, kind, f"{escape(entry.what)}\n[dim]{detail}[/dim]")
    return table


def _write_csv(entries: list[TimelineEntry], stream: IO[str]) -> None:
    writer = csv.writer(stream)
    writer.writerow(
        ["earliest", "latest", "dated", "type", "what", "who", "whom", "where", "factuality",
         "sources", "score", "reports"]
    )  # fmt: skip
    for entry in entries:
        writer.writerow(
            [entry.earliest, entry.latest, entry.dated, entry.type, entry.what,
             "; ".join(entry.who), "; ".join(entry.whom), entry.where, entry.factuality,
             entry.sources, entry.score, _links(entry)]
        )  # fmt: skip


def _write_markdown(entries: list[TimelineEntry], stream: IO[str], *, topic: bool) -> None:
    for entry in entries:
        stream.write(f"### {entry.when}\n\n")
        if topic:
            stream.write(f"{entry.what}\n\n")
            stream.write(f"*{_sources(entry.sources)}; from {_links(entry)}*\n\n")
            continue
        where = f" at {entry.where}" if entry.where else ""
        who = _who(entry)
        stream.write(f"**{entry.type}**{where}, {entry.factuality}: {entry.what}\n\n")
        if who:
            stream.write(f"- who: {who}\n")
        stream.write(f"- sources: {entry.sources} ({_links(entry)})\n\n")
