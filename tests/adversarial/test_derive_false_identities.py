"""False identities must never pass as equal: every value is compared exactly, at points a
learner cannot aim at, and closeness in floating point never counts.

Each class has at least two variants: tiny perturbations, polynomials vanishing on the
sample points (even ones computed from the derivation's own seeded points), terms that
underflow, huge exponents (refused or decided in bounded time), min/max/abs tricks that hide
a difference beyond the sampled range, and expressions undefined at the sampled points.
"""

from __future__ import annotations

import time

import pytest

from tests.derive.conftest import load_derivations
from tutor.derive import CheckerProcess
from tutor.derive.checker import Checker
from tutor.derive.worker import DEFAULT_TIMEOUT_S, WALL_FACTOR, spec_of

FIRST = "bias-correction-first-moment"
# One line's time-out (5 s of the child's work, ended at WALL_FACTOR times that on the wall
# clock), and 7 s for the lines before it and the pool's answer on a loaded machine.
LIMIT_S = WALL_FACTOR * DEFAULT_TIMEOUT_S + 7.0
VANISHING_T = "*".join(f"(t-{k})" for k in range(1, 13))


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    return load_derivations(tmp_path_factory.mktemp("false"))[FIRST]


@pytest.fixture(scope="module")
def pool():
    with CheckerProcess() as warm:
        yield warm


def _vanishing_at_seeded_beta1(first) -> str:
    """A product that is zero at every seeded value of beta1: the learner can compute them."""
    checker = Checker(spec_of(first))
    beta1 = checker.scope.names["beta1"]
    values = sorted({point[beta1] for point in checker.sampler.points[:40]})
    return "*".join(f"(beta1-{value})" for value in values[:30])


FALSE = {
    "perturbed by 10^-20": "g*(1+10^-20)",
    "plus 10^-60": "g + 10^-60",
    "plus an irrational speck": "g + 10^-200*sqrt(2)",
    "polynomial zero at t = 1..12": f"g + {VANISHING_T}",
    "polynomial zero at t = 1..12, squared": f"g + ({VANISHING_T})^2",
    "underflowing power": "g + beta1^10000",
    "underflowing exponential": "g + exp(-10000)",
    "underflowing power times g": "g*(1 + beta1^9999)",
    "huge exponent in t": "g + beta1^(10000*t)",
    "huge exponent with a sum": "g + sum(beta1^(10000*i), i, 1, t)",
    "min beyond the sampled range": "min(g, 10^60)",
    "abs beyond the sampled range": "g + abs(t - 1000) - (1000 - t)",
    "max beyond the sampled range": "max(g, -10^90)",
    "real only at the seeded t": f"g + sqrt(-({VANISHING_T})^2)",
    "real nowhere": "g + sqrt(-(beta1 - 1/3)^2)",
}


def _third_line(pool, item, line: str) -> tuple[dict, float]:
    started = time.monotonic()
    result = pool.check(item, f"E[hat_m_t]\n= g\n= {line}")
    return result, time.monotonic() - started


@pytest.mark.parametrize("line", FALSE.values(), ids=FALSE.keys())
def test_a_false_identity_is_never_equal(pool, first, line):
    result, took = _third_line(pool, first, line)
    step = result["steps"][2]
    assert step["status"] in ("wrong", "undecided", "timeout"), step
    assert "verified" not in step["message"] and result["status"] != "pass"
    assert took < LIMIT_S


def test_a_polynomial_aimed_at_the_seeded_beta1_values_is_caught_at_fresh_points(pool, first):
    result, _ = _third_line(pool, first, f"g + {_vanishing_at_seeded_beta1(first)}")
    step = result["steps"][2]
    assert step["status"] == "wrong"
    assert step["counterexample"]["at"]["beta1"] not in _vanishing_at_seeded_beta1(first)


@pytest.mark.parametrize("line", ["g*(t-5)/(t-5)", "g + (1 + sqrt(2))^2 - 3 - 2*sqrt(2)", "max(g, g - 10^-30)",
                                  "g + 0*(t - 1)*(t - 2)"])
def test_true_identities_still_pass(pool, first, line):
    result, _ = _third_line(pool, first, line)
    assert result["steps"][2]["status"] == "ok", result["steps"][2]


def test_a_counterexample_shows_exact_values(pool, first):
    result, _ = _third_line(pool, first, "g*(1+10^-20)")
    example = result["steps"][2]["counterexample"]
    assert example["previous"] == example["this"] == "0.93"  # equal to 10 digits ...
    assert example["difference"] == "9.3e-21"  # ... and the exact difference says by how much
    assert "/" in example["at"]["g"] or example["at"]["g"].lstrip("-").isdigit()
