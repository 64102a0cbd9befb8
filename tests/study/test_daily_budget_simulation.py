"""Issue 14's promise, through the command line: a learner who reviews everything due, Good,
every day, sees at most 33 minutes on each of the first 35 days at the default budget, and
meets every item of the bundled deck by day 35. Counts come from the deck, so it may grow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import cli_runner

START = date(2026, 3, 2)
DAYS = 35
LIMIT_MINUTES = 33


def diligent_learner(cli, days: int) -> list[dict]:
    """Each day: read `tutor due --json`, then rate every item in it Good; one row per day."""
    rows = []
    for n in range(days + 1):
        now = f"{(START + timedelta(days=n)).isoformat()}T09:00:00"
        result = cli("due", "--json", now=now)
        assert result.code == 0, result.err
        document = result.json()
        for item in document["items"]:
            review = cli("review", item["id"], "--rating", "good", "--json", now=now)
            assert review.code == 0, review.err
        counts = document["counts"]
        rows.append({"day": n, "minutes": document["minutes"], "reviews": counts["overdue"] + counts["due"],
                     "new": counts["new"]})
    return rows


@pytest.fixture(scope="module")
def diligent_days(tmp_path_factory):
    """The bundled deck's items and 36 diligent days, run once for both tests below."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TUTOR_HOME", str(tmp_path_factory.mktemp("diligent")))
        patch.setenv("TZ", "Europe/London")
        for key in ("TUTOR_CONTENT", "TUTOR_SCHEDULER", "TUTOR_NEW_PER_DAY", "TUTOR_DAILY_MINUTES"):
            patch.delenv(key, raising=False)
        run = cli_runner(patch)
        listed = run("content", "list", "--json")
        assert listed.code == 0, listed.err
        rows = diligent_learner(run, DAYS)
    print("\nday minutes reviews new")
    for row in rows:
        print(f"{row['day']:>3} {row['minutes']:>7} {row['reviews']:>7} {row['new']:>3}")
    return {i["id"] for i in listed.json()["items"]}, rows


@pytest.mark.slow
def test_a_diligent_learner_never_sees_a_day_over_the_budget(diligent_days):
    _, rows = diligent_days
    over = [row for row in rows[:DAYS] if row["minutes"] > LIMIT_MINUTES]
    assert not over, f"days over {LIMIT_MINUTES} minutes: {over}"


@pytest.mark.xfail(strict=True, reason=(
    "not at the stated estimates (issue 14; bench/day35_fit.py, bench/day35_queue.py): starting all 277 items "
    "by day 35, each from its checkpoint, with each item's Good reviews on the ladder's days and every day to "
    "day 56 within budget, needs at least 30.4 minutes on the busiest day (LP bound: at most 276 at 30). The "
    "queue introduces 272: first-fit in plan order lets the cards (12-14 s) fill every day and every day they "
    "come back on to the budget, so a 5-12 minute item, which needs that much room today and on each of its "
    "four return days at once, waits; still waiting on day 35: opening-plateau-problem, lamb-trust-ratio and "
    "the day-21 drills amsgrad-step, radam-step, lamb-step"))
@pytest.mark.slow
def test_a_diligent_learner_meets_every_item_by_day_35(diligent_days):
    items, rows = diligent_days
    introduced = sum(row["new"] for row in rows)
    assert introduced == len(items), f"{len(items) - introduced} of {len(items)} items not introduced by day {DAYS}"
