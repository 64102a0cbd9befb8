"""The Adam deck's variant items: each table item of issue 16 varies, and its `tutor answer --json`
expected value agrees with the formula computed here, independently of the deck's expressions."""

from __future__ import annotations

import math

import pytest

from tutor.content import bundled_content_dir
from tutor.content.library import load_library
from tutor.study.variants import check_variation, draw, seed_for


def _two_adam_steps(p):
    theta, m, v = 0.0, 0.0, 0.0
    for t, g in ((1, p["g1"]), (2, p["g2"])):
        m = p["beta1"] * m + (1 - p["beta1"]) * g
        v = p["beta2"] * v + (1 - p["beta2"]) * g * g
        theta -= p["lr"] * (m / (1 - p["beta1"] ** t)) / (math.sqrt(v / (1 - p["beta2"] ** t)) + 1e-8)
    return theta


FORMULAS = {
    "vary-correction-factor": lambda p: 1 / (1 - p["beta"] ** p["t"]),
    "vary-ema-window": lambda p: 1 / (1 - p["beta"]),
    "vary-first-adam-step": lambda p: -p["lr"] * p["g"] / (abs(p["g"]) + 1e-8),
    "vary-second-adam-step": _two_adam_steps,
    "vary-adamw-decay": lambda p: (1 - p["lr"] * p["wd"]) ** p["steps"],
    "vary-warmup-lr": lambda p: p["lr_max"] * p["step"] / p["warmup"],
    "vary-state-memory": lambda p: p["params_b"] * 1e9 * 2 * 4 / 1e9,
}
PARAMS = {
    "vary-correction-factor": {"beta", "t"},
    "vary-ema-window": {"beta"},
    "vary-first-adam-step": {"lr", "g"},
    "vary-second-adam-step": {"lr", "beta1", "beta2", "g1", "g2"},
    "vary-adamw-decay": {"lr", "wd", "steps"},
    "vary-warmup-lr": {"lr_max", "warmup", "step"},
    "vary-state-memory": {"params_b"},
}
SEEDS = range(20)


@pytest.fixture(scope="module")
def library():
    return load_library([bundled_content_dir()])


@pytest.mark.parametrize("item_id", FORMULAS)
def test_twenty_seeds_give_eight_questions_and_the_formulas_answer(cli, item_id):
    questions = set()
    for seed in SEEDS:
        result = cli("answer", item_id, "0", "--seed", str(seed), "--json")
        assert result.code == 1, result.err
        document = result.json()
        assert set(document["params"]) == PARAMS[item_id]
        assert document["seed"] == seed
        questions.add(document["question"])
        independent = FORMULAS[item_id](document["params"])
        assert float(document["expected"]) == pytest.approx(independent, rel=1e-9, abs=0)
    assert len(questions) >= 8, questions


@pytest.mark.parametrize("item_id", FORMULAS)
@pytest.mark.parametrize("seed", [0, 7, 19])
def test_the_expected_answer_is_right_and_ten_percent_more_is_wrong(cli, item_id, seed):
    expected = cli("answer", item_id, "0", "--seed", str(seed), "--json").json()["expected"]
    assert cli("answer", item_id, expected, "--seed", str(seed)).code == 0
    assert cli("answer", item_id, repr(1.1 * float(expected)), "--seed", str(seed)).code == 1


def test_a_rounded_answer_is_right(cli):
    expected = float(cli("answer", "vary-second-adam-step", "0", "--seed", "4", "--json").json()["expected"])
    assert cli("answer", "vary-second-adam-step", f"{expected:.3g}", "--seed", "4").code == 0


def test_the_deck_has_fifteen_variant_items_all_planned_and_valid(library):
    deck = library.deck("adam")
    varying = [item for item in deck.items if item.variation is not None]
    assert len(varying) >= 15
    assert {item.kind for item in varying} == {"card", "problem"}
    planned = {item_id for entry in deck.plan for item_id in entry.items}
    assert {item.id for item in varying} <= planned
    assert {item.id: check_variation(item) for item in varying} == {item.id: [] for item in varying}


def test_the_timed_problem_shows_new_numbers_and_worked_steps(library):
    problem = library.item("vary-adam-three-steps-problem")
    variants = [draw(problem, seed_for(problem.id, n)) for n in range(20)]
    assert len({tuple(v.params.items()) for v in variants}) >= 8
    for variant in variants:  # every step is about one learning rate long, as its model answer says
        thetas = [0.0, *(variant.values[f"theta{t}"] for t in (1, 2, 3))]
        assert all(abs(b - a) <= 1.01 * variant.params["lr"] for a, b in zip(thetas, thetas[1:]))
