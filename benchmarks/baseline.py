"""The baseline of the speed benchmarks: the raw spaCy parse of the same texts.

Each text is parsed by the model of its language, the one dateline loads for it (French
articles by fr_core_news_md, English ones by the English model, which is slower per word): the
cost of the parse alone, so that a ratio against it is the price of all that dateline adds.
The language of each text is found before any timing starts.
"""

from __future__ import annotations

import time

from dateline.language import LanguageIdentifier
from dateline.parse import SpacyModels
from dateline.settings import Settings


class RawParse:
    def __init__(self, texts: list[str], settings: Settings) -> None:
        identifier = LanguageIdentifier(settings)
        self.groups: dict[str, list[str]] = {}
        for number, text in enumerate(texts):
            code = identifier.identify(text, f"text {number}")
            self.groups.setdefault(code, []).append(text)
        models = SpacyModels()
        self.models = {code: models.for_language(code) for code in self.groups}
        self.batch_size = settings.batch_size
        for code, group in self.groups.items():
            list(self.models[code].pipe(group[:4]))  # warm, outside the timings

    def describe(self) -> str:
        """Which model parsed how many texts: "fr_core_news_md × 218, en_core_web_… × 22"."""
        return ", ".join(
            f"{self.models[code].meta['lang']}_{self.models[code].meta['name']} × {len(group)}"
            for code, group in self.groups.items()
        )

    def seconds(self) -> float:
        """One timed parse of every text, language by language."""
        start = time.perf_counter()
        for code, group in self.groups.items():
            for _doc in self.models[code].pipe(group, batch_size=self.batch_size):
                pass
        return time.perf_counter() - start
