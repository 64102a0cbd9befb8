"""TUI fixtures: an app on a temporary home with a pinned clock, and deterministic rendering.

`make_app(now=..., roots=...)` builds a `TutorApp` on `open_study`, as the command line does
(settings from the environment, a fresh store in the temporary home), defaulting to the bundled decks plus
`tests/decks/linalg`. Cursor blinking is switched off so snapshots are stable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from tests.conftest import LINALG, REPO

BUNDLED = REPO / "content"
DAY0 = "2026-03-02T09:00:00"  # a Monday, in the morning after the 04:00 rollover


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture(autouse=True)
def no_checkers_ahead(request, monkeypatch):
    """The app starts the SymPy checker and a drill child on the dashboard when those kinds are
    due; a test would start them and never use them, so they are not, unless it asks for
    `checkers_ahead`. A screen still starts its own when it opens."""
    if "checkers_ahead" not in request.fixturenames:
        from tutor.tui.engines import Engines

        monkeypatch.setattr(Engines, "warm_up", lambda self, kind: None)


@pytest.fixture
def checkers_ahead():
    """Let the app start the checkers of the kinds due today ahead, as it does for a learner."""


@pytest.fixture
def tutor_home(tmp_path, monkeypatch) -> Path:
    """A temporary home at the engines tests' pinned time, with no editor from the machine."""
    from tests.tui.engines_app import NOW

    home = tmp_path / "home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    monkeypatch.setenv("TUTOR_NOW", NOW)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return home


@pytest.fixture
def make_app(home, monkeypatch):
    """Build a TutorApp at a pinned time over the given content roots (new Study each call)."""
    opened = []

    def build(now: str = DAY0, roots: list[Path] | None = None, deck: str | None = None, theme: str | None = None):
        from tutor.study import open_study
        from tutor.tui.app import TutorApp

        monkeypatch.setenv("TUTOR_NOW", now)
        if theme:
            monkeypatch.setenv("TUTOR_THEME", theme)
        else:
            monkeypatch.delenv("TUTOR_THEME", raising=False)
        study = open_study(home, roots=list(roots or [BUNDLED, LINALG]))
        opened.append(study)
        return TutorApp(study, deck=deck)

    yield build
    for study in opened:
        study.close()


SNAPSHOT_DECK = {
    "deck.yaml": """\
id: demo
title: Adam in brief
plan:
  - {day: 0, goal: Write the update rule from memory., items: [demo-update-rule, demo-factor]}
  - {day: 3, goal: Place epsilon and name the factor., items: [demo-epsilon, demo-factor-t1]}
  - {day: 7, goal: Derive the correction against the clock., items: [demo-bias-problem]}
  - {day: 14, goal: Review everything without notes., items: []}
  - {day: 21, goal: Explain Adam in three minutes., items: []}
""",
    "cards.yaml": r"""cards:
  - id: demo-update-rule
    type: basic
    title: Adam parameter update
    tags: [adam-algorithm]
    front: Write Adam's parameter update in terms of the bias-corrected moments.
    back: '$\theta_t = \theta_{t-1} - \frac{\eta}{\sqrt{\hat{v}_t} + \epsilon} \hat{m}_t$'
  - id: demo-factor
    type: cloze
    title: The correction factor
    tags: [bias-correction]
    front: 'The first-moment bias-correction factor is {{c1::$1/(1-\beta_1^t)$}}.'
  - id: demo-epsilon
    type: choice
    title: Where epsilon goes
    tags: [adam-algorithm]
    front: 'Which denominator does Adam use?'
    options: ['$\sqrt{\hat{v}_t + \epsilon}$', '$\sqrt{\hat{v}_t} + \epsilon$', '$\hat{v}_t + \epsilon$']
    answer: 1
    explain: [Epsilon goes outside the root., 'Right: $\epsilon$ is added to $\sqrt{\hat{v}_t}$.',
              The root is missing.]
  - id: demo-factor-t1
    type: typed
    title: Correction factor at t = 1
    tags: [bias-correction]
    front: 'With $\beta_1 = 0.9$, what is $1/(1-\beta_1^t)$ at $t = 1$?'
    accept: ["10", "ten"]
""",
    "problems.yaml": r"""problems:
  - id: demo-bias-problem
    title: Derive Adam's bias correction
    tags: [bias-correction]
    prompt: 'Prove that $\hat{m}_t = \frac{m_t}{1-\beta_1^t}$ is unbiased: $\mathbb{E}[\hat{m}_t] = \mathbb{E}[g_t]$.'
    time_limit_min: 8
    target_min: 5
    hints:
      - 'Unroll the recursion from $m_0 = 0$; a geometric series in $\beta_1$ appears.'
      - 'Take expectations with $\mathbb{E}[g_i] = g$.'
    answer: |
      **Unroll.** $m_t = (1-\beta_1) \sum_{i=1}^{t} \beta_1^{t-i} g_i$, so
      $\mathbb{E}[m_t] = g (1-\beta_1^t)$ and dividing by $1-\beta_1^t$ gives $g$.
    rubric:
      strong_hire: [Unrolls the recursion and sums the geometric series]
      lean_hire: [Right factor without the series]
      no_hire: [Only says "it corrects for initialisation"]
    key_points:
      - point: Unrolls the recursion
        match: ['unroll']
      - point: Sums the geometric series
        match: ['geometric']
      - point: 'Uses $m_0 = 0$'
        match: ['m_0\s*=\s*0', 'zero']
""",
}


@pytest.fixture
def snapshot_deck(tmp_path) -> Path:
    """A small deck that never changes, so snapshots move only when the screens do."""
    deck = tmp_path / "decks" / "demo"
    deck.mkdir(parents=True)
    for name, text in SNAPSHOT_DECK.items():
        (deck / name).write_text(text)
    return deck


async def reveal_problem(app, pilot, problem_id: str = "bias-correction-derivation-problem") -> None:
    """Open a problem of the bundled deck over the app and reveal it with a short answer."""
    from tutor.tui.screens.problem import ProblemScreen

    await app.push_screen(ProblemScreen(app.library().items[problem_id], app.study, "test"))
    await pilot.press(*"the zero start", "ctrl+r")
    await pilot.pause()
