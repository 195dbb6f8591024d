"""Article anatomy: datelines, bylines, contributor notes, tags, boilerplate and debris."""

from __future__ import annotations

import pytest

from dateline.anatomy import AnatomyRules, analyse_structure, masked_text
from dateline.read import read_paths
from dateline.resources import load_language
from dateline.settings import Settings


@pytest.fixture(scope="module")
def french():
    return AnatomyRules.for_language(load_language("fr"))


@pytest.fixture(scope="module")
def english():
    return AnatomyRules.for_language(load_language("en"))


@pytest.fixture(scope="module")
def seed(seed_path, french):
    (document,) = read_paths([seed_path], Settings())
    return document.text, analyse_structure(document.text, french)


def test_seed_byline_has_three_authors_and_the_agency(seed):
    _, structure = seed
    assert [a.text for a in structure.byline.authors] == [
        "Kim Tong-hyung",
        "Hyung-jin Kim",
        "Elise Morton",
    ]
    assert [a.text for a in structure.byline.agencies] == ["Associated Press"]


def test_seed_contributor_note(seed):
    _, structure = seed
    (note,) = structure.contributors
    assert note.text == "-Morton a rapporté de Londres."
    assert [p.text for p in note.people] == ["Morton"]
    assert note.place.text == "Londres"


def test_seed_glued_tags_are_split(seed):
    _, structure = seed
    assert [tag.text for tag in structure.tags] == ["Corée du Nord", "Russie"]


def test_seed_debris(seed):
    _, structure = seed
    assert [(d.kind, d.text) for d in structure.debris] == [
        ("orphan_punctuation", ". ,"),
        ("repeated_word", "alliés."),
        ("duplicate_parenthetical", "(plus de 6 500 kilomètres)"),
        ("truncated_parenthetical", ". 4 040 milles)"),
        ("tags", "Corée du NordRussie"),
    ]


def test_seed_has_no_dateline(seed):
    _, structure = seed
    assert structure.dateline is None


def test_masked_text_keeps_length_and_blanks_only_what_is_not_article(seed):
    text, structure = seed
    masked = masked_text(text, structure)
    assert len(masked) == len(text)
    assert "alliés. alliés." not in masked and "alliés." in masked
    assert "Hyung-jin" not in masked and "NordRussie" not in masked
    assert masked.count("\n") == text.count("\n")
    assert "Kim a rencontré le président Vladimir Poutine" in masked


def test_body_stops_before_the_contributor_note(seed):
    text, structure = seed
    assert text[structure.body[-1].start : structure.body[-1].end].endswith("au Vietnam.")


@pytest.mark.parametrize(
    ("opening", "place", "agency", "date"),
    [
        ("PARIS, 3 mars (Reuters) - ", "PARIS", "Reuters", "3 mars"),
        ("BRUXELLES (AFP) - ", "BRUXELLES", "AFP", None),
        ("GENÈVE, 12 juin (Belga) – ", "GENÈVE", "Belga", "12 juin"),
        ("Paris (AFP) - ", "Paris", "AFP", None),
        ("De notre correspondant à Berlin, ", "Berlin", None, None),
    ],
)
def test_french_datelines(french, opening, place, agency, date):
    body = "le gouvernement a annoncé une hausse du salaire minimum de 2 %."
    structure = analyse_structure(opening + body, french)
    dateline = structure.dateline
    assert dateline.place.text == place
    assert (dateline.agency.text if dateline.agency else None) == agency
    assert (dateline.date.text if dateline.date else None) == date
    assert structure.body[0].start == len(opening)


@pytest.mark.parametrize(
    ("opening", "place", "agency", "date"),
    [
        ("ISTANBUL (AP) — ", "ISTANBUL", "AP", None),
        ("WASHINGTON, March 3 (Reuters) - ", "WASHINGTON", "Reuters", "March 3"),
        ("KYIV, Ukraine (AP) — ", "KYIV, Ukraine", "AP", None),
        ("LONDON — ", "LONDON", None, None),
    ],
)
def test_english_datelines(english, opening, place, agency, date):
    structure = analyse_structure(opening + "The central bank raised rates again.", english)
    dateline = structure.dateline
    assert dateline.place.text == place
    assert (dateline.agency.text if dateline.agency else None) == agency
    assert (dateline.date.text if dateline.date else None) == date


def test_an_ordinary_first_sentence_is_not_a_dateline(french):
    structure = analyse_structure("Le Premier ministre a démissionné lundi soir.", french)
    assert structure.dateline is None


def test_top_byline_with_prefix(english):
    text = "By Michael Grant\n\nThe city council voted on Tuesday to close two libraries."
    structure = analyse_structure(text, english)
    assert [a.text for a in structure.byline.authors] == ["Michael Grant"]
    assert structure.body[0].start == text.index("The city")


def test_a_headline_of_names_at_the_top_is_not_a_byline(french):
    text = "Emmanuel Macron et Olaf Scholz\n\nLes deux dirigeants se sont retrouvés à Berlin."
    assert analyse_structure(text, french).byline is None


def test_english_byline_with_and_and_agency(english):
    text = "Prices rose again in March.\n\nBy Sarah Collins and Tom Baker, Reuters"
    byline = analyse_structure(text, english).byline
    assert [a.text for a in byline.authors] == ["Sarah Collins", "Tom Baker"]
    assert [a.text for a in byline.agencies] == ["Reuters"]


def test_english_contributor_note(english):
    text = (
        "Talks resumed in Geneva.\n\nAssociated Press writer Jane Doe in Paris contributed "
        "to this report."
    )
    (note,) = analyse_structure(text, english).contributors
    assert [p.text for p in note.people] == ["Jane Doe"]
    assert note.place.text == "Paris"


def test_space_separated_tags_keep_particles(french):
    text = "Le texte a été adopté.\n\nPolitique Assemblée nationale Corée du Nord"
    structure = analyse_structure(text, french)
    assert [t.text for t in structure.tags] == ["Politique", "Assemblée nationale", "Corée du Nord"]


def test_a_last_sentence_is_not_a_tag_line(french):
    text = "Le texte a été adopté.\n\nLe gouvernement démissionne"
    assert analyse_structure(text, french).tags == []


def test_boilerplate_between_paragraphs(french):
    text = "Le budget est voté.\n\nLire aussi : Le déficit se creuse\n\nLe Sénat doit suivre."
    (debris,) = analyse_structure(text, french).debris
    assert (debris.kind, debris.text) == ("boilerplate", "Lire aussi : Le déficit se creuse")


def test_repeated_sentence_later_copy_is_debris(english):
    sentence = "The storm cut power to forty thousand homes overnight."
    text = f"{sentence} Crews were at work by dawn. {sentence}"
    (debris,) = analyse_structure(text, english).debris
    assert (debris.kind, debris.start) == ("repeated_sentence", text.rindex(sentence))


def test_french_reflexive_pronouns_are_not_repeated_words(french):
    text = "« Nous nous sommes battus », a-t-il dit. Vous vous trompez."
    assert analyse_structure(text, french).debris == []


def test_a_clean_article_has_no_structure_invented(french):
    text = (
        "Le conseil municipal de Lyon a adopté mardi le budget 2025.\n\n"
        "Les élus d'opposition ont voté contre, dénonçant une hausse de la taxe foncière."
    )
    structure = analyse_structure(text, french)
    assert (structure.dateline, structure.byline, structure.contributors, structure.tags,
            structure.debris) == (None, None, [], [], [])  # fmt: skip
    assert len(structure.body) == 2
