"""Index expressions (m_{t-1}), families defined by their index, recursions and the order of
definitions: what an author may declare and what a learner may write."""

from __future__ import annotations

import pytest

from tutor.derive.build import DerivationScope
from tutor.derive.checker import Checker
from tutor.derive.syntax import ParseError, parse_line

SYMBOLS = {"beta1": {"interval": [0, 1]}, "t": {"integer": True, "positive": True},
           "i": {"integer": True}, "g": {}, "g_i": {"random": True}}
RECURSION = {"m_t": "beta1*m_{t-1} + (1 - beta1)*g_t", "m_0": "0"}


def errors_of(definitions, symbols=SYMBOLS) -> dict[str, str]:
    return dict(DerivationScope.from_spec(symbols, definitions, {})[1])


def line_error(definitions: dict, line: str) -> str:
    scope, errors = DerivationScope.from_spec(SYMBOLS, definitions, {})
    assert errors == []
    with pytest.raises(ParseError) as caught:
        for node in parse_line(line):
            scope.build(node)
    return str(caught.value)


def check(definitions: dict, start: str, goal: str, lines: list[str]) -> list[tuple[str, str]]:
    checker = Checker({"id": "index-test", "symbols": SYMBOLS, "definitions": definitions,
                       "facts": {"E[g_i]": "g"}, "start": start, "goal": goal})
    assert checker.errors == []
    result = checker.check(lines, lambda step: None)
    return [(step["status"], step["message"]) for step in result["steps"]]


@pytest.mark.parametrize("text", ["m_{t-1}", "m_(t-1)", "m̂_{t - 1}"])
def test_an_index_expression_parses_to_a_family_member(text):
    (node,) = parse_line(text)
    assert node.kind == "index" and node.value in ("m", "hat_m")
    assert node.children[0].kind == "sub"


def test_an_unclosed_index_says_what_is_missing():
    with pytest.raises(ParseError) as caught:
        parse_line("m_{t-1 + g")
    assert "'}' to close the index of m_" in str(caught.value)


def test_definitions_may_be_written_in_any_order():
    """The bug: sorted keys put hat_m_t before m_t and the right chain failed."""
    closed = "(1 - beta1)*sum(beta1^(t-i)*g_i, i, 1, t)"
    for definitions in ({"hat_m_t": "m_t/(1 - beta1^t)", "m_t": closed},
                        {"m_t": closed, "hat_m_t": "m_t/(1 - beta1^t)"}):
        assert check(definitions, "E[hat_m_t]", "g", ["E[hat_m_t]", "= E[m_t]/(1 - beta1^t)", "= g"]) == [
            ("ok", "the start"), ("ok", "equal"), ("ok", "equal")]


def test_a_circle_of_definitions_is_named():
    found = errors_of({"a": "b + 1", "b": "2*a"})
    assert list(found.values()) == ["definitions refer to each other in a circle: a -> b -> a"
                                    " (a recursion refers to earlier members, m_{t-1})"]
    assert errors_of({"a": "a + 1"}) == {"definitions.a": "a is defined by itself"}


def test_two_families_that_use_each_other_are_a_circle():
    found = errors_of({"a_t": "b_t + 1", "b_t": "a_{t-1}", "a_0": "0"})
    assert "in a circle" in " ".join(found.values())


@pytest.mark.parametrize(("body", "words"), [
    ("m_{t+1} + g_t", "may only use earlier members"),
    ("m_t + g_t", "may only use earlier members"),
    ("m_{2*t} + g_t", "may only use earlier members"),
])
def test_a_recursion_may_only_look_back(body, words):
    (message,) = errors_of({"m_t": body, "m_0": "0"}).values()
    assert words in message


def test_a_recursion_needs_a_first_member():
    (message,) = errors_of({"m_t": "beta1*m_{t-1} + g_t"}).values()
    assert "without a first member: add m_0" in message


@pytest.mark.parametrize(("line", "words"), [
    ("m_{10^10}", "too large"),
    ("m_{t-1000000}", "too large"),
    ("g_{2^20}", "too large"),
    ("m_12345678901234567890", "too large"),
    ("m_{t/2}", "must be a whole number"),
    ("m_{beta1}", "must be a whole number"),
    ("m_{-1}", "not defined: m starts at m_0"),
    ("x_{t}", "not an indexed family"),
])
def test_bad_indices_are_refused_before_any_work(line, words):
    assert words in line_error(RECURSION, line)


def test_a_recursion_unrolls_at_numbers_and_unfolds_at_symbols():
    steps = check(RECURSION, "m_3", "(1 - beta1)*(beta1^2*g_1 + beta1*g_2 + g_3)",
                  ["m_3", "= beta1*m_{3-1} + (1 - beta1)*g_3", "= m_t",
                   "= beta1*m_{t-1} + (1 - beta1)*g_t"])
    assert [status for status, _ in steps] == ["ok", "ok", "wrong", "ok"]
    assert steps[3][1] == "equal"  # proved by unfolding m_t once, not sampled


def test_expectation_of_a_recursion_member_uses_linearity():
    steps = check(RECURSION, "E[m_2]", "g*(1 - beta1^2)",
                  ["E[m_2]", "= beta1*E[m_1] + (1 - beta1)*g", "= g*(1 - beta1^2)"])
    assert [status for status, _ in steps] == ["ok", "ok", "ok"]


def test_a_recursion_member_far_away_is_sampled_step_by_step():
    """m_{500} is past what is written out symbolically: its value at each point is computed
    from m_0 step by step, so a wrong line is still refuted with a counterexample."""
    steps = check(RECURSION, "m_3", "g", ["m_3", "= m_{500}"])
    assert steps[1][0] == "wrong"


def test_the_expectation_of_one_numbered_member_is_not_the_member_itself():
    """E[g_1] stayed E[g_1]: SymPy took g_1 (a function of a number) for a number and E of
    a number is that number, so E[g_1] read as g_1 and the fact E[g_i] = g never applied."""
    assert check({}, "E[g_1]", "g", ["E[g_1]", "= g"]) == [("ok", "the start"), ("ok", "equal")]
