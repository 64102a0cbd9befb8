"""The result of a derivation check and its steps: the shapes, built here and nowhere else.

The shapes are in ARCHITECTURE.md (Files and JSON shapes). They are typed dicts, not
classes, because steps and summaries cross a pipe as JSON from the forked checker child and
the SymPy server; the store keeps the result as the same JSON. A checker child answers with
a `Summary`; `finished` adds the derivation's id and the time taken. Importing this module
costs no SymPy: the TUI builds its error results with it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Literal, NotRequired, TypedDict

from tutor.derive.syntax import MAX_LINE_CHARS

StepStatus = Literal["ok", "wrong", "unparsed", "undecided", "timeout"]
Status = Literal["pass", "fail", "error", "incomplete"]


class Step(TypedDict):
    """One checked line: `line` is its number in the learner's text (blank lines count)."""

    line: int
    text: str
    status: StepStatus
    message: str
    # for a wrong line: {"at", "previous", "this"[, "difference"], "compared": [where previous, where this]}
    counterexample: dict[str, Any] | None
    pretty: str  # the line as SymPy read it, pretty-printed; "" when it was not read


class Summary(TypedDict):
    """What the checker answers for a chain of lines."""

    status: Status
    goal_reached: bool
    message: str | None
    steps: list[Step]
    missing_steps: NotRequired[list[str]]  # key steps no line shows (status "incomplete")


class DerivationResult(TypedDict):
    """A summary with the derivation's id and the time the check took: what is shown and kept."""

    derivation: str
    status: Status
    goal_reached: bool
    message: str | None
    missing_steps: NotRequired[list[str]]
    steps: list[Step]
    duration_s: float


def shown_text(text: str) -> str:
    """The learner's line as echoed in a step: a line past the length limit is cut short."""
    return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS] + "…"


def step(line: int, text: str, status: StepStatus, message: str,
         counterexample: dict[str, Any] | None = None, pretty: str = "") -> Step:
    return {"line": line, "text": shown_text(text), "status": status, "message": message,
            "counterexample": counterexample, "pretty": pretty}


def summarise(steps: list[Step], goal_reached: bool, goal: str, missing: list[str] | None = None) -> Summary:
    """Overall status and message of a checked chain; `missing` names the key steps no line shows."""
    statuses = [s["status"] for s in steps]

    def first(status: StepStatus) -> Step:
        return next(s for s in steps if s["status"] == status)

    status: Status
    if "wrong" in statuses:
        status, message = "fail", f"line {first('wrong')['line']} is wrong: {first('wrong')['message']}"
    elif "unparsed" in statuses or "timeout" in statuses:
        bad = next(s for s in steps if s["status"] in ("unparsed", "timeout"))
        status, message = "error", f"line {bad['line']}: {bad['message']}"
    elif not steps:
        status, message = "fail", "no lines to check"
    elif "undecided" in statuses:
        status, message = "fail", f"line {first('undecided')['line']} could not be decided"
    elif not goal_reached:
        status, message = "fail", f"every step holds, but the last line is not the goal {goal}"
    elif missing:
        status, message = "incomplete", f"every step holds, but the chain skips: {'; '.join(missing)}"
    else:
        status, message = "pass", "every step holds and the goal is reached"
    result: Summary = {"status": status, "goal_reached": goal_reached, "message": message, "steps": steps}
    if status == "incomplete":
        result["missing_steps"] = list(missing or ())
    return result


def error_summary(message: str, steps: Sequence[Step] = ()) -> Summary:
    """The one constructor of a check that could not finish (the checker stopped or crashed)."""
    return {"status": "error", "goal_reached": False, "message": message, "steps": list(steps)}


def finished(derivation_id: str, summary: Summary, started: float) -> DerivationResult:
    """The derivation result, keys in the documented order; `started` is a `time.monotonic()`."""
    result = DerivationResult(derivation=derivation_id, status=summary["status"], goal_reached=summary["goal_reached"],
                              message=summary.get("message"), steps=summary["steps"],
                              duration_s=round(time.monotonic() - started, 4))
    if "missing_steps" in summary:
        result["missing_steps"] = summary["missing_steps"]
    return result


def error_result(derivation_id: str, message: str, started: float, steps: Sequence[Step] = ()) -> DerivationResult:
    """A derivation that could not be checked, with the same keys as every other result."""
    return finished(derivation_id, error_summary(message, steps), started)
