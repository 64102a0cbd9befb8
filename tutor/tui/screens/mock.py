"""The mock interview in the app: the session `tutor.study.mock` picks, asked against one clock,
then its report.

`MockScreen` asks the items in turn with the study's own item screens in a no-verdict mode
(the `Mock*Screen` subclasses below): a choice or typed card is checked and moves on without
saying whether it was right, a drill's or derivation's ctrl+r submits the answer once (no
marks, no result), a basic card and a timed problem are rated by the learner as usual. Every
answer is recorded at once by `Study.review` (its detail says `"mock": true`), so undo and the
log work as in a study session. The countdown is in each item's title bar; when it runs out
the item on screen is the last. q on an item ends the mock early. The report then scores each
section, lists the time per answer and the mistakes named, and says what to review next.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.schedule import AGAIN, GOOD, Rating
from tutor.study import mock
from tutor.study.answers import AnswerResult
from tutor.study.mistakes import advice, named_mistakes
from tutor.tui.messages import ItemResult, Rated, ShowsWorkerErrors, UndoAsked, UndoInPlace
from tutor.tui.screens.card import CardScreen
from tutor.tui.screens.problem import ProblemScreen, clock_text
from tutor.tui.widgets.header import TitleBar
from tutor.tui.widgets.rating import NAMES, STYLES

if TYPE_CHECKING:
    from tutor.study import Study

NO_VERDICT = "no verdict until the report"


class MockClock:
    """The mock's clock: when it started and ends, and the title line with the time left."""

    def __init__(self, study: Study, minutes: int, total: int) -> None:
        self.study = study
        self.started: datetime = study.now()
        self.ends = self.started + timedelta(minutes=minutes)
        self.total = total
        self.asked = 0  # the 1-based number of the item on screen

    def left(self) -> float:
        return (self.ends - self.study.now()).total_seconds()

    def title(self) -> str:
        left = self.left()
        time = f"{clock_text(left)} left" if left > 0 else "time is up: this is the last"
        return f"mock {self.asked} of {self.total} · {time}"


class MockItem:
    """What every item screen of a mock adds: the countdown in its title (`clock` is set before
    it is shown), and the named mistakes its check found (read by `MockScreen` once answered).
    Textual runs this `on_mount` as well as the screen's own."""

    clock: MockClock
    named: tuple[str, ...] = ()
    KEEPS_DRAFTS = False  # a mock answer starts empty, and the study's draft stays as it was
    variant: dict[str, Any] = {}  # a variant item's seed and params, kept with its review (read-only)

    def on_mount(self) -> None:
        screen: Any = self
        self.show_countdown()
        screen.set_interval(1.0, self.show_countdown)

    def show_countdown(self) -> None:
        screen: Any = self
        screen.sub_title = self.clock.title()


class MockCardScreen(MockItem, CardScreen):
    """A quick-fire card: a choice or typed answer is checked and moves on, no verdict shown."""

    def _pick(self, index: int) -> None:
        if self.revealed or self.card.type != "choice" or not 0 <= index < len(self.card.options):
            return
        self.picked = index
        self.correct = index in self.card.answer
        self._rate(GOOD if self.correct else AGAIN)

    def _show_answer_result(self, result: AnswerResult) -> None:
        found = result.to_dict()
        self.study.save_attempt(self.card, found)
        self.named = named_mistakes(self.card, found)
        self.correct = result.correct
        self._rate(GOOD if result.correct else AGAIN)


class MockProblemScreen(MockItem, ProblemScreen):
    """A timed problem as in a study session (its own clock, the learner's verdict against the
    rubric and model answer), under the mock's; which key points were found is not shown."""

    SHOWS_COVERAGE = False
    RESUMES_ATTEMPT = False  # the mock's answer starts now, with no hint open, as in an interview


class MockScreen(ShowsWorkerErrors, UndoInPlace, Screen):
    """Asks the picked items in turn against the clock, records each answer, ends in the report."""

    HELP_TITLE = "Mock interview"
    HELP_TEXT = ("A timed session across kinds, picked by weakness. Answers are recorded as you go, "
                 "but no verdict is shown until the report at the end. Drills and derivations are "
                 "submitted once with ctrl+r. q on an item ends the mock early.")
    BINDINGS = [
        Binding("enter", "continue", "Continue"),
        Binding("u", "undo", "Undo last"),
        Binding("q,escape", "leave", "Back"),
    ]

    def __init__(self, deck: str | None = None, minutes: int = mock.DEFAULT_MINUTES) -> None:
        super().__init__()
        self.deck, self.minutes = deck, minutes
        self.picks: list[mock.Pick] = []
        self.answers: list[tuple[mock.Answer, int]] = []  # with each answer's review id
        self.asking: MockItem | None = None
        self.shown_at: datetime | None = None
        self.clock: MockClock | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Middle(), Center():
            yield Static("Picking the questions…", id="mock-status")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        study = self.app.study
        decks = [self.deck] if self.deck else [d.id for d in study.decks()]
        self.picks = mock.pick(mock.candidates(study, self.app.library(), decks), self.minutes)
        self.clock = MockClock(study, self.minutes, len(self.picks))
        if not self.picks:
            self.query_one("#mock-status", Static).update(
                f"Nothing to ask: no item fits in {self.minutes} minutes.\n\nq back")
            return
        self.advance()

    def on_screen_resume(self) -> None:
        if self.clock is not None:
            self.call_after_refresh(self.advance)

    def advance(self) -> None:
        """Ask the next item, or end in the report (a no-op while an item is on top)."""
        if self.app.screen is not self or self.asking is not None or self.clock is None or not self.picks:
            return
        n = len(self.answers)
        if n >= len(self.picks) or (n and self.clock.left() <= 0):
            self._report()
            return
        pick = self.picks[n]
        self.clock.asked = n + 1
        screen = self._item_screen(pick, self.clock)
        if screen is None:
            self.picks.pop(n)
            self.clock.total = len(self.picks)
            self.call_after_refresh(self.advance)
            return
        self.asking = screen
        self.shown_at = self.app.study.now()
        self.app.push_screen(screen, callback=self._answered)

    def _item_screen(self, pick: mock.Pick, clock: MockClock) -> Any:
        app, study = self.app, self.app.study
        item = app.library().item(pick.id)
        if item is None:
            app.notify(f"{pick.id} is no longer in the content; skipped.", severity="warning")
            return None
        item, drawn = study.drawn(item)  # a variant item with its numbers for this review
        screen: MockItem
        if item.kind == "card":
            screen = MockCardScreen(item, study, clock.title(), drawn=drawn)
        elif item.kind == "problem":
            screen = MockProblemScreen(item, study, clock.title())
        else:
            try:
                from tutor.tui.screens.mock_exercises import MockDerivationScreen, MockDrillScreen
            except ImportError:
                app.notify(f"{item.kind.title()}s cannot be asked in this build; {item.id} skipped.",
                           severity="warning")
                return None
            screen = (MockDrillScreen if item.kind == "drill" else MockDerivationScreen)(item, study, app.engines)
        screen.clock = clock
        screen.variant = drawn.detail() if drawn is not None else {}
        return screen

    def _answered(self, result: ItemResult) -> None:
        asked, self.asking = self.asking, None
        if result is None:
            self._report()
            return
        if isinstance(result, UndoAsked):
            self.action_undo()
            return
        if isinstance(result, Rated) and asked is not None:
            self._record(result, asked.named, asked.variant)
        self.call_after_refresh(self.advance)

    def _record(self, result: Rated, named: tuple[str, ...], variant: dict[str, Any]) -> None:
        study = self.app.study
        pick = self.picks[len(self.answers)]
        seconds = (study.now() - self.shown_at).total_seconds() if self.shown_at else 0.0
        try:
            review_id, _ = study.review(pick.id, result.rating, duration_ms=int(seconds * 1000),
                                        detail={**result.detail, "mock": True, **variant})
        except Exception as exc:
            self.app.show_error(f"Could not save the answer to {pick.id}", exc)
            return
        self.app.session_reviews.append(review_id)
        self.answers.append((mock.Answer(pick, result.rating, seconds, named), review_id))

    def _report(self) -> None:
        answers = [a for a, _ in self.answers]
        done = mock.report(answers, self.picks[len(answers):])
        spent = (self.app.study.now() - self.clock.started).total_seconds() if self.clock else 0.0
        self.app.switch_screen(MockReportScreen(done, self.minutes, spent))

    def action_continue(self) -> None:
        self.advance()

    def action_undo(self) -> None:
        """Undo this mock's last answer (its review): that item is asked again next."""
        if not self.answers:
            self.notify("Nothing to undo in this mock yet.", severity="warning")
        elif (undone := self.app.undo_review()) is not None and self.answers[-1][1] == undone.id:
            self.answers.pop()
        self.call_after_refresh(self.advance)

    def action_leave(self) -> None:
        if self.clock is not None and self.picks:
            self._report()
        else:
            self.dismiss()


class MockReportScreen(ShowsWorkerErrors, Screen):
    """The mock's report: the score per section, each answer with its time, the mistakes named,
    and what to review next."""

    HELP_TITLE = "Mock report"
    HELP_TEXT = "How the mock went. Every answer is already recorded as a review; enter or q goes back."
    BINDINGS = [Binding("q,escape,enter", "leave", "Back")]
    DEFAULT_CSS = """
    MockReportScreen #mock-report-scroll > Static { padding: 0 1; }
    MockReportScreen #mock-answers, MockReportScreen #mock-mistakes { margin-top: 1; }
    """

    def __init__(self, report: dict[str, Any], minutes: int, seconds: float) -> None:
        super().__init__()
        self.report, self.minutes, self.seconds = report, minutes, seconds

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="mock-report-scroll"):
            yield Static(self._summary(), id="mock-report")
            yield Static(self._answers(), id="mock-answers")
            yield Static(self._mistakes(), id="mock-mistakes")
            yield Static(self._next(), id="mock-next")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "mock report"
        self.query_one("#mock-report-scroll").focus()

    def _summary(self) -> Text:
        r = self.report
        answered, asked = len(r["answers"]), len(r["answers"]) + len(r["unanswered"])
        text = Text.assemble(("Mock interview: ", "bold"), f"{answered} of {asked} answered in "
                             f"{clock_text(self.seconds)} of {self.minutes}:00")
        if r["score"] is not None:
            text.append_text(Text.assemble(" · score ", (f"{r['score']:.0%}", "bold")))
        text.append("\n\nScore by section\n", style="bold")
        for section, score in r["sections"].items():
            text.append(f"  {section[:28]:<28} ")
            text.append(f"{'█' * round(score * 10):<10}",
                        style="green" if score >= 0.75 else "yellow" if score >= 0.5 else "red")
            text.append(f" {score:.0%}\n")
        if not r["sections"]:
            text.append("  nothing answered", style="dim")
        text.rstrip()
        return text

    def _answers(self) -> Table:
        table = _table("Time per answer", "item", "kind", "rating", "time", "expected")
        for a in self.report["answers"]:
            rating = Rating(a["rating"])
            table.add_row(a["id"], a["kind"], Text(NAMES[rating], style=STYLES[rating]),
                          clock_text(a["seconds"]), clock_text(a["expected_seconds"]))
        for u in self.report["unanswered"]:
            table.add_row(u["id"], u["kind"], Text("not reached", style="dim"), "", clock_text(u["expected_seconds"]))
        return table

    def _mistakes(self) -> Table | Text:
        found = self.report["mistakes"]
        if not found:
            return Text.assemble(("\nMistakes named\n", "bold"), ("  none", "dim"))
        table = _table("Mistakes named", "mistake", "item", "what to do")
        library = self.app.library()
        for m in found:
            table.add_row(Text(m["id"], style="bold yellow"), m["item"], advice(library.item(m["item"]), m["id"]))
        return table

    def _next(self) -> Text:
        text = Text("\nReview next\n", style="bold")
        text.append("".join(f"  {item_id}\n" for item_id in self.report["review_next"])
                    or "  nothing: every answer was Good or better\n")
        text.append("\nEvery answer is recorded as a review. q: back", style="dim")
        return text

    def action_leave(self) -> None:
        self.dismiss()


def _table(title: str, *columns: str) -> Table:
    """A report table: a bold title on its left, no box."""
    return Table(*columns, box=None, padding=(0, 1), title=title, title_justify="left", title_style="bold")
