"""How a graded exercise becomes a rating (DESIGN §3), kept apart from any screen.

Drills and derivations are graded by the machine; problems by the learner's rubric verdict.
Hints and failed runs lower what an attempt can earn, so a rating stays an honest signal
for the scheduler.
"""

from __future__ import annotations

from tutor.schedule import AGAIN, EASY, GOOD, HARD

VERDICTS = ("strong_hire", "lean_hire", "no_hire")


def rate_exercise(passed: bool, failed_runs: int, hints_used: int, seconds: float, target_min: float) -> int:
    """A drill or derivation: Good at the first run without hints (Easy if under half the target
    time), Hard when it took failed runs or hints, Again when given up."""
    if not passed:
        return AGAIN
    if failed_runs > 0 or hints_used > 0:
        return HARD
    return EASY if seconds < target_min * 60 / 2 else GOOD


def rate_problem(verdict: str, hints_used: int, seconds: float, target_min: float) -> int:
    """A timed problem: Strong Hire is Good (Easy under the target time), Lean Hire Hard, No Hire
    Again; each hint opened takes the rating one level lower, never below Again."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r} (one of {', '.join(VERDICTS)})")
    if verdict == "strong_hire":
        rating = EASY if seconds < target_min * 60 else GOOD
    else:
        rating = HARD if verdict == "lean_hire" else AGAIN
    return max(AGAIN, rating - max(0, hints_used))
