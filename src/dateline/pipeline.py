"""The pipeline: stages in data-flow order, each declaring what it needs and what it adds.

    read (read.py) -> language -> anatomy -> parse -> entity_rules -> entities -> times
                   -> places (places.py, geo/) -> events (events/) -> [kb]
                   -> store (store.py) / output (output.py)

A stage is a callable over a batch of `Analysis` objects (batches let spaCy's `nlp.pipe` run at
full speed). Contracts are checked when the pipeline is built: a stage whose `requires` no
earlier stage `provides` is a programming error caught before any document is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

from spacy.tokens import Doc

from dateline.anatomy import ReadAnatomy
from dateline.entities import FindEntities
from dateline.entity_rules import CorrectEntities
from dateline.errors import InputError, SetupError
from dateline.events.stage import ExtractEvents
from dateline.knowledge import KnowledgeBase
from dateline.language import LanguageIdentifier
from dateline.parse import SpacyModels
from dateline.places import ResolvePlaces
from dateline.published import Published, parse_published
from dateline.read import ReadOptions, document_from_text
from dateline.record import Document, Record
from dateline.settings import Settings
from dateline.times import TagTimes

# What the reader hands to the first stage.
READ_PROVIDES = ("document",)


@dataclass(slots=True)
class Analysis:
    """One document on its way through the stages.

    `record` exists once the language is known. `reading_text` is what the sentence-reading
    stages read: the record's text with non-article spans (byline, debris…) blanked, the same
    length, so offsets into it are offsets into `record.text`. `doc` exists once it is parsed.
    A stage that cannot handle a document sets `error`, and later stages pass it by.
    """

    document: Document
    record: Record | None = None
    reading_text: str | None = None
    doc: Doc | None = None
    error: InputError | None = None


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def __call__(self, batch: list[Analysis]) -> None: ...


class IdentifyLanguage:
    """Start the record: decide the language (or refuse the document)."""

    name = "language"
    requires = ("document",)
    provides = ("record",)

    def __init__(self, identifier: LanguageIdentifier) -> None:
        self._identifier = identifier

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            document = analysis.document
            try:
                language = self._identifier.identify(
                    document.text, document.source, document.language
                )
            except InputError as error:
                analysis.error = error
                continue
            analysis.record = Record(
                id=document.id,
                language=language,
                published=document.published,
                text=document.text,
                title=document.title,
                source=document.source,
            )


class Parse:
    """Run each document's reading text through its language's spaCy pipeline."""

    name = "parse"
    requires = ("record", "reading_text")
    provides = ("doc",)

    def __init__(self, models: SpacyModels, settings: Settings) -> None:
        self._models = models
        self._batch_size = settings.batch_size

    def __call__(self, batch: list[Analysis]) -> None:
        by_language: dict[str, list[Analysis]] = {}
        for analysis in batch:
            if analysis.record is not None:
                by_language.setdefault(analysis.record.language, []).append(analysis)
        for language, group in by_language.items():
            nlp = self._models.for_language(language)
            group = [analysis for analysis in group if _fits(analysis, nlp.max_length)]
            texts = (analysis.reading_text for analysis in group)
            for analysis, doc in zip(
                group, nlp.pipe(texts, batch_size=self._batch_size), strict=True
            ):
                analysis.doc = doc


def _fits(analysis: Analysis, max_length: int) -> bool:
    """Refuse, with a reason a user can act on, a text longer than the parser takes."""
    length = len(analysis.reading_text)
    if length <= max_length:
        return True
    analysis.error = InputError(
        analysis.document.source,
        f"too long to analyse ({length:,} characters; at most {max_length:,}): "
        "split it into articles",
    )
    return False


class LinkKnowledge:
    """Fill `entity.kb["wikidata"]` from an offline knowledge base (`dateline kb import`)."""

    name = "kb"
    requires = ("record.entities",)
    provides = ("record.entities.kb",)

    def __init__(self, knowledge_base: KnowledgeBase) -> None:
        self._kb = knowledge_base

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            self._kb.link(analysis.record)


def default_stages(settings: Settings, models: SpacyModels) -> list[Stage]:
    stages = [
        IdentifyLanguage(LanguageIdentifier(settings)),
        ReadAnatomy(),
        Parse(models, settings),
        CorrectEntities(),
        FindEntities(),
        TagTimes(),
        ResolvePlaces(),
        ExtractEvents(),
    ]
    if settings.kb_path is not None:
        stages.append(LinkKnowledge(KnowledgeBase(settings.kb_path)))
    return stages


class Pipeline:
    """Documents in, records out, with every model loaded once for the pipeline's lifetime.

    >>> pipeline = Pipeline()
    >>> record = pipeline.extract("Le président a parlé lundi à Paris.", published="2024-03")
    """

    def __init__(self, settings: Settings | None = None, stages: list[Stage] | None = None) -> None:
        self.settings = settings or Settings()
        self.models = SpacyModels()
        self.stages = stages if stages is not None else default_stages(self.settings, self.models)
        check_contracts(self.stages)

    def analyse(self, documents: Iterable[Document]) -> Iterator[Record | InputError]:
        """Yield a `Record`, or the `InputError` that stopped it, for each document, in order."""
        iterator = iter(documents)
        while batch := list(islice(iterator, self.settings.batch_size)):
            analyses = [Analysis(document) for document in batch]
            for stage in self.stages:
                _run_stage(stage, [a for a in analyses if a.error is None])
            for analysis in analyses:
                yield analysis.error or analysis.record

    def extract(
        self,
        text: str,
        *,
        published: str | Published | None = None,
        language: str | None = None,
        doc_id: str = "doc",
    ) -> Record:
        """Analyse one text. Raises `InputError` if it cannot be analysed (empty, bad language)."""
        if isinstance(published, str):
            published = parse_published(published)
        options = ReadOptions(published=published, language=language)
        document = document_from_text(text, source=doc_id, doc_id=doc_id, options=options)
        (result,) = self.analyse([document])
        if isinstance(result, InputError):
            raise result
        return result


def _run_stage(stage: Stage, analyses: list[Analysis]) -> None:
    """Run a stage on a batch; if it fails, rerun it per document to isolate the culprit.

    A document that breaks a stage is refused with the stage's name in the reason; the rest of
    the batch goes on.
    """
    try:
        stage(analyses)
    except SetupError:
        raise  # a missing model is the installation's fault, not the documents'
    except Exception:  # noqa: BLE001 - any failure of a stage must cost one document, not a batch
        for analysis in analyses:
            try:
                stage([analysis])
            except Exception as error:  # noqa: BLE001
                analysis.error = InputError(
                    analysis.document.source, f"stage '{stage.name}' failed: {error!r}"
                )


def check_contracts(stages: list[Stage]) -> None:
    """Raise `ValueError` if a stage requires something no earlier stage provides."""
    available = set(READ_PROVIDES)
    for stage in stages:
        missing = [need for need in stage.requires if need not in available]
        if missing:
            raise ValueError(
                f"stage '{stage.name}' requires {missing}, provided by no earlier stage"
            )
        available.update(stage.provides)


def extract(
    text: str, *, published: str | Published | None = None, language: str | None = None
) -> Record:
    """Analyse one text with a fresh `Pipeline` (loads the models: use `Pipeline` for many)."""
    return Pipeline().extract(text, published=published, language=language)
