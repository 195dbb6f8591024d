"""Parsing: the spaCy pipeline of each language, loaded once per process and reused."""

from __future__ import annotations

import spacy
from spacy.language import Language

from dateline.errors import SetupError
from dateline.resources import load_language


class SpacyModels:
    """The spaCy pipelines dateline uses, one per language, each loaded on first use.

    An object rather than a module cache so that its owner (a `Pipeline`, a worker process)
    decides its lifetime.
    """

    def __init__(self) -> None:
        self._loaded: dict[str, Language] = {}

    def for_language(self, code: str) -> Language:
        if code not in self._loaded:
            self._loaded[code] = _load(code)
        return self._loaded[code]

    @property
    def loaded(self) -> int:
        """How many pipelines are loaded so far."""
        return len(self._loaded)


def _load(code: str) -> Language:
    model = load_language(code).spacy_model
    if not model:
        # No statistical model for this language yet: a blank pipeline still tokenises and
        # splits sentences, so every stage downstream runs, with no entities from NER.
        nlp = spacy.blank(code)
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        return spacy.load(model)
    except OSError:
        package = model.replace("_", "-")
        raise SetupError(
            f"the spaCy model '{model}' is not installed; fix: run `make setup` "
            f"(or `pip install {package}==3.8.0`)"
        ) from None
