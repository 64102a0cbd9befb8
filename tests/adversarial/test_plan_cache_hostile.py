"""A damaged or forged plan cache is ignored: the deck is planned again, and `tutor due`
gives what it gives with no cache at all. A kept plan gives each item [start day, path]."""

from __future__ import annotations

import json

import pytest

NOW = "2026-03-05T09:00:00"  # deck day 3 of a home first studied on 2 March


def _first_plan(raw: bytes) -> tuple[str, dict]:
    kept = json.loads(raw)
    key = next(iter(kept["plans"]))
    return key, kept["plans"][key]


def _forged(raw: bytes, change) -> bytes:
    key, plan = _first_plan(raw)
    return json.dumps({"format": "2", "plans": {key: change(dict(plan))}}).encode()


@pytest.mark.parametrize("damage", [
    lambda raw: b"\x00\xff not json",
    lambda raw: raw[: len(raw) // 2],
    lambda raw: b"[" * 100_000,
    lambda raw: json.dumps({"format": "2", "plans": [[]] * 3}).encode(),
    lambda raw: _forged(raw, lambda plan: {item: [-5, 0] for item in plan}),
    lambda raw: _forged(raw, lambda plan: {item: [0, 0] for item in plan}),
    lambda raw: _forged(raw, lambda plan: {item: [10**9, 0] for item in plan}),
    lambda raw: _forged(raw, lambda plan: {item: [1.5, 0] for item in plan}),
    lambda raw: _forged(raw, lambda plan: {**plan, "not-an-item": [0, 0]}),
    lambda raw: _forged(raw, lambda plan: {item: [True, 0] for item in plan}),
    lambda raw: _forged(raw, lambda plan: {item: [start[0], 99] for item, start in plan.items()}),
    lambda raw: _forged(raw, lambda plan: {item: [start[0], -1] for item, start in plan.items()}),
    lambda raw: _forged(raw, lambda plan: {item: start[:1] for item, start in plan.items()}),
    lambda raw: _forged(raw, lambda plan: {item: [*start, 0] for item, start in plan.items()}),
    lambda raw: _forged(raw, lambda plan: {item: 35 for item in plan}),
    lambda raw: _forged(raw, lambda plan: {item: [35, 0] for item in plan}),
    lambda raw: json.dumps({"format": "1", "plans": {_first_plan(raw)[0]: {item: start[0] for item, start in
                                                                         _first_plan(raw)[1].items()}}}).encode(),
], ids=["garbage", "truncated", "deep", "wrong-shape", "before-day-0", "before-its-checkpoint", "far-future",
        "fraction", "unknown-item", "booleans", "path-out-of-range", "negative-path", "no-path", "three-numbers",
        "day-alone", "all-on-one-day-over-the-budget", "the-old-format"])
def test_a_damaged_or_forged_plan_cache_changes_nothing(cli, home, damage):
    assert cli("due", "--json", now="2026-03-02T09:00:00").code == 0
    fresh = cli("due", "--json", now=NOW)
    cache = home / "cache" / "plans.json"
    cache.write_bytes(damage(cache.read_bytes()))
    again = cli("due", "--json", now=NOW)
    assert again.code == 0 and again.out == fresh.out and "Traceback" not in again.err


def test_a_cache_that_cannot_be_written_costs_nothing_but_speed(cli, home):
    (home / "cache").mkdir(parents=True, exist_ok=True)
    (home / "cache" / "plans.json").mkdir()  # a folder where the file would go
    result = cli("due", "--json", now=NOW)
    assert result.code == 0 and result.json()["counts"]["new"] > 0 and "Traceback" not in result.err
