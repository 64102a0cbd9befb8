"""The mock interview in the app: m on the dashboard asks the picked session at 80x24 with no
verdict on any answer, records every answer as a review, and ends in the report."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from rich.console import Console

from tests.study.test_mistakes import NO_BIAS_CORRECTION
from tests.tui.conftest import BUNDLED, DAY0, SNAPSHOT_DECK
from tutor.tui.screens.mock import MockCardScreen, MockProblemScreen, MockReportScreen, MockScreen
from tutor.tui.screens.mock_exercises import MockDerivationScreen, MockDrillScreen, MockExercise

WAIT_S = 60.0  # the sandbox and the SymPy worker start cold, on a loaded machine
MINI_DECK = """\
id: adam
title: Adam, a mock's worth
plan:
  - {day: 0, goal: Everything at once., items: [adam-step, bias-correction-first-moment, cheat-explain-adam-problem]}
"""


@pytest.fixture
def mini_deck(tmp_path) -> Path:
    """The shipped deck's drills, derivations, problems and SGD cards, and one typed card: a
    mock of every kind that a test can go through whole."""
    deck = tmp_path / "mini" / "adam"
    deck.mkdir(parents=True)
    for name in ("drills.yaml", "derivations.yaml", "problems.yaml", "cards-sgd.yaml"):
        shutil.copy(BUNDLED / "adam" / name, deck / name)
    (deck / "deck.yaml").write_text(MINI_DECK)
    typed = SNAPSHOT_DECK["cards.yaml"].split("  - id: demo-factor-t1")[1]
    (deck / "cards-typed.yaml").write_text("cards:\n  - id: demo-factor-t1" + typed)
    return deck


def _reviews(home) -> list[tuple[str, int, dict]]:
    con = sqlite3.connect(home / "tutor.db")
    try:
        rows = con.execute("SELECT item_id, rating, detail FROM reviews WHERE undoes IS NULL AND id NOT IN "
                           "(SELECT undoes FROM reviews WHERE undoes IS NOT NULL) ORDER BY id").fetchall()
    finally:
        con.close()
    return [(item_id, rating, json.loads(detail)) for item_id, rating, detail in rows]


def _title_bar(screen) -> str:
    """The countdown as shown: the header's subtitle, or an exercise's own title bar."""
    if isinstance(screen, MockExercise):
        return str(screen.query_one(f"#{screen.PREFIX}-progress").render())
    return screen.sub_title


async def _moved_on(pilot, screen) -> None:
    """Wait until the item screen has been dismissed (checks run in threads)."""
    deadline = time.monotonic() + WAIT_S
    while pilot.app.screen is screen and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert pilot.app.screen is not screen, f"{type(screen).__name__} did not move on"


async def _answer(pilot, screen) -> None:
    """Answer the item on screen as a learner would, checking that no verdict is shown."""
    if isinstance(screen, MockCardScreen):
        if screen.card.type == "choice":
            await pilot.press("a")
        elif screen.card.type == "typed":
            await pilot.press("1", "enter")
        else:
            await pilot.press("space", "2")
        await _moved_on(pilot, screen)
        assert screen.revealed is (screen.card.type in ("basic", "cloze"))  # a checked answer is never shown
    elif isinstance(screen, MockDrillScreen):
        screen.query_one("#drill-editor").load_text(NO_BIAS_CORRECTION)
        await pilot.press("ctrl+r")
        await _moved_on(pilot, screen)
    elif isinstance(screen, MockDerivationScreen):
        screen.query_one("#derive-editor").load_text("E[hat_m_t]\n= g")
        await pilot.pause(1.0)  # longer than the study screen's live-check delay
        assert screen.steps == {} and "✗" not in str(screen.query_one("#derive-verdict").render())
        await pilot.press("ctrl+r")
        await _moved_on(pilot, screen)
    else:
        assert isinstance(screen, MockProblemScreen)
        screen.query_one("#answer").load_text("Unroll the recursion: a geometric series in beta1.")
        await pilot.press("ctrl+r")
        await pilot.pause()
        # The learner judges against the rubric and model answer; the key-point check is not shown.
        assert not screen.query_one("#coverage").display
        assert "Key points covered" not in str(screen.query_one("#verdict-help").render())
        await pilot.press("l", "enter")
        await _moved_on(pilot, screen)


async def test_a_whole_mock_interview_at_80x24_ends_in_its_report(cli, make_app, home, tmp_path, mini_deck):
    answer = tmp_path / "answer.py"
    answer.write_text(NO_BIAS_CORRECTION)
    cli("drill", "check", "adam-step", str(answer), now=DAY0)  # a recent named mistake: adam-step comes first
    app = make_app(DAY0, roots=[mini_deck])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        mock = app.screen_stack[1]
        assert isinstance(mock, MockScreen)
        kinds = [p.kind for p in mock.picks]
        assert sorted(set(kinds)) == ["card", "derivation", "drill", "problem"] and kinds[0] == "card"
        asked = []
        while not isinstance(app.screen, MockReportScreen):
            screen = app.screen
            assert f"mock {len(asked) + 1} of {len(mock.picks)} · 30:00 left" in _title_bar(screen)
            asked.append(screen)
            await _answer(pilot, screen)
            await pilot.pause()
        report = app.screen.report
        ids = [p.id for p in mock.picks]
        recorded = _reviews(home)
        assert [r[0] for r in recorded] == ids  # every answer is a review, in the order asked
        assert all(detail["mock"] is True for _, _, detail in recorded)
        assert [a["id"] for a in report["answers"]] == ids
        assert [a["rating"] for a in report["answers"]] == [r[1] for r in recorded]
        assert {"id": "no-bias-correction", "item": "adam-step"} in report["mistakes"]
        drill = next(a for a in report["answers"] if a["id"] == "adam-step")
        assert drill["rating"] == 1 and drill["mistakes"] == ["no-bias-correction"]
        shown = str(app.screen.query_one("#mock-report").render())
        assert f"{len(ids)} of {len(ids)} answered" in shown and "score" in shown
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


def _shown(renderable) -> str:
    """A report table as the learner reads it."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def _start(app, pilot, minutes: int):
    app.start_mock("demo", minutes)
    await pilot.pause()
    await pilot.pause()
    return app.screen_stack[1]


async def test_when_the_time_is_up_the_item_on_screen_is_the_last(make_app, snapshot_deck, monkeypatch):
    app = make_app(DAY0, roots=[snapshot_deck])
    async with app.run_test(size=(80, 24)) as pilot:
        mock = await _start(app, pilot, 10)  # a card, the problem, a card: cards take at most a quarter
        await _answer(pilot, app.screen)
        monkeypatch.setenv("TUTOR_NOW", "2026-03-02T09:10:30")
        screen = app.screen
        screen.show_countdown()
        assert "time is up" in _title_bar(screen)
        await _answer(pilot, screen)
        await pilot.pause()
        report = app.screen.report
        assert [p.kind for p in mock.picks] == ["card", "problem", "card"] and len(report["answers"]) == 2
        assert [u["id"] for u in report["unanswered"]] == [p.id for p in mock.picks[2:]]
        rows = _shown(app.screen.query_one("#mock-answers").content).splitlines()
        for pick in mock.picks[2:]:  # the kind column was empty for an item not reached
            [row] = [row for row in rows if row.split()[:1] == [pick.id]]
            assert row.split()[1:4] == [pick.kind, "not", "reached"], row


async def test_undo_asks_the_last_item_again_and_q_ends_in_the_report(make_app, snapshot_deck, home):
    app = make_app(DAY0, roots=[snapshot_deck])
    async with app.run_test(size=(80, 24)) as pilot:
        mock = await _start(app, pilot, 30)
        first = app.screen
        await _answer(pilot, first)
        assert len(_reviews(home)) == 1
        await pilot.press("u")
        await pilot.pause()
        await pilot.pause()
        assert _reviews(home) == [] and app.screen.card.id == mock.picks[0].id and app.screen is not first
        await pilot.press("escape")  # q / escape leaves the item: the mock ends early
        await pilot.pause()
        report = app.screen.report
        assert report["answers"] == [] and [u["id"] for u in report["unanswered"]] == [p.id for p in mock.picks]


async def test_the_palette_offers_a_mock_of_each_deck(make_app, snapshot_deck):
    app = make_app(DAY0, roots=[snapshot_deck])
    async with app.run_test(size=(80, 24)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Mock interview of Adam in brief" in titles


async def test_m_runs_a_mock_as_long_as_the_mock_minutes_setting(make_app, snapshot_deck, monkeypatch):
    monkeypatch.setenv("TUTOR_MOCK_MINUTES", "10")
    app = make_app(DAY0, roots=[snapshot_deck])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_mock("demo")
        await pilot.pause()
        await pilot.pause()
        assert app.screen_stack[1].minutes == 10
        assert "10:00 left" in _title_bar(app.screen)


def test_tutor_mock_uses_the_setting_unless_given_minutes(cli, monkeypatch):
    monkeypatch.setenv("TUTOR_MOCK_MINUTES", "10")
    planned = cli("mock", "--json", "--deck", "adam", now=DAY0).json()
    assert planned["minutes"] == 10
    assert cli("mock", "--json", "--deck", "adam", "--minutes", "20", now=DAY0).json()["minutes"] == 20
    monkeypatch.setenv("TUTOR_MOCK_MINUTES", "500")
    refused = cli("mock", "--json", "--deck", "adam", now=DAY0)
    assert refused.code == 2 and "mock_minutes" in refused.err and len(refused.err.strip().splitlines()) == 1


def test_tutor_mock_in_a_terminal_opens_the_app_on_the_mock(cli, monkeypatch):
    from types import SimpleNamespace

    import tutor.cli.study
    import tutor.tui.app

    opened = {}
    terminal = SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(tutor.cli.study, "sys", SimpleNamespace(stdin=terminal, stdout=terminal))
    monkeypatch.setattr(tutor.tui.app, "run_app", lambda study, **kw: opened.update(kw) or 0)
    assert cli("mock", "--minutes", "20", "--deck", "adam", now=DAY0).code == 0
    assert opened["mock_minutes"] == 20 and opened["deck"] == "adam"
    # without --minutes it opened the deck's study session, not a mock
    assert cli("mock", "--deck", "adam", now=DAY0).code == 0
    assert opened["mock_minutes"] == 30 and opened["deck"] == "adam"


def test_snapshot_of_the_report(snap_compare, make_app, snapshot_deck):
    """The report at 80x24: score per section, each answer's time, mistakes with advice, what next."""
    from tutor.schedule import AGAIN, EASY, GOOD, HARD
    from tutor.study.mock import Answer, Pick, report

    def asked(item_id: str, kind: str, section: str, seconds: float) -> Pick:
        return Pick(item_id, "demo", kind, item_id, section, seconds, "predicted recall 0%")

    picks = [asked("demo-update-rule", "card", "adam-algorithm", 13.78),
             asked("demo-factor", "card", "bias-correction", 13.78),
             asked("demo-bias-problem", "problem", "bias-correction", 300.0),
             asked("demo-factor-t1", "card", "bias-correction", 13.78),
             asked("demo-epsilon", "card", "adam-algorithm", 13.78)]
    answers = [Answer(picks[0], GOOD, 9.5), Answer(picks[1], HARD, 31.0), Answer(picks[2], EASY, 241.0),
               Answer(picks[3], AGAIN, 12.0, ("wrong-number",))]
    done = report(answers, picks[4:])
    app = make_app(DAY0, roots=[snapshot_deck])

    async def show(pilot):
        await app.push_screen(MockReportScreen(done, 10, 312.0))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=show)


async def test_a_mock_answer_starts_empty_and_leaves_the_study_drafts_as_they_were(make_app, snapshot_deck):
    """A typed card's draft from normal study stood in the mock's answer field."""
    from textual.widgets import Input, TextArea

    from tutor.clock import now

    app = make_app(DAY0, roots=[snapshot_deck])
    drafts = {"demo-factor-t1": "0.1 from yesterday", "demo-bias-problem": "Half an answer from study"}
    for item_id, text in drafts.items():
        app.study.store.save_draft(item_id, "card" if item_id.endswith("t1") else "problem", text, now())
    async with app.run_test(size=(80, 24)) as pilot:
        mock = await _start(app, pilot, 30)
        assert set(drafts) <= {p.id for p in mock.picks}
        fields = {}
        while not isinstance(app.screen, MockReportScreen):
            screen = app.screen
            if isinstance(screen, MockCardScreen) and screen.card.id == "demo-factor-t1":
                fields[screen.card.id] = screen.query_one("#typed", Input).value
                await pilot.press(*"12")  # typed, and left in the field a moment: not saved as a draft
                await pilot.pause(0.8)
            if isinstance(screen, MockProblemScreen):
                fields[screen.problem.id] = screen.query_one("#answer", TextArea).text
            await _answer(pilot, screen)
            await pilot.pause()
        assert fields == {item_id: "" for item_id in drafts}
        assert {item_id: app.study.store.draft(item_id) for item_id in drafts} == drafts


async def test_a_mock_problem_starts_its_clock_afresh_with_no_hint_open(make_app, snapshot_deck, monkeypatch):
    """A problem opened in study earlier that day (clock running, a hint shown) went on in the
    mock at its study clock, 20 minutes gone, past its target, with the hint open."""
    app = make_app(DAY0, roots=[snapshot_deck])
    app.study.start_clock("demo-bias-problem")
    app.study.note_hints("demo-bias-problem", 1)
    monkeypatch.setenv("TUTOR_NOW", "2026-03-02T09:20:00")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(app, pilot, 30)
        while not isinstance(app.screen, MockProblemScreen):
            await _answer(pilot, app.screen)
            await pilot.pause()
        screen = app.screen
        assert screen.started == app.study.now() and screen.hints_used == 0
        assert "past target" not in str(screen.query_one("#clock").render())
