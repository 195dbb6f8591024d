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


def test_doc_ids_hold_each_token_lemma_and_lower_case_form():
    from spacy.tokens import Doc

    from dateline.string_ids import DocIds

    vocab = spacy.blank("fr").vocab
    words = ["Selon", "Moscou", ",", "les", "drones", "ont", "été", "abattus"]
    lemmas = ["selon", "Moscou", ",", "le", "drone", "avoir", "être", "abattre"]
    doc = Doc(vocab, words=words, lemmas=lemmas)
    ids = DocIds.of(doc)
    assert [vocab.strings[i] for i in ids.lemmas] == lemmas
    assert [vocab.strings[i] for i in ids.lowers] == [word.lower() for word in words]
    # A one-word span reads its slice too (spaCy's `Span.to_array` of one attribute fails there).
    span = doc[1:2]
    assert [vocab.strings[i] for i in ids.lemmas[span.start : span.end]] == ["Moscou"]
    assert DocIds.of(Doc(vocab, words=[])) == DocIds([], [])
