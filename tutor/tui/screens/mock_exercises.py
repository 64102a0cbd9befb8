"""A drill and a derivation in a mock interview (`tutor.tui.screens.mock`): the study's own
screens, but ctrl+r submits the answer once and nothing says whether it was right.

Kept apart from `mock.py` so that the drill and derivation screens (and their engines) load only
when a mock asks one, as in a study session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import Static

from tutor.content.models import Item
from tutor.study.mistakes import named_mistakes
from tutor.tui.screens.derivation import DerivationScreen
from tutor.tui.screens.drill import DrillScreen
from tutor.tui.screens.mock import NO_VERDICT, MockItem
from tutor.tui.widgets.exercise_panes import BusyLine

if TYPE_CHECKING:
    from tutor.derive.results import DerivationResult

SUBMIT = Binding("ctrl+r", "check", "Submit", priority=True)


class MockExercise(MockItem):
    """A drill or derivation in a mock: ctrl+r submits once; the result is stored, not shown."""

    PREFIX: str

    def show_countdown(self) -> None:
        screen: Any = self
        screen.query_one(f"#{self.PREFIX}-progress", Static).update(self.clock.title())

    def submitted(self, item: Item, result: dict[str, Any], passed: bool) -> None:
        """Store the check, rate it (a failed submission is Again) and move on."""
        screen: Any = self
        screen.study.save_attempt(item, result)
        if not passed:
            screen.study.note_failed_check(item.id)
        self.named = named_mistakes(item, result)
        screen.runs += 1
        screen._record_outcome(passed, gave_up=False)
        screen._move_on()

    def _after_give_up(self) -> None:
        screen: Any = self
        screen._move_on()


class MockDrillScreen(MockExercise, DrillScreen):
    BINDINGS = [SUBMIT]

    def _idle_text(self) -> str:
        return f"ctrl+r submits your code, once: {NO_VERDICT}."

    def _show_result(self, result: dict) -> None:
        if self.is_attached and self.outcome is None:
            self.query_one("#drill-busy", BusyLine).stop()
            self.submitted(self.drill, result, result.get("status") == "pass")


class MockDerivationScreen(MockExercise, DerivationScreen):
    BINDINGS = [SUBMIT]

    def _idle_text(self) -> str:
        return f"One expression per line; ctrl+r submits the chain, once: {NO_VERDICT}."

    def _schedule_live_check(self) -> None:
        """No line is marked ✓ or ✗ in a mock."""

    def action_check(self) -> None:
        editor = self.query_one("#derive-editor")
        if self.outcome is not None or self.query_one("#derive-busy", BusyLine).busy:
            return
        if not editor.text.strip():
            self.notify(f"Write the first line: {self.derivation.start}", timeout=3, markup=False)
            return
        self.drafts.flush()
        editor.read_only = True  # what is checked is what was submitted
        self.query_one("#derive-busy", BusyLine).start("submitting…")
        self._run_check(editor.text, self._generation)

    def _show_result(self, result: DerivationResult, generation: int) -> None:
        if self.is_attached and self.outcome is None:
            self.query_one("#derive-busy", BusyLine).stop()
            self.last_result = result
            self.submitted(self.derivation, dict(result), result.get("status") == "pass")
