"""A correct drill is never graded "error" because another thread was parsing Python at the
same time (CPython 3.11, gh-106905: the counter bounding a syntax tree's construction is per
interpreter, so two threads building trees at once corrupt it). The app checks drills in
threads, so every in-process parse of learner or deck Python is serialised
(`tutor.drills.source.parse_python`).

The race needs a thread switch in the middle of building a tree; the tests force it with a
tiny switch interval and objects whose finalizers run Python code during the collections the
tree's allocations trigger. Without the lock this fails every run here (dozens of
"recursion depth mismatch" errors in 1,200 parses).
"""

from __future__ import annotations

import gc
import re
import sys
import threading

import pytest

from tests.conftest import REPO
from tutor.drills.source import NO_DEFAULT, parameters, static_error

NESTED = "def adam_step(x, lr=0.1):\n    return " + "[" * 30 + "x" + "]" * 30 + "\n"


class _Finalized:
    def __del__(self):
        for _ in range(20):
            pass


@pytest.fixture
def switching_threads():
    """Runs `work` in four threads with thread switches and collections as frequent as they go."""
    threshold, interval = gc.get_threshold(), sys.getswitchinterval()
    gc.set_threshold(10, 2, 2)
    sys.setswitchinterval(1e-6)

    def run(work, times: int = 300) -> list[str]:
        failures: list[str] = []

        def loop():
            for _ in range(times):
                garbage = [_Finalized() for _ in range(3)]
                garbage[0].cycle = garbage
                del garbage
                try:
                    problem = work()
                except Exception as exc:  # any exception is the failure observed
                    problem = repr(exc)
                if problem:
                    failures.append(problem)

        threads = [threading.Thread(target=loop) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return failures

    try:
        yield run
    finally:
        gc.set_threshold(*threshold)
        sys.setswitchinterval(interval)


def test_a_learners_file_parsed_in_many_threads_at_once_is_never_an_error(switching_threads):
    failures = switching_threads(lambda: static_error(NESTED, "adam_step")[0])
    assert failures == []


def test_a_decks_reference_read_in_many_threads_at_once_keeps_its_parameters(switching_threads):
    expected = [("x", NO_DEFAULT), ("lr", 0.1)]

    def read():
        found = parameters(NESTED, "adam_step")
        return None if found == expected else repr(found)

    assert switching_threads(read) == []


def test_no_module_parses_python_text_but_through_the_lock():
    """The sandbox's harness runs alone in its child; everything else shares this process."""
    direct = re.compile(r"\bast\.parse\(|\bcompile\([^)]*ast\.PyCF_ONLY_AST")
    allowed = {REPO / "tutor" / "drills" / "source.py", REPO / "tutor" / "drills" / "harness.py"}
    offenders = [str(path.relative_to(REPO)) for path in sorted((REPO / "tutor").rglob("*.py"))
                 if path not in allowed and direct.search(path.read_text())]
    assert offenders == []
