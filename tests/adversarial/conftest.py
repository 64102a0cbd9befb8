"""The TUI's app factory, for the attacks that must be seen on screen."""

from tests.tui.conftest import checkers_ahead, make_app, no_checkers_ahead, no_cursor_blink  # noqa: F401  (fixtures)
