"""The string-id memo behind the per-token tests of the entity rules and the event stage."""

import spacy

from dateline import string_ids
from dateline.string_ids import StringIdMemo


def test_each_word_is_tested_once_and_answered_by_id():
    nlp = spacy.blank("fr")
    doc = nlp("Le Tu-160 a survolé la mer, puis le Tu-160 est rentré.")
    seen = []

    def is_designation(word: str) -> bool:
        seen.append(word)
        return "-" in word and word[-1].isdigit()

    memo = StringIdMemo(is_designation)
    ids = [token.orth for token in doc]
    answers = memo.answers(ids, doc.vocab.strings)
    assert [token.text for token in doc if answers[token.orth]] == ["Tu-160", "Tu-160"]
    assert seen.count("Tu-160") == 1 and seen.count("le") == 1

    memo.answers(ids, doc.vocab.strings)  # a second document of the same words
    assert seen.count("Tu-160") == 1


def test_the_memo_starts_afresh_when_full_and_still_answers(monkeypatch):
    monkeypatch.setattr(string_ids, "MEMO_SIZE", 4)
    nlp = spacy.blank("en")
    memo = StringIdMemo(str.istitle)
    first = nlp("Kim met Shoigu in Pyongyang")
    answers = memo.answers([t.orth for t in first], first.vocab.strings)
    assert [t.text for t in first if answers[t.orth]] == ["Kim", "Shoigu", "Pyongyang"]
    second = nlp("Putin and Xi")
    # Ids may come as a generator (read once), as the event stage passes them.
    answers = memo.answers((t.orth for t in second), second.vocab.strings)
    assert len(answers) <= 4
    assert [t.text for t in second if answers[t.orth]] == ["Putin", "Xi"]
