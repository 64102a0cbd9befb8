"""Statistics from the review log: activity, true retention, forecast, streak, leeches.

True retention follows Anki: only an item's first review of a day counts, an item's very
first review (learning it) does not, Again is a failure and Hard/Good/Easy are passes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tutor.schedule import LEECH_LAPSES
from tutor.store import Store

_LIVE = "rating IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reviews u WHERE u.undoes = r.id)"


def reviews_per_day(store: Store, today: date, days: int = 30) -> dict[str, int]:
    since = (today - timedelta(days=days - 1)).toordinal()
    counts = dict(store.con.execute(
        f"SELECT day, count(*) FROM reviews r WHERE day >= ? AND {_LIVE} GROUP BY day", (since,)))
    return {date.fromordinal(since + i).isoformat(): counts.get(since + i, 0) for i in range(days)}


def retention(store: Store, today: date, days: int | None = None) -> dict[str, Any]:
    since = (today - timedelta(days=days - 1)).toordinal() if days else 0
    row = store.con.execute(
        f"""
        WITH live AS (
            SELECT item_id, day, rating, id,
                   ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY id) AS nth,
                   ROW_NUMBER() OVER (PARTITION BY item_id, day ORDER BY id) AS nth_today
            FROM reviews r WHERE {_LIVE}
        )
        SELECT count(*), coalesce(sum(rating > 1), 0) FROM live
        WHERE nth > 1 AND nth_today = 1 AND day >= ?
        """, (since,)).fetchone()
    total, passed = row
    return {"reviews": total, "passed": passed, "rate": round(passed / total, 4) if total else None}


def forecast(store: Store, today: date, days: int = 30) -> dict[str, int]:
    end = today.toordinal() + days - 1
    counts = dict(store.con.execute(
        "SELECT max(due_day, ?), count(*) FROM item_state WHERE due_day <= ? GROUP BY max(due_day, ?)",
        (today.toordinal(), end, today.toordinal())))
    return {date.fromordinal(today.toordinal() + i).isoformat(): counts.get(today.toordinal() + i, 0)
            for i in range(days)}


def streak(store: Store, today: date) -> int:
    """Days in a row with at least one review, ending today (or yesterday, if today is not yet done)."""
    days = {d for (d,) in store.con.execute(
        f"SELECT DISTINCT day FROM reviews r WHERE day <= ? AND {_LIVE}", (today.toordinal(),))}
    day = today.toordinal() if today.toordinal() in days else today.toordinal() - 1
    count = 0
    while day in days:
        count += 1
        day -= 1
    return count


def leeches(store: Store) -> list[dict[str, Any]]:
    rows = store.con.execute("SELECT item_id, deck, kind, lapses FROM item_state WHERE lapses >= ? "
                             "ORDER BY lapses DESC, item_id", (LEECH_LAPSES,))
    return [{"id": i, "deck": d, "kind": k, "lapses": n} for i, d, k, n in rows]


def summary(store: Store, today: date) -> dict[str, Any]:
    totals = store.con.execute(f"SELECT count(*), count(DISTINCT item_id) FROM reviews r WHERE {_LIVE}").fetchone()
    return {
        "today": today.isoformat(),
        "reviews": totals[0],
        "items_studied": totals[1],
        "reviews_per_day": reviews_per_day(store, today),
        "retention_30d": retention(store, today, 30),
        "retention_all": retention(store, today),
        "forecast": forecast(store, today),
        "streak": streak(store, today),
        "leeches": leeches(store),
    }
