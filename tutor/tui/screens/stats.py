"""Statistics: reviews per day, true retention, the 30-day forecast, leeches, mastery by section.

Figures come from `tutor.study.stats.summary` and `tutor.study.mastery`; this screen only draws.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.tui.widgets.plots import BarChart, share_bar


def percent(r: dict) -> str:
    return f"{r['rate'] * 100:.0f}% of {r['reviews']}" if r.get("rate") is not None else "no reviews yet"


class StatsScreen(Screen):
    HELP_TITLE = "Stats"
    HELP_TEXT = ("True retention counts an item's first review of a day, not its very first one; "
                 "Again is a miss. Mastery: the share of a section's items past Day 0.")
    BINDINGS = [Binding("q,escape", "leave", "Back"), Binding("r", "reload", "Reload")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(id="stats-head")
            yield BarChart(id="stats-activity", style="bold green")
            yield BarChart(id="stats-forecast", style="bold cyan")
            yield Static(id="stats-mastery")
            yield Static(id="stats-leeches")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "stats"
        self.action_reload()
        self.query_one("#stats").focus()  # arrows and page keys scroll at once

    def action_reload(self) -> None:
        from tutor.study.mastery import mastery_by_tag
        from tutor.study.stats import summary

        study = self.app.study
        data = summary(study.store, study.today())
        head = Text()
        head.append("Reviews ", style="bold")
        head.append(f"{data['reviews']} over {data['items_studied']} items   ")
        head.append("Streak ", style="bold")
        head.append(f"{data['streak']} day{'s' if data['streak'] != 1 else ''}\n")
        head.append("True retention ", style="bold")
        head.append(f"{percent(data['retention_30d'])} (30 days), {percent(data['retention_all'])} (all time)")
        self.query_one("#stats-head", Static).update(head)

        per_day = list(data["reviews_per_day"].items())
        self.query_one("#stats-activity", BarChart).show(
            [n for _, n in per_day], (per_day[0][0][5:], "today"), "Reviews per day, last 30 days")
        forecast = list(data["forecast"].items())
        self.query_one("#stats-forecast", BarChart).show(
            [n for _, n in forecast], ("today", forecast[-1][0][5:]), "Due per day, next 30 days")

        library = self.app.library()
        items = [(i.id, i.tags) for i in library.items.values()]
        states = {item_id: study.store.state(item_id) for item_id, _ in items}
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, max_width=28, overflow="ellipsis")
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for m in mastery_by_tag(items, states):
            table.add_row(m.tag, share_bar(m.share, 20), f"{m.mastered}/{m.total}")
        title = Text("Mastery by section (share of its items past Day 0)", style="bold")
        self.query_one("#stats-mastery", Static).update(Group(title, table) if items else Text("No items."))

        leeches = data["leeches"]
        text = Text("Leeches ", style="bold")
        text.append(", ".join(f"{x['id']} ({x['lapses']} lapses)" for x in leeches) if leeches else
                    "none: no item has been forgotten 4 times.")
        self.query_one("#stats-leeches", Static).update(text)

    def action_leave(self) -> None:
        self.dismiss()
