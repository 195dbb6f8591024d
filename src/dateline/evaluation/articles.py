"""Hand-annotated articles: `NAME.txt` beside `NAME.json`, read and analysed one by one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from dateline.errors import DatelineError, InputError
from dateline.pipeline import Pipeline
from dateline.read import ReadOptions, read_file
from dateline.record import Record


def annotated_articles(folder: Path) -> Iterator[tuple[Path, dict]]:
    """(article path, its annotation) for every `NAME.json` of `folder`, sorted."""
    for annotation_path in sorted(folder.glob("*.json")):
        article = annotation_path.with_suffix(".txt")
        if not article.exists():
            raise DatelineError(f"{annotation_path}: no article {article.name} beside it")
        yield article, json.loads(annotation_path.read_text(encoding="utf-8"))


def analysed_articles(folder: Path, pipeline: Pipeline) -> Iterator[tuple[Path, dict, Record]]:
    """Each annotated article with the record the pipeline makes of it (in its `language`)."""
    for article, gold in annotated_articles(folder):
        options = ReadOptions(language=gold.get("language"))
        (document,) = read_file(article, pipeline.settings, options)
        if isinstance(document, InputError):
            raise DatelineError(str(document))
        (record,) = pipeline.analyse([document])
        if isinstance(record, InputError):
            raise DatelineError(str(record))
        yield article, gold, record
