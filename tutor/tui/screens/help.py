"""`?`: the keys of the screen underneath, read from its live bindings so it never goes stale."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    """(key as shown, what it does) for every described binding active on `screen`."""
    seen: dict[str, str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in ("help",):
            continue
        shown = binding.key_display or screen.app.get_key_display(binding)
        seen.setdefault(binding.description, shown)
    extra = getattr(screen, "HELP_KEYS", ())
    rows = [(keys, what) for keys, what in extra]
    rows += [(shown, what) for what, shown in seen.items() if what not in {w for _, w in extra}]
    return rows


class HelpScreen(ModalScreen[None]):
    """A modal table of keys; escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, screen: Screen):
        super().__init__()
        self.rows = describe_keys(screen)
        self.screen_name = getattr(screen, "HELP_TITLE", type(screen).__name__)
        self.about = getattr(screen, "HELP_TEXT", "")

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, what in self.rows:
            table.add_row(keys, what)
        table.add_row("?", "this list of keys")
        table.add_row("ctrl+p", "command palette: study, stats, browse, theme, undo")
        with Vertical(id="dialog"):
            yield Static(f"Keys: {self.screen_name}", id="dialog-title", markup=False)
            with VerticalScroll(id="dialog-body"):
                if self.about:
                    yield Static(self.about, classes="help-about", markup=False)
                yield Static(table)
            yield Static("escape close", id="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
