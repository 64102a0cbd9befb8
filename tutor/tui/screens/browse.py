"""Browse: search every item by words and `#tag`, preview it rendered, and read its history."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Markdown, Static

from tutor.content.mathtext import code_span, render_markdown
from tutor.content.text import cloze_back
from tutor.errors import TutorError
from tutor.tui.messages import ShowsWorkerErrors
from tutor.tui.widgets.header import TitleBar
from tutor.tui.widgets.rating import NAMES

MAX_ROWS = 500
TITLE_WIDTH, KIND_WIDTH = 34, 10
ID_LEAST_WIDTH = 12  # below this a cut id no longer tells siblings apart; the table scrolls instead


def middle_cut(text: str, width: int) -> str:
    """`text` in at most `width` characters, its middle replaced by "…": an id's start names its
    topic and its end tells it from its siblings (`-first-moment`, `-second-moment`, `/c2`)."""
    if len(text) <= width:
        return text
    tail = (width - 1) // 2
    return text[:width - 1 - tail] + "…" + (text[-tail:] if tail else "")


def end_cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in "…" when cut: the table crops a long
    title silently, and a cropped title reads as a whole one."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def matches(item, words: list[str], tags: list[str]) -> bool:
    """Every word occurs in the item's id or text and every `#tag` is one of its tags
    (case-insensitive): the mock report and the list name items by id."""
    item_tags = {t.lower() for t in item.tags}
    if any(t not in item_tags for t in tags):
        return False
    text = f"{item.id} {item.text()}".lower()
    return all(w in text for w in words)


def parse_query(query: str) -> tuple[list[str], list[str]]:
    words, tags = [], []
    for token in query.lower().split():
        if token.startswith("#") and len(token) > 1:
            tags.append(token[1:])
        else:
            words.append(token)
    return words, tags


def preview_markdown(item) -> str:
    """The item as the learner would meet it, answer included."""
    kind = item.kind
    parts = [f"**{item.title}** · {kind}" + (f" ({item.type})" if kind == "card" else "")
             + ("  " + " ".join(f"`#{t}`" for t in item.tags) if item.tags else "")]
    if kind == "card":
        parts.append(cloze_back(item.front, item.deletion) if item.type == "cloze" else item.front)
        if item.type == "choice":
            parts.append("\n".join(f"- {'✓' if i in item.answer else '✗'} {o}" for i, o in enumerate(item.options)))
        if item.type == "typed":
            parts.append("Answer: " + " · ".join(code_span(a) for a in item.answers))
        if item.back:
            parts.append(item.back)
    elif kind == "problem":
        parts += [item.prompt, f"*{item.target_min:g} min target, {item.time_limit_min:g} min limit*",
                  "**Model answer**", item.answer]
    else:
        parts.append(getattr(item, "prompt", ""))
    if item.notes:
        parts.append(f"*Notes:* {item.notes}")
    parts.append(f"*{item.origin}*")
    return render_markdown("\n\n".join(p for p in parts if p))


class BrowseScreen(ShowsWorkerErrors, Screen):
    HELP_TITLE = "Browse"
    HELP_TEXT = "Type words to search ids, titles and text; #tag keeps items with that tag. Tab moves to the list."
    BINDINGS = [
        Binding("escape", "leave", "Back"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("q", "leave", "Back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list = []  # the rows shown, in order
        self.id_width = ID_LEAST_WIDTH

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder="search words or #tag …", id="search")
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="preview"):
            yield Markdown(id="preview-body")
            yield Static(id="history", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "browse"
        table = self.query_one("#results", DataTable)
        table.add_column("title", key="title", width=TITLE_WIDTH)
        table.add_column("kind", key="kind", width=KIND_WIDTH)
        table.add_column("id", key="id")
        self.id_width = self._id_width()
        self._fill("")
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#search")
    def _to_results(self) -> None:
        self.query_one("#results", DataTable).focus()

    def _id_width(self) -> int:
        """The characters the id column has at this width: what the title and kind columns, the
        cell padding and the scroll bar leave (at 80 columns `adam-bias-corrected-first-moment`
        ran past the edge)."""
        table = self.query_one("#results", DataTable)
        width = self.app.size.width - table.styles.margin.width - table.styles.scrollbar_size_vertical
        return max(ID_LEAST_WIDTH, width - 3 * 2 * table.cell_padding - TITLE_WIDTH - KIND_WIDTH)

    def on_resize(self) -> None:
        width = self._id_width()
        if width == self.id_width:
            return
        self.id_width = width
        table = self.query_one("#results", DataTable)
        row = table.cursor_row
        self._add_rows(self.items)
        table.move_cursor(row=row)

    def _add_rows(self, items: list) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        for item in items:
            kind = item.kind if item.kind != "card" else f"{item.type}"
            # a title is text, not markup; the row's key keeps the whole id
            table.add_row(Text(end_cut(item.title, TITLE_WIDTH)), kind, middle_cut(item.id, self.id_width),
                          key=item.id)

    def _fill(self, query: str) -> None:
        words, tags = parse_query(query)
        items = [i for i in self.app.library().review_items() if matches(i, words, tags)]
        self.items = items[:MAX_ROWS]
        self._add_rows(self.items)
        self.sub_title = f"{len(items)} item{'s' if len(items) != 1 else ''}"
        self.app.sub_title = f"browse · {self.sub_title}"
        if items:
            self._show(items[0].id)
        else:
            self.query_one("#preview-body", Markdown).update("*No item matches.*")
            self.query_one("#history", Static).update("")

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # A row of an earlier search, highlighted before the list was refilled, is not shown: with
        # no match left the preview kept the last row's item under '0 items'.
        if event.row_key is not None and event.row_key.value and event.row_key in event.data_table.rows:
            self._show(event.row_key.value)

    def _show(self, item_id: str) -> None:
        item = self.app.library().item(item_id)
        if item is None:
            return
        try:
            shown, _ = self.app.study.drawn(item)  # a variant item with the numbers its next review shows
        except TutorError:
            shown = item  # its numbers cannot be drawn, so it is never shown; `tutor content validate` says why
        self.query_one("#preview-body", Markdown).update(preview_markdown(shown))
        store = self.app.study.store
        lines = []
        state = store.state(item_id)
        if state is None:
            lines.append("Not studied yet.")
        else:
            lines.append(f"Next due {state.due.isoformat()} · {state.reps} review{'s' if state.reps != 1 else ''}"
                         f" · {state.lapses} lapse{'s' if state.lapses != 1 else ''}"
                         + (" · leech" if state.leech else ""))
        for review in store.live_reviews(item_id)[-20:]:
            secs = f" in {review.duration_ms / 1000:.0f}s" if review.duration_ms else ""
            lines.append(f"  {review.day.isoformat()}  {NAMES.get(review.rating, review.rating)}{secs}")
        for attempt in store.attempts(item_id)[-10:]:
            lines.append(f"  {attempt['at'][:16].replace('T', ' ')}  attempt: {attempt['status']}")
        self.query_one("#history", Static).update("History\n" + "\n".join(lines))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """In the search field / is a character: the footer offered `/ Search` there, and a learner
        who pressed it searched for '/...' and found nothing."""
        if action == "search":
            return self.focused is not self.query_one("#search", Input)
        return True

    def action_leave(self) -> None:
        self.dismiss()
