"""A change of the whole screen in one frame: the next card all at once, never a frame of
half of it (`tutor.tui.screens.card` reuses its screen from card to card).

Textual draws whenever it is idle, and some changes take a few event-loop turns: a Markdown's
new blocks are mounted, the footer's keys rebuilt. `hold_frames` keeps the app from drawing
until such a change is in place (or a short limit passes); `InstantMarkdown` replaces its text
in one batch (Textual's `Markdown.update` parses in a thread first, and the old text stays up
meanwhile); `KeysFooter` changes its keys at once, in the same frame, and only when they
change (Textual's footer rebuilds one frame after every binding refresh).

Restyling and mounting are most of what a card change costs Textual: `InstantMarkdown` gives
the next card's blocks (paragraphs, code, lists, headings, quotes) to blocks of the same shape
it has, shown or kept hidden from an earlier card (`InstantMarkdown.ready` mounts, hidden,
those an answer will need while its question is up), `KeysFooter` relabels its key
widgets instead of building new ones, and `BodyScroll` (the card's body) restyles only itself,
not all it holds, when the focus moves to or from it. A change made in one go (a key's handler)
is drawn in one frame when `refresh_at_once` hands every widget's refresh to the screen at its
end and the footer hears of the new keys at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from typing import cast

from markdown_it import MarkdownIt
from textual import events
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.selection import SELECT_ALL
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Markdown, OptionList
from textual.widgets._footer import FooterKey  # Textual is pinned: the footer's own key widgets
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownBullet,
    MarkdownFence,
    MarkdownList,
    MarkdownListItem,
    MarkdownOrderedList,
)

HOLD_LIMIT_S = 0.25  # a change that takes longer is drawn as it comes, as Textual would
SPARE_BLOCKS = 8  # blocks an `InstantMarkdown` keeps hidden for a later text rather than remove


def hold_frames(owner: Widget, change: Callable[[], Awaitable[object]]) -> None:
    """Run `change` on `owner` and draw nothing until it is done (at most HOLD_LIMIT_S).

    Textual's `batch_update` is meant for one handler: a screen that falls idle while it holds
    across turns of the loop leaves its repaint for its next idle, and ending the batch wakes
    only the app. So the screen is woken at the end; without it the first answer of a sitting
    stayed off the terminal until the next key."""
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
            owner.app.screen.check_idle()

    owner.call_next(run)
    owner.app.call_next(release)


def refresh_at_once(screen: Screen) -> None:
    """Hand every widget's pending refresh to `screen` now rather than when that widget is next
    idle: the screen's next update then lays out and draws them all in one frame, not one frame
    for the widgets whose turn came first and another for the rest."""
    for widget in screen.walk_children(Widget):
        widget._check_refresh()


class SelectsShown:
    """A widget that selects for copying only what it shows: Textual's `text_select_all` (a
    double or triple click) takes every descendant, and a reused card keeps parts and blocks
    hidden, with earlier cards' text in them. (Not a widget class itself: Textual takes the
    CSS of a widget's first base only.)"""

    def text_select_all(self) -> None:
        shown: list[Widget] = []
        unseen = [cast(Widget, self)]
        while unseen:  # depth first, in the order they are laid out, as Textual's
            widget = unseen.pop()
            shown.append(widget)
            unseen.extend(reversed(widget.displayed_and_visible_children))
        shown[0].screen.selections = dict.fromkeys(shown, SELECT_ALL)


class InstantMarkdown(SelectsShown, Markdown):
    """A `Markdown` whose text `show` replaces in one batch (set so when mounted too), in the
    blocks already there where they fit (the blocks a text does not use stay, hidden, for a
    later one): a new block is mounted only when none fits."""

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(markdown, **kwargs)
        self._shown = markdown
        self._ready = False  # mounted: blocks can go in

    async def _on_mount(self, event: events.Mount) -> None:  # type: ignore[override]  # Textual: Widget sync, Markdown async
        event.prevent_default()  # Markdown's own mount would parse again, in a thread
        Widget._on_mount(self, event)
        self._ready = True
        self.show(self._shown)

    def _blocks_of(self, markdown: str) -> list[MarkdownBlock]:
        parser = MarkdownIt("gfm-like") if self._parser_factory is None else self._parser_factory()
        return list(self._parse_markdown(parser.parse(markdown)))

    def ready(self, markdown: str) -> None:
        """Mount, hidden, the blocks showing `markdown` would need that none here can take, so
        that `show` mounts nothing then: done while there is time, as when a question is up
        (mounting is most of what showing an answer of a new shape costs)."""
        if not self._ready:
            return
        free = list(self.query_children(MarkdownBlock))
        missing = []
        for new in self._blocks_of(markdown):
            old = next((block for block in free if _takes_in_place(block, new)), None)
            if old is None:
                new.display = False
                missing.append(new)
            else:
                free.remove(old)
        if missing:
            self.mount_all(missing)

    def show(self, markdown: str) -> None:
        """Show `markdown` instead of what is shown now; nothing is drawn until it is in."""
        self._shown = self._markdown = markdown
        if not self._ready:
            return  # shown when mounted
        self._theme = self.app.theme
        self._table_of_contents = None
        blocks = self._blocks_of(markdown)
        spares = list(self.query_children(MarkdownBlock))  # the last text's blocks, then those kept hidden
        shown: list[MarkdownBlock] = []
        for new in blocks:
            old = next((block for block in spares if _takes_in_place(block, new)), None)
            if old is not None:
                spares.remove(old)
                _put_in_place(old, new)
                old.display = True
            shown.append(old or new)
        if spares[SPARE_BLOCKS:]:
            self.remove_children(spares[SPARE_BLOCKS:])  # out of the layout at once, gone soon after
        for block in spares[:SPARE_BLOCKS]:
            block.display = False  # for a later text with more blocks, or other kinds
        mounted = []
        for place, block in enumerate(shown):
            if block.parent is not self:
                mounted.append(self.mount(block, before=place) if place < len(self._nodes) else self.mount(block))
            elif self._nodes.index(block) != place:
                self.move_child(block, before=place)
        if mounted:
            hold_frames(self, lambda: asyncio.gather(*mounted))


def _takes_in_place(old: Widget, new: MarkdownBlock) -> bool:
    """Whether `old`, shown, can show `new`'s text in place of a new widget: blocks of the same
    kind and nesting holding blocks that take each other's place in turn (a list: as many items;
    a code block: any code). Tables and blocks Textual builds otherwise are mounted anew."""
    if type(old) is not type(new) or old.classes != new.classes:
        return False
    if isinstance(new, MarkdownFence):
        return True
    inner = _inner_blocks(old, new)
    return inner is not None and len(inner[0]) == len(inner[1]) and all(
        _takes_in_place(old_block, new_block) for old_block, new_block in zip(*inner))


def _put_in_place(old: MarkdownBlock, new: MarkdownBlock) -> None:
    """Show `new`'s text in `old` (`_takes_in_place` said it can), as Textual's
    `_update_from_block` would, down to the blocks each holds."""
    old._copy_context(new)
    old.source_range = new.source_range
    if isinstance(new, MarkdownFence):
        old.set_content(new._highlighted_code)
        return
    old.set_content(new._content)
    if isinstance(new, MarkdownList):
        for row, symbol in zip(old.query_children(Horizontal), _bullets(new)):
            bullet = row.query_one(MarkdownBullet)
            if bullet.symbol != symbol:
                bullet.symbol = symbol
                bullet.refresh(layout=True)  # its width is its symbol's
    inner = _inner_blocks(old, new)
    assert inner is not None
    for old_block, new_block in zip(*inner):
        _put_in_place(old_block, new_block)


def _inner_blocks(old: Widget, new: MarkdownBlock) -> tuple[list[MarkdownBlock], list[MarkdownBlock]] | None:
    """The blocks `old` shows inside it and those `new` holds, in order; None for a block
    Textual builds from more than its blocks (a table)."""
    if isinstance(new, MarkdownList):  # a row per item: its bullet, then its blocks in a Vertical
        items = [item for item in new._blocks if isinstance(item, MarkdownListItem)]
        if len(items) != len(new._blocks):
            return None
        shown = [list(row.query_one(Vertical).query_children(MarkdownBlock))
                 for row in old.query_children(Horizontal)]
        if len(shown) != len(items):
            return None
        return ([block for column in shown for block in column],
                [block for item in items for block in item._blocks]) if all(
            len(column) == len(item._blocks) for column, item in zip(shown, items)) else None
    if type(new).compose is not MarkdownBlock.compose:
        return None
    return list(old.query_children(MarkdownBlock)), new._blocks


def _bullets(new: MarkdownList) -> list[str]:
    """The bullets Textual's list `compose` gives `new`'s items."""
    items = [item for item in new._blocks if isinstance(item, MarkdownListItem)]
    if not isinstance(new, MarkdownOrderedList):
        return [item.bullet for item in items]
    try:
        start = int(items[0].bullet) if items else 1
    except ValueError:
        start = 1
    numbers = [f"{number}. " for number in range(start, start + len(items))]
    width = max((len(number) for number in numbers), default=0) + 1
    return [number.rjust(width) for number in numbers]


class BodyScroll(SelectsShown, VerticalScroll):
    """A `VerticalScroll` whose focus restyles only itself. Textual restyles a widget and all
    it holds when it gains or loses focus; nothing inside a card's body is styled by the
    body's focus, and the focus moves to and from it on every choice or typed card."""

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)


class Options(OptionList):
    """An `OptionList` whose new options are drawn in the frame that lays them out, not again
    in a second. Textual's sets its own virtual size while it draws, which asks for another
    layout (as tall as its options, `height: auto`, it never scrolls itself), and redraws when
    it hears it was resized, after the frame that drew it at that width."""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)
    _drawn_width: int | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawn_width = self.size.width
        return super().render_lines(crop)

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]  # Textual: OptionList's takes no event
        if self.size.width == self._drawn_width:
            event.prevent_default()  # its lines are those of this width already


class KeysFooter(Footer):
    """A `Footer` that changes at once, in the same frame, and only when the keys it shows
    change; its key widgets are relabelled in place, not rebuilt (space gives way to l once an
    answer shows, on every card), unless more keys are shown than it has widgets."""

    _shown: tuple = ()

    def _on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # Textual's footer would hear of each change a turn of the loop late
        Widget._on_mount(self, event)
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed, immediate=True)

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
        lay them out, and hide those left over (a typed card's field leaves one key); False
        when it would lay them out otherwise (more keys than widgets, a group)."""
        first: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in screen.active_bindings.values():
            if binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))  # one key per action
        widgets = [key for key in self.query_children(FooterKey) if not key.has_class("-command-palette")]
        if len(widgets) < len(first) or any(binding.group is not None for binding, _, _ in first.values()):
            return False
        for widget, (binding, enabled, tooltip) in zip(widgets, first.values()):
            widget.key, widget.description, widget.action = binding.key, binding.description, binding.action
            widget.key_display = self.app.get_key_display(binding)
            widget._disabled = not enabled  # what a click checks
            widget.set_class(not enabled, "-disabled")
            widget.tooltip = tooltip or None
            widget.display = True
            widget.refresh(layout=True)
        for widget in widgets[len(first):]:
            widget.display = False
        return True
