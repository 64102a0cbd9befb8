"""While the app answers a key, nothing else takes the interpreter from it (`KeyQuiet`).

Two things run on the same interpreter as the event loop and may land on any key: the
preload thread (`TutorApp._preload`: the decks parsed, the item screens imported), which
shares the GIL with it so that a screen built meanwhile took up to twice as long, and the
cyclic garbage collector, whose 25 to 35 passes while a drill opens (one of them sometimes a
full collection of 70 ms) ran inside the key's time. From a key's arrival until the screen
then on top has been idle (drawn, nothing left to lay out) at least SETTLE_S after it, the preload waits between
its steps and the collector is paused (`tutor.collector`, which the parse of the decks pauses
too); both resume then, or, so that a learner typing on never holds them off for long, at the
first moment between two keys after QUIET_LIMIT_S (`answering`): let go at the limit's instant,
they ran inside whatever key was then being answered (under load, collections inside the key
that opens an editor).
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import TYPE_CHECKING

from textual._queue import Queue

from tutor import collector

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

QUIET_LIMIT_S = 1.0  # past this, the preload and the collector run at the first moment between keys
QUIET_CEILING_S = 5.0  # the longest they are held off, even for a key whose answer never ends (a handler awaiting)
SETTLE_S = 0.05  # a key's work is not taken as done before this (a pushed screen mounts in turns)
STEP_WAIT_S = 2.0  # the longest a preload step waits for its turn, whatever happens
BETWEEN_KEYS_POLL_S = 0.01  # past the limit, how often the app is looked at for a moment between keys
_QUEUE_GET = Queue.get.__code__  # where a message pump's task waits while it handles nothing (`answering`)


class KeyQuiet:
    """The app's hold on its background work while it answers a key (UI thread, but `turn`)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._free = threading.Event()  # set: the background may run
        self._free.set()
        self._last_key = 0.0
        self._held_since = 0.0
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
            self._held_since = self._last_key
            collector.pause()
            self._limit = self.app.set_timer(QUIET_LIMIT_S, self._release_between_keys)

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
        changed the screen yet or the app is still answering it (then look again SETTLE_S later)."""
        if not self.holding:
            return
        if time.monotonic() - self._last_key < SETTLE_S or answering(self.app):
            self.app.set_timer(SETTLE_S, self.key_dispatched)
        else:
            self.release()

    def _release_between_keys(self) -> None:
        """Past the limit: release as soon as no key is being answered, never inside one."""
        if not self.holding:
            return
        if answering(self.app) and time.monotonic() - self._held_since < QUIET_CEILING_S:
            self._limit = self.app.set_timer(BETWEEN_KEYS_POLL_S, self._release_between_keys)
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


def answering(app: App) -> bool:
    """Whether the app is inside a key's answer: the screen on top not yet mounted or refreshed,
    frames held for a change (`tutor.tui.widgets.one_frame`), or a message waiting for, or being
    handled by, the app, that screen or one of its widgets (a key travels up from the focused
    widget one message queue at a time, and a handler may await). The pump running this is past
    the message it was on (this is a timer's callback or a callback after a refresh)."""
    screen = app.screen
    if (app._batch_count or not screen.is_mounted or screen._layout_required or screen._repaint_required
            or screen._dirty_widgets):
        return True
    running = asyncio.current_task()
    return any(pump._message_queue.qsize() or (pump._task is not running and not _parked(pump._task))
               for pump in (app, screen, *screen.walk_children()))


def _parked(task: asyncio.Task | None) -> bool:
    """Whether a message pump's task waits for its next message (in Textual's `Queue.get`), not
    in a handler that awaits; a pump not started or ended handles nothing either."""
    if task is None or task.done():
        return True
    awaiting: object = task.get_coro()
    while awaiting is not None:
        if getattr(awaiting, "cr_code", None) is _QUEUE_GET:
            return True
        awaiting = getattr(awaiting, "cr_await", None)
    return False

