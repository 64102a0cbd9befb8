"""Statistics from the review log: activity, true retention, forecast, streak, leeches, variants.

True retention follows Anki: only an item's first review of a day counts, an item's very
first review (learning it) does not, Again is a failure and Hard/Good/Easy are passes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tutor.schedule import LEECH_LAPSES
from tutor.store import Store


def reviews_per_day(store: Store, today: date, days: int = 30) -> dict[str, int]:
    since = today - timedelta(days=days - 1)
    counts = store.reviews_by_day(since)
    return {(since + timedelta(days=i)).isoformat(): counts.get(since + timedelta(days=i), 0) for i in range(days)}


def retention(store: Store, today: date, days: int | None = None) -> dict[str, Any]:
    since = today - timedelta(days=days - 1) if days else date.min
    total, passed = store.recall_counts(since)
    return {"reviews": total, "passed": passed, "rate": round(passed / total, 4) if total else None}


RETENTION_NOT_YET = "none yet: it counts the items you see again on a later day"
"""What the app and `tutor stats` say before any item came back on a later day: a first review
is learning, not recall, so there is no rate yet even with reviews in the log."""


def forecast(store: Store, today: date, days: int = 30) -> dict[str, int]:
    counts = store.due_counts(today, today + timedelta(days=days - 1))
    return {(today + timedelta(days=i)).isoformat(): counts.get(today + timedelta(days=i), 0) for i in range(days)}


def streak(store: Store, today: date) -> int:
    """Days in a row with at least one review, ending today (or yesterday, if today is not yet
    done); a probe a day, so it costs the streak's length, not the log's."""
    day = today if store.reviewed_on(today) else today - timedelta(days=1)
    count = 0
    while day > date.min and store.reviewed_on(day):
        count += 1
        day -= timedelta(days=1)
    return count


def leeches(store: Store) -> list[dict[str, Any]]:
    return [{"id": i, "deck": d, "kind": k, "lapses": n} for i, d, k, n in store.leeches(LEECH_LAPSES)]


def mistakes(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """The named mistakes made, per item, most frequent first (`tutor.study.mistakes`)."""
    return [{"id": name, "item": item_id, "count": count, "last": last}
            for name, item_id, count, last in store.mistake_counts(limit)]


def variants(store: Store) -> list[dict[str, Any]]:
    """Per variant item (`tutor.study.variants`): how many different variants were answered, and
    the share answered right (rated above Again)."""
    return [{"id": item_id, "variants": different, "answers": answers, "right": round(right / answers, 4)}
            for item_id, different, answers, right in store.variant_counts()]


def variant_text(entry: dict[str, Any]) -> str:
    """One variant item's line: `3 variants, 75% right of 4`."""
    plural = "s" if entry["variants"] != 1 else ""
    return f"{entry['variants']} variant{plural}, {entry['right']:.0%} right of {entry['answers']}"


def summary(store: Store, today: date) -> dict[str, Any]:
    reviews, items = store.review_totals()
    return {
        "today": today.isoformat(),
        "reviews": reviews,
        "items_studied": items,
        "reviews_per_day": reviews_per_day(store, today),
        "retention_30d": retention(store, today, 30),
        "retention_all": retention(store, today),
        "forecast": forecast(store, today),
        "streak": streak(store, today),
        "leeches": leeches(store),
        "mistakes": mistakes(store),
        "variants": variants(store),
    }
