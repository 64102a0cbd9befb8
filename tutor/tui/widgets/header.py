"""The app's title bar: Textual's `Header`, safe to leave while it is still mounting."""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Header
from textual.widgets._header import HeaderTitle  # Textual is pinned: the header's own title widget


class TitleBar(Header):
    """Textual's `Header` sets its title from a callback queued as it mounts and on each change
    of a title; a screen removed before that callback ran (left at once after opening it) had
    already lost the header's title widget, and the query for it raised `NoMatches`, ending the
    app. Here the callback does nothing once the header is gone or going; an attached header
    with no title widget still raises."""

    def _on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # Textual's own would register the unguarded callback
        Widget._on_mount(self, event)

        async def set_title() -> None:
            if self.is_attached and not self._pruning and not self._closing:
                self.query_one(HeaderTitle).update(self.format_title())

        for node in (self.app, self.screen):
            self.watch(node, "title", set_title)
            self.watch(node, "sub_title", set_title)
