from datetime import date

import pytest

from dateline.errors import PublishedDateError
from dateline.published import parse_published


def test_month_is_the_whole_month():
    published = parse_published("2023-09")
    assert (published.value, published.earliest, published.latest) == (
        "2023-09",
        date(2023, 9, 1),
        date(2023, 9, 30),
    )
    assert published.granularity == "month"


def test_february_of_a_leap_year_ends_on_the_29th():
    assert parse_published("2024-02").latest == date(2024, 2, 29)


def test_year_is_the_whole_year():
    published = parse_published("2023")
    assert (published.earliest, published.latest, published.granularity) == (
        date(2023, 1, 1),
        date(2023, 12, 31),
        "year",
    )


def test_day_is_that_day():
    published = parse_published("2024-02-14")
    assert published.earliest == published.latest == date(2024, 2, 14)
    assert published.granularity == "day"


@pytest.mark.parametrize(
    "stamp",
    ["2023-09-17T22:30:00+09:00", "2023-09-17T22:30:00Z", "2023-09-17 22:30", "2023-09-17T22:30"],
)
def test_timestamp_is_its_own_local_day(stamp):
    published = parse_published(stamp)
    assert published.earliest == published.latest == date(2023, 9, 17)


def test_single_digit_month_is_padded():
    assert parse_published("2023-9").value == "2023-09"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2023-13", "month 13 is not 1-12"),
        ("2023-00", "month 0 is not 1-12"),
        ("2023-02-30", "day 30 is not 1-28"),
        ("99", "not a date"),
        ("2023-09-17T25:00", "not a valid ISO timestamp"),
        ("septembre", "not a date"),
    ],
)
def test_invalid_dates_say_why(raw, reason):
    with pytest.raises(PublishedDateError, match=reason):
        parse_published(raw)


def test_round_trip_through_dict():
    published = parse_published("2023-09")
    assert type(published).from_dict(published.to_dict()) == published
