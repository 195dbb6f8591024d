"""The record: serialisation as RECORD.md fixes it, the JSON Schema, offsets."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from dateline.published import parse_published
from dateline.record import (
    Entity,
    Event,
    Mention,
    Place,
    Quote,
    Record,
    TimeExpression,
    Trigger,
)

TEXT = "Kim Jong Un a rencontré dimanche Vladimir Poutine à Vladivostok."


@pytest.fixture(scope="module")
def schema():
    return json.loads(resources.files("dateline").joinpath("schema/record.schema.json").read_text())


def full_record() -> Record:
    return Record(
        id="doc1",
        language="fr",
        published=parse_published("2023-09"),
        text=TEXT,
        times=[
            TimeExpression("t1", "dimanche", 24, 32, "DATE", "2023-09", "2023-09-03", "2023-09-30")
        ],
        entities=[
            Entity("e1", "Kim Jong Un", "PERSON", mentions=[Mention(0, 11, "Kim Jong Un")]),
            Entity(
                "e2",
                "Vladimir Poutine",
                "PERSON",
                ["Poutine"],
                [Mention(33, 49, "Vladimir Poutine")],
            ),
            Entity("e3", "Vladivostok", "GPE", mentions=[Mention(52, 63, "Vladivostok")]),
        ],
        places=[Place("e3", "Vladivostok", 43.115, 131.885, "RU", "Primorsky Krai", 2013348)],
        events=[
            Event(
                "v1",
                "CONSULT",
                Trigger("rencontré", 14, 23),
                actors=["e1"],
                targets=["e2"],
                place="e3",
                time="t1",
            )
        ],
        quotes=[Quote("e1", "Vladimir Poutine", 33, 49)],
    )


def test_keys_come_in_record_md_order():
    data = full_record().to_dict()
    assert list(data)[:10] == [
        "schema_version", "id", "language", "published", "text",
        "times", "entities", "places", "events", "quotes",
    ]  # fmt: skip
    assert list(data["events"][0])[:3] == ["id", "type", "mode"]
    assert data["published"] == {
        "value": "2023-09",
        "earliest": "2023-09-01",
        "latest": "2023-09-30",
    }


def test_round_trip_through_json_is_lossless():
    record = full_record()
    again = Record.from_dict(json.loads(json.dumps(record.to_dict())))
    assert again == record


def test_full_record_validates_against_the_schema(schema):
    jsonschema.validate(full_record().to_dict(), schema)


def test_schema_rejects_an_unknown_event_type(schema):
    data = full_record().to_dict()
    data["events"][0]["type"] = "MEET"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_schema_rejects_a_missing_part(schema):
    data = full_record().to_dict()
    del data["times"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_sound_offsets_report_nothing():
    assert full_record().offset_errors() == []


def test_a_wrong_offset_is_reported():
    record = full_record()
    record.entities[0].mentions[0].end = 10
    assert record.offset_errors() == ["mention 'Kim Jong Un' at 0:10 reads 'Kim Jong U'"]
