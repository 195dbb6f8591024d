"""The command line end to end, as a user runs it (subprocesses, real model, real DuckDB)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DATELINE = [sys.executable, "-m", "dateline"]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    # A wide terminal keeps table cells on one line, so assertions can look for whole names.
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [*DATELINE, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_extract_seed_prints_a_schema_1_record(seed_path):
    result = run("extract", seed_path)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    record = json.loads(line)
    assert record["schema_version"] == 1
    assert record["language"] == "fr"
    assert record["published"] == {
        "value": "2023-09",
        "earliest": "2023-09-01",
        "latest": "2023-09-30",
    }
    people = {e["name"] for e in record["entities"] if e["type"] == "PERSON"}
    assert {"Vladimir Poutine", "Yoon Suk Yeol"} <= people
    for entity in record["entities"]:
        for mention in entity["mentions"]:
            assert record["text"][mention["start"] : mention["end"]] == mention["text"]


def test_extract_samples_as_json_array_with_published_override(examples_dir, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_text("date 2023-13 Le conseil a voté.", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    result = run(
        "extract", examples_dir, bad, binary, "--format", "json", "--published", "2024-06-01"
    )
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert len(records) == len(list(examples_dir.glob("*.*")))
    assert {record["published"]["value"] for record in records} == {"2024-06-01"}
    assert result.stderr.splitlines() == [
        f"dateline: {bad}: broken date header 'date 2023-13': '2023-13': month 13 is not 1-12",
        f"dateline: {binary}: binary file, not text",
    ]


def test_bad_published_option_is_one_line():
    result = run("extract", "whatever.txt", "--published", "2023-13")
    assert result.returncode == 2
    assert result.stderr == "dateline: --published: '2023-13': month 13 is not 1-12\n"


def test_ingest_query_and_idempotence(examples_dir, tmp_path):
    db = tmp_path / "demo.duckdb"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for sample in examples_dir.glob("*.*"):
        (corpus / sample.name).write_bytes(sample.read_bytes())
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "deutsch.txt").write_text(
        "Die Bundesregierung hat am Mittwoch in Berlin ihren Haushaltsentwurf vorgestellt.",
        encoding="utf-8",
    )
    first = run("ingest", corpus, "--db", db)
    assert first.returncode == 1  # two inputs were quarantined
    assert "Traceback" not in first.stderr
    last = first.stderr.strip().splitlines()[-1]
    assert re.search(r": 11 stored, 0 already in the store, 2 quarantined, 0 near duplicates, "
                     r"\d+ corpus events$", last), last  # fmt: skip
    # Not a terminal: one progress line per committed batch instead of a bar.
    assert "documents (" in first.stderr
    assert "sahel-cedeao" in first.stdout  # the summary table

    again = run("ingest", corpus, "--db", db, "--quiet")
    assert "0 stored, 11 already in the store, 2 quarantined" in again.stderr

    query = run("query", "--db", db, "--format", "json",
                "SELECT reason FROM quarantine ORDER BY reason")  # fmt: skip
    assert query.returncode == 0, query.stderr
    assert [row["reason"] for row in json.loads(query.stdout)] == [
        "empty file",
        "unsupported language: German (de); dateline reads en, fr",
    ]


def test_query_on_a_missing_database_is_one_line(tmp_path):
    result = run("query", "--db", tmp_path / "none.duckdb", "SELECT 1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "no such database" in result.stderr


def test_doctor_reports_the_model():
    result = run("doctor")
    assert result.returncode == 0, result.stdout
    assert "fr_core_news_md 3.8.0" in result.stdout
