"""Issue 14's promise, through the command line: a learner who reviews everything due, Good,
every day, sees at most 33 minutes on each of the first 35 days at the default budget, and
meets every item of the bundled deck by day 35. Counts come from the deck, so it may grow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

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


@pytest.mark.slow
def test_a_diligent_learner_stays_within_the_budget_and_meets_every_item(cli):
    listed = cli("content", "list", "--json")
    assert listed.code == 0, listed.err
    items = {i["id"] for i in listed.json()["items"]}
    rows = diligent_learner(cli, DAYS)
    print("\nday minutes reviews new")
    for row in rows:
        print(f"{row['day']:>3} {row['minutes']:>7} {row['reviews']:>7} {row['new']:>3}")
    introduced = sum(row["new"] for row in rows)
    print(f"introduced {introduced} of {len(items)}")
    over = [row for row in rows[:DAYS] if row["minutes"] > LIMIT_MINUTES]
    assert not over, f"days over {LIMIT_MINUTES} minutes: {over}"
    assert introduced == len(items), f"{len(items) - introduced} items not introduced by day {DAYS}"
