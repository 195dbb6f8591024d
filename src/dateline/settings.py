"""One settings object shared by the Python API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dateline.resources import available_languages

MEGABYTE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    """How dateline reads and analyses documents.

    `languages` are the languages analysed (others are reported as unsupported).
    `max_document_bytes` bounds one document: a news article is a few tens of kilobytes, so a
    file far above this is a mistake (a dump, a binary) and is refused rather than parsed for
    minutes. `batch_size` is how many documents go through spaCy and into the store at once.
    `detection_chars` is how much of a text language detection reads: the opening of an
    article decides its language, and reading all of a long one costs time for nothing.
    `kb_path` is a knowledge base built by `dateline kb import`; with it, entities are linked.
    """

    languages: tuple[str, ...] = field(default_factory=available_languages)
    max_document_bytes: int = 10 * MEGABYTE
    batch_size: int = 32
    detection_chars: int = 500
    kb_path: Path | None = None
