"""What the drill and derivation screens share: the life of one graded exercise.

A learner works in an editor, may open hints (each costs a rating level), gives up with a
confirmed ctrl+g, or passes; the screen then offers only enter and back. Subclasses name
their widgets `#<prefix>-editor`, `-hints`, `-info`, `-busy` and `-result`, and say how a
finish is graded and shown.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.screen import Screen
from textual.widgets import Markdown

from tutor.content.models import Item
from tutor.study.ratings import rate_exercise
from tutor.tui.engines import Engines
from tutor.tui.messages import ItemResult, Rated
from tutor.tui.widgets.code_editor import DraftKeeper
from tutor.tui.widgets.exercise_panes import hints_markdown

if TYPE_CHECKING:
    from tutor.study import Study

WIDE_COLUMNS = 100
GIVE_UP_CONFIRM_S = 3.0
KEPT_KEYS = ("q", "?")  # keys that keep their screen meaning outside the editor
WORKING_ACTIONS = {"check", "hint", "external_editor", "give_up"}


class ExerciseScreen(Screen[ItemResult]):
    PREFIX: ClassVar[str]  # widget id prefix
    KIND: ClassVar[str]  # the item kind, for drafts and messages

    def __init__(self, item: Item, study: Study, engines: Engines) -> None:
        super().__init__()
        self.item = item
        self.study = study
        self.engines = engines  # the app's: warm across screens, closed when the app exits
        self.hints_shown = 0
        self.runs = 0
        self.failed_runs = 0
        self.outcome: Rated | None = None
        self._started = time.monotonic()
        self._give_up_armed_at = 0.0
        self.drafts = DraftKeeper(self, study.store, item.id, self.KIND)

    def _part(self, name: str) -> Any:
        return self.query_one(f"#{self.PREFIX}-{name}")

    # -- keys and layout -------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A letter typed while the editor is not focused goes into it (q and ? keep theirs)."""
        editor = self._part("editor")
        if (self.outcome is None and event.is_printable and event.character not in KEPT_KEYS
                and self.focused is not editor):
            editor.focus()
            editor.insert(event.character or "")
            event.stop()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width(event.size.width)

    def _fit_width(self, width: int) -> None:
        self.set_class(width >= WIDE_COLUMNS, "-wide")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Once finished only enter and q/escape remain; before that enter is the editor's."""
        if action == "finish":
            return self.outcome is not None
        if action in WORKING_ACTIONS:
            return self.outcome is None
        return True

    # -- finishing -------------------------------------------------------------------------

    def _record_outcome(self, passed: bool, setbacks: int, **detail: Any) -> None:
        """Rate the exercise (`tutor.study.ratings`) and lock the screen: only enter and back remain."""
        seconds = time.monotonic() - self._started
        rating = rate_exercise(passed, setbacks, self.hints_shown, seconds, self.item.target_min)
        self.outcome = Rated(rating, {
            "passed": passed, "gave_up": not passed, "runs": self.runs,
            "failed_runs": self.failed_runs, **detail, "hints_used": self.hints_shown,
            "seconds": round(seconds, 1)})
        self._part("busy").stop()
        self.drafts.flush()  # kept until the learner moves on: a crash here loses nothing
        self._part("editor").read_only = True
        self.add_class("-finished")
        self.refresh_bindings()
        self._part("result").focus()

    def action_finish(self) -> None:
        if self.outcome is not None:
            self._move_on()

    def action_leave(self) -> None:
        self._move_on()

    def _move_on(self) -> None:
        """Dismiss; a finished exercise drops its draft, so the next review starts afresh."""
        if self.outcome is not None:
            self.drafts.discard()
        self.dismiss(self.outcome)

    def action_give_up(self) -> None:
        if self.outcome is not None:
            return
        now = time.monotonic()
        if now - self._give_up_armed_at > GIVE_UP_CONFIRM_S:
            self._give_up_armed_at = now
            self.notify("Press ctrl+g again to give up (rated Again).", timeout=GIVE_UP_CONFIRM_S)
            return
        self.app.clear_notifications()  # the "press again" notice has done its job
        self._finish(passed=False)
        self._after_give_up()

    def _finish(self, passed: bool) -> None:
        raise NotImplementedError

    def _after_give_up(self) -> None:
        """What the screen shows once the learner has given up."""

    # -- hints -----------------------------------------------------------------------------

    async def action_hint(self) -> None:
        hints = self.item.hints
        if self.hints_shown >= len(hints):
            self.notify("No more hints." if hints else f"This {self.KIND} has no hints.", timeout=2)
            return
        self.hints_shown += 1
        await self._part("hints").update(hints_markdown(hints, self.hints_shown))
        self._part("info").scroll_end(animate=False)

    def _show_all_hints(self) -> None:
        hints = self.item.hints
        if hints:
            self.query_one(f"#{self.PREFIX}-hints", Markdown).update(hints_markdown(hints, len(hints)))
