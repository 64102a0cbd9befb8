"""Hostile variant items: params and answer expressions that try to reach eval, attributes,
imports or functions outside the registry; ranges too big to draw from; a `where:` that never
holds; expression bombs. Each gives one located line from `tutor content validate` (or one
`tutor: error:` line from `tutor answer`), runs nothing, and finishes (pytest's timeout holds it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.content import load_library
from tutor.study.validate import check_engines

DECK = "id: hostile\ntitle: Hostile\n"
CARD = """cards:
  - id: bad
    type: typed
    title: A hostile card
    front: 'x = {{x}}?'
    params:
      x: {params}
{extra}    answer:
      number: {answer}
"""
SENTINEL = "/tmp/tutor-variant-pwned"


def _card(answer: str = "2*x", params: str = "[1, 2, 3]", extra: str = "") -> str:
    return CARD.format(answer=answer, params=params, extra=extra)


def _issues(tmp_path: Path, cards: str) -> list[str]:
    deck = tmp_path / "hostile"
    deck.mkdir()
    (deck / "deck.yaml").write_text(DECK, encoding="utf-8")
    (deck / "cards.yaml").write_text(cards, encoding="utf-8")
    library = load_library([deck])
    return [*library.errors, *(str(issue) for issue in check_engines(library))]


def _one_located_line(tmp_path: Path, cards: str, *words: str) -> str:
    (issue,) = _issues(tmp_path, cards)
    assert "\n" not in issue and f"{tmp_path / 'hostile' / 'cards.yaml'}:" in issue, issue
    for word in words:
        assert word in issue, issue
    assert not Path(SENTINEL).exists()
    return issue


# -- eval, attributes, imports, functions outside the registry --------------------------------------

@pytest.mark.parametrize(("answer", "words"), [
    ("\"__import__('os').system('touch " + SENTINEL + "')\"", ("unexpected character",)),
    ("eval(x)", ("eval is not a function here",)),
    ("x.__class__", ("unexpected character",)),
    ("open(x)", ("open is not a function here",)),
    ("reference_function(x)", ("reference_function is not a function here",)),  # in tutor.reference, not the registry
    ("mistake_variants(x)", ("mistake_variants is not a function here",)),
    ("__builtins__", ("__builtins__ is not a param",)),
], ids=["import via string", "eval", "attribute", "open", "registry lookup helper", "mistake lookup", "builtins"])
def test_an_answer_reaches_only_maths_and_the_registry(tmp_path, answer, words):
    _one_located_line(tmp_path, _card(answer=answer), "bad.answer.number", *words)


@pytest.mark.parametrize("compute", ["getattr(x, x)", "exec(x)"])
def test_a_compute_value_reaches_nothing_either(tmp_path, compute):
    cards = _card(extra=f"    compute:\n      y: {compute}\n")
    _one_located_line(tmp_path, cards, "bad.compute.y", "is not a function here")


@pytest.mark.parametrize("name", ["sqrt", "adam_step"])
def test_a_param_cannot_shadow_a_function(tmp_path, name):
    cards = _card(answer=f"2*{name}").replace("      x:", f"      {name}:")
    _one_located_line(tmp_path, cards, f"bad.params.{name}", "collides with the function")


@pytest.mark.parametrize("answer", ["adam_step(0, x, 0, 0, 10^300, 1)", "warmup_cosine_lr(x, 2)"])
def test_a_registry_call_that_raises_is_a_located_line(tmp_path, answer):
    _one_located_line(tmp_path, _card(answer=answer), "bad.answer.number")


# -- ranges too big, conditions that never hold ---------------------------------------------------

@pytest.mark.parametrize(("params", "words"), [
    ("{from: 0, to: 1e300, step: 1e-300}", "more than 1,000,000,000,000 values"),
    ("{from: 0, to: 99999999999999999999999}", "whole numbers of at most 2^53"),
    ("{from: 0, to: .inf, step: 1}", "finite"),
    ("[" + ", ".join(["1"] * 1001) + "]", "1 to 1000 numbers"),
], ids=["tiny step", "huge whole range", "infinite end", "thousand choices"])
def test_a_range_too_big_to_draw_from_is_refused(tmp_path, params, words):
    _one_located_line(tmp_path, _card(params=params), "cards.0.params.x", words)


@pytest.mark.parametrize("where", ["[x > 3]", "[x < 2, x > 2]"])
def test_a_where_that_never_holds_is_reported_in_bounded_tries(tmp_path, where):
    _one_located_line(tmp_path, _card(extra=f"    where: {where}\n"), "bad.where.", "no draw of the params in 200")


# -- expression bombs ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("answer", "words"), [
    ("10^10^10", "too large"),
    ("9^9^9^9^9^x", "too large"),
    ("exp(exp(exp(x*10)))", "too large"),
    ("(" * 50 + "x" + ")" * 50, "too deeply nested"),
    ("+".join(["x"] * 300), "line too"),
    ("x^1e999", "exponent"),
], ids=["power tower", "taller tower", "exp tower", "deep nesting", "long sum", "huge literal"])
def test_an_expression_bomb_is_one_line(tmp_path, answer, words):
    _one_located_line(tmp_path, _card(answer=f"'{answer}'"), "bad.answer.number", words)


@pytest.mark.parametrize("answer", ["10^10^10", "1/(x-x)"])
def test_tutor_answer_on_a_failing_variant_is_one_error_line(tmp_path, cli, answer):
    deck = tmp_path / "hostile"
    deck.mkdir()
    (deck / "deck.yaml").write_text(DECK, encoding="utf-8")
    (deck / "cards.yaml").write_text(_card(answer=f"'{answer}'"), encoding="utf-8")
    result = cli("--content", str(deck), "answer", "bad", "1", "--seed", "3")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("tutor: error: ") and result.err.count("\n") == 1, result.err
