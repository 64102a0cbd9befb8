"""A timed interview problem: countdown, answer editor, hints, then the model answer and rubric.

The learner's verdict (Strong / Lean / No Hire) becomes the rating through
`tutor.study.ratings.rate_problem`; every hint opened lowers it a level. The clock and the hints
opened live in the item's study day in the store (`Study.start_clock`, `Study.note_hints`), so
leaving, quitting or restarting neither stops the clock nor offers a hint again. The answer is
saved as a draft while typed. An (almost) empty answer asks once whether it was given aloud;
after the verdict the learner may lower its rating (never raise it), and enter moves on.
Keys follow the derivation screen's: ctrl+r is done, ctrl+t a hint.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Markdown, Static, TextArea

from tutor import clock
from tutor.content.mathtext import render_markdown as md
from tutor.content.mathtext import render_math
from tutor.content.text import key_point_covered
from tutor.errors import TutorError
from tutor.schedule import AGAIN, GOOD, HARD, Rating
from tutor.study.ratings import Verdict, lowered, rate_problem
from tutor.tui.messages import ItemResult, Rated, UndoAsked, UndoInPlace
from tutor.tui.widgets.code_editor import EditorScreen, InOrderTextArea
from tutor.tui.widgets.header import TitleBar
from tutor.tui.widgets.rating import NAMES, STYLES

DRAFT_DELAY_S = 0.5
NEAR_EMPTY_WORDS = 3  # fewer words than this: ask whether the answer was given aloud


def near_empty(answer: str) -> bool:
    return len(answer.split()) < NEAR_EMPTY_WORDS


def clock_text(seconds: float) -> str:
    seconds = int(seconds + 0.999) if seconds > 0 else int(-seconds)
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class ProblemScreen(UndoInPlace, EditorScreen[ItemResult]):
    HELP_TITLE = "Problem"
    HELP_TEXT = ("Answer in the editor against the clock (it keeps running while you are away). "
                 "escape leaves the editor so the letter keys work; e (or a click) goes back in. "
                 "Each hint lowers the rating one level.")
    HELP_KEYS = (("^t / h", "open the next hint"), ("^r / r", "done: show the model answer"),
                 ("y / n", "an empty answer: was it given aloud? (n: No Hire)"),
                 ("s l n", "your verdict: Strong / Lean / No Hire"),
                 ("1 2 3", "after the verdict: lower the rating to Again / Hard / Good (never raise it)"),
                 ("enter", "after the verdict: record it and move on"), ("escape", "leave the editor"),
                 ("e", "back into the editor"), ("q", "leave (the answer is kept as a draft)"))
    AUTO_FOCUS = "#answer"  # keys typed as the screen opens go there (`EditorScreen`)
    SHOWS_COVERAGE = True  # which key points the answer covers, beside the rubric (not in a mock)
    RESUMES_ATTEMPT = True  # today's unanswered attempt goes on: its clock and hints (not in a mock)
    BINDINGS = [
        Binding("ctrl+t", "hint", "Hint"),
        Binding("ctrl+r", "reveal", "Done"),
        Binding("escape", "leave_editor", "Leave editor"),
        Binding("h", "hint", "Hint", show=False),
        Binding("r", "reveal", "Done", show=False),
        Binding("e", "edit", "Edit", show=False),
        # The verdict keys are named with their ratings on the line above the footer.
        Binding("s", "verdict('strong_hire')", "Strong Hire", show=False),
        Binding("l", "verdict('lean_hire')", "Lean Hire", show=False),
        Binding("n", "verdict('no_hire')", "No Hire", show=False),
        Binding("y", "aloud", "Yes, aloud"),
        *[Binding(str(n), f"lower({n})", show=False) for n in (AGAIN, HARD, GOOD)],
        Binding("enter", "accept", "Continue"),
        Binding("u", "undo", "Undo last", show=False),
        Binding("q", "leave", "Leave"),
    ]

    def __init__(self, problem, study, progress: str = ""):
        super().__init__()
        self.problem = problem
        self.study = study
        self.progress = progress
        self.hints_used = 0
        self.revealed = False
        self.seconds = 0.0
        self.started: datetime = study.now()
        self.covered = 0  # key points the answer covers
        self.asking_aloud = False  # an (almost) empty answer: was it given aloud?
        self.aloud: bool | None = None
        self.verdict: Verdict | None = None
        self.automatic: Rating | None = None  # what the verdict gives
        self.rating: Rating | None = None  # what will be recorded (lowered by the learner, or not)
        self._draft_timer: Timer | None = None
        self._dirty = False
        self._text = ""  # the editor's text as last typed, saved even while the screen unmounts

    def compose(self) -> ComposeResult:
        p = self.problem
        yield TitleBar()
        yield Static(id="clock")
        with VerticalScroll(id="problem-prompt"):
            yield Markdown(md(p.prompt), id="prompt")
            yield Static(id="hints", markup=False)
        draft = (self.study.store.draft(p.id) or "") if self.KEEPS_DRAFTS else ""
        yield InOrderTextArea(draft, id="answer", soft_wrap=True, placeholder="Your answer…")
        with VerticalScroll(id="review"):
            yield Static(id="coverage")
            yield Markdown(id="model")
            yield Markdown(id="rubric")
            yield Static(id="your-answer", markup=False)
        yield Static(id="verdict-help")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.progress
        day = self.study.start_clock(self.problem.id)  # an unanswered opening's clock runs on
        resumed = self.RESUMES_ATTEMPT
        self.started = (day.clock_started_at if resumed else None) or self.study.now()
        self.query_one("#review").display = False
        self.query_one("#verdict-help").display = False
        self._show_hints(day.hints if resumed else 0)
        self.ticker = self.set_interval(0.25, self._tick)
        self._tick()

    def _editor_composed(self) -> None:
        answer = self.query_one("#answer", TextArea)
        answer.move_cursor(answer.document.end)  # an answer typed on goes after the draft

    # -- the clock -----------------------------------------------------------------------

    def _elapsed(self) -> float:
        return (self.study.now() - self.started).total_seconds()

    def _tick(self) -> None:
        p = self.problem
        elapsed = self.seconds if self.revealed else self._elapsed()
        left = p.time_limit_min * 60 - elapsed
        text = Text()
        if self.revealed:
            text.append(f"⏱ answered in {clock_text(elapsed)}", style="bold")
        elif left >= 0:
            text.append(f"⏱ {clock_text(left)} left", style="bold red" if left < 60 else "bold")
        else:
            text.append(f"⏱ time is up, {clock_text(left)} over", style="bold red")
        text.append(f"  · target {clock_text(p.target_min * 60)} · limit {clock_text(p.time_limit_min * 60)}",
                    style="dim")
        text.append(f" · hints {self.hints_used}/{len(p.hints)}", style="dim")
        if self.hints_used:
            text.append(f" (rating {self.hints_used} level{'s' if self.hints_used != 1 else ''} lower)",
                        style="dim")
        if elapsed > p.target_min * 60 and not self.revealed:
            text.append(" · past target", style="yellow")
        self.query_one("#clock", Static).update(text)

    # -- drafts --------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._text = event.text_area.text
        self._dirty = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY_S, self._save_draft)

    def _save_draft(self) -> None:
        if not self._dirty or not self.KEEPS_DRAFTS:
            return
        self._dirty = False
        try:
            self.study.store.save_draft(self.problem.id, "problem", self._text, clock.now())
        except Exception as exc:
            self.notify(f"Could not save the draft: {exc}", severity="error", markup=False)

    def on_unmount(self) -> None:
        self._save_draft()  # ctrl+q within the debounce delay still keeps the last keystrokes

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("verdict", "aloud"):
            return self.revealed and (action == "verdict" or self.asking_aloud)
        if action in ("lower", "accept"):
            return self.verdict is not None
        if action in ("hint", "reveal"):
            if self.revealed:
                return False
            return action != "hint" or self.hints_used < len(self.problem.hints) or None
        if action == "edit":
            return not self.revealed
        if action == "leave_editor":
            return self.focused is not None and self.focused.id == "answer"
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def action_hint(self) -> None:
        if self.revealed or self.hints_used >= len(self.problem.hints):
            return
        self.study.note_hints(self.problem.id, self.hints_used + 1)
        self._show_hints(self.hints_used + 1)
        self.query_one("#problem-prompt").scroll_end(animate=False)
        self._tick()
        self.refresh_bindings()

    def _show_hints(self, count: int) -> None:
        """The first `count` hints (each says it costs a level), opened now or earlier today."""
        self.hints_used = min(count, len(self.problem.hints))
        hints = self.query_one("#hints", Static)
        hints.update(Text("\n".join(f"Hint {i}: {render_math(h)}"
                                    for i, h in enumerate(self.problem.hints[:self.hints_used], 1))))
        hints.display = self.hints_used > 0

    def action_reveal(self) -> None:
        if self.revealed:
            return
        self._save_draft()
        self.revealed = True
        self.seconds = self._elapsed()
        self.ticker.stop()
        p = self.problem
        editor = self.query_one("#answer", TextArea)
        answer = editor.text
        editor.display = False
        covered = [(kp.point, key_point_covered(kp.match, answer, kp.phrases)) for kp in p.key_points]
        self.covered = sum(c for _, c in covered)
        self.asking_aloud = near_empty(answer)
        coverage = Text()
        coverage.append(f"Key points covered: {self.covered} of {len(covered)}\n", style="bold")
        for point, ok in covered:
            coverage.append("  ✓ " if ok else "  ✗ ", style="green" if ok else "red")
            coverage.append(render_math(point) + "\n")
        self.query_one("#coverage", Static).update(coverage)
        self.query_one("#coverage", Static).display = self.SHOWS_COVERAGE
        rubric = ["**Rubric**"]
        for verdict in reversed(Verdict):
            criteria = getattr(p.rubric, verdict.key)
            rubric.append(f"*{verdict.label}* ({verdict.key[0]})\n\n" + "\n".join(f"- {c}" for c in criteria))
        self.query_one("#rubric", Markdown).update(md("\n\n".join(rubric)))
        self.query_one("#model", Markdown).update(md("**Model answer**\n\n" + p.answer))
        self.query_one("#your-answer", Static).update("Your answer:\n" + (answer.strip() or "(empty)"))
        self._show_verdict_bar()
        review = self.query_one("#review", VerticalScroll)
        review.display = True
        review.focus()
        self.query_one("#problem-prompt").display = False
        self._tick()
        self.refresh_bindings()

    # -- the verdict ---------------------------------------------------------------------

    def _show_verdict_bar(self, warning: str = "") -> None:
        """Under the review: the question about an empty answer, else each verdict key with the
        rating it gives (before the choice), the chosen one highlighted; key points beside them."""
        hints = f"{self.hints_used} hint{'s' if self.hints_used != 1 else ''}"
        covered = f"Key points covered: {self.covered} of {len(self.problem.key_points)} · "
        line = Text(f"{covered if self.SHOWS_COVERAGE else ''}{hints} · ", style="dim")
        if self.asking_aloud:
            line.append("You wrote (almost) nothing.\n", style="bold")
            line.append("Did you give the answer aloud? ", style="bold")
            line.append_text(Text.assemble(("y", "reverse"), " yes  ", ("n", "reverse"), " no: No Hire"))
        else:
            line.append("your verdict:\n", style="bold")
            for verdict in reversed(Verdict):
                rating = rate_problem(verdict, self.hints_used, self.seconds, self.problem.target_min)
                style = f"reverse bold {STYLES[rating]}" if verdict == self.verdict else ""
                line.append_text(Text.assemble((verdict.key[0], "reverse"),
                                               (f" {verdict.label} → {NAMES[rating]}", style), "  "))
        if self.rating is not None and self.automatic is not None:
            line.append("\n")
            line.append(f"Rated {NAMES[self.rating]}", style=f"bold {STYLES[self.rating]}")
            if self.rating != self.automatic:
                line.append(f" (lowered from {NAMES[self.automatic]})")
            lower = [str(r) for r in (AGAIN, HARD, GOOD) if r < self.rating]
            line.append(" · enter continues" + (f" · {' '.join(lower)} lower it" if lower else ""),
                        style="dim")
        if warning:
            line.append(f"\n{warning}", style="bold yellow")
        bar = self.query_one("#verdict-help", Static)
        bar.update(line)
        bar.display = True

    def action_aloud(self) -> None:
        if self.asking_aloud:
            self.asking_aloud, self.aloud = False, True
            self._show_verdict_bar()
            self.refresh_bindings()

    def action_verdict(self, key: str) -> None:
        if not self.revealed:
            return
        verdict = Verdict.from_key(key)
        if self.asking_aloud:
            if verdict != Verdict.NO_HIRE:
                self._show_verdict_bar("First say whether you gave the answer aloud: y or n.")
                return
            self.asking_aloud, self.aloud = False, False  # "no": nothing was answered
        self.verdict = verdict
        self.rating = self.automatic = rate_problem(verdict, self.hints_used, self.seconds,
                                                    self.problem.target_min)
        self._show_verdict_bar()
        self.refresh_bindings()

    def action_lower(self, n: int) -> None:
        """"I was generous": the verdict's rating may be lowered before moving on, never raised."""
        if self.automatic is None:
            return
        if lowered(self.automatic, Rating(n)) != n:
            self._show_verdict_bar(f"{NAMES[n]} would raise the verdict's {NAMES[self.automatic]}: "
                                   "a rating can only be lowered.")
            return
        self.rating = Rating(n)
        self._show_verdict_bar()

    def action_accept(self) -> None:
        if self.verdict is None or self.rating is None or self.automatic is None:
            return
        p = self.problem
        detail = {"verdict": self.verdict.key, "hints_used": self.hints_used,
                  "seconds": round(self.seconds, 1), "key_points": self.covered}
        if self.aloud is not None:
            detail["aloud"] = self.aloud
        if self.rating != self.automatic:
            detail["automatic"] = int(self.automatic)
        try:
            self.study.stop_clock(p.id)  # the next attempt starts a fresh clock
            if self.KEEPS_DRAFTS:
                self.study.store.delete_draft(p.id)
        except TutorError as exc:  # the review itself is still recorded; say what was not
            self.notify(f"Could not close the attempt: {exc}", severity="error", markup=False)
        self.dismiss(Rated(self.rating, detail))

    def action_leave_editor(self) -> None:
        self.set_focus(None)
        self.refresh_bindings()

    def action_edit(self) -> None:
        if not self.revealed:
            self.query_one("#answer", TextArea).focus()

    def action_undo(self) -> None:
        if not self.app.session_reviews:
            self.notify("Nothing to undo in this session.", severity="warning")
            return
        self._save_draft()
        self.dismiss(UndoAsked())

    def action_leave(self) -> None:
        self._save_draft()
        self.dismiss(None)
