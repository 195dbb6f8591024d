"""Language: which language a document is written in.

lingua-language-detector, built from the languages dateline analyses (one per resource folder)
plus a short list of other common news languages, so that a German article is reported as
German rather than forced into French or English.
"""

from __future__ import annotations

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from dateline.errors import InputError
from dateline.resources import load_language, recognised_languages
from dateline.settings import Settings


class LanguageIdentifier:
    """Decides the language of a document; owns the detector (built once, reused)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        analysed = [getattr(Language, load_language(code).lingua) for code in settings.languages]
        others = [getattr(Language, name) for name in recognised_languages()]
        self._detector: LanguageDetector = LanguageDetectorBuilder.from_languages(
            *dict.fromkeys(analysed + others)
        ).build()

    def identify(self, text: str, source: str, hint: str | None = None) -> str:
        """The ISO 639-1 code of `text`'s language, or `InputError` if dateline cannot read it.

        A `hint` (from `--lang` or the input) is trusted as long as dateline knows the language.
        """
        if hint:
            code = hint.lower()
            if code not in self._settings.languages:
                raise InputError(source, f"unsupported language '{hint}' ({self._known()})")
            return code
        detected = self._detector.detect_language_of(text[: self._settings.detection_chars])
        if detected is None:
            raise InputError(source, "language could not be identified (pass --lang fr|en)")
        code = detected.iso_code_639_1.name.lower()
        if code not in self._settings.languages:
            name = detected.name.capitalize()
            raise InputError(source, f"unsupported language: {name} ({code}); {self._known()}")
        return code

    def _known(self) -> str:
        return "dateline reads " + ", ".join(self._settings.languages)
