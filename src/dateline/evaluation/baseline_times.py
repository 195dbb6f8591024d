"""The simplest time tagger worth comparing with: single words, no context, no tense.

It tags month names, weekday names, four-digit years and the words for today, yesterday and
tomorrow, and gives each the most obvious value (a month in the document's year, a weekday as
the document's own day, a relative day by its offset). `dateline eval times --baseline` scores it,
so the README can say how much the real rules add.
"""

from __future__ import annotations

import re
from datetime import timedelta

from dateline.evaluation.times import PredictedTimex
from dateline.published import Published
from dateline.times import TimeGrammar


def baseline_times(
    text: str, grammar: TimeGrammar, published: Published | None
) -> list[PredictedTimex]:
    words = {
        **{word: ("month", value) for word, value in grammar.lexicons["month"].items()},
        **{word: ("weekday", value) for word, value in grammar.lexicons["weekday"].items()},
        **{word: ("relday", value) for word, value in grammar.lexicons["relday"].items()},
    }
    found = []
    for match in re.finditer(r"[\w'’.]+", text):
        token = match.group().rstrip(".")
        kind_value = words.get(token.casefold().replace("’", "'"))
        end = match.start() + len(token)
        if re.fullmatch(r"(?:19|20)\d\d", token):
            found.append(PredictedTimex(match.start(), end, token, "DATE", token))
        elif kind_value and published is not None:
            found.append(
                PredictedTimex(match.start(), end, token, "DATE", _value(kind_value, published))
            )
    return found


def _value(kind_value: tuple[str, str], published: Published) -> str:
    kind, value = kind_value
    day = published.earliest
    if kind == "month":
        return f"{day.year:04d}-{int(value):02d}"
    if kind == "relday":
        return (day + timedelta(days=int(value))).isoformat()
    return day.isoformat()
