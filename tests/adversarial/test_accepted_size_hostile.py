"""A deck whose accepted answers are huge or countless: comparing a typed answer with an accepted
text costs time as the product of their lengths, so a 2 MB `accept:` froze the verdict for
minutes. An accepted text or a cloze deletion longer than a learner types from memory, or more
accepted texts than a card needs, is an error at its line; the card is not studied."""

from __future__ import annotations

import pytest

from tests.content.test_leaks import deck
from tutor.content import load_library
from tutor.content.text import MAX_ACCEPTED, MAX_ANSWER_TEXT

TYPED = """\
cards:
  - id: one
    type: typed
    title: A typed card
    front: 'Say it'
    accept: {accept}
"""
CLOZE = """\
cards:
  - id: one
    type: cloze
    title: A cloze card
    front: 'The answer is {{{{c1::{answer}}}}}.'
"""


@pytest.mark.parametrize(("cards", "words"), [
    (TYPED.format(accept=f'["{"ab" * 1_000_000}"]'), "an answer of 2000000 characters: at most"),
    (TYPED.format(accept=str([f"answer {n}" for n in range(500)])), f"lists 500 answers: at most {MAX_ACCEPTED}"),
    (CLOZE.format(answer="x" * (MAX_ANSWER_TEXT + 1)), f"is longer than {MAX_ANSWER_TEXT} characters"),
], ids=["a 2 MB accepted text", "500 accepted texts", "a cloze deletion past the limit"])
def test_an_answer_too_long_or_too_many_to_type_is_an_error_at_its_line(cli, tmp_path, cards, words):
    lib = load_library([deck(tmp_path, cards)])
    assert "one" not in lib.items
    assert len(lib.errors) == 1 and "cards.yaml:" in lib.errors[0] and words in lib.errors[0], lib.errors
    assert cli("--content", str(tmp_path), "answer", "one", "ab" * 1000).code == 2  # no card to hang on


def test_answers_at_the_limits_still_load(tmp_path):
    accept = str(["x" * MAX_ANSWER_TEXT] * MAX_ACCEPTED)
    assert "one" in load_library([deck(tmp_path, TYPED.format(accept=accept))]).items
