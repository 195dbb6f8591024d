"""Doctor: what is installed, what is missing, and how to fix each."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata

from dateline.resources import available_languages, load_language

REQUIRED_PACKAGES = ("spacy", "duckdb", "lingua-language-detector", "trafilatura", "typer", "rich")
FIX = "run `make setup` in the dateline checkout (it installs the locked environment)"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(load_models: bool = True) -> list[Check]:
    checks = [_python()]
    checks += [_package(name) for name in REQUIRED_PACKAGES]
    for code in available_languages():
        checks.append(_model(code, load_models))
    return checks


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, version, "" if ok else "install Python 3.11")


def _package(name: str) -> Check:
    try:
        return Check(name, True, metadata.version(name))
    except metadata.PackageNotFoundError:
        return Check(name, False, "not installed", FIX)


def _model(code: str, load: bool) -> Check:
    resources = load_language(code)
    label = f"model [{code}]"
    if not resources.spacy_model:
        return Check(
            label, True, "none configured: blank tokenizer, no named entities for this language"
        )
    package = resources.spacy_model.replace("_", "-")
    try:
        version = metadata.version(resources.spacy_model)
    except metadata.PackageNotFoundError:
        return Check(label, False, f"{resources.spacy_model} not installed",
                     f"{FIX}, or `pip install {package}==3.8.0`")  # fmt: skip
    if load:
        import spacy

        try:
            nlp = spacy.load(resources.spacy_model)
        except (OSError, ValueError) as error:
            return Check(
                label, False, f"{resources.spacy_model} {version} does not load: {error}", FIX
            )
        return Check(
            label, True, f"{resources.spacy_model} {version} ({', '.join(nlp.pipe_names)})"
        )
    return Check(label, True, f"{resources.spacy_model} {version}")
