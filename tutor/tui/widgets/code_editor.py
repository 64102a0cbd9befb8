"""Editors for the learner's work: a text area that keeps the order of fast keys, a Python code
editor that follows the app theme, a screen that opens on its editor without losing the keys
typed as it opens, and a debounced draft keeper so nothing typed is lost if the app dies.

Both the drill and the derivation screens use `DraftKeeper`: every change schedules one save
~0.5 s later (typing keeps pushing it back), and `flush()` saves at once when the screen
leaves.  Saves go through `Store.save_draft` on the UI thread (SQLite connections are
per-thread).
"""

from __future__ import annotations

import threading
from typing import Any, cast

from textual import events, work
from textual.document._syntax_aware_document import SyntaxAwareDocument
from textual.screen import Screen, ScreenResultType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

from tutor import clock
from tutor.store import Store
from tutor.tui.messages import ShowsWorkerErrors
from tutor.tui.widgets.exercise_panes import in_daemon_thread

DRAFT_DELAY_S = 0.5
DARK_CODE_THEME = "vscode_dark"
LIGHT_CODE_THEME = "github_light"


_compiled_queries: dict[tuple[Any, str], Any] = {}
_compiling = threading.Lock()
_deferring = threading.local()  # set while a `CodeEditor` is made: it never waits for a compile


def _compile_highlighting_once() -> None:
    """Textual compiles a syntax-aware editor's tree-sitter highlight query for every editor it
    makes, about a twelfth of a second for Python, holding the interpreter for up to 40 ms at
    a time. The query is the same for every editor of a language and is only read (each
    highlight pass makes its own cursor on it), so each is compiled once per process, in a
    thread (the app's preload, else the editor's own): an editor made before that opens
    without colours and gets them once the query is ready (`CodeEditor._highlight_when_ready`)."""
    prepare = SyntaxAwareDocument.prepare_query

    def prepare_once(document: SyntaxAwareDocument, query: str) -> Any:
        key = (document.language, query)
        if key not in _compiled_queries and not getattr(_deferring, "on", False):
            with _compiling:
                if key not in _compiled_queries:
                    _compiled_queries[key] = prepare(document, query)
        return _compiled_queries.get(key)

    SyntaxAwareDocument.prepare_query = prepare_once  # type: ignore[method-assign,assignment]


_compile_highlighting_once()


def code_theme_for(dark: bool) -> str:
    """The TextArea syntax theme that reads well on the app's background."""
    return DARK_CODE_THEME if dark else LIGHT_CODE_THEME


class KeysInOrder:
    """For a text widget: run its own key bindings (backspace, delete, arrows...) as each key
    arrives. Textual runs a focused widget's bindings only once the key has bubbled up to the
    app, while a typed character goes in at once; in a burst of keys (typing on while a screen
    is still opening) a backspace then ran after the characters typed after it, deleting them."""

    async def _on_key(self, event: events.Key) -> None:
        widget = cast(Widget, self)
        for binding in widget._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority:
                event.stop()
                event.prevent_default()  # the widget's own handler must not see it a second time
                await widget.run_action(binding.action)
                return


class InOrderTextArea(KeysInOrder, TextArea):
    """A TextArea whose keys take effect in the order they were typed."""


class InOrderInput(KeysInOrder, Input):
    """An Input whose keys take effect in the order they were typed."""


class CodeEditor(InOrderTextArea):
    """A Python editor with highlighting whose colours follow the app's light/dark theme."""

    def __init__(self, text: str = "", **kwargs) -> None:
        _deferring.on = True
        try:
            super().__init__(text, language="python", theme=DARK_CODE_THEME, soft_wrap=False,
                             tab_behavior="indent", show_line_numbers=True, **kwargs)
        finally:
            _deferring.on = False

    def on_mount(self) -> None:
        self._follow_theme()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._follow_theme())
        if self._highlight_query is None and isinstance(self.document, SyntaxAwareDocument):
            self._highlight_when_ready(self.document)

    @work(group="code-highlighting", exit_on_error=False)
    async def _highlight_when_ready(self, document: SyntaxAwareDocument) -> None:
        """Compile the highlighting in a thread (or wait for the app's preload to) once the key
        that opened this editor has been answered, then colour the text."""
        quiet = getattr(self.app, "quiet", None)  # `tutor.tui.quiet.KeyQuiet`, in the app

        def compile_query() -> Any:
            if quiet is not None:
                quiet.turn()
            return document.prepare_query(TextArea._get_builtin_highlight_query("python"))

        query = await in_daemon_thread(compile_query, "code-highlighting")
        if query is not None:
            self._highlight_query = query
            self._build_highlight_map()
            self.refresh()

    def on_unmount(self) -> None:
        # The signal's callback holds this editor: subscribed for good, every editor ever
        # opened stayed in memory with its render caches (see `tutor.tui.memory`).
        self.app.theme_changed_signal.unsubscribe(self)

    def _follow_theme(self) -> None:
        self.theme = code_theme_for(self.app.current_theme.dark)

    @staticmethod
    def warm() -> None:
        """Compile the Python highlighting now (from a worker thread while the learner is on the
        dashboard), so the first drill opens in colour at once."""
        TextArea("", language="python")


class EditorScreen(ShowsWorkerErrors, Screen[ScreenResultType]):
    """A screen that opens on its editor (its `AUTO_FOCUS`). While the screen is still composing
    nothing has the focus, so the app hands keys typed meanwhile (on at once after the key that
    opened it) to the screen itself, which lost them or ran its own letter keys with them: they
    are kept, and handed to the editor in order once it has the focus."""

    _composed = False
    _early_keys: list[events.Key] | None = None
    KEEPS_DRAFTS = True  # a mock's screens do not (`DraftKeeper`)

    def _forward_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not self._composed:
            event._set_forwarded()
            if self._early_keys is None:
                self._early_keys = []
            self._early_keys.append(event)
            return
        super()._forward_event(event)

    async def _compose(self) -> None:
        await super()._compose()  # the editor exists and has the focus (AUTO_FOCUS)
        self._composed = True
        self._editor_composed()
        early, self._early_keys = self._early_keys or [], None
        target = self.focused or self
        for event in early:  # no await since the focus was set: later keys queue behind these
            target.post_message(event)

    def _editor_composed(self) -> None:
        """Ready the editor for the keys typed early (e.g. its cursor after a draft)."""


class DraftKeeper:
    """Saves an editor's text as a draft, debounced, and on demand. One that is not `kept` (a
    mock interview's) neither shows the saved draft nor writes one: a mock answer starts empty,
    and the draft of the learner's study stays as it was."""

    def __init__(self, owner: Widget, store: Store, item_id: str, kind: str,
                 delay_s: float = DRAFT_DELAY_S, kept: bool = True) -> None:
        self.owner = owner
        self.store = store
        self.item_id = item_id
        self.kind = kind
        self.delay_s = delay_s
        self.kept = kept
        self._pending: str | None = None
        self._timer: Timer | None = None

    def changed(self, text: str) -> None:
        """Note new text; it is written once typing pauses for `delay_s`."""
        self._pending = text
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.owner.set_timer(self.delay_s, self.flush)

    def flush(self) -> None:
        """Write the pending text now (no-op when nothing changed since the last save)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._pending is None or not self.kept:
            self._pending = None
            return
        text, self._pending = self._pending, None
        self.store.save_draft(self.item_id, self.kind, text, clock.now())

    def discard(self) -> None:
        """Forget the draft: the exercise is finished, so the next review starts afresh."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending = None
        if self.kept:
            self.store.delete_draft(self.item_id)

    def saved(self) -> str | None:
        """The draft to show in the editor, if any."""
        return self.store.draft(self.item_id) if self.kept else None
