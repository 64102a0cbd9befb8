"""The worker: the warm pool, per-line streaming, time-outs that kill only a child, validation."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

from tutor.derive import CheckerProcess, check_derivation, validate_derivation
from tutor.derive.worker import longest_check_s

FIRST = "bias-correction-first-moment"
RUNAWAY = "= sum(i^i^i, i, 1, 10^12)"


def test_check_lines_returns_steps_and_streams_them(derivations, pool):
    seen = []
    steps = pool.check_lines(derivations[FIRST], ["E[hat_m_t]", "= E[m_t]/(1 - beta1^t)", "= 2*g"],
                             on_step=seen.append)
    assert [s["status"] for s in steps] == ["ok", "ok", "wrong"]
    assert seen == steps


def test_later_checks_are_served_by_the_same_warm_server(derivations, pool):
    """Speed comes from forking a server that imported SymPy once; no check may start a new one."""
    item = derivations[FIRST]
    pool.check_lines(item, ["E[hat_m_t]", "= E[m_t]/(1 - beta1^t)"])
    server = pool._process.pid
    for _ in range(3):
        steps = pool.check_lines(item, ["E[hat_m_t]", "= E[m_t]/(1 - beta1^t)"])
        assert [s["status"] for s in steps] == ["ok", "ok"]
    assert pool._process.pid == server


def test_a_runaway_line_times_out_and_the_pool_recovers(derivations):
    item = derivations[FIRST]
    with CheckerProcess(timeout_s=1.0) as pool:
        pool.check(item, "E[hat_m_t]")  # the server is up and warm
        started = time.monotonic()
        result = pool.check(item, f"E[hat_m_t]\n{RUNAWAY}\n= g")
        assert time.monotonic() - started < longest_check_s(1.0)  # the wall clock's bound, whatever the load
        assert result["status"] == "error"
        assert [s["status"] for s in result["steps"]] == ["ok", "timeout", "undecided"]
        assert "more than 1 s" in result["steps"][1]["message"]
        server = pool._process.pid
        assert pool.check(item, "E[hat_m_t]\n= g")["status"] == "incomplete"  # answered: true, but no work
        assert pool._process.pid == server, "the server stayed up: only the runaway child was killed"


def test_the_pool_restarts_a_dead_server(derivations):
    item = derivations[FIRST]
    with CheckerProcess() as pool:
        assert pool.check(item, "E[hat_m_t]\n= g")["status"] == "incomplete"  # answered: true, but no work
        pool._process.kill()
        pool._process.wait()
        assert pool.check(item, "E[hat_m_t]\n= g")["status"] == "incomplete"  # answered: true, but no work


def test_cold_check_with_a_runaway_line_is_bounded(derivations):
    started = time.monotonic()
    result = check_derivation(derivations[FIRST], f"E[hat_m_t]\n{RUNAWAY}", timeout_s=1.0)
    assert time.monotonic() - started < longest_check_s(1.0)  # the wall clock's bound, whatever the load
    assert result["steps"][1]["status"] == "timeout"


ON_A_LOADED_MACHINE = """
import json, sys, tempfile, time
from pathlib import Path

import tutor.derive.checker as checker
from tests.derive.conftest import load_derivations
from tutor.derive import check_derivation

TIMEOUT_S, PREPARING_S, WAIT_S = 0.5, float(sys.argv[1]), float(sys.argv[2])
parse_line, prepare = checker.parse_line, checker.Checker.__init__


def waiting_for_a_processor(function, wait_s):
    def slowed(*args, **kwargs):
        time.sleep(wait_s)  # runnable, but other processes have the processors
        return function(*args, **kwargs)
    return slowed


checker.Checker.__init__ = waiting_for_a_processor(prepare, PREPARING_S)
checker.parse_line = waiting_for_a_processor(parse_line, WAIT_S)
item = load_derivations(Path(tempfile.mkdtemp()))["bias-correction-first-moment"]
result = check_derivation(item, "E[hat_m_t]\\n= sum(i^i^i, i, 1, 10^12)", timeout_s=TIMEOUT_S)
print(json.dumps([[step["status"], step["message"]] for step in result["steps"]]))
"""


def test_a_runaway_line_times_out_on_a_loaded_machine():
    """The forked child (this runs in a single-threaded interpreter of its own, so the check
    forks) waits for a processor before its preparation and before each line, longer than their
    limits: neither the preparation nor the start line may take the blame, the runaway line must
    (it was `undecided` once at load 10, the line before it marked `timeout`)."""
    preparing_s, wait_s = 3.5, 0.75  # beyond the 3 s a preparation may take, and the 0.5 s of a line
    run = subprocess.run([sys.executable, "-c", ON_A_LOADED_MACHINE, str(preparing_s), str(wait_s)],
                         capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr
    (start, _), (runaway, why) = json.loads(run.stdout)
    assert (start, runaway) == ("ok", "timeout"), why
    assert "checking this line took more than 0.5 s" in why


def test_check_derivation_never_raises_on_bytes(derivations):
    result = check_derivation(derivations[FIRST], b"E[hat_m_t]\n\xff\xfe\x00")
    assert result["status"] == "error"
    assert result["steps"][1]["status"] == "unparsed"


def test_shipped_derivations_validate_clean(derivations, pool):
    for item in derivations.values():
        assert validate_derivation(item) == [], item.id
    assert pool.validate(derivations[FIRST]) == []


def test_validation_reports_each_problem_at_its_key_path(derivations):
    item = dataclasses.replace(
        derivations[FIRST],
        symbols={**derivations[FIRST].symbols, "beta1": {"interval": [0, 1], "prime": True}},
        definitions={"m_t": "(1 - beta1) * sum(beta1^(t-i) * g_i, i, 1, t)", "hat_m_t": "m_t / (1 - b^t)"},
        start="E[hat_m_t",
    )
    problems = dict(validate_derivation(item))
    assert "unknown assumption 'prime'" in problems["symbols.beta1"]
    assert "unknown name 'b'" in problems["definitions.hat_m_t"]
    assert "']' to close E[" in problems["start"]


def test_validation_rejects_a_model_solution_the_checker_fails(derivations):
    item = derivations[FIRST]
    broken = dataclasses.replace(item, solution=(*item.solution[:-1], "= 2*g"))
    problems = validate_derivation(broken)
    assert problems and problems[0][0] == "solution"
    assert "line 6 is wrong" in problems[0][1]


def test_importing_the_package_does_not_import_sympy():
    code = "import sys, tutor.derive; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_validation_flags_a_mistake_that_can_never_match(derivations):
    from tutor.content.models import DerivationMistake

    item = derivations[FIRST]
    never = dataclasses.replace(item, mistakes=(DerivationMistake("g", "this is the right answer"),))
    assert validate_derivation(never) == [("mistakes.0.line",
                                           "equals the start, so no wrong line can ever match it")]


def test_malformed_assumptions_are_reported_not_raised(derivations):
    item = dataclasses.replace(derivations[FIRST], symbols={**derivations[FIRST].symbols, "g": ["positive"]})
    problems = dict(validate_derivation(item))
    assert "must be a mapping" in problems["symbols.g"]
    assert check_derivation(item, "E[hat_m_t]\n= g")["status"] in ("fail", "error")


COLD_SCRIPT = """
import json, sys
from tutor.content.models import Derivation, Origin
from tutor.derive import check_derivation
item = Derivation(id="x", deck="d", title="x", tags=(), notes=None, origin=Origin("x", 1),
                  symbols={"a": {}, "b": {}}, start="max(a, b)", goal="(a + b + abs(a - b))/2")
result = check_derivation(item, "max(a, b)\\n= (a + b + abs(a - b))/2", timeout_s=60)
print(json.dumps([result["status"], [s["message"] for s in result["steps"]], result["steps"][1]["pretty"],
                  "sympy.physics.units" in sys.modules]))
"""


def test_a_cold_child_can_simplify_and_pretty_print():
    """A fresh CLI-like process: its child skips SymPy's units import, yet simplifies and prints.
    The check may take its time: a cold child's first simplification took more than the 5 s a
    learner's line gets on a loaded machine, and timed out."""
    out = subprocess.run([sys.executable, "-c", COLD_SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout, out.stderr
    status, messages, pretty, units_in_parent = json.loads(out.stdout)
    assert status == "pass"
    assert messages[1] == "equal"
    assert "─" in pretty
    assert units_in_parent is False


def test_close_does_not_wait_for_a_running_check(derivations):
    import threading

    pool = CheckerProcess(timeout_s=5.0)
    pool.check(derivations[FIRST], "E[hat_m_t]")
    results = []
    worker = threading.Thread(target=lambda: results.append(pool.check(derivations[FIRST], f"E[hat_m_t]\n{RUNAWAY}")))
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    pool.close()
    worker.join(5)
    assert time.monotonic() - started < 2
    assert results and results[0]["status"] == "error"
