"""Bar charts drawn with block characters: no plotting dependency, readable at 80 columns."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text

BLOCKS = " ▁▂▃▄▅▆▇█"


def bar_chart(values: Sequence[int], labels: tuple[str, str] = ("", ""), height: int = 4,
              style: str = "bold", title: str = "") -> Text:
    """Vertical bars, one column per value, `height` rows of eighths, with the maximum on the axis."""
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
            text.append(BLOCKS[fill], style=style)
        text.append("\n")
    text.append(f"{'0':>{width}} └" + "─" * len(values) + "\n", style="dim")
    left, right = labels
    gap = max(1, len(values) - len(left) - len(right))
    text.append(" " * (width + 2) + left + " " * gap + right, style="dim")
    return text


def share_bar(share: float, width: int = 20) -> str:
    """A horizontal bar for a share in [0, 1], in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")).ljust(width, "·")
