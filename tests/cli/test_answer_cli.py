"""`tutor answer ID TEXT`: exit 0 right, 1 wrong, 2 bad input; --json is one document."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import subprocess_env


def test_a_formula_written_differently_is_right(cli):
    result = cli("answer", "adam-bias-corrected-first-moment", "m/(1-beta1**t)")
    assert result.code == 0 and result.out.startswith("RIGHT")


def test_a_wrong_formula_shows_values_that_tell_them_apart(cli):
    result = cli("answer", "adam-bias-corrected-first-moment", "m_t/(1-beta2^t)", "--json")
    assert result.code == 1
    document = result.json()
    assert set(document) == {"item", "correct", "expected", "kind", "message", "counterexample"}
    assert document["correct"] is False and document["kind"] == "formula"
    example = document["counterexample"]
    assert {"beta1", "beta2", "t"} <= set(example["at"]) and example["given"] != example["expected"]


def test_a_number_in_any_spelling(cli):
    assert cli("answer", "hp-default-lr", "1 × 10⁻³").code == 0
    wrong = cli("answer", "hp-default-lr", "0.01", "--json")
    assert wrong.code == 1 and wrong.json()["diff"] == "0.0[+0]1" and wrong.json()["expected"] == "0.001"


def test_a_text_miss_prints_the_diff(cli):
    result = cli("answer", "adam-name", "Adaptive Gradient Estimation")
    assert result.code == 1 and "Adaptive [-Gradi][+Mom]ent Estimation" in result.out


def test_bad_input_is_one_line_and_exit_two(cli):
    for args in (("nope", "1"), ("adam-update-rule", "1")):
        result = cli("answer", *args)
        assert result.code == 2 and len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_text_and_number_answers_never_import_sympy(tmp_path):
    code = ("import sys; from tutor.cli import main; main(['answer', 'hp-default-lr', '1e-3']); "
            "main(['answer', 'adam-name', 'adaptive moment estimation']); "
            "sys.stderr.write(str(sorted(m for m in ('sympy', 'numpy', 'textual') if m in sys.modules)))")
    env = subprocess_env(TUTOR_HOME=str(tmp_path))  # the checks are stored there
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stderr.strip() == "[]", done.stderr
