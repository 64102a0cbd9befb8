"""One layout per change of a screen, not two (`lay_out_once`), one restyle per footer key,
not three (`footer_keys_start_wide`), a footer rebuilt once per change, never under another screen
(`footers_rebuilt_once_when_shown`), a new screen styled once as it is pushed, not twice
(`new_screens_styled_once`), and laid out once, not twice with every screen under it once more
(`screens_laid_out_once_per_size`); all set up when the app starts.

Part of drawing the next card in one frame (`tutor.tui.widgets.one_frame`); it lives apart
so that the app, which sets it up before its first screen, need not import the card widgets.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual is pinned: the footer's own key widgets


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


def footer_keys_start_wide() -> None:
    """Make a new footer key start as its footer shows it: not compact.

    `FooterKey.compact` starts True and each key is bound to its footer's `compact` (False in
    this app), so every key built restyled itself and all it holds twice as it was mounted:
    once to add its `-compact` class, once to take it off again (a third of the restyles of
    opening a drill). Starting False, neither happens. The command palette's key, which no
    footer binds, stays compact as Textual draws it.
    """
    compact = FooterKey.__dict__["compact"]
    if compact._default is False:
        return
    compact._default = False
    make = FooterKey.__init__

    def make_palette_key_compact(self: FooterKey, *args: Any, **kwargs: Any) -> None:
        palette = "-command-palette" in kwargs.get("classes", "").split()
        if palette:
            kwargs["classes"] += " -compact"
        make(self, *args, **kwargs)
        if palette:
            self.set_reactive(FooterKey.compact, True)

    FooterKey.__init__ = make_palette_key_compact  # type: ignore[method-assign]


def footers_rebuilt_once_when_shown() -> None:
    """Make a footer rebuild its keys once per change of its screen's bindings, and only while
    that screen is shown.

    Textual's `Footer` rebuilds all its key widgets after the next frame each time its screen's
    bindings may have changed, as many times as it heard of it, shown or not: the dashboard's
    footer, eight keys, was rebuilt four times over after the first frame, just as an enter
    pressed at once opened a drill, and a covered screen's footer on each push and pop above
    it. It now rebuilds once for all it heard of before the next frame, and a covered screen's
    footer when the screen shows again (Textual refreshes the bindings of a screen it resumes).
    """
    if getattr(Footer.bindings_changed, "once_when_shown", False):
        return

    def bindings_changed_once_when_shown(self: Footer, screen: Screen) -> None:
        self._bindings_ready = True
        if (screen.app.app_focus and self.is_attached and screen is self.screen and screen.is_current
                and not getattr(self, "_rebuild_asked", False)):
            self._rebuild_asked = True  # type: ignore[attr-defined]
            self.call_after_refresh(rebuild, self)

    async def rebuild(footer: Footer) -> None:
        footer._rebuild_asked = False  # type: ignore[attr-defined]
        await footer.recompose()

    bindings_changed_once_when_shown.once_when_shown = True  # type: ignore[attr-defined]
    Footer.bindings_changed = bindings_changed_once_when_shown  # type: ignore[method-assign]


def new_screens_styled_once() -> None:
    """Make a pushed screen restyle all it holds only when it shows again after being covered.

    Textual restyles every widget of a screen each time it shows (`ScreenResume.refresh_styles`),
    also the first time, just after each widget was styled as it was mounted: a covered screen
    may have missed a change of theme, a new one has missed nothing. It was a tenth of opening
    a drill, and of a rating that opens a problem.
    """
    resume = Screen._on_screen_resume
    if getattr(resume, "styles_once", False):
        return

    def resume_styled_once(self: Screen, event: events.ScreenResume) -> None:
        if not getattr(self, "_shown_before", False):
            self._shown_before = True  # type: ignore[attr-defined]
            event.refresh_styles = False
        resume(self, event)

    resume_styled_once.styles_once = True  # type: ignore[attr-defined]
    Screen._on_screen_resume = resume_styled_once  # type: ignore[method-assign]


def screens_laid_out_once_per_size() -> None:
    """Make a screen skip the whole-screen layout its Resize asks for when it is already laid
    out at that size.

    A pushed screen is laid out as it first shows (`Screen._on_screen_resume`); that layout
    sends the screen itself a Resize (it was just shown), and Textual's `Screen._on_resize` lays
    it out again at the same size, and every screen under it too: two layouts of the new screen
    and one of each below, where one finds everything in place. A change inside a screen asks
    for its own layout, as before; a terminal resized still lays out every screen (each is then
    at another size), once instead of twice for those underneath.
    """
    resized = Screen._screen_resized
    if getattr(resized, "once_per_size", False):
        return

    def screen_resized_unless_laid_out(self: Screen, size: Size) -> None:
        if self._size != size:
            resized(self, size)

    screen_resized_unless_laid_out.once_per_size = True  # type: ignore[attr-defined]
    Screen._screen_resized = screen_resized_unless_laid_out  # type: ignore[method-assign]
