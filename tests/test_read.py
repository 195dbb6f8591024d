"""The reader: header forms, encodings, formats, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dateline.errors import InputError
from dateline.published import parse_published
from dateline.read import ReadOptions, read_paths
from dateline.record import Document
from dateline.settings import Settings

BODY = "Le Premier ministre s'est rendu mardi à Lyon pour inaugurer une usine de batteries."


def read_one(path, settings=None, options=None):
    (item,) = list(read_paths([path], settings or Settings(), options))
    return item


def write(tmp_path, name, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- the date header -------------------------------------------------------------------------


def test_seed_header_with_leading_space_and_body_on_the_same_line(seed_path):
    document = read_one(seed_path)
    assert document.published.value == "2023-09"
    assert document.published.earliest == date(2023, 9, 1)
    assert document.published.latest == date(2023, 9, 30)
    assert document.text.startswith("Le dirigeant nord-coréen Kim Jong Un rentre dimanche")
    assert document.id == "000_907e9e56b5d98854"


def test_header_on_its_own_line(tmp_path):
    document = read_one(write(tmp_path, "a.txt", f"date 2024-02-14\n{BODY}\n"))
    assert document.published.value == "2024-02-14"
    assert document.text == f"{BODY}\n"


def test_year_header(tmp_path):
    document = read_one(write(tmp_path, "a.txt", f"date 2023\n\n{BODY}"))
    assert (document.published.earliest, document.published.latest) == (
        date(2023, 1, 1),
        date(2023, 12, 31),
    )
    assert document.text == BODY


def test_timestamp_header_with_a_space_before_the_time(tmp_path):
    document = read_one(write(tmp_path, "a.txt", f"date 2025-06-03 08:15:00 {BODY}"))
    assert document.published.earliest == document.published.latest == date(2025, 6, 3)
    assert document.text == BODY


def test_iso_timestamp_header_is_that_day(tmp_path):
    document = read_one(write(tmp_path, "a.txt", f"  date 2025-06-03T08:15:00+02:00 {BODY}"))
    assert document.published.value == "2025-06-03T08:15:00+02:00"
    assert document.published.earliest == date(2025, 6, 3)


def test_no_header_leaves_the_text_alone(tmp_path):
    text = f"  {BODY}\n"
    document = read_one(write(tmp_path, "a.txt", text))
    assert document.published is None
    assert document.text == text


def test_a_body_starting_with_the_word_date_is_not_a_header(tmp_path):
    text = "Date limite de dépôt des candidatures : le conseil municipal a tranché."
    document = read_one(write(tmp_path, "a.txt", text))
    assert document.published is None
    assert document.text == text


def test_published_option_overrides_the_header(tmp_path):
    options = ReadOptions(published=parse_published("2023-09-17"))
    document = read_one(write(tmp_path, "a.txt", f"date 2023-09 {BODY}"), options=options)
    assert document.published.value == "2023-09-17"
    assert document.text == BODY


def test_language_option_is_passed_on(tmp_path):
    document = read_one(write(tmp_path, "a.txt", BODY), options=ReadOptions(language="fr"))
    assert document.language == "fr"


# --- encodings -------------------------------------------------------------------------------


def test_cp1252_is_detected(tmp_path):
    text = "L’Opep+ a décidé à Vienne de réduire sa production, « une décision prévisible »."
    document = read_one(write(tmp_path, "a.txt", text.encode("cp1252")))
    assert document.text == text


def test_latin1_is_detected(tmp_path):
    text = "Le comité a élu à l'unanimité sa présidente, une élue de Besançon âgée de 52 ans."
    document = read_one(write(tmp_path, "a.txt", text.encode("latin-1")))
    assert document.text == text


def test_utf8_bom_is_removed_before_the_header(tmp_path):
    document = read_one(write(tmp_path, "a.txt", f"\ufeffdate 2023-09 {BODY}".encode()))
    assert document.published.value == "2023-09"
    assert document.text == BODY


def test_utf16_with_bom(tmp_path):
    document = read_one(write(tmp_path, "a.txt", f"date 2023-09\n{BODY}".encode("utf-16")))
    assert document.published.value == "2023-09"
    assert document.text == BODY


def test_crlf_and_cr_become_lf(tmp_path):
    document = read_one(write(tmp_path, "a.txt", b"date 2023\r\nUn.\r\n\r\nDeux.\rTrois."))
    assert document.text == "Un.\n\nDeux.\nTrois."


# --- bad input: each one line naming the file and the reason ---------------------------------


def test_empty_file(tmp_path):
    error = read_one(write(tmp_path, "empty.txt", b""))
    assert isinstance(error, InputError)
    assert error.source.endswith("empty.txt")
    assert error.reason == "empty file"


def test_whitespace_only_file_is_empty(tmp_path):
    error = read_one(write(tmp_path, "blank.txt", "  \n\t\n"))
    assert isinstance(error, InputError) and error.reason == "empty file"


def test_header_without_body(tmp_path):
    error = read_one(write(tmp_path, "a.txt", "date 2023-09\n\n"))
    assert isinstance(error, InputError)
    assert "no text" in error.reason


def test_binary_file(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
    error = read_one(write(tmp_path, "image.txt", png))
    assert isinstance(error, InputError)
    assert error.reason == "binary file, not text"


def test_undecodable_bytes(tmp_path):
    data = "Le président".encode() + b" \x81\x8d\x8f\x90\x9d\x81\x8d\x8f\x90\x9d\x81 fin"
    error = read_one(write(tmp_path, "bad.txt", data))
    assert isinstance(error, InputError)
    assert error.reason.startswith("undecodable bytes: not UTF-8 (bad byte at offset 14)")


def test_broken_date_header(tmp_path):
    error = read_one(write(tmp_path, "a.txt", f"date 2023-13 {BODY}"))
    assert isinstance(error, InputError)
    assert error.reason == "broken date header 'date 2023-13': '2023-13': month 13 is not 1-12"


def test_giant_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "dump.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    error = read_one(path)
    assert isinstance(error, InputError)
    assert error.reason == "file too large (50.0 MB; one document may be at most 10.0 MB)"


def test_missing_path(tmp_path):
    error = read_one(tmp_path / "nowhere.txt")
    assert isinstance(error, InputError)
    assert error.reason == "no such file or directory"


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", b"")
    write(tmp_path, "c.txt", f"date 2023 {BODY}")
    items = list(read_paths([tmp_path], Settings()))
    assert [type(item).__name__ for item in items] == ["Document", "InputError", "Document"]


# --- formats ---------------------------------------------------------------------------------


def test_jsonl_lines_become_documents_and_bad_lines_errors(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": BODY, "published": "2023-09", "language": "fr"}),
        "",
        "{not json",
        json.dumps({"id": "a3", "text": "", "published": None, "language": None}),
        json.dumps({"id": "a4", "text": BODY, "published": "2023-13", "language": None}),
        json.dumps({"text": BODY, "published": None}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines))
    items = list(read_paths([path], Settings()))
    first, bad_json, empty, bad_date, no_id = items
    assert isinstance(first, Document)
    assert (first.id, first.language, first.published.value) == ("a1", "fr", "2023-09")
    assert isinstance(bad_json, InputError) and bad_json.source == f"{path}:3"
    assert isinstance(empty, InputError) and empty.reason == "no 'text' string"
    assert isinstance(bad_date, InputError) and "month 13" in bad_date.reason
    assert isinstance(no_id, Document) and no_id.id == "batch-6"


def test_jsonl_text_is_kept_exactly(tmp_path):
    text = " date 2023-09 Le texte d'une ligne JSONL n'a pas d'en-tête à retirer.\r\n"
    path = write(tmp_path, "b.jsonl", json.dumps({"id": "x", "text": text}))
    assert read_one(path).text == text


def test_html_body_title_and_date(tmp_path):
    html = """<html><head><title>Grève à la SNCF</title>
    <meta property="article:published_time" content="2024-05-21T07:00:00+02:00"></head>
    <body><nav>Accueil | Abonnez-vous</nav><article><h1>Grève à la SNCF</h1>
    <p>Les syndicats de cheminots ont appelé mardi à une grève reconductible pour protester
    contre la réforme du statut des contrôleurs, a-t-on appris auprès de la direction.</p>
    <p>La circulation des TGV devrait être fortement perturbée jusqu'à jeudi, selon
    la direction de la SNCF, qui recommande de reporter les voyages non essentiels.</p>
    </article><footer>Tous droits réservés</footer></body></html>"""
    document = read_one(write(tmp_path, "page.html", html))
    assert isinstance(document, Document)
    assert document.title == "Grève à la SNCF"
    assert document.published.earliest == date(2024, 5, 21)
    assert "grève reconductible" in document.text
    assert "Abonnez-vous" not in document.text


def test_html_without_article_text(tmp_path):
    error = read_one(write(tmp_path, "broken.html", "<html><body><div><<<</div>"))
    assert isinstance(error, InputError)
    assert error.reason == "no article text found in the HTML"


def test_malformed_html_still_gives_its_text(tmp_path):
    html = (
        "<html><body><p>Le maire de Nantes <b>a annoncé lundi la fermeture du pont"
        " Anne-de-Bretagne pendant six mois<p>Les travaux commenceront en janvier, a-t-il"
        " précisé devant le conseil municipal.</div></span>"
    )
    document = read_one(write(tmp_path, "tagsoup.html", html))
    assert isinstance(document, Document)
    assert "fermeture du pont" in document.text


def test_directories_are_walked_recursively_skipping_hidden_and_other_files(tmp_path):
    write(tmp_path, "a.txt", BODY)
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    write(tmp_path / "sub" / "deeper", "b.txt", BODY + " Deux.")
    write(tmp_path / "sub", "notes.md", "# not an article")
    (tmp_path / ".cache").mkdir()
    write(tmp_path / ".cache", "c.txt", BODY)
    items = list(read_paths([tmp_path], Settings()))
    assert [item.id for item in items] == ["a", "b"]


@pytest.mark.parametrize("name", ["a.TXT", "b.htm"])
def test_suffixes_are_case_insensitive(tmp_path, name):
    write(tmp_path, name, f"<p>{BODY}</p>" if name.endswith("htm") else BODY)
    assert len(list(read_paths([tmp_path], Settings()))) == 1
