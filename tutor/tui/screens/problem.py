"""A timed interview problem: countdown, answer editor, hints, then the model answer and rubric.

The learner's verdict (Strong / Lean / No Hire) becomes the rating through
`tutor.study.ratings.rate_problem`; every hint opened lowers it a level. The answer is saved
as a draft while typed, so leaving (or a crash) loses nothing. Keys follow the derivation
screen's: ctrl+r is done, ctrl+t a hint.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Markdown, Static, TextArea

from tutor import clock
from tutor.content.mathtext import render_markdown as md
from tutor.content.mathtext import render_math
from tutor.content.text import key_point_covered
from tutor.study.ratings import Verdict, rate_problem
from tutor.tui.messages import ItemResult, Rated, UndoAsked, UndoInPlace
from tutor.tui.widgets.rating import NAMES

DRAFT_DELAY_S = 0.5



def clock_text(seconds: float) -> str:
    seconds = int(seconds + 0.999) if seconds > 0 else int(-seconds)
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class ProblemScreen(UndoInPlace, Screen[ItemResult]):
    HELP_TITLE = "Problem"
    HELP_TEXT = ("Answer in the editor against the clock. escape leaves the editor so the letter "
                 "keys work; e (or a click) goes back in. Each hint lowers the rating one level.")
    HELP_KEYS = (("^t / h", "open the next hint"), ("^r / r", "done: show the model answer"),
                 ("s l n", "your verdict: Strong / Lean / No Hire"), ("escape", "leave the editor"),
                 ("e", "back into the editor"), ("q", "leave (the answer is kept as a draft)"))
    BINDINGS = [
        Binding("ctrl+t", "hint", "Hint"),
        Binding("ctrl+r", "reveal", "Done"),
        Binding("escape", "leave_editor", "Leave editor"),
        Binding("h", "hint", "Hint", show=False),
        Binding("r", "reveal", "Done", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("s", "verdict('strong_hire')", "Strong Hire"),
        Binding("l", "verdict('lean_hire')", "Lean Hire"),
        Binding("n", "verdict('no_hire')", "No Hire"),
        Binding("u", "undo", "Undo last", show=False),
        Binding("q", "leave", "Leave"),
    ]
    clock = staticmethod(time.monotonic)  # tests replace it to freeze the countdown

    def __init__(self, problem, study, progress: str = ""):
        super().__init__()
        self.problem = problem
        self.study = study
        self.progress = progress
        self.hints_used = 0
        self.revealed = False
        self.seconds = 0.0
        self._draft_timer: Timer | None = None
        self._dirty = False
        self._text = ""  # the editor's text as last typed, saved even while the screen unmounts

    def compose(self) -> ComposeResult:
        p = self.problem
        yield Header()
        yield Static(id="clock")
        with VerticalScroll(id="problem-prompt"):
            yield Markdown(md(p.prompt), id="prompt")
            yield Static(id="hints", markup=False)
        draft = self.study.store.draft(p.id) or ""
        yield TextArea(draft, id="answer", soft_wrap=True, placeholder="Your answer…")
        with VerticalScroll(id="review"):
            yield Static(id="verdict-help")
            yield Static(id="coverage")
            yield Markdown(id="model")
            yield Markdown(id="rubric")
            yield Static(id="your-answer", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.progress
        # Leaving and coming back in the same run keeps the clock running from the first opening.
        started = getattr(self.app, "problem_clocks", {})
        self.started = started.setdefault(self.problem.id, self.clock())
        self.deadline = self.started + self.problem.time_limit_min * 60
        self.query_one("#review").display = False
        self.query_one("#hints").display = False
        self.ticker = self.set_interval(0.25, self._tick)
        self._tick()
        answer = self.query_one("#answer", TextArea)
        answer.focus()
        answer.move_cursor(answer.document.end)

    # -- the clock -----------------------------------------------------------------------

    def _tick(self) -> None:
        p = self.problem
        now = self.clock()
        left = self.deadline - now
        elapsed = (self.seconds if self.revealed else now - self.started)
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
        if not self._dirty:
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
        if action == "verdict":
            return self.revealed
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
        self.hints_used += 1
        hints = self.query_one("#hints", Static)
        hints.update(Text("\n".join(f"Hint {i}: {render_math(h)}"
                                    for i, h in enumerate(self.problem.hints[:self.hints_used], 1))))
        hints.display = True
        self.query_one("#problem-prompt").scroll_end(animate=False)
        self.notify(f"Hint {self.hints_used} of {len(self.problem.hints)}: the rating is one level lower.",
                    timeout=3)
        self._tick()
        self.refresh_bindings()

    def action_reveal(self) -> None:
        if self.revealed:
            return
        self._save_draft()
        self.revealed = True
        self.seconds = self.clock() - self.started
        self.ticker.stop()
        p = self.problem
        answer = self.query_one("#answer", TextArea).text
        editor = self.query_one("#answer", TextArea)
        editor.display = False
        covered = [(kp.point, key_point_covered(kp.match, answer, kp.phrases)) for kp in p.key_points]
        coverage = Text()
        coverage.append(f"Key points covered: {sum(c for _, c in covered)} of {len(covered)}\n", style="bold")
        for point, ok in covered:
            coverage.append("  ✓ " if ok else "  ✗ ", style="green" if ok else "red")
            coverage.append(render_math(point) + "\n")
        self.query_one("#coverage", Static).update(coverage)
        rubric = ["**Rubric**"]
        for verdict in reversed(Verdict):
            criteria = getattr(p.rubric, verdict.key)
            rubric.append(f"*{verdict.label}* ({verdict.key[0]})\n\n" + "\n".join(f"- {c}" for c in criteria))
        self.query_one("#rubric", Markdown).update(md("\n\n".join(rubric)))
        self.query_one("#model", Markdown).update(md("**Model answer**\n\n" + p.answer))
        self.query_one("#your-answer", Static).update("Your answer:\n" + (answer.strip() or "(empty)"))
        help_line = Text("Your verdict: ", style="bold")
        for verdict in reversed(Verdict):  # each key shows the rating it gives, before the choice
            rating = rate_problem(verdict, self.hints_used, self.seconds, p.target_min)
            help_line.append_text(Text.assemble((verdict.key[0], "reverse"), f" {verdict.label} → {NAMES[rating]}  "))
        help_line.append(f" ({self.hints_used} hint{'s' if self.hints_used != 1 else ''} used)", style="dim")
        self.query_one("#verdict-help", Static).update(help_line)
        review = self.query_one("#review", VerticalScroll)
        review.display = True
        review.focus()
        self.query_one("#problem-prompt").display = False
        self._tick()
        self.refresh_bindings()

    def action_verdict(self, key: str) -> None:
        if not self.revealed:
            return
        p = self.problem
        verdict = Verdict.from_key(key)
        rating = rate_problem(verdict, self.hints_used, self.seconds, p.target_min)
        getattr(self.app, "problem_clocks", {}).pop(p.id, None)
        try:
            self.study.store.delete_draft(p.id)
        except Exception:
            pass
        self.notify(f"{verdict.label} → {NAMES[rating]}"
                    + (f" ({self.hints_used} hint{'s' if self.hints_used != 1 else ''})" if self.hints_used else ""),
                    timeout=3)
        self.dismiss(Rated(rating, {"verdict": verdict.key, "hints_used": self.hints_used,
                                    "seconds": round(self.seconds, 1)}))

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
