"""An author's derivations on another topic (tests/decks/batchnorm): an indexed data family,
a function the deck defines, key steps, and the known mistakes named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.content import load_library
from tutor.content.library import content_warnings
from tutor.content.models import Derivation
from tutor.derive import validate_derivation

DECK = Path(__file__).resolve().parents[1] / "decks" / "batchnorm"
MEAN = "batchnorm-normalized-mean"
VARIANCE = "batchnorm-normalized-variance"


@pytest.fixture(scope="module")
def derivations() -> dict[str, Derivation]:
    library = load_library([DECK.parent])
    assert not library.errors, library.errors
    return {i.id: i for i in library.items.values() if isinstance(i, Derivation) and i.deck == "batchnorm"}


def test_the_deck_validates_and_its_solutions_pass(derivations, pool):
    assert set(derivations) == {MEAN, VARIANCE}
    for item in derivations.values():
        assert validate_derivation(item) == []
        result = pool.check(item, "\n".join(item.solution))
        assert result["status"] == "pass", result
        assert [step["message"] for step in result["steps"][1:]] == ["equal"] * (len(item.solution) - 1)


@pytest.mark.parametrize(("item_id", "lines", "words"), [
    (MEAN, ["mean(hat_x_i, i, 1, n)", "= (sum(x_i, i, 1, n) - mu)/(n*sqrt(var + eps))"], "each of the n values"),
    (MEAN, ["mean(hat_x_i, i, 1, n)", "= sum(x_i, i, 1, n)/(n*sqrt(var + eps))"], "mu was lost"),
    (VARIANCE, ["mean(hat_x_i^2, i, 1, n)", "= sum((x_i - mu)^2, i, 1, n)/((n - 1)*(var + eps))"], "unbiased n - 1"),
    (VARIANCE, ["mean(hat_x_i^2, i, 1, n)", "= sum((x_i - mu)^2, i, 1, n)/(n*(var + eps))", "= 1"],
     "only when eps = 0"),
    (VARIANCE, ["mean(hat_x_i^2, i, 1, n)", "= var/sqrt(var + eps)"], "squares its denominator"),
])
def test_a_known_mistake_is_named_with_a_counterexample(derivations, pool, item_id, lines, words):
    result = pool.check(derivations[item_id], "\n".join(lines))
    wrong = [step for step in result["steps"] if step["status"] == "wrong"]
    assert result["status"] == "fail" and wrong[0]["line"] == len(lines)
    assert words in wrong[0]["message"]
    assert any(name.startswith("x_") for name in wrong[0]["counterexample"]["at"])


def test_the_function_may_be_written_out_or_called_with_any_index(derivations, pool):
    lines = ["mean(hat_x_j, j, 1, n)", "= sum(x_j - mu, j, 1, n)/(n*sqrt(var + eps))",
             "= (sum(x_j, j, 1, n) - n*mu)/(n*sqrt(var + eps))", "= 0"]
    result = pool.check(derivations[MEAN], "\n".join(lines))
    assert result["status"] == "pass", result


def test_start_then_goal_skips_the_key_steps(derivations, pool):
    item = derivations[VARIANCE]
    result = pool.check(item, f"{item.start}\n= {item.goal}")
    assert result["status"] == "incomplete"
    assert result["missing_steps"] == ["the constant 1/(var + eps) taken out of the sum"]


def test_a_call_with_the_wrong_arguments_is_one_unparsed_line(derivations, pool):
    result = pool.check(derivations[MEAN], "mean(hat_x_i, i, 1, n)\n= mean(x_i, i, n)")
    assert result["steps"][1]["status"] == "unparsed"
    assert result["steps"][1]["message"] == "col 3: mean takes 4 arguments (f, k, a, b), found 3"


def test_a_family_declared_as_one_number_is_a_warning_with_its_line(tmp_path):
    deck = tmp_path / "batchnorm"
    deck.mkdir()
    (deck / "deck.yaml").write_text((DECK / "deck.yaml").read_text())
    text = (DECK / "derivations.yaml").read_text().replace("x_i: {indexed: true}", "x_i: {}", 1)
    (deck / "derivations.yaml").write_text(text)
    library = load_library([tmp_path])
    warnings = [str(w) for w in content_warnings(library)]
    line = text.splitlines().index("      x_i: {}") + 1
    assert warnings == [f"{deck / 'derivations.yaml'}:{line}: at {MEAN}.symbols.x_i: x_i is declared as one "
                        "number, so x_1 and x_{i-1} are unknown names: write `x_i: {indexed: true}` for the "
                        "data x_1, x_2, ... (or {random: true}), or rename it (e.g. xi) if one number is meant"]
