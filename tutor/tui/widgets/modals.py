"""Small modal dialogs: an error report that never takes the app down, and one line of input."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class MessageModal(ModalScreen[None]):
    """A titled message (an error from a worker, a notice); any of enter/escape/q closes it."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, title: str, body: str, *, error: bool = False):
        super().__init__(classes="error" if error else "")
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            with VerticalScroll(id="dialog-body"):
                yield Static(self.body, markup=False)
            yield Static("enter close", id="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)


class AskModal(ModalScreen[str | None]):
    """A question answered on one line: enter gives the text, escape gives None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, body: str, value: str = "", placeholder: str = ""):
        super().__init__()
        self.title_text, self.body, self.value, self.placeholder = title, body, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            yield Static(self.body, markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="dialog-input")
            yield Static("enter save   escape cancel", id="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
