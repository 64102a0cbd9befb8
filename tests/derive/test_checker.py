"""The step checker on the shipped derivations: model solutions, learners' mistakes, other right ways."""

from __future__ import annotations

import pytest

from tutor.derive import check_derivation

FIRST = "bias-correction-first-moment"

# (derivation, chain as a learner writes it, line that must be reported wrong, words of its message)
WRONG_CHAINS = [
    (FIRST, ["E[hat_m_t]", "= E[m_t] / (1 - beta1^t)",
             "= (1 - beta1) * g * sum(beta1^(t-i), i, 1, t) / (1 - beta1^t)",
             "= (1 - beta1) * g * 1/(1 - beta1) / (1 - beta1^t)",
             "= g / (1 - beta1^t)"], 4, "t terms"),
    (FIRST, ["E[hat_m_t]", "= E[m_t] / (1 - beta1^t)",
             "= g * sum(beta1^(t-i), i, 1, t) / (1 - beta1^t)",
             "= g * (1 - beta1^t) / (1 - beta1) / (1 - beta1^t)"], 3, "(1 - beta1)"),
    (FIRST, ["E[hat_m_t]", "", "= E[m_t]  # the correction is just a constant", "= g*(1 - beta1^t)"],
     3, "biased towards zero"),
    (FIRST, ["E[hat_m_t]", "= (1-beta1)*g*sum(beta1^(t-i), i, 1, t)/(1-beta1^t)",
             "= (1-beta1)*g*(1-beta1^(t+1))/(1-beta1)/(1-beta1^t)"], 3, "Off by one"),
    ("bias-correction-second-moment", ["E[hat_v_t]", "= E[v_t]/(1 - beta2^t)",
                                        "= (1 - beta2)*q*sum(beta2^(t-i), i, 1, t)/(1 - beta2^t)",
                                        "= q/(1 - beta2^t)"], 4, "t terms"),
    ("bias-correction-second-moment", ["E[hat_v_t]",
                                        "= (1 - beta2)*sum(beta2^(t-i)*E[g_i]^2, i, 1, t)/(1 - beta2^t)",
                                        "= q"], 2, "not equal"),
    ("ema-weights-sum", ["(1 - beta)*sum(beta^k, k, 0, inf)", "= (1 - beta)*beta/(1 - beta)", "= beta"],
     2, "starts at k = 0"),
    ("ema-weights-sum", ["(1 - beta)*sum(beta^k, k, 0, inf)", "= (1 - beta)*(1 - beta^k)/(1 - beta)"],
     2, "unknown name"),
    ("ema-weights-sum", ["(1-beta)*sum(beta^k, k, 0, inf)", "= (1-beta)/(1+beta)"], 2, "1/(1 + ratio)"),
    ("adamw-vs-l2", ["u_L2 - u_W", "= 0"], 2, "plain SGD"),
    ("adamw-vs-l2", ["u_L2 - u_W", "= eta*lambda*theta*(sqrt(hat_v) + epsilon) - eta*lambda*theta"],
     2, "does not multiply"),
    ("noam-peak", ["d^(-0.5)*min(w^(-0.5), w*w^(-1.5))", "= d^(-0.5)*w^(-1.5)"], 2, "w^(-0.5), not"),
    ("noam-peak", ["d^(-0.5)*min(w^(-0.5), w*w^(-1.5))", "= d^(-0.5)*min(w^(-0.5), w^(-0.5))",
                   "= sqrt(d*w)"], 3, "not equal"),
    ("lamb-trust-ratio", ["sqrt((eta*r*u1)^2 + (eta*r*u2)^2)", "= eta*r*sqrt(u1^2 + u2^2)",
                          "= eta*norm_u"], 3, "weights' norm"),
    ("lamb-trust-ratio", ["sqrt((eta*r*u1)^2 + (eta*r*u2)^2)", "= eta*r^2*sqrt(u1^2 + u2^2)"],
     2, "square root once"),
    ("momentum-unroll-m3", ["m_3", "= beta1*m_2 + (1 - beta1)*g_3",
                            "= (1 - beta1)*(g_1 + beta1*g_2 + beta1^2*g_3)"], 3, "other way"),
    ("momentum-unroll-m3", ["m_3", "= beta1*(beta1*m_1 + (1 - beta1)*g_2) + (1 - beta1)*g_3",
                            "= beta1^2*g_1 + beta1*g_2 + g_3"], 3, "(1 - beta1)"),
    ("momentum-unroll-m3", ["m_3", "= beta1*m_{3-1} + (1 - beta1)*g_3",
                            "= (1 - beta1)*(beta1^3*g_1 + beta1^2*g_2 + beta1*g_3)"], 3, "One power of beta1"),
    ("momentum-closed-form", ["beta1*m_{t-1} + (1 - beta1)*g_t",
                              "= beta1*(1 - beta1)*sum(beta1^(t-i)*g_i, i, 1, t-1) + (1 - beta1)*g_t"],
     2, "the exponent too"),
    ("momentum-closed-form", ["beta1*m_{t-1} + (1 - beta1)*g_t",
                              "= (1 - beta1)*sum(beta1^(t-i)*g_i, i, 1, t-1) + (1 - beta1)*g_t",
                              "= (1 - beta1)*sum(beta1^(t-i)*g_i, i, 1, t-1)"], 3, "g_t was dropped"),
    ("momentum-closed-form", ["beta1*m_{t-1} + (1 - beta1)*g_t",
                              "= (1 - beta1)*sum(beta1^(t-i)*g_i, i, 1, t-1) + g_t"], 2, "keeps its factor"),
    ("warmup-midpoint", ["(1/T)*sum(eta_max*s/T, s, 0, T - 1)", "= eta_max/T^2*sum(s, s, 0, T - 1)",
                         "= eta_max/T^2 * T^2/2", "= eta_max/2"], 3, "T(T-1)/2"),
    ("warmup-midpoint", ["(1/T)*sum(eta_max*s/T, s, 0, T - 1)", "= eta_max/T*sum(s, s, 0, T - 1)"],
     2, "not equal"),
    ("warmup-midpoint", ["(1/T)*sum(eta_max*s/T, s, 0, T - 1)", "= eta_max/T^2 * T*(T + 1)/2"],
     2, "LambdaLR starts at s = 0"),
]

RIGHT_CHAINS = [
    # Unicode names, steps skipped, several expressions on one line.
    (FIRST, ["𝔼[m̂ₜ] = 𝔼[mₜ]/(1 − β₁^t)", "= g"]),
    (FIRST, ["E[hat_m_t]", "= g"]),
    # Other grouping and another index, with comments and blank lines.
    (FIRST, ["# expectation of the corrected moment", "E[hat_m_t]", "",
             "= (1-beta1)/(1-beta1^t) * sum(beta1^(t-i) * E[g_i], i, 1, t)",
             "= g*(1-beta1)*sum(beta1^k, k, 0, t-1)/(1-beta1^t)   # k = t - i",
             "= g"]),
    # A true but unusual intermediate line.
    (FIRST, ["E[hat_m_t]", "= g*(1 - beta1^t)/(1 - beta1^t) + 0*beta1", "= g"]),
    ("bias-correction-second-moment", ["E[v̂ₜ]", "= q * (1-β₂) * sum(β₂^(t-i), i, 1, t) / (1-β₂^t)", "= q"]),
    ("ema-weights-sum", ["(1 - beta)*sum(beta^k, k, 0, inf) = (1 - beta)*1/(1 - beta) = 1"]),
    ("ema-weights-sum", ["(1-β)*sum(β^k, k, 0, ∞)", "= (1-β)/(1-β)", "= 1"]),
    ("adamw-vs-l2", ["u_L2 - u_W", "= eta*lambda*theta*(1 - sqrt(hat_v) - epsilon)/(sqrt(hat_v) + epsilon)",
                     "= η*λ*θ*(1/(sqrt(hat_v) + ε) - 1)"]),
    ("noam-peak", ["d^(-1/2)*min(w^(-1/2), w*w^(-3/2))", "= (d*w)^(-1/2)", "= 1/sqrt(d*w)"]),
    ("lamb-trust-ratio", ["sqrt((eta*r*u1)^2 + (eta*r*u2)^2)", "= eta*norm_theta"]),
    ("momentum-unroll-m3", ["m₃ = β₁·m₂ + (1−β₁)·g₃", "= β₁·(β₁·(1−β₁)·g₁ + (1−β₁)·g₂) + (1−β₁)·g₃",
                            "= (1-β₁)·(β₁²·g₁ + β₁·g₂ + g₃)"]),
    # The recursion applied by the learner at any index, as m_{3-1}, m_(2) or mₜ written out.
    ("momentum-unroll-m3", ["m_3", "= beta1*m_{3-1} + (1 - beta1)*g_{3}",
                            "= beta1*(beta1*m_(1) + (1 - beta1)*g_2) + (1 - beta1)*g_3",
                            "= (1 - beta1)*(beta1^2*g_1 + beta1*g_2 + g_3)"]),
    # The sum split the other way round, and the index renamed.
    ("momentum-closed-form", ["beta1*m_{t-1} + (1 - beta1)*g_t",
                              "= (1 - beta1)*sum(beta1^(t-k)*g_k, k, 1, t-1) + (1 - beta1)*beta1^0*g_t",
                              "= (1 - beta1)*sum(beta1^(t-k)*g_k, k, 1, t)", "= m_t"]),
    ("warmup-midpoint", ["(1/T)*sum(eta_max*k/T, k, 0, T - 1)", "= eta_max*(T^2 - T)/(2*T^2)",
                         "= eta_max*(T - 1)/(2*T)"]),
]


def test_every_model_solution_passes(derivations, pool):
    assert len(derivations) >= 9
    for item in derivations.values():
        result = pool.check(item, "\n".join(item.solution))
        assert result["status"] == "pass", (item.id, result)
        assert result["goal_reached"] is True
        assert all(step["status"] == "ok" for step in result["steps"])
        assert all(step["pretty"] for step in result["steps"])


def test_every_derivation_has_two_wrong_chains_here(derivations):
    covered = {}
    for item_id, *_ in WRONG_CHAINS:
        covered[item_id] = covered.get(item_id, 0) + 1
    assert {i: covered.get(i, 0) for i in derivations} == {i: max(2, covered.get(i, 0)) for i in derivations}


@pytest.mark.parametrize(("item_id", "lines", "wrong_line", "words"), WRONG_CHAINS,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(WRONG_CHAINS)])
def test_wrong_chains_fail_at_the_right_line_with_a_counterexample(derivations, pool, item_id, lines,
                                                                   wrong_line, words):
    result = pool.check(derivations[item_id], "\n".join(lines))
    bad = [step for step in result["steps"] if step["status"] != "ok"]
    if words == "unknown name":
        assert result["status"] == "error"
        assert bad[0]["line"] == wrong_line and bad[0]["status"] == "unparsed"
        assert "unknown name 'k'" in bad[0]["message"]
        return
    assert result["status"] == "fail", result
    assert bad[0]["line"] == wrong_line
    assert bad[0]["status"] == "wrong"
    assert words in bad[0]["message"]
    example = bad[0]["counterexample"]
    assert example["previous"] != example["this"]
    assert "at" in example


@pytest.mark.parametrize(("item_id", "lines"), RIGHT_CHAINS,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(RIGHT_CHAINS)])
def test_right_chains_written_differently_hold(derivations, pool, item_id, lines):
    """Every line holds and the goal is reached; a chain that skips a key step is incomplete."""
    result = pool.check(derivations[item_id], "\n".join(lines))
    assert result["status"] in ("pass", "incomplete"), result
    assert result["goal_reached"] and all(step["status"] == "ok" for step in result["steps"])
    assert ("missing_steps" in result) == (result["status"] == "incomplete")


@pytest.mark.parametrize("item_id", ["bias-correction-first-moment", "adamw-vs-l2", "warmup-midpoint",
                                     "momentum-closed-form"])
def test_a_chain_from_start_to_goal_with_no_work_is_incomplete(derivations, pool, item_id):
    item = derivations[item_id]
    result = pool.check(item, f"{item.start}\n= {item.goal}")
    assert result["status"] == "incomplete" and result["goal_reached"]
    assert result["missing_steps"] == [step.name for step in item.key_steps]
    assert "skips" in result["message"]


def test_the_first_moment_rewritten_with_its_key_steps_passes(derivations, pool):
    lines = ["E[hat_m_t]", "= (1-beta1)/(1-beta1^t) * sum(E[g_k]*beta1^(t-k), k, 1, t)",
             "= (1-beta1)/(1-beta1^t) * sum(g*beta1^(t-k), k, 1, t)",
             "= g*(1-beta1)/(1-beta1^t) * (1-beta1^t)/(1-beta1)", "= g"]
    assert pool.check(derivations[FIRST], "\n".join(lines))["status"] == "pass"


def test_key_steps_written_where_they_cancel_out_do_not_count(derivations, pool):
    sum_with_e = "sum(beta1^(t-i)*E[g_i], i, 1, t)"
    lines = ["E[hat_m_t]", f"= g + {sum_with_e} - {sum_with_e}", f"= g + 0*{sum_with_e}", "= g"]
    result = pool.check(derivations[FIRST], "\n".join(lines))
    assert result["status"] == "incomplete" and "E moved inside the sum" in result["missing_steps"]


def test_line_numbers_are_lines_of_the_input_and_pretty_shows_the_reading(derivations, pool):
    result = pool.check(derivations[FIRST], "# start\n\nE[hat_m_t]\n\n= g\n")
    assert [step["line"] for step in result["steps"]] == [3, 5]
    assert "β₁" in pool.check(derivations[FIRST], "E[m_t]/(1-beta1^t)")["steps"][0]["pretty"]


def test_the_first_line_must_be_the_start(derivations, pool):
    result = pool.check(derivations[FIRST], "E[m_t]\n= g*(1 - beta1^t)")
    assert result["status"] == "fail"
    first = result["steps"][0]
    assert first["status"] == "wrong" and "must start from E[hat_m_t]" in first["message"]
    assert first["counterexample"] is not None


def test_a_true_chain_that_stops_short_of_the_goal_fails(derivations, pool):
    result = pool.check(derivations[FIRST], "E[hat_m_t]\n= E[m_t]/(1 - beta1^t)")
    assert result["status"] == "fail" and result["goal_reached"] is False
    assert "not the goal g" in result["message"]


def test_empty_input_and_an_unparsed_line(derivations, pool):
    assert pool.check(derivations[FIRST], "")["status"] == "fail"
    result = pool.check(derivations[FIRST], "E[hat_m_t]\n= g +\n= g")
    assert result["status"] == "error"
    assert result["steps"][1]["status"] == "unparsed"
    assert result["steps"][1]["message"].startswith("col 6: expected a number")


def test_random_quantities_without_expectation_are_not_equal_to_their_mean(derivations, pool):
    result = pool.check(derivations[FIRST], "E[hat_m_t]\n= hat_m_t")
    assert result["steps"][1]["status"] == "wrong"
    assert any(name.startswith("g_") for name in result["steps"][1]["counterexample"]["at"])


def test_the_closed_form_steps_are_proved_not_sampled(derivations, pool):
    """Sums over t-1 and t terms are brought to one range exactly: every step is 'equal'
    (a proof), not 'checked exactly at random points'."""
    item = derivations["momentum-closed-form"]
    result = pool.check(item, "\n".join(item.solution))
    assert [step["message"] for step in result["steps"][1:]] == ["equal"] * (len(item.solution) - 1)


def test_cold_check_through_the_public_function_matches_the_pool(derivations, pool):
    item = derivations[FIRST]
    text = "\n".join(WRONG_CHAINS[0][1])
    cold = check_derivation(item, text)
    warm = pool.check(item, text)
    assert cold["derivation"] == FIRST and cold["duration_s"] >= 0
    assert [s["status"] for s in cold["steps"]] == [s["status"] for s in warm["steps"]]
    assert cold["steps"][3]["counterexample"] == warm["steps"][3]["counterexample"]


def _check_here(start: str, lines: list[str]) -> list[tuple[str, str]]:
    from tutor.derive.checker import Checker

    spec = {"id": "here", "symbols": {"a": {}, "b": {}}, "start": start, "goal": lines[-1]}
    result = Checker(spec).check(lines, lambda step: None)
    return [(step["status"], step["message"]) for step in result["steps"]]


def test_an_identity_of_max_and_abs_is_proved_case_by_case():
    steps = _check_here("max(a, b)", ["max(a, b)", "= (a + b + abs(a - b))/2"])
    assert steps[1] == ("ok", "equal")  # proved case by case (min, max and abs are piecewise)


def test_a_line_with_no_real_value_anywhere_is_undecided():
    steps = _check_here("sqrt(-1 - a^2)", ["sqrt(-1 - a^2)", "= sqrt(-2 - a^2)"])
    assert steps[1][0] == "undecided"


def test_content_validation_refuses_a_model_solution_that_skips_a_key_step(derivations):
    import dataclasses

    from tutor.content.models import KeyStep
    from tutor.derive import validate_derivation

    item = dataclasses.replace(derivations[FIRST], key_steps=(KeyStep("a form no line has", "beta1^(t+5)"),))
    problems = validate_derivation(item)
    assert problems and problems[0][0] == "solution" and "skips: a form no line has" in problems[0][1]
    broken = dataclasses.replace(derivations[FIRST], key_steps=(KeyStep("unparsable", "g +"),))
    assert validate_derivation(broken)[0][0] == "key_steps.0.form"


def test_a_sum_is_shown_whatever_stdout_sympy_was_imported_under():
    """SymPy picks its symbol tables at import from what sys.stdout can encode: imported under
    a redirect to a StringIO (as the CLI tests do), a sum's pretty form raised KeyError 'sum' in
    every checker forked afterwards, and validating a deck with a sum failed."""
    import sympy as sp
    from sympy.printing.pretty.pretty_symbology import pretty_use_unicode

    from tutor.derive.checker import pretty_chain

    i, n = sp.symbols("i n")
    was = pretty_use_unicode(False)  # what an import with stdout redirected to a StringIO leaves
    try:
        shown = pretty_chain([sp.Sum(i, (i, 1, n)), n * (n + 1) / 2])
        assert pretty_use_unicode() is False
    finally:
        pretty_use_unicode(was)
    assert "╲" in shown and " = " in shown


@pytest.mark.parametrize(("lines", "compared"), [
    (["E[hat_m_t]", "= E[m_t]"], ["line 1", "line 2"]),
    (["E[m_t]"], ["the start", "line 1"]),
    # on a line `a = b` b is compared with a: the counterexample said 'line 1 ..., line 2 ...'
    (["E[hat_m_t]", "= E[m_t] / (1 - beta1^t) = E[m_t]"],
     ["line 2's first expression", "line 2's second expression"]),
    (["E[hat_m_t] = E[m_t] / (1 - beta1^t)", "= E[m_t]"], ["line 1's second expression", "line 2"]),
])
def test_a_counterexample_names_the_two_expressions_it_compared(derivations, pool, lines, compared):
    result = pool.check(derivations[FIRST], "\n".join(lines))
    wrong = next(step for step in result["steps"] if step["status"] == "wrong")
    assert wrong["counterexample"]["compared"] == compared
