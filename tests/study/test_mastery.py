"""Per-section mastery: which items count as past the start, and the share per tag."""

from datetime import date

from tutor.schedule import ItemState
from tutor.study.mastery import is_mastered, mastery_by_tag

DAY = date(2026, 1, 5)


def ladder(rung: int, graduated: bool = False) -> ItemState:
    return ItemState("ladder", DAY, 1, 0, DAY, DAY, {"rung": rung, "graduated": graduated, "interval": 3})


def fsrs(phase: str) -> ItemState:
    return ItemState("fsrs", DAY, 1, 0, DAY, DAY, {"phase": phase, "stability": 3.0, "difficulty": 5.0})


def test_which_states_count_as_mastered():
    assert not is_mastered(None)
    assert not is_mastered(ladder(0))
    assert is_mastered(ladder(1))
    assert is_mastered(ladder(4, graduated=True))
    assert is_mastered(ladder(0, graduated=True))
    assert not is_mastered(fsrs("learning"))
    assert is_mastered(fsrs("review"))
    assert not is_mastered(fsrs("relearning"))


def test_share_per_tag_counts_each_item_once_per_tag():
    items = [("a", ["adamw", "adamw"]), ("b", ["adamw", "bias-correction"]), ("c", ["bias-correction"]),
             ("d", [])]
    states = {"a": ladder(2), "b": ladder(0), "c": None}
    result = {m.tag: (m.mastered, m.total, m.share) for m in mastery_by_tag(items, states)}
    assert result == {"adamw": (1, 2, 0.5), "bias-correction": (0, 2, 0.0)}
    assert [m.tag for m in mastery_by_tag(items, states)] == ["adamw", "bias-correction"]


def test_no_items_no_sections():
    assert mastery_by_tag([], {}) == []
