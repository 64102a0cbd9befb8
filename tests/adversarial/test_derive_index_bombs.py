"""Hostile indices, definitions and functions: index bombs, deep and exploding recursions,
definitions that use themselves or each other, functions that call each other or expand
without end.

A learner's line comes back as one `unparsed` or `timeout` line with a one-line message; an
author's derivation as one validation message per problem; each for a few seconds of CPU,
and the warm checker answers the next check.

What a bomb costs is measured in CPU time, which a loaded machine does not stretch; where
the message is under test, the wall-clock limit per line is set far above that cost, so
that a slow machine cannot turn the refusal into a time-out.
"""

from __future__ import annotations

import contextlib
import os
import resource

import pytest

from tutor.content.models import Derivation, Origin
from tutor.derive import CheckerProcess, validate_derivation

CPU_LIMIT_S = 4.0
NEVER_S = 60.0  # a per-line wall limit no refusal comes near, even on a loaded machine
SYMBOLS = {"beta1": {"interval": [0, 1]}, "t": {"integer": True, "positive": True},
           "i": {"integer": True}, "g_i": {"random": True}}
RECURSION = {"m_t": "beta1*m_{t-1} + (1 - beta1)*g_t", "m_0": "0"}


def derivation(definitions=RECURSION, start="m_3", goal="(1 - beta1)*(beta1^2*g_1 + beta1*g_2 + g_3)",
               solution=("m_3", "= (1 - beta1)*(beta1^2*g_1 + beta1*g_2 + g_3)"), functions=None) -> Derivation:
    return Derivation(id="bomb", deck="d", title="bomb", tags=(), notes=None, origin=Origin("d.yaml", 1),
                      symbols=SYMBOLS, definitions=definitions, start=start, goal=goal,
                      solution=tuple(solution), functions=functions or {})


@pytest.fixture(scope="module", autouse=True)
def warm_validation():
    """The first validation imports SymPy in this process: not part of what is timed."""
    assert validate_derivation(derivation()) == []


@pytest.fixture(scope="module")
def pool():
    with CheckerProcess() as warm:
        yield warm


def _server_cpu_s(pool: CheckerProcess) -> float:
    """CPU time of the checker server and of the children it has reaped (one per check)."""
    assert pool._process is not None
    with open(f"/proc/{pool._process.pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return sum(int(tick) for tick in fields[11:15]) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def cpu_spent(pool: CheckerProcess | None = None):
    """Yields a list that holds, on exit, the CPU seconds spent checking: by the warm
    server's children, or by this process's reaped children (validation forks or starts one)."""
    def now() -> float:
        if pool is not None:
            return _server_cpu_s(pool)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    spent: list[float] = []
    before = now()
    yield spent
    spent.append(now() - before)


LEARNER_BOMBS = {
    "index a power of ten": "m_{10^10}",
    "index a power tower": "g_{9^9^9}",
    "deep recursion at a symbolic index": "m_{t-1000000}",
    "deep recursion written as a name": "m_99999999999999999999",
    "index not a whole number": "m_{t/2}",
    "index a random member": "m_{g_1}",
}


@pytest.mark.parametrize("line", LEARNER_BOMBS.values(), ids=LEARNER_BOMBS.keys())
def test_an_index_bomb_is_one_unparsed_line(pool, line):
    pool.check(derivation(), "m_3")  # the server is up before its CPU time is read
    with cpu_spent(pool) as spent:
        result = pool.check(derivation(), f"m_3\n= {line}", timeout_s=NEVER_S)
    assert spent[0] < CPU_LIMIT_S
    bad = result["steps"][1]
    assert result["status"] == "error" and bad["status"] == "unparsed", result
    assert "\n" not in bad["message"]
    assert any(words in bad["message"] for words in ("index", "too large")), bad
    assert pool.check(derivation(), "m_3")["steps"][0]["status"] == "ok"


@pytest.mark.parametrize("index", ["60", "1000"])
def test_a_recursion_whose_values_explode_is_stopped(pool, index):
    """m_t = m_{t-1}^2 + 1 doubles its digits every step: written out it is refused by the
    checker's own limits (digits, or the per-line time limit), never a hang."""
    item = derivation({"m_t": "m_{t-1}^2 + 1", "m_0": "1"}, start="m_2", goal="5", solution=("m_2", "= 5"))
    pool.check(derivation(), "m_3")
    with cpu_spent(pool) as spent:
        result = pool.check(item, f"m_2\n= m_{{{index}}}", timeout_s=2.0)
    assert spent[0] < CPU_LIMIT_S
    assert result["steps"][1]["status"] in ("wrong", "undecided", "timeout"), result
    assert "\n" not in result["steps"][1]["message"]


AUTHOR_BOMBS = {
    "a name defined by itself": ({"x": "x + 1"}, "x is defined by itself"),
    "a family defined by its own member": ({"m_t": "m_t + g_t", "m_0": "0"}, "may only use earlier members"),
    "two names defined by each other": ({"a": "b + 1", "b": "a*2"}, "in a circle: a -> b -> a"),
    "two families defined by each other": ({"a_t": "b_{t-1} + g_t", "b_t": "a_t", "a_0": "0"},
                                           "in a circle"),
    "a recursion that looks forward": ({"m_t": "m_{t+1} + g_t", "m_0": "0"}, "may only use earlier members"),
    "a recursion without a first member": ({"m_t": "beta1*m_{t-1}"}, "without a first member"),
    "a first member at a huge index": ({"m_t": "beta1*m_{t-1}", "m_0": "0", "m_99999": "0"},
                                   "index 99999 too large"),
}


@pytest.mark.parametrize(("definitions", "words"), AUTHOR_BOMBS.values(), ids=AUTHOR_BOMBS.keys())
def test_a_hostile_definition_is_one_validation_message(definitions, words):
    with cpu_spent() as spent:
        problems = validate_derivation(derivation(definitions), timeout_s=NEVER_S)
    assert spent[0] < CPU_LIMIT_S
    messages = [message for path, message in problems if path.startswith("definitions.")]
    assert len(messages) == 1 and words in messages[0], problems
    assert "\n" not in messages[0]


DOUBLING = {"f0(a)": "a + g_1", **{f"f{k}(a)": f"f{k - 1}(a) * f{k - 1}(a)" for k in range(1, 40)}}
WIDE = {"w0(a)": "a", "w1(a)": "w0(a) + w0(a) + w0(a) + w0(a) + w0(a) + w0(a) + w0(a) + w0(a)",
        **{f"w{k}(a)": " + ".join([f"w{k - 1}(a)"] * 8) for k in range(2, 12)}}


@pytest.mark.parametrize(("functions", "line"), [(DOUBLING, "f39(beta1)"), (WIDE, "w11(m_3)")],
                         ids=["doubling", "wide"])
def test_a_function_that_expands_without_end_is_one_unparsed_line(pool, functions, line):
    pool.check(derivation(), "m_3")
    with cpu_spent(pool) as spent:
        result = pool.check(derivation(functions=functions), f"m_3\n= {line}", timeout_s=NEVER_S)
    assert spent[0] < CPU_LIMIT_S
    bad = result["steps"][1]
    assert bad["status"] == "unparsed" and "expand to more than" in bad["message"], result


FUNCTION_CIRCLES = {
    "a function calling itself": {"f(a)": "f(a - 1) + a"},
    "two functions calling each other": {"p(a)": "q(a) + 1", "q(a)": "p(a*2)"},
}


@pytest.mark.parametrize("functions", FUNCTION_CIRCLES.values(), ids=FUNCTION_CIRCLES.keys())
def test_functions_in_a_circle_are_one_validation_message(functions):
    with cpu_spent() as spent:
        problems = validate_derivation(derivation(functions=functions), timeout_s=NEVER_S)
    assert spent[0] < CPU_LIMIT_S
    messages = [message for path, message in problems if path.startswith("functions.")]
    assert len(messages) == 1 and "call each other in a circle" in messages[0], problems
