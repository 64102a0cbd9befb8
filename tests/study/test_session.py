"""The study session's order, without Textual: Again comes back last, undo comes back first."""

from datetime import date

from tutor.schedule import AGAIN, GOOD
from tutor.study.service import QueueEntry
from tutor.study.session import StudySession

DAY = date(2026, 3, 2)


def queue(*ids: str) -> list[QueueEntry]:
    return [QueueEntry(i, "d", "card", i.upper(), "new", None) for i in ids]


def shown(session: StudySession, entries: list[QueueEntry]) -> str | None:
    entry = session.next(entries)
    session.shown()
    return entry.item_id if entry else None


def test_again_comes_back_after_the_others():
    session = StudySession("d", DAY)
    assert shown(session, queue("a", "b", "c")) == "a"
    session.rated("a", AGAIN)  # the store keeps it due today
    assert shown(session, queue("a", "b", "c")) == "b"
    session.rated("b", GOOD)
    assert shown(session, queue("a", "c")) == "c"
    session.rated("c", GOOD)
    assert shown(session, queue("a")) == "a"
    session.rated("a", GOOD)
    assert session.next(queue()) is None and session.reviewed == 4


def test_undo_shows_the_item_next_and_takes_back_the_count():
    session = StudySession("d", DAY)
    session.rated("a", GOOD)
    session.rated("b", AGAIN)
    session.undone("b")
    assert session.reviewed == 1 and "b" not in session.deferred
    assert shown(session, queue("c", "b")) == "b"
    assert shown(session, queue("c", "b")) == "c"  # shown once; the queue order is back


def test_counts_leave_out_skipped_items():
    session = StudySession("d", DAY)
    session.rated("a", GOOD)
    session.skipped.add("x")
    assert session.total(queue("x", "b", "c")) == 3
    assert shown(session, queue("x", "b")) == "b"
    assert session.next(queue("x")) is None


def test_undo_never_counts_below_zero():
    session = StudySession("d", DAY)
    session.undone("a")
    assert session.reviewed == 0 and session.front == "a"


def test_the_queue_is_read_once_a_sitting_and_kept_in_step_with_ratings_and_undo():
    session = StudySession("d", DAY)
    reads = []

    def read():
        reads.append(1)
        return queue("a", "b", "c")

    assert [e.item_id for e in session.entries(read)] == ["a", "b", "c"]
    session.rated("a", AGAIN, due_today=True)  # still due: stays, after the others
    session.rated("b", GOOD, due_today=False)
    assert [e.item_id for e in session.entries(read)] == ["a", "c"] and len(reads) == 1
    assert shown(session, session.entries(read)) == "c"
    session.undone("b")  # back in the queue, shown next
    assert shown(session, session.entries(read)) == "b" and len(reads) == 1
    session.undone("z")  # not rated in this sitting: the store knows best
    assert session.entries(read) == queue("a", "b", "c") and len(reads) == 2
