"""Hostile maths: injection, dunder walks, power towers, huge sums, deep nesting, megabyte lines, binary.

Each must come back as `error` (or a `timeout` step) with a clear message within the wall-clock
bound the worker keeps whatever the load (`longest_check_s`), the warm pool must answer the next
check, and no payload may ever run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.derive.conftest import load_derivations
from tutor.derive import CheckerProcess, check_derivation, validate_derivation
from tutor.derive.worker import longest_check_s

FIRST = "bias-correction-first-moment"
LINE_LIMIT_S = 1.0
LIMIT_S = longest_check_s(LINE_LIMIT_S)  # a line's limit is the child's work: on a loaded machine it takes longer

HOSTILE = {
    "eval injection": "__import__('os').system('echo pwned')",
    "dunder walk": "().__class__.__mro__[1].__subclasses__()",
    "attribute on a name": "g.__class__",
    "lambda": "lambda x: x",
    "power tower": "9^9^9^9",
    "power tower with **": "10**10**10",
    "huge literal": "1" * 5000,
    "huge exponent literal": "1e999999",
    "nested parentheses": "(" * 20_000 + "g" + ")" * 20_000,
    "600 KB line": "g+" * 300_000 + "g",
    "binary bytes": "\x00\x01\x02\xff\xfe\x7f\x1b[31m",
    "unknown function": "system(g)",
    "exp tower": "exp(exp(exp(exp(10))))",
    "string literal": "'g'",
    "statement": "import os",
    "semicolon": "g; g",
}


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    return load_derivations(tmp_path_factory.mktemp("hostile"))[FIRST]


@pytest.fixture(scope="module")
def pool():
    with CheckerProcess(timeout_s=LINE_LIMIT_S) as warm:
        yield warm


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_line_is_refused_quickly_with_a_clear_message(pool, first, text):
    started = time.monotonic()
    result = pool.check(first, f"E[hat_m_t]\n{text}\n= g")
    assert time.monotonic() - started < LIMIT_S
    assert result["status"] == "error"
    bad = result["steps"][1]
    assert bad["status"] in ("unparsed", "timeout")
    assert bad["message"] and "Traceback" not in bad["message"] and len(bad["message"]) < 300
    if bad["status"] == "unparsed":
        assert bad["message"].startswith("col ")
    # The same warm server answers the next check: only the child that took the line was lost.
    server = pool._process.pid
    assert pool.check(first, "E[hat_m_t]\n= g")["status"] == "incomplete"  # answered: true, but no work
    assert pool._process.pid == server


def test_a_sum_to_ten_to_the_twelve_times_out_within_the_limit_and_the_pool_recovers(pool, first):
    started = time.monotonic()
    result = pool.check(first, "E[hat_m_t]\n= sum(i^i^i, i, 1, 10^12)")
    assert time.monotonic() - started < LIMIT_S
    assert result["status"] == "error"
    assert result["steps"][1]["status"] == "timeout"
    assert "simplify it or split it" in result["steps"][1]["message"]
    assert pool.check(first, "E[hat_m_t]\n= g")["status"] == "incomplete"  # answered: true, but no work


def test_a_thousand_lines_of_garbage_are_bounded(pool, first):
    started = time.monotonic()
    result = pool.check(first, "\n".join(["g^" * 60 + "g"] * 1000))
    assert time.monotonic() - started < LIMIT_S
    assert result["status"] == "error"


def _payloads(target: Path) -> list[str]:
    create = f"open({str(target)!r}, 'w').write('ran')"
    return [
        create,
        f"__import__('builtins').exec({create!r})",
        f"eval({create!r})",
        f"E[{create}]",
        f"sum({create}, i, 1, 2)",
    ]


def test_the_injection_vector_is_real_in_sympy_itself(tmp_path):
    """Guard for the next test: the same payload does run through parse_expr."""
    target = tmp_path / "ran-by-sympy"
    code = f"from sympy.parsing.sympy_parser import parse_expr; parse_expr({_payloads(target)[0]!r})"
    subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert target.exists()


def test_injection_payloads_never_run(pool, first, tmp_path):
    target = tmp_path / "ran"
    for payload in _payloads(target):
        for text in (payload, f"E[hat_m_t]\n= {payload}"):
            assert pool.check(first, text)["status"] == "error"
            assert check_derivation(first, text)["status"] == "error"
    # Author content is untrusted too: payloads in definitions, facts, start and solution.
    import dataclasses

    payload = _payloads(target)[0]
    poisoned = dataclasses.replace(
        first, definitions={"m_t": payload, "hat_m_t": "m_t"}, facts={payload: "g"},
        start=payload, solution=(payload,),
    )
    assert validate_derivation(poisoned)
    assert not target.exists()


def test_many_slow_lines_share_one_overall_budget():
    """Lines that each finish just inside the per-line limit cannot add up without bound."""
    from tutor.derive import worker

    class SlowChild:
        """Stands in for a child that decides one line every 0.3 s."""

        def __init__(self):
            self.line = 0

        def next(self, timeout_s):
            if timeout_s < 0.3:
                time.sleep(max(timeout_s, 0))
                return None
            time.sleep(0.3)
            self.line += 1
            return {"kind": "step", "payload": {"line": self.line, "status": "ok"}}

    job = {"kind": "check", "spec": {"goal": "g"}, "lines": ["g"] * 100}
    started = time.monotonic()
    result = worker._collect(job, SlowChild(), worker._Work(None), 0.5, None)
    assert time.monotonic() - started < 0.5 * worker.TOTAL_BUDGET_LINES + 0.5
    timeouts = [s for s in result["steps"] if s["status"] == "timeout"]
    assert len(timeouts) == 1 and "whole check" in timeouts[0]["message"]
    assert result["status"] == "error"


def test_lines_beyond_the_limit_are_reported_not_dropped(pool, first):
    result = pool.check(first, "\n".join(["E[hat_m_t]"] * 100_000))
    assert len(result["steps"]) == 201
    assert result["steps"][-1]["message"].startswith("too many lines (at most 200)")
    assert result["status"] == "error"


def test_a_megabyte_line_is_not_echoed_back_whole(pool, first):
    result = pool.check(first, "E[hat_m_t]\n" + "g" * 1_000_000)
    assert len(result["steps"][1]["text"]) <= 501


def _children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_checker_child_dies_with_its_server(first):
    """If the server is killed mid-check, its runaway child must not live on as an orphan."""
    import threading

    pool = CheckerProcess(timeout_s=5.0)
    pool.check(first, "E[hat_m_t]")
    server = pool._process.pid
    thread = threading.Thread(target=pool.check, args=(first, "E[hat_m_t]\n= sum(i^i^i, i, 1, 10^12)"))
    thread.start()
    deadline = time.monotonic() + 3
    while not (children := _children_of(server)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert children, "the server forked a child for the check"
    pool._process.kill()
    thread.join(5)
    time.sleep(0.5)
    assert not any(_alive(child) for child in children)
    pool.close()
