"""Author-defined functions (`functions:`): how a call expands, and what is refused."""

from __future__ import annotations

import pytest

from tutor.derive.build import DerivationScope
from tutor.derive.macros import MAX_EXPANDED_NODES
from tutor.derive.syntax import ParseError, parse_line

SYMBOLS = {"n": {"integer": True, "positive": True}, "i": {"integer": True}, "x_i": {"indexed": True},
           "c": {}}


def scope_of(functions: dict) -> tuple[DerivationScope, dict[str, str]]:
    scope, errors = DerivationScope.from_spec(SYMBOLS, {}, {}, functions)
    return scope, dict(errors)


def read(scope: DerivationScope, text: str):
    (node,) = parse_line(text)
    return scope.build(node)


def test_a_parameter_stands_for_an_expression_or_for_a_family():
    by_expression, errors = scope_of({"mean(f, k, a, b)": "sum(f, k, a, b)/(b - a + 1)"})
    by_family, more = scope_of({"mean(f, k, a, b)": "sum(f_k, k, a, b)/(b - a + 1)"})
    assert errors == more == {}
    written = read(by_expression, "sum(x_i, i, 1, n)/n")
    assert read(by_expression, "mean(x_i, i, 1, n)") == written
    assert read(by_family, "mean(x, i, 1, n)") == read(by_family, "sum(x_i, i, 1, n)/n")
    assert read(by_expression, "mean(c*x_i^2, i, 2, n)") == read(by_expression, "sum(c*x_i^2, i, 2, n)/(n - 1)")


def test_a_function_may_call_another_declared_after_it():
    scope, errors = scope_of({"var(f, k, a, b)": "mean(f^2, k, a, b) - mean(f, k, a, b)^2",
                              "mean(f, k, a, b)": "sum(f, k, a, b)/(b - a + 1)"})
    assert errors == {}
    assert read(scope, "var(x_i, i, 1, n)") == read(scope, "sum(x_i^2, i, 1, n)/n - (sum(x_i, i, 1, n)/n)^2")


@pytest.mark.parametrize(("functions", "path", "words"), [
    ({"mean": "c"}, "functions.mean", "declared as name(parameters)"),
    ({"mean(f, f)": "f"}, "functions.mean(f, f)", "distinct names"),
    ({"sqrt(f)": "f"}, "functions.sqrt(f)", "cannot name a function"),
    ({"c(f)": "f"}, "functions.c(f)", "cannot name a function"),
    ({"mean(f, k)": "sum(f, k, 1,"}, "functions.mean(f, k)", "expected"),
])
def test_a_bad_declaration_is_reported_at_its_key(functions, path, words):
    _, errors = scope_of(functions)
    assert words in errors[path], errors


def test_a_family_parameter_needs_a_family_name():
    scope, _ = scope_of({"first(f)": "f_1"})
    with pytest.raises(ParseError) as caught:
        read(scope, "first(x_i + 1)")
    assert "f stands for a family here" in str(caught.value)


def test_functions_that_call_each_other_are_a_circle():
    _, errors = scope_of({"f(a)": "g(a) + 1", "g(a)": "f(a)*2"})
    assert errors == {"functions.f": "functions call each other in a circle: f -> g -> f"}
    _, errors = scope_of({"f(a)": "f(a) + 1"})
    assert errors == {"functions.f": "functions call each other in a circle: f -> f"}


def test_an_expansion_that_doubles_at_every_level_is_refused():
    functions = {"f0(a)": "a + 1", **{f"f{k}(a)": f"f{k - 1}(a) * f{k - 1}(a)" for k in range(1, 16)}}
    scope, errors = scope_of(functions)
    assert errors == {}
    with pytest.raises(ParseError) as caught:
        read(scope, "f15(c)")
    assert f"expand to more than {MAX_EXPANDED_NODES} symbols" in str(caught.value)
    assert read(scope, "f2(c)") == (scope.names["c"] + 1) ** 4
