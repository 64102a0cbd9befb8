"""The rating rules (ARCHITECTURE.md, Rating rules) for drills, derivations and timed problems."""

import pytest

from tutor.schedule import AGAIN, EASY, GOOD, HARD
from tutor.study.ratings import DERIVATION_SETBACK, Verdict, allowed, lowered, pass_reason, rate_exercise, rate_problem


@pytest.mark.parametrize("passed, setbacks, hints, seconds, expected", [
    (True, 0, 0, 10 * 60, GOOD),        # first run, no hints, at the target
    (True, 0, 0, 4 * 60, EASY),         # under half the 10-minute target
    (True, 0, 0, 5 * 60, GOOD),         # exactly half is not under half
    (True, 1, 0, 60, HARD),             # a failed run first
    (True, 0, 1, 60, HARD),             # a hint
    (True, 3, 2, 60, HARD),
    (False, 0, 0, 60, AGAIN),           # given up
    (False, 5, 3, 3600, AGAIN),
])
def test_exercise_ratings(passed, setbacks, hints, seconds, expected):
    assert rate_exercise(passed, setbacks, hints, seconds, target_min=10) == expected


def test_a_pass_after_giving_up_the_same_day_is_at_most_hard():
    assert rate_exercise(True, 0, 0, 60, target_min=10, gave_up_today=True) == HARD


@pytest.mark.parametrize("setbacks, hints, gave_up, seconds, reason", [
    (2, 1, False, 60, "2 failed runs and 1 hint today"),
    (1, 0, False, 60, "1 failed run today"),
    (1, 3, True, 60, "1 failed run, 3 hints and a give-up earlier today"),
    (0, 0, True, 60, "a give-up earlier today"),
    (0, 0, False, 4 * 60, "passed at the first check, no hints, under 5 min"),
    (0, 0, False, 6 * 60, "passed at the first check, no hints (Easy under 5 min)"),
])
def test_a_passed_exercise_says_why_it_earned_its_rating(setbacks, hints, gave_up, seconds, reason):
    """The screen said "Rated Hard" and nothing of the failed runs, hints or give-up behind it."""
    assert pass_reason(setbacks, hints, seconds, target_min=10, gave_up_today=gave_up) == reason


def test_a_derivation_names_its_setbacks_as_wrong_lines_or_failed_checks():
    assert pass_reason(2, 0, 60, target_min=10, setback=DERIVATION_SETBACK) == \
        "2 wrong lines or failed checks today"


@pytest.mark.parametrize("verdict, hints, seconds, expected", [
    ("strong_hire", 0, 6 * 60, GOOD),   # over the 5-minute target
    ("strong_hire", 0, 4 * 60, EASY),   # under the target
    ("strong_hire", 1, 6 * 60, HARD),   # a hint takes it one level lower
    ("strong_hire", 1, 4 * 60, GOOD),
    ("strong_hire", 2, 6 * 60, HARD),   # a pass never drops below Hard
    ("lean_hire", 0, 60, HARD),
    ("lean_hire", 1, 60, HARD),
    ("no_hire", 0, 60, AGAIN),
    ("no_hire", 3, 60, AGAIN),
    ("strong_hire", 9, 60, HARD),
])
def test_problem_ratings(verdict, hints, seconds, expected):
    assert rate_problem(Verdict.from_key(verdict), hints, seconds, target_min=5) == expected


def test_unknown_verdict_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown verdict"):
        Verdict.from_key("maybe")


@pytest.mark.parametrize("automatic", [AGAIN, HARD, GOOD, EASY])
def test_the_ratings_allowed_are_those_lowering_never_raises(automatic):
    assert allowed(automatic) == tuple(r for r in (AGAIN, HARD, GOOD, EASY) if lowered(automatic, r) == r)
