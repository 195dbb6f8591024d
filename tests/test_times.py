"""Times: TIMEX3 finding and normalisation, French and English, every kind of expression."""

from __future__ import annotations

import pytest

from dateline.published import parse_published
from dateline.resources import load_language
from dateline.times import TimeGrammar, tag_times


@pytest.fixture(scope="module")
def fr():
    return TimeGrammar.for_language(load_language("fr"))


@pytest.fixture(scope="module")
def en():
    return TimeGrammar.for_language(load_language("en"))


def tag(grammar, text, published="2023-09-13", tense=None):
    """(text, type, value, earliest, latest, mod) of each expression; `tense` stands for the
    tense the parse would find."""
    found = tag_times(text, grammar, parse_published(published) if published else None,
                      (lambda start, end: tense) if tense else None)  # fmt: skip
    return [(t.text, t.type, t.value, t.earliest, t.latest, t.mod) for t in found]


def one(grammar, text, **kwargs):
    (item,) = tag(grammar, text, **kwargs)
    return item


# 2023-09-13 is a Wednesday.

FRENCH = [
    # absolute dates, with and without year, day names, ordinals
    (
        "Le traité a été signé le 14 juillet 2021 à Paris.",
        "le 14 juillet 2021",
        "DATE",
        "2021-07-14",
    ),
    ("La réunion se tiendra le 1er octobre.", "le 1er octobre", "DATE", "2023-10-01"),
    ("Il est arrivé le mardi 12 septembre.", "le mardi 12 septembre", "DATE", "2023-09-12"),
    ("Les faits remontent au 03/02/2022.", "03/02/2022", "DATE", "2022-02-03"),
    # months and seasons alone
    ("Les travaux ont commencé en juillet.", "juillet", "DATE", "2023-07"),
    ("Une troisième tentative est prévue en octobre.", "octobre", "DATE", "2023-10"),
    ("Il était venu en avril 2019.", "avril 2019", "DATE", "2019-04"),
    # In September, last summer is the one just ended.
    ("La récolte a souffert l'été dernier.", "l'été dernier", "DATE", "2023-SU"),
    ("Les élections auront lieu au printemps 2024.", "printemps 2024", "DATE", "2024-SP"),
    # weekdays
    ("Il est arrivé mardi dernier.", "mardi dernier", "DATE", "2023-09-12"),
    ("Elle reviendra mardi prochain.", "mardi prochain", "DATE", "2023-09-19"),
    ("Plus tôt dimanche, le ministre avait parlé.", "Plus tôt dimanche", "DATE", "2023-09-10"),
    # relative days and periods
    ("Le ministre a parlé hier.", "hier", "DATE", "2023-09-12"),
    ("Le vote a eu lieu avant-hier.", "avant-hier", "DATE", "2023-09-11"),
    ("Le sommet s'ouvre demain.", "demain", "DATE", "2023-09-14"),
    ("Les prix ont baissé la semaine dernière.", "la semaine dernière", "DATE", "2023-W36"),
    ("Les ventes ont chuté l'an dernier.", "l'an dernier", "DATE", "2022"),
    ("Le budget sera voté l'année prochaine.", "l'année prochaine", "DATE", "2024"),
    ("Le navire a coulé il y a trois jours.", "il y a trois jours", "DATE", "2023-09-10"),
    ("Le chantier reprendra dans deux semaines.", "dans deux semaines", "DATE", "2023-W39"),
    # years, decades, centuries
    ("Il a pris le pouvoir fin 2011.", "fin 2011", "DATE", "2011"),
    ("La ville a grandi dans les années 1990.", "les années 1990", "DATE", "199"),
    ("Le pont date du XIXe siècle.", "XIXe siècle", "DATE", "18"),
    # fuzzy references
    ("Le bombardier a récemment reçu des missiles.", "récemment", "TIME", "PAST_REF"),
    (
        "Le pays compte actuellement huit millions d'habitants.",
        "actuellement",
        "TIME",
        "PRESENT_REF",
    ),
    ("La ville était à l'époque très pauvre.", "à l'époque", "TIME", "PAST_REF"),
    # durations
    ("Un voyage de six jours.", "six jours", "DURATION", "P6D"),
    ("Son premier voyage depuis plus de quatre ans.", "plus de quatre ans", "DURATION", "P4Y"),
    ("Une attente de deux mois.", "deux mois", "DURATION", "P2M"),
    ("Une détention de trois ans et demi.", "trois ans et demi", "DURATION", "P3Y6M"),
    ("Le vol a duré 12 heures.", "12 heures", "DURATION", "PT12H"),
    # sets
    ("Ils tirent des obus chaque jour.", "chaque jour", "SET", "P1D"),
    ("Le marché se tient tous les mardis.", "tous les mardis", "SET", "XXXX-WXX-2"),
    ("La production croît de 2 % par an.", "par an", "SET", "P1Y"),
    # times of day
    ("Le train part à 14 h 30.", "14 h 30", "TIME", "2023-09-13T14:30"),
]


@pytest.mark.parametrize(("sentence", "expression", "type_", "value"), FRENCH)
def test_french_expressions(fr, sentence, expression, type_, value):
    tense = "future" if any(w in sentence for w in ("prévue", "reviendra", "sera", "reprendra",
                                                    "auront", "s'ouvre")) else "past"  # fmt: skip
    found = [(t[0], t[1], t[2]) for t in tag(fr, sentence, tense=tense)]
    assert (expression, type_, value) in found


ENGLISH = [
    ("The treaty was signed on July 14, 2021 in Paris.", "July 14, 2021", "DATE", "2021-07-14"),
    ("The meeting will be held on October 1.", "October 1", "DATE", "2023-10-01"),
    ("He arrived on Tuesday, September 12.", "Tuesday, September 12", "DATE", "2023-09-12"),
    ("Work began in July.", "July", "DATE", "2023-07"),
    ("He visited in April 2019.", "April 2019", "DATE", "2019-04"),
    ("The harvest suffered last summer.", "last summer", "DATE", "2023-SU"),
    ("He arrived last Tuesday.", "last Tuesday", "DATE", "2023-09-12"),
    ("She will return next Tuesday.", "next Tuesday", "DATE", "2023-09-19"),
    ("The minister spoke yesterday.", "yesterday", "DATE", "2023-09-12"),
    ("The summit opens tomorrow.", "tomorrow", "DATE", "2023-09-14"),
    ("Prices fell last week.", "last week", "DATE", "2023-W36"),
    ("Sales dropped last year.", "last year", "DATE", "2022"),
    ("The ship sank three days ago.", "three days ago", "DATE", "2023-09-10"),
    ("He took power in late 2011.", "late 2011", "DATE", "2011"),
    ("The city grew in the 1990s.", "1990s", "DATE", "199"),
    ("The bridge dates from the 19th century.", "19th century", "DATE", "18"),
    ("The bomber recently received missiles.", "recently", "DATE", "PAST_REF"),
    ("The country currently has eight million people.", "currently", "DATE", "PRESENT_REF"),
    ("A six-day trip.", "six-day", "DURATION", "P6D"),
    ("His first trip in more than four years.", "more than four years", "DURATION", "P4Y"),
    ("A wait of two months.", "two months", "DURATION", "P2M"),
    ("Profits rose in the past five years.", "past five years", "DURATION", "P5Y"),
    ("They fire shells every day.", "every day", "SET", "P1D"),
    ("The market is held every Tuesday.", "every Tuesday", "SET", "XXXX-WXX-2"),
    ("Output grows 2% a year.", "a year", "SET", "P1Y"),
    ("The train leaves at 2:30 p.m. on Friday.", "2:30 p.m. on Friday", "TIME", "2023-09-15T14:30"),
    ("Results for the third quarter were weak.", "third quarter", "DATE", "2023-Q3"),
]


@pytest.mark.parametrize(("sentence", "expression", "type_", "value"), ENGLISH)
def test_english_expressions(en, sentence, expression, type_, value):
    tense = "future" if any(w in sentence for w in ("will", "opens", "leaves")) else "past"
    found = [(t[0], t[1], t[2]) for t in tag(en, sentence, tense=tense)]
    assert (expression, type_, value) in found


# -- anchoring that knows what it does not know ------------------------------------------------


def test_a_sunday_in_a_month_known_to_the_month_is_an_interval(fr):
    _, _, value, earliest, latest, _ = one(fr, "Kim rentre dimanche.", published="2023-09")
    # Present tense: the Sunday nearest some day of September 2023.
    assert (value, earliest, latest) == ("XXXX-XX-XX", "2023-09-03", "2023-10-01")


def test_past_weekday_in_a_month_date_stays_before_its_end(fr):
    *_, earliest, latest, _ = one(fr, "Samedi, Kim s'est rendu à l'aéroport.", published="2023-09",
                                  tense="past")  # fmt: skip
    assert (earliest, latest) == ("2023-08-26", "2023-09-30")


def test_value_keeps_the_month_when_every_candidate_is_in_it(fr):
    _, _, value, earliest, latest, _ = one(fr, "Vendredi, Kim a visité une usine.",
                                           published="2023-09", tense="past")  # fmt: skip
    assert (value, earliest, latest) == ("2023-09", "2023-09-01", "2023-09-29")


# Sentences whose relative expressions depend on the anchor day (weekdays, "hier", months
# without a year, "l'an dernier", "la veille"), read under publication dates known to the month
# (every day of it a candidate anchor) and to the year (a day a week).
ANCHOR_DEPENDENT = [
    ("fr", "Samedi, Kim a visité une usine ; il rentre dimanche et repartira lundi prochain."),
    ("fr", "Hier, le ministre a annoncé qu'un accord serait signé le 30 juin, puis en janvier."),
    ("fr", "L'an dernier, la grève avait duré trois semaines ; ce mois-ci, elle reprend mardi."),
    ("fr", "Le 15, les syndicats manifesteront ; la veille, le préfet a interdit le cortège."),
    ("en", "On Tuesday the minister said talks would resume next Friday, not in March."),
    ("en", "Last year the strike lasted a month; this week it resumed on Monday afternoon."),
]


@pytest.mark.parametrize("published", ["2023-09", "2024-02", "2023"])
@pytest.mark.parametrize(("language", "text"), ANCHOR_DEPENDENT)
@pytest.mark.parametrize("tense", [None, "past", "future"])
def test_two_end_anchors_give_what_every_anchor_gives(
    fr, en, monkeypatch, language, text, published, tense
):
    """Resolving against the first and last candidate days alone (`_over_anchors`) relies on
    resolutions growing with their anchor; reading every candidate day must agree."""
    from dateline import times

    grammar = fr if language == "fr" else en
    fast = tag(grammar, text, published=published, tense=tense)

    def every_anchor(interpretation, groups, context):
        values = [interpretation(groups, day, context) for day in context.anchors]
        values = [value for value in values if value is not None]
        return times.aggregate(values) if values else None

    monkeypatch.setattr(times, "_over_anchors", every_anchor)
    assert fast == tag(grammar, text, published=published, tense=tense)
    assert any(earliest != latest for *_, earliest, latest, _ in fast)  # relative ones there


def test_day_date_gives_one_day(fr):
    _, _, value, earliest, latest, _ = one(fr, "Kim rentre dimanche.", published="2023-09-17")
    assert value == earliest == latest == "2023-09-17"


def test_a_year_known_date_leaves_last_week_a_wide_honest_range(fr):
    _, _, value, earliest, latest, _ = one(fr, "La semaine dernière, il a plu.", published="2023")
    assert value == "XXXX-WXX"
    # From the week before the one of 1 January to the week before the one of 31 December.
    assert (earliest, latest) == ("2022-12-19", "2023-12-24")


def test_end_of_a_year_keeps_its_last_third(fr):
    assert one(fr, "Il a pris le pouvoir fin 2011.")[2:] == (
        "2011",
        "2011-09-02",
        "2011-12-31",
        "END",
    )


def test_later_that_day_is_the_day_just_spoken_of(fr):
    text = (
        "Samedi, Kim a visité un aéroport. Il s'est rendu plus tard dans la journée à Vladivostok."
    )
    saturday, later = tag(fr, text, published="2023-09-17", tense="past")
    assert saturday[2] == later[2] == "2023-09-16"


def test_the_day_after_an_explicit_date(fr):
    text = "Le 3 mars 2022, l'armée est entrée dans la ville. Le lendemain, les combats ont cessé."
    (_, _, first, *_), (_, _, second, *_) = tag(fr, text, published="2022-06", tense="past")
    assert (first, second) == ("2022-03-03", "2022-03-04")


def test_future_tense_puts_a_bare_month_ahead(fr):
    assert one(fr, "Une nouvelle tentative aura lieu en août.", tense="future")[2] == "2024-08"


def test_past_tense_puts_a_bare_month_behind(fr):
    assert one(fr, "La tentative a échoué en octobre.", tense="past")[2] == "2022-10"


def test_no_document_date_gives_the_shape_of_the_value(fr):
    assert one(fr, "Le ministre a parlé hier.", published=None)[2:5] == ("XXXX-XX-XX", None, None)


def test_durations_and_sets_have_no_interval(fr):
    for _, type_, _, earliest, latest, _ in tag(fr, "Six jours de combats, chaque jour des tirs."):
        assert type_ in ("DURATION", "SET")
        assert earliest is None and latest is None


# -- what is not a time expression -------------------------------------------------------------


def test_an_age_is_not_a_duration(fr):
    assert tag(fr, "Jean Burget, 87 ans, a été heurté par une voiture.") == []


def test_a_number_that_is_not_a_year(en):
    assert tag(en, "The company employs 2500 people.") == []


def test_may_the_verb_is_not_may_the_month(en):
    assert tag(en, "He may have been trying to impress her.") == []


def test_spelled_out_years(en):
    assert one(en, "They first met in nineteen ninety-six.")[2] == "1996"
    assert one(en, "The plan was to halve it by the year two thousand.")[2] == "2000"


def test_later_that_year_is_the_year_just_named(en):
    found = tag(en, "The plant opened in 1994. Later that year it was sold.", tense="past")
    assert [(text, value) for text, _, value, *_ in found] == [
        ("1994", "1994"),
        ("Later that year", "1994"),
    ]


def test_holidays_from_data(en, fr):
    assert (
        one(en, "Stores opened on Thanksgiving Day.", published="1998-12-01", tense="past")[2]
        == "1998-11-26"
    )
    assert (
        one(fr, "La fête aura lieu à la Pentecôte.", published="1999-05-10", tense="future")[2]
        == "1999-05-23"
    )


def test_a_lexicon_compiled_as_a_trie_matches_what_a_flat_list_of_its_words_matches():
    import re

    from dateline.times import _word_trie

    words = ["an", "ans", "année", "années", "l'an dernier", "jour", "journée", "jours"]
    trie = re.compile(rf"(?<!\w)(?:{_word_trie(words)})(?!\w)", re.IGNORECASE)
    flat = "|".join(
        re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]")
        for word in sorted(words, key=len, reverse=True)
    )
    flat_pattern = re.compile(rf"(?<!\w)(?:{flat})(?!\w)", re.IGNORECASE)
    text = "Deux Années plus tard, l’an  dernier, trois jours et une journée : un an, des ans."
    found = [match.group() for match in trie.finditer(text)]
    assert found == [match.group() for match in flat_pattern.finditer(text)]
    assert found == ["Années", "l’an  dernier", "jours", "journée", "an", "ans"]


def test_a_day_of_a_month_in_english_with_of(en):
    assert [item[:3] for item in tag(en, "It reopened on the 2nd of March, 2013.")] == [
        ("2nd of March, 2013", "DATE", "2013-03-02")
    ]
    assert one(en, "The talks resume on the 21st of September.")[:3] == (
        "21st of September",
        "DATE",
        "2023-09-21",
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Protesters gathered on the 6th of October Bridge in Cairo."),
        ("en", "Troops left the October 6 City barracks."),
        ("fr", "Des manifestants se sont rassemblés sur le pont du 6 Octobre."),
        ("fr", "Le cortège est parti de la place du 14 Juillet."),
    ],
)
def test_a_date_that_names_a_street_bridge_or_town_is_no_time(fr, en, language, text):
    assert tag({"fr": fr, "en": en}[language], text) == []
