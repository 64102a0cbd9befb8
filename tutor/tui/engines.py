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

    def __init__(self, drill_wall_s: float = DEFAULT_DRILL_WALL_S) -> None:
        self.drill_wall_s = drill_wall_s
        self._lock = threading.Lock()  # guards the fields, never held during a check
        self._runner: WarmRunner | None = None  # a warm runner waiting for the next check
        self._checker: CheckerProcess | None = None
        self._closed = False

    def warm_drills(self) -> None:
        """Start a warm drill child if none is waiting (blocking: call it from a thread)."""
        from tutor.drills import WarmRunner

        with self._lock:
            if self._closed or self._runner is not None:
                return
        runner = WarmRunner(wall_s=self.drill_wall_s)
        runner.start()
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
