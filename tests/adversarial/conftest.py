"""The TUI's app factory, for the attacks that must be seen on screen."""

from tests.tui.conftest import make_app, no_cursor_blink  # noqa: F401  (fixtures)
