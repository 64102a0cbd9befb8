"""The reading screen: a deck's lessons, one section at a time, with contents, headings and search.

Opened from the dashboard (`r`: the current checkpoint's first unread section) and from any
item once its answer is shown (`l`: that item's section); closing it returns to the screen
underneath as it was, so a study session goes on where it stopped. A section counts as read
once its end has been on screen, and finishing a checkpoint's reading offers its items.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, OptionList, Static
from textual.widgets._markdown import MarkdownBlock, MarkdownHeader
from textual.widgets.option_list import Option

from tutor.content.lessons import FENCE, display_markdown
from tutor.content.models import Lesson
from tutor.tui.messages import ShowsWorkerErrors
from tutor.tui.widgets.header import TitleBar

WIDE_COLUMNS = 120  # below this the contents are hidden until asked for (t)


def first_screen(text: str) -> str:
    """The text up to its second `##` heading (title, introduction, first section): what the
    first frame needs. Fenced code is skipped, so a `##` comment in it does not count."""
    seen, fence = 0, None
    lines = text.split("\n")
    for number, line in enumerate(lines):
        opened = FENCE.match(line)
        if fence is not None:
            fence = None if opened and opened.group(1) == fence else fence
        elif opened:
            fence = opened.group(1)
        elif line.startswith("## "):
            seen += 1
            if seen == 2:
                return "\n".join(lines[:number])
    return text


class ReadingScreen(ShowsWorkerErrors, Screen[None]):
    # Every screen declares its help (title, text, keys; shown by `tutor.tui.screens.help`) and
    # its bindings the same way: the shape repeats across screens, the content does not.
    HELP_TITLE = "Reading"
    HELP_TEXT = ("The deck's study text, one part at a time. A part counts as read once you have "
                 "scrolled to its end; when a checkpoint's parts are all read, s studies its items.")
    HELP_KEYS = (("↑ ↓ pgup pgdn", "scroll"), ("/", "search every part; n / N next / previous match"),
                 ("] [", "next / previous heading"), ("> <", "next / previous part"),
                 ("t", "show or hide the contents"), ("q / escape", "back to where you were"))
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/"),
        Binding("n", "match(1)", "Next match", show=False),
        Binding("N", "match(-1)", "Previous match", show=False),
        Binding("right_square_bracket", "heading(1)", "Next heading", key_display="]"),
        Binding("left_square_bracket", "heading(-1)", "Previous heading", key_display="[", show=False),
        Binding("greater_than_sign", "section(1)", "Next part", key_display=">"),
        Binding("less_than_sign", "section(-1)", "Previous part", key_display="<", show=False),
        Binding("t", "toggle_contents", "Contents"),
        Binding("s", "study", "Study its items"),
        Binding("q,escape", "leave", "Back"),
    ]

    def __init__(self, deck: str, lessons: tuple[Lesson, ...], section: str | None = None,
                 *, can_study: bool = True) -> None:
        super().__init__()
        self.deck = deck
        self.lessons = lessons
        self.index = next((i for i, s in enumerate(lessons) if s.id == section), 0)
        self.can_study = can_study  # False when opened from inside a study session
        self.read: set[str] = set()
        self.offer_day: int | None = None  # a checkpoint whose reading was just finished
        self.query_text = ""
        self.matches: list[tuple[int, int]] = []  # (section index, line in its text)
        self.match_at = -1
        self.shown: int | None = None  # the part whose text the Markdown widget holds

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="reading"):
            yield OptionList(id="reading-toc")
            with VerticalScroll(id="reading-body"):
                yield Markdown(id="reading-text", open_links=False)
        yield Static(id="reading-status", markup=False)
        yield Input(placeholder="search every part, then enter (n / N: next / previous match)",
                    id="reading-search")
        yield Footer()

    def on_mount(self) -> None:
        self.read = self.app.study.read_sections(self.deck)
        self.query_one("#reading-search").display = False
        self.set_class(self.app.size.width >= WIDE_COLUMNS, "-contents")
        self.watch(self.query_one("#reading-body"), "scroll_y", self._scrolled, init=False)
        self._fill_contents()
        self.query_one("#reading-body").focus()
        self.open_part(self.index)

    def on_resize(self, event) -> None:
        if event.size.width < WIDE_COLUMNS and self.has_class("-contents") and self.focused is not \
                self.query_one("#reading-toc"):
            self.remove_class("-contents")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "study":
            return self.offer_day is not None and self.can_study
        if action == "match":
            return bool(self.matches)
        return True

    def _fill_contents(self) -> None:
        toc = self.query_one("#reading-toc", OptionList)
        options: list[Option] = []
        day = None
        for n, lesson in enumerate(self.lessons):
            if lesson.day != day:
                day = lesson.day
                options.append(Option(Text(f"Day {day}", style="bold"), disabled=True))
            mark = "✓" if lesson.id in self.read else " "
            options.append(Option(Text.assemble((f"{mark} ", "green"), f"{n + 1}. {lesson.title}"),
                                  id=f"part-{n}"))
        highlighted = toc.highlighted
        toc.clear_options()
        toc.add_options(options)
        toc.highlighted = highlighted if highlighted is not None else self._toc_index(self.index)

    def _toc_index(self, index: int) -> int:
        return self.query_one("#reading-toc", OptionList).get_option_index(f"part-{index}")

    # -- showing a part --------------------------------------------------------------------

    def open_part(self, index: int, line: int | None = None) -> None:
        """Show part `index` in a worker; a part that fails to render is an error modal, not a crash."""
        self.run_worker(self.show(index, line), exclusive=True, group="reading", exit_on_error=False,
                        description=f"Showing part {index + 1} of {self.deck}")

    async def show(self, index: int, line: int | None = None) -> None:
        """Show part `index` from its top, or scrolled to the block holding `line` of its text."""
        lesson = self.lessons[index]
        self.index = index
        self.query_one("#reading-toc", OptionList).highlighted = self._toc_index(index)
        self.sub_title = f"{self.deck} · part {index + 1} of {len(self.lessons)} · Day {lesson.day}"
        if self.shown != index:
            self.shown = None
            self._update_status()
            markdown = self.query_one("#reading-text", Markdown)
            text = display_markdown(lesson.text)
            head = first_screen(text)
            if head != text:  # paint the top first: a long part takes several frames to lay out
                await markdown.update(head)
                painted = asyncio.Event()
                self.call_after_refresh(painted.set)
                await painted.wait()
            await markdown.update(text)
            if self not in self.app.screen_stack:  # closed while the text was being laid out
                return
            self.shown = index
        if line is None:
            self.query_one("#reading-body", VerticalScroll).scroll_home(animate=False)
        else:  # once the new text is laid out
            self.call_after_refresh(self._scroll_to_line, line)
        self._update_status()
        self.call_after_refresh(self._check_end)

    def _scroll_to_line(self, line: int) -> None:
        block = self._block_at(line)
        if block is not None:
            self.query_one("#reading-body", VerticalScroll).scroll_to_widget(block, animate=False, top=True)
            self._mark_hit(block)

    def _blocks(self) -> list[MarkdownBlock]:
        return [b for b in self.query_one("#reading-text", Markdown).children if isinstance(b, MarkdownBlock)]

    def _block_at(self, line: int) -> MarkdownBlock | None:
        for block in self._blocks():
            start, end = block.source_range
            if start <= line < max(end, start + 1):
                return block
        return None

    def _mark_hit(self, block: MarkdownBlock) -> None:
        for old in self.query(".-search-hit"):
            old.remove_class("-search-hit")
        block.add_class("-search-hit")

    def _update_status(self) -> None:
        lesson = self.lessons[self.index]
        parts = [f"Part {self.index + 1}/{len(self.lessons)}", "read ✓" if lesson.id in self.read else "unread",
                 f"{len(lesson.prepares)} item{'s' if len(lesson.prepares) != 1 else ''}"]
        if self.matches:
            parts.append(f"match {self.match_at + 1}/{len(self.matches)} for {self.query_text!r}")
        elif self.query_text:
            parts.append(f"no match for {self.query_text!r}")
        if self.offer_day is not None and self.can_study:
            parts.append(f"Day {self.offer_day} read: s studies")
        self.query_one("#reading-status", Static).update(" · ".join(parts))

    # -- read marks ------------------------------------------------------------------------

    def _scrolled(self, _old: float, _new: float) -> None:
        self._check_end()

    def _check_end(self) -> None:
        """Once the end of the part has been on screen, it counts as read (recorded once)."""
        body = self.query_one("#reading-body", VerticalScroll)
        lesson = self.lessons[self.index]
        if lesson.id in self.read or self.shown != self.index:
            return
        if body.scroll_y < body.max_scroll_y - 1:
            return
        self.app.study.mark_read(self.deck, lesson.id)
        self.read.add(lesson.id)
        day_parts = [s.id for s in self.lessons if s.day == lesson.day]
        if all(s in self.read for s in day_parts):  # offered on the status line and the footer
            self.offer_day = lesson.day
            self.refresh_bindings()
        self._fill_contents()
        self._update_status()

    # -- moving around ---------------------------------------------------------------------

    def action_section(self, step: int) -> None:
        target = self.index + step
        if 0 <= target < len(self.lessons):
            self.index = target  # keys pressed before the part is shown count from here
            self.open_part(target)
        else:
            self.notify("That was the last part." if step > 0 else "This is the first part.", timeout=2)

    def action_heading(self, step: int) -> None:
        body = self.query_one("#reading-body", VerticalScroll)
        headings = [b for b in self._blocks() if isinstance(b, MarkdownHeader)]
        top = body.scroll_y
        if step > 0:
            after = [h for h in headings if h.virtual_region_with_margin.y > top]
            if after:
                body.scroll_to_widget(after[0], animate=False, top=True)
            else:
                self.action_section(1)
        else:
            before = [h for h in headings if h.virtual_region_with_margin.y < top]
            if before:
                body.scroll_to_widget(before[-1], animate=False, top=True)
            else:
                self.action_section(-1)

    @on(OptionList.OptionSelected, "#reading-toc")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id.startswith("part-"):
            self.open_part(int(event.option.id[5:]))
            self.query_one("#reading-body").focus()

    def action_toggle_contents(self) -> None:
        self.toggle_class("-contents")
        if self.has_class("-contents"):
            self.query_one("#reading-toc").focus()
        else:
            self.query_one("#reading-body").focus()

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        kind, _, name = event.href.partition(":")
        if kind == "lesson":
            index = next((i for i, s in enumerate(self.lessons) if s.id == name), None)
            if index is not None:
                self.open_part(index)
        elif kind == "item":
            self.notify(f"{name} is practised in the study queue.", timeout=3)
        else:
            self.app.open_url(event.href)

    # -- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#reading-search", Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#reading-search")
    def _search(self, event: Input.Submitted) -> None:
        self.query_text = event.value.strip()
        event.input.display = False
        self.query_one("#reading-body").focus()
        needle = self.query_text.casefold()
        self.matches = [] if not needle else [
            (n, line) for n, lesson in enumerate(self.lessons)
            for line, text in enumerate(display_markdown(lesson.text).split("\n")) if needle in text.casefold()]
        self.refresh_bindings()
        if not self.matches:
            self.match_at = -1
            self._update_status()
            return
        # the first match at or after the current part
        self.match_at = next((i for i, (n, _) in enumerate(self.matches) if n >= self.index), 0) - 1
        self.action_match(1)

    def action_match(self, step: int) -> None:
        if not self.matches:
            return
        self.match_at = (self.match_at + step) % len(self.matches)
        index, line = self.matches[self.match_at]
        self.open_part(index, line)

    # -- leaving ---------------------------------------------------------------------------

    def on_key(self, event) -> None:
        search = self.query_one("#reading-search", Input)
        if event.key == "escape" and search.display:
            search.display = False
            self.query_one("#reading-body").focus()
            event.stop()

    def action_study(self) -> None:
        deck = self.deck
        self.dismiss(None)
        self.app.start_study(deck)

    def action_leave(self) -> None:
        self.dismiss(None)
