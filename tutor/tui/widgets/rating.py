"""The rating keys 1-4 with the due date each would give, and the suggested one highlighted."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
STYLES = {1: "red", 2: "yellow", 3: "green", 4: "cyan"}


def interval_label(due: date | None, today: date) -> str:
    """`now` for the same day (the item comes back this session), else `1d`, `3d`, `2w`, `3mo`."""
    if due is None:
        return ""
    days = (due - today).days
    if days <= 0:
        return "now"
    if days < 14:
        return f"{days}d"
    if days < 60:
        return f"{round(days / 7)}w"
    return f"{round(days / 30)}mo"


class RatingBar(Static):
    """`1 Again now  2 Hard 1d  3 Good 3d  4 Easy 7d`; the suggestion is what enter picks. Only
    the ratings the learner may give are offered (after a wrong answer, `1 Again` alone), each
    on its own number key."""

    suggested: reactive[int | None] = reactive(None)
    offered: reactive[tuple[int, ...]] = reactive(tuple(NAMES))

    def __init__(self, preview: dict[int, date], today: date, **kwargs):
        super().__init__(**kwargs)
        self.preview = preview
        self.today = today

    def show(self, preview: dict[int, date], today: date) -> None:
        """Another item's due dates, nothing suggested yet."""
        self.preview, self.today = preview, today
        self.suggested = None
        self.offered = tuple(NAMES)
        self.refresh()

    def render(self) -> Text:
        text = Text()
        for rating in self.offered:
            name = NAMES[rating]
            chosen = rating == self.suggested
            style = f"reverse bold {STYLES[rating]}" if chosen else STYLES[rating]
            text.append(f" {rating} ", style="reverse" if not chosen else style)
            text.append(f" {name} ", style=style if chosen else f"bold {STYLES[rating]}")
            label = interval_label(self.preview.get(rating), self.today)
            text.append(f"{label:<4}", style="dim")
            text.append(" ")
        if self.suggested:
            text.append(" enter ", style="reverse")
            text.append(f" {NAMES[self.suggested]}", style="dim")
        return text
