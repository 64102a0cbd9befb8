"""A change of the whole screen in one frame: the next card all at once, never a frame of
half of it (`tutor.tui.screens.card` reuses its screen from card to card).

Textual draws whenever it is idle, and some changes take a few event-loop turns: a Markdown's
new blocks are mounted, the footer's keys rebuilt. `hold_frames` keeps the app from drawing
until such a change is in place (or a short limit passes); `InstantMarkdown` replaces its text
in one batch (Textual's `Markdown.update` parses in a thread first, and the old text stays up
meanwhile); `KeysFooter` changes its keys at once, in the same frame, and only when they
change (Textual's footer rebuilds one frame after every binding refresh).

Restyling is most of what a card change costs Textual: `KeysFooter` relabels its key widgets
instead of building new ones, and `BodyScroll` (the card's body) restyles only itself, not all
it holds, when the focus moves to or from it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import ExitStack

from markdown_it import MarkdownIt
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Markdown
from textual.widgets._footer import FooterKey  # Textual is pinned: the footer's own key widgets

HOLD_LIMIT_S = 0.25  # a change that takes longer is drawn as it comes, as Textual would


def hold_frames(owner: Widget, change: Callable[[], Awaitable[object]]) -> None:
    """Run `change` on `owner` and draw nothing until it is done (at most HOLD_LIMIT_S)."""
    held = ExitStack()
    held.enter_context(owner.app.batch_update())
    done = asyncio.Event()

    async def run() -> None:
        try:
            await change()
        finally:
            done.set()

    async def release() -> None:
        try:
            await asyncio.wait_for(done.wait(), HOLD_LIMIT_S)
        except TimeoutError:
            pass  # drawn as it stands; the change goes on
        finally:
            held.close()

    owner.call_next(run)
    owner.app.call_next(release)


class InstantMarkdown(Markdown):
    """A `Markdown` whose text `show` replaces in one batch (set so when mounted too)."""

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(markdown, **kwargs)
        self._shown = markdown
        self._ready = False  # mounted: blocks can go in

    async def _on_mount(self, event: events.Mount) -> None:  # type: ignore[override]  # Textual: Widget sync, Markdown async
        event.prevent_default()  # Markdown's own mount would parse again, in a thread
        Widget._on_mount(self, event)
        self._ready = True
        self.show(self._shown)

    def show(self, markdown: str) -> None:
        """Show `markdown` instead of what is shown now; nothing is drawn until it is in."""
        self._shown = self._markdown = markdown
        if not self._ready:
            return  # shown when mounted
        self._theme = self.app.theme
        self._table_of_contents = None
        parser = MarkdownIt("gfm-like") if self._parser_factory is None else self._parser_factory()
        blocks = list(self._parse_markdown(parser.parse(markdown)))
        self.query_children("MarkdownBlock").remove()  # out of the layout at once, gone soon after
        if blocks:
            mounted = self.mount_all(blocks)
            hold_frames(self, lambda: mounted)


class BodyScroll(VerticalScroll):
    """A `VerticalScroll` whose focus restyles only itself. Textual restyles a widget and all
    it holds when it gains or loses focus; nothing inside a card's body is styled by the
    body's focus, and the focus moves to and from it on every choice or typed card."""

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)


class KeysFooter(Footer):
    """A `Footer` that changes at once, in the same frame, and only when the keys it shows
    change; as many keys as before are relabelled in place, not rebuilt (space gives way to
    l once an answer shows, on every card)."""

    _shown: tuple = ()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        shown = tuple((binding.key, binding.description, binding.action, enabled, tooltip)
                      for _, binding, enabled, tooltip in screen.active_bindings.values() if binding.show)
        if shown == self._shown:
            return
        self._shown = shown
        if not self._relabel(screen):
            hold_frames(self, self.recompose)

    def _relabel(self, screen: Screen) -> bool:
        """Give the keys shown now to the key widgets already there, as `Footer.compose` would
        lay them out; False when it would lay them out otherwise (another number, a group)."""
        first: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in screen.active_bindings.values():
            if binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))  # one key per action
        widgets = [key for key in self.query_children(FooterKey) if not key.has_class("-command-palette")]
        if len(widgets) != len(first) or any(binding.group is not None for binding, _, _ in first.values()):
            return False
        for widget, (binding, enabled, tooltip) in zip(widgets, first.values(), strict=True):
            widget.key, widget.description, widget.action = binding.key, binding.description, binding.action
            widget.key_display = self.app.get_key_display(binding)
            widget._disabled = not enabled  # what a click checks
            widget.set_class(not enabled, "-disabled")
            widget.tooltip = tooltip or None
            widget.refresh(layout=True)
        return True
