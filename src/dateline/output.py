"""Output: records as JSON lines or a JSON array, and tables for people to read."""

from __future__ import annotations

import json
from typing import IO

from rich import box
from rich.table import Table

from dateline.record import Record
from dateline.store import QueryResult, Store


def record_json(record: Record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False)


def write_records(records: list[Record], stream: IO[str], fmt: str) -> None:
    """Write records already gathered (`json`: one array)."""
    if fmt == "json":
        json.dump([record.to_dict() for record in records], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    else:
        for record in records:
            stream.write(record_json(record) + "\n")


SHORT_CELL = 12


def query_table(result: QueryResult, title: str | None = None, *, compact: bool = False) -> Table:
    """A rich table of a query result; `compact` saves room for an 80-column terminal."""
    table = Table(
        title=title, box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD, pad_edge=not compact
    )
    cells = [["" if value is None else str(value) for value in row] for row in result.rows]
    for index, column in enumerate(result.columns):
        longest = max((len(row[index]) for row in cells), default=0)
        if longest <= SHORT_CELL:
            # Counts, codes and dates never wrap: a column squeezed to "2…" says nothing.
            table.add_column(column, no_wrap=True, min_width=max(longest, len(column)))
        else:
            table.add_column(column)
    for row in cells:
        table.add_row(*row)
    return table


SUMMARY_SQL = """
WITH named AS (
    SELECT e.doc_key, e.type, e.name, count(*) AS n
    FROM entities e JOIN mentions m USING (doc_key, entity_id)
    GROUP BY ALL
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY doc_key, type ORDER BY n DESC, name) AS rank
    FROM named
),
top AS (
    SELECT doc_key,
        string_agg(name, ', ' ORDER BY rank) FILTER (WHERE type = 'PERSON' AND rank <= 2) AS people,
        string_agg(name, ', ' ORDER BY rank) FILTER (WHERE type IN ('GPE', 'LOC') AND rank <= 2)
            AS places
    FROM ranked GROUP BY doc_key
)
SELECT d.id AS document, d.language AS lang, left(d.published, 10) AS published,
    (SELECT count(*) FROM entities e WHERE e.doc_key = d.doc_key) AS ents,
    (SELECT count(*) FROM times t WHERE t.doc_key = d.doc_key) AS times,
    (SELECT count(*) FROM events v WHERE v.doc_key = d.doc_key) AS events,
    top.people, top.places
FROM documents d LEFT JOIN top USING (doc_key)
ORDER BY d.published NULLS LAST, d.id
"""


def summary_tables(store: Store) -> list[Table]:
    """What the store holds: one row per document, then the quarantine."""
    documents = query_table(store.query(SUMMARY_SQL), title=f"dateline: {store.path}", compact=True)
    tables = [documents]
    quarantine = store.query("SELECT source, reason FROM quarantine ORDER BY source")
    if quarantine.rows:
        tables.append(query_table(quarantine, title="quarantine", compact=True))
    return tables
