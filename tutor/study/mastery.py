"""Per-section mastery: for each tag, the share of its items the learner has got past the start.

An item counts as mastered once it is past the ladder's first rung (or graduated); under FSRS,
once it has left learning for review (and not lapsed since). Tags are the study page's section names, so this
reads as "how much of each section is in long-term review".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tutor.schedule import ItemState
from tutor.schedule.fsrs_scheduler import REVIEW


@dataclass(frozen=True)
class TagMastery:
    tag: str
    mastered: int
    total: int

    @property
    def share(self) -> float:
        return self.mastered / self.total if self.total else 0.0


def is_mastered(state: ItemState | None) -> bool:
    """Past rung 0 or graduated on the ladder; in the review state under FSRS."""
    if state is None:
        return False
    data = state.data or {}
    if "rung" in data:
        return bool(data.get("graduated")) or int(data.get("rung", 0)) > 0
    return data.get("phase") == REVIEW


def mastery_by_tag(items: Iterable[tuple[str, Iterable[str]]],
                   states: Mapping[str, ItemState | None]) -> list[TagMastery]:
    """`items` is (item id, tags) pairs; the result is sorted by tag, one entry per tag."""
    mastered: dict[str, int] = {}
    total: dict[str, int] = {}
    for item_id, tags in items:
        done = is_mastered(states.get(item_id))
        for tag in dict.fromkeys(tags):
            total[tag] = total.get(tag, 0) + 1
            mastered[tag] = mastered.get(tag, 0) + done
    return [TagMastery(tag, mastered[tag], total[tag]) for tag in sorted(total)]
