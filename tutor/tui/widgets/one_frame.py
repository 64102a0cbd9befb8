"""A change of the whole screen in one frame: the next card all at once, never a frame of
half of it (`tutor.tui.screens.card` reuses its screen from card to card).

Textual draws whenever it is idle, and some changes take a few event-loop turns: a Markdown's
new blocks are mounted, the footer's keys rebuilt. `hold_frames` keeps the app from drawing
until such a change is in place (or a short limit passes); `InstantMarkdown` replaces its text
in one batch (Textual's `Markdown.update` parses in a thread first, and the old text stays up
meanwhile); `KeysFooter` rebuilds its keys at once, in the same frame, and only when they
change (Textual's footer rebuilds one frame after every binding refresh).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import ExitStack

from markdown_it import MarkdownIt
from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Markdown

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


class KeysFooter(Footer):
    """A `Footer` rebuilt at once when, and only when, the keys it shows change."""

    _shown: tuple = ()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        shown = tuple((binding.key, binding.description, binding.action, enabled, tooltip)
                      for _, binding, enabled, tooltip in screen.active_bindings.values() if binding.show)
        if shown != self._shown:
            self._shown = shown
            hold_frames(self, self.recompose)
