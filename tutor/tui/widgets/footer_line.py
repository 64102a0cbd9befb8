"""The screen's keys as Textual's footer draws them, in one widget (`FooterLine`).

Textual's `Footer` is a container of one widget per key, rebuilt after the first frame and
again whenever the screen's keys change: each exercise screen pushed paid for mounting,
styling and laying out the lot. `FooterLine` draws the same line as one text, made again only
when the keys shown change, and repainted, never laid out (its size stays one line across the
screen). Like `Footer`, it looks at the keys after the frame that shows a new screen (not in the
key that opened it), a click on a key presses it, and the key under the pointer is lit.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class ShownKey:
    """A key as the line shows it, and the columns it takes."""

    key: str  # as Textual names it, what a click presses
    display: str  # as the learner reads it: `^r`, `esc`
    description: str
    enabled: bool
    tooltip: str
    start: int
    end: int


class FooterLine(Widget, can_focus=False):
    """The keys of its screen that are shown (one per action, as `Footer` does), in a line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-line--key", "footer-line--hover"}
    DEFAULT_CSS = """
    FooterLine {
        dock: bottom;
        width: 1fr;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        pointer: pointer;
        .footer-line--key { background: $footer-item-background; }
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-line--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[ShownKey, ...] = ()
        self._hovered: ShownKey | None = None
        self._look_asked = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def bindings_changed(self, screen: Screen) -> None:
        """The screen's keys may have changed: look at them once the next frame is drawn, once
        for every change heard of until then (a screen pushed hears of several), and not while
        another screen covers this one (Textual refreshes the keys of a screen shown again)."""
        if (not self._look_asked and screen.app.app_focus  # out of focus, the keys shown stay, as in `Footer`
                and screen is self.screen and screen.is_current):
            self._look_asked = True
            self.call_after_refresh(self._show_keys)

    def _show_keys(self) -> None:
        """A new line if the keys shown (one per action, as `Footer` shows them) changed. Binding
        groups are drawn as single keys: these screens have none."""
        self._look_asked = False
        screen = self.screen
        if not screen.is_current:
            return
        first: dict[str, tuple] = {}
        for _, binding, enabled, tooltip in screen.active_bindings.values():
            if binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))
        keys, column = [], 0
        for binding, enabled, tooltip in first.values():
            display = self.app.get_key_display(binding)
            width = cell_len(f" {display} {binding.description} ")
            keys.append(ShownKey(binding.key, display, binding.description, enabled, tooltip or "", column,
                                 column + width))
            column += width
        if tuple(keys) != self.keys:
            self.keys = tuple(keys)
            self._hovered = None
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key", partial=True)
        description_style = self.get_component_rich_style("footer-key--description", partial=True)
        item_style = self.get_component_rich_style("footer-line--key", partial=True)
        hover_style = self.get_component_rich_style("footer-line--hover")
        line = Text(no_wrap=True, overflow="crop", end="")
        for shown in self.keys:
            part = Text.assemble((f" {shown.display} ", key_style), (f"{shown.description} ", description_style))
            part.stylize_before(hover_style if shown is self._hovered else item_style)
            if not shown.enabled:
                part.stylize("dim")
            line.append_text(part)
        return line

    def key_at(self, x: int) -> ShownKey | None:
        return next((shown for shown in self.keys if shown.start <= x < shown.end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self.key_at(event.x)
        if shown is None:
            return
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, shown: ShownKey | None) -> None:
        if shown is not self._hovered:
            self._hovered = shown
            self.tooltip = shown.tooltip if shown and shown.tooltip else None
            self.refresh()
