"""Times: TIMEX3 expressions found by rules, normalised against the document date.

The rules and their words are data (`resources/<lang>/time_rules.tsv` and the lexicons it names);
this module holds only what is the same in every language: how a rule pattern compiles to a
regular expression, and how each kind of expression (a date, a weekday, "il y a trois jours",
a duration…) becomes a TimeML value.

Anchoring knows what it does not know. A relative expression is resolved against every day the
document may have been published (`published.earliest` .. `published.latest`); if every
candidate gives the same value, that is the value; otherwise `value` keeps only what is certain
(`2023-09` if all fall in September 2023, else the shape with digits blanked: `XXXX-XX-XX`),
and `earliest`/`latest` span every candidate day. Verb tense (spaCy morphology, or cue words
where the parse has none) decides whether a bare weekday or month lies before or after the
document date; words like "dernier"/"prochain" decide it outright.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateline.published import Published
from dateline.record import TimeExpression
from dateline.resources import LanguageResources, PerLanguage

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from dateline.pipeline import Analysis

LEXICONS = {
    "month": "month_names",
    "weekday": "weekday_names",
    "number": "number_words",
    "ordinal": "ordinal_words",
    "unit": "time_units",
    "relday": "relative_days",
    "pod": "parts_of_day",
    "season": "seasons",
    "mod": "time_modifiers",
    "shift": "shift_words",
    "fuzzy": "fuzzy_times",
    "frequency": "frequency_words",
    "holiday": "holidays",
}
SHAPES = {
    "year": r"(?:1[5-9]|20)\d\d",
    "shortyear": r"'?\d\d",
    "day": r"(?:[12]\d|3[01]|0?[1-9])(?:er|st|nd|rd|th)?",
    "monthnum": r"1[0-2]|0?[1-9]",
    "hour": r"2[0-3]|[01]?\d",
    "minute": r"[0-5]\d",
    "decade": r"(?:1[5-9]|20)?\d0|'\d0",
    "roman": r"[IVXL]{1,6}",
}
# Lexicons that also accept digits: "3 jours", "the 3rd quarter".
DIGITS = {"number": r"\d+(?:[.,]\d+)?", "ordinal": r"\d{1,2}(?:st|nd|rd|th|e|ème)"}
APOSTROPHE = "['’]"
# {lexicon} or {lexicon:group}, the second when one rule reads the same lexicon twice.
PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")
LEFT_CONTEXT_CHARS = 40
# Any ordinary day, to try an interpretation before the real anchors are known.
SAMPLE_DAY = date(2000, 6, 14)


# -- rules ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeRule:
    type: str
    interpretation: str
    pattern: re.Pattern[str]
    left_context: re.Pattern[str] | None
    source: str
    # A cheap test before the regular expression runs: for each required item of the pattern,
    # the words one of which the text must hold (or, with True, a digit will do).
    requirements: tuple[tuple[frozenset[str], bool], ...] = ()


@dataclass(frozen=True, slots=True)
class TimeGrammar:
    """The compiled time rules and lexicons of one language."""

    rules: tuple[TimeRule, ...]
    lexicons: dict[str, dict[str, str]]
    tense_cues: dict[str, str]
    join_day_and_clock: bool = True

    @classmethod
    def for_language(cls, resources: LanguageResources) -> TimeGrammar:
        lexicons = {
            name: {_fold(row[0]): row[1] for row in resources.table(file)}
            for name, file in LEXICONS.items()
        }
        rules = tuple(
            _compile_rule(row, lexicons) for row in resources.table("time_rules") if len(row) >= 3
        )
        cues = {_fold(row[0]): row[1] for row in resources.table("tense_cues")}
        return cls(
            rules=rules,
            lexicons=lexicons,
            tense_cues=cues,
            join_day_and_clock=resources.join_day_and_clock,
        )

    def lookup(self, lexicon: str, text: str | None) -> str | None:
        if text is None:
            return None
        return self.lexicons[lexicon].get(_fold(" ".join(text.split())))


def _fold(text: str) -> str:
    return text.casefold().replace("’", "'")


def _compile_rule(row: list[str], lexicons: dict[str, dict[str, str]]) -> TimeRule:
    type_, interpretation, pattern = row[0], row[1], row[2]
    context = row[3] if len(row) > 3 and row[3] else None
    regex = _compile_pattern(pattern, lexicons)
    left = None
    if context:
        # Matched against the text before the expression, trailing spaces removed; the rule
        # files anchor it with "$".
        spaced = re.sub("['’]", lambda _: APOSTROPHE, context.replace("_", r"\s+"))
        left = re.compile(spaced, re.IGNORECASE)
    raw_items = pattern.split(" ")
    # An item glued to its neighbour ("XIXe", "mardis") is not a word of its own: no test.
    glued = [raw.startswith("+") or raw[0] in "-,.;:/" for raw in raw_items] + [False]
    requirements = tuple(
        requirement
        for index, raw in enumerate(raw_items)
        if not raw.endswith("?")
        and not glued[index]
        and not glued[index + 1]
        and (requirement := _requirement(raw, lexicons)) is not None
    )
    return TimeRule(type_, interpretation, regex, left, "\t".join(row), requirements)


WORD = re.compile(r"\w+")


def _requirement(
    item: str, lexicons: dict[str, dict[str, str]]
) -> tuple[frozenset[str], bool] | None:
    """The words one of which must be in a text for this pattern item to match in it (and
    whether a digit will do instead); None when no such test can be made."""
    words: set[str] = set()
    digits = False
    for alternative in item.lstrip("+").split("|"):
        placeholder = PLACEHOLDER.match(alternative)
        if placeholder:
            name = placeholder.group(1)
            if name in SHAPES:
                if name == "roman":
                    return None
                digits = True
                continue
            digits = digits or name in DIGITS
            words |= {_telling_word(word) for word in lexicons[name]}
        else:
            # A placeholder inside a phrase ("fête_{holiday}") is no word of the text.
            words.add(_telling_word(PLACEHOLDER.sub(" ", alternative).replace("_", " ")))
    if "" in words:
        return None
    return frozenset(words), digits


def _telling_word(text: str) -> str:
    """The word of a phrase a text must hold for the phrase to be there: its longest, as the
    rarest ("lendemain" in "le lendemain"; "le" would send the rule everywhere)."""
    words = WORD.findall(_fold(text))
    return max(words, key=len) if words else ""


@dataclass(slots=True)
class _Item:
    regex: str
    optional: bool
    glued: bool


# Between two items of a pattern: spaces, or nothing after an apostrophe or a hyphen
# ("l'an dernier", "mi-juillet").
SEPARATOR = r"(?:\s+|(?<=['’-]))"


def _compile_pattern(pattern: str, lexicons: dict[str, dict[str, str]]) -> re.Pattern[str]:
    items = [_compile_item(raw, lexicons) for raw in pattern.split(" ")]
    parts: list[str] = []
    required_seen = False
    for index, item in enumerate(items):
        before = "" if index == 0 or item.glued else SEPARATOR
        if item.optional and not required_seen:
            following = items[index + 1] if index + 1 < len(items) else None
            after = "" if following is None or following.glued else SEPARATOR
            parts.append(f"(?:{item.regex}{after})?")
        elif item.optional:
            parts.append(f"(?:{before}{item.regex})?")
        else:
            parts.append((before if required_seen else "") + item.regex)
            required_seen = True
    return re.compile(rf"(?<![\w'’-])(?:{''.join(parts)})(?![\w-])", re.IGNORECASE)


def _compile_item(raw: str, lexicons: dict[str, dict[str, str]]) -> _Item:
    optional = raw.endswith("?") and len(raw) > 1
    text = raw[:-1] if optional else raw
    glued = text.startswith("+") or text[0] in "-,.;:/"
    text = text.lstrip("+")
    alternatives = []
    for alternative in text.split("|"):
        pieces = []
        position = 0
        for match in PLACEHOLDER.finditer(alternative):
            pieces.append(_literal(alternative[position : match.start()]))
            pieces.append(_placeholder(match.group(1), lexicons, match.group(2)))
            position = match.end()
        pieces.append(_literal(alternative[position:]))
        alternatives.append("".join(pieces))
    return _Item(f"(?:{'|'.join(alternatives)})", optional, glued)


def _literal(text: str) -> str:
    escaped = re.escape(text).replace("_", r"\s+")
    return re.sub("['’]", lambda _: APOSTROPHE, escaped)


def _placeholder(name: str, lexicons: dict[str, dict[str, str]], group: str | None = None) -> str:
    group = group or name
    if name in SHAPES:
        return f"(?P<{group}>{SHAPES[name]})"
    alternatives = [_word_trie(lexicons[name])]
    if name in DIGITS:
        alternatives.insert(0, DIGITS[name])
    return f"(?P<{group}>{'|'.join(alternatives)})"


def _word_trie(words) -> str:
    """One regular expression for a list of words, as a trie: "jours?|journées?|semaines?".

    A flat alternation makes the regex engine try every word at every position it scans (a
    lexicon of months or units: dozens of tries per word of the text); a trie tries one branch
    per first letter. It matches the same words and prefers the same one: the words that can
    match at one position are prefixes of one another, and both forms try the longest first.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for unit in _regex_units(word):
            node = node.setdefault(unit, {})
        node[""] = {}  # a word ends here
    return _trie_regex(trie)


def _regex_units(word: str) -> list[str]:
    """The regex of each character of a lexicon word, written by `_literal` as a flat
    alternation writes it: a space matches a run of spaces, an apostrophe either apostrophe."""
    return [_literal(char).replace(r"\ ", r"\s+") for char in word]


def _trie_regex(node: dict) -> str:
    ends_here = "" in node
    branches = [unit + _trie_regex(child) for unit, child in node.items() if unit]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if ends_here:
        # Optional and greedy: the longer word first, the word ending here if it fails.
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body


# -- finding ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Found:
    start: int
    end: int
    rule: TimeRule
    groups: dict[str, str | None]


def find_expressions(text: str, grammar: TimeGrammar) -> list[Found]:
    """Every rule match, overlaps resolved: the longest wins, then the earlier rule."""
    candidates: list[tuple[int, int, int, Found]] = []
    index = _WordIndex(text)
    for order, rule in enumerate(grammar.rules):
        windows = index.windows(rule.requirements)
        for start, end in windows:
            for match in rule.pattern.finditer(text, start, end):
                if match.end() == match.start():
                    continue
                if rule.left_context is not None:
                    before = text[max(0, match.start() - LEFT_CONTEXT_CHARS) : match.start()]
                    if not rule.left_context.search(before.rstrip()):
                        continue
                found = Found(match.start(), match.end(), rule, match.groupdict())
                candidates.append((-(match.end() - match.start()), order, match.start(), found))
    candidates.sort(key=lambda item: item[:3])
    taken: list[Found] = []
    for _, _, _, found in candidates:
        free = all(found.end <= other.start or found.start >= other.end for other in taken)
        if free and _interpretable(found, text, grammar):
            taken.append(found)
    # Rules of type NONE ("19 ans" after a name is an age) win their place and yield nothing.
    kept = [found for found in taken if found.rule.type != "NONE"]
    return sorted(kept, key=lambda found: found.start)


# How far around the rarest word a rule needs it may reach: longer than any expression.
WINDOW_CHARS = 90


class _WordIndex:
    """Where each word of a text stands, so that a rule runs only around the words it needs.

    Every match of a rule holds one of the words of each of its required items, all within
    `WINDOW_CHARS` of each other; so it lies within reach of the rarest of them, at a spot
    where the other items have a word nearby too. Scanning those windows instead of the whole
    text is what keeps the time stage cheap beside the parse.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, list[int]] = {}
        self.digits: list[int] = []
        self._spots: dict[tuple[frozenset[str], bool], list[int]] = {}
        self._windows: dict[tuple, list[tuple[int, int]]] = {}  # rules share requirements
        for match in WORD.finditer(_fold(text)):
            word, start = match.group(), match.start()
            self.positions.setdefault(word, []).append(start)
            if word[0].isdigit():
                self.digits.append(start)
        self.words = frozenset(self.positions)

    def windows(self, requirements) -> list[tuple[int, int]]:
        if not requirements:
            return [(0, len(self.text))]
        windows = self._windows.get(requirements)
        if windows is None:
            windows = self._windows[requirements] = self._find_windows(requirements)
        return windows

    def _find_windows(self, requirements) -> list[tuple[int, int]]:
        found = [self._spots_of(requirement) for requirement in requirements]
        if not all(found):
            return []
        rarest = min(found, key=len)
        others = [spots for spots in found if spots is not rarest]
        return self._merge([spot for spot in rarest if all(_near(spot, o) for o in others)])

    def _spots_of(self, requirement: tuple[frozenset[str], bool]) -> list[int]:
        """Where the words of one required item stand, in text order (cached per item)."""
        spots = self._spots.get(requirement)
        if spots is None:
            words, digits = requirement
            # Only the words both in the item and in the text (a lexicon may hold hundreds).
            spots = [p for word in words & self.words for p in self.positions[word]]
            if digits:
                spots += self.digits
            spots.sort()
            self._spots[requirement] = spots
        return spots

    def _merge(self, spots: list[int]) -> list[tuple[int, int]]:
        merged: list[list[int]] = []
        for spot in spots:
            start, end = max(0, spot - WINDOW_CHARS), min(len(self.text), spot + WINDOW_CHARS)
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        # A window must not end inside a word: "12 heures" cut after "h" would read "12 h".
        for window in merged:
            while window[1] < len(self.text) and not self.text[window[1]].isspace():
                window[1] += 1
        return [(start, end) for start, end in merged]


def _near(spot: int, spots: list[int]) -> bool:
    """Whether one of the sorted `spots` lies within `WINDOW_CHARS` of `spot`."""
    index = bisect_left(spots, spot - WINDOW_CHARS)
    return index < len(spots) and spots[index] <= spot + WINDOW_CHARS


def _interpretable(found: Found, text: str, grammar: TimeGrammar) -> bool:
    """Whether the rule's interpretation gives a value at all (a match it cannot read, such as
    a month word the lexicon maps to nothing, must not take the place of a shorter reading)."""
    if found.rule.type == "NONE":
        return True
    groups = {**found.groups, "__text__": text[found.start : found.end]}
    context = Context(grammar=grammar, published=None, last_day=day_value(SAMPLE_DAY))
    try:
        return INTERPRETATIONS[found.rule.interpretation](groups, SAMPLE_DAY, context) is not None
    except (NeedsAnchor, ValueError, KeyError, TypeError):
        return False


# -- values -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Value:
    """A TimeML value and the inclusive range of days it denotes (None: unbounded)."""

    value: str
    earliest: date | None
    latest: date | None


class NeedsAnchor(Exception):
    """The expression is relative and no anchor day was given."""


def day_value(day: date) -> Value:
    return Value(day.isoformat(), day, day)


def month_value(year: int, month: int) -> Value:
    last = calendar.monthrange(year, month)[1]
    return Value(f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, last))


def year_value(year: int) -> Value:
    return Value(f"{year:04d}", date(year, 1, 1), date(year, 12, 31))


def week_value(day: date) -> Value:
    iso_year, week, weekday = day.isocalendar()
    monday = day - timedelta(days=weekday - 1)
    return Value(f"{iso_year:04d}-W{week:02d}", monday, monday + timedelta(days=6))


def weekend_value(day: date) -> Value:
    week = week_value(day)
    return Value(f"{week.value}-WE", week.earliest + timedelta(days=5), week.latest)


def quarter_value(year: int, quarter: int) -> Value:
    first = date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    return Value(
        f"{year:04d}-Q{quarter}",
        first,
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def half_value(year: int, half: int) -> Value:
    if half == 1:
        return Value(f"{year:04d}-H1", date(year, 1, 1), date(year, 6, 30))
    return Value(f"{year:04d}-H2", date(year, 7, 1), date(year, 12, 31))


SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def season_value(year: int, season: str) -> Value:
    first, last = SEASON_MONTHS[season]
    end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
    return Value(
        f"{year:04d}-{season}",
        date(year, first, 1),
        date(end_year, end_month, calendar.monthrange(end_year, end_month)[1]),
    )


def decade_value(first_year: int) -> Value:
    return Value(f"{first_year // 10:03d}", date(first_year, 1, 1), date(first_year + 9, 12, 31))


def century_value(number: int) -> Value:
    first = (number - 1) * 100
    return Value(f"{number - 1:02d}", date(max(first, 1), 1, 1), date(first + 99, 12, 31))


def shift_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period_value(day: date, unit: str) -> Value:
    """The period of `unit` that contains `day` (the week of, the month of, …)."""
    if unit in ("D", "H", "MIN", "S"):
        return day_value(day)
    if unit == "W":
        return week_value(day)
    if unit == "WE":
        return weekend_value(day)
    if unit == "M":
        return month_value(day.year, day.month)
    if unit == "Q":
        return quarter_value(day.year, (day.month - 1) // 3 + 1)
    if unit == "Y":
        return year_value(day.year)
    if unit == "DE":
        return decade_value(day.year - day.year % 10)
    return century_value(day.year // 100 + 1)


def shift(day: date, amount: float, unit: str) -> date:
    """`day` moved by `amount` units (whole units; a half is rounded toward the anchor)."""
    whole = int(amount)
    if unit in ("D", "H", "MIN", "S"):
        return day + timedelta(days=whole if unit == "D" else 0)
    if unit in ("W", "WE"):
        return day + timedelta(weeks=whole)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}[unit]
    return shift_months(day, whole * months)


def aggregate(values: list[Value]) -> Value:
    """One value for all candidates: what they share, and the span of their days."""
    distinct = {value.value for value in values}
    earliest = min((v.earliest for v in values if v.earliest), default=None)
    latest = max((v.latest for v in values if v.latest), default=None)
    if len(distinct) == 1:
        return Value(values[0].value, earliest, latest)
    if earliest and latest and (earliest.year, earliest.month) == (latest.year, latest.month):
        return Value(f"{earliest.year:04d}-{earliest.month:02d}", earliest, latest)
    return Value(re.sub(r"\d", "X", values[0].value), earliest, latest)


def narrow(value: Value, mod: str | None) -> Value:
    """START/MID/END keep the first, middle or last third of a period's days."""
    if mod not in ("START", "MID", "END") or not value.earliest or not value.latest:
        return value
    days = (value.latest - value.earliest).days + 1
    if days < 3:
        return value
    third = days // 3
    if mod == "START":
        return Value(value.value, value.earliest, value.earliest + timedelta(days=third - 1))
    if mod == "END":
        return Value(value.value, value.latest - timedelta(days=third - 1), value.latest)
    return Value(
        value.value, value.earliest + timedelta(days=third), value.latest - timedelta(days=third)
    )


# -- context ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Context:
    """What normalising one expression may look at."""

    grammar: TimeGrammar
    published: Published | None
    tense: str | None = None
    last_day: Value | None = None  # the last day-precise expression, for "le lendemain"
    # The last quarter or half spoken of and where it ended, for "a year earlier" in
    # "profit for the third quarter rose from a year earlier" (the same quarter, a year back).
    last_quarter: tuple[int, Value] | None = None
    last_year: int | None = None  # the last year the text named, for "later that year"
    position: int = 0
    anchors: list[date] = field(default_factory=list)


Interpretation = Callable[[dict[str, str | None], date | None, Context], Value | None]


def _number(text: str | None, grammar: TimeGrammar) -> float | None:
    """A number from digits or words; None for vague words ("quelques")."""
    if text is None:
        return None
    digits = text.replace(",", ".")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits)
    word = grammar.lookup("number", text)
    if word is None or word == "X":
        return None
    return float(word)


def _format_number(amount: float | None) -> str:
    if amount is None:
        return "X"
    return str(int(amount)) if amount == int(amount) else f"{amount:g}"


def _day_of_month(text: str) -> int:
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else 1  # "premier"


def _need(anchor: date | None) -> date:
    if anchor is None:
        raise NeedsAnchor
    return anchor


def interpret_date(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    month_text = groups.get("month")
    month = int(grammar.lookup("month", month_text)) if month_text else None
    if month is None and groups.get("monthnum"):
        month = int(groups["monthnum"])
    year = int(groups["year"]) if groups.get("year") else None
    if year is None and groups.get("shortyear"):
        short = int(groups["shortyear"].lstrip("'"))
        year = 2000 + short if short < 30 else 1900 + short
    day = _day_of_month(groups["day"]) if groups.get("day") else None
    if month is None:
        return None
    if year is not None:
        if day is None:
            return month_value(year, month)
        try:
            return day_value(date(year, month, day))
        except ValueError:
            return None
    today = _need(anchor)
    direction = grammar.lookup("shift", groups.get("shift"))
    if direction is not None and re.search(r"\b(?:year|année|an)$", _fold(context_text(groups))):
        # "June last year", "janvier de l'an dernier": the month of a year relative to today.
        year = today.year + int(direction)
        return month_value(year, month) if day is None else day_value(date(year, month, day))
    if direction == "0":
        # "this September", "ce mois de mai": the month of the document's own year.
        return (
            month_value(today.year, month)
            if day is None
            else day_value(date(today.year, month, day))
        )
    tense = {"-1": "past", "1": "future"}.get(direction or "", context.tense)
    options = []
    for candidate in (today.year - 1, today.year, today.year + 1):
        try:
            target = date(candidate, month, day) if day else date(candidate, month, 1)
        except ValueError:
            continue
        reference = today if day else today.replace(day=1)
        options.append((target, reference))
    # A bare month follows the tense strictly; a day of a month may be pulled to the nearer year.
    target = _choose(options, tense, strict=direction is not None or day is None)
    return day_value(target) if day else month_value(target.year, target.month)


# A date the tense puts most of a year away, when the other reading is within two months, is
# the other reading: "a fixé jusqu'au 30 juin" in May is this June, whatever the verb's tense.
FAR_DAYS = 183
NEAR_DAYS = 62


def _choose(options: list[tuple[date, date]], tense: str | None, strict: bool = False) -> date:
    """Among dates a year apart, the one the tense points at (past: not after the reference)."""
    nearest = min(options, key=lambda option: abs((option[0] - option[1]).days))[0]
    reference = options[0][1]
    chosen = None
    if tense == "past":
        before = [target for target, reference in options if target <= reference]
        chosen = max(before) if before else None
    elif tense == "future":
        after = [target for target, reference in options if target >= reference]
        chosen = min(after) if after else None
    if chosen is None:
        return nearest
    far = abs((chosen - reference).days) > FAR_DAYS
    if not strict and far and abs((nearest - reference).days) <= NEAR_DAYS:
        return nearest
    return chosen


def interpret_year(groups, anchor, context) -> Value | None:
    return year_value(int(groups["year"]))


def interpret_relative_day(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    offset = int(grammar.lookup("relday", groups.get("relday")) or 0)
    day = _need(anchor) + timedelta(days=offset)
    pod = grammar.lookup("pod", groups.get("pod"))
    if pod:
        return Value(f"{day.isoformat()}T{pod}", day, day)
    return day_value(day)


def interpret_weekday(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    today = _need(anchor)
    weekday = int(grammar.lookup("weekday", groups["weekday"]))
    direction = grammar.lookup("shift", groups.get("shift"))
    whole = _fold(context_text(groups))
    if direction is None and re.search(r"plus tôt|earlier", whole):
        direction = "past"
    elif direction is None and re.search(r"plus tard|later", whole):
        direction = "future"
    difference = (weekday - today.isoweekday()) % 7  # days ahead to the next such weekday
    previous = today - timedelta(days=(7 - difference) % 7 or 7)
    following = today + timedelta(days=difference or 7)
    if groups.get("day"):
        target = _weekday_with_day(today, weekday, _day_of_month(groups["day"]))
    elif direction == "-1":
        target = previous
    elif direction == "1":
        target = following
    elif direction in ("past",) or (direction is None and context.tense == "past"):
        target = today if difference == 0 else previous
    elif direction in ("future",) or (direction is None and context.tense == "future"):
        target = today if difference == 0 else following
    else:
        target = (
            today
            if difference == 0
            else min((previous, following), key=lambda day: (abs((day - today).days), day < today))
        )
    pod = grammar.lookup("pod", groups.get("pod"))
    if pod:
        return Value(f"{target.isoformat()}T{pod}", target, target)
    return day_value(target)


def context_text(groups: dict[str, str | None]) -> str:
    return groups.get("__text__") or ""


def _weekday_with_day(today: date, weekday: int, day: int) -> date:
    for months in (0, -1, 1):
        month_day = shift_months(today.replace(day=1), months)
        try:
            candidate = month_day.replace(day=day)
        except ValueError:
            continue
        if candidate.isoweekday() == weekday:
            return candidate
    return today.replace(day=min(day, calendar.monthrange(today.year, today.month)[1]))


def interpret_relative_unit(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    unit = grammar.lookup("unit", groups.get("unit"))
    direction = grammar.lookup("shift", groups.get("shift"))
    if unit is None:
        return None
    amount = int(direction) if direction not in (None, "past", "future") else 0
    if re.search(
        r"en cours|-ci|-là|\bce\b|\bcet\b|\bcette\b|\bthis\b", _fold(context_text(groups))
    ):
        amount = 0
    day = shift(_need(anchor), amount, unit)
    return narrow(period_value(day, unit), grammar.lookup("mod", groups.get("mod")))


def interpret_season(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    season = grammar.lookup("season", groups.get("season"))
    if season is None:
        return None
    if groups.get("year"):
        return season_value(int(groups["year"]), season)
    today = _need(anchor)
    direction = grammar.lookup("shift", groups.get("shift"))
    options = [
        (season_value(year, season), year) for year in (today.year - 1, today.year, today.year + 1)
    ]
    if direction == "-1":
        before = [v for v, _ in options if v.latest < today]
        return max(before, key=lambda v: v.latest)
    if direction == "1":
        after = [v for v, _ in options if v.earliest > today]
        return min(after, key=lambda v: v.earliest)
    containing = [v for v, _ in options if v.earliest <= today <= v.latest]
    if containing:
        return containing[0]
    if context.tense == "past":
        return max((v for v, _ in options if v.latest < today), key=lambda v: v.latest)
    return min((v for v, _ in options if v.earliest > today), key=lambda v: v.earliest)


def _offset(groups, anchor, context, sign: int) -> Value | None:
    grammar = context.grammar
    unit = grammar.lookup("unit", groups.get("unit"))
    if unit is None:
        return None
    amount = _number(groups.get("number"), grammar) if groups.get("number") else 1.0
    if amount is None:
        return Value("PAST_REF" if sign < 0 else "FUTURE_REF", None, None)
    day = shift(_need(anchor), sign * amount, unit)
    return period_value(day, unit if unit not in ("H", "MIN", "S") else "D")


QUARTER_VALUE = re.compile(r"(\d{4})-([QH]\d)$")
SAME_PERIOD_CHARS = 300


def _same_period_years_back(context: Context, years: float | None) -> Value | None:
    """The quarter (or half) just spoken of, `years` back: "third-quarter profit rose from a
    year earlier" compares with the third quarter of the year before."""
    last = context.last_quarter
    if last is None or not years or years != int(years):
        return None
    end, period = last
    match = QUARTER_VALUE.match(period.value)
    if not match or not 0 <= context.position - end <= SAME_PERIOD_CHARS:
        return None
    year, part = int(match.group(1)) - int(years), match.group(2)
    number = int(part[1])
    return quarter_value(year, number) if part[0] == "Q" else half_value(year, number)


def interpret_ago(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    unit = grammar.lookup("unit", groups.get("unit"))
    amount = _number(groups.get("number"), grammar) if groups.get("number") else 1.0
    if unit == "Y" and (same := _same_period_years_back(context, amount)) is not None:
        return same
    return _offset(groups, anchor, context, -1)


def interpret_ahead(groups, anchor, context) -> Value | None:
    return _offset(groups, anchor, context, 1)


def interpret_after(groups, anchor, context) -> Value | None:
    reference = _reference_day(anchor, context)
    return _offset(groups, reference, context, 1)


def interpret_before(groups, anchor, context) -> Value | None:
    reference = _reference_day(anchor, context)
    return _offset(groups, reference, context, -1)


def _reference_day(anchor: date | None, context: Context) -> date | None:
    last = context.last_day
    if last and last.earliest and last.earliest == last.latest:
        return last.earliest
    return anchor


ANAPHORA_OFFSETS = (
    (r"lendemain|next day|following day", 1),
    (r"veille|day before", -1),
)


def interpret_anaphoric_day(groups, anchor, context) -> Value | None:
    offset = 0
    for pattern, days in ANAPHORA_OFFSETS:
        if re.search(pattern, _fold(context_text(groups))):
            offset = days
    last = context.last_day
    if last is not None and last.earliest and last.latest:
        # The day the text was just speaking of, however uncertain it is.
        if last.earliest == last.latest:
            return day_value(last.earliest + timedelta(days=offset))
        step = timedelta(days=offset)
        return Value(
            last.value if offset == 0 else "XXXX-XX-XX", last.earliest + step, last.latest + step
        )
    return day_value(_need(anchor) + timedelta(days=offset))


def interpret_weekend(groups, anchor, context) -> Value | None:
    """ "over the weekend": the weekend just past (or coming, in the future tense)."""
    today = _need(anchor)
    saturday = today + timedelta(days=(6 - today.isoweekday()) % 7)
    if today.isoweekday() in (6, 7):
        saturday = today - timedelta(days=today.isoweekday() - 6)
    elif context.tense != "future":
        saturday -= timedelta(days=7)
    return weekend_value(saturday)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm published in Nature, 1876)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday_shift) // 433
    month = (h + weekday_shift - 7 * m + 90) // 25
    day = (h + weekday_shift - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


def holiday_date(rule: str, year: int) -> date:
    """The day a holiday rule (`MM-DD`, `N:W:MM`, `easter:+D`) names in `year`."""
    if rule.startswith("easter:"):
        return easter_sunday(year) + timedelta(days=int(rule.split(":")[1]))
    if ":" in rule:
        nth, weekday, month = (int(part) for part in rule.split(":"))
        if nth > 0:
            first = date(year, month, 1)
            offset = (weekday - first.isoweekday()) % 7
            return first + timedelta(days=offset + 7 * (nth - 1))
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    month, day = (int(part) for part in rule.split("-"))
    return date(year, month, day)


def interpret_holiday(groups, anchor, context) -> Value | None:
    rule = context.grammar.lookup("holiday", groups.get("holiday"))
    if rule is None:
        return None
    if groups.get("year"):
        return day_value(holiday_date(rule, int(groups["year"])))
    today = _need(anchor)
    options = [
        (holiday_date(rule, year), today) for year in (today.year - 1, today.year, today.year + 1)
    ]
    return day_value(_choose(options, context.tense, strict=True))


def interpret_spelled_year(groups, anchor, context) -> Value | None:
    """ "nineteen ninety-six", "January nineteen ninety-seven", "the year two thousand"."""
    grammar = context.grammar
    if re.search(r"thousand", _fold(context_text(groups))):
        year = 1000 * int(_number(groups.get("thousands"), grammar) or 0)
        year += int(_number(groups.get("ones"), grammar) or 0) if groups.get("ones") else 0
    else:
        hundreds = _number(groups.get("hundreds"), grammar)
        tens = _number(groups.get("tens"), grammar)
        if hundreds not in (18.0, 19.0, 20.0) or tens is None or tens < 10:
            return None
        ones = _number(groups.get("ones"), grammar) if groups.get("ones") else 0
        year = int(hundreds * 100 + tens + (ones or 0))
    if not 1000 <= year <= 2999:
        return None
    month = grammar.lookup("month", groups.get("month"))
    return month_value(year, int(month)) if month else year_value(year)


def interpret_set_month(groups, anchor, context) -> Value | None:
    month = context.grammar.lookup("month", groups.get("month"))
    return Value(f"XXXX-{int(month):02d}", None, None) if month else None


def interpret_anaphoric_year(groups, anchor, context) -> Value | None:
    """The year the text was speaking of, or its neighbour ("later that year", "l'année
    suivante")."""
    whole = _fold(context_text(groups))
    offset = 1 if re.search(r"following|next|after|suivante|d'après", whole) else 0
    offset = -1 if re.search(r"previous|before|précédente", whole) else offset
    year = context.last_year if context.last_year is not None else _need(anchor).year
    return year_value(year + offset)


def interpret_decade(groups, anchor, context) -> Value | None:
    text = groups["decade"].lstrip("'")
    year = int(text) if len(text) == 4 else 1900 + int(text)
    return decade_value(year)


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def interpret_century(groups, anchor, context) -> Value | None:
    if groups.get("roman"):
        total = 0
        letters = [ROMAN[letter] for letter in groups["roman"].upper()]
        for index, number in enumerate(letters):
            total += -number if index + 1 < len(letters) and letters[index + 1] > number else number
        return century_value(total)
    ordinal = groups.get("ordinal")
    digits = re.match(r"\d+", ordinal or "")
    number = int(digits.group()) if digits else int(context.grammar.lookup("ordinal", ordinal) or 0)
    return century_value(number) if number > 0 else None


def interpret_quarter(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    whole = _fold(context_text(groups))
    half = "half" in whole
    direction = int(grammar.lookup("shift", groups.get("shift")) or 0) if groups.get("shift") else 0
    if groups.get("shift") and "year" not in whole:
        # "last quarter", "next half": counted from the document's own quarter.
        today = _need(anchor)
        if half:
            current = 1 if today.month <= 6 else 2
            index = today.year * 2 + current - 1 + direction
            return half_value(index // 2, index % 2 + 1)
        index = today.year * 4 + (today.month - 1) // 3 + direction
        return quarter_value(index // 4, index % 4 + 1)
    ordinal = groups.get("ordinal")
    digits = re.match(r"\d+", ordinal or "")
    number = int(digits.group()) if digits else int(grammar.lookup("ordinal", ordinal) or 0)
    if number < 1 or number > (2 if half else 4):
        return None
    if groups.get("year"):
        year = int(groups["year"])
    else:
        # "next year's first quarter", "the year-ago third quarter", or this year's.
        year = (
            _need(anchor).year + direction - (1 if re.search(r"year-(?:ago|earlier)", whole) else 0)
        )
    return half_value(year, number) if half else quarter_value(year, number)


def interpret_reported_quarter(groups, anchor, context) -> Value | None:
    """ "the quarter" in company news: the quarter being reported, the last one ended.

    In the first two months of a quarter, results speak of the quarter just ended; in its last
    month, of the current one. "the year-ago quarter" is that quarter a year before.
    """
    today = _need(anchor)
    index = today.year * 4 + (today.month - 1) // 3
    if (today.month - 1) % 3 < 2:
        index -= 1
    if re.search(r"year-ago|year-earlier", _fold(context_text(groups))):
        index -= 4
    return quarter_value(index // 4, index % 4 + 1)


def interpret_previous_year(groups, anchor, context) -> Value | None:
    same = _same_period_years_back(context, 1)
    return same if same is not None else year_value(_need(anchor).year - 1)


def interpret_fuzzy(groups, anchor, context) -> Value | None:
    value = context.grammar.lookup("fuzzy", groups.get("fuzzy"))
    published = context.published
    if published is None:
        return Value(value, None, None)
    if value == "PRESENT_REF":
        return Value(value, published.earliest, published.latest)
    if value == "PAST_REF":
        return Value(value, None, published.latest)
    return Value(value, published.earliest, None)


# A half of a unit in the next smaller one: "trois ans et demi" is P3Y6M, "5 1/2 hours" PT5H30M.
HALVES = {"Y": ("6", "M"), "D": ("12", "H"), "H": ("30", "M"), "MIN": ("30", "S")}


def duration_code(amount: float | None, unit: str) -> str:
    if unit in ("DE", "CE") and amount is not None:
        # TimeML writes "two decades" as P20Y.
        amount, unit = amount * (10 if unit == "DE" else 100), "Y"
    if amount is not None and amount % 1 == 0.5 and unit in HALVES and amount > 0.5:
        half, smaller = HALVES[unit]
        whole = duration_code(amount - 0.5, unit)
        return (
            f"{whole}{half}{smaller}" if "T" in whole or unit == "Y" else f"{whole}T{half}{smaller}"
        )
    number = _format_number(amount)
    if unit in ("H", "S"):
        return f"PT{number}{unit}"
    if unit == "MIN":
        return f"PT{number}M"
    return f"P{number}{unit}"


def interpret_duration(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    whole = _fold(context_text(groups))
    if re.search(r"an et demi|year and a half", whole) and not groups.get("unit"):
        return Value("P1.5Y", None, None)
    unit = grammar.lookup("unit", groups.get("unit"))
    if unit is None:
        return None
    amount = _number(groups.get("number"), grammar)
    if amount is not None and re.search(r"et demie?$|and a half$|\b1/2\b|½", whole):
        amount += 0.5
    return Value(duration_code(amount, unit), None, None)


def interpret_recent_duration(groups, anchor, context) -> Value | None:
    grammar = context.grammar
    unit = grammar.lookup("unit", groups.get("unit"))
    if unit is None:
        return None
    amount = _number(groups.get("number"), grammar) if groups.get("number") else None
    plural = re.search(r"s$", groups["unit"] or "") is not None and unit != "M"
    if amount is None and not plural and unit != "M":
        amount = 1.0
    if (
        unit == "M"
        and amount is None
        and not re.search(r"derniers|dernières|recent|past", _fold(context_text(groups)))
    ):
        amount = 1.0
    return Value(duration_code(amount, unit), None, None)


def interpret_set_unit(groups, anchor, context) -> Value | None:
    unit = context.grammar.lookup("unit", groups.get("unit"))
    return Value(duration_code(1, unit), None, None) if unit else None


def interpret_set_weekday(groups, anchor, context) -> Value | None:
    weekday = context.grammar.lookup("weekday", groups.get("weekday"))
    return Value(f"XXXX-WXX-{weekday}", None, None) if weekday else None


def interpret_set_adverb(groups, anchor, context) -> Value | None:
    unit = context.grammar.lookup("frequency", groups.get("frequency"))
    return Value(duration_code(1, unit), None, None) if unit else None


def interpret_clock(groups, anchor, context) -> Value | None:
    whole = _fold(context_text(groups))
    if "noon" in whole or "midi" in whole:
        hour, minute = 12, 0
    elif "midnight" in whole or "minuit" in whole:
        hour, minute = 0, 0
    else:
        hour = int(groups["hour"])
        minute = int(groups["minute"]) if groups.get("minute") else 0
        if re.search(r"p\.?m\.?$", whole) and hour < 12:
            hour += 12
        if re.search(r"a\.?m\.?$", whole) and hour == 12:
            hour = 0
    reference = _reference_day(anchor, context)
    day = _need(reference)
    return Value(f"{day.isoformat()}T{hour:02d}:{minute:02d}", day, day)


INTERPRETATIONS: dict[str, Interpretation] = {
    "date": interpret_date,
    "year": interpret_year,
    "relative_day": interpret_relative_day,
    "weekday": interpret_weekday,
    "relative_unit": interpret_relative_unit,
    "season": interpret_season,
    "ago": interpret_ago,
    "ahead": interpret_ahead,
    "after": interpret_after,
    "before": interpret_before,
    "anaphoric_day": interpret_anaphoric_day,
    "weekend": interpret_weekend,
    "holiday": interpret_holiday,
    "decade": interpret_decade,
    "set_month": interpret_set_month,
    "anaphoric_year": interpret_anaphoric_year,
    "spelled_year": interpret_spelled_year,
    "century": interpret_century,
    "quarter": interpret_quarter,
    "reported_quarter": interpret_reported_quarter,
    "previous_year": interpret_previous_year,
    "fuzzy": interpret_fuzzy,
    "duration": interpret_duration,
    "recent_duration": interpret_recent_duration,
    "set_unit": interpret_set_unit,
    "set_weekday": interpret_set_weekday,
    "set_adverb": interpret_set_adverb,
    "clock": interpret_clock,
}


# -- normalising ------------------------------------------------------------------------------


def normalise(found: Found, text: str, context: Context) -> Value | None:
    """The value of one expression, resolved against every candidate anchor day."""
    interpretation = INTERPRETATIONS[found.rule.interpretation]
    groups = {**found.groups, "__text__": text[found.start : found.end]}
    try:
        value = interpretation(groups, None, context)
    except NeedsAnchor:
        if not context.anchors:
            return _unanchored(found, groups, context)
        value = _over_anchors(interpretation, groups, context)
    if value is None:
        return None
    return narrow(value, context.grammar.lookup("mod", found.groups.get("mod")))


def _over_anchors(interpretation, groups: dict, context: Context) -> Value | None:
    """The aggregate of a relative expression's values over every candidate anchor day.

    Resolutions grow with their anchor (`_anchor_days`): when the first and the last anchors
    both give a dated value, every other anchor's value lies between them, and `aggregate` of
    the two is the aggregate of all (same span, same value whether they agree or not). Only
    when an end gives no dated value are the anchors between them read. For a document dated
    to a month this is 2 readings instead of 31, for each weekday and each "yesterday".
    """
    anchors = context.anchors
    ends = [interpretation(groups, anchors[0], context)]
    if len(anchors) > 1:
        ends.append(interpretation(groups, anchors[-1], context))
    if all(value is not None and value.earliest and value.latest for value in ends):
        return aggregate(ends)
    values = [interpretation(groups, anchor, context) for anchor in anchors]
    values = [value for value in values if value is not None]
    return aggregate(values) if values else None


def _unanchored(found: Found, groups: dict, context: Context) -> Value | None:
    """A relative expression in a document with no date: its shape, digits unknown."""
    try:
        value = INTERPRETATIONS[found.rule.interpretation](groups, SAMPLE_DAY, context)
    except NeedsAnchor:
        return None
    if value is None:
        return None
    return Value(re.sub(r"\d", "X", value.value), None, None)


def tag_times(
    text: str,
    grammar: TimeGrammar,
    published: Published | None,
    tense_at: Callable[[int, int], str | None] | None = None,
) -> list[TimeExpression]:
    """Find and normalise every time expression in `text` (offsets into `text`)."""
    anchors = _anchor_days(published)
    context = Context(grammar=grammar, published=published, anchors=anchors)
    resolved: list[_Resolved] = []
    for found in find_expressions(text, grammar):
        context.tense = tense_at(found.start, found.end) if tense_at else None
        context.position = found.start
        value = normalise(found, text, context)
        if value is None:
            continue
        type_ = found.rule.type
        if type_ == "DATE" and "T" in value.value and not value.value.endswith("_REF"):
            type_ = "TIME"  # "lundi après-midi", "hier soir": a day and a time of it
        item = _Resolved(
            found.start, found.end, type_, value, grammar.lookup("mod", found.groups.get("mod"))
        )
        if grammar.join_day_and_clock and resolved and _joinable(text, resolved[-1], item):
            item = _join(resolved.pop(), item)
        if (
            type_ == "DATE"
            and QUARTER_VALUE.match(item.value.value)
            and not re.search(r"ago|earlier|year-", _fold(text[item.start : item.end]))
        ):
            # The period under discussion; "a year ago" compares with it, not with itself.
            context.last_quarter = (item.end, item.value)
        if type_ in ("DATE", "TIME") and re.match(r"\d{4}", item.value.value):
            context.last_year = int(item.value.value[:4])
        if type_ in ("DATE", "TIME") and _is_day_precise(item.value):
            context.last_day = Value(
                item.value.value.split("T")[0], item.value.earliest, item.value.latest
            )
        resolved.append(item)
    return [
        TimeExpression(
            id=f"t{number}",
            text=text[item.start : item.end],
            start=item.start,
            end=item.end,
            type=item.type,
            value=item.value.value,
            earliest=_iso(item.value.earliest) if item.type in ("DATE", "TIME") else None,
            latest=_iso(item.value.latest) if item.type in ("DATE", "TIME") else None,
            mod=item.mod,
        )
        for number, item in enumerate(resolved, start=1)
    ]


@dataclass(slots=True)
class _Resolved:
    start: int
    end: int
    type: str
    value: Value
    mod: str | None


CLOCK = re.compile(r"T\d\d:\d\d$")
# What may stand between a day and its hour: "mardi à 14 h", "10 p.m. Wednesday", "hier, 8 h".
JOINER = re.compile(r"\s*(?:,|à|a|at|on|vers|dès)?\s*", re.IGNORECASE)


def _joinable(text: str, first: _Resolved, second: _Resolved) -> bool:
    if not JOINER.fullmatch(text[first.end : second.start]):
        return False
    clocks = [item for item in (first, second) if CLOCK.search(item.value.value)]
    days = [
        item
        for item in (first, second)
        if item.type in ("DATE", "TIME")
        and _is_day_precise(item.value)
        and not CLOCK.search(item.value.value)
    ]
    return len(clocks) == 1 and len(days) == 1


def _join(first: _Resolved, second: _Resolved) -> _Resolved:
    """ "mardi à 14 h" as one TIME: the day's date with the clock's hour."""
    clock = first if CLOCK.search(first.value.value) else second
    day = second if clock is first else first
    hour = clock.value.value.split("T")[1]
    value = Value(f"{day.value.value.split('T')[0]}T{hour}", day.value.earliest, day.value.latest)
    return _Resolved(first.start, second.end, "TIME", value, day.mod or clock.mod)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _is_day_precise(value: Value) -> bool:
    """A value naming one day (perhaps unknown which): `2023-09-17`, `XXXX-XX-XX`, `…TEV`."""
    return bool(re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}(T.*)?", value.value)) or (
        value.earliest is not None and value.earliest == value.latest
    )


def _anchor_days(published: Published | None) -> list[date]:
    """The days to resolve relative expressions against: every day the document may date from.

    Resolutions grow with their anchor (a later anchor never gives an earlier day), so the
    first and last days fix the interval; past a month, a day a week between them is enough to
    tell whether all candidates agree.
    """
    if published is None:
        return []
    days = (published.latest - published.earliest).days + 1
    step = 1 if days <= 31 else 7
    anchors = [published.earliest + timedelta(days=offset) for offset in range(0, days, step)]
    if anchors[-1] != published.latest:
        anchors.append(published.latest)
    return anchors


# -- tense ------------------------------------------------------------------------------------

FUTURE_MORPH = ("Fut",)
PAST_MORPH = ("Past", "Imp")


def tense_from_parse(doc: Doc, grammar: TimeGrammar, text: str) -> Callable[[int, int], str | None]:
    """A function giving the tense governing the text at (start, end) in `doc`."""

    def tense_at(start: int, end: int) -> str | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tense = _governing_tense(span.root, grammar.tense_cues)
            if tense:
                return tense
        return _cue_tense(text, start, grammar)

    return tense_at


def _governing_tense(token, cues: dict[str, str]) -> str | None:
    if not token.doc.has_annotation("MORPH") and not token.doc.has_annotation("TAG"):
        return None
    for _ in range(5):
        if token.pos_ in ("VERB", "AUX"):
            if cues.get(_fold(token.lemma_)) == "future" or cues.get(_fold(token.text)) == "future":
                return "future"  # "prévu le 16 juillet", "scheduled for Monday"
            tense = _verb_tense(token)
            if tense:
                return tense
        if token.head is token:
            return None
        token = token.head
    return None


def _verb_tense(verb) -> str | None:
    for aux in (child for child in verb.children if child.dep_.startswith("aux")):
        if aux.morph.get("Tense") in (["Fut"],) or aux.morph.get("Mood") == ["Cnd"]:
            return "future"
        if aux.lemma_ in ("aller", "will", "shall") and aux.morph.get("Tense") != ["Imp"]:
            return "future"
        if aux.lemma_ in ("avoir", "être", "have") and verb.morph.get("VerbForm") == ["Part"]:
            return "past"
        if aux.morph.get("Tense") and aux.morph.get("Tense")[0] in PAST_MORPH:
            return "past"
        if aux.lemma_ == "be" and aux.morph.get("Tense") == ["Pres"]:
            return "present"  # "the case is heard in May": a present passive, not a past
    tense = verb.morph.get("Tense")
    if verb.morph.get("Mood") == ["Cnd"] or (tense and tense[0] in FUTURE_MORPH):
        return "future"
    if tense and tense[0] in PAST_MORPH:
        return "past"
    if verb.tag_ in ("VBD",):
        return "past"
    if verb.morph.get("VerbForm") == ["Inf"] or verb.tag_ == "VB":
        # "s'est engagé à procéder … en octobre", "devrait retourner … lundi": what an
        # infinitive tells of is still to come when its governor speaks.
        return "future"
    if tense and tense[0] == "Pres":
        return "present"
    return None


CUE_WINDOW = 8


def _cue_tense(text: str, start: int, grammar: TimeGrammar) -> str | None:
    """Tense from the cue word nearest the expression when the parse gives none."""
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find(".", start), text.find("\n", start)) if i >= 0]
    right = min(stops) if stops else len(text)
    before = re.findall(r"[\w'’]+", text[left:start])[-CUE_WINDOW:]
    after = re.findall(r"[\w'’]+", text[start:right])[: CUE_WINDOW + 3]
    ranked = sorted(
        [(len(before) - index, word) for index, word in enumerate(before)]
        + [(index, word) for index, word in enumerate(after)]
    )
    for _, word in ranked:
        cue = grammar.tense_cues.get(_fold(word))
        if cue:
            return cue
    return None


# -- the stage --------------------------------------------------------------------------------


class TagTimes:
    """Fill `record.times` with TIMEX3 expressions normalised against `record.published`."""

    name = "times"
    requires = ("record", "reading_text", "doc")
    provides = ("record.times",)

    def __init__(self) -> None:
        self.grammars = PerLanguage(TimeGrammar.for_language)

    def __call__(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            record = analysis.record
            grammar = self.grammars[record.language]
            tense_at = tense_from_parse(analysis.doc, grammar, analysis.reading_text)
            record.times = tag_times(analysis.reading_text, grammar, record.published, tense_at)
