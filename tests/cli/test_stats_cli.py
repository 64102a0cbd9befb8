"""`tutor stats` in words a learner reads the way the app's stats screen says them."""

from __future__ import annotations

DAY0 = "2026-03-02T09:00:00"


def test_one_first_review_reads_as_one_item_and_retention_not_yet_counted(cli):
    """After one review it printed 'Reviews: 1 over 1 items; streak 1 day(s)' and
    'True retention: no reviews yet' beside that review."""
    assert cli("review", "hp-default-lr", "--rating", "good", now=DAY0).code == 0
    out = cli("stats", now=DAY0).out
    assert "Reviews: 1 over 1 item; streak 1 day\n" in out
    assert "True retention: none yet: it counts the items you see again on a later day\n" in out


def test_retention_once_an_item_came_back_gives_both_rates(cli):
    assert cli("review", "hp-default-lr", "--rating", "good", now=DAY0).code == 0
    assert cli("review", "hp-default-lr", "--rating", "good", now="2026-03-05T09:00:00").code == 0
    out = cli("stats", now="2026-03-05T09:00:00").out
    assert "True retention: 100% of 1 (30 days), 100% of 1 (all time)\n" in out
    assert "Reviews: 2 over 1 item; streak 1 day\n" in out
