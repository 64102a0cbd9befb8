"""Grading as a learner sees it: correct answers pass however they are written, each known
mistake is named by its id, failures say where and what, and the result has the shape in ARCHITECTURE.md.

Checks run in parallel threads (each in its own sandboxed child) to keep the suite fast.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.drills.drill_solutions import (
    ADAM_ELEMENT_LOOP,
    ADAM_IN_PLACE,
    ADAM_MISTAKES,
    ADAM_MISTAKES_AGAIN,
    ADAM_VECTORISED,
    ADAMW_MISTAKES,
    CORRECT,
    OTHER_MISTAKES,
)
from tutor.content import bundled_content_dir, load_library
from tutor.drills import WarmRunner, check_drill

WALL_S = 10.0


@pytest.fixture(scope="module")
def drills():
    library = load_library([bundled_content_dir()])
    assert not library.errors
    return {i.id: i for i in library.items.values() if i.kind == "drill"}


def _check_all(drills, jobs: dict) -> dict:
    """{key: result} for {key: (drill id, source)}, checked two at a time."""
    def run(item):
        key, (drill_id, source) = item
        return key, check_drill(drills[drill_id], source, wall_s=WALL_S)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, jobs.items()))


@pytest.fixture(scope="module")
def results(drills):
    jobs = {("adam-step", "vectorised"): ("adam-step", ADAM_VECTORISED),
            ("adam-step", "in-place"): ("adam-step", ADAM_IN_PLACE),
            ("adam-step", "element-loop"): ("adam-step", ADAM_ELEMENT_LOOP)}
    jobs.update({("correct", d): (d, source) for d, source in CORRECT.items()})
    jobs.update({("adam", m): ("adam-step", source) for m, source in ADAM_MISTAKES.items()})
    jobs.update({("adam-again", m): ("adam-step", s) for m, s in ADAM_MISTAKES_AGAIN.items()})
    jobs.update({("adamw", m): ("adamw-step", source) for m, source in ADAMW_MISTAKES.items()})
    jobs.update({("other",) + key: (key[0], source) for key, source in OTHER_MISTAKES.items()})
    return _check_all(drills, jobs)


@pytest.mark.parametrize("style", ["vectorised", "in-place", "element-loop"])
def test_a_correct_adam_step_passes_however_it_is_written(results, style):
    result = results[("adam-step", style)]
    assert result["status"] == "pass", result["message"]
    assert result["diagnosis"] is None and result["message"] is None
    assert len(result["tests"]) >= 6
    assert all(t["status"] == "pass" for t in result["tests"])


@pytest.mark.parametrize("drill_id", sorted(CORRECT))
def test_every_drill_can_be_passed(results, drill_id):
    result = results[("correct", drill_id)]
    assert result["status"] == "pass", result["message"]


@pytest.mark.parametrize("mistake", sorted(ADAM_MISTAKES))
def test_each_adam_mistake_is_named(results, mistake):
    result = results[("adam", mistake)]
    assert result["status"] == "fail", result["message"]
    assert result["diagnosis"] is not None, result["message"]
    assert result["diagnosis"]["id"] == mistake
    assert result["message"].startswith(result["diagnosis"]["message"])


@pytest.mark.parametrize("mistake", sorted(ADAM_MISTAKES_AGAIN))
def test_other_spellings_of_a_mistake_are_named_too(results, mistake):
    result = results[("adam-again", mistake)]
    assert result["status"] == "fail", result["message"]
    assert result["diagnosis"] and result["diagnosis"]["id"] == mistake


@pytest.mark.parametrize("mistake", sorted(ADAMW_MISTAKES))
def test_each_adamw_mistake_is_named(results, mistake):
    result = results[("adamw", mistake)]
    assert result["status"] == "fail"
    assert result["diagnosis"] and result["diagnosis"]["id"] == mistake


@pytest.mark.parametrize("key", sorted(OTHER_MISTAKES), ids=lambda k: "/".join(k))
def test_mistakes_of_the_other_drills_are_named(results, key):
    result = results[("other",) + key]
    assert result["status"] == "fail", result["message"]
    assert result["diagnosis"] and result["diagnosis"]["id"] == key[1]


def test_a_failure_says_which_output_diverges_at_which_step_with_inputs(results):
    result = results[("adam", "stale-moments")]
    first = next(t for t in result["tests"] if t["status"] == "fail")
    # The parameter is right at step 1; the returned moments are not.
    assert first["details"]["step"].startswith("step 1")
    assert first["details"]["wrong_outputs"] == ["m", "v"]
    assert "param is right" in first["message"]
    assert "expected" in first["message"] and "grad=" in first["message"]
    assert "m first diverges at step 1" in result["message"]


def test_an_unknown_wrong_answer_gets_the_divergence_but_no_diagnosis(drills):
    source = ADAM_VECTORISED.replace("param = param - lr", "param = param - 0.5 * lr")
    result = check_drill(drills["adam-step"], source, wall_s=WALL_S)
    assert result["status"] == "fail"
    assert result["diagnosis"] is None
    assert "param first diverges at step 1 (t=1) of case 1" in result["message"]
    details = result["tests"][0]["details"]
    assert details["max_abs_error"] > 0 and details["expected"] != details["actual"]


def test_the_result_has_the_exercism_shape_and_names_its_confinement(results):
    result = results[("adam-step", "vectorised")]
    assert set(result) >= {"version", "drill", "status", "message", "tests", "diagnosis",
                           "duration_s", "confinement"}
    assert result["version"] == 3 and result["drill"] == "adam-step"
    for test in result["tests"]:
        assert set(test) >= {"name", "status", "message", "output"}
    assert {"rlimits", "process-group", "isolated-python"} <= set(result["confinement"])


def test_the_ten_line_checkpoint_fails_a_long_but_correct_answer(drills):
    long_source = ADAM_IN_PLACE  # 10 statements + a comment: over the limit once padded
    padded = long_source.replace("    return param, m, v", "    param = param * 1.0\n"
                                                          "    return param, m, v")
    result = check_drill(drills["adam-step"], padded, wall_s=WALL_S)
    assert result["status"] == "fail"
    assert "11 lines" in result["tests"][-1]["message"]
    short = check_drill(drills["adam-step"], ADAM_VECTORISED, wall_s=WALL_S)
    assert short["status"] == "pass", short["message"]


def test_prints_are_captured_per_case(drills):
    source = ADAM_VECTORISED.replace('"""One Adam update."""', 'print("step", t)')
    result = check_drill(drills["adam-step"], source, wall_s=WALL_S)
    assert result["status"] == "pass"
    assert result["tests"][0]["output"].startswith("step 1\nstep 2\n")


@pytest.mark.parametrize("source, words", [
    ("def adam_step(:\n", "syntax error on line 1"),
    ("x = 1\n", "does not define adam_step()"),
    ("adam_step = 3\n", "not a function"),
    ("import numpy as np\ndef adam_step(*a):\n    return 1 / 0\n", "ZeroDivisionError"),
    ("def adam_step(param, grad, m, v, t, *a):\n    return param, m\n", "returned 2 values"),
])
def test_code_that_cannot_run_is_an_error_with_one_clear_line(drills, source, words):
    result = check_drill(drills["adam-step"], source, wall_s=WALL_S)
    assert result["status"] == "error"
    assert words in result["message"]
    assert "\n" not in result["message"] and "Traceback" not in result["message"]


def test_the_warm_runner_checks_each_submission_in_a_fresh_child(drills):
    with WarmRunner(wall_s=WALL_S) as runner:
        first = runner.check(drills["adam-step"], ADAM_MISTAKES["wrong-sign"])
        # A submission that would leave state behind in a reused child.
        poison = ADAM_VECTORISED.replace("import math", "import math, numpy\nnumpy.POISON = 1")
        second = runner.check(drills["adam-step"], poison)
        probe = ADAM_VECTORISED.replace('"""One Adam update."""',
                                        'assert not hasattr(np, "POISON")')
        third = runner.check(drills["adam-step"], probe)
    assert first["diagnosis"]["id"] == "wrong-sign"
    assert second["status"] == "pass" and third["status"] == "pass", third["message"]


def test_any_hardcoded_eps_is_named_but_ignoring_everything_is_not(drills):
    odd_constant = ADAM_VECTORISED.replace("(np.sqrt(v_hat) + eps)", "(np.sqrt(v_hat) + 3.3e-8)")
    named = check_drill(drills["adam-step"], odd_constant, wall_s=WALL_S)
    assert named["diagnosis"] and named["diagnosis"]["id"] == "hardcoded-eps"
    # Its outputs do not depend on eps either, but no constant explains them.
    doubled = ADAM_VECTORISED.replace("return param, m, v", "return param * 2, m, v")
    unnamed = check_drill(drills["adam-step"], doubled, wall_s=WALL_S)
    assert unnamed["status"] == "fail" and unnamed["diagnosis"] is None
