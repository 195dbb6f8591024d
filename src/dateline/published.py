"""Publication dates with their granularity.

A news publication date is often coarse: `2023-09` says the article appeared some day in
September 2023. Keeping the granularity as an interval of days (`earliest`..`latest`) lets the
time stage anchor relative expressions honestly instead of pretending to know the day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from dateline.errors import PublishedDateError

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class Published:
    """A publication date: the value as written (normalised) and the days it may denote."""

    value: str
    earliest: date
    latest: date

    @property
    def granularity(self) -> str:
        """`year`, `month` or `day`: how precisely the date is known."""
        if self.earliest == self.latest:
            return "day"
        if self.earliest.month == self.latest.month:
            return "month"
        return "year"

    def to_dict(self) -> dict[str, str]:
        return {
            "value": self.value,
            "earliest": self.earliest.isoformat(),
            "latest": self.latest.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Published:
        return cls(
            value=data["value"],
            earliest=date.fromisoformat(data["earliest"]),
            latest=date.fromisoformat(data["latest"]),
        )


def parse_published(raw: str) -> Published:
    """Parse `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an ISO timestamp into a `Published`.

    Raises `PublishedDateError` with a reason a user can act on (`month 13 is not 1-12`).
    """
    text = raw.strip()
    if match := _YEAR.match(text):
        year = _check_year(int(match.group(1)), raw)
        return Published(f"{year:04d}", date(year, 1, 1), date(year, 12, 31))
    if match := _MONTH.match(text):
        year = _check_year(int(match.group(1)), raw)
        month = _check_month(int(match.group(2)), raw)
        last_day = calendar.monthrange(year, month)[1]
        return Published(
            f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, last_day)
        )
    if match := _DAY.match(text):
        year = _check_year(int(match.group(1)), raw)
        month = _check_month(int(match.group(2)), raw)
        day = _check_day(year, month, int(match.group(3)), raw)
        return Published(day.isoformat(), day, day)
    return _parse_timestamp(text, raw)


def _parse_timestamp(text: str, raw: str) -> Published:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        if re.match(r"^\d{4}-\d{1,2}-\d{1,2}[T ]", text):
            raise PublishedDateError(f"'{raw}' is not a valid ISO timestamp") from None
        raise PublishedDateError(
            f"'{raw}' is not a date (expected YYYY, YYYY-MM, YYYY-MM-DD or an ISO timestamp)"
        ) from None
    # The day is the one the timestamp names in its own time zone: that is the local date the
    # newsroom printed, which is what relative expressions in the text are anchored to.
    return Published(moment.isoformat(), moment.date(), moment.date())


def _check_year(year: int, raw: str) -> int:
    if not 1000 <= year <= 2999:
        raise PublishedDateError(f"'{raw}': year {year} is out of range")
    return year


def _check_month(month: int, raw: str) -> int:
    if not 1 <= month <= 12:
        raise PublishedDateError(f"'{raw}': month {month} is not 1-12")
    return month


def _check_day(year: int, month: int, day: int, raw: str) -> date:
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise PublishedDateError(f"'{raw}': day {day} is not 1-{last_day} for {year}-{month:02d}")
    return date(year, month, day)
