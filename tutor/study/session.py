"""One sitting with one deck: the order in which today's queue is shown.

The queue is read from the store when a sitting starts and then kept in step with what the
sitting does: a rating takes its item out unless it is due again today, an undo puts it back.
Reading it again after every rating would cost time that grows with the collection
(`Study.queue`), at the moment the learner waits for the next item; leaving and coming back
reads it again (`Study.queue` keeps it while nothing is written). The session also
remembers what the store cannot: how many were done in this sitting, which items were rated
Again (they come back after the others), an undone item that must be shown next, and items
this build cannot show. Each step looks at the head of the queue only, so it costs the same
on any collection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tutor.schedule import AGAIN, Rating
from tutor.study.service import QueueEntry


@dataclass
class StudySession:
    """What one sitting adds to the store's queue: Again items last, an undone item first."""

    deck: str
    day: date
    reviewed: int = 0
    deferred: list[str] = field(default_factory=list)  # rated Again, to come back after the rest
    front: str | None = None  # an undone item, shown next
    skipped: set[str] = field(default_factory=set)  # items that cannot be shown in this build
    queue: list[QueueEntry] | None = None  # today's queue as this sitting has left it; None: read it again
    finished: dict[str, QueueEntry] = field(default_factory=dict)  # rated out of the queue, for undo

    def entries(self, read: Callable[[], list[QueueEntry]]) -> list[QueueEntry]:
        """Today's queue: as kept by this sitting, else from `read` (the store)."""
        if self.queue is None:
            self.queue = read()
            self.finished.clear()
        return self.queue

    def next(self, queue: Sequence[QueueEntry]) -> QueueEntry | None:
        """The queue entry to show now, or None when the day is done."""
        if self.front is not None and self.front not in self.skipped:
            undone = next((e for e in queue if e.item_id == self.front), None)
            if undone is not None:
                return undone
        for entry in queue:
            if entry.item_id not in self.skipped and entry.item_id not in self.deferred:
                return entry
        waiting = {e.item_id: e for e in queue if e.item_id not in self.skipped}  # only Again items are left
        return next((waiting[item_id] for item_id in self.deferred if item_id in waiting), None)

    def total(self, queue: Sequence[QueueEntry]) -> int:
        """Reviews in this sitting so far plus what is still waiting: the `n of N` on screen."""
        hidden = sum(e.item_id in self.skipped for e in queue) if self.skipped else 0
        return self.reviewed + len(queue) - hidden

    def rated(self, item_id: str, rating: Rating, due_today: bool = True) -> None:
        """The item was rated; unless it is due again today it leaves the queue."""
        self.reviewed += 1
        if not due_today and self.queue is not None:
            for n, entry in enumerate(self.queue):
                if entry.item_id == item_id:
                    self.finished[item_id] = self.queue.pop(n)
                    break
        self.front = None if self.front == item_id else self.front
        if item_id in self.deferred:
            self.deferred.remove(item_id)
        if rating == AGAIN:
            self.deferred.append(item_id)

    def undone(self, item_id: str) -> None:
        """The item's last review was undone: it is shown next (back in the queue if it had
        left it; an item this sitting did not rate makes the queue be read again)."""
        self.reviewed = max(0, self.reviewed - 1)
        if self.queue is not None:
            if item_id in self.finished:
                self.queue.insert(0, self.finished.pop(item_id))
            elif all(e.item_id != item_id for e in self.queue):
                self.queue = None
        if item_id in self.deferred:
            self.deferred.remove(item_id)
        self.front = item_id

    def shown(self) -> None:
        """The entry `next` returned is on screen: an undone item no longer jumps the queue."""
        self.front = None
