"""What the drill and derivation screens share: the life of one graded exercise.

A learner works in an editor, may open hints (each costs a rating level), gives up with a
confirmed ctrl+g, or passes; the screen then offers only enter and back. Failed checks, hints
and giving up are written to the item's study day in the store as they happen, and the rating
is read from there: leaving the screen or restarting the app never wipes a penalty. Subclasses name
their widgets `#<prefix>-editor`, `-hints`, `-info`, `-busy` and `-result`, and say how a
finish is graded and shown.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Markdown, Static, TextArea

from tutor.content.models import Item
from tutor.schedule import AGAIN, GOOD, HARD, RATING_NAMES, Rating
from tutor.study.ratings import lowered, pass_reason, rate_exercise
from tutor.tui.engines import Engines
from tutor.tui.messages import ItemResult, Rated
from tutor.tui.widgets.code_editor import DraftKeeper, EditorScreen
from tutor.tui.widgets.exercise_panes import BusyLine, hints_markdown, prose

if TYPE_CHECKING:
    from tutor.study import Study

WIDE_COLUMNS = 100
GIVE_UP_CONFIRM_S = 3.0
KEPT_KEYS = ("q", "?")  # keys that keep their screen meaning outside the editor
WORKING_ACTIONS = {"check", "hint", "external_editor", "give_up"}
CONTINUE = " Press enter to continue.\n"  # after a finished exercise's verdict, above its rating line


def exercise_bindings(*extra: Binding) -> list[BindingType]:
    """The exercise keys, with a screen's own (`extra`) before give-up, in footer order: the most
    used first. Escape in the editor leaves the editor (Textual's TextArea does so when tab
    indents) and only then goes back, so the footer names what the next escape does."""
    return [Binding("ctrl+r", "check", "Check", priority=True), Binding("ctrl+t", "hint", "Hint", priority=True),
            *extra, Binding("ctrl+g", "give_up", "Give up", priority=True), Binding("enter", "finish", "Continue"),
            *[Binding(str(n), f"lower({n})", show=False) for n in (AGAIN, HARD, GOOD)],
            Binding("escape", "leave_editor", "Leave editor"), Binding("escape,q", "leave", "Back")]


def exercise_css(screen: str, prefix: str, *, editor_min_height: int, result_height: int,
                 wide_result_height: str) -> str:
    """The layout both exercise screens share: a title bar (a long name cut short of the progress,
    not run into it), the prompt above the work (beside it on a wide terminal), and the result
    pane under the editor, which fills the work once finished."""
    s, p = screen, prefix
    return f"""
    {s} {{ layout: vertical; }}
    {s} #{p}-progress {{ width: auto; margin-left: 2; text-style: none; color: $text-muted; }}
    {s} #{p}-name {{ width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }}
    {s} #{p}-title {{ height: 1; background: $panel; color: $foreground; padding: 0 1; text-style: bold; }}
    {s} #{p}-body {{ height: 1fr; layout: vertical; }}
    {s} #{p}-info {{ height: 6; padding: 0 1; border-bottom: solid $panel; }}
    {s} #{p}-info Markdown {{ margin: 0; padding: 0; }}
    {s} #{p}-given {{ color: $text-muted; }}
    {s} #{p}-work {{ height: 1fr; }}
    {s} #{p}-editor {{ height: 1fr; min-height: {editor_min_height}; border: none; }}
    {s} #{p}-result {{ height: {result_height}; padding: 0 1; border-top: solid $panel; }}
    {s}.-wide #{p}-body {{ layout: horizontal; }}
    {s}.-wide #{p}-info {{ height: 1fr; width: 2fr; border-bottom: none; border-right: solid $panel; }}
    {s}.-wide #{p}-work {{ width: 3fr; }}
    {s}.-wide #{p}-result {{ height: {wide_result_height}; }}
    {s}.-finished #{p}-result {{ height: 1fr; }}
    """


class ExerciseScreen(EditorScreen[ItemResult]):
    PREFIX: ClassVar[str]  # widget id prefix
    KIND: ClassVar[str]  # the item kind, for drafts and messages
    HEADING: ClassVar[str]  # the title bar's first word
    SETBACK: ClassVar[tuple[str, str]]  # what lowers a pass to Hard, as `pass_reason` names it
    HELP_KEYS = (("1 2 3", "after the result: lower the rating to Again / Hard / Good (never raise it)"),
                 ("escape", "in the editor: leave it; outside it (or q): back, the draft kept"))
    # Focus goes straight to the editor as the screen is composed (by default the prompt's
    # scroll pane took it first, and keys typed as the screen opened went there).
    AUTO_FOCUS = "TextArea"

    def __init__(self, item: Item, study: Study, engines: Engines) -> None:
        super().__init__()
        self.item = item
        self.study = study
        self.engines = engines  # the app's: warm across screens, closed when the app exits
        self.hints_shown = study.open_item(item.id).hints  # hints opened earlier today stay open
        self.runs = 0
        self.outcome: Rated | None = None
        self._started = time.monotonic()
        self._give_up_armed_at = 0.0
        self._reason = ""  # why a pass earned its rating, once finished
        self.drafts = DraftKeeper(self, study.store, item.id, self.KIND, kept=self.KEEPS_DRAFTS)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's keys in the order it declares them (`exercise_bindings`), then the app's.
        Textual orders keys by where each was first bound, focused widget first: the editor binds
        ctrl+e (line end), so the screen's ctrl+e ($EDITOR) came before ctrl+r in the footer."""
        bindings = super().active_bindings
        declared = {key: n for n, key in enumerate(self._bindings.key_to_bindings)}
        last = len(declared)
        return dict(sorted(bindings.items(), key=lambda entry: declared.get(entry[0], last)
                           if entry[1].node is self else last))

    def _part(self, name: str) -> Any:
        return self.query_one(f"#{self.PREFIX}-{name}")

    # -- layout: the parts are the subclass's ------------------------------------------------

    def compose(self) -> ComposeResult:
        p, item = self.PREFIX, self.item
        with Horizontal(id=f"{p}-title"):
            yield Static(f"{self.HEADING} · {item.title}", id=f"{p}-name", markup=False)
            yield Static(self.app.sub_title, id=f"{p}-progress", markup=False)
        with Vertical(id=f"{p}-body"):
            with VerticalScroll(id=f"{p}-info"):
                yield Markdown(prose(item.prompt), id=f"{p}-prompt")
                yield self._given()
                yield Markdown(self._hints_text(), id=f"{p}-hints")
            with Vertical(id=f"{p}-work"):
                yield from self._editor()
                with VerticalScroll(id=f"{p}-result"):
                    yield BusyLine(id=f"{p}-busy")
                    yield from self._result_parts()
        # No palette key: at 80 columns the drill's own keys fill the line (ctrl+p still opens it).
        yield Footer(show_command_palette=False)

    def _given(self) -> Static:
        """What the prompt is given with (a signature; definitions and facts)."""
        raise NotImplementedError

    def _editor(self) -> ComposeResult:
        """The editor, with the learner's draft when there is one."""
        raise NotImplementedError

    def _result_parts(self) -> ComposeResult:
        """The result pane's parts under the busy line."""
        raise NotImplementedError

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
        if action in ("finish", "lower"):
            return self.outcome is not None
        if action in WORKING_ACTIONS:
            return self.outcome is None
        if action == "leave_editor":
            editor = self.focused
            return isinstance(editor, TextArea) and editor.id == f"{self.PREFIX}-editor" and not editor.read_only
        return True

    def action_leave_editor(self) -> None:
        """What escape does in the editor (a click on the footer's key does the same)."""
        self.focus_next()

    # -- finishing -------------------------------------------------------------------------

    def _record_outcome(self, passed: bool, **detail: Any) -> None:
        """Rate the exercise (`tutor.study.ratings`) from today's record in the store, so
        leaving or restarting never wipes a setback, and lock the screen: only enter and back
        remain."""
        seconds = time.monotonic() - self._started
        day = self.study.item_day(self.item.id)
        rating = rate_exercise(passed, day.failed_checks, day.hints, seconds, self.item.target_min,
                               gave_up_today=day.gave_up)
        self._reason = pass_reason(day.failed_checks, day.hints, seconds, self.item.target_min,
                                   gave_up_today=day.gave_up, setback=self.SETBACK) if passed else ""
        self.outcome = Rated(rating, {
            "passed": passed, "gave_up": not passed, "runs": self.runs,
            "failed_runs": day.failed_checks, **detail, "hints_used": day.hints,
            "seconds": round(seconds, 1)})
        self._part("busy").stop()
        self.drafts.flush()  # kept until the learner moves on: a crash here loses nothing
        self._part("editor").read_only = True
        self._part("hints").update(hints_markdown(self.item.hints, self.hints_shown, offer_more=False))
        self.add_class("-finished")
        self.refresh_bindings()
        self._part("result").focus()

    def action_lower(self, n: int) -> None:
        """"I guessed": the learner may lower the automatic rating before moving on, never raise it."""
        if self.outcome is None:
            return
        automatic = Rating(self.outcome.detail.get("automatic", self.outcome.rating))
        chosen = lowered(automatic, Rating(n))
        if chosen != n:
            self.notify(f"{RATING_NAMES[Rating(n)].capitalize()} would raise the automatic "
                        f"{RATING_NAMES[automatic].capitalize()}: a rating can only be lowered.",
                        severity="warning")
            return
        self.outcome = Rated(chosen, {**self.outcome.detail, "automatic": int(automatic)})
        self.notify(f"Rated {RATING_NAMES[chosen].capitalize()}; enter moves on.")
        self._show_rating()

    def _rated_text(self) -> str:
        """`Rated Hard: 1 failed run today.`: the rating and why, a line of its own (a give-up
        says so before it; a rating the learner lowered, from what)."""
        assert self.outcome is not None
        rating = self.outcome.rating
        automatic = Rating(self.outcome.detail.get("automatic", rating))
        why = f"lowered from {RATING_NAMES[automatic].capitalize()}" if automatic != rating else self._reason
        return f"Rated {RATING_NAMES[rating].capitalize()}{': ' + why if why else ''}."

    def _show_rating(self) -> None:
        """Show the rating line again (the learner lowered it)."""

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
        self.study.note_gave_up(self.item.id)
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
        self.study.note_hints(self.item.id, self.hints_shown)
        await self._part("hints").update(self._hints_text())
        self._part("info").scroll_end(animate=False)

    def _note_failed_check(self) -> None:
        self.study.note_failed_check(self.item.id)

    def _hints_text(self) -> str:
        """The hints opened so far (none opened: nothing, the idle line says how many there are)."""
        return hints_markdown(self.item.hints, self.hints_shown) if self.hints_shown else ""

    def _show_all_hints(self) -> None:
        hints = self.item.hints
        if hints:
            self.query_one(f"#{self.PREFIX}-hints", Markdown).update(hints_markdown(hints, len(hints)))
