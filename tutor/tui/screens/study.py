"""The study screen: the day's queue of one deck, one item screen after another.

The order (Again last, an undone item first) is `tutor.study.session.StudySession`'s; this
screen shows the item screens it picks and records what they return (`tutor.tui.messages`).
A card that follows a card goes into the card screen already up (`CardScreen.show`): a new
screen per card was most of the time between a rating and the next card. The screen's own
widgets are built only when it is to be seen itself (`StudyScreen._furnish`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.content.models import Item
from tutor.study.answers import Drawn
from tutor.study.service import QueueEntry
from tutor.study.session import StudySession
from tutor.tui.messages import ItemResult, Rated, ShowsWorkerErrors, UndoAsked, UndoInPlace
from tutor.tui.widgets.header import TitleBar

if TYPE_CHECKING:
    from tutor.tui.screens.card import CardScreen


class StudyScreen(ShowsWorkerErrors, UndoInPlace, Screen):
    """Shows item screens in turn and records what they return; visible itself only between them."""

    HELP_TITLE = "Study"
    HELP_TEXT = ("Items come one at a time; Again items come back after the others. Leave with q "
                 "at any time: every review is already saved and the queue resumes where you were.")
    BINDINGS = [
        Binding("enter", "continue", "Continue"),
        Binding("u", "undo", "Undo last"),
        Binding("q,escape", "leave", "Back"),
    ]

    def __init__(self, deck: str):
        super().__init__()
        self.deck = deck
        self.current: QueueEntry | None = None
        self.shown_at = 0.0
        self.drawn: Drawn | None = None  # the shown variant item's numbers
        self.variant_detail: dict[str, object] = {}  # the shown variant's seed and params, kept with its review
        self._furnished = False

    def compose(self) -> ComposeResult:
        return ()  # see `_furnish`

    def _furnish(self) -> None:
        """Build the screen's own widgets (a header, the status line, a footer) once it is to be
        seen: at the day's end, under an error. Between items it never is (the next item goes up
        before a frame of it), and built before the first item they were a fifth of the work
        from enter on the dashboard to a drill's editor taking keys."""
        if self._furnished:
            return
        self._furnished = True
        middle, center = Middle(), Center()
        self.mount_all([TitleBar(), middle, Footer()])
        middle.mount(center)  # each registered at once, so the status can be queried and updated now
        center.mount(Static("Loading…", id="study-status"))

    def on_mount(self) -> None:
        study = self.app.study
        session = self.app.sessions.get(self.deck)
        if session is None or session.day != study.today():
            session = StudySession(self.deck, study.today())
            self.app.sessions[self.deck] = session
        session.queue = None  # a new sitting reads the queue again: anything may have changed meanwhile
        self.session: StudySession = session
        self.advance()  # the first item goes up before a frame of this screen, which says only "Loading…"

    def on_screen_resume(self) -> None:
        """First show, and back from a dialog (an item screen's own return goes to _finished)."""
        self.call_after_refresh(self.advance)

    # -- the loop ------------------------------------------------------------------------

    def advance(self) -> None:
        """Show the next item, or the end-of-day summary (a no-op while an item is on top)."""
        if self.app.screen is not self or self.current is not None:
            return
        self._show_next()

    def _show_next(self, reuse: CardScreen | None = None) -> None:
        """Show the next item, or the end-of-day summary. A card goes into `reuse`, the card
        screen on top, when there is one; another kind gets its own screen."""
        self.app.quiet.hold()  # the preload waits until the next item's screen is up and idle
        queue = self._queue()
        while (entry := self.session.next(queue)) is not None:
            n, total = self.session.reviewed + 1, self.session.total(queue)
            progress = f"{self.deck} · {n} of {total}"
            screen: Screen[ItemResult] | None = None
            try:
                item = self._item(entry)
                if item is not None and reuse is not None and item.kind == "card":
                    reuse.show(item, progress, drawn=self.drawn)
                    screen = reuse
                elif item is not None:
                    screen = self._item_screen(item, progress)
            except Exception as exc:  # skipped; the queue goes on once the learner has read why
                self.session.skipped.add(entry.item_id)
                self.current = None
                if reuse is not None:
                    self.app.pop_screen()
                self._furnish()
                self.app.show_error(f"{entry.item_id} cannot be shown; it is skipped for now", exc)
                return
            if screen is None:
                self.session.skipped.add(entry.item_id)
                continue
            self.current = entry
            self.session.shown()
            self.shown_at = time.monotonic()  # each item's time starts when it is shown
            if screen is not reuse:
                self.app.sub_title = progress  # a card screen shows its own; redrawing all of it costs a frame
                if reuse is not None:
                    self.app.pop_screen()  # the card screen goes without reporting again
                self.app.push_screen(screen, callback=self._finished)
            return
        self.current = None
        if reuse is not None:
            self.app.pop_screen()
        self._show_done()

    def _queue(self) -> list[QueueEntry]:
        return self.session.entries(lambda: self.app.study.queue(self.deck))

    def _item(self, entry: QueueEntry) -> Item | None:
        """The entry's item as it is shown this time (a variant item with its numbers drawn)."""
        item = self.app.item(entry.item_id, entry.kind, entry.deck)
        if item is None:
            self.app.notify(f"{entry.item_id} is no longer in the content (see the dashboard); skipped.",
                            severity="warning")
            return None
        item, self.drawn = self.app.study.drawn(item)
        self.variant_detail = self.drawn.detail() if self.drawn is not None else {}
        return item

    def _item_screen(self, item: Any, progress: str) -> Screen[ItemResult] | None:
        if item.kind == "card":
            from tutor.tui.screens.card import CardScreen

            screen = CardScreen(item, self.app.study, progress, drawn=self.drawn)
            screen.go_on = self._go_on
            return screen
        if item.kind == "problem":
            from tutor.tui.screens.problem import ProblemScreen

            return ProblemScreen(item, self.app.study, progress)
        try:
            if item.kind == "drill":
                from tutor.tui.screens.drill import DrillScreen

                return DrillScreen(item, self.app.study, self.app.engines)
            if item.kind == "derivation":
                from tutor.tui.screens.derivation import DerivationScreen

                return DerivationScreen(item, self.app.study, self.app.engines)
        except ImportError:
            self.app.notify(f"{item.kind.title()}s cannot be studied in this build; {item.id} skipped.",
                            severity="warning")
            return None
        self.app.notify(f"{item.id}: unknown kind {item.kind!r}; skipped.", severity="warning")
        return None

    def _go_on(self, screen: CardScreen, result: ItemResult) -> bool:
        """A card's result, handled without taking its screen down: recorded, and the next item
        shown in that screen when it is a card (else the screen goes and the item's comes up).
        Leaving (None) is not handled here: the card screen is dismissed as before."""
        if result is None or screen is not self.app.screen:
            return False
        if self._settle(result, before_error=self.app.pop_screen):
            self._show_next(reuse=screen)
        return True

    def _finished(self, result: ItemResult) -> None:
        if result is None or self.current is None:
            self.current = None
            self.dismiss()
            return
        if not self._settle(result):
            return
        # After the app has finished taking the item screen down (its removal is queued on the
        # app before this), but before a frame of this screen: the next item goes straight up.
        self.app.call_next(self.advance)

    def _settle(self, result: Rated | UndoAsked, before_error: Callable[[], object] = lambda: None) -> bool:
        """Record the shown item's rating, or undo the last review. False: it could not be saved,
        which an error dialog says (after `before_error`)."""
        entry, self.current = self.current, None
        if entry is None:
            return True
        if isinstance(result, UndoAsked):
            self._undo()
            return True
        duration_ms = int((time.monotonic() - self.shown_at) * 1000)
        try:
            review_id, state = self.app.study.review(entry.item_id, result.rating, duration_ms=duration_ms,
                                                     detail={**(result.detail or {}), **self.variant_detail})
        except Exception as exc:
            before_error()
            self._furnish()
            self.app.show_error(f"Could not save the review of {entry.item_id}", exc)
            return False
        self.app.session_reviews.append(review_id)
        self.session.rated(entry.item_id, result.rating, due_today=state.due <= self.session.day)
        return True

    def _undo(self) -> None:
        undone = self.app.undo_review()
        if undone is not None:
            self.session.undone(undone.item_id)

    def _show_done(self) -> None:
        self._furnish()
        self.app.sub_title = f"{self.deck} · done"
        count = self.session.reviewed
        skipped = len(self.session.skipped)
        lines = [f"All done for today: {count} review{'s' if count != 1 else ''} in this session." if count
                 else f"Nothing to study in {self.deck} today."]
        if skipped:
            lines.append(f"{skipped} item{'s' if skipped != 1 else ''} could not be shown in this build.")
        lines += [self._come_back(), "",
                  "enter / q back to the dashboard · u undo the last review"]
        text = "\n".join(lines)
        self.query_one("#study-status", Static).update(text)

    def _come_back(self) -> str:
        study = self.app.study
        upcoming = study.next_due(self.deck)
        if upcoming is None:
            return "Nothing is scheduled yet."
        days = (upcoming - study.today()).days
        when = "tomorrow" if days == 1 else f"in {days} days"
        return f"Next reviews {when}, on {upcoming:%a %d %b}."

    # -- keys ----------------------------------------------------------------------------

    def action_continue(self) -> None:
        if self.current is None and self.session.next(self._queue()) is None:
            self.dismiss()
        else:
            self.advance()

    def action_undo(self) -> None:
        self._undo()
        self.advance()

    def action_leave(self) -> None:
        self.dismiss()
