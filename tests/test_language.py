"""Language identification: French and English read, others reported by name."""

from __future__ import annotations

import pytest

from dateline.errors import InputError
from dateline.language import LanguageIdentifier


@pytest.fixture(scope="module")
def identifier(settings):
    return LanguageIdentifier(settings)


def test_french(identifier):
    text = "Le gouvernement a présenté mercredi son projet de loi de finances pour l'an prochain."
    assert identifier.identify(text, "a.txt") == "fr"


def test_english(identifier):
    text = (
        "The government unveiled its budget bill on Wednesday, promising cuts to public spending."
    )
    assert identifier.identify(text, "a.txt") == "en"


def test_german_is_reported_as_german(identifier):
    text = "Die Bundesregierung hat am Mittwoch ihren Haushaltsentwurf vorgestellt."
    with pytest.raises(
        InputError, match=r"unsupported language: German \(de\); dateline reads en, fr"
    ):
        identifier.identify(text, "a.txt")


def test_text_without_language_asks_for_lang(identifier):
    with pytest.raises(InputError, match="could not be identified"):
        identifier.identify("2023 — 12 : 45 / 678", "a.txt")


def test_hint_wins_over_detection(identifier):
    text = "The government unveiled its budget bill on Wednesday."
    assert identifier.identify(text, "a.txt", hint="fr") == "fr"


def test_unknown_hint_is_refused(identifier):
    with pytest.raises(InputError, match="unsupported language 'de'"):
        identifier.identify("Guten Tag", "a.txt", hint="de")
