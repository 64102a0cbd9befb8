"""The dashboard shows the interview countdown and readiness, and i sets the date."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import OptionList

from tests.tui.conftest import DAY0
from tests.tui.test_app_study import on_dashboard, wait_for


def _deck_text(app) -> str:
    decks = app.screen.query_one("#decks", OptionList)
    return "\n".join(str(decks.get_option_at_index(n).prompt) for n in range(decks.option_count))


def readiness_text(app) -> str:
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#stats-readiness").content)
    return console.export_text()


async def test_the_dashboard_counts_down_to_the_interview_with_readiness(cli, make_app, home):
    assert cli("plan", "--interview", "2026-03-16", "--deck", "adam", now=DAY0).code == 0
    cli("review", "adam-update-rule", "--rating", "good", now=DAY0)
    app = make_app("2026-03-03T09:00:00")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = _deck_text(app)
        ready = app.study.readiness("adam")
        assert "Interview in 13 days (2026-03-16) · readiness " in shown
        assert f"readiness {ready.readiness:.0%}" in shown and 0 < ready.readiness < 0.05


async def test_i_sets_the_date_and_none_clears_it(make_app, home):
    app = make_app(DAY0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Interview" not in _deck_text(app)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"2026-03-20", "enter")
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "Interview in 18 days (2026-03-20)" in _deck_text(app)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("ctrl+u", *"tomorrowish", "enter")
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "Interview in 18 days" in _deck_text(app)  # a bad date changes nothing
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("ctrl+u", *"none", "enter")
        await wait_for(pilot, lambda: on_dashboard(app))
        assert "Interview" not in _deck_text(app)


async def test_stats_shows_readiness_by_section(cli, make_app):
    assert cli("plan", "--interview", "2026-03-16", now=DAY0).code == 0
    cli("review", "adam-update-rule", "--rating", "good", now=DAY0)
    app = make_app(DAY0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "Readiness for" in readiness_text(app))  # read in a thread
        shown = readiness_text(app)
    assert "Readiness for the adam interview on 2026-03-16" in shown
    assert "adam-algorithm" in shown and "bias-correction" in shown


async def test_stats_replays_the_log_for_readiness_away_from_the_keys(cli, make_app, monkeypatch):
    """Readiness replays a deck's whole log: the stats screen reads it in a thread (issue #19)."""
    import threading

    from tutor.study.service import Study

    assert cli("plan", "--interview", "2026-03-16", now=DAY0).code == 0
    cli("review", "adam-update-rule", "--rating", "good", now=DAY0)
    read_in: list[str] = []
    compute = Study._readiness

    def noted(study, deck):
        read_in.append(threading.current_thread().name)
        return compute(study, deck)

    monkeypatch.setattr(Study, "_readiness", noted)
    app = make_app(DAY0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        cli("review", "adam-update-rule", "--rating", "good", now="2026-03-02T10:00:00")  # nothing kept holds
        read_in.clear()
        await pilot.press("s")
        await wait_for(pilot, lambda: "Readiness for" in readiness_text(app))
    assert read_in and threading.main_thread().name not in read_in
