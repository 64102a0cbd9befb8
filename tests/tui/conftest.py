"""TUI fixtures: an app on a temporary home with a pinned clock, and deterministic rendering.

`make_app(now=..., roots=...)` builds a `TutorApp` exactly as `run_app` does (settings from
the environment, a fresh store in the temporary home), defaulting to the bundled decks plus
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


@pytest.fixture
def make_app(home, monkeypatch):
    """Build a TutorApp at a pinned time over the given content roots (new Study each call)."""
    opened = []

    def build(now: str = DAY0, roots: list[Path] | None = None, deck: str | None = None, theme: str | None = None):
        from tutor.config import load_settings
        from tutor.store import Store
        from tutor.study import Study
        from tutor.tui.app import TutorApp

        monkeypatch.setenv("TUTOR_NOW", now)
        if theme:
            monkeypatch.setenv("TUTOR_THEME", theme)
        else:
            monkeypatch.delenv("TUTOR_THEME", raising=False)
        store = Store.open(home)
        opened.append(store)
        study = Study(store, load_settings({}, home=None), list(roots or [BUNDLED, LINALG]))
        return TutorApp(study, deck=deck)

    yield build
    for store in opened:
        store.close()
