"""Snapshots of the core screens at 80x24 and 120x40, in the dark and the light theme.

They use a fixed demo deck (tests/tui/conftest.py) and the linalg test deck, never the
shipped decks, so an edit to the content does not move them.

The main screens get the full matrix; extra states (a checked answer, a revealed problem,
the dashboard on Day 3) are taken at 80x24 in both themes. Update with
`pytest tests/tui/test_snapshots_core.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.conftest import LINALG
from tutor.schedule import AGAIN, GOOD, HARD

DAY0 = "2026-03-02T09:00:00"
DAY3 = "2026-03-05T09:00:00"
MATRIX = [((80, 24), "textual-dark"), ((80, 24), "textual-light"), ((120, 40), "textual-dark"),
          ((120, 40), "textual-light")]
SMALL = MATRIX[:2]


def ids(case) -> str:
    (w, h), theme = case
    return f"{w}x{h}-{theme.split('-')[1]}"


def push(app, screen_name: str, item_id: str):
    """A run_before that opens one item's screen directly (deterministic, no queue involved)."""
    async def run(pilot):
        item = app.library().items[item_id]
        if screen_name == "card":
            from tutor.tui.screens.card import CardScreen

            await app.push_screen(CardScreen(item, app.study, "snapshot · 1 of 1"))
        else:
            from tutor.tui.screens.problem import ProblemScreen

            await app.push_screen(ProblemScreen(item, app.study, "snapshot · 1 of 1"))
        await pilot.pause()
    return run


def studied(make_app, theme, deck):
    """A learner three days in on the linalg deck, with a little history for stats and browse."""
    app = make_app(DAY0, roots=[LINALG, deck], theme=theme)
    for item, rating in (("eigenvector-definition", GOOD), ("orthogonal-inverse", AGAIN),
                         ("orthogonal-inverse", GOOD), ("demo-update-rule", HARD)):
        app.study.review(item, rating)
    return make_app(DAY3, roots=[LINALG, deck], theme=theme)


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_dashboard_first_run(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    assert snap_compare(make_app(DAY0, roots=[snapshot_deck, LINALG], theme=theme), terminal_size=size)


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_card_front(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    app = make_app(DAY0, roots=[snapshot_deck, LINALG], theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=push(app, "card", "demo-update-rule"))


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_card_choice_checked(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    app = make_app(DAY0, roots=[snapshot_deck, LINALG], theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=push(app, "card", "demo-epsilon"), press=["a"])


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_problem_answering(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    app = make_app(DAY0, roots=[snapshot_deck, LINALG], theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=push(app, "problem", "demo-bias-problem"),
                        press=[*"Unroll the recursion from m_0 = 0", "ctrl+t"])


async def stats_with_fsrs(pilot):
    """Open stats and wait for its FSRS section, computed in a thread."""
    from tests.tui.engines_app import wait_for

    await pilot.press("s")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "fsrs", None) is not None)
    await pilot.pause()


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_stats(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    assert snap_compare(studied(make_app, theme, snapshot_deck), terminal_size=size, run_before=stats_with_fsrs)


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_browse(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    assert snap_compare(studied(make_app, theme, snapshot_deck), terminal_size=size, press=["b", *"#eigen"])


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_help_on_a_card(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    app = make_app(DAY0, roots=[snapshot_deck, LINALG], theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=push(app, "card", "demo-update-rule"),
                        press=["question_mark"])


@pytest.mark.parametrize("case", MATRIX, ids=ids)
def test_study_done(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    app = make_app(DAY0, roots=[LINALG], theme=theme)
    for item in ("eigenvector-definition", "orthogonal-inverse"):
        app.study.review(item, GOOD)
    assert snap_compare(app, terminal_size=size, press=["enter", "_"])


@pytest.mark.parametrize("case", SMALL, ids=ids)
def test_dashboard_day_three(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    assert snap_compare(studied(make_app, theme, snapshot_deck), terminal_size=size)


@pytest.mark.parametrize("case", SMALL, ids=ids)
def test_card_typed_checked(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    app = make_app(DAY0, roots=[snapshot_deck, LINALG], theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=push(app, "card", "demo-factor-t1"),
                        press=[*"four", "enter"])


@pytest.mark.parametrize("case", SMALL, ids=ids)
def test_card_cloze_revealed(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    app = make_app(DAY0, roots=[snapshot_deck, LINALG], theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=push(app, "card", "demo-factor"),
                        press=["space"])


@pytest.mark.parametrize("case", SMALL, ids=ids)
def test_problem_revealed(snap_compare, make_app, snapshot_deck, case):
    size, theme = case
    app = make_app(DAY0, roots=[snapshot_deck, LINALG], theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=push(app, "problem", "demo-bias-problem"),
                        press=[*"Unroll: a weighted sum, a geometric series", "ctrl+r"])
