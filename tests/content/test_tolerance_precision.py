"""A number card's tolerance grades the precision its question asks for: a tolerance that
rejects the answer written as asked is an error at the card's line (the card would mark its own
answer wrong), one that passes the neighbouring rounding is a warning (a wrong answer passes,
no right one is lost), half a unit in the last place is neither."""

from __future__ import annotations

import re

import pytest

from tests.content.test_leaks import deck
from tutor.content import load_library
from tutor.content.library import content_warnings

CARD = """\
cards:
  - id: one
    type: typed
    title: A number
    front: '{front}'
    answer: {answer}
"""
DRAWN = """\
cards:
  - id: one
    type: typed
    title: A drawn number
    front: 'What is {{a}} / 7? (three decimals)'
    params:
      a: {{from: 1, to: 9}}
    answer: {answer}
"""


def card(tmp_path, front: str, answer: str):
    return deck(tmp_path, CARD.format(front=front, answer=answer))


@pytest.mark.parametrize(("front", "answer", "words"), [
    ("What is 1 - 0.9^5? (three decimals)", "{number: 0.40951}", "reject 0.410, the answer; use atol: 0.0005"),
    ("What is 1 - 0.9^5? (3 significant figures)", "{number: 0.40951, rtol: 1e-4}", "reject 0.410"),
    ("How many weights? (3 significant figures)", "{number: 12345.6, atol: 1}", "reject 12,300; use atol: 50"),
], ids=["decimals", "significant figures", "significant figures above 1,000"])
def test_a_tolerance_that_rejects_the_answer_as_asked_is_an_error_at_its_line(tmp_path, front, answer, words):
    lib = load_library([card(tmp_path, front, answer)])
    assert "one" not in lib.items
    assert len(lib.errors) == 1 and "cards.yaml:6: at cards.0.answer: the question asks for" in lib.errors[0]
    assert all(word in lib.errors[0] for word in words.split("; ")), lib.errors[0]


def test_a_tolerance_that_passes_the_neighbouring_rounding_is_a_warning(cli, tmp_path):
    folder = card(tmp_path, "What is 1 - 0.9^5? (three decimals)", "{number: 0.40951, atol: 0.001}")
    lib = load_library([folder])
    assert "one" in lib.items and not lib.errors
    [warning] = content_warnings(lib)
    assert (warning.line, warning.path) == (6, "one.answer")
    assert "also accept 0.409, which is wrong at that precision; atol: 0.0005" in warning.message
    result = cli("content", "validate", "--quick", str(folder))
    assert result.code == 0 and "warning: " in result.err and "accept 0.409" in result.err


@pytest.mark.parametrize(("front", "answer"), [
    ("What is 1 - 0.9^5? (three decimals)", "{number: 0.40951, atol: 0.0005}"),
    ("What share is left? (two decimals)", "{number: 0.05, atol: 0.005}"),  # the value already rounded
    ("How many steps? (3 significant figures)", "{number: 12345.6, atol: 50}"),
    ("How many steps?", "{number: 12345.6}"),  # no precision asked: any tolerance that does not accept 0
])
def test_half_a_unit_in_the_last_place_is_neither(tmp_path, front, answer):
    lib = load_library([card(tmp_path, front, answer)])
    assert not lib.errors and content_warnings(lib) == []


def test_a_drawn_card_whose_tolerance_rejects_a_drawn_answer_fails_validation(cli, tmp_path):
    folder = deck(tmp_path, DRAWN.format(answer="{number: 'a / 7', rtol: 1e-6}"))
    result = cli("content", "validate", str(folder))
    assert result.code == 2
    assert re.search(r"cards\.yaml:8: at one\.answer: variant 0 \(a = \d\): .* reject \d\.\d{3}, the", result.err)
    (folder / "cards.yaml").write_text(DRAWN.format(answer="{number: 'a / 7', atol: 0.0005}"))
    assert cli("content", "validate", str(folder)).code == 0
