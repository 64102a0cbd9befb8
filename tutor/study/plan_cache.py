"""Planned start days and review paths kept between runs, so a cold `tutor due` does not plan
the deck again.

ARCHITECTURE.md, Daily budget (Start days). A plan is a pure function of its inputs
(`tutor.study.planner.plan_starts`), so it is kept under a hash of exactly those inputs and
of the planner's own code: a restored backup, a merge or another machine simply plans again
and gets the same days. The file is untrusted like any other input: an entry that does not
give each planned item one whole day in the plan's range and one of the paths, or that puts
a day over the budget, is ignored and planned afresh.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tutor.study import planner
from tutor.study.cache_files import read_json, write_json

CACHE_NAME = "plans.json"
FORMAT = "2"  # 2: each item's [start day, path]; 1 held start days alone
MAX_PLANS = 16  # decks, budgets and schedulers kept at once; the oldest goes first


def plan_starts(items: Sequence[planner.NewItem], paths: Sequence[Sequence[int]], budget_s: float,
                last_start: int, last_day: int) -> dict[str, planner.Start]:
    """`planner.plan_starts`, read from the cache when these inputs were planned before."""
    wanted = _key(items, paths, budget_s, last_start, last_day)
    kept = read_json(CACHE_NAME)
    plans: dict[str, Any] = kept.get("plans", {}) if isinstance(kept, dict) and kept.get("format") == FORMAT else {}
    if not isinstance(plans, dict):
        plans = {}
    found: Any = plans.get(wanted)
    if _fits(found, items, paths, budget_s, last_day):
        return {item_id: (day, path) for item_id, (day, path) in found.items()}
    plan = planner.plan_starts(items, paths, budget_s, last_start, last_day)
    plans.pop(wanted, None)
    plans[wanted] = {item_id: list(start) for item_id, start in plan.items()}
    write_json(CACHE_NAME, {"format": FORMAT, "plans": dict(list(plans.items())[-MAX_PLANS:])})
    return plan


def _key(items: Sequence[planner.NewItem], paths: Sequence[Sequence[int]], budget_s: float, last_start: int,
         last_day: int) -> str:
    """Two checksums of the inputs and the planner's code (hashlib's import alone would cost a
    cold `tutor due` 2.6 ms): a kept plan is used only once `_fits` has checked it."""
    planned = [[i.item_id, i.release, i.seconds, i.review_seconds] for i in items]
    data = Path(planner.__file__).read_bytes() + json.dumps(
        [FORMAT, planned, [list(p) for p in paths], budget_s, last_start, last_day]).encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _fits(found: Any, items: Sequence[planner.NewItem], paths: Sequence[Sequence[int]], budget_s: float,
          last_day: int) -> bool:
    """A kept plan is used only if it gives items of these a whole day from the item's release
    to last_day+1 (the planner leaves out an item longer than the budget; it starts on its
    release) and the index of one of `paths`, and keeps every day to `last_day` within
    `budget_s` (as the planner does)."""
    if not isinstance(found, dict):
        return False
    known = {i.item_id: i for i in items}
    load = [0.0] * (last_day + 1)
    for item_id, start in found.items():
        item = known.get(item_id)
        if (item is None or not isinstance(start, list) or len(start) != 2
                or not all(type(n) is int for n in start)):
            return False
        day, path = start
        if not (item.release <= day <= last_day + 1 and 0 <= path < len(paths)):
            return False
        for d, seconds in [(day, item.seconds)] + [(day + o, item.review_seconds) for o in paths[path]]:
            if d <= last_day:
                load[d] += seconds
    return max(load, default=0.0) <= budget_s + planner.EPSILON
