"""The drill screen: write a function in a Python editor and check it against the reference.

The check runs the learner's code in the drills sandbox from a worker thread, so the UI
keeps answering keys even when the code never returns (the sandbox's wall limit ends it).
Every check is stored as an attempt; the draft is saved as it is typed.  The screen
dismisses with {"rating", "detail"} once the drill is passed or given up, or with None when
the learner leaves to come back later (the draft stays).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static, TextArea

from tutor.content.models import Drill
from tutor.printable import printable
from tutor.study import Study
from tutor.study.ratings import DRILL_SETBACK
from tutor.tui.engines import Engines
from tutor.tui.screens.exercise import CONTINUE, ExerciseScreen, exercise_bindings, exercise_css
from tutor.tui.widgets.code_editor import CodeEditor
from tutor.tui.widgets.exercise_panes import BusyLine, in_daemon_thread


def describe_result(result: dict[str, Any]) -> Content:
    """A drill result (ARCHITECTURE.md, Files and JSON shapes), compactly: verdict and cases passed, the named mistake,
    then the first failing case with its expected and actual values."""
    tests = result.get("tests") or []
    passed = sum(1 for t in tests if t.get("status") == "pass")
    status = result.get("status")
    if status == "pass":
        return Content.assemble((f"✓ Passed: all {len(tests)} cases.", "bold $success"))
    parts: list[str | tuple[str, str]] = []
    if status == "fail":
        parts.append((f"✗ {passed}/{len(tests)} cases pass.", "bold $error"))
    else:
        parts.append(("✗ Your code did not run", "bold $error"))
        if result.get("message"):
            parts.append(f": {printable(result['message'])}")
    diagnosis = result.get("diagnosis")
    if diagnosis:
        parts += [(f"\nMistake {diagnosis.get('id')}: ", "bold $warning"),
                  str(diagnosis.get("message") or "")]
    failing = next((t for t in tests if t.get("status") != "pass"), None)
    if failing is not None:
        message = printable(failing.get("message") or "").rstrip()
        if status == "fail" or message not in (result.get("message") or ""):
            parts += [(f"\nFirst failure, {failing.get('name')}:", "bold"), f"\n{message}"]
        if failing.get("output"):
            parts += [("\nIt printed:\n", "italic"), printable(failing["output"]).rstrip()]
    return Content.assemble(*parts)


class DrillScreen(ExerciseScreen):
    """Write `drill.function`, check it with ctrl+r, pass to finish."""

    PREFIX = "drill"
    KIND = "drill"

    BINDINGS = exercise_bindings(Binding("ctrl+e", "external_editor", "$EDITOR", priority=True))

    DEFAULT_CSS = exercise_css("DrillScreen", "drill", editor_min_height=5, result_height=7,
                               wide_result_height="40%") + """
    DrillScreen #drill-editor { scrollbar-size-horizontal: 0; }
    DrillScreen.-wide #drill-editor { scrollbar-size-horizontal: 1; }
    """

    def __init__(self, drill: Drill, study: Study, engines: Engines) -> None:
        super().__init__(drill, study, engines)
        self.drill = drill
        self._passed_text = Content()  # the passing check's result, shown above the rating

    # -- layout ----------------------------------------------------------------------------

    HEADING = "Drill"
    SETBACK = DRILL_SETBACK

    def _given(self) -> Static:
        return Static(self._signature_line(), id="drill-given", markup=False)

    def _editor(self) -> ComposeResult:
        draft = self.drafts.saved()
        yield CodeEditor(draft if draft is not None else self.drill.starter, id="drill-editor")

    def _result_parts(self) -> ComposeResult:
        yield Static(self._idle_text(), id="drill-outcome")

    def _signature_line(self) -> str:
        drill = self.drill
        signature = drill.signature or f"def {drill.function}(...)"
        limit = f"  ·  at most {drill.max_lines} lines" if drill.max_lines else ""
        return f"{signature}{limit}"

    def _idle_text(self) -> str:
        hint = f"ctrl+t opens a hint ({len(self.drill.hints)})" if self.drill.hints else ""
        return "ctrl+r checks your code." + (f" {hint}." if hint else "")

    def on_mount(self) -> None:
        self._fit_width(self.size.width)
        self.query_one("#drill-editor", CodeEditor).focus()
        self._warm_runner()

    def on_unmount(self) -> None:
        self.drafts.flush()

    # -- the check -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="drill-runner", exit_on_error=False)
    def _warm_runner(self) -> None:
        """Start a warm child (numpy imported) so the first check feels instant, once the keys
        that opened the screen are answered (the app's `KeyQuiet`): starting one holds the
        interpreter for 10 to 18 ms, which the drill opened at start shared with its editor's first keys."""
        quiet = getattr(self.app, "quiet", None)  # the app's; a test's bare app has none
        if quiet is not None:
            quiet.turn()
        self.engines.warm_drills()

    def action_check(self) -> None:
        if self.outcome is not None:
            return
        busy = self.query_one("#drill-busy", BusyLine)
        if busy.busy:
            self.notify("A check is already running.", timeout=2)
            return
        self.drafts.flush()
        busy.start(f"checking… (limit {self.engines.drill_wall_s:g} s)")
        self._run_check(self.query_one("#drill-editor", CodeEditor).text)

    @work(exclusive=True, group="drill-check", exit_on_error=False)
    async def _run_check(self, source: str) -> None:
        try:
            result = await in_daemon_thread(lambda: self.engines.check_drill(self.drill, source),
                                            f"drill-check-{self.drill.id}")
        except Exception as exc:  # the sandbox itself failed: say so, never crash the app
            from tutor.drills.results import error_result

            result = error_result(self.drill.id, f"the checker failed: {exc}")
        self._show_result(result)

    def _show_result(self, result: dict) -> None:
        if not self.is_attached:
            return
        self.study.save_attempt(self.drill, result)
        if self.outcome is not None:
            return  # given up while this check ran: recorded, but the verdict stands
        self.query_one("#drill-busy", BusyLine).stop()
        self.runs += 1
        passed = result.get("status") == "pass"
        text = describe_result(result)
        if passed:
            self._finish(passed=True)
            self._passed_text = text
            text = Content.assemble(text, CONTINUE, self._rated_text())
        else:
            self._note_failed_check()
        self.query_one("#drill-outcome", Static).update(text)
        self.query_one("#drill-result").scroll_home(animate=False)

    # -- finishing -------------------------------------------------------------------------

    def _finish(self, passed: bool) -> None:
        self._record_outcome(passed)

    def _show_rating(self) -> None:
        self.query_one("#drill-outcome", Static).update(Content.assemble(self._passed_text, CONTINUE,
                                                                         self._rated_text()))

    def _after_give_up(self) -> None:
        self._show_all_hints()  # so the next attempt starts from them
        outcome: list[str | tuple[str, str]] = [("Given up.", "bold"), CONTINUE, self._rated_text(), "\n"]
        if self.drill.solution:
            outcome += [("A model solution:\n", "bold"), self.drill.solution.rstrip("\n")]
        else:
            reference = self.drill.reference
            shown = f"tutor.reference.{reference}" if isinstance(reference, str) else f"the deck's {reference}"
            outcome.append(f"The reference implementation is {shown}.")
        self.query_one("#drill-outcome", Static).update(Content.assemble(*outcome))

    # -- the draft -------------------------------------------------------------------------

    @on(TextArea.Changed, "#drill-editor")
    def _draft_changed(self, event: TextArea.Changed) -> None:
        if self.outcome is None:
            self.drafts.changed(event.text_area.text)

    # -- $EDITOR ---------------------------------------------------------------------------

    def action_external_editor(self) -> None:
        if self.outcome is not None:
            return
        command = self.study.settings.editor or os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not command:
            self.notify("Set $EDITOR (e.g. export EDITOR=vim) to edit in your own editor.",
                        severity="warning")
            return
        editor = self.query_one("#drill-editor", CodeEditor)
        with tempfile.NamedTemporaryFile("w", suffix=".py", prefix=f"{self.drill.id}-",
                                         delete=False, encoding="utf-8") as handle:
            handle.write(editor.text)
            path = handle.name
        try:
            try:
                with self.app.suspend():
                    subprocess.call([*shlex.split(command), path])
            except SuspendNotSupported:
                self.notify("This terminal cannot hand over to $EDITOR.", severity="warning")
                return
            except OSError as exc:
                self.notify(f"Could not start $EDITOR: {exc.strerror or exc}", severity="error")
                return
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        finally:
            os.unlink(path)
        if text != editor.text:
            editor.replace(text, (0, 0), editor.document.end)  # one undoable edit
            self.drafts.changed(text)
            self.drafts.flush()
        self.app.refresh()
