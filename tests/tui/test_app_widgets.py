"""Small drawing helpers of the TUI: bar charts, share bars, the plan timeline, rating labels."""

from datetime import date, timedelta
from types import SimpleNamespace

from tutor.tui.widgets.plots import bar_chart, share_bar
from tutor.tui.widgets.rating import interval_label
from tutor.tui.widgets.timeline import next_goal, timeline


def test_bar_chart_scales_and_never_hides_a_non_zero_day():
    lines = bar_chart([0, 1, 100], ("a", "b"), height=2, column=3).plain.splitlines()
    assert lines[0] == "100 │      ██ "
    assert lines[1] == "    │   ▁▁ ██ "  # 1 of 100 still shows as the lowest block
    assert lines[2] == "  0 └─────────"


def test_share_bar_fills_in_eighths():
    assert share_bar(0.0, 4) == "····"
    assert share_bar(1.0, 4) == "████"
    assert share_bar(0.5, 4) == "██··"
    assert share_bar(0.53, 4) == "██▏·"


def test_timeline_marks_done_due_and_upcoming():
    today = date(2026, 3, 5)
    cps = [SimpleNamespace(day=0, date=today - timedelta(3), status="done", goal="a"),
           SimpleNamespace(day=3, date=today, status="due", goal="b"),
           SimpleNamespace(day=7, date=today + timedelta(4), status="upcoming", goal="c")]
    assert timeline(cps, today).plain == "Day 0 ✓  Day 3 •today  Day 7 ○Mar 9"
    assert next_goal(cps, today).plain == "Today: b"
    cps[0].status = "due"
    assert timeline(cps, today).plain.startswith("Day 0 •Mar 2  Day 3 •today")
    assert next_goal(cps, today).plain == "Day 0, still open: a"


def test_interval_labels():
    today = date(2026, 3, 5)
    assert [interval_label(today + timedelta(d), today) for d in (0, 1, 13, 21, 90)] == \
        ["now", "1d", "13d", "3w", "3mo"]
