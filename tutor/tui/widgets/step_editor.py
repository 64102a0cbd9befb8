"""The derivation step editor: one expression per line, each line marked ✓ ✗ ? in the gutter.

The marks sit in the two blank columns TextArea leaves after the line numbers, so they stay
aligned with their lines through scrolling and soft wrapping without a second widget.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Offset
from textual.strip import Strip

from tutor.tui.widgets.code_editor import InOrderTextArea

# status of a checked step -> (mark, CSS variable naming its colour)
MARKS = {
    "ok": ("✓", "success"),
    "wrong": ("✗", "error"),
    "unparsed": ("?", "warning"),
    "undecided": ("~", "warning"),
    "timeout": ("!", "warning"),
}


class StepEditor(InOrderTextArea):
    """A TextArea whose gutter shows each line's last check result."""

    DEFAULT_CSS = """
    StepEditor { height: 1fr; }
    """

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="indent", show_line_numbers=True,
                         **kwargs)
        self._marks: dict[int, str] = {}  # 0-based line index -> status

    def set_marks(self, statuses: dict[int, str]) -> None:
        """Show these statuses (1-based line number -> status); other lines get no mark."""
        self._marks = {line - 1: status for line, status in statuses.items()}
        self._line_cache.clear()  # cached strips do not know about the marks
        self.refresh()

    def clear_marks(self) -> None:
        self.set_marks({})

    def mark_of(self, line: int) -> str | None:
        """The status shown on a 1-based line, if any."""
        return self._marks.get(line - 1)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not self._marks or not self.show_line_numbers or not self.text:
            return strip
        scroll_y = int(self.scroll_offset.y)
        document = self.wrapped_document
        if y + scroll_y >= document.height:
            return strip
        row, _column = document.offset_to_location(Offset(0, y + scroll_y))
        status = self._marks.get(row)
        first_section = document.location_to_offset((row, 0)).y == y + scroll_y
        if status is None or not first_section:
            return strip
        mark, colour = MARKS.get(status, ("·", "foreground"))
        colour_value = self.app.theme_variables.get(colour)
        at = self.gutter_width - 2
        margin = list(strip.crop(at, at + 2))
        base = (margin[0].style if margin else None) or Style()
        style = base + (Style(color=colour_value, bold=True) if colour_value else Style(bold=True))
        return Strip.join([strip.crop(0, at), Strip([Segment(mark, style), Segment(" ", base)], 2),
                           strip.crop(at + 2, strip.cell_length)])
