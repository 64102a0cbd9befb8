"""Backup rows out and back in (`tutor.interop.backup` is the only user).

A row's identity across homes is its `origin` when it was restored from a backup, else
"<this database's instance>:<row id>"; restoring skips every identity already here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from tutor.store.db import Rebuild, SchedulerFor, Store, _detail, _inserted


def instance_id(store: Store) -> str:
    """The random id of this database (migration 3), the prefix of its rows' identities."""
    return store.meta("instance") or ""


def history_rows(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every review (undo records too), attempt and draft, oldest first, with identities."""
    instance = instance_id(store)

    def uid(row_id: int, origin: str | None) -> str:
        return origin or f"{instance}:{row_id}"

    uids: dict[int, str] = {}
    reviews = []
    for (row_id, item_id, kind, deck, at, day, rating, duration, scheduler, detail, undoes, carried_from,
         origin) in store.con.execute(
            "SELECT id, item_id, kind, deck, reviewed_at, day, rating, duration_ms, scheduler, detail, undoes,"
            " carried_from, origin FROM reviews ORDER BY id"):
        uids[row_id] = uid(row_id, origin)
        reviews.append({"uid": uids[row_id], "item_id": item_id, "kind": kind, "deck": deck,
                        "reviewed_at": at, "day": _day(day), "rating": rating,
                        "duration_ms": duration, "scheduler": scheduler, "detail": _detail(detail),
                        "undoes": uids.get(undoes) if undoes is not None else None,
                        "carried_from": uids.get(carried_from) if carried_from is not None else None})
    attempts = [{"uid": uid(row_id, origin), "item_id": item_id, "kind": kind, "at": at, "status": status,
                 "result": _detail(result)}
                for row_id, item_id, kind, at, status, result, origin in store.con.execute(
                    "SELECT id, item_id, kind, at, status, result, origin FROM attempts ORDER BY id")]
    drafts = [{"item_id": item_id, "kind": kind, "text": text, "updated_at": at}
              for item_id, kind, text, at in store.con.execute(
                  "SELECT item_id, kind, text, updated_at FROM drafts ORDER BY item_id")]
    attempt_uids = dict(store.con.execute(
        f"SELECT id, coalesce(origin, '{instance}:' || id) FROM attempts").fetchall())
    mistakes = [{"item_id": item_id, "mistake": name, "attempt": attempt_uids.get(attempt), "at": at}
                for item_id, name, attempt, at in store.con.execute(
                    "SELECT item_id, mistake, attempt, at FROM mistakes ORDER BY id")]
    item_days = [{"item_id": item_id, "day": _day(day), "failed_checks": failed,
                  "hints": hints, "gave_up": bool(gave_up), "started_at": started, "clock_started_at": clock}
                 for item_id, day, failed, hints, gave_up, started, clock in store.con.execute(
                     "SELECT item_id, day, failed_checks, hints, gave_up, started_at, clock_started_at "
                     "FROM item_days ORDER BY day, item_id")]
    lesson_reads = [{"deck": deck, "section": section, "first_read_at": at, "day": _day(day)}
                    for deck, section, at, day in store.con.execute(
                        "SELECT deck, section, first_read_at, day FROM lesson_reads ORDER BY deck, section")]
    return {"reviews": reviews, "attempts": attempts, "drafts": drafts, "mistakes": mistakes,
            "item_days": item_days, "lesson_reads": lesson_reads}


def _day(ordinal: Any) -> Any:
    """A study day column as a backup writes it; a damaged one as it is, for the backup's own
    check to name (`tutor.interop.backup.export_backup`)."""
    try:
        return date.fromordinal(ordinal).isoformat()
    except (TypeError, ValueError, OverflowError):
        return ordinal


def restore_rows(store: Store, rows: Mapping[str, list[dict[str, Any]]],
                 rebuild: tuple[str, SchedulerFor]) -> dict[str, Any]:
    """Add the rows of a checked backup that this database lacks, in one transaction.

    `rows` has the lists `history_rows` gives (an undo record after the review it undoes;
    a mistake names its attempt's uid). A draft replaces the local one only when it was
    saved later; a study day's record keeps the larger penalties of both homes and a lesson
    its first reading. When reviews were added, item states are rebuilt with `rebuild` =
    (scheduler name, scheduler_for) in the same transaction, so a failure leaves the
    database as it was.
    """
    reviews, attempts, drafts = rows["reviews"], rows["attempts"], rows["drafts"]
    counts = dict.fromkeys(("reviews_added", "reviews_present", "undo_skipped", "attempts_added",
                            "attempts_present", "drafts_added", "drafts_updated", "drafts_kept",
                            "reviews_resequenced", "mistakes_added", "item_days_merged", "lesson_reads_merged"), 0)
    with store.transaction():
        latest_here = store.con.execute("SELECT max(reviewed_at) FROM reviews").fetchone()[0]
        earliest_added: str | None = None
        local: dict[str, int] = {}
        for review in reviews:
            signature = (review["item_id"], review["reviewed_at"], review["rating"])
            found = _row_with_identity(store, "reviews", review["uid"], signature,
                                            "item_id, reviewed_at, rating", local)
            if isinstance(found, int):
                local[review["uid"]] = found
                counts["reviews_present"] += 1
                continue
            undoes = local.get(review["undoes"]) if review["undoes"] else None
            if review["undoes"] and (undoes is None or store.con.execute(
                    "SELECT 1 FROM reviews WHERE undoes = ?", (undoes,)).fetchone()):
                counts["undo_skipped"] += 1  # that review is already undone here
                continue
            cur = store.con.execute(
                "INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, duration_ms, scheduler,"
                " detail, undoes, carried_from, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (review["item_id"], review["kind"], review["deck"], review["reviewed_at"],
                 date.fromisoformat(review["day"]).toordinal(), review["rating"], review["duration_ms"],
                 review["scheduler"], json.dumps(review["detail"], sort_keys=True), undoes,
                 local.get(review.get("carried_from") or ""), found))
            local[review["uid"]] = _inserted(cur)
            counts["reviews_added"] += 1
            earliest_added = min(earliest_added or review["reviewed_at"], review["reviewed_at"])
        if latest_here is not None and earliest_added is not None and earliest_added < latest_here:
            counts["reviews_resequenced"] = _resequence_reviews(store)
        added_attempts: dict[str, int] = {}
        for attempt in attempts:
            signature = (attempt["item_id"], attempt["at"], attempt["status"])
            found = _row_with_identity(store, "attempts", attempt["uid"], signature, "item_id, at, status", {})
            if isinstance(found, int):
                counts["attempts_present"] += 1
                continue
            cur = store.con.execute("INSERT INTO attempts (item_id, kind, at, status, result, origin) "
                                    "VALUES (?, ?, ?, ?, ?, ?)",
                                    (attempt["item_id"], attempt["kind"], attempt["at"], attempt["status"],
                                     json.dumps(attempt["result"], sort_keys=True), found))
            added_attempts[attempt["uid"]] = _inserted(cur)
            counts["attempts_added"] += 1
        counts["mistakes_added"] = _restore_mistakes(store, rows.get("mistakes", []), added_attempts)
        counts["item_days_merged"] = _merge_item_days(store, rows.get("item_days", []))
        counts["lesson_reads_merged"] = _merge_lesson_reads(store, rows.get("lesson_reads", []))
        for draft in drafts:
            row = store.con.execute("SELECT updated_at FROM drafts WHERE item_id = ?",
                                   (draft["item_id"],)).fetchone()
            if row is not None and datetime.fromisoformat(row[0]) >= datetime.fromisoformat(draft["updated_at"]):
                counts["drafts_kept"] += 1
                continue
            store.con.execute(
                "INSERT INTO drafts (item_id, kind, text, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (item_id) "
                "DO UPDATE SET text = excluded.text, kind = excluded.kind, updated_at = excluded.updated_at",
                (draft["item_id"], draft["kind"], draft["text"], draft["updated_at"]))
            counts["drafts_updated" if row else "drafts_added"] += 1
        result = store._rebuild_states(*rebuild) if counts["reviews_added"] else Rebuild(0)
    return {**counts, "items_rebuilt": result.items, "items_not_rebuilt": list(result.skipped)}


def _restore_mistakes(store: Store, mistakes: list[dict[str, Any]], added_attempts: dict[str, int]) -> int:
    """The mistakes of attempts this restore added (an attempt already here has its own);
    one without an attempt is added unless the same mistake at the same time is here."""
    added = 0
    for mistake in mistakes:
        if mistake["attempt"] is not None:
            attempt = added_attempts.get(mistake["attempt"])
            if attempt is None:
                continue
        elif store.con.execute("SELECT 1 FROM mistakes WHERE item_id = ? AND mistake = ? AND at = ?",
                               (mistake["item_id"], mistake["mistake"], mistake["at"])).fetchone():
            continue
        else:
            attempt = None
        store.con.execute("INSERT INTO mistakes (item_id, mistake, attempt, at) VALUES (?, ?, ?, ?)",
                          (mistake["item_id"], mistake["mistake"], attempt, mistake["at"]))
        added += 1
    return added


def _merge_item_days(store: Store, item_days: list[dict[str, Any]]) -> int:
    """Each study day's record merged with the local one: a penalty earned in either home
    stands (the larger count), the day began at the earlier opening, a running clock is kept."""
    for record in item_days:
        store.con.execute(
            "INSERT INTO item_days (item_id, day, failed_checks, hints, gave_up, started_at, clock_started_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id, day) DO UPDATE SET "
            "failed_checks = max(failed_checks, excluded.failed_checks), hints = max(hints, excluded.hints), "
            "gave_up = max(gave_up, excluded.gave_up), started_at = min(started_at, excluded.started_at), "
            "clock_started_at = coalesce(clock_started_at, excluded.clock_started_at)",
            (record["item_id"], date.fromisoformat(record["day"]).toordinal(), record["failed_checks"],
             record["hints"], int(record["gave_up"]), record["started_at"], record["clock_started_at"]))
    return len(item_days)


def _merge_lesson_reads(store: Store, lesson_reads: list[dict[str, Any]]) -> int:
    """Every section read in either home counts as read, from its first reading."""
    for read in lesson_reads:
        store.con.execute(
            "INSERT INTO lesson_reads (deck, section, first_read_at, day) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (deck, section) DO UPDATE SET first_read_at = excluded.first_read_at, day = excluded.day "
            "WHERE excluded.first_read_at < first_read_at",
            (read["deck"], read["section"], read["first_read_at"], date.fromisoformat(read["day"]).toordinal()))
    return len(lesson_reads)


def _resequence_reviews(store: Store) -> int:
    """Renumber the log in time order after a restore interleaved it with local reviews.

    Schedulers fold reviews in id order, so restored reviews older than local ones must
    get ids before them. Every row moves above the old largest id (new rows keep growing
    from there, so no old "<instance>:<id>" identity is ever reused) and a row known by
    its local id keeps that identity in `origin`. Runs inside the restore's transaction.
    """
    instance = instance_id(store)
    store.con.execute("PRAGMA defer_foreign_keys = ON")
    base = store.con.execute("SELECT coalesce(max(id), 0) + 1 FROM reviews").fetchone()[0]
    store.con.execute("UPDATE reviews SET origin = ? || ':' || id WHERE origin IS NULL", (instance,))
    store.con.execute("CREATE TEMP TABLE review_order AS SELECT id AS old, ? + ROW_NUMBER() OVER "
                     "(ORDER BY reviewed_at, id) - 1 AS new FROM reviews", (base,))
    try:
        store.con.execute("UPDATE reviews SET id = (SELECT new FROM review_order WHERE old = reviews.id), "
                         "undoes = (SELECT new FROM review_order WHERE old = reviews.undoes), "
                         "carried_from = (SELECT new FROM review_order WHERE old = reviews.carried_from)")
    finally:
        store.con.execute("DROP TABLE temp.review_order")
    return int(store.con.execute("SELECT count(*) FROM reviews").fetchone()[0])


def _row_with_identity(store: Store, table: str, uid: str, signature: tuple[Any, ...], columns: str,
                       known: dict[str, int]) -> int | str:
    """The local row id that already holds `uid`, else the origin to store it under.

    A copied database shares its instance id with the original, so "<instance>:<id>" is
    trusted only when the row there has the same content; otherwise (a different row, or
    none yet) the row is stored under the identity plus a content suffix, which is the
    same on every restore of that backup and never the identity of a future local row.
    """
    if uid in known:
        return known[uid]
    row = store.con.execute(f"SELECT id FROM {table} WHERE origin = ?", (uid,)).fetchone()
    if row:
        return int(row[0])
    prefix, _, number = uid.rpartition(":")
    if prefix == instance_id(store) and number.isdigit():
        here = store.con.execute(f"SELECT {columns} FROM {table} WHERE id = ? AND origin IS NULL",
                                (int(number),)).fetchone()
        if here is not None and tuple(here) == signature:
            return int(number)
        # Never store a bare "<this instance>:<id>": a later local row would get that id.
        import hashlib  # only when restoring; its import would slow every command

        digest = hashlib.blake2b(json.dumps(signature).encode(), digest_size=6).hexdigest()
        uid = f"{uid}~{digest}"
        row = store.con.execute(f"SELECT id FROM {table} WHERE origin = ?", (uid,)).fetchone()
        if row:
            return int(row[0])
    return uid
