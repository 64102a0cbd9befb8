"""The stats screen's FSRS section: calibration and the workload chart for any learner, and a fit
offered (key o) once there are enough reviews; a young log is told what is missing."""

from __future__ import annotations

import io
import json

from textual.widgets import Static

from tests.conftest import db_rows
from tests.fsrs_learner import backup_of, learner_reviews
from tests.tui.engines_app import wait_for

SIZE = (100, 40)
NOW = "2025-03-01T12:00:00"


def _import(cli, tmp_path, reviews):
    path = tmp_path / "learner.json"
    path.write_text(json.dumps(backup_of(reviews)))
    assert cli("import", str(path), now=NOW).code == 0


def _section(app) -> str:
    """The FSRS section as the learner reads it (its content is a group of rich renderables)."""
    from rich.console import Console

    console = Console(width=SIZE[0], record=True, file=io.StringIO())
    console.print(app.screen.query_one("#stats-fsrs", Static).content)
    return console.export_text()


async def _open_stats(pilot):
    await pilot.press("s")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "fsrs", None) is not None)
    return _section(pilot.app)


async def test_a_ladder_learner_sees_calibration_and_workload_then_fits_fsrs(cli, make_app, tmp_path, home):
    _import(cli, tmp_path, learner_reviews(2000, seed=5))
    app = make_app(NOW)
    async with app.run_test(size=SIZE) as pilot:
        section = await _open_stats(pilot)
        assert "measured recall" in section and "The ladder" in section
        assert "best trade" in section and "min/day" in section
        assert "press o to fit FSRS to you" in section
        await pilot.press("o")
        await wait_for(pilot, lambda: None in app.study.fitted)
        await wait_for(pilot, lambda: "fitted on 2025-03-01" in _section(app))
    assert len(db_rows(home, ("fsrs_parameters",))["fsrs_parameters"]) == 1


async def test_a_young_log_is_told_what_is_missing_and_o_changes_nothing(cli, make_app, tmp_path, home):
    _import(cli, tmp_path, learner_reviews(30, seed=5))
    app = make_app(NOW)
    async with app.run_test(size=SIZE) as pilot:
        section = await _open_stats(pilot)
        assert "more" in section and "fitting needs 512" in section
        await pilot.press("o")
        await pilot.pause(0.2)
        assert not app.study.fitted
    assert db_rows(home, ("fsrs_parameters",))["fsrs_parameters"] == []


async def test_a_tampered_log_is_one_line_on_the_stats_screen(cli, make_app, tmp_path, home):
    import sqlite3

    _import(cli, tmp_path, learner_reviews(600, seed=5))
    con = sqlite3.connect(home / "tutor.db")
    con.execute("UPDATE reviews SET rating = 2.5 WHERE id = 7")
    con.commit()
    con.close()
    app = make_app(NOW)
    async with app.run_test(size=SIZE) as pilot:
        section = await _open_stats(pilot)
        assert section.startswith("FSRS on your reviews: review 7 of ") and "rating 2.5" in section
        await pilot.press("o")
        await pilot.pause(0.2)
        assert app.screen.is_current
