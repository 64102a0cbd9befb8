"""The deck plan's Day 0/3/7/14/21 checkpoints as one line: done ✓, due today •, upcoming with date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text

MARKS = {"done": "✓", "due": "•", "upcoming": "○"}
STYLES = {"done": "bold green", "due": "bold yellow", "upcoming": "dim"}


def short_date(day: date) -> str:
    return day.strftime("%b %d").replace(" 0", " ")


def timeline(checkpoints: Sequence, today: date) -> Text:
    """`Day 0 ✓  Day 3 •today  Day 7 ○Dec 12 …` for a list of study.Checkpoint (fits 72 columns).

    A checkpoint still due from an earlier day shows its date after the • instead of `today`.
    """
    text = Text()
    for index, cp in enumerate(checkpoints):
        if index:
            text.append("  ")
        text.append(f"Day {cp.day} ", style="bold" if cp.status == "due" else "")
        text.append(MARKS.get(cp.status, "?"), style=STYLES.get(cp.status, ""))
        if cp.status == "due":
            text.append("today" if cp.date == today else short_date(cp.date), style="yellow")
        elif cp.status == "upcoming":
            text.append(short_date(cp.date), style="dim")
    return text


def next_goal(checkpoints: Sequence, today: date | None = None) -> Text:
    """The goal of the checkpoint due now (or still open from an earlier day), else the next one."""
    for cp in checkpoints:
        if cp.status != "done":
            if cp.status == "due":
                label = "Today" if today is None or cp.date == today else f"Day {cp.day}, still open"
            else:
                label = f"Day {cp.day}"
            return Text.assemble((f"{label}: ", "bold"), cp.goal)
    return Text("Every checkpoint done: maintenance reviews only.", style="green")
