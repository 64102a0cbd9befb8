"""`?`: the keys of the screen underneath, read from its live bindings so it never goes stale."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# Keys every Textual screen has, or that the footer of this dialog already explains.
GENERIC_ACTIONS = {"help", "focus_next", "focus_previous", "copy_text", "command_palette", "maximize",
                   "minimize"}


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    """(key as shown, what it does): the screen's own HELP_KEYS, then every described binding of
    the screen and the app (generic widget keys such as scrolling are left out)."""
    extra = tuple(getattr(screen, "HELP_KEYS", ()))
    explained = {k for keys, _ in extra for k in keys.replace("/", " ").split()}
    seen: dict[str, str] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if active.node not in (screen, screen.app) or binding.system or not binding.description:
            continue
        if binding.action.rpartition(".")[2] in GENERIC_ACTIONS:
            continue
        shown = binding.key_display or screen.app.get_key_display(binding)
        if shown in explained or binding.key in explained:
            continue
        seen.setdefault(binding.description, shown)
    return list(extra) + [(shown, what) for what, shown in seen.items()]


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
        table.add_row("? / f1", "this list of keys (f1 works inside a text field)")
        table.add_row("^p", "command palette: study, stats, browse, theme, undo")
        with Vertical(id="dialog"):
            yield Static(f"Keys: {self.screen_name}", id="dialog-title", markup=False)
            with VerticalScroll(id="dialog-body"):
                if self.about:
                    yield Static(self.about, classes="help-about", markup=False)
                yield Static(table)
            yield Static("escape close", id="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
