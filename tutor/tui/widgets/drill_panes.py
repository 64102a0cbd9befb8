"""Pieces the drill and derivation screens share: prose with maths, a spinner, the hint list.

Kept out of the screens so each screen file reads as layout plus behaviour.
"""

from __future__ import annotations

import time

from textual.widgets import Static

from tutor.tui.widgets.mathtext import render_math

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def prose(text: str) -> str:
    """Deck Markdown as shown: `$...$` maths turned into Unicode (kept literal for Markdown)."""
    return render_math(text, markdown=True)


def hints_markdown(hints: tuple[str, ...], shown: int) -> str:
    """The hints opened so far, numbered, with how many remain."""
    if not hints:
        return ""
    lines = [f"**Hint {n}/{len(hints)}.** {prose(h)}" for n, h in enumerate(hints[:shown], 1)]
    left = len(hints) - shown
    if left:
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
        self._timer = None

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
