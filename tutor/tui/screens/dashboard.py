"""The dashboard: every deck with what is due by kind, its Day 0/3/7/14/21 plan, today's progress.

It is the first frame the learner sees, so it reads only the store's catalog (no YAML parsing)
and refreshes whenever it comes back to the front, unless nothing was written meanwhile
(`Study.version`): then the numbers on screen are still right.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.content.kinds import KINDS
from tutor.tui.messages import ReviewsChanged

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


class DashboardScreen(Screen):
    HELP_TITLE = "Dashboard"
    HELP_TEXT = ("Pick a deck with the arrows; enter studies its queue for today, r reads its lessons "
                 "(the current checkpoint's first unread part), i sets the date of the interview it must be "
                 "ready by (the plan is fitted to it; readiness is the recall FSRS predicts on the day), m starts a "
                 "30-minute mock interview of it.")
    BINDINGS = [
        Binding("enter", "study", "Study", priority=True),
        Binding("r", "read", "Read"),
        Binding("s", "stats", "Stats"),
        Binding("i", "interview", "Interview date"),
        Binding("m", "mock", "Mock interview", show=False),  # the footer is full at 80 columns; ? lists it
        Binding("b", "browse", "Browse"),
        Binding("q", "app.quit", "Quit"),
    ]

    shown_at: tuple[Any, ...] | None = None  # (`Study.version()`, day) the numbers on screen were read at

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Static(WELCOME, id="welcome", markup=False)
            yield Static(id="today")
            yield OptionList(id="decks")
            yield Static(id="content-issues", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#decks", OptionList).focus()

    def on_screen_resume(self) -> None:
        """Fires on the first show too, and whenever a study, stats or browse screen closes."""
        self.refresh_data()

    def on_reviews_changed(self, _: ReviewsChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        from tutor.study import stats

        study = self.app.study
        today = study.today()
        read_at = (study.version(), today)
        if read_at == self.shown_at:
            return
        self.shown_at = read_at
        starts = study.deck_starts()
        self.app.sub_title = today.strftime("%A %d %B %Y")
        self.query_one("#welcome").display = not starts
        decks = study.decks()
        options: list[Option] = []
        left = 0
        for deck in decks:
            queue = study.queue(deck.id)
            left += len(queue)
            options.append(Option(self._deck_prompt(deck, queue, study.plan(deck.id), today, starts),
                                  id=deck.id))
        deck_list = self.query_one("#decks", OptionList)
        highlighted = deck_list.highlighted
        deck_list.clear_options()
        deck_list.add_options(options)
        if options:
            deck_list.highlighted = min(highlighted or 0, len(options) - 1)
        else:
            deck_list.add_option(Option("No decks found. Add one with --content DIR "
                                        "(see `tutor content validate`).", disabled=True))
        done_today = stats.reviews_per_day(study.store, today, 1)[today.isoformat()]
        streak = stats.streak(study.store, today)
        minutes = minutes_of(study.queue()) if left else 0
        line = Text.assemble(("Today ", "bold"), f"{plural(done_today, 'review')} done, ",
                             (f"{left} left", "bold yellow" if left else "bold green"),
                             f" (about {minutes} of your {study.settings.daily_minutes} min)" if left else "",
                             "   ", ("Streak ", "bold"), plural(streak, "day"))
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

    def _deck_prompt(self, deck, queue, checkpoints, today, starts) -> Text:
        from tutor.tui.widgets.timeline import next_goal, timeline

        by_kind = {k: sum(e.kind == k for e in queue) for k in KINDS}
        new = sum(e.status == "new" for e in queue)
        start = starts.get(deck.id)
        day = f"day {(today - start).days}" if start else "not started"
        text = Text.assemble((deck.title, "bold"), ("  " + deck.id, "dim"), (f"  · {day}", "dim"), "\n")
        if queue:
            kinds = " · ".join(plural(n, k) for k, n in by_kind.items() if n)
            text.append(f"{len(queue)} to study: ", style="bold yellow")
            text.append(kinds + (f"  ({new} new)" if new else "") + f"  · about {minutes_of(queue)} min")
        else:
            text.append("Nothing due today", style="green")
        text.append("\n")
        if checkpoints:
            text.append_text(timeline(checkpoints, today))
            text.append("\n")
            text.append_text(next_goal(checkpoints, today))
        ready = self.app.study.readiness(deck.id)
        if ready is not None:
            text.append("\n")
            text.append_text(countdown(ready))
        reading = self._reading(deck.id, checkpoints)
        if reading is not None:
            done = reading.read == len(reading.sections)
            text.append("\n")
            text.append(f"Read for Day {reading.day}: ", style="bold")
            text.append(f"{reading.label()}, {reading.read} of {len(reading.sections)} read")
            text.append("  ✓" if done else "  (r)", style="green" if done else "dim")
        return text

    def _reading(self, deck: str, checkpoints) -> Any:
        """The reading of the checkpoint in progress (the first not done), else of the last one."""
        study = self.app.study
        open_days = [cp.day for cp in checkpoints if cp.status != "done"]
        for day in open_days or [cp.day for cp in checkpoints[-1:]] or [0]:
            reading = study.reading(deck, day)
            if reading is not None:
                return reading
        return None

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
        reading = self._reading(deck, self.app.study.plan(deck))
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
