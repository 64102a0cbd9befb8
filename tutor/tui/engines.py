"""The checkers an app keeps warm across screens, started on first use and closed on exit.

The drill runner keeps a sandboxed child with numpy imported, so a check starts at once; the
derivation checker is one SymPy server process. The app owns one `Engines` and closes it when
it exits (tests build their own). Nothing here imports Textual, numpy or SymPy.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.content.models import Drill
    from tutor.derive import CheckerProcess
    from tutor.drills import WarmRunner

DEFAULT_DRILL_WALL_S = 10.0


class Engines:
    """The warm drill runner and the derivation checker; thread-safe, checks may overlap."""

    KINDS = ("drill", "derivation")  # the item kinds that are checked here

    def __init__(self, drill_wall_s: float = DEFAULT_DRILL_WALL_S) -> None:
        self.drill_wall_s = drill_wall_s
        self._lock = threading.Lock()  # guards the fields, never held during a check
        self._runner: WarmRunner | None = None  # a warm runner waiting for the next check
        self._runner_starting = False  # one is being started: a second caller does not start another
        self._checker: CheckerProcess | None = None
        self._closed = False

    def warm_up(self, kind: str) -> None:
        """Start what checking an item of `kind` needs, ahead of the first one (blocking: call
        it from a thread). A checker that cannot start is left for that item's check to report."""
        from tutor.errors import TutorError

        try:
            if kind == "drill":
                self.warm_drills()
            elif kind == "derivation":
                self.derivation_checker()
        except (TutorError, OSError, RuntimeError):
            pass  # e.g. no sandbox here, or the app is closing: the check says so, if one comes

    def warm_drills(self) -> None:
        """Start a warm drill child if none is waiting (blocking: call it from a thread)."""
        from tutor.drills import WarmRunner

        with self._lock:
            if self._closed or self._runner is not None or self._runner_starting:
                return
            self._runner_starting = True
        try:
            runner = WarmRunner(wall_s=self.drill_wall_s)
            runner.start()
        finally:
            with self._lock:
                self._runner_starting = False
        self._keep(runner)

    def check_drill(self, drill: Drill, source: str) -> dict[str, Any]:
        """Grade `source` with the waiting warm child, or a fresh one while none is ready."""
        with self._lock:
            runner, self._runner = self._runner, None
        if runner is None:
            from tutor.drills import check_drill

            return check_drill(drill, source, wall_s=self.drill_wall_s)
        try:
            return runner.check(drill, source)
        finally:
            self._keep(runner)  # it has started the next child already

    def _keep(self, runner: WarmRunner) -> None:
        with self._lock:
            if not self._closed and self._runner is None:
                self._runner = runner
                return
        runner.close()

    def derivation_checker(self) -> CheckerProcess:
        """The SymPy server, started on first use (it warms in the background)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the app is closing")
            if self._checker is None:
                from tutor.derive import CheckerProcess

                self._checker = CheckerProcess().start()
            return self._checker

    def close(self) -> None:
        """Stop the waiting drill child and the SymPy server; a check in flight ends on its own."""
        with self._lock:
            self._closed = True
            runner, self._runner = self._runner, None
            checker, self._checker = self._checker, None
        if runner is not None:
            runner.close()
        if checker is not None:
            checker.close()
