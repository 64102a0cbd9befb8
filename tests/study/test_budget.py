"""The daily budget (tutor.study.budget): what an item costs and which new items fit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tutor.schedule import GOOD, ItemState, Review, balance_tolerance
from tutor.schedule.ladder import LadderScheduler
from tutor.study.budget import (
    CARD_NEW_S,
    CARD_REVIEW_S,
    OWN_AFTER,
    Candidate,
    Estimates,
    balanced_path,
    fit_new_items,
    good_path,
    projected_load,
    shortest_first,
    spread,
)

DAY = date(2026, 3, 2)
LADDER = LadderScheduler()


def test_estimates_use_the_learners_median_only_after_enough_timed_answers():
    few = Estimates.from_durations({"card": [4000] * (OWN_AFTER - 1)})
    assert few.seconds("card", None, new=True) == CARD_NEW_S
    assert few.seconds("card", None, new=False) == CARD_REVIEW_S
    assert few.seconds("drill", 12, new=False) == 720  # the deck's own target time
    enough = Estimates.from_durations({"card": [4000] * OWN_AFTER, "drill": [300_000] * OWN_AFTER})
    assert enough.seconds("card", None, new=True) == 4.0
    assert enough.seconds("drill", 12, new=False) == 300.0
    assert enough.source("card") == "yours" and enough.source("problem") == "default"


@given(st.lists(st.integers(0, 10**7), min_size=OWN_AFTER, max_size=60))
def test_the_learners_estimate_is_the_median_of_their_latest_times(times):
    import statistics

    assert Estimates.from_durations({"card": times}).seconds("card", None, new=False) == \
        statistics.median(times) / 1000


def test_a_new_item_comes_back_on_the_ladders_rungs_and_a_studied_one_continues():
    assert good_path(LADDER, None, DAY, 21) == (3, 7, 14, 21)
    assert good_path(LADDER, None, DAY, 10) == (3, 7)
    from tutor.schedule import GOOD, Review
    state = LADDER.apply(None, Review("x", None, DAY, GOOD))  # type: ignore[arg-type]
    assert good_path(LADDER, state, DAY, 40) == (3, 7, 14, 21, 35)


def _studied(reviews: int) -> ItemState:
    """An item reviewed Good `reviews` times on its due days, the next due on `DAY`."""
    state, day = None, DAY - timedelta(days=LADDER.ladder[reviews])
    for _ in range(reviews):
        state = LADDER.apply(state, Review("x", datetime.combine(day, time(12), tzinfo=UTC), day, GOOD))
        day = state.due
    assert state is not None and state.due == DAY
    return state


def test_the_projection_puts_a_review_the_balancer_may_move_on_the_lighter_day():
    fixed = LADDER.apply(None, Review("a", datetime.combine(DAY, time(12), tzinfo=UTC), DAY, GOOD))
    fixed = replace(fixed, due=DAY + timedelta(days=7), data={**fixed.data, "rung": 2})  # Day 7 rung: it stays
    on_ladder = _studied(3)  # due today on the Day 7 rung: its Day 14 review may move a day
    assert balance_tolerance(LADDER.apply(on_ladder, Review("x", datetime.combine(DAY, time(12), tzinfo=UTC), DAY,
                                                            GOOD))) == 1
    light = projected_load([(LADDER, on_ladder, 2, 60.0, None, ())], DAY, 21)
    assert light[7] == 60.0 and light[8] == 60.0  # one each way: the second goes where the first did not
    crowded = projected_load([(LADDER, fixed, 10, 30.0, None, ()), (LADDER, on_ladder, 1, 60.0, None, ())], DAY, 21)
    assert crowded.get(8) == 60.0 and crowded[7] == 300.0  # Day 7 holds 300 s already: the review goes to Day 8
    assert projected_load([(LADDER, fixed, 10, 30.0, None, ())], DAY, 21).get(8) is None


def test_the_projection_puts_a_planned_review_on_its_planned_day_even_when_it_is_the_heavier():
    on_ladder = _studied(3)  # its next review, 7 days on, may move a day
    crowded = (LADDER, _studied(3), 10, 30.0, None, (DAY + timedelta(days=8),))  # ten planned onto day 8
    load = projected_load([crowded, (LADDER, on_ladder, 1, 60.0, None, (DAY + timedelta(days=8),))], DAY, 21)
    assert load[8] == 360.0 and not load.get(7)  # the balancer alone would have put the last one on day 7
    unplanned = projected_load([crowded, (LADDER, on_ladder, 1, 60.0, None, ())], DAY, 21)
    assert unplanned[7] == 60.0 and unplanned[8] == 300.0


@given(st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 500), st.integers(1, 900))
def test_items_spread_over_a_days_tolerance_as_one_at_a_time_to_the_lighter_day(first, second, count, seconds):
    one_at_a_time = [0, 0]
    window = [float(first), float(second)]
    for _ in range(count):
        lighter = 0 if window[0] <= window[1] else 1
        window[lighter] += seconds
        one_at_a_time[lighter] += 1
    assert spread([float(first), float(second)], count, float(seconds)) == one_at_a_time
    assert spread([float(first), float(second), 1e12], count, float(seconds)) == one_at_a_time + [0]


def test_a_new_items_movable_returns_follow_the_lighter_day():
    assert balanced_path(LADDER, DAY, 21, {}) == (3, 7, 14, 21)
    assert balanced_path(LADDER, DAY, 40, {14: 900.0}) == (3, 7, 15, 22, 36)  # every later gap from the moved day
    assert balanced_path(LADDER, DAY, 21, {14: 900.0, 15: 1000.0}) == (3, 7, 14, 21)
    assert balanced_path(LADDER, DAY, 21, {3: 9000.0}) == (3, 7, 14, 21)  # the Day 0/3/7 rungs never move


def test_an_item_fits_when_the_balancer_will_move_its_return_off_a_full_day():
    drill = Candidate("drill", 600.0, 600.0, (3, 7, 14, 21), lambda load: balanced_path(LADDER, DAY, 21, load))
    assert fit_new_items(1800, 0, lambda: {14: 1500.0}, [drill]) == [drill]
    assert fit_new_items(1800, 0, lambda: {14: 1500.0, 15: 1500.0}, [drill]) == []
    assert fit_new_items(1800, 0, lambda: {14: 1500.0}, [replace(drill, path=None)]) == []


def test_due_reviews_leave_no_room_so_new_items_wait():
    new = [Candidate(n, 60.0, 60.0, (3, 7)) for n in range(5)]
    assert fit_new_items(600, 600, lambda: {}, new) == []
    assert [c.item for c in fit_new_items(600, 420, lambda: {}, new)] == [0, 1, 2]


def test_later_days_are_not_read_when_no_new_item_fits_today():
    def unread() -> dict[int, float]:
        raise AssertionError("the reservations were read")

    new = [Candidate(n, 60.0, 60.0, (3, 7)) for n in range(5)]
    assert fit_new_items(600, 590, unread, new) == []
    assert fit_new_items(600, 0, unread, []) == []


def test_a_new_item_waits_when_a_day_it_comes_back_on_is_full():
    big, small = Candidate("drill", 300.0, 300.0, (3, 7)), Candidate("card", 15.0, 12.0, (3, 7))
    chosen = fit_new_items(1800, 0, lambda: {7: 1700.0}, [big, small])
    assert [c.item for c in chosen] == ["card"]


def test_an_item_longer_than_the_whole_budget_comes_alone_on_an_empty_day():
    huge = Candidate("huge", 3600.0, 3600.0, (3,))
    assert [c.item for c in fit_new_items(1800, 0, lambda: {}, [huge, Candidate("card", 15.0, 12.0, (3,))])] == ["huge"]
    assert fit_new_items(1800, 60, lambda: {}, [huge]) == []


def test_a_checkpoints_cards_are_offered_before_its_exercises_and_an_earlier_checkpoint_first():
    offered = [(3, Candidate("day-3 drill", 600.0, 600.0, (3,))), (0, Candidate("day-0 drill", 600.0, 600.0, (3,))),
               (0, Candidate("day-0 card", 13.8, 12.4, (3,))), (3, Candidate("day-3 card", 13.8, 12.4, (3,))),
               (0, Candidate("day-0 problem", 300.0, 300.0, (3,))), (0, Candidate("day-0 card 2", 13.8, 12.4, (3,)))]
    assert [c.item for c in shortest_first(offered)] == ["day-0 card", "day-0 card 2", "day-0 problem", "day-0 drill",
                                                        "day-3 card", "day-3 drill"]


candidates = st.lists(st.builds(Candidate, st.integers(), st.floats(1, 900), st.floats(1, 900),
                                st.lists(st.integers(1, 30), unique=True).map(tuple)), max_size=40)


@given(candidates, st.floats(0, 1800), st.dictionaries(st.integers(1, 30), st.floats(0, 1800)))
def test_chosen_items_keep_every_day_within_the_budget_and_keep_their_order(new, today, reserved):
    budget = 1800.0
    chosen = fit_new_items(budget, today, lambda: reserved, new)
    alone = today == 0 and chosen and chosen[0] is new[0] and chosen[0].seconds > budget
    load = dict(reserved)
    for c in chosen[1:] if alone else chosen:
        for day in c.returns:
            load[day] = load.get(day, 0.0) + c.review_seconds
    assert today + sum(c.seconds for c in chosen) <= budget or alone
    assert all(load[d] <= budget or load[d] == reserved.get(d) for d in load) or alone
    positions = [next(n for n, c2 in enumerate(new) if c2 is c) for c in chosen]
    assert positions == sorted(positions)
