"""Shared fixtures: the seed article, the samples, and one pipeline per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "examples" / "000_907e9e56b5d98854.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/examples is not beside the checkout")
    return SEED


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def pipeline():
    """The real pipeline (fr_core_news_md), loaded once for all slow tests."""
    from dateline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def settings():
    from dateline import Settings

    return Settings()
