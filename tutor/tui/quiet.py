"""While the app answers a key, nothing else takes the interpreter from it (`KeyQuiet`).

Two things run on the same interpreter as the event loop and may land on any key: the
preload thread (`TutorApp._preload`: the decks parsed, the item screens imported), which
shares the GIL with it so that a screen built meanwhile took up to twice as long, and the
cyclic garbage collector, whose 25 to 35 passes while a drill opens (one of them sometimes a
full collection of 70 ms) ran inside the key's time. From a key's arrival until the screen
then on top has been idle (drawn, nothing left to lay out) at least SETTLE_S after it, the preload waits between
its steps and the collector is paused (`tutor.collector`, which the parse of the decks pauses
too); both resume then, or after QUIET_LIMIT_S at the most, so a learner typing on never holds
them off for long.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from tutor import collector

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

QUIET_LIMIT_S = 1.0  # the longest the preload and the collector are held off for keys
SETTLE_S = 0.05  # a key's work is not taken as done before this (a pushed screen mounts in turns)
STEP_WAIT_S = 2.0  # the longest a preload step waits for its turn, whatever happens


class KeyQuiet:
    """The app's hold on its background work while it answers a key (UI thread, but `turn`)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._free = threading.Event()  # set: the background may run
        self._free.set()
        self._last_key = 0.0
        self._closed = False
        self._limit: Timer | None = None

    @property
    def holding(self) -> bool:
        return not self._free.is_set()

    def key_arrived(self) -> None:
        """Hold the background from now (the app calls it as a key reaches it)."""
        self._last_key = time.monotonic()
        if not self.holding and not self._closed:
            self._free.clear()
            collector.pause()
            self._limit = self.app.set_timer(QUIET_LIMIT_S, self.release)

    def hold(self) -> None:
        """Hold the background as for a key, until the screen then on top is idle: from the
        first frame (so that an enter pressed at once is answered first), and while the study
        readies the next item after the key that finished the last one."""
        self.key_arrived()
        self.key_dispatched()

    def key_dispatched(self) -> None:
        """The key has gone to the screen: release once the screen then on top is idle."""
        if self.holding:
            self.app.call_after_refresh(self._idle)

    def _idle(self) -> None:
        """The screen on top has been idle: release, unless the last key is too recent to have
        changed the screen yet or the screen is still composing (then look again SETTLE_S later)."""
        if not self.holding:
            return
        if time.monotonic() - self._last_key < SETTLE_S or not self.app.screen.is_mounted:
            self.app.set_timer(SETTLE_S, self.key_dispatched)
        else:
            self.release()

    def release(self) -> None:
        """Let the background run again (also when the app exits)."""
        if not self.holding:
            return
        if self._limit is not None:
            self._limit.stop()
            self._limit = None
        collector.resume()
        self._free.set()

    def turn(self, idle_s: float = 0.0) -> bool:
        """From a background thread: wait until no key is being answered (STEP_WAIT_S at most),
        and, with `idle_s`, none has come for that long. False once the app is closing."""
        self._free.wait(STEP_WAIT_S)
        while not self._closed and (quiet_for := time.monotonic() - self._last_key) < idle_s:
            time.sleep(idle_s - quiet_for)
            self._free.wait(STEP_WAIT_S)
        return not self._closed

    def close(self) -> None:
        """The app is exiting: let the background run and finish."""
        self._closed = True
        self.release()
