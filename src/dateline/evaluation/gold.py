"""Gold `docs.jsonl` files (the format of `shared/data`): read them, and analyse their texts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from dateline.errors import DatelineError, InputError
from dateline.pipeline import Pipeline
from dateline.published import parse_published
from dateline.record import Document, Record


def read_gold(path: Path) -> Iterator[dict]:
    """Each line of a gold `docs.jsonl` as a dict; a line that is not JSON stops with its number."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise DatelineError(f"{path}:{number}: not JSON ({error})") from None


def analysed(
    items: Iterable[dict], pipeline: Pipeline, language: str | None = None
) -> Iterator[tuple[dict, Record]]:
    """Each gold item with the record the pipeline makes of its text (batched, in order)."""
    iterator = iter(items)
    while batch := list(islice(iterator, pipeline.settings.batch_size)):
        documents = [
            Document(
                id=item["id"],
                text=item["text"],
                source=item["id"],
                published=parse_published(item["published"]) if item.get("published") else None,
                language=language or item.get("language"),
            )
            for item in batch
        ]
        for item, result in zip(batch, pipeline.analyse(documents), strict=True):
            if isinstance(result, InputError):
                raise DatelineError(str(result))
            yield item, result
