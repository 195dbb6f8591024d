"""The one loader of language resources.

Everything that differs between languages lives as data under `resources/<lang>/`, one concept
per file, each headed by its format and an example. Adding a language is adding a folder.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

RESOURCES_DIR = Path(__file__).parent / "resources"
# Facts about places that hold in every language (name folding, the gazetteer supplement).
PLACES_DIR = RESOURCES_DIR / "places"


@dataclass(frozen=True, slots=True)
class LanguageResources:
    """What dateline knows about one language (its folder under `resources/`)."""

    code: str
    name: str
    lingua: str
    spacy_model: str
    entity_labels: dict[str, str]
    join_day_and_clock: bool = True
    syntax: dict[str, list[str]] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return RESOURCES_DIR / self.code

    def words(self, name: str) -> list[str]:
        """The items of `resources/<lang>/<name>.txt`, one per line."""
        return read_list(self.folder / f"{name}.txt")

    def tables(self, folder: str) -> dict[str, list[list[str]]]:
        """Every `resources/<lang>/<folder>/*.tsv`, by file name (without `.tsv`)."""
        return {
            path.stem: read_table(path) for path in sorted((self.folder / folder).glob("*.tsv"))
        }

    def table(self, name: str) -> list[list[str]]:
        """The rows of `resources/<lang>/<name>.tsv`, split on tabs (empty cells kept)."""
        return read_table(self.folder / f"{name}.tsv")


def available_languages() -> tuple[str, ...]:
    """The ISO codes of the languages dateline can analyse, one per resource folder."""
    return tuple(sorted(path.parent.name for path in RESOURCES_DIR.glob("*/language.toml")))


def load_language(code: str) -> LanguageResources:
    """Load `resources/<code>/language.toml`. Raises `KeyError` for an unknown language."""
    path = RESOURCES_DIR / code / "language.toml"
    if not path.is_file():
        known = ", ".join(available_languages())
        raise KeyError(f"no resources for language '{code}' (known: {known})")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return LanguageResources(
        code=code,
        name=data["name"],
        lingua=data["lingua"],
        spacy_model=data.get("spacy_model", ""),
        entity_labels=dict(data.get("entity_labels", {})),
        join_day_and_clock=bool(data.get("times", {}).get("join_day_and_clock", True)),
        syntax={key: list(value) for key, value in data.get("syntax", {}).items()},
    )


def read_list(path: Path) -> list[str]:
    """Read a one-item-per-line resource file, skipping blank lines and `#` comment lines."""
    return [line.strip() for line in _content_lines(path)]


def read_table(path: Path) -> list[list[str]]:
    """Read a TSV resource file: its rows split on tabs (empty cells kept), comments skipped."""
    return [[cell.strip() for cell in line.split("\t")] for line in _content_lines(path)]


def _content_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def recognised_languages() -> list[str]:
    """lingua names of languages recognised (to be reported) but not analysed."""
    return read_list(RESOURCES_DIR / "recognised_languages.txt")


class PerLanguage(Generic[T]):
    """Something a stage builds once per language from its resources, on first use.

    Owned by the stage (no module-level cache), so its lifetime is the pipeline's.
    """

    def __init__(self, build: Callable[[LanguageResources], T]) -> None:
        self._build = build
        self._built: dict[str, T] = {}

    def __getitem__(self, code: str) -> T:
        if code not in self._built:
            self._built[code] = self._build(load_language(code))
        return self._built[code]
