"""Markdown that changes in one go: the next card's text, never a frame of the last one's.

Textual's `Markdown.update` parses in a thread and swaps the blocks a few event-loop turns
later, so a screen reused for the next card (`tutor.tui.screens.card`) would paint the old
text under the new title first, and the parse's thread hop costs more than the parse of a
card's few lines. `InstantMarkdown.show` parses here and replaces the blocks in one batch.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual import events
from textual.widget import Widget
from textual.widgets import Markdown


class InstantMarkdown(Markdown):
    """A `Markdown` whose text is replaced at once by `show` (and set so when mounted)."""

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
        """Show `markdown` instead of what is shown now, in the next frame."""
        self._shown = self._markdown = markdown
        if not self._ready:
            return  # shown when mounted
        self._theme = self.app.theme
        self._table_of_contents = None
        parser = MarkdownIt("gfm-like") if self._parser_factory is None else self._parser_factory()
        blocks = list(self._parse_markdown(parser.parse(markdown)))
        with self.app.batch_update():
            self.query_children("MarkdownBlock").remove()
            if blocks:
                self.mount_all(blocks)
