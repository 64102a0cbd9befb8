"""How a finished exercise becomes a review rating, kept apart from any screen.

Drills and derivations are graded by the machine; problems by the learner's rubric verdict.
Hints and setbacks (failed runs, wrong lines) lower what an attempt can earn, so a rating
stays an honest signal for the scheduler. The rules are listed in ARCHITECTURE.md.
"""

from __future__ import annotations

from enum import IntEnum

from tutor.errors import TutorError
from tutor.schedule import AGAIN, EASY, GOOD, HARD, Rating


class Verdict(IntEnum):
    """The learner's rubric verdict on a timed problem, worst to best; stored by `key`."""

    NO_HIRE = 1
    LEAN_HIRE = 2
    STRONG_HIRE = 3

    @property
    def key(self) -> str:
        """`strong_hire`, as the rubric in the deck and the review detail spell it."""
        return self.name.lower()

    @property
    def label(self) -> str:
        """`Strong Hire`, as the screen shows it."""
        return self.name.replace("_", " ").title()

    @classmethod
    def from_key(cls, key: str) -> Verdict:
        try:
            return cls[key.upper()]
        except KeyError:
            raise UnknownVerdict(f"unknown verdict {key!r} (one of {', '.join(v.key for v in cls)})") from None


class UnknownVerdict(TutorError, ValueError):
    """A verdict key that is not one of the three."""


def rate_exercise(passed: bool, setbacks: int, hints_used: int, seconds: float, target_min: float,
                  gave_up_today: bool = False) -> Rating:
    """A drill or derivation: Good at the first run without hints (Easy if under half the target
    time), Hard after setbacks (failed runs; for derivations also each wrong line moved past),
    hints or giving up earlier that day, Again when given up."""
    if not passed:
        return AGAIN
    if setbacks > 0 or hints_used > 0 or gave_up_today:
        return HARD
    return EASY if seconds < target_min * 60 / 2 else GOOD


DRILL_SETBACK = ("failed run", "failed runs")
DERIVATION_SETBACK = ("wrong line or failed check", "wrong lines or failed checks")


def pass_reason(setbacks: int, hints_used: int, seconds: float, target_min: float,
                gave_up_today: bool = False, setback: tuple[str, str] = DRILL_SETBACK) -> str:
    """Why `rate_exercise` rated a pass as it did, from the same record, to follow "Rated Hard: "
    on the finished screen; `setback` names a setback (singular, plural) for the exercise's kind."""
    costs = []
    if setbacks:
        costs.append(f"{setbacks} {setback[setbacks != 1]}")
    if hints_used:
        costs.append(f"{hints_used} hint{'s' if hints_used != 1 else ''}")
    if gave_up_today:
        costs.append("a give-up earlier")
    if costs:
        listed = costs[0] if len(costs) == 1 else f"{', '.join(costs[:-1])} and {costs[-1]}"
        return f"{listed} today"
    half = f"{target_min / 2:g} min"
    if rate_exercise(True, 0, 0, seconds, target_min) == EASY:
        return f"passed at the first check, no hints, under {half}"
    return f"passed at the first check, no hints (Easy under {half})"


def rate_problem(verdict: Verdict, hints_used: int, seconds: float, target_min: float) -> Rating:
    """A timed problem: Strong Hire is Good (Easy under the target time), Lean Hire Hard, No Hire
    Again; each hint opened takes the rating one level lower, but a pass never below Hard."""
    if verdict == Verdict.STRONG_HIRE:
        rating = EASY if seconds < target_min * 60 else GOOD
    else:
        rating = HARD if verdict == Verdict.LEAN_HIRE else AGAIN
    return rating if rating == AGAIN else Rating(max(HARD, rating - max(0, hints_used)))


def lowered(automatic: Rating, chosen: Rating) -> Rating:
    """The learner may lower an automatic rating ("I guessed"), never raise it."""
    return min(automatic, chosen)


def allowed(automatic: Rating) -> tuple[Rating, ...]:
    """The ratings a learner may give over an automatic one: it and those below it."""
    return tuple(Rating(n) for n in range(AGAIN, automatic + 1))
