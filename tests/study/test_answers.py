"""The typed-answer checker: every accepted way of writing a number, formulas by value, text folded."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tutor.content import bundled_content_dir
from tutor.content.library import load_item
from tutor.content.numbers import NumberError, find_numbers, one_number
from tutor.content.text import char_diff, text_matches
from tutor.study.answers import NotTyped, check_answer, plain_maths


def card(item_id: str):
    found = load_item([bundled_content_dir()], item_id)
    assert found is not None, item_id
    return found


# -- numbers ---------------------------------------------------------------------------------

MILLI = ["0.001", ".001", "1e-3", "1e-03", "1E-3", "10^-3", "10^{-3}", "10^(-3)", "10**-3", "1/1000",
         "1*10^-3", "1×10⁻³", "1 × 10⁻³", "1 x 10^-3", "1·10^-3", "0.1%", "about 0.001", "η = 1e-3",
         "1e-3 (0.001)", "10⁻³", "0.0010"]


@pytest.mark.parametrize("text", MILLI)
def test_every_spelling_of_one_thousandth_reads_as_one_thousandth(text):
    assert one_number(text) == Fraction(1, 1000)


@pytest.mark.parametrize(("text", "value"), [
    ("about 1000 steps", 1000), ("~1000", 1000), ("1,000", 1000), ("a thousand", 1000), ("one thousand", 1000),
    ("thousand", 1000), ("10x", 10), ("2×", 2), ("twice", 2), ("ten", 10), ("twenty-five", 25), ("8-bit", 8),
    ("-0.5", Fraction(-1, 2)), ("−0.5", Fraction(-1, 2)), ("75%", Fraction(3, 4)), ("max_norm=1.0", 1),
    ("3x10^-4", Fraction(3, 10_000)), ("1.", 1), ("2^16", 65536), ("1.5e-4", Fraction(15, 100_000)),
])
def test_words_and_units_around_one_number_are_ignored(text, value):
    assert one_number(text) == value


@pytest.mark.parametrize("text", ["beta2", "g1 and m_t", "the adam paper", ""])
def test_digits_inside_names_are_not_numbers(text):
    with pytest.raises(NumberError, match="no number"):
        one_number(text)


def test_a_second_different_number_is_a_miss_and_the_same_twice_is_not():
    with pytest.raises(NumberError, match="two different numbers"):
        one_number("1000 or maybe 10000")
    assert one_number("1000 steps, i.e. 1e3") == 1000


@pytest.mark.parametrize("text", MILLI[:10] + ["1 × 10⁻³"])
def test_hp_default_lr_accepts_every_spelling(text):
    result = check_answer(card("hp-default-lr"), text)
    assert result.correct and result.kind == "number", (text, result)


@pytest.mark.parametrize("text", ["0.01", "1e-2", "10^-4", "0.001 or 0.01", "1e3", "lr", "-0.001"])
def test_hp_default_lr_rejects_other_values_with_a_diff(text):
    result = check_answer(card("hp-default-lr"), text)
    assert not result.correct and result.diff is not None and result.expected == "0.001"


def test_number_cards_keep_their_extra_spellings_and_tolerance():
    assert check_answer(card("lamb-bert-batch"), "64K").correct
    assert check_answer(card("lamb-bert-batch"), "2^16").correct
    assert check_answer(card("lamb-bert-batch"), "65,000").correct  # within the card's rtol 0.03
    assert not check_answer(card("lamb-bert-batch"), "32768").correct
    assert check_answer(card("warmup-cosine-end"), "zero").correct
    assert check_answer(card("bias-correction-factor-t1"), "10x").correct


# -- formulas --------------------------------------------------------------------------------

FORMULAS = {
    "adam-bias-corrected-first-moment": (
        ["m_t/(1-beta1^t)", "m/(1-beta1**t)", "m_t/(1-β_1^t)", "m_t/(1-β₁^t)", "mt/(1-beta1^t)", "m_t/(1-b1^t)",
         "m/(1-b_1^t)", "m_t/(1-beta_1^t)", r"\frac{m_t}{1-\beta_1^t}", r"m_t / (1 - \beta_1^t)",
         "m_t * 1/(1-beta1^t)", "m_t*(1-beta1^t)^-1", "(m_t)/((1)-(beta1)^(t))", "-m_t/(beta1^t-1)",
         "m_t/(1 - beta1^t) + 0", "2*m_t/(2-2*beta1^t)", "(1-beta1^t)^(-1) m_t", "m̂_t = m_t/(1-β1^t)",
         "m_t/(1−β1^t)", "m_t÷(1-beta1^t)"],
        ["m_t/(1-beta2^t)", "m_t/(1-beta1)", "m_t*(1-beta1^t)", "m_t/(1+beta1^t)", "m_t/(1-beta1^(t-1))",
         "m_t/(1-beta1)^t", "m_t", "(1-beta1^t)/m_t", "m_t/(1-beta1^t)^2", "m_t/(beta1^t)"]),
    "momentum-window-formula": (
        ["1/(1-beta1)", "1/(1-β)", "1/(1-β1)", "1/(1-beta_1)", r"\frac{1}{1-\beta_1}", "(1-beta1)^-1",
         "1/(1-b1)", "-1/(beta1-1)", "1/(1 - beta)", "(1-beta1)**(-1)", "2/(2-2*beta1)", "1 / (1 − β₁)",
         "1/((1-beta1))", "1/(1-beta1)*1", "(1/(1-beta1))", r"\frac{1}{1 - \beta}", "1÷(1-β)",
         "(1+beta1)/(1-beta1^2)", "1/(-beta1+1)", "n = 1/(1-beta1)"],
        ["1/(1+beta1)", "1-beta1", "1/beta1", "beta1/(1-beta1)", "1/(1-beta1)^2", "1/(1-beta1^2)",
         "10", "1/(1-2*beta1)", "(1-beta1)/beta1", "2/(1-beta1)"]),
    "l2-regularized-gradient": (
        ["g_t + lambda*theta_t", "g + lambda theta", "g_t + λθ_t", "g_t + λ θ_t", "g+lambda*theta",
         r"g_t + \lambda \theta_t", "g_t + lam*theta_t", "lambda*theta_t + g_t", "g_t + theta_t*lambda",
         "gt + lambda*thetat", "g_t + l*theta_t", "g_t + wd*theta_t", "g_t - (-lambda*theta_t)",
         "(g_t/lambda + theta_t)*lambda", "g_t + 2*lambda*theta_t/2", "g_t+λ*θ_t", "g + λ·θ",
         "lambda theta + g", "g_t + (lambda)(theta_t)", "∇L = g_t + λθ_t"],
        ["g_t - lambda*theta_t", "g_t", "lambda*theta_t", "g_t + lambda", "g_t + theta_t",
         "g_t*lambda*theta_t", "g_t + lambda*theta_t^2", "g_t + 2*lambda*theta_t", "(g_t + lambda)*theta_t",
         "g_t + lambda/theta_t"]),
}


@pytest.mark.parametrize("item_id", sorted(FORMULAS))
def test_twenty_ways_of_writing_the_formula_are_right(item_id):
    formula = card(item_id)
    wrong = [text for text in FORMULAS[item_id][0] if not check_answer(formula, text).correct]
    assert not wrong and len(FORMULAS[item_id][0]) >= 20


@pytest.mark.parametrize("item_id", sorted(FORMULAS))
def test_ten_wrong_formulas_are_wrong_with_values_that_tell_them_apart(item_id):
    formula = card(item_id)
    for text in FORMULAS[item_id][1]:
        result = check_answer(formula, text)
        assert not result.correct, text
        example = result.counterexample
        assert example and example["at"] and example["given"] != example["expected"], (text, result)


def test_an_unknown_name_is_a_clear_miss():
    result = check_answer(card("adam-bias-corrected-first-moment"), "m_t/(1-gamma^t)")
    assert not result.correct and "unknown name 'gamma'" in result.message


def test_latex_becomes_plain_maths():
    assert plain_maths(r"\frac{m_t}{1-\beta_1^t}") == "((m_t)/(1-beta_1^t))"
    assert plain_maths(r"\sqrt{\hat{v}_t}+\epsilon") == "sqrt(hat_v_t)+epsilon"
    assert plain_maths(r"10^{-3}") == "10^(-3)"


# -- text ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Adaptive Moment Estimation", "adaptive moment estimation", "ADAPTIVE-MOMENT estimation.",
    "Adaptive Momnt Estimation", "Adaptive Moment Estimaton", "  adaptive   moment estimation "])
def test_text_answers_fold_case_spaces_punctuation_and_forgive_a_typo(text):
    assert check_answer(card("adam-name"), text).correct


def test_text_answers_fold_ampersands_and_asides_but_never_digits():
    authors = card("adam-authors")
    assert check_answer(authors, "Kingma and Ba (2015)").correct
    assert check_answer(authors, "kingma & ba, 2015").correct
    assert not check_answer(authors, "Kingma and Ba 2016").correct
    assert text_matches("Polyak, 1964", "Polyak 1964")


def test_a_text_miss_shows_an_anki_style_diff():
    result = check_answer(card("adam-name"), "Adaptive Gradient Estimation")
    assert not result.correct and result.diff == "Adaptive [-Gradi][+Mom]ent Estimation"
    assert char_diff("Adaptive Momnt", "Adaptive Moment") == "Adaptive Mom[+e]nt"


def test_short_text_answers_must_be_exact():
    assert not text_matches("amsgrad=Fals", "amsgrad")
    assert not text_matches("2013", "2012")


def test_only_typed_cards_take_an_answer():
    with pytest.raises(NotTyped):
        check_answer(card("adam-update-rule"), "anything")


def test_find_numbers_reports_where_each_number_is():
    assert [(f.value, f.text) for f in find_numbers("between 900 and 1,100")] == [(900, "900"), (1100, "1,100")]
