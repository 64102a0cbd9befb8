"""FSRS fitted to the learner's own review log, its evaluation, calibration and a workload simulator.

Everything here runs fsrs-rs (`fsrs_rs_python`), the engine `FsrsScheduler` schedules with, on
the same inputs: whole study days between an item's reviews. A review that tests memory is one
on a later study day than the item's review before it; same-day repeats only move the state.
The log is untrusted (the database file may have been edited): `read_log` checks every row and
raises one `FittingError` line naming it. Work is bounded: at most `MAX_SEQUENCE` reviews per
item and the `MAX_TRAINING_ITEMS` most recent training items are used.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from tutor.errors import TutorError
from tutor.schedule import AGAIN, EASY, GOOD, HARD
from tutor.schedule.fsrs_scheduler import LEARNING, RELEARNING, REVIEW, default_parameters, next_phase

MIN_REVIEWS = 512  # reviews that test memory; fewer and a fit mostly learns noise
MIN_ITEMS = 20
MAX_SEQUENCE = 64  # reviews of one item used for training (the first ones)
MAX_TRAINING_ITEMS = 200_000
SPLITS = 5  # time-series folds: older reviews train, the next block tests
HARD_MISUSE = (0.03, 0.15)  # Again below 3 % while Hard is at least 15 % of the answers
MAX_DURATION_MS = 30 * 60 * 1000  # longer answers are counted as 30 minutes
_MIN_DAY, _MAX_DAY = date(1970, 1, 1).toordinal(), date(9999, 12, 31).toordinal()


class FittingError(TutorError, ValueError):
    """The review log cannot be used for fitting; the message is one line for the learner."""


class Rated(NamedTuple):
    """One live review as the model needs it (a tuple: logs have a million of them)."""

    review_id: int
    day: int  # study day ordinal
    rating: int
    duration_ms: int | None


@dataclass
class Log:
    """A checked review log: each item's reviews, oldest first."""

    items: dict[str, list[Rated]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(h) for h in self.items.values())

    def tests(self) -> Iterable[tuple[str, int, Rated]]:
        """(item, index, review) of every review on a later study day than the one before it."""
        for item_id, history in self.items.items():
            for k in range(1, len(history)):
                if history[k].day > history[k - 1].day:
                    yield item_id, k, history[k]


def read_log(rows: Iterable[Sequence[Any]]) -> Log:
    """Check rows (review id, item id, study day ordinal, rating, duration ms) in log order.

    A day earlier than the item's previous review by one day is read as the same day (a
    change of time zone can do that); more is a damaged log.
    """
    log = Log()
    for row in rows:
        review_id, item_id, day, rating, duration = row
        if isinstance(rating, bool) or not isinstance(rating, int) or not AGAIN <= rating <= EASY:
            raise FittingError(f"review {review_id} of {item_id!r} has rating {rating!r} (expected 1 to 4); "
                               "run `tutor doctor` or restore a backup")
        if isinstance(day, bool) or not isinstance(day, int) or not _MIN_DAY <= day <= _MAX_DAY:
            raise FittingError(f"review {review_id} of {item_id!r} has study day {day!r}, not a date; "
                               "run `tutor doctor` or restore a backup")
        history = log.items.setdefault(str(item_id), [])
        if history and day < history[-1].day:
            if day < history[-1].day - 1:
                raise FittingError(f"review {review_id} of {item_id!r} is dated {date.fromordinal(day)}, before "
                                   f"the review before it ({date.fromordinal(history[-1].day)}); "
                                   "run `tutor doctor` or restore a backup")
            day = history[-1].day
        if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
            duration = None
        history.append(Rated(int(review_id), day, rating, min(duration, MAX_DURATION_MS) if duration else duration))
    return log


# -- health ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    reviews: int  # reviews that test memory
    items: int  # items with at least one such review
    reasons: tuple[str, ...]
    enough_data: bool

    @property
    def ok(self) -> bool:
        return not self.reasons


def health(log: Log) -> Health:
    """What stops a fit from being trusted: too few reviews or items, Hard pressed for a miss."""
    tests = [(item_id, review.rating) for item_id, _, review in log.tests()]
    items = len({item_id for item_id, _ in tests})
    reasons = []
    if len(tests) < MIN_REVIEWS:
        reasons.append(f"{len(tests)} reviews on a later day than the item's review before them; "
                        f"fitting needs {MIN_REVIEWS}: {MIN_REVIEWS - len(tests)} more")
    if items < MIN_ITEMS:
        reasons.append(f"{items} items reviewed on a later day; fitting needs {MIN_ITEMS}: {MIN_ITEMS - items} more")
    enough = not reasons
    if tests:
        again = sum(r == AGAIN for _, r in tests) / len(tests)
        hard = sum(r == HARD for _, r in tests) / len(tests)
        if again < HARD_MISUSE[0] and hard >= HARD_MISUSE[1]:
            reasons.append(f"Hard is {hard:.0%} of your answers and Again only {again:.1%}: Hard means recalled "
                            "with effort; press Again when you forgot, or the fit would stretch your intervals")
    return Health(len(tests), items, tuple(reasons), enough)


# -- training items and evaluation -----------------------------------------------------------


def training_items(log: Log) -> list[Any]:
    """fsrs-rs items, oldest test first: each is an item's history up to one test of memory."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    dated = []
    for history in log.items.values():
        reviews = []
        for k, review in enumerate(history[:MAX_SEQUENCE]):
            elapsed = review.day - history[k - 1].day if k else 0
            reviews.append(FSRSReview(review.rating, elapsed))
            if elapsed > 0:
                dated.append((review.day, review.review_id, FSRSItem(list(reviews))))
    dated.sort(key=lambda entry: entry[:2])
    return [item for *_, item in dated[-MAX_TRAINING_ITEMS:]]


@dataclass(frozen=True)
class Scores:
    log_loss: float
    rmse_bins: float

    def better_than(self, other: Scores) -> bool:
        return self.log_loss < other.log_loss and self.rmse_bins <= other.rmse_bins


@dataclass(frozen=True)
class Evaluation:
    """Held-out scores on a time-series split: each block of newer reviews is predicted by
    parameters fitted on the reviews before it (`fitted`) and by FSRS's defaults."""

    fitted: Scores
    default: Scores
    tested: int  # held-out reviews


def _fit(items: list[Any]) -> list[float]:
    from fsrs_rs_python import FSRS

    return list(FSRS(list(default_parameters())).compute_parameters(items))


def _score(parameters: Sequence[float], items: list[Any]) -> tuple[float, float]:
    from fsrs_rs_python import FSRS

    result = FSRS(list(parameters)).evaluate(items)
    return float(result.log_loss), float(result.rmse_bins)


def evaluate(items: list[Any]) -> Evaluation:
    """Time-series split in `SPLITS` folds (as srs-benchmark): fold k trains on blocks 0..k-1.

    Parameters fitted earlier are not scored here: they were fitted on some of these blocks.
    """
    block = len(items) // (SPLITS + 1)
    sums = {"fitted": [0.0, 0.0], "default": [0.0, 0.0]}
    tested = 0
    for k in range(1, SPLITS + 1):
        train, test = items[:k * block], items[k * block:(k + 1) * block if k < SPLITS else len(items)]
        if not train or not test:
            continue
        for name, parameters in (("fitted", _fit(train)), ("default", default_parameters())):
            loss, rmse = _score(parameters, test)
            sums[name][0] += loss * len(test)
            sums[name][1] += rmse * len(test)
        tested += len(test)
    if not tested:
        raise FittingError("too few reviews to hold any out for testing")

    def scores(name: str) -> Scores:
        return Scores(round(sums[name][0] / tested, 4), round(sums[name][1] / tested, 4))

    return Evaluation(scores("fitted"), scores("default"), tested)


@dataclass(frozen=True)
class FitResult:
    status: str  # fitted | kept-defaults | not-enough-data
    parameters: tuple[float, ...] | None  # the new parameters when status is "fitted"
    health: Health
    evaluation: Evaluation | None
    message: str


def fit(log: Log) -> FitResult:
    """Check the log, evaluate a fit on held-out reviews, and fit on all of it if that wins."""
    checked = health(log)
    if not checked.enough_data:
        return FitResult("not-enough-data", None, checked, None,
                         "Not enough data yet: " + "; ".join(checked.reasons) + ". Nothing changed.")
    if not checked.ok:
        return FitResult("kept-defaults", None, checked, None, "; ".join(checked.reasons) + ". Nothing changed.")
    items = training_items(log)
    result = evaluate(items)
    figures = (f"log loss {result.fitted.log_loss} vs {result.default.log_loss} (defaults), "
               f"RMSE(bins) {result.fitted.rmse_bins} vs {result.default.rmse_bins}, on {result.tested} "
               "held-out reviews")
    if result.fitted.better_than(result.default):
        return FitResult("fitted", tuple(_fit(items)), checked, result,
                         f"Fitted to {checked.reviews} reviews: {figures}. The schedule now uses them.")
    return FitResult("kept-defaults", None, checked, result,
                     f"Kept the parameters in use: a fit does not predict better than the defaults ({figures}). "
                     "Nothing changed.")


# -- recall predictions ---------------------------------------------------------------------------


def retrievability(parameters: Sequence[float], elapsed_days: float, stability: float) -> float:
    """FSRS-6's forgetting curve: the chance of recall `elapsed_days` after a review."""
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * max(0.0, elapsed_days) / stability) ** decay)


def _replay(model: Any, history: list[Rated]) -> Iterator[tuple[int, Rated, Any, Any]]:
    """(days since the review before, review, memory before it, memory after it) for each
    review of one item, replayed on `model` (an fsrs-rs FSRS)."""
    names: dict[int, str] = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}
    memory = None
    for k, review in enumerate(history):
        elapsed = review.day - history[k - 1].day if k else 0
        after = getattr(model.next_states(memory, 0.9, elapsed), names[review.rating]).memory
        yield elapsed, review, memory, after
        memory = after


def predictions(log: Log, parameters: Sequence[float]) -> list[tuple[float, bool]]:
    """(predicted recall, recalled) for every review that tests memory, replaying each item."""
    from fsrs_rs_python import FSRS

    model = FSRS(list(parameters))
    return [(retrievability(parameters, elapsed, before.stability), review.rating != AGAIN)
            for history in log.items.values() for elapsed, review, before, _ in _replay(model, history)
            if before is not None and elapsed > 0]


def recall_on(log: Log, parameters: Sequence[float], day: int) -> dict[str, float]:
    """Each reviewed item's predicted recall on study day `day` (an ordinal), from its whole history."""
    from fsrs_rs_python import FSRS

    model = FSRS(list(parameters))
    out = {}
    for item_id, history in log.items.items():
        *_, (_, last, _, memory) = _replay(model, history)
        out[item_id] = retrievability(parameters, day - last.day, memory.stability)
    return out


CALIBRATION_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)


def calibration(log: Log, parameters: Sequence[float]) -> list[dict[str, Any]]:
    """Predicted vs measured recall in bins of predicted recall (empty bins left out)."""
    bins: list[list[tuple[float, bool]]] = [[] for _ in CALIBRATION_BINS[1:]]
    for predicted, recalled in predictions(log, parameters):
        for n, upper in enumerate(CALIBRATION_BINS[1:]):
            if predicted < upper:
                bins[n].append((predicted, recalled))
                break
    return [{"from": CALIBRATION_BINS[n], "to": min(1.0, CALIBRATION_BINS[n + 1]), "reviews": len(b),
             "predicted": round(statistics.fmean(p for p, _ in b), 4),
             "measured": round(sum(r for _, r in b) / len(b), 4)}
            for n, b in enumerate(bins) if b]


# -- the workload simulator -------------------------------------------------------------------------

_STATE_ROW = {LEARNING: 0, REVIEW: 1, RELEARNING: 2}  # fsrs-rs's rows of state_rating_costs
MIN_SAMPLES = 5
SIMULATED_ITEMS = 2000  # a smaller deck is simulated several times (different seeds) and averaged
MAX_RUNS = 20


@dataclass(frozen=True)
class Habits:
    """How this learner answers and how long it takes, read from the log (defaults where thin)."""

    first_rating_prob: tuple[float, float, float, float]
    review_rating_prob: tuple[float, float, float]
    costs_s: tuple[tuple[float, float, float, float], ...]  # rows learning, review, relearning
    own_times: bool = True  # False: too few timed answers, typical times are used


def habits(log: Log) -> Habits:
    from fsrs_rs_python import default_simulator_config

    config = default_simulator_config()
    firsts = [h[0].rating for h in log.items.values() if h]
    passes = [review.rating for _, _, review in log.tests() if review.rating != AGAIN]
    first = (tuple(firsts.count(r) / len(firsts) for r in (AGAIN, HARD, GOOD, EASY))
             if len(firsts) >= MIN_SAMPLES else tuple(config.first_rating_prob))
    review = (tuple(passes.count(r) / len(passes) for r in (HARD, GOOD, EASY))
              if len(passes) >= MIN_SAMPLES else tuple(config.review_rating_prob))
    times: dict[tuple[int, int], list[float]] = {}
    everything = []
    for history in log.items.values():
        phase = LEARNING
        for review_ in history:
            if review_.duration_ms is not None:
                seconds = review_.duration_ms / 1000
                times.setdefault((_STATE_ROW[phase], review_.rating), []).append(seconds)
                everything.append(seconds)
            phase, _ = next_phase(phase, review_.rating)
    overall = statistics.median(everything) if len(everything) >= MIN_SAMPLES else None
    costs = tuple(
        tuple(statistics.median(times[(row, r)]) if len(times.get((row, r), ())) >= MIN_SAMPLES
              else overall if overall is not None else config.state_rating_costs[row][r - 1]
              for r in (AGAIN, HARD, GOOD, EASY))
        for row in range(3))
    return Habits(first, review, costs, overall is not None)  # type: ignore[arg-type]


def simulate(parameters: Sequence[float], retentions: Sequence[float], days: int, deck_size: int,
             new_per_day: int, learner: Habits, seed: int = 42) -> list[dict[str, float]]:
    """For each desired retention: minutes of study per day and items remembered after `days`,
    for `deck_size` items learnt `new_per_day` at a time at this learner's pace (fsrs-rs simulate;
    a deck under `SIMULATED_ITEMS` items is run with several seeds and averaged, or chance decides)."""
    from fsrs_rs_python import SimulatorConfig, default_simulator_config
    from fsrs_rs_python import simulate as run

    base = default_simulator_config()
    config = SimulatorConfig(
        deck_size=max(0, deck_size), learn_span=days, max_cost_perday=float(days * 86400), max_ivl=36500.0,
        first_rating_prob=list(learner.first_rating_prob), review_rating_prob=list(learner.review_rating_prob),
        learn_limit=max(0, new_per_day), review_limit=10**9, new_cards_ignore_review_limit=True,
        learning_step_transitions=base.learning_step_transitions,
        relearning_step_transitions=base.relearning_step_transitions,
        state_rating_costs=[list(row) for row in learner.costs_s], learning_step_count=1, relearning_step_count=1)
    runs = max(1, min(MAX_RUNS, -(-SIMULATED_ITEMS // max(1, deck_size))))  # small decks: average more runs
    rows = []
    for retention in retentions:
        results = [run(list(parameters), retention, config, seed + n) for n in range(runs)]
        minutes = sum(sum(r.cost_per_day) for r in results) / 60 / days / runs
        remembered = sum(r.memorized_cnt_per_day[-1] for r in results if r.memorized_cnt_per_day) / runs
        rows.append({"retention": retention, "minutes_per_day": round(minutes, 2), "remembered": round(remembered, 1)})
    return rows


def best_trade(rows: Sequence[dict[str, float]]) -> dict[str, float] | None:
    """The point of diminishing returns: past it, each extra minute buys less memory than before.

    With minutes and items scaled to 0..1 across the rows, it is the row farthest above the
    straight line from the cheapest to the dearest (the "knee"); with fewer than three rows,
    or no bend, the row keeping the most items per minute.
    """
    ordered = sorted((r for r in rows if r["minutes_per_day"] > 0), key=lambda r: r["minutes_per_day"])
    if not ordered:
        return None
    low, high = ordered[0], ordered[-1]
    span_minutes = high["minutes_per_day"] - low["minutes_per_day"]
    span_items = high["remembered"] - low["remembered"]
    if len(ordered) >= 3 and span_minutes > 0 and span_items > 0:
        def lift(r: dict[str, float]) -> float:
            return ((r["remembered"] - low["remembered"]) / span_items
                    - (r["minutes_per_day"] - low["minutes_per_day"]) / span_minutes)

        knee = max(ordered, key=lift)
        if lift(knee) > 0:
            return knee
    return max(ordered, key=lambda r: r["remembered"] / r["minutes_per_day"])
