"""The Textual app: wiring from the command line to the screens, themes, palette and errors.

`run_app(study, ...)` is what `tutor` / `tutor study` call in a terminal, with a study from
`tutor.study.open_study`. The dashboard's is the only screen imported before the
first frame; the deck content is parsed and the item screens imported in a thread after it,
so the app opens about as fast as an empty Textual app and its first item does not wait for them.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tutor import collector
from tutor.tui import actions, layout, memory
from tutor.tui.engines import Engines
from tutor.tui.messages import ReviewsChanged, UndoInPlace, WorkerFailed
from tutor.tui.quiet import STEP_WAIT_S, KeyQuiet

# Textual's notices are 60 columns wide, at most half the screen: at 80 columns a line of one holds
# about 36 characters, so a title cut there takes at most one line of the undo notice.
UNDO_TITLE_CHARACTERS = 36

if TYPE_CHECKING:
    from tutor.content.library import Library
    from tutor.content.models import Item, Lesson
    from tutor.store import LoggedReview
    from tutor.study import Study
    from tutor.study.session import StudySession

DARK, LIGHT = "textual-dark", "textual-light"
PARSE_PAUSE_POLL_S = 0.02  # how often a paused parse looks whether the key has been answered
CHECKER_START_IDLE_S = 0.3  # the checkers start once no key has come for this long
EXERCISE_KINDS = ("drill", "derivation", "problem")  # items worked on for minutes, in an editor
ITEM_SCREENS = {"card": "card", "drill": "drill", "derivation": "derivation", "problem": "problem"}  # kind: module


WEB_ADDRESSES = ("https://", "http://", "mailto:")  # the web links a lesson may hold (tutor.content.lessons)


class TutorApp(App[int]):
    """One learner's study day: dashboard first, then study, stats and browse on demand."""

    CSS_PATH = Path(__file__).with_name("tutor.tcss")  # absolute: subclasses may live elsewhere
    TITLE = "tutor"
    BINDINGS = [
        Binding("question_mark", "help", "Keys", key_display="?"),
        Binding("f1", "help", "Keys"),  # in the footer only where ? is typed: in an editor or a field
        Binding("f2", "toggle_theme", "Light/dark theme", show=False),
        # After an answer is shown, l opens the lesson section that prepares the item; a screen
        # with its own l (a problem's Lean Hire verdict) keeps it, and L works there instead:
        # each key shows as itself, so the footer names L where l is taken.
        Binding("l,L", "lesson", "Lesson"),
    ]

    def __init__(self, study: "Study", *, deck: str | None = None, config_path: Path | None = None,
                 mock_minutes: int | None = None):
        super().__init__()
        memory.drop_watchers_of_removed_widgets()
        layout.lay_out_once()
        layout.footer_keys_start_wide()
        layout.footers_rebuilt_once_when_shown()
        layout.new_screens_styled_once()
        layout.screens_laid_out_once_per_size()
        actions.action_arguments_parsed_alone()
        self.study = study
        self.config_path = config_path  # where a theme picked here is remembered; None: not kept
        self.start_deck = deck
        self.start_mock_minutes = mock_minutes  # open on a mock interview (of `deck`, else every deck)
        self._library: "Library | None" = None
        self._lessons: "dict[str, tuple[Lesson, ...]] | None" = None
        self._library_lock = threading.Lock()
        self._library_awaited = threading.Event()
        self.engines = Engines()  # the warm drill runner and derivation checker, closed on exit
        self.quiet = KeyQuiet(self)  # the preload and the collector wait while a key is answered
        self.session_reviews: list[int] = []  # review ids recorded in this run, newest last
        self.sessions: dict[str, StudySession] = {}  # deck -> its session, kept for resuming
        self._dark_theme, self._light_theme = DARK, LIGHT
        self._keys_before_first_frame: list[events.Key] | None = []  # None from the first frame on

    # -- start ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from tutor.tui.screens.dashboard import DashboardScreen

        return DashboardScreen()

    def on_mount(self) -> None:
        self._apply_theme_setting()

    def on_unmount(self) -> None:
        self.quiet.close()
        self.engines.close()
        memory.thaw()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._keys_before_first_frame is not None:
            self._keys_before_first_frame.append(event)  # handled once the dashboard is up (`on_ready`)
            return
        arrived = isinstance(event, events.Key) and not event.is_forwarded
        if arrived:
            self.quiet.key_arrived()
        await super().on_event(event)
        if arrived:
            self.quiet.key_dispatched()

    def on_ready(self) -> None:
        """After the first frame: parse the decks in a thread (started earlier, it would compete
        with the first frame for the interpreter), and open the deck the command line named."""
        kinds: list[str] = getattr(self.screen, "kinds_due", list)()
        self.quiet.hold()
        early, self._keys_before_first_frame = self._keys_before_first_frame or [], None
        for key in early:  # typed while the app started: an enter opens the highlighted deck
            self.post_message(typed_ahead(key))
        self.run_worker(partial(self._preload, kinds), thread=True, group="preload", exit_on_error=False,
                        description="load deck content")
        if self.start_mock_minutes:
            self.start_mock(self.start_deck, self.start_mock_minutes)
        elif self.start_deck:
            self.start_study(self.start_deck)

    def _preload(self, kinds_due: list[str]) -> None:
        """What the item screens need, made while the learner looks at the dashboard: the parsed
        decks, the screens' modules (~0.1 s to import, which the first item of each kind paid),
        the Python highlighting, and the checkers of the kinds due today. What the first item
        of the highlighted deck needs comes first; each step waits while a key is answered
        (`tutor.tui.quiet`), so opening an item early never shares the interpreter with this,
        and the checkers, whose start-up takes a processor for a second, wait for a pause."""
        for step in preload_steps(self, kinds_due):
            if not self.quiet.turn():
                return
            step()
        memory.freeze_start_up()
        for kind in dict.fromkeys(kinds_due):
            if kind in Engines.KINDS and self.quiet.turn(idle_s=CHECKER_START_IDLE_S):
                self.engines.warm_up(kind)

    def _apply_theme_setting(self) -> None:
        wanted = self.study.settings.theme
        if wanted not in self.available_themes:
            self.notify(f"Theme {wanted!r} is not known; using {DARK}. ctrl+p then Theme lists them all.",
                        severity="warning", markup=False)
            wanted = DARK
        self.theme = wanted
        if self.current_theme.dark:
            self._dark_theme = wanted
        else:
            self._light_theme = wanted

    # -- content -------------------------------------------------------------------------

    def library(self) -> "Library":
        """Every deck's items, parsed once (in the preload after the first frame, or on demand)."""
        self._library_awaited.set()  # the preload's parse no longer pauses for keys: it is waited for
        return self._parse_library()

    def _parse_library(self, between_files: Callable[[], object] = lambda: None) -> "Library":
        """The parse, and what it made frozen (`memory.freeze_start_up`) before the collector
        runs again: the parse holds the collector off, so its objects (4 per card that the
        collector tracks) are all in the youngest generation at its end, and the next two
        collections, on whatever key they landed, walked them all to move them on (0.04 s, then
        0.06 s, on 10,000 cards)."""
        with self._library_lock:
            if self._library is None:
                from tutor.content import load_library

                with collector.paused():
                    self._library = load_library(self.study.content_roots, between_files)
                    memory.freeze_start_up()
            return self._library

    def _preload_library(self) -> None:
        """The decks parsed by the preload: before each file it waits while a key is answered
        (a file's parse holds the interpreter throughout: 0.1 s for 1,000 cards), unless
        something is waiting for the parse itself (`library`)."""

        def between_files() -> None:
            deadline = time.monotonic() + STEP_WAIT_S
            while self.quiet.holding and not self._library_awaited.is_set() and time.monotonic() < deadline:
                self._library_awaited.wait(PARSE_PAUSE_POLL_S)

        self._parse_library(between_files)

    def item(self, item_id: str, kind: str, deck: str) -> "Item | None":
        """A review item by id. While the decks are still being parsed, an exercise (`kind` drill,
        derivation or problem: on screen for minutes, long enough for the parse to end) is read
        on its own (`load_item`, its one file), so the first one opened at start does not wait
        for a parse of the whole collection; a card, which the next rating soon follows, waits."""
        if self._library is None and kind in EXERCISE_KINDS:
            from tutor.content.library import load_item

            return load_item(self.study.content_roots, item_id, deck)
        return self.library().item(item_id)

    def lessons(self, deck: str) -> "tuple[Lesson, ...]":
        """A deck's lessons: from the parsed library when it is ready, else read on their own (fast).
        Never waits for a parse under way: the footer asks on every key once an answer is shown."""
        library = self._library
        if library is not None:
            found = library.deck(deck)
            return found.lessons if found else ()
        if self._lessons is None:
            from tutor.content.library import load_lessons

            self._lessons = load_lessons(self.study.content_roots)
        return self._lessons.get(deck, ())

    # -- actions -------------------------------------------------------------------------

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Every link a Markdown widget opens comes through here: only a web address leaves the
        app. A deck's `file:` link, or one to a scheme the desktop hands to another program
        (`vscode:`, `ssh:`, `smb:`), is named and not opened."""
        if not url.lower().startswith(WEB_ADDRESSES):
            self.notify(f"Not opened: {url[:80]!r} is not a web address", severity="warning", markup=False)
            return
        super().open_url(url, new_tab=new_tab)

    def action_help(self) -> None:
        from tutor.tui.screens.help import HelpScreen

        if type(self.screen).__name__ == "HelpScreen":
            return
        self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = self._light_theme if self.current_theme.dark else self._dark_theme
        if self.config_path is not None:
            from tutor.config import ConfigError, save_setting

            try:
                save_setting(self.config_path, "theme", self.theme)
            except (OSError, ConfigError) as exc:
                self.notify(f"The theme is not remembered: {exc}", severity="warning", markup=False)

    def ask_interview(self, deck: str) -> None:
        """Ask for the deck's interview date; the screen below refreshes once it is set."""
        from tutor.tui.widgets.modals import AskModal

        current = self.study.interview_date(deck)
        self.push_screen(
            AskModal(f"Interview date for {deck}", "The day this deck must be ready by, as YYYY-MM-DD; "
                     "none clears it.", current.isoformat() if current else "", "YYYY-MM-DD or none"),
            lambda answer: self._set_interview(deck, answer))

    def _set_interview(self, deck: str, answer: str | None) -> None:
        """Set (or with "none" clear) the deck's interview date, remembered in the config file."""
        from dataclasses import replace

        from tutor.study.interview import BadDate, with_date

        if answer is None:
            return
        try:
            dates = with_date(self.study.settings.interview, deck, answer, self.study.today())
        except BadDate as exc:
            self.notify(f"Not changed: {exc}", severity="error", markup=False)
            return
        self.study.settings = replace(self.study.settings, interview=dates)
        if self.config_path is not None:
            from tutor.config import ConfigError, save_setting

            try:
                save_setting(self.config_path, "interview", dates)
            except (OSError, ConfigError) as exc:
                self.notify(f"The date is not remembered: {exc}", severity="warning", markup=False)
        self.screen.post_message(ReviewsChanged())

    def start_study(self, deck: str) -> None:
        from tutor.tui.screens.study import StudyScreen

        if any(isinstance(screen, StudyScreen) for screen in self.screen_stack):
            self.notify("A study session is open: leave it with q first.", severity="warning")
            return
        self.push_screen(StudyScreen(deck))

    def start_mock(self, deck: str | None, minutes: int | None = None) -> None:
        """A timed mock interview of the deck (None: every deck), ending in its report."""
        from tutor.tui.screens.mock import MockScreen
        from tutor.tui.screens.study import StudyScreen

        if any(isinstance(screen, StudyScreen | MockScreen) for screen in self.screen_stack):
            self.notify("A study session or mock is open: leave it with q first.", severity="warning")
            return
        self.push_screen(MockScreen(deck, minutes or self.study.settings.mock_minutes))

    def open_lessons(self, deck: str, section: str | None = None) -> None:
        """The reading screen over whatever is showing; closing it comes back to it unchanged."""
        from tutor.tui.screens.reading import ReadingScreen

        lessons = self.lessons(deck)
        if not lessons:
            self.notify(f"The {deck} deck has no lessons.", severity="warning")
            return
        in_study = any(type(screen).__name__ == "StudyScreen" for screen in self.screen_stack)
        self.push_screen(ReadingScreen(deck, lessons, section, can_study=not in_study))

    def answered_item(self) -> "Item | None":
        """The item on screen once its answer is shown: a revealed card or problem, a finished
        drill or derivation. Read from the screens' own state, so each keeps its code to itself."""
        screen = self.screen
        if getattr(screen, "revealed", False):
            return getattr(screen, "card", None) or getattr(screen, "problem", None)
        if getattr(screen, "outcome", None) is not None:
            return getattr(screen, "item", None)
        return None

    def lesson_of_answered_item(self) -> "Lesson | None":
        from tutor.content.models import authored_id

        item = self.answered_item()
        if item is None:
            return None
        return next((s for s in self.lessons(item.deck) if authored_id(item.id) in s.prepares), None)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "lesson":
            return self.lesson_of_answered_item() is not None
        return True

    def action_lesson(self) -> None:
        from textual.actions import SkipAction

        lesson = self.lesson_of_answered_item()
        if lesson is None:
            raise SkipAction()  # the key goes on to the focused widget
        self.open_lessons(lesson.deck, lesson.id)

    def show_stats(self) -> None:
        from tutor.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def show_browse(self) -> None:
        from tutor.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())

    def undo_last(self) -> None:
        """Undo this run's latest review from anywhere (the palette); study screens do it in place."""
        screen = self.screen
        if isinstance(screen, UndoInPlace):
            screen.action_undo()
        elif self.undo_review() is not None:
            screen.post_message(ReviewsChanged())

    def undo_review(self) -> LoggedReview | None:
        """Undo the newest review made in this run; returns the undone review or None."""
        if not self.session_reviews:
            self.notify("Nothing to undo: no review was made in this session.", severity="warning")
            return None
        undone = self.study.undo()
        if undone is None:
            self.session_reviews.clear()
            self.notify("Nothing to undo.", severity="warning")
            return None
        if undone.id in self.session_reviews:
            self.session_reviews.remove(undone.id)
        from tutor.tui.widgets.rating import NAMES

        self.notify(f"Undid {NAMES[undone.rating]} on “{self._title_of(undone.item_id)}”.", markup=False)
        return undone

    def _title_of(self, item_id: str) -> str:
        """The item's title as the learner knows it, cut at a word within one line of a notice
        (titles may run to 200 characters); its id when the content no longer has it."""
        from tutor.study import UnknownItem

        try:
            title = self.study.item(item_id).title
        except UnknownItem:
            return item_id
        if len(title) <= UNDO_TITLE_CHARACTERS:
            return title
        cut = title[:UNDO_TITLE_CHARACTERS - 1]
        return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:·-") + "…"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        decks = self.study.decks()
        for deck in decks:
            yield SystemCommand(f"Study {deck.title}", f"today's queue of the {deck.id} deck",
                                lambda d=deck.id: self.start_study(d))
        for deck in decks:
            yield SystemCommand(f"Read {deck.title}", f"the lessons of the {deck.id} deck",
                                lambda d=deck.id: self.open_lessons(d))
        for deck in decks:
            yield SystemCommand(f"Interview date of {deck.title}", "the day it must be ready by; the plan fits it",
                                lambda d=deck.id: self.ask_interview(d))
        for deck in decks:
            yield SystemCommand(f"Mock interview of {deck.title}", "30 timed minutes across kinds, picked by "
                                "weakness; verdicts only in the report at the end",
                                lambda d=deck.id: self.start_mock(d))
        yield SystemCommand("Stats", "reviews per day, retention, forecast, leeches, mastery", self.show_stats)
        yield SystemCommand("Browse", "search every item by text or #tag", self.show_browse)
        yield SystemCommand("Toggle light/dark theme", "switch between the light and dark theme",
                            self.action_toggle_theme)
        yield SystemCommand("Undo last review", "the item comes back to be studied again", self.undo_last)
        yield SystemCommand("Keys of this screen", "what every key does here (also ?)", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's key panel; ours above lists the screen's keys
                yield command

    # -- errors --------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.show_worker_error(event.worker)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        self.show_worker_error(message.worker)

    def show_worker_error(self, worker: Worker[Any]) -> None:
        """The one place a failed worker, the app's or a screen's, is shown to the learner."""
        self.show_error(f"{worker.description or worker.name or 'background work'} failed", worker.error)

    def show_error(self, what: str, error: BaseException | None) -> None:
        from tutor.tui.widgets.modals import MessageModal

        detail = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
        self.push_screen(MessageModal(what, detail + "\n\nNothing you saved is lost; "
                                      "set TUTOR_DEBUG=1 and run again for details.", error=True))


def typed_ahead(key: events.Key) -> events.Key:
    """A key typed before the first frame, as the learner meant it: the terminal was still in
    its line mode until the app took it over, and that turns enter into a newline (ctrl+j)."""
    return events.Key("enter", "\r") if key.key == "ctrl+j" else key


def preload_steps(app: TutorApp, kinds_due: list[str]) -> list[Callable[[], object]]:
    """`TutorApp._preload`'s steps in order: the study screen and the decks, then the screen of
    each kind due today (the first item's first), then the others. When the first item is an
    exercise, which is read without the decks (`TutorApp.item`), its screen comes first."""

    def import_screen(kind: str) -> None:
        with suppress(ImportError):  # a kind this build cannot show is skipped when it comes
            importlib.import_module(f"tutor.tui.screens.{ITEM_SCREENS[kind]}")
        if kind == "drill":
            from tutor.tui.widgets.code_editor import CodeEditor

            CodeEditor.warm()

    due = [kind for kind in dict.fromkeys(kinds_due) if kind in ITEM_SCREENS]
    kinds = [*due, *(kind for kind in ITEM_SCREENS if kind not in due)]
    screens: list[Callable[[], object]] = [partial(import_screen, kind) for kind in kinds]
    first = screens[:1] if kinds[0] in EXERCISE_KINDS else []
    return [lambda: importlib.import_module("tutor.tui.screens.study"), *first, app._preload_library,
            *screens[len(first):]]


def run_app(study: Study, *, deck: str | None = None, config_path: Path | None = None,
            mock_minutes: int | None = None) -> int:
    """Run the app on `study` until the learner quits; returns the exit status. `deck` opens that
    deck's session at once (with `mock_minutes`, a mock interview of it, or of every deck); a
    theme picked in the app is remembered in `config_path`."""
    app = TutorApp(study, deck=deck, config_path=config_path, mock_minutes=mock_minutes)
    app.run()
    return app.return_code or 0
