"""The stats screen lists the mistakes the learner keeps making, each with the deck's advice."""

from __future__ import annotations

from textual.widgets import Static

from tests.study.test_mistakes import NO_BIAS_CORRECTION
from tests.tui.conftest import DAY0


async def test_stats_lists_the_mistake_made_twice_with_its_advice(cli, make_app, tmp_path):
    answer = tmp_path / "answer.py"
    answer.write_text(NO_BIAS_CORRECTION)
    for _ in range(2):
        cli("drill", "check", "adam-step", str(answer), now=DAY0)
    cli("answer", "hp-default-lr", "0.1", now=DAY0)
    app = make_app(DAY0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        shown = str(app.screen.query_one("#stats-mistakes", Static).content)
    first, second = shown.index("no-bias-correction"), shown.index("wrong-number")
    assert first < second  # most frequent first
    assert "adam-step  ×2" in shown and "Divide m by (1 - beta1**t)" in shown
    assert "hp-default-lr  ×1" in shown and "Work the number out again" in shown


async def test_stats_without_mistakes_says_how_they_are_found(make_app):
    app = make_app(DAY0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert "none named yet" in str(app.screen.query_one("#stats-mistakes", Static).content)


async def test_true_retention_before_any_later_day_says_what_it_waits_for(cli, make_app):
    """After a first review the head said 'Reviews 1 over 1 items ... True retention no reviews yet'."""
    assert cli("review", "hp-default-lr", "--rating", "good", now=DAY0).code == 0
    app = make_app(DAY0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        head = str(app.screen.query_one("#stats-head", Static).content)
    assert "Reviews 1 over 1 item " in head and "no reviews yet" not in head
    assert "True retention none yet: it counts the items you see again on a later day" in head
