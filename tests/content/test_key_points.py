"""Key points match by meaning: small words, stems, plurals, numbers and Unicode maths fold."""

from __future__ import annotations

import pytest

from tutor.content.text import key_point_covered, meaning_tokens


@pytest.mark.parametrize(("phrase", "answer"), [
    ("learning rate too high", "I think the learning rate is too high here"),
    ("8-bit", "it keeps the states in 8 bits"),
    ("start at zero", "m and v are initialised to 0"),
    ("initialised to zero", "both moments start at 0.0"),
    ("Σ β² g", "sum beta^2 g"),
    ("bias corrections", "it applies a bias correction"),
    ("oscillations cancel", "the oscillating parts cancel out"),
    ("lr warmup", "a learning rate warmup"),
    ("weight decay decoupled", "weight decay is decoupled"),
])
def test_a_phrase_is_found_in_other_words(phrase, answer):
    assert key_point_covered((), answer, (phrase,))


@pytest.mark.parametrize(("phrase", "answer"), [
    ("learning rate too high", "the learning rate is not too high"),
    ("learning rate too high", "no, the learning rate too high is not it"),
    ("8-bit", "it keeps 16 bits"),
    ("start at zero", "they start at one"),
    ("learning rate too high", "the rate of learning was too high"),
])
def test_a_negation_another_number_or_another_order_is_not_a_match(phrase, answer):
    assert not key_point_covered((), answer, (phrase,))


def test_regexes_still_match_and_hostile_text_is_bounded():
    assert key_point_covered((r"geometric\s+series",), "the geometric  series sums to ...")
    assert not key_point_covered((), "\x00\x1b[31m" * 10_000, ("learning rate",))
    assert meaning_tokens("β₁ = 0.90") == ["beta", "1", "9/10"]
    assert not key_point_covered((), "a " * 100_000, ("learning rate",))
