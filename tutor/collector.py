"""The cyclic garbage collector, paused by whoever needs it off, and on again only once none does.

Two things pause it, on different threads and at overlapping times: the app while it answers
a key (`tutor.tui.quiet`) and the parse of the decks (`tutor.content.library`). `gc.disable` and
`gc.enable` are one switch for the whole process, so the parse, ending while a key was being
answered, switched the collector back on under it, and the key paid for a collection over
everything the parse had made (up to 0.13 s on 10,000 cards; issue 19's tail of opening a drill
after a drill). `paused` counts its holders: the collector comes back when the last one lets
go, and only if it was on when the first took it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False  # as the first holder found it


def pause() -> None:
    """Hold the collector off until the matching `resume`."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1


def resume() -> None:
    """Let go of one `pause`; the last one lets the collector run again, if it ran before."""
    global _holders
    with _lock:
        if _holders == 0:
            raise RuntimeError("the collector was resumed more often than it was paused")
        _holders -= 1
        if _holders == 0 and _was_enabled:
            gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """The collector held off for the block (`pause`, then `resume`)."""
    pause()
    try:
        yield
    finally:
        resume()
