"""dateline: turn news articles into a dated, placed, sourced record of events.

The data flows through the modules in this order:
    read -> language -> parse -> entities -> (times, places, events: to come)
    -> ingest/store (DuckDB) -> output -> cli
`record` holds the types every stage speaks; `resources` loads per-language data.
"""

from dateline.errors import DatelineError, InputError
from dateline.pipeline import Pipeline, extract
from dateline.published import Published, parse_published
from dateline.record import Document, Entity, Event, Mention, Place, Quote, Record, TimeExpression
from dateline.settings import Settings

__all__ = [
    "DatelineError",
    "Document",
    "Entity",
    "Event",
    "InputError",
    "Mention",
    "Pipeline",
    "Place",
    "Published",
    "Quote",
    "Record",
    "Settings",
    "TimeExpression",
    "extract",
    "parse_published",
]
__version__ = "0.1.0"
