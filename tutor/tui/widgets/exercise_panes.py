"""Pieces the drill and derivation screens share: prose with maths, a spinner, the hint list.

Kept out of the screens so each screen file reads as layout plus behaviour.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

from textual.timer import Timer
from textual.widgets import Static

from tutor.content.mathtext import render_markdown

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


async def in_daemon_thread(work: Callable[[], Any], name: str) -> Any:
    """Run blocking `work` in a daemon thread and await its return value.

    Not a Textual thread worker: those run in an executor that Python joins at exit, so
    quitting while a learner's endless loop or a runaway SymPy line is being checked would
    wait for the time limit.  A daemon thread lets the app quit at once (the drill sandbox
    and the SymPy checker process kill their children when the interpreter exits).  Exceptions from
    `work` are raised here.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future = loop.create_future()

    def settle(outcome: tuple[bool, Any]) -> None:
        if done.done():
            return
        ok, value = outcome
        if ok:
            done.set_result(value)
        else:
            done.set_exception(value)

    def run() -> None:
        try:
            outcome = (True, work())
        except Exception as exc:
            outcome = (False, exc)
        try:
            loop.call_soon_threadsafe(settle, outcome)
        except RuntimeError:
            pass  # the event loop is closed: the app has quit and nobody is waiting

    threading.Thread(target=run, name=name, daemon=True).start()
    return await done


def prose(text: str) -> str:
    """Deck Markdown as shown: `$...$` maths in Unicode, code such as `beta1**t` never emphasis."""
    return render_markdown(text)


def hints_markdown(hints: tuple[str, ...], shown: int, offer_more: bool = True) -> str:
    """The hints opened so far, numbered, with how many remain (unless the work is finished)."""
    if not hints:
        return ""
    lines = [f"**Hint {n}/{len(hints)}.** {prose(h)}" for n, h in enumerate(hints[:shown], 1)]
    left = len(hints) - shown
    if left and offer_more:
        lines.append(f"*{left} more hint{'s' if left > 1 else ''}: ctrl+t*")
    return "\n\n".join(lines)


class BusyLine(Static):
    """A one-line 'checking…' indicator with a spinner and the seconds elapsed."""

    DEFAULT_CSS = """
    BusyLine { height: 1; color: $warning; display: none; }
    BusyLine.-busy { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._started = 0.0
        self._label = ""
        self._timer: Timer | None = None

    def start(self, label: str) -> None:
        self._started = time.monotonic()
        self._label = label
        self.add_class("-busy")
        self._tick()
        if self._timer is None:
            self._timer = self.set_interval(0.1, self._tick)
        else:
            self._timer.resume()

    def stop(self) -> None:
        self.remove_class("-busy")
        if self._timer is not None:
            self._timer.pause()

    @property
    def busy(self) -> bool:
        return self.has_class("-busy")

    def _tick(self) -> None:
        elapsed = time.monotonic() - self._started
        frame = SPINNER[int(elapsed * 10) % len(SPINNER)]
        self.update(f"{frame} {self._label} {elapsed:.1f} s")
