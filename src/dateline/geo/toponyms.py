"""From a place mention to the names to look up: "l'île Russky" is the island Russky.

A short form ("U.S.", "W.Va.", "RDC": `place_abbreviations.tsv`) stands for its full name, and
a demonym ("Russian", "nord-coréens": `demonyms.tsv`) for its country; both come before the
gazetteer, since some short forms are also a village's name. Otherwise a mention is looked up
whole first ("Douglas County", "mer Noire" are names), then without its articles, then without
a word that announces the kind of place ("île", "ville de", "Island", "the city of"), which
becomes a hint for choosing among the candidates. The words are data under `resources/<lang>/`:
`place_heads.tsv`, `place_connectors.txt`, `articles.txt`, and the two above.
"""

from __future__ import annotations

from dataclasses import dataclass

from dateline.geo.names import plain_key
from dateline.resources import LanguageResources


@dataclass(frozen=True, slots=True)
class Form:
    name: str  # a plain key to look up (empty for a demonym)
    kind: str | None  # the kind of place the mention announced, if it did
    country: str | None = None  # a demonym's country (ISO alpha-2)


class ToponymForms:
    def __init__(self, resources: LanguageResources) -> None:
        self._articles = {plain_key(word) for word in resources.words("articles")}
        self._connectors = {plain_key(word) for word in resources.words("place_connectors")}
        self._before: list[tuple[tuple[str, ...], str]] = []
        self._after: list[tuple[tuple[str, ...], str]] = []
        for word, kind, position in resources.table("place_heads"):
            key = tuple(plain_key(word).split())
            (self._before if position == "before" else self._after).append((key, kind))
        self._short_forms = {
            plain_key(row[0]): Form(plain_key(row[1]), row[2] if len(row) > 2 else None)
            for row in resources.table("place_abbreviations")
        }
        self._demonyms = {plain_key(form): code for form, code in resources.table("demonyms")}

    def __call__(self, mention: str) -> list[Form]:
        words = self._without_articles(plain_key(mention).split())
        key = " ".join(words)
        if key in self._short_forms:
            return [self._short_forms[key]]
        if key in self._demonyms:
            return [Form("", "country", self._demonyms[key])]
        forms = [Form(plain_key(mention), None)]
        forms.append(Form(key, None))
        for head, kind in self._before:
            if len(words) > len(head) and tuple(words[: len(head)]) == head:
                rest = words[len(head) :]
                while len(rest) > 1 and (rest[0] in self._connectors or rest[0] in self._articles):
                    rest = rest[1:]
                forms.append(Form(" ".join(rest), kind))
        for head, kind in self._after:
            if len(words) > len(head) and tuple(words[-len(head) :]) == head:
                forms.append(Form(" ".join(words[: -len(head)]), kind))
        unique: dict[str, Form] = {}
        for form in forms:
            if form.name and (form.name not in unique or unique[form.name].kind is None):
                unique[form.name] = form
        return list(unique.values())

    def _without_articles(self, words: list[str]) -> list[str]:
        while len(words) > 1 and words[0] in self._articles:
            words = words[1:]
        return words
