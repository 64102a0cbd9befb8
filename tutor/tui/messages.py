"""What screens tell the app and each other, as types rather than dicts.

An item screen (card, problem, drill, derivation) dismisses with an `ItemResult`: `Rated`
(the learner rated it), `UndoAsked` (undo the last review; the item comes back next) or None
(left, to come back later). The palette's "Undo last review" asks the screen on top to undo
in place when it is an `UndoInPlace` screen; otherwise the app undoes the review and posts
`ReviewsChanged` to the screen so it can redraw. A screen's background work that fails is
shown in the app's one error modal (`ShowsWorkerErrors`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message
from textual.worker import Worker, WorkerState

from tutor.schedule import Rating


@dataclass(frozen=True)
class Rated:
    """The learner rated the item; `detail` is kept with the review (what was typed, hints...)."""

    rating: Rating
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UndoAsked:
    """The learner asked, from an item screen, to undo this run's latest review."""


ItemResult = Rated | UndoAsked | None


class WorkerFailed(Message):
    """A screen's background work failed; the app shows it in its one error modal."""

    def __init__(self, worker: Worker[Any]) -> None:
        super().__init__()
        self.worker = worker


class ShowsWorkerErrors:
    """A screen whose failed workers reach the app: Textual tells only the screen that ran a
    worker (its state changes do not bubble), so without this a failure left the screen
    waiting in silence."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            event.worker.node.post_message(WorkerFailed(event.worker))


class UndoInPlace:
    """A screen that undoes the last review itself (the study screen and the item screens)."""

    def action_undo(self) -> None:
        raise NotImplementedError


class ReviewsChanged(Message):
    """A review was undone outside the screen: what it shows may be out of date."""
