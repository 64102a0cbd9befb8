"""One card: front, then the answer, then a rating 1-4 whose next due date is on each key.

Basic and cloze cards reveal with space; choice cards are checked when an option is picked
(a, b, c..., or arrows and enter: never a digit, so one key never both picks and rates) and
explain every option; typed cards are checked by
`tutor.study.answers` (a formula in the app's warm SymPy checker, off the UI thread). The machine's
verdict preselects a rating (wrong: Again) that enter accepts; after a wrong answer the rating
bar offers Again alone, on its key 1 (a rating the machine gave can be lowered, never raised).
The title shows only after the answer: it often names what the card asks for. What is typed on a
typed card is a draft, like a drill's code: kept when the learner leaves or the app stops, dropped
once the answer is checked.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets._header import HeaderTitle  # Textual is pinned: the header's title line
from textual.widgets.option_list import Option

from tutor.content.mathtext import code_span, render_math
from tutor.content.mathtext import render_markdown as md
from tutor.content.text import cloze_back, cloze_front
from tutor.schedule import AGAIN, EASY, GOOD, RATING_NAMES, Rating
from tutor.study.answers import AnswerResult, Drawn, check_answer, expected_answer, shown
from tutor.study.ratings import allowed, lowered
from tutor.tui.messages import ItemResult, Rated, ShowsWorkerErrors, UndoAsked, UndoInPlace
from tutor.tui.widgets.code_editor import DraftKeeper, InOrderInput
from tutor.tui.widgets.exercise_panes import in_daemon_thread
from tutor.tui.widgets.header import TitleBar
from tutor.tui.widgets.one_frame import (
    BodyScroll,
    InstantMarkdown,
    KeysFooter,
    Options,
    refresh_at_once,
)
from tutor.tui.widgets.rating import RatingBar

OPTION_KEYS = "abcdefgh"  # stops before q (leave) and u (undo)


def option_key(index: int) -> str:
    return OPTION_KEYS[index] if index < len(OPTION_KEYS) else str(index + 1)


class CardScreen(ShowsWorkerErrors, UndoInPlace, Screen[ItemResult]):
    HELP_TITLE = "Card"
    HELP_KEYS = (("space", "show the answer"), ("a b c d", "pick an option (choice cards; or arrows, enter)"),
                 ("1 2 3 4", "rate Again / Hard / Good / Easy (wrong answer: Again)"),
                 ("enter", "accept the highlighted rating"),
                 ("ctrl+z", "undo the last rating, also while typing an answer"))
    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "accept", "Rate", show=False),
        *[Binding(str(n), f"digit({n})", show=False) for n in range(1, 5)],
        *[Binding(letter, f"pick({i})", show=False) for i, letter in enumerate(OPTION_KEYS)],
        Binding("u", "undo", "Undo last"),
        Binding("ctrl+z", "undo", "Undo last"),  # in the footer only where u is a letter: a typed card's field
        Binding("q,escape", "leave", "Leave"),
    ]
    KEEPS_DRAFTS = True  # a typed answer's; a mock's cards do not (`DraftKeeper`)

    # Textual repaints the whole screen when its focus moves, a frame after the change's layout
    # on every choice or typed card; the widgets gaining and losing it repaint themselves.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, card, study, progress: str = "", drawn: Drawn | None = None):
        super().__init__()
        self.study = study
        # Set by the study screen: records a result and shows the next card in this screen
        # (True), which costs far less than a new screen per card.
        self.go_on: Callable[[CardScreen, ItemResult], bool] | None = None
        self._take(card, progress, drawn)

    def _take(self, card, progress: str, drawn: Drawn | None) -> None:
        """`card` is this screen's from now on, with nothing of an earlier card's answer."""
        self.card, self.progress, self.drawn = card, progress, drawn
        self.revealed = False
        self.correct: bool | None = None
        self.picked: int | None = None
        self.typed: str | None = None
        self.drafts = (DraftKeeper(self, self.study.store, card.id, "card", kept=self.KEEPS_DRAFTS)
                       if card.type == "typed" else None)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Every part any card type uses; `_fit_parts` hides those this card does not."""
        yield TitleBar()
        yield Static(self._meta(), id="item-meta", markup=False)
        with BodyScroll(id="card-body"):
            yield InstantMarkdown(self._front_markdown(), id="front")
            yield Options(*self._options(), id="choices")
            yield InOrderInput(self._draft(), placeholder="type your answer, then enter",
                               id="typed", select_on_focus=False)  # a draft goes on, not typed over
            yield Static(id="verdict", markup=False)
            yield InstantMarkdown(id="back")
        yield RatingBar(self.study.preview(self.card.id), self.study.today(), id="rating")
        yield KeysFooter()

    def on_mount(self) -> None:
        if not self.is_attached:
            return  # the app is quitting (q reached the dashboard before this card came up)
        self._fit_parts()
        self.call_after_refresh(self._ready_answer)

    def show(self, card, progress: str, drawn: Drawn | None = None) -> None:
        """Show `card` here as a new screen of it would show it: the front, no answer, the
        learner's draft, the rating bar hidden with the new card's due dates."""
        if self.drafts is not None:
            self.drafts.flush()
        self._take(card, progress, drawn)
        self.clear_selection()  # of the last card's text
        self.query_one("#item-meta", Static).update(self._meta())
        self.query_one("#front", InstantMarkdown).show(self._front_markdown())
        if card.type == "choice":
            choices = self.query_one("#choices", OptionList)
            choices.set_options(self._options())
            choices.highlighted = 0  # as on a new list
            choices.disabled = False
        elif card.type == "typed":
            typed = self.query_one("#typed", InOrderInput)
            with typed.prevent(Input.Changed):  # the draft shown is not a new draft
                typed.value = self._draft()
            typed.cursor_position = len(typed.value)
            typed.disabled = False
        verdict = self.query_one("#verdict", Static)
        verdict.update("")
        verdict.remove_class("right", "wrong")
        self.query_one("#rating", RatingBar).show(self.study.preview(card.id), self.study.today())
        self.query_one("#card-body", BodyScroll).scroll_home(animate=False, immediate=True)  # in this frame
        self._fit_parts()
        self.refresh_bindings()
        refresh_at_once(self)
        self.call_after_refresh(self._ready_answer)

    def _ready_answer(self) -> None:
        """With the question up, the answer's blocks are readied: showing it mounts nothing."""
        if self.is_current and not self.revealed:  # not if the learner has moved on meanwhile
            self.query_one("#back", InstantMarkdown).ready(self._back_markdown())

    def _fit_parts(self) -> None:
        """Only the parts of this card's type, the answer hidden, the focus where keys go."""
        card = self.card
        self._show_progress()
        for part in ("#back", "#verdict", "#rating"):
            self.query_one(part).display = False
        self.query_one("#front").display = True
        self.query_one("#choices").display = card.type == "choice"
        self.query_one("#typed").display = card.type == "typed"
        if card.type == "choice":
            self.set_focus(self.query_one("#choices"))
        elif card.type == "typed":
            self.set_focus(self.query_one("#typed"))
            if card.answer_kind == "formula":
                self.app.engines.derivation_checker()  # warm by the time the learner presses enter
        else:
            self.set_focus(self.query_one("#card-body"))  # arrows and page keys scroll a long card

    def _show_progress(self) -> None:
        """The progress in the header. Setting `sub_title` would also redraw the whole screen,
        a frame more on every card."""
        if self.sub_title == self.progress:
            return
        self.set_reactive(Screen.sub_title, self.progress)
        header = self.query_one(TitleBar)
        header.query_one(HeaderTitle).update(header.format_title())

    def _meta(self) -> str:
        """The line above the card: its type and tags, and its title once the answer shows
        (a title could give the answer away)."""
        title = f" · {self.card.title}" if self.revealed else ""
        return f"{self.card.type} card{title}  " + "  ".join(f"#{t}" for t in self.card.tags)

    def _front_markdown(self) -> str:
        card = self.card
        return md(cloze_front(card.front, card.deletion) if card.type == "cloze" else card.front)

    def _options(self) -> list[Option]:
        if self.card.type != "choice":
            return []
        return [Option(Text(f"{option_key(i)}. {render_math(text)}"), id=str(i))
                for i, text in enumerate(self.card.options)]

    def _draft(self) -> str:
        return (self.drafts.saved() or "") if self.drafts is not None else ""

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.drafts is not None and self.typed is None:
            self.drafts.changed(event.value)

    def on_unmount(self) -> None:
        if self.drafts is not None:
            self.drafts.flush()  # quitting within the debounce delay still keeps the last keystrokes

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "reveal":
            return not self.revealed and self.card.type in ("basic", "cloze")
        if action == "accept":
            return self.revealed
        return True

    # -- showing the answer --------------------------------------------------------------

    def _back_markdown(self) -> str:
        card = self.card
        if card.type == "cloze":
            parts = [cloze_back(card.front, card.deletion)] + ([card.back] if card.back else [])
        elif card.type == "choice":
            lines = []
            for i, option in enumerate(card.options):
                mark = "✓" if i in card.answer else "✗"
                why = card.explain[i] if i < len(card.explain) else ""
                lines.append(f"- {mark} **{option_key(i)}.** {option}" + (f" — {why}" if why else ""))
            parts = ["\n".join(lines)] + ([card.back] if card.back else [])
        elif card.type == "typed":
            parts = ([card.back] if card.back else []) + [f"Answer: {code_span(expected_answer(card))}"]
        else:
            parts = [card.back]
        return md("\n\n".join(p for p in parts if p))

    def _reveal(self, suggested: int | None = GOOD) -> None:
        self.revealed = True
        self.query_one("#item-meta", Static).update(self._meta())
        back = self.query_one("#back", InstantMarkdown)
        back.show(self._back_markdown())
        back.display = True
        if self.card.type == "cloze":
            self.query_one("#front").display = False
        rating = self.query_one("#rating", RatingBar)
        rating.suggested = suggested
        rating.offered = allowed(self._ceiling())
        rating.display = True
        self.set_focus(self.query_one("#card-body", BodyScroll))
        self.refresh_bindings()
        self._scroll_to_answer()
        refresh_at_once(self)

    def _scroll_to_answer(self) -> None:
        """Once the answer is laid out, scroll the body to where the answer (its verdict first)
        starts, or as far as the body goes. Not before: the blocks' heights are the last card's
        until then, or none while new blocks mount."""
        body = self.query_one("#card-body", BodyScroll)
        card = self.card

        def laid_out(_screen: Screen) -> None:
            self.screen_layout_refresh_signal.unsubscribe(body)
            if self.card is card and self.revealed:
                verdict = self.query_one("#verdict")
                answer = verdict if verdict.display else self.query_one("#back")
                body.scroll_to_widget(answer, animate=False, top=True, immediate=True)

        self.screen_layout_refresh_signal.subscribe(body, laid_out, immediate=True)

    def _verdict(self, right: bool, text: str) -> None:
        self.correct = right
        verdict = self.query_one("#verdict", Static)
        verdict.update(("✓ Right. " if right else "✗ Not quite. ") + text)
        verdict.set_class(right, "right")
        verdict.set_class(not right, "wrong")
        verdict.display = True

    def action_reveal(self) -> None:
        if not self.revealed and self.card.type in ("basic", "cloze"):
            self._reveal(GOOD)

    def _pick(self, index: int) -> None:
        if self.revealed or self.card.type != "choice" or not 0 <= index < len(self.card.options):
            return
        self.picked = index
        right = index in self.card.answer
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = index
        choices.disabled = True
        self._verdict(right, f"You picked {option_key(index)}." + ("" if right else
                      f" The answer: {', '.join(option_key(i) for i in self.card.answer)}."))
        self._reveal(GOOD if right else AGAIN)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(int(event.option.id or 0))  # every option has its index as id

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.revealed:
            return
        if self.typed is not None:
            return  # a formula is being checked
        self.typed = event.value
        event.input.disabled = True
        if self.drafts is not None:
            self.drafts.discard()  # answered: the next review starts afresh
        if self.card.answer_kind == "formula":
            self._check_formula(event.value)
        else:
            self._show_answer_result(check_answer(self.card, event.value, drawn=self.drawn))

    @work(exclusive=True, group="typed-check", exit_on_error=False)
    async def _check_formula(self, given: str) -> None:
        self.query_one("#verdict", Static).update("checking…")
        self.query_one("#verdict", Static).display = True
        try:
            checker = self.app.engines.derivation_checker()
            result = await in_daemon_thread(lambda: check_answer(self.card, given, checker=checker, drawn=self.drawn),
                                            f"answer-{self.card.id}")
        except Exception as exc:  # the checker itself failed: say so, never crash the app
            result = AnswerResult(self.card.id, False, expected_answer(self.card), "formula",
                                  f"the checker failed: {exc}")
        if self.is_attached and not self.revealed:
            self._show_answer_result(result)

    def _show_answer_result(self, result: AnswerResult) -> None:
        self.study.save_attempt(self.card, result.to_dict())
        text = f"You typed: {shown(self.typed or '') or '(nothing)'}"
        if not result.correct:
            text += f"\n{result.message}" + (f"\n{result.diff}" if result.diff else "")
        self._verdict(result.correct, text)
        self._reveal(GOOD if result.correct else AGAIN)

    # -- rating --------------------------------------------------------------------------

    def action_pick(self, index: int) -> None:
        self._pick(index)

    def _ceiling(self) -> Rating:
        """The highest rating the learner may give: a wrong answer earns Again at most."""
        return AGAIN if self.correct is False else EASY

    def action_digit(self, n: int) -> None:
        if self.revealed:
            if lowered(self._ceiling(), Rating(n)) == n:
                self._rate(n)
            else:
                self.notify(f"The answer was wrong: {RATING_NAMES[Rating(n)].capitalize()} would raise "
                            "the automatic Again.", severity="warning")
        elif self.card.type == "choice":
            self.notify(f"Pick an option with {OPTION_KEYS[0]}-{option_key(len(self.card.options) - 1)} "
                        "(or arrows and enter); 1-4 rate afterwards.")

    def action_accept(self) -> None:
        suggested = self.query_one("#rating", RatingBar).suggested
        if self.revealed and suggested:
            self._rate(suggested)

    def _rate(self, rating: int) -> None:
        detail: dict[str, object] = {"type": self.card.type}
        if self.correct is not None:
            detail["correct"] = self.correct
        if self.picked is not None:
            detail["picked"] = self.picked
        if self.typed is not None:
            detail["typed"] = self.typed[:500]
        self._done(Rated(Rating(rating), detail))

    def _done(self, result: ItemResult) -> None:
        """Hand on the result: the next card shows here, or this screen is dismissed with it."""
        if self.go_on is None or not self.go_on(self, result):
            self.dismiss(result)

    def action_undo(self) -> None:
        if not self.app.session_reviews:
            self.notify("Nothing to undo in this session.", severity="warning")
            return
        self._done(UndoAsked())

    def action_leave(self) -> None:
        self.dismiss(None)
