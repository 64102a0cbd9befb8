"""A deck whose number card passes any answer: a tolerance that accepts 0 for an answer that is
not 0 (rtol >= 1, or atol >= the value) passes a learner who knows nothing ("0", "no idea 0").
Each is an error at the card's line; the card is not studied."""

from __future__ import annotations

import pytest

from tests.content.test_leaks import deck
from tests.content.test_tolerance_precision import DRAWN, card
from tutor.content import load_library


@pytest.mark.parametrize("answer", ["{number: 4, rtol: 1e300}", "{number: 0.001, atol: 0.01}"],
                         ids=["rtol of 1e300", "atol above the value"])
def test_a_tolerance_that_accepts_zero_is_an_error(cli, tmp_path, answer):
    lib = load_library([card(tmp_path, "How large is it?", answer)])
    assert "one" not in lib.items
    assert len(lib.errors) == 1 and "cards.yaml:6: at cards.0.answer: " in lib.errors[0]
    assert "accept 0 as the answer" in lib.errors[0]
    assert cli("--content", str(tmp_path), "answer", "one", "0").code == 2  # no such card to pass


@pytest.mark.parametrize("answer", ["{number: 'a / 7', rtol: 5}", "{number: 'a / 7', atol: 0.5}"],
                         ids=["rtol of 5", "atol above a drawn value"])
def test_a_drawn_tolerance_that_accepts_zero_fails_validation(cli, tmp_path, answer):
    folder = deck(tmp_path, DRAWN.format(answer=answer))
    result = cli("content", "validate", str(folder))
    assert result.code == 2 and "cards.yaml:8: at one.answer: variant " in result.err
    assert "accept 0 as the answer" in result.err and "Traceback" not in result.err
