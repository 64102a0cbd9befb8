"""What keeps a long sitting's memory flat and the garbage collector's pauses short.

Textual keeps each watcher a widget sets on another object (`DOMNode.watch`, and `data_bind`
through it) in that object's list until the watched value next changes: every editor watches
the app's theme and every footer key its footer's `compact`, so each removed editor or footer
key stayed reachable with its render caches, about 6,000 objects per drill opened. Every full
collection walks all of them: 0.2 s after 23 drills and growing, a pause that lands on whatever
key the learner pressed. `drop_watchers_of_removed_widgets` prunes those entries each time a
new watcher is added to the same object, so the lists hold live widgets only.

`freeze_start_up` moves what start-up built (modules, the stylesheet, the parsed decks) out of
the collector's reach once the app is ready, as long-running Python services do: a full
collection then walks only what the sitting itself has made. `thaw` gives it back when the app
exits (a process that runs several apps, as the tests do, would otherwise keep each one).
"""

from __future__ import annotations

import gc
from typing import Any

import textual.dom


def drop_watchers_of_removed_widgets() -> None:
    """Make `DOMNode.watch` first forget the watched object's watchers whose widgets are gone."""
    watch = textual.dom._watch
    if getattr(watch, "prunes_removed", False):
        return

    def watch_pruned(node: Any, obj: Any, attribute_name: str, callback: Any, *, init: bool = True) -> None:
        for entries in getattr(obj, "__watchers", {}).values():
            entries[:] = [(watcher, call) for watcher, call in entries
                          if not (watcher._closing or watcher._closed)]
        watch(node, obj, attribute_name, callback, init=init)

    watch_pruned.prunes_removed = True  # type: ignore[attr-defined]
    textual.dom._watch = watch_pruned


def freeze_start_up() -> None:
    """Exempt everything start-up made from later collections. No collection first: it would
    hold the interpreter for ~0.1 s just as the learner may press a key, to free ~6,000 objects
    once."""
    gc.freeze()


def thaw() -> None:
    """Let the collector see what `freeze_start_up` set aside again (the app is exiting)."""
    gc.unfreeze()
