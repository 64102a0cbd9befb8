"""One layout per change of a screen, not two (`lay_out_once`, set up when the app starts).

Part of drawing the next card in one frame (`tutor.tui.widgets.one_frame`); it lives apart
so that the app, which sets it up before its first screen, need not import the card widgets.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget


def lay_out_once() -> None:
    """Make a layout final: a widget it resizes no longer asks for the next one.

    Textual's `Widget.virtual_size` is a layout reactive, so each widget a layout resizes (each
    new Markdown block, a relabelled footer key, the body around them) asks for a second
    layout, one update period (1/60 s) later, and a third frame. That layout finds nothing to
    move: the first already placed every widget at its new size, and a scroll container whose
    scrollbars come or go still asks for one (`show_vertical_scrollbar` is a layout reactive of
    its own). A widget that sets its own virtual size (an editor, a log) sets it outside a
    layout and still asks for one.
    """
    size_updated = Widget._size_updated
    if getattr(size_updated, "lays_out_once", False):
        return

    def size_updated_in_place(self: Widget, size: Size, virtual_size: Size, container_size: Size,
                              layout: bool = True) -> bool:
        return size_updated(self, size, virtual_size, container_size, layout=False)

    size_updated_in_place.lays_out_once = True  # type: ignore[attr-defined]
    Widget._size_updated = size_updated_in_place  # type: ignore[method-assign]
