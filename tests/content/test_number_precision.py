"""A number answer is shown at the precision its question asks for ("(three decimals)", "(3
significant figures)"): on the card, in its worked back, and in a verdict; the value shown so is
one the checker accepts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.content import bundled_content_dir, load_library
from tutor.content.models import NumberAnswer
from tutor.content.numbers import Precision, asked_precision, at_precision, one_number
from tutor.study.answers import check_answer, expected_answer
from tutor.study.variants import drawn_item

SEEDS = range(12)


def number_cards():
    library = load_library([bundled_content_dir()])
    return [item for item in library.review_items() if isinstance(getattr(item, "expects", None), NumberAnswer)]


def shown_cards():
    """Every number card as a learner sees it: a variant card drawn with several seeds."""
    for card in number_cards():
        if card.expects.expr is None:
            yield card.id, card, None
        else:
            for seed in SEEDS:
                yield f"{card.id}@{seed}", *drawn_item(card, seed)


def precision_of(text: str, significant: bool) -> int:
    """How many decimals, or significant figures, a number is written with."""
    digits = re.sub(r"e[-+]?\d+$", "", text.replace(",", "").lstrip("-"))
    if not significant:
        return len(digits.partition(".")[2])
    return len(digits.replace(".", "").lstrip("0")) if "." in digits else len(digits.rstrip("0"))


@pytest.mark.parametrize(("where", "card", "drawn"), list(shown_cards()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_number_answer_is_shown_at_the_precision_its_question_asks(where, card, drawn):
    asked = asked_precision(card.front)
    if asked is None:
        return
    answer = expected_answer(card)
    assert precision_of(answer, asked.significant) == asked.digits, (where, card.front, answer)
    assert answer in card.back, f"{where}: the back does not show the answer {answer}: {card.back}"
    assert check_answer(card, answer, drawn=drawn).correct, (where, answer)  # rounding as asked is right


def test_the_zero_start_question_shows_three_decimals():
    card = next(c for c in number_cards() if c.id == "adam-initialisation")
    assert expected_answer(card) == "0.410" and card.expects.value == pytest.approx(1 - 0.9**5, abs=1e-12)


@pytest.mark.parametrize(("question", "asked"), [
    ("what fraction? (three decimals)", Precision(3, False)),
    ("at t = 1000? (two decimals)", Precision(2, False)),
    ("(3 significant figures; torch rectifies)", Precision(3, True)),
    ("to 4 decimal places", Precision(4, False)),
    ("How many steps?", None),
])
def test_the_precision_asked_is_read_from_the_question(question, asked):
    assert asked_precision(question) == asked


@pytest.mark.parametrize(("value", "asked", "text"), [
    (0.40951, Precision(3, False), "0.410"),
    (9.996, Precision(3, True), "10.0"),
    (1000.0, Precision(3, True), "1,000"),
    (12345.6, Precision(3, True), "12,300"),
    (0.004, Precision(3, True), "0.00400"),
    (-0.0005533, Precision(3, True), "-0.000553"),
    (1e-8, Precision(3, True), "1.00e-08"),
])
def test_a_value_is_written_at_a_precision(value, asked, text):
    assert at_precision(value, asked) == text


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda v: abs(v) > 1e-4),
       st.integers(1, 8), st.booleans())
def test_a_value_written_at_a_precision_reads_back_within_half_a_unit(value, digits, significant):
    text = at_precision(value, Precision(digits, significant))
    unit = 10 ** -digits if not significant else 10 ** (int(f"{abs(value):e}".split("e")[1]) - digits + 1)
    assert abs(float(one_number(text)) - value) <= unit / 2 * (1 + 1e-9) + 1e-12 * abs(value), text


def test_a_wrong_number_is_compared_with_the_answer_as_shown(cli, home):
    """The verdict's message and diff show the value as the card does, not the stored 0.40951."""
    wrong = cli("answer", "adam-initialisation", "0.5", "--json").json()
    assert wrong["expected"] == "0.410" and wrong["message"] == "0.5 is not 0.410" and wrong["diff"] == "0.[-5][+410]"
    drawn = cli("answer", "vary-correction-factor", "7", "--seed", "3", "--json").json()
    shown = at_precision(float(drawn["expected"]), Precision(3, True))
    assert drawn["message"].startswith(f"7 is not {shown}\n")
