"""Statistics: reviews per day, true retention, the 30-day forecast, leeches, mastery by section,
and FSRS on the learner's own reviews: how well it predicts them (calibration), what each desired
retention costs (the workload simulator), and a fit to them (`o`) once there are enough.

Figures come from `tutor.study.stats.summary`, `tutor.study.mastery` and `tutor.study.optimize`;
this screen only draws. The FSRS figures and each dated deck's readiness replay the log, so they
are computed in threads on a study of their own (an SQLite connection belongs to the thread that
opened it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.tui.messages import ShowsWorkerErrors
from tutor.tui.widgets.header import TitleBar
from tutor.tui.widgets.plots import BarChart, share_bar

if TYPE_CHECKING:
    from tutor.study import Study


TOP_MISTAKES = 5


def percent(r: dict) -> str:
    return f"{r['rate'] * 100:.0f}% of {r['reviews']}" if r.get("rate") is not None else "none"


class StatsScreen(ShowsWorkerErrors, Screen):
    HELP_TITLE = "Stats"
    HELP_TEXT = ("True retention counts an item's first review of a day, not its very first one; "
                 "Again is a miss. Mistakes: the named ones your checks found most often, with advice. "
                 "Variant items: how many different drawn numbers you answered, and the share right. "
                 "Mastery: the share of a section's items past Day 0. Readiness (with an interview date, "
                 "i on the dashboard): the recall FSRS predicts on the day, by section. "
                 "FSRS: predicted vs measured recall on your reviews, minutes a day for each desired "
                 "retention, and o fits FSRS to your reviews once there are enough (tutor optimize).")
    BINDINGS = [Binding("q,escape", "leave", "Back"), Binding("r", "reload", "Reload"),
                Binding("o", "optimize", "Fit FSRS")]
    fsrs: dict[str, Any] | None = None  # the last overview, once computed

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="stats"):
            yield Static(id="stats-head")
            yield BarChart(id="stats-activity", style="bold green")
            yield BarChart(id="stats-forecast", style="bold cyan")
            yield Static(id="stats-mastery")
            yield Static(id="stats-readiness")
            yield Static(id="stats-leeches")
            yield Static(id="stats-mistakes")
            yield Static(id="stats-variants")
            yield Static("FSRS on your reviews: reading the log…", id="stats-fsrs")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "stats"
        self.action_reload()
        self.query_one("#stats").focus()  # arrows and page keys scroll at once

    def action_reload(self) -> None:
        from tutor.study.mastery import mastery_by_tag
        from tutor.study.stats import RETENTION_NOT_YET, summary

        study = self.app.study
        data = summary(study.store, study.today())
        head = Text()
        head.append("Reviews ", style="bold")
        studied = data["items_studied"]
        head.append(f"{data['reviews']} over {studied} item{'s' if studied != 1 else ''}   ")
        head.append("Streak ", style="bold")
        head.append(f"{data['streak']} day{'s' if data['streak'] != 1 else ''}\n")
        head.append("True retention ", style="bold")
        if data["retention_all"]["rate"] is None:
            head.append(RETENTION_NOT_YET, style="dim")
        else:
            head.append(f"{percent(data['retention_30d'])} (30 days), {percent(data['retention_all'])} (all time)")
        self.query_one("#stats-head", Static).update(head)

        per_day = list(data["reviews_per_day"].items())
        self.query_one("#stats-activity", BarChart).show(
            [n for _, n in per_day], (per_day[0][0][5:], "today"), "Reviews per day, last 30 days")
        forecast = list(data["forecast"].items())
        self.query_one("#stats-forecast", BarChart).show(
            [n for _, n in forecast], ("today", forecast[-1][0][5:]), "Due per day, next 30 days")

        library = self.app.library()
        items = [(i.id, i.tags) for i in library.review_items()]
        states = {item_id: study.store.state(item_id) for item_id, _ in items}
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, max_width=28, overflow="ellipsis")
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for m in mastery_by_tag(items, states):
            table.add_row(m.tag, share_bar(m.share, 20), f"{m.mastered}/{m.total}")
        title = Text("Mastery by section (share of its items past Day 0)", style="bold")
        self.query_one("#stats-mastery", Static).update(Group(title, table) if items else Text("No items."))

        dated = [deck.id for deck in study.decks() if study.interview_date(deck.id) is not None]
        readiness = self.query_one("#stats-readiness", Static)
        readiness.display = bool(dated)
        if dated:
            readiness.update(Text("Readiness: replaying your reviews…", style="dim"))
            self.load_readiness(study.stamp(), dated)

        leeches = data["leeches"]
        text = Text("Leeches ", style="bold")
        text.append(", ".join(f"{x['id']} ({x['lapses']} lapses)" for x in leeches) if leeches else
                    "none: no item has been forgotten 4 times.")
        self.query_one("#stats-leeches", Static).update(text)
        self.query_one("#stats-mistakes", Static).update(mistakes_section(data["mistakes"][:TOP_MISTAKES], library))
        variants = self.query_one("#stats-variants", Static)
        variants.display = bool(data["variants"])  # shown once a variant item was answered
        variants.update(variants_section(data["variants"]))

        self.load_fsrs()

    @work(thread=True, exclusive=True, group="stats-readiness", exit_on_error=False,
          description="Reading readiness for the stats")
    def load_readiness(self, stamp: tuple[Any, ...], decks: list[str]) -> None:
        """Each dated deck's readiness, which replays its log: on a connection of the thread's own."""
        twin = self.app.study.on_own_connection()
        try:
            ready = [(deck, twin.readiness(deck)) for deck in decks]
        finally:
            twin.close()
        self.app.call_from_thread(self.show_readiness, stamp, decks, ready, twin)

    def show_readiness(self, stamp: tuple[Any, ...], decks: list[str], ready: list[tuple[str, Any]],
                       twin: Study) -> None:
        if not self.app.study.adopt(stamp, twin):  # written meanwhile: read again
            self.load_readiness(self.app.study.stamp(), decks)
            return
        library = self.app.library()
        self.query_one("#stats-readiness", Static).update(
            Group(*[readiness_section(deck, r, library) for deck, r in ready if r]))

    def _in_own_study(self, job: Callable[[Study], dict[str, Any]]) -> dict[str, Any]:
        """`job` on a study of the worker thread's own (the app's home, content and scheduler);
        a TutorError becomes {"status": "error", "message": ...}."""
        from tutor.errors import TutorError
        from tutor.study import open_study

        app_study = self.app.study
        try:
            study = open_study(app_study.store.path.parent, scheduler=app_study.settings.scheduler,
                               roots=app_study.content_roots)
            try:
                return job(study)
            finally:
                study.close()
        except TutorError as exc:
            return {"status": "error", "message": str(exc)}

    @work(thread=True, exclusive=True, group="stats-fsrs", exit_on_error=False)
    def load_fsrs(self) -> None:
        from tutor.study.optimize import overview

        self.app.call_from_thread(self.show_fsrs, self._in_own_study(overview))

    def show_fsrs(self, overview: dict[str, Any]) -> None:
        self.fsrs = overview
        self.query_one("#stats-fsrs", Static).update(fsrs_section(overview))

    def action_optimize(self) -> None:
        health = (self.fsrs or {}).get("health")
        if self.fsrs is None:
            self.notify("Still reading your reviews; try again in a moment.")
        elif health is None:
            self.notify(self.fsrs["message"], severity="error", timeout=8)
        elif not health["enough_data"]:
            self.notify("Not yet: " + "; ".join(health["problems"]) + ".", severity="warning", timeout=8)
        else:
            self.notify("Fitting FSRS to your reviews…")
            self.run_optimize()

    @work(thread=True, exclusive=True, group="stats-optimize", exit_on_error=False)
    def run_optimize(self) -> None:
        from tutor.study.optimize import optimize

        self.app.call_from_thread(self.optimized, self._in_own_study(optimize))

    def optimized(self, result: dict[str, Any]) -> None:
        self.app.study.reload_parameters()  # the worker replayed history; this only reads the new key
        self.notify(result["message"], severity="information" if result["status"] == "fitted" else "warning",
                    timeout=12)
        self.load_fsrs()

    def action_leave(self) -> None:
        self.dismiss()


def readiness_section(deck: str, ready: Any, library: Any) -> Group:
    """Predicted recall on the interview date by section (tag) of the deck's items."""
    from tutor.study.interview import section_means

    tags = {i.id: i.tags for i in library.items.values() if i.deck == deck}
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, max_width=28, overflow="ellipsis")
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for tag, share in section_means(ready.recall, tags).items():
        table.add_row(tag, share_bar(share, 20), f"{share:.0%}")
    title = Text(f"Readiness for the {deck} interview on {ready.date.isoformat()} ", style="bold")
    title.append(f"({ready.readiness:.0%}: recall FSRS predicts that day, unseen items 0)", style="dim")
    return Group(title, table)


def mistakes_section(mistakes: list[dict[str, Any]], library: Any) -> Text:
    """The mistakes made most often, each with the deck's line of advice on it."""
    from tutor.study.mistakes import advice

    text = Text("Mistakes you keep making", style="bold")
    if not mistakes:
        text.append("\nnone named yet: drill and derivation checks and typed answers name them.", style="dim")
    for m in mistakes:
        text.append(f"\n{m['id']}", style="bold yellow")
        text.append(f"  {m['item']}  ×{m['count']}, last {m['last'][:10]}\n", style="dim")
        text.append(f"  {advice(library.items.get(m['item']), m['id'])}")
    return text


def variants_section(variants: list[dict[str, Any]]) -> Text:
    """Per variant item: the different variants answered and the share right (numbers drawn per review)."""
    from tutor.study.stats import variant_text

    text = Text("Variant items ", style="bold")
    text.append("(different numbers answered, share right)")
    for entry in variants:
        text.append(f"\n  {entry['id']}: {variant_text(entry)}")
    return text


def fsrs_section(overview: dict[str, Any]) -> Group | Text:
    """Calibration bins, the workload chart and what `o` would do, as one block."""
    if overview.get("status") == "error":
        return Text(f"FSRS on your reviews: {overview['message']}", style="red")
    calibration, simulation, health = overview["calibration"], overview["simulation"], overview["health"]
    fitted = overview["fitted"]
    title = Text("FSRS on your reviews ", style="bold")
    title.append(f"(fitted on {fitted['at'][:10]} to {fitted['reviews']} reviews)" if fitted
                 else "(default parameters)", style="dim")
    parts: list[Any] = [title]
    if calibration["bins"]:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(justify="right", no_wrap=True, style="dim")
        table.add_row(Text("predicted", style="dim"), "", Text("measured recall", style="dim"), "", "reviews")
        for b in calibration["bins"]:
            table.add_row(f"{b['from']:.0%}–{b['to']:.0%}", f"{b['predicted']:.0%}", share_bar(b["measured"], 20),
                          f"{b['measured']:.0%}", str(b["reviews"]))
        parts.append(table)
    parts.append(Text(calibration["advice"]))
    rows = simulation["rows"]
    if rows:
        most = max(r["minutes_per_day"] for r in rows) or 1.0
        times = "your" if simulation["answer_times"] == "yours" else "typical"
        parts.append(Text(f"\nDesired retention over {simulation['days']} days ({simulation['deck_size']} items, "
                          f"{simulation['new_per_day']} new a day, {times} answer times)", style="bold"))
        chart = Table.grid(padding=(0, 1))
        for _ in range(5):
            chart.add_column(no_wrap=True)
        for r in rows:
            best = r["retention"] == simulation["best"]
            chart.add_row(f"{r['retention']:.0%}", share_bar(r["minutes_per_day"] / most, 20),
                          f"{r['minutes_per_day']:>5.1f} min/day", f"{r['remembered']:>6.0f} remembered",
                          Text("← best trade", style="bold green") if best else "")
        parts.append(chart)
        parts.append(Text(simulation["message"] + ".", style="dim"))
    if health["enough_data"] and not health["problems"]:
        offer = ("Press o to fit FSRS to your reviews again." if fitted else
                 f"You have {health['reviews']} reviews to learn from: press o to fit FSRS to you (tutor optimize).")
    else:
        offer = "Fitting FSRS to you: " + "; ".join(health["problems"]) + "."
    parts.append(Text("\n" + offer, style="bold" if health["enough_data"] else "dim"))
    return Group(*parts)
