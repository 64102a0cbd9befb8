"""FSRS, the adaptive alternative, through fsrs-rs (`fsrs_rs_python`), the engine Anki uses.

The optimizer (`tutor.schedule.fitting`) fits this same engine on the same inputs, whole study
days between an item's reviews, so fitted parameters schedule exactly what they were fitted on.
An item starts in learning: Again, or Hard before it is learnt, shows it again the same day
(one short step); Good or Easy sends it to review, due after the interval FSRS gives for the
desired retention. Again on a reviewed item is a lapse and relearns it the same way.
The state is a deterministic fold over the log (no fuzz): replaying history never moves a day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tutor.schedule import AGAIN, EASY, GOOD, HARD, ItemState, Review

MAXIMUM_INTERVAL = 36500
LEARNING, REVIEW, RELEARNING = "learning", "review", "relearning"
_NEXT_STATE = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}


# FSRS-6's bounds on each parameter, as fsrs-rs clips them while fitting (parameter_clipper).
PARAMETER_BOUNDS = (
    (0.001, 100.0), (0.001, 100.0), (0.001, 100.0), (0.001, 100.0), (1.0, 10.0), (0.001, 4.0), (0.001, 4.0),
    (0.001, 0.75), (0.0, 4.5), (0.0, 0.8), (0.001, 3.5), (0.001, 5.0), (0.001, 0.25), (0.001, 0.9), (0.0, 4.0),
    (0.0, 1.0), (1.0, 6.0), (0.0, 2.0), (0.0, 2.0), (0.0, 0.8), (0.1, 0.8),
)


def check_parameters(values: object) -> tuple[float, ...]:
    """21 numbers within FSRS-6's bounds, or ValueError saying which one is not."""
    if not isinstance(values, (list, tuple)) or len(values) != len(PARAMETER_BOUNDS):
        raise ValueError(f"FSRS-6 needs {len(PARAMETER_BOUNDS)} parameters")
    for n, (value, (low, high)) in enumerate(zip(values, PARAMETER_BOUNDS)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ValueError(f"parameter {n} is {value!r}, outside {low} to {high}")
    return tuple(float(v) for v in values)


def default_parameters() -> tuple[float, ...]:
    """FSRS-6's 21 default parameters, as fsrs-rs ships them."""
    from fsrs_rs_python import DEFAULT_PARAMETERS

    return tuple(DEFAULT_PARAMETERS)


def next_phase(phase: str, rating: int) -> tuple[str, bool]:
    """(the phase after `rating`, whether the item comes back the same day)."""
    if rating == AGAIN:
        return (RELEARNING if phase == REVIEW else phase), True
    if rating == HARD and phase != REVIEW:
        return phase, True
    return REVIEW, False


@dataclass
class FsrsScheduler:
    desired_retention: float = 0.9
    parameters: Sequence[float] | None = None  # None: the defaults
    name: str = "fsrs"
    _model: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        from fsrs_rs_python import FSRS

        self.parameters = tuple(self.parameters) if self.parameters is not None else default_parameters()
        self._model = FSRS(list(self.parameters))

    def apply(self, state: ItemState | None, review: Review) -> ItemState:
        from fsrs_rs_python import MemoryState

        if state is None:
            phase, memory, elapsed, reps, lapses, first_day = LEARNING, None, 0, 0, 0, review.day
        else:
            phase, memory = state.data["phase"], MemoryState(state.data["stability"], state.data["difficulty"])
            elapsed = max(0, (review.day - state.last_day).days)
            reps, lapses, first_day = state.reps, state.lapses, state.first_day
        after = getattr(self._model.next_states(memory, self.desired_retention, elapsed), _NEXT_STATE[review.rating])
        phase_after, again_today = next_phase(phase, review.rating)
        days = 0 if again_today else min(MAXIMUM_INTERVAL, max(1, round(after.interval)))
        lapsed = review.rating == AGAIN and phase == REVIEW
        return ItemState(self.name, review.day + timedelta(days=days), reps + 1, lapses + lapsed, first_day, review.day,
                         {"phase": phase_after, "stability": after.memory.stability,
                          "difficulty": after.memory.difficulty})

    def preview(self, state: ItemState | None, at: datetime, day: date) -> dict[int, date]:
        return {r: self.apply(state, Review("preview", at, day, r)).due for r in (AGAIN, HARD, GOOD, EASY)}
