"""A cold `tutor due` reads the deck's plan from the cache instead of planning it again, and
plans again as soon as anything the plan depends on changes."""

from __future__ import annotations

from tutor.study import plan_cache, planner

ITEMS = [planner.NewItem(f"card-{n}", n % 3, 14.0, 12.0) for n in range(30)]
RETURNS = [(3, 7, 14, 21), (3, 7, 15, 22)]  # the scheduler's days and a balancer's move


def _counting(monkeypatch) -> list[int]:
    calls: list[int] = []
    plan = planner.plan_starts

    def counted(*args, **kwargs):
        calls.append(1)
        return plan(*args, **kwargs)

    monkeypatch.setattr(planner, "plan_starts", counted)
    return calls


def test_the_same_inputs_are_planned_once(home, monkeypatch):
    calls = _counting(monkeypatch)
    first = plan_cache.plan_starts(ITEMS, RETURNS, 120.0, 35, 56)
    again = plan_cache.plan_starts(ITEMS, RETURNS, 120.0, 35, 56)
    assert again == first == planner.plan_starts(ITEMS, RETURNS, 120.0, 35, 56)
    assert len(calls) == 2  # the first call and the check above, not the second


def test_another_budget_or_another_deck_is_planned_afresh(home, monkeypatch):
    tight = planner.plan_starts(ITEMS, RETURNS, 60.0, 35, 56)
    calls = _counting(monkeypatch)
    plan_cache.plan_starts(ITEMS, RETURNS, 120.0, 35, 56)
    assert plan_cache.plan_starts(ITEMS, RETURNS, 60.0, 35, 56) == tight
    assert set(plan_cache.plan_starts(ITEMS[:10], RETURNS, 120.0, 35, 56)) == {i.item_id for i in ITEMS[:10]}
    assert len(calls) == 3
    plan_cache.plan_starts(ITEMS, RETURNS, 120.0, 35, 56)
    assert len(calls) == 3  # all three are kept
