"""The dashboard: every deck with what is due by kind, its Day 0/3/7/14/21 plan, today's progress.

It is the first frame the learner sees, so it reads only the store's catalog (no YAML parsing)
and refreshes whenever it comes back to the front, unless nothing was written meanwhile
(`Study.stamp`): then the numbers on screen are still right. After the first frame it reads in
a thread, on a connection of its own (`Study.on_own_connection`), since today's queue of a big
collection takes a tenth of a second or more: the dashboard comes back at once with the numbers
it showed, and they are replaced when the read is in, if nothing was written meanwhile (else it
reads again). The queues it read are kept for the sitting that the learner may open next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tutor.content.kinds import KINDS
from tutor.tui.messages import ReviewsChanged, ShowsWorkerErrors
from tutor.tui.widgets.header import TitleBar

if TYPE_CHECKING:
    from tutor.store import CatalogDeck
    from tutor.study import Checkpoint, QueueEntry, Study
    from tutor.study.interview import Readiness
    from tutor.study.service import Reading

WELCOME = (
    "Welcome. Each deck follows its study page's plan: you meet new material on Day 0, then "
    "come back on Days 3, 7, 14 and 21.\n"
    "Every day, study what is due: recall cards, timed problems, drills and derivations, and "
    "rate how well you knew each, from 1 Again to 4 Easy.\n"
    "Your ratings space the reviews out. Press enter to start with the highlighted deck; "
    "? lists the keys of every screen."
)


def minutes_of(queue: list) -> int:
    """A queue's estimated time in whole minutes (at least 1 when anything is left)."""
    return max(1, round(sum(e.seconds for e in queue) / 60)) if queue else 0


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def countdown(ready) -> Text:
    """`Interview in 13 days (2026-03-16) · readiness 42%`, and what it would take when behind."""
    days = "today" if ready.days_left == 0 else f"in {plural(ready.days_left, 'day')}"
    text = Text.assemble(("Interview ", "bold"), f"{days} ({ready.date.isoformat()})",
                         " · readiness ", (f"{ready.readiness:.0%}", "bold"))
    if ready.minutes_needed:
        text.append(f" · needs ~{ready.minutes_needed:.0f} min/day", style="dim")
    return text


@dataclass(frozen=True)
class DeckView:
    deck: CatalogDeck
    queue: list[QueueEntry]
    checkpoints: list[Checkpoint]
    readiness: Readiness | None
    reading: Reading | None


@dataclass(frozen=True)
class DashboardView:
    """Everything the dashboard shows, read in one go (in a worker thread but the first time)."""

    today: date
    starts: dict[str, date]
    decks: list[DeckView]
    done_today: int
    streak: int
    minutes_left: int  # every deck's queue together


def read_dashboard(study: Study) -> DashboardView:
    from tutor.study import stats

    today = study.today()
    decks = []
    for deck in study.decks():
        checkpoints = study.plan(deck.id)
        decks.append(DeckView(deck, study.queue(deck.id), checkpoints, study.readiness(deck.id),
                              current_reading(study, deck.id, checkpoints)))
    done_today = stats.reviews_per_day(study.store, today, 1)[today.isoformat()]
    minutes_left = minutes_of(study.queue()) if any(view.queue for view in decks) else 0
    return DashboardView(today, study.deck_starts(), decks, done_today, stats.streak(study.store, today), minutes_left)


def current_reading(study: Study, deck: str, checkpoints: list[Checkpoint]) -> Reading | None:
    """The reading of the checkpoint in progress (the first not done), else of the last one."""
    open_days = [cp.day for cp in checkpoints if cp.status != "done"]
    for day in open_days or [cp.day for cp in checkpoints[-1:]] or [0]:
        reading = study.reading(deck, day)
        if reading is not None:
            return reading
    return None


READ_WHAT = "Reading today's numbers for the dashboard"


class DashboardScreen(ShowsWorkerErrors, Screen):
    HELP_TITLE = "Dashboard"
    HELP_TEXT = ("Pick a deck with the arrows; enter studies its queue for today, r reads its lessons "
                 "(the current checkpoint's first unread part), i sets the date of the interview it must be "
                 "ready by (the plan is fitted to it; readiness is the recall FSRS predicts on the day), m starts a "
                 "30-minute mock interview of it.")
    BINDINGS = [
        Binding("enter", "study", "Study", priority=True),
        Binding("r", "read", "Read"),
        Binding("s", "stats", "Stats"),
        Binding("i", "interview", "Interview"),  # its date; "Interview date" cut ? Keys at 80 columns
        Binding("m", "mock", "Mock interview", show=False),  # the footer is full at 80 columns; ? lists it
        Binding("b", "browse", "Browse"),
        Binding("q", "app.quit", "Quit"),
    ]

    shown_at: tuple[Any, ...] | None = None  # the `Study.stamp()` the numbers on screen were read at
    shown: DashboardView | None = None  # what is on screen
    reading_at: tuple[Any, ...] | None = None  # the stamp of the read under way in a thread, if any

    class Read(Message):
        """A worker's read of what the dashboard shows, on `twin`, started at `stamp`; with the
        `error` instead when it failed."""

        def __init__(self, stamp: tuple[Any, ...], view: DashboardView | None = None, twin: Study | None = None,
                     error: Exception | None = None) -> None:
            super().__init__()
            self.stamp, self.view, self.twin, self.error = stamp, view, twin, error

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="dashboard"):
            yield Static(WELCOME, id="welcome", markup=False)
            yield Static(id="today")
            yield OptionList(id="decks")
            yield Static(id="content-issues", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#decks", OptionList).focus()

    def on_screen_resume(self) -> None:
        """Fires on the first show too, and whenever a study, stats or browse screen closes. The
        date goes back in the title at once: a screen that changed nothing left its own there
        ('browse · 0 items'), as the numbers are not read again."""
        if self.shown is not None:
            self.app.sub_title = self._dated(self.shown.today)
        self.refresh_data()

    def on_reviews_changed(self, _: ReviewsChanged) -> None:
        self.refresh_data()

    def up_to_date(self) -> bool:
        """Whether the numbers on screen are those of the store as it is now."""
        return self.shown_at == self.app.study.stamp()

    def refresh_data(self) -> None:
        study = self.app.study
        stamp = study.stamp()
        if stamp in (self.shown_at, self.reading_at):
            return
        if self.shown_at is None:  # the first frame: read here, before it is drawn
            self._show(read_dashboard(study), stamp)
            return
        self.reading_at = stamp
        self._read(stamp)

    @work(thread=True, exclusive=True, group="dashboard-read", exit_on_error=False, description=READ_WHAT)
    def _read(self, stamp: tuple[Any, ...]) -> None:
        """Read once more, quietly, if the first read fails (e.g. the file locked for a moment by
        another tutor); a second failure is shown in the app's error modal, and the next return
        to the dashboard or write reads again."""
        try:
            read = self._read_on_own_connection(stamp)
        except Exception:
            try:
                read = self._read_on_own_connection(stamp)
            except Exception as exc:
                read = self.Read(stamp, error=exc)
        self.post_message(read)

    def _read_on_own_connection(self, stamp: tuple[Any, ...]) -> Read:
        twin = self.app.study.on_own_connection()
        try:
            return self.Read(stamp, read_dashboard(twin), twin)
        finally:
            twin.close()

    def on_dashboard_screen_read(self, read: Read) -> None:
        if read.stamp != self.reading_at:
            return  # overtaken by a later read
        self.reading_at = None
        if read.view is None or read.twin is None:  # failed twice: the numbers shown stay until the next read
            self.app.show_error(f"{READ_WHAT} failed", read.error)
            return
        if self.app.study.adopt(read.stamp, read.twin):
            self._show(read.view, read.stamp)
        else:
            self.refresh_data()  # written meanwhile: what it read may be out of date

    @staticmethod
    def _dated(today: date) -> str:
        return today.strftime("%A %d %B %Y")

    def _show(self, view: DashboardView, stamp: tuple[Any, ...]) -> None:
        study = self.app.study
        self.shown_at, self.shown = stamp, view
        today, starts = view.today, view.starts
        self.app.sub_title = self._dated(today)
        self.query_one("#welcome").display = not starts
        options = [Option(self._deck_prompt(deck, today, starts), id=deck.deck.id) for deck in view.decks]
        left = sum(len(deck.queue) for deck in view.decks)
        deck_list = self.query_one("#decks", OptionList)
        highlighted = deck_list.highlighted
        deck_list.clear_options()
        deck_list.add_options(options)
        if options:
            deck_list.highlighted = min(highlighted or 0, len(options) - 1)
        else:
            deck_list.add_option(Option("No decks found. Add one with --content DIR "
                                        "(see `tutor content validate`).", disabled=True))
        line = Text.assemble(("Today ", "bold"), f"{plural(view.done_today, 'review')} done, ",
                             (f"{left} left", "bold yellow" if left else "bold green"),
                             f" (about {view.minutes_left} of your {study.settings.daily_minutes} min)" if left else "",
                             "   ", ("Streak ", "bold"), plural(view.streak, "day"))
        if not left and starts:
            line.append("   Nothing left today: come back tomorrow.", style="green")
        self.query_one("#today", Static).update(line)
        issues = self.query_one("#content-issues", Static)
        issues.display = bool(study.skipped)
        if study.skipped:
            shown = study.skipped[:20]
            more = len(study.skipped) - len(shown)
            issues.update(f"The content has {plural(len(study.content_issues), 'issue')}; "
                            "what has one is left out (`tutor content validate` lists them all):\n"
                            + "\n".join(shown) + (f"\n… and {more} more decks" if more else ""))

    def _deck_prompt(self, view: DeckView, today: date, starts: dict[str, date]) -> Text:
        from tutor.tui.widgets.timeline import next_goal, timeline

        deck, queue, checkpoints = view.deck, view.queue, view.checkpoints
        by_kind = {k: sum(e.kind == k for e in queue) for k in KINDS}
        new = sum(e.status == "new" for e in queue)
        start = starts.get(deck.id)
        day = f"day {(today - start).days}" if start else "not started"
        text = Text.assemble((deck.title, "bold"), ("  " + deck.id, "dim"), (f"  · {day}", "dim"), "\n")
        if queue:
            kinds = " · ".join(plural(n, k) for k, n in by_kind.items() if n)
            # the minutes come before the kinds, whose length varies, so a wrap never splits them
            text.append(f"{len(queue)} to study", style="bold yellow")
            text.append(f", about {minutes_of(queue)} min: " + kinds + (f"  ({new} new)" if new else ""))
        else:
            text.append("Nothing due today", style="green")
        text.append("\n")
        if checkpoints:
            text.append_text(timeline(checkpoints, today))
            text.append("\n")
            text.append_text(next_goal(checkpoints, today))
        if view.readiness is not None:
            text.append("\n")
            text.append_text(countdown(view.readiness))
        reading = view.reading
        if reading is not None:
            done = reading.read == len(reading.sections)
            text.append("\n")
            text.append(f"Read for Day {reading.day}: ", style="bold")
            text.append(f"{reading.label()}, {reading.read} of {len(reading.sections)} read")
            text.append("  ✓" if done else "  (r)", style="green" if done else "dim")
        return text

    def kinds_due(self) -> list[str]:
        """The kinds of the items due today, that of the highlighted deck's first item first: what
        the app readies while the learner is here (`TutorApp._preload`)."""
        if self.shown is None:
            return []
        highlighted = self._highlighted_deck()
        decks = sorted(self.shown.decks, key=lambda view: view.deck.id != highlighted)
        return list(dict.fromkeys(entry.kind for view in decks for entry in view.queue))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "read":
            deck = self._highlighted_deck()
            return bool(deck and self.app.study.lessons(deck))
        return True

    def on_option_list_option_highlighted(self) -> None:
        self.refresh_bindings()

    def _highlighted_deck(self) -> str | None:
        deck_list = self.query_one("#decks", OptionList)
        if deck_list.option_count == 0:
            return None
        index = deck_list.highlighted if deck_list.highlighted is not None else 0
        return deck_list.get_option_at_index(index).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.start_study(event.option.id)

    def action_study(self) -> None:
        deck = self._highlighted_deck()
        if deck:
            self.app.start_study(deck)

    def action_read(self) -> None:
        """The lessons, at the first unread part of the checkpoint in progress."""
        deck = self._highlighted_deck()
        if not deck:
            return
        reading = current_reading(self.app.study, deck, self.app.study.plan(deck))
        self.app.open_lessons(deck, reading.unread[0] if reading and reading.unread else None)

    def action_stats(self) -> None:
        self.app.show_stats()

    def action_browse(self) -> None:
        self.app.show_browse()

    def action_interview(self) -> None:
        deck = self._highlighted_deck()
        if deck:
            self.app.ask_interview(deck)

    def action_mock(self) -> None:
        deck = self._highlighted_deck()
        if deck:
            self.app.start_mock(deck)
