"""Hostile typed answers: power towers, 5000-digit numbers, deep nesting, NULs and control characters.

Each gets a clear wrong verdict within a bounded time on a number, a formula and a text card,
the echo carries no control characters, and nothing in the text is ever evaluated.
"""

from __future__ import annotations

import time

import pytest

from tutor.content import bundled_content_dir
from tutor.content.library import load_item
from tutor.study.answers import check_answer

LIMIT_S = 6.0
CARDS = ("hp-default-lr", "adam-bias-corrected-first-moment", "adam-name")

HOSTILE = {
    "power tower 10^10^10": "10^10^10",
    "power tower with **": "1e-3**10**10",
    "huge exponent literal": "1e999999",
    "huge superscript power": "10⁹⁹⁹⁹⁹⁹",
    "5000-digit number": "9" * 5000,
    "5000 digits after the point": "0." + "0" * 4999 + "1",
    "deeply nested parentheses": "(" * 1500 + "1" + ")" * 1500,
    "deeply nested LaTeX fractions": r"\frac{" * 500 + "1" + "}{2}" * 500,
    "NUL bytes": "1e-3\x00\x00",
    "NUL inside a formula": "m_t\x00/(1-beta1^t)",
    "terminal escape": "\x1b[31m1e-3\x1b[0m",
    "bell and backspace": "\x07\x08 m/(1-beta1^t)",
    "eval injection": "__import__('os').system('touch /tmp/answers-pwned')",
    "dunder walk": "().__class__.__mro__[1].__subclasses__()",
    "a megabyte": "1" * 1_000_000,
    "many numbers": " ".join(["1e-3"] * 5000),
}


@pytest.fixture(scope="module")
def cards():
    return {item_id: load_item([bundled_content_dir()], item_id) for item_id in CARDS}


@pytest.mark.parametrize("item_id", CARDS)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_answer_gets_a_bounded_clear_verdict(cards, item_id, name):
    started = time.monotonic()
    result = check_answer(cards[item_id], HOSTILE[name])
    assert time.monotonic() - started < LIMIT_S
    assert result.correct is (name == "NUL bytes" and item_id == "hp-default-lr")  # NULs are not digits
    assert result.message and "\n" not in result.message and len(result.message) < 600
    for text in (result.message, result.diff or ""):
        assert not any(ord(ch) < 32 for ch in text), text[:80]


def test_nothing_was_evaluated():
    from pathlib import Path

    assert not Path("/tmp/answers-pwned").exists()
