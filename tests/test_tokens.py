"""The rule tokeniser: tokens, sentence starts, and the reuse of the last text's tokens."""

from __future__ import annotations

import pytest

from tracker.recognize.tokens import tokenize


@pytest.mark.parametrize("text, starts", [
    ("Troops left. Jets came.", ["Troops", "Jets"]),
    ("Mr. Smith went to St. Louis. Then home", ["Mr", "Then"]),
    ("HEADLINE\nBody text here\n\nNext para", ["HEADLINE", "Body", "Next"]),
    ('He said "Go." Then he left!', ["He", '"', "Then"]),  # as before: the quote after the period opens one
    ("A. Lincoln spoke. B", ["A", "B"]),
    ("", []),
])
def test_sentence_starts(text, starts):
    tokens = tokenize(text)
    assert [w for w, first in zip(tokens.words, tokens.sentence_start) if first] == starts


def test_the_last_texts_tokens_are_reused_and_another_text_is_split_anew():
    text = "Russian jets landed near Latakia, Syria."
    first = tokenize(text)
    assert tokenize(text) is first
    other = tokenize("Tanks in Kyiv.")
    assert other.words == ("Tanks", "in", "Kyiv", ".") and tokenize(text) is not first
    assert tokenize(text) == first


def test_no_sentence_starts_with_a_comma_or_a_lowercase_word():
    tokens = tokenize("Bombers from Barksdale Air Force Base, La., operating out of England. they said so.")
    starts = [word for word, start in zip(tokens.words, tokens.sentence_start) if start]
    assert starts == ["Bombers"]
