"""Coding drills: grade a learner's function in a sandboxed child against a numpy reference.

Public API (the CLI and the TUI call exactly these):

- `check_drill(drill, source, *, wall_s=10.0)` -> the result dict (`tutor.drills.results`).
- `validate_drill(drill)` -> [(key path, message)] for `tutor content validate`.
- `WarmRunner`: keeps a child ready (numpy imported) for an instant check in the TUI; each
  child serves one submission and is then replaced.
- `OneShotRunner`: starts its child at once, so that the child imports numpy while the caller
  (the CLI) loads its content, then checks one submission.

Nothing here imports numpy at module level, so `import tutor.drills` stays cheap for the CLI;
and once a drill's cases are cached on disk (`tutor.drills.cache`, written by the first check),
a correct answer is passed without importing numpy in this process at all
(`tutor.drills.check`): only the sandboxed child needs it. The sandbox's layers are described
in README.md here.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tutor.drills.results import error_result

if TYPE_CHECKING:
    from tutor.drills.sandbox import Child

__all__ = ["OneShotRunner", "WarmRunner", "check_drill", "validate_drill"]


def _check(drill, source: str, child, wall_s: float, started: float) -> dict:
    if not isinstance(source, str):
        return error_result(drill.id, "the submission must be text", started)
    try:
        from tutor.drills.check import check_with_child

        return check_with_child(drill, source, child, wall_s, started)
    except Exception as exc:  # a grader bug must not take the TUI down; say what it was
        child.close()
        from tutor.drills.cases import CasesError  # here: it imports numpy

        if isinstance(exc, (CasesError, LookupError)):
            return error_result(drill.id, f"the drill {drill.id} is misconfigured: {exc} "
                                          "(run `tutor content validate`)", started)
        return error_result(drill.id, f"the grader failed: {type(exc).__name__}: {exc}", started)


def check_drill(drill, source: str, *, wall_s: float = 10.0, run_id: str | None = None) -> dict:
    """Grade `source` (the learner's whole file) for `drill`; never raises for learner code.

    `run_id` tags the child's command line, so a caller (or a test) can look for strays.
    """
    from tutor.drills.sandbox import Child, SandboxUnavailable

    started = time.perf_counter()
    if not isinstance(source, str):
        return error_result(drill.id, "the submission must be text", started)
    try:
        child = Child(wall_s, run_id)  # started first: it imports numpy while we plan the cases
    except SandboxUnavailable as exc:
        return error_result(drill.id, str(exc), started)
    try:
        return _check(drill, source, child, wall_s, started)
    finally:
        child.close()


def validate_drill(drill) -> list[tuple[str, str]]:
    """Every issue with a drill's reference, cases, mistakes and limits, as (path, message)."""
    from tutor.drills.validate import validate

    return validate(drill)


class _Runner:
    """A confined child started ahead of a check; a child is never reused."""

    def __init__(self, wall_s: float = 10.0):
        self.wall_s = wall_s
        self._child: Child | None = None

    def start(self) -> None:
        """Start the next child if none is waiting (raises SandboxUnavailable if impossible)."""
        from tutor.drills.sandbox import Child

        if self._child is None:
            self._child = Child(self.wall_s)

    def check(self, drill, source: str) -> dict:
        """Grade `source` with the ready child (started now if none is)."""
        from tutor.drills.sandbox import SandboxUnavailable

        started = time.perf_counter()
        try:
            self.start()
        except SandboxUnavailable as exc:
            return error_result(drill.id, str(exc), started)
        child, self._child = self._child, None
        try:
            return _check(drill, source, child, self.wall_s, started)
        finally:
            self._used(child)

    def _used(self, child) -> None:
        child.close()

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class WarmRunner(_Runner):
    """Keeps one child ready (numpy imported): after each check the next is started at once."""

    def _used(self, child) -> None:
        from tutor.drills.sandbox import SandboxUnavailable

        try:
            self.start()
        except SandboxUnavailable:
            pass  # the next check reports it
        child.close()


class OneShotRunner(_Runner):
    """For one check: `start` it first, so the child's start-up overlaps the caller's own work
    (loading content); the used child, already killed, is cleaned up by `close`, after that
    work too, off the path to the verdict."""

    def __init__(self, wall_s: float = 10.0):
        super().__init__(wall_s)
        self._spent = None

    def _used(self, child) -> None:
        self._spent = child

    def close(self) -> None:
        if self._spent is not None:
            self._spent.close()
            self._spent = None
        super().close()
