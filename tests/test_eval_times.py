"""Gold TIMEX3 reading (TimeML and JSONL) and TempEval-3 scoring of time expressions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.errors import DatelineError
from dateline.evaluation.timeml import GoldDocument, GoldTimex, read_gold
from dateline.evaluation.times import (
    PredictedTimex,
    TimexScores,
    format_report,
    score_document,
)

HARBOUR_TML = """<?xml version="1.0" encoding="UTF-8"?>
<TimeML>
<DOCID>harbour_0001</DOCID>
<DCT><TIMEX3 tid="t0" type="TIME" value="2014-03-05T09:30" temporalFunction="false" \
functionInDocument="CREATION_TIME">5 March 2014 09:30</TIMEX3></DCT>
<TITLE>Harbour reopens <TIMEX3 tid="t9" type="DATE" value="2014-03-05">today</TIMEX3></TITLE>
<TEXT>
The harbour reopened <TIMEX3 tid="t1" type="DATE" value="2014-03-04">yesterday</TIMEX3> after \
<TIMEX3 tid="t2" type="DURATION" value="P3D" mod="APPROX">about three days</TIMEX3> of storms.
Fishermen &amp; ferry crews <EVENT eid="e1" class="OCCURRENCE">returned</EVENT> to work \
<TIMEX3 tid="t3" type="TIME" value="2014-03-04TMO">that morning</TIMEX3>.
</TEXT>
</TimeML>
"""

HARBOUR_TEXT = (
    "\nThe harbour reopened yesterday after about three days of storms.\n"
    "Fishermen & ferry crews returned to work that morning.\n"
)

MARCHE_TML = """<?xml version='1.0' encoding='UTF-8'?>
<TimeML>
<TEXT>Le marché de Noël ouvrira <TIMEX3 tid="t1" type="DATE" value="2013-12">en décembre</TIMEX3>.\
</TEXT>
</TimeML>
"""


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def gold(text: str, phrase: str, type_: str, value: str) -> GoldTimex:
    start, end = span(text, phrase)
    return GoldTimex(start, end, phrase, type_, value, None)


def predicted(text: str, phrase: str, type_: str, value: str) -> PredictedTimex:
    start, end = span(text, phrase)
    return PredictedTimex(start, end, phrase, type_, value)


def jsonl_line(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False) + "\n"


# --- reading TimeML ----------------------------------------------------------------------------


def test_tml_text_is_the_text_element_without_tags_and_with_entities_decoded(tmp_path):
    (document,) = read_gold(write(tmp_path / "harbour_0001.tml", HARBOUR_TML))
    assert document.text == HARBOUR_TEXT
    assert document.id == "harbour_0001"
    assert document.language is None


def test_tml_timexes_have_str_offsets_into_the_text(tmp_path):
    (document,) = read_gold(write(tmp_path / "harbour_0001.tml", HARBOUR_TML))
    expected = [
        ("yesterday", "DATE", "2014-03-04", None),
        ("about three days", "DURATION", "P3D", "APPROX"),
        ("that morning", "TIME", "2014-03-04TMO", None),
    ]
    assert [(t.text, t.type, t.value, t.mod) for t in document.timexes] == expected
    for timex in document.timexes:
        assert (timex.start, timex.end) == span(HARBOUR_TEXT, timex.text)


def test_tml_timexes_outside_the_text_element_are_ignored(tmp_path):
    (document,) = read_gold(write(tmp_path / "harbour_0001.tml", HARBOUR_TML))
    assert "today" not in [timex.text for timex in document.timexes]


def test_tml_published_is_the_date_part_of_the_creation_time(tmp_path):
    (document,) = read_gold(write(tmp_path / "harbour_0001.tml", HARBOUR_TML))
    assert document.published == "2014-03-05"


def test_tml_without_dct_has_no_published_date_and_counts_accented_characters_once(tmp_path):
    (document,) = read_gold(write(tmp_path / "marche.tml", MARCHE_TML))
    assert document.published is None
    (timex,) = document.timexes
    assert document.text[timex.start : timex.end] == "en décembre"
    assert timex.start == len("Le marché de Noël ouvrira ")


def test_malformed_tml_raises_one_line_error_naming_the_file(tmp_path):
    path = write(tmp_path / "broken.tml", "<TimeML><TEXT>It rained on <TIMEX3>Sunday</TEXT>")
    with pytest.raises(DatelineError) as raised:
        list(read_gold(path))
    message = str(raised.value)
    assert "broken.tml" in message
    assert "\n" not in message


def test_tml_without_text_element_raises(tmp_path):
    path = write(tmp_path / "empty.tml", "<TimeML><DOCID>empty</DOCID></TimeML>")
    with pytest.raises(DatelineError, match=r"empty\.tml.*TEXT"):
        list(read_gold(path))


def test_folder_of_tml_files_is_read_in_sorted_order(tmp_path):
    write(tmp_path / "b_marche.tml", MARCHE_TML)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "a_harbour.tml", HARBOUR_TML)
    write(tmp_path / "README", "not TimeML")
    assert [document.id for document in read_gold(tmp_path)] == ["b_marche", "a_harbour"]


# --- reading JSONL -----------------------------------------------------------------------------

RAIN_TEXT = "It rained all night on Sunday. The river peaked on Monday morning."
RAIN_DOCUMENT = {
    "id": "rain",
    "text": RAIN_TEXT,
    "published": "2014-03-03",
    "language": "en",
    "timexes": [
        {
            "start": 23,
            "end": 29,
            "text": "Sunday",
            "type": "DATE",
            "value": "2014-03-02",
            "mod": None,
            "tid": "t1",
        },
        {
            "start": 51,
            "end": 65,
            "text": "Monday morning",
            "type": "TIME",
            "value": "2014-03-03TMO",
            "mod": None,
            "tid": "t2",
        },
    ],
}


def test_jsonl_documents_are_read_with_their_timexes(tmp_path):
    path = write(tmp_path / "docs.jsonl", jsonl_line(RAIN_DOCUMENT) + "\n")
    assert list(read_gold(path)) == [
        GoldDocument(
            id="rain",
            text=RAIN_TEXT,
            published="2014-03-03",
            language="en",
            timexes=[
                GoldTimex(23, 29, "Sunday", "DATE", "2014-03-02", None),
                GoldTimex(51, 65, "Monday morning", "TIME", "2014-03-03TMO", None),
            ],
        )
    ]


def test_folder_with_docs_jsonl_is_read_from_the_jsonl(tmp_path):
    write(tmp_path / "docs.jsonl", jsonl_line(RAIN_DOCUMENT))
    (tmp_path / "original").mkdir()
    write(tmp_path / "original" / "harbour_0001.tml", HARBOUR_TML)
    assert [document.id for document in read_gold(tmp_path)] == ["rain"]


def test_jsonl_line_that_is_not_json_raises_with_its_line_number(tmp_path):
    path = write(tmp_path / "docs.jsonl", jsonl_line(RAIN_DOCUMENT) + '{"id": "cut\n')
    with pytest.raises(DatelineError, match=r"docs\.jsonl:2: not valid JSON"):
        list(read_gold(path))


def test_jsonl_timex_whose_offsets_miss_its_text_raises(tmp_path):
    shifted = json.loads(json.dumps(RAIN_DOCUMENT))
    shifted["timexes"][0]["start"] += 1
    path = write(tmp_path / "docs.jsonl", jsonl_line(shifted))
    with pytest.raises(DatelineError, match=r"docs\.jsonl:1: .*'Sunday'"):
        list(read_gold(path))


# --- span matching -----------------------------------------------------------------------------

FLOOD_TEXT = "The river burst its banks on Tuesday night, three days after the storm."


def test_identical_spans_are_a_strict_and_relaxed_match():
    scores = TimexScores()
    score_document(
        [gold(FLOOD_TEXT, "Tuesday night", "TIME", "2014-03-04TNI")],
        [predicted(FLOOD_TEXT, "Tuesday night", "TIME", "2014-03-04TNI")],
        scores,
        "flood",
        FLOOD_TEXT,
    )
    assert (scores.strict_matches, scores.relaxed_matches) == (1, 1)
    assert scores.strict_f1 == scores.relaxed_f1 == 1.0
    assert scores.errors == []


def test_overlapping_spans_are_a_relaxed_but_not_strict_match():
    scores = TimexScores()
    score_document(
        [gold(FLOOD_TEXT, "Tuesday night", "TIME", "2014-03-04TNI")],
        [predicted(FLOOD_TEXT, "Tuesday", "TIME", "2014-03-04TNI")],
        scores,
        "flood",
        FLOOD_TEXT,
    )
    assert (scores.strict_matches, scores.relaxed_matches) == (0, 1)
    assert (scores.strict_precision, scores.strict_recall) == (0.0, 0.0)
    assert (scores.relaxed_precision, scores.relaxed_recall) == (1.0, 1.0)
    assert [error.kind for error in scores.errors] == ["partial_span"]


def test_gold_without_overlapping_prediction_is_missed_and_prediction_is_spurious():
    scores = TimexScores()
    score_document(
        [gold(FLOOD_TEXT, "three days", "DURATION", "P3D")],
        [predicted(FLOOD_TEXT, "Tuesday night", "TIME", "2014-03-04TNI")],
        scores,
        "flood",
        FLOOD_TEXT,
    )
    assert scores.relaxed_matches == 0
    assert (scores.relaxed_precision, scores.relaxed_recall, scores.relaxed_f1) == (0, 0, 0)
    assert [(e.kind, e.gold_text, e.predicted_text) for e in scores.errors] == [
        ("spurious", None, "Tuesday night"),
        ("missed", "three days", None),
    ]


def test_each_gold_pairs_with_one_prediction_the_one_overlapping_most():
    scores = TimexScores()
    score_document(
        [gold(FLOOD_TEXT, "Tuesday night", "TIME", "2014-03-04TNI")],
        [
            predicted(FLOOD_TEXT, "on Tuesday", "DATE", "2014-03-04"),
            predicted(FLOOD_TEXT, "Tuesday night", "TIME", "2014-03-04TNI"),
        ],
        scores,
        "flood",
        FLOOD_TEXT,
    )
    assert (scores.relaxed_matches, scores.strict_matches) == (1, 1)
    assert scores.relaxed_precision == 0.5
    assert [(e.kind, e.predicted_text) for e in scores.errors] == [("spurious", "on Tuesday")]


def test_scores_accumulate_over_documents():
    scores = TimexScores()
    flood = [gold(FLOOD_TEXT, "three days", "DURATION", "P3D")]
    score_document(flood, [], scores, "flood", FLOOD_TEXT)
    found = [predicted(FLOOD_TEXT, "three days", "DURATION", "P3D")]
    score_document(flood, found, scores, "flood again", FLOOD_TEXT)
    assert (scores.documents, scores.gold, scores.predicted) == (2, 2, 1)
    assert (scores.relaxed_precision, scores.relaxed_recall) == (1.0, 0.5)


# --- attributes and errors: one hand-computed document -----------------------------------------

COUNCIL_TEXT = (
    "Ministers met on Monday and held a second meeting on the morning of 4 March. "
    "They will vote next week, and a decision is due within two months."
)


def council_scores() -> TimexScores:
    """4 gold, 4 predicted: 2 exact spans, 1 partial, 1 spurious, 1 missed.

    Relaxed pairs: Monday (all right), next week (wrong value), the morning of 4 March
    (partial span, wrong type, wrong value).
    """
    gold_timexes = [
        gold(COUNCIL_TEXT, "Monday", "DATE", "2014-03-03"),
        gold(COUNCIL_TEXT, "the morning of 4 March", "TIME", "2014-03-04TMO"),
        gold(COUNCIL_TEXT, "next week", "DATE", "2014-W11"),
        gold(COUNCIL_TEXT, "two months", "DURATION", "P2M"),
    ]
    predictions = [
        predicted(COUNCIL_TEXT, "Monday", "DATE", "2014-03-03"),
        predicted(COUNCIL_TEXT, "second", "DURATION", "PT1S"),
        predicted(COUNCIL_TEXT, "4 March", "DATE", "2014-03-04"),
        predicted(COUNCIL_TEXT, "next week", "DATE", "2014-W10"),
    ]
    scores = TimexScores()
    score_document(gold_timexes, predictions, scores, "council", COUNCIL_TEXT)
    return scores


def test_strict_and_relaxed_figures_on_a_hand_computed_document():
    scores = council_scores()
    assert (scores.strict_precision, scores.strict_recall, scores.strict_f1) == (0.5, 0.5, 0.5)
    assert scores.relaxed_precision == pytest.approx(0.75)
    assert scores.relaxed_recall == pytest.approx(0.75)
    assert scores.relaxed_f1 == pytest.approx(0.75)


def test_type_and_value_accuracy_are_shares_of_relaxed_pairs():
    scores = council_scores()
    assert scores.type_accuracy == pytest.approx(2 / 3)
    assert scores.value_accuracy == pytest.approx(1 / 3)


def test_attribute_f1_is_relaxed_f1_times_accuracy():
    scores = council_scores()
    assert scores.type_f1 == pytest.approx(0.75 * 2 / 3)
    assert scores.value_f1 == pytest.approx(0.25)


def test_error_kinds_are_counted_most_frequent_first():
    assert council_scores().error_kinds() == [
        ("wrong_value", 2),
        ("missed", 1),
        ("partial_span", 1),
        ("spurious", 1),
        ("wrong_type", 1),
    ]


def test_value_error_examples_give_both_values_and_a_short_context():
    first, second = council_scores().value_error_examples(5)
    assert (first.gold_value, first.predicted_value) == ("2014-03-04TMO", "2014-03-04")
    assert "[the morning of 4 March]" in first.context
    assert (second.gold_text, second.predicted_value) == ("next week", "2014-W10")
    assert len(second.context) < 80
    assert council_scores().value_error_examples(1) == [first]


def test_report_shows_percentages_with_one_decimal_and_error_counts():
    report = format_report(council_scores(), "TIMEX3 council")
    assert report.startswith("TIMEX3 council\n")
    strict = next(line for line in report.splitlines() if line.startswith("strict"))
    assert strict.split()[1:4] == ["50.0%", "50.0%", "50.0%"]
    value = next(line for line in report.splitlines() if line.startswith("value"))
    assert value.split()[1:3] == ["33.3%", "25.0%"]
    assert any(line.split() == ["wrong_value", "2"] for line in report.splitlines())
