"""Coding drills: grade a learner's function in a sandboxed child against a numpy reference.

Public API (the CLI and the TUI call exactly these):

- `check_drill(drill, source, *, wall_s=10.0)` -> the DESIGN §5 result dict (version 3).
- `validate_drill(drill)` -> [(key path, message)] for `tutor content validate`.
- `WarmRunner`: a child started ahead of time with numpy imported, for an instant check in
  the TUI; each child serves one submission and is then replaced.

Nothing here imports numpy at module level, so `import tutor.drills` stays cheap for the CLI;
and once a drill's cases are cached on disk (`tutor.drills.cache`, written by the first check),
a correct answer is passed without importing numpy in this process at all
(`tutor.drills.check`): only the sandboxed child needs it (DESIGN §9).
"""

from __future__ import annotations

import time

__all__ = ["WarmRunner", "check_drill", "validate_drill"]


def _drill_error(drill, started: float, message: str) -> dict:
    return {"version": 3, "drill": drill.id, "status": "error", "message": message, "tests": [],
            "diagnosis": None, "duration_s": round(time.perf_counter() - started, 4),
            "confinement": []}


def _check(drill, source: str, child, wall_s: float, started: float) -> dict:
    try:
        from tutor.drills.check import check_with_child

        return check_with_child(drill, source, child, wall_s, started)
    except Exception as exc:  # a grader bug must not take the TUI down; say what it was
        child.close()
        from tutor.drills.cases import CasesError  # here: it imports numpy

        if isinstance(exc, (CasesError, LookupError)):
            return _drill_error(drill, started, f"the drill {drill.id} is misconfigured: {exc} "
                                                "(run `tutor content validate`)")
        return _drill_error(drill, started, f"the grader failed: {type(exc).__name__}: {exc}")


def check_drill(drill, source: str, *, wall_s: float = 10.0, run_id: str | None = None) -> dict:
    """Grade `source` (the learner's whole file) for `drill`; never raises for learner code.

    `run_id` tags the child's command line, so a caller (or a test) can look for strays.
    """
    from tutor.drills.sandbox import Child, SandboxUnavailable

    started = time.perf_counter()
    if not isinstance(source, str):
        return _drill_error(drill, started, "the submission must be text")
    try:
        child = Child(wall_s, run_id)  # started first: it imports numpy while we plan the cases
    except SandboxUnavailable as exc:
        return _drill_error(drill, started, str(exc))
    try:
        return _check(drill, source, child, wall_s, started)
    finally:
        child.close()


def validate_drill(drill) -> list[tuple[str, str]]:
    """Every problem with a drill's reference, cases, mistakes and limits, as (path, message)."""
    from tutor.drills.validate import validate

    return validate(drill)


class WarmRunner:
    """Keeps one confined child ready (numpy imported) so the next check starts at once.

    A child is never reused: after each check a fresh one is started in the background
    (unless `keep_warm` is false: a one-shot caller such as the CLI starts the child before
    loading its content, so the child's start-up overlaps that work, and checks once; the
    used child, already killed, is then cleaned up by `close`, after the caller's own work).
    """

    def __init__(self, wall_s: float = 10.0, *, keep_warm: bool = True):
        self.wall_s = wall_s
        self.keep_warm = keep_warm
        self._child = None
        self._used = None

    def start(self) -> None:
        """Start the next child if none is waiting (raises SandboxUnavailable if impossible)."""
        from tutor.drills.sandbox import Child

        if self._child is None:
            self._child = Child(self.wall_s)

    def check(self, drill, source: str) -> dict:
        """Grade `source` with the ready child, then start the next one."""
        from tutor.drills.sandbox import SandboxUnavailable

        started = time.perf_counter()
        try:
            self.start()
        except SandboxUnavailable as exc:
            return _drill_error(drill, started, str(exc))
        child, self._child = self._child, None
        try:
            if not isinstance(source, str):
                return _drill_error(drill, started, "the submission must be text")
            return _check(drill, source, child, self.wall_s, started)
        finally:
            if self.keep_warm:
                try:
                    self.start()
                except SandboxUnavailable:
                    pass  # the next check reports it
                child.close()
            else:
                self._close_used()
                self._used = child

    def _close_used(self) -> None:
        if self._used is not None:
            self._used.close()
            self._used = None

    def close(self) -> None:
        self._close_used()
        if self._child is not None:
            self._child.close()
            self._child = None

    def __enter__(self) -> "WarmRunner":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()
