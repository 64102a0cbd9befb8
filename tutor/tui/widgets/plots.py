"""Bar charts drawn with block characters: no plotting dependency, readable at 80 columns."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"


def bar_chart(values: Sequence[int], labels: tuple[str, str] = ("", ""), height: int = 4,
              style: str = "bold", title: str = "", column: int = 1) -> Text:
    """Vertical bars, `column` cells wide per value, `height` rows of eighths, the maximum on the axis."""
    top = max(values) if values else 0
    text = Text()
    if title:
        text.append(title + "\n", style="bold")
    width = len(str(top))
    for row in range(height, 0, -1):
        axis = str(top) if row == height else ""
        text.append(f"{axis:>{width}} │", style="dim")
        for value in values:
            eighths = round(value / top * height * 8) if top else 0
            fill = min(8, max(0, eighths - (row - 1) * 8))
            if value and row == 1 and fill == 0:
                fill = 1  # a non-zero day is never invisible
            bar = column - 1 if column >= 3 else column  # wide bars keep a gap between days
            text.append(BLOCKS[fill] * bar + " " * (column - bar), style=style)
        text.append("\n")
    text.append(f"{'0':>{width}} └" + "─" * (len(values) * column) + "\n", style="dim")
    left, right = labels
    gap = max(1, len(values) * column - len(left) - len(right))
    text.append(" " * (width + 2) + left + " " * gap + right, style="dim")
    return text


class BarChart(Widget):
    """A bar chart that widens its bars to the space it is given (one cell each at 80 columns)."""

    DEFAULT_CSS = "BarChart { height: auto; }"

    def __init__(self, *, id: str | None = None, height: int = 4, style: str = "bold"):
        super().__init__(id=id)
        self.chart_height = height
        self.style_name = style
        self.values: list[int] = []
        self.labels = ("", "")
        self.title = ""

    def show(self, values: Sequence[int], labels: tuple[str, str], title: str) -> None:
        self.values, self.labels, self.title = list(values), labels, title
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.chart_height + 3

    def render(self) -> Text:
        axis = len(str(max(self.values))) + 2 if self.values else 3
        column = max(1, (self.size.width - axis) // max(1, len(self.values)))
        return bar_chart(self.values, self.labels, self.chart_height, self.style_name, self.title, column)


def share_bar(share: float, width: int = 20) -> str:
    """A horizontal bar for a share in [0, 1], in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")).ljust(width, "·")
