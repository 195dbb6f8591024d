"""Keys under which place names are indexed and looked up.

A *plain key* ignores case, accents and punctuation: "Komsomolsk-sur-l'Amour" and
"komsomolsk sur l amour" are one key. A *loose key* also folds transliteration variants
(`resources/places/name_folding.tsv`: Artiom = Artyom, Primorie = Primorye) and abbreviations
(`resources/places/name_abbreviations.tsv`: St. = Saint); it is only tried when the plain key
finds nothing, because it also merges names that differ for real.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dateline.resources import PLACES_DIR, read_table

_WORD = re.compile(r"[^\W_]+")


def plain_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(_WORD.findall(folded))


class LooseKeys:
    """Folds a plain key into its loose key, with the rules of `resources/places/`."""

    def __init__(self) -> None:
        self._letters = [
            (row[0], row[1] if len(row) > 1 else "")
            for row in read_table(PLACES_DIR / "name_folding.tsv")
        ]
        self._words = {row[0]: row[1] for row in read_table(PLACES_DIR / "name_abbreviations.tsv")}

    def expand(self, plain: str) -> str:
        """The plain key with its abbreviations spelt out ("st petersburg": "saint petersburg")."""
        return " ".join(self._words.get(word, word) for word in plain.split())

    def __call__(self, plain: str) -> str:
        folded = self.expand(plain)
        for source, target in self._letters:
            folded = folded.replace(source, target)
        return re.sub(r"(.)\1+", r"\1", folded)


@lru_cache(maxsize=1)
def loose_keys() -> LooseKeys:
    """The one folding of the process (the rules are data read once)."""
    return LooseKeys()
