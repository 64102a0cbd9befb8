"""A study session: the day's queue of one deck, one item screen after another.

The queue is always recomputed from the store (every review is already on disk), so leaving
and coming back resumes where the learner was. The session only remembers what the store
cannot: how many were done in this sitting, which items were rated Again (they come back
after the others), and an undone item that must be shown next.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.schedule import AGAIN


@dataclass
class StudySession:
    """What one sitting adds to the store's queue: order of Again items, an undone item first."""

    deck: str
    day: date
    reviewed: int = 0
    deferred: list[str] = field(default_factory=list)  # rated Again, to come back after the rest
    front: str | None = None  # an undone item, shown next
    skipped: set[str] = field(default_factory=set)  # items that cannot be shown in this build

    def next(self, queue: list) -> Any:
        """The queue entry to show now, or None when the day is done."""
        waiting = {e.item_id: e for e in queue if e.item_id not in self.skipped}
        if self.front in waiting:
            return waiting[self.front]
        for entry in queue:
            if entry.item_id in waiting and entry.item_id not in self.deferred:
                return entry
        for item_id in self.deferred:
            if item_id in waiting:
                return waiting[item_id]
        return None

    def total(self, queue: list) -> int:
        return self.reviewed + sum(e.item_id not in self.skipped for e in queue)

    def rated(self, item_id: str, rating: int) -> None:
        self.reviewed += 1
        self.front = None if self.front == item_id else self.front
        if item_id in self.deferred:
            self.deferred.remove(item_id)
        if rating == AGAIN:
            self.deferred.append(item_id)

    def undone(self, item_id: str) -> None:
        self.reviewed = max(0, self.reviewed - 1)
        if item_id in self.deferred:
            self.deferred.remove(item_id)
        self.front = item_id


class StudyScreen(Screen):
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
        self.current: Any = None
        self.shown_at = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(), Center():
            yield Static("Loading…", id="study-status")
        yield Footer()

    def on_mount(self) -> None:
        study = self.app.study
        session = self.app.sessions.get(self.deck)
        if session is None or session.day != study.today():
            session = StudySession(self.deck, study.today())
            self.app.sessions[self.deck] = session
        self.session: StudySession = session

    def on_screen_resume(self) -> None:
        """First show, and back from a dialog (an item screen's own return goes to _finished)."""
        self.call_after_refresh(self.advance)

    # -- the loop ------------------------------------------------------------------------

    def advance(self) -> None:
        """Show the next item, or the end-of-day summary (a no-op while an item is on top)."""
        if self.app.screen is not self or self.current is not None:
            return
        study = self.app.study
        queue = study.queue(self.deck)
        entry = self.session.next(queue)
        if entry is None:
            self.current = None
            self._show_done()
            return
        n, total = self.session.reviewed + 1, self.session.total(queue)
        progress = f"{self.deck} · {n} of {total}"
        self.app.sub_title = progress
        try:
            screen = self._item_screen(entry, progress)
        except Exception as exc:
            self.app.show_error(f"{entry.item_id} cannot be shown; it is skipped for now", exc)
            screen = None
        if screen is None:
            self.session.skipped.add(entry.item_id)
            self.call_after_refresh(self.advance)
            return
        self.current = entry
        self.session.front = None
        self.shown_at = time.monotonic()
        self.app.push_screen(screen, callback=self._finished)

    def _item_screen(self, entry, progress: str) -> Screen | None:
        item = self.app.library().items.get(entry.item_id)
        if item is None:
            self.app.notify(f"{entry.item_id} is no longer in the content (see the dashboard); skipped.",
                            severity="warning")
            return None
        if item.kind == "card":
            from tutor.tui.screens.card import CardScreen

            return CardScreen(item, self.app.study, progress)
        if item.kind == "problem":
            from tutor.tui.screens.problem import ProblemScreen

            return ProblemScreen(item, self.app.study, progress)
        try:
            if item.kind == "drill":
                from tutor.tui.screens.drill import DrillScreen

                return DrillScreen(item, self.app.study)
            if item.kind == "derivation":
                from tutor.tui.screens.derivation import DerivationScreen

                return DerivationScreen(item, self.app.study)
        except ImportError:
            self.app.notify(f"{item.kind.title()}s cannot be studied in this build; {item.id} skipped.",
                            severity="warning")
            return None
        self.app.notify(f"{item.id}: unknown kind {item.kind!r}; skipped.", severity="warning")
        return None

    def _finished(self, result: dict | None) -> None:
        entry, self.current = self.current, None
        if result is None or entry is None:
            self.dismiss()
            return
        if result.get("undo"):
            self._undo()
        elif "rating" in result:
            duration_ms = int((time.monotonic() - self.shown_at) * 1000)
            try:
                review_id, state = self.app.study.review(entry.item_id, int(result["rating"]),
                                                         duration_ms=duration_ms,
                                                         detail=result.get("detail") or {})
            except Exception as exc:
                self.app.show_error(f"Could not save the review of {entry.item_id}", exc)
                return
            self.app.session_reviews.append(review_id)
            self.session.rated(entry.item_id, int(result["rating"]))
        self.call_after_refresh(self.advance)

    def _undo(self) -> None:
        undone = self.app.undo_review()
        if undone is not None:
            self.session.undone(undone.item_id)

    def _show_done(self) -> None:
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
        if self.current is None and self.session.next(self.app.study.queue(self.deck)) is None:
            self.dismiss()
        else:
            self.advance()

    def action_undo(self) -> None:
        self._undo()
        self.advance()

    def action_leave(self) -> None:
        self.dismiss()
