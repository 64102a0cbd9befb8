"""The derivation screen: a chain of equal expressions, each line checked as it is written.

Lines are checked by the app's warm SymPy checker (`tutor.tui.engines`) from a thread, on ctrl+r
and also after a short pause in typing; a result that arrives after the text changed again
is dropped.  Each line gets ✓ ✗ ? in the editor's gutter; the pane below (or beside, on a
wide terminal) explains the line under the cursor: its message, its counterexample and the
expression as SymPy read it.  A chain that reaches the goal through the key steps finishes only
on ctrl+r (typing the goal line never ends the exercise), and the next item comes only after
enter, so keys typed on never land in it. The screen dismisses with `Rated` once finished or
given up, or with None when the learner leaves (the draft stays). For the rating
(ARCHITECTURE.md, Rating rules), failed ctrl+r checks and lines once shown ✗ and then changed
both count as failed runs.
"""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static, TextArea

from tutor.content.mathtext import expression_to_unicode
from tutor.content.models import Derivation
from tutor.derive.results import DerivationResult, Step, error_result
from tutor.study import Study
from tutor.study.ratings import DERIVATION_SETBACK
from tutor.tui.engines import Engines
from tutor.tui.screens.exercise import CONTINUE, ExerciseScreen, exercise_bindings, exercise_css
from tutor.tui.widgets.exercise_panes import BusyLine, in_daemon_thread
from tutor.tui.widgets.step_editor import MARKS, StepEditor

LIVE_DELAY_S = 0.6
STATUS_WORDS = {"ok": "equal", "wrong": "wrong", "unparsed": "not understood",
                "undecided": "undecided", "timeout": "timed out"}

def describe_counterexample(example: dict | None) -> str:
    """'at beta1 = 29/50, t = 8: line 2 is 0.93, line 3 is 0.918' from a step's counterexample,
    naming the expressions the checker compared (on a line `a = b`, its two sides)."""
    if not example:
        return ""
    point = ", ".join(f"{name} = {value}" for name, value in (example.get("at") or {}).items())
    before, this = example["compared"]
    values = f"{before} is {example.get('previous')}, {this} is {example.get('this')}"
    if example.get("difference"):  # equal to the digits shown
        values += f" (they differ by {example['difference']})"
    return f"at {point}: {values}" if point else values


class DerivationScreen(ExerciseScreen):
    """Write a chain from `start` to `goal`, one expression per line."""

    PREFIX = "derive"
    KIND = "derivation"
    HELP_TITLE = "Derivation"
    HELP_TEXT = ("One expression per line, from the start to the goal; each line is checked as you "
                 "type. ctrl+r checks now, and finishes once the goal and the key steps are reached "
                 "(typing the goal line alone never does); then enter moves on. A line shown ✗ and "
                 "then changed costs a rating level like a failed check.")

    BINDINGS = exercise_bindings()

    DEFAULT_CSS = exercise_css("DerivationScreen", "derive", editor_min_height=4, result_height=8,
                               wide_result_height="45%") + """
    DerivationScreen #derive-route { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    DerivationScreen #derive-pretty { text-wrap: nowrap; text-overflow: ellipsis; color: $accent; }
    """

    def __init__(self, derivation: Derivation, study: Study, engines: Engines) -> None:
        super().__init__(derivation, study, engines)
        self.derivation = derivation
        self.wrong_shown: set[str] = set()  # lines shown ✗ (stripped), until they change
        self.wrong_lines_changed = 0
        self.steps: dict[int, Step] = {}  # 1-based line -> last step result for this text
        self.last_result: DerivationResult | None = None
        self._generation = 0  # bumped on every edit; a result for an older one is stale
        self._shown_generation = -1  # the edit whose result is on screen
        self._live_timer: Timer | None = None
        self._run_requested = False  # ctrl+r: the next fresh result counts as a run

    # -- layout ----------------------------------------------------------------------------

    HEADING = "Derivation"
    SETBACK = DERIVATION_SETBACK

    def _given(self) -> Static:
        return Static(self._given_text(), id="derive-given")

    def _editor(self) -> ComposeResult:
        derivation = self.derivation
        draft = self.drafts.saved()
        yield Static(self._route_text(), id="derive-route")
        yield StepEditor(draft if draft is not None else "", id="derive-editor",
                         placeholder=Content(f"{derivation.start}\n= …"))

    def _result_parts(self) -> ComposeResult:
        yield Static(self._idle_text(), id="derive-verdict")
        for part in ("detail", "pretty", "others"):
            yield Static("", id=f"derive-{part}")

    def _given_text(self) -> Content:
        derivation = self.derivation
        lines = [f"{name} := {expr}" for name, expr in derivation.definitions.items()]
        lines += [f"{call} := {body}" for call, body in derivation.functions.items()]
        lines += [f"fact: {lhs} = {rhs}" for lhs, rhs in derivation.facts.items()]
        return Content("\n".join(lines))

    def _route_text(self) -> Content:
        """The one line always in view: where the chain starts and where it must end, both as
        written but in Unicode (a SymPy reading could simplify the start into the goal)."""
        derivation = self.derivation
        return Content.assemble(("from ", "bold"), expression_to_unicode(derivation.start), ("  to ", "bold"),
                                expression_to_unicode(derivation.goal),
                                ("  ·  one expression per line", "$text-muted"))

    def _idle_text(self) -> str:
        return ("Each line is checked as you type (ctrl+r checks now): "
                "✓ equal to the line before, ✗ not equal, ? not understood.")

    def on_mount(self) -> None:
        self._fit_width(self.size.width)
        editor = self.query_one("#derive-editor", StepEditor)
        editor.focus()
        editor.move_cursor(editor.document.end)
        self._warm_up()
        if editor.text.strip():
            self._schedule_live_check()

    def on_unmount(self) -> None:
        self.drafts.flush()

    @work(group="derive-warm", exit_on_error=False)
    async def _warm_up(self) -> None:
        """Start the checker process, so the first check does not wait for SymPy to load."""
        await in_daemon_thread(self.engines.derivation_checker, "derive-warm-up")

    # -- checking --------------------------------------------------------------------------

    @on(TextArea.Changed, "#derive-editor")
    def _text_changed(self, event: TextArea.Changed) -> None:
        if self.outcome is not None:
            return
        self._generation += 1
        self.drafts.changed(event.text_area.text)
        self._schedule_live_check()

    def _schedule_live_check(self) -> None:
        if self._live_timer is not None:
            self._live_timer.stop()
        self._live_timer = self.set_timer(LIVE_DELAY_S, lambda: self._start_check(False))

    @on(TextArea.SelectionChanged, "#derive-editor")
    def _cursor_moved(self, event: TextArea.SelectionChanged) -> None:
        self._show_steps()

    def action_check(self) -> None:
        if self.outcome is None:
            if self._live_timer is not None:
                self._live_timer.stop()
            self.drafts.flush()
            self._run_requested = True
            self._start_check(True)

    def _start_check(self, explicit: bool) -> None:
        if self.outcome is not None or not self.is_attached:
            return
        if not explicit and self._shown_generation == self._generation:
            return  # this text's result is already on screen
        text = self.query_one("#derive-editor", StepEditor).text
        if not text.strip():
            if explicit:
                self._run_requested = False
                self.notify(f"Write the first line: {self.derivation.start}", timeout=3, markup=False)
            return
        self.query_one("#derive-busy", BusyLine).start("checking…")
        self._run_check(text, self._generation)

    @work(exclusive=True, group="derive-check", exit_on_error=False)
    async def _run_check(self, text: str, generation: int) -> None:
        started = time.monotonic()
        try:
            result = await in_daemon_thread(lambda: self.engines.derivation_checker().check(self.derivation, text),
                                            f"derive-check-{self.derivation.id}")
        except Exception as exc:  # the checker process itself failed: say so, never crash the app
            result = error_result(self.derivation.id, f"the checker failed: {exc}", started)
        self._show_result(result, generation)

    def _show_result(self, result: DerivationResult, generation: int) -> None:
        if not self.is_attached or self.outcome is not None:
            return
        if generation != self._generation:
            return  # the text changed while this was being checked: a newer check follows
        self.query_one("#derive-busy", BusyLine).stop()
        self._shown_generation = generation
        self.last_result = result
        self.steps = {step["line"]: step for step in result["steps"]}
        self.query_one("#derive-editor", StepEditor).set_marks(
            {line: step["status"] for line, step in self.steps.items()})
        passed = result.get("status") == "pass"
        explicit, self._run_requested = self._run_requested, False
        self._note_wrong_lines()
        if explicit:
            self.runs += 1
            self.study.save_attempt(self.derivation, result)
            if not passed:
                self._note_failed_check()
            else:
                self._finish(passed=True)
        self._show_steps()

    def _note_wrong_lines(self) -> None:
        """A line shown ✗ that has since changed (corrected, retyped or deleted, wherever the
        cursor was) counts against the rating like a failed run; then remember this result's ✗."""
        texts = {step["text"].strip() for step in self.steps.values()}
        changed = self.wrong_shown - texts
        for _ in changed:
            self._note_failed_check()
        self.wrong_lines_changed += len(changed)
        self.wrong_shown = {step["text"].strip() for step in self.steps.values() if step["status"] == "wrong"}

    # -- the result pane -------------------------------------------------------------------

    def _verdict(self) -> Content:
        result = self.last_result
        if self.outcome is not None:
            if self.outcome.detail["passed"]:
                head = (f"✓ Reached the goal {expression_to_unicode(self.derivation.goal)}.", "bold $success")
                return Content.assemble(head, CONTINUE, self._rated_text())
            chain = "Given up. A model chain:\n" + "\n".join(self.derivation.solution)
            return Content.assemble((chain, "bold"), "\n", self._rated_text(), " Press enter to continue.")
        if result is None:
            return Content(self._idle_text())
        parts: list = []
        for status, (mark, colour) in MARKS.items():
            count = sum(1 for step in self.steps.values() if step["status"] == status)
            if count:
                parts += [(mark, f"bold ${colour}"), f" {count}  "]
        goal_text = expression_to_unicode(self.derivation.goal)
        if result.get("status") == "pass":
            goal = "goal and key steps reached: ctrl+r to finish"
        elif result.get("goal_reached"):
            goal = "goal reached"
        else:
            goal = f"goal {goal_text} not reached yet"
        parts.append(f"·  {goal}")
        message = result.get("message")
        if result.get("status") in ("error", "incomplete") and message and not self._said_by_a_line(message):
            parts.append((f"\n{message}", "bold"))
        return Content.assemble(*parts)

    def _said_by_a_line(self, message: str) -> bool:
        """The check's message is one line's own, which the pane shows with that line."""
        return any(message == f"line {line}: {step['message']}" for line, step in self.steps.items())

    def _show_steps(self) -> None:
        """Refresh the pane: the verdict, the cursor line in detail, then the other lines."""
        if not self.is_attached:
            return
        editor = self.query_one("#derive-editor", StepEditor)
        cursor_line = editor.cursor_location[0] + 1
        self.query_one("#derive-verdict", Static).update(self._verdict())
        given_up = self.outcome is not None and not self.outcome.detail["passed"]
        steps = {} if given_up else self.steps  # the model chain replaces the learner's lines
        step = steps.get(cursor_line)
        detail: list = []
        pretty = ""
        if step is not None:
            mark, colour = MARKS.get(step["status"], ("·", "foreground"))
            detail += [(f"line {cursor_line} ", "bold"), (mark, f"bold ${colour}"),
                       f" {STATUS_WORDS.get(step['status'], step['status'])}"]
            if step.get("message") and step["status"] != "ok":
                detail.append(f": {step['message']}")
            example = describe_counterexample(step.get("counterexample"))
            if example:
                detail.append(f"\ncounterexample {example}")
            if step.get("pretty"):
                detail.append(("\nread as:", "italic"))
                if "\n" in step["pretty"]:
                    pretty = step["pretty"]
                else:
                    detail.append(f" {step['pretty']}")
        self._show_part("#derive-detail", Content.assemble(*detail))
        self._show_part("#derive-pretty", Content(pretty))
        others: list = []
        for line, other in sorted(steps.items()):
            if line == cursor_line or other["status"] == "ok":
                continue
            mark, colour = MARKS.get(other["status"], ("·", "foreground"))
            others += ["\n" if others else "", f"line {line} ", (mark, f"bold ${colour}"),
                       f" {other.get('message') or ''}"]
            example = describe_counterexample(other.get("counterexample"))
            if example:
                others.append(f" ({example})")
        self._show_part("#derive-others", Content.assemble(*others))

    def _show_part(self, selector: str, content: Content) -> None:
        """Update one part of the pane; an empty part takes no room."""
        part = self.query_one(selector, Static)
        part.update(content)
        part.display = bool(content.plain.strip())

    # -- finishing -------------------------------------------------------------------------

    def _finish(self, passed: bool) -> None:
        if self._live_timer is not None:
            self._live_timer.stop()
        self._record_outcome(passed, wrong_lines_changed=self.wrong_lines_changed)

    def _after_give_up(self) -> None:
        self._show_steps()

    def _show_rating(self) -> None:
        self._show_steps()
