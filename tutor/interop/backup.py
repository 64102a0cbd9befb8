"""Full backups as one JSON document, and restoring them without duplicating history.

A backup holds everything a learner made: every review (undo records too), every drill and
derivation attempt with the mistakes it named, every draft, each study day's penalties (failed
checks, hints, giving up, a timed problem's running clock), the lesson sections read, the
settings, and the ids of the content they refer to.
Item states are not in it: they are a fold over the review log and are rebuilt on restore.
A backup file is untrusted input: it is checked whole before anything is written (types,
ids, dates within the calendar a scheduler can use, ratings, numbers, sizes, settings), then
written in one transaction; each problem is one `BackupError` line naming the place in the
file. A backup never carries the `editor` setting: it names a command the app runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tutor import __version__, clock
from tutor.checks import Field, Invalid, check_fields, one_of
from tutor.clock import PINNABLE_YEARS, iso_utc
from tutor.config import SCHEDULERS, ConfigError, Settings, check_setting
from tutor.content.files import UnreadableFile, read_limited
from tutor.content.models import ITEM_ID, KINDS
from tutor.content.schema import SLUG
from tutor.interop.errors import InteropError, write_failure
from tutor.store import Store
from tutor.store.backup import history_rows, instance_id, restore_rows

FORMAT = "tutor-backup"
VERSION = 1
MAX_BYTES = 512 * 1024 * 1024
MAX_TEXT = 2_000_000  # a draft is at most what `tutor drill check` would read
EARLIEST = datetime(PINNABLE_YEARS[0], 1, 1, tzinfo=UTC)
LATEST = datetime(PINNABLE_YEARS[1] + 1, 1, 1, tzinfo=UTC)  # far from the calendar's end, where scheduling overflows
MAX_DAY_SKEW = 2  # a study day is the review's date shifted by the day-start hour and the time zone
MAX_DURATION_MS = 7 * 24 * 3600 * 1000
MAX_COUNT = 1_000_000  # failed checks or hints of one item on one day
NOT_RESTORED = ("editor",)  # a command the app runs: never taken from a file someone handed over


class BackupError(InteropError):
    """A backup that cannot be restored; the message is one line for the learner."""


# -- export ------------------------------------------------------------------------------------


def export_backup(store: Store, library: Any, settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    """The whole learning history of a home as a JSON-ready document (format version 1), checked
    as `import` will check it: a row an edit damaged (a day past the calendar, a time that is
    not one) is one BackupError line naming it, never a backup that cannot be restored."""
    rows = history_rows(store)
    content = [{"id": item.id, "deck": item.deck, "kind": item.kind} for item in library.review_items()]
    document = {
        "format": FORMAT,
        "version": VERSION,
        "tutor_version": __version__,
        "exported_at": iso_utc(now or clock.now()),
        "instance": instance_id(store),
        "settings": {k: v for k, v in settings.to_dict().items() if k not in NOT_RESTORED},
        "content": content,
        **rows,
    }
    try:
        check_backup(document)
    except BackupError as exc:
        raise BackupError(f"{store.path}: a row cannot be backed up ({exc}); nothing was written") from None
    return document


def review_counts(document: Mapping[str, Any]) -> dict[str, int]:
    """A backup's review log counted as `tutor stats` counts reviews: `reviews` are the ratings
    that stand; `undone` ratings were each taken back by one of the `undo_records` (the log keeps
    both, so a backup restores the undo too)."""
    log = document["reviews"]
    undone = {review["undoes"] for review in log if review["undoes"]}
    rated = [review for review in log if review["rating"] is not None]
    given = [review["uid"] for review in rated if not review.get("carried_from")]  # a copy is not a review
    return {"reviews": sum(uid not in undone for uid in given), "undone": len(undone.intersection(given)),
            "undo_records": len(log) - len(rated)}


def write_backup(document: dict[str, Any], out_path: Path) -> None:
    """Write atomically: a crash mid-write never leaves half a backup under the real name."""
    out_path = Path(out_path)
    temporary = out_path.with_name(out_path.name + ".part")
    try:
        with temporary.open("w", encoding="utf-8") as fh:
            fh.write(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())  # a backup is the safety net: on disk before it takes the real name
        temporary.replace(out_path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise write_failure(out_path, exc) from None


# -- reading and checking ----------------------------------------------------------------------


def read_backup(path: Path) -> dict[str, Any]:
    """Load and check a backup file; raises BackupError with one line on any problem."""
    path = Path(path)
    try:  # a FIFO or a device (/dev/zero) would block or never end
        raw = read_limited(path, MAX_BYTES)
    except UnreadableFile as exc:
        raise BackupError(f"{path}: {exc}; not a tutor backup") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BackupError(f"{path}: not a tutor backup (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{path}:{exc.lineno}: not a tutor backup (invalid JSON: {exc.msg})") from None
    except RecursionError:
        raise BackupError(f"{path}: not a tutor backup (nested too deeply)") from None
    try:
        return check_backup(data)
    except BackupError as exc:
        raise BackupError(f"{path}: {exc}") from None


def check_backup(data: Any) -> dict[str, Any]:
    """Check the shape of a parsed backup and normalise its times; raises BackupError."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("not a tutor backup (no \"format\": \"tutor-backup\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BackupError("at version: must be a whole number")
    if version > VERSION:
        raise BackupError(f"written by a newer tutor (backup version {version}, this one reads {VERSION}); "
                          "upgrade tutor")
    if version < 1:
        raise BackupError(f"at version: unknown backup version {version}")
    checked: dict[str, Any] = {"format": FORMAT, "version": version}
    for key in ("reviews", "attempts", "drafts", "content", "mistakes", "item_days", "lesson_reads"):
        if not isinstance(data.get(key, []), list):
            raise BackupError(f"at {key}: must be a list")
    checked["settings"] = _settings(data.get("settings", {}))
    checked["content"] = [_entry(f"content[{n}]", raw, _CONTENT) for n, raw in enumerate(data.get("content", []))]
    reviews = []
    seen: set[str] = set()
    rated: set[str] = set()
    for n, raw in enumerate(data.get("reviews", [])):
        where = f"reviews[{n}]"
        review = _entry(where, raw, _REVIEW)
        skew = abs((date.fromisoformat(review["day"]) - datetime.fromisoformat(review["reviewed_at"]).date()).days)
        if skew > MAX_DAY_SKEW:
            raise BackupError(f"at {where}.day: {review['day']} is not the study day of {review['reviewed_at']}")
        if review["uid"] in seen:
            raise BackupError(f"at {where}.uid: {review['uid']!r} appears twice")
        if (review["rating"] is None) == (review["undoes"] is None):
            raise BackupError(f"at {where}: needs either a rating or the uid it undoes, not both")
        if review["undoes"] is not None and review["undoes"] not in rated:
            raise BackupError(f"at {where}.undoes: {review['undoes']!r} is not an earlier rated review")
        if review["carried_from"] is not None and review["carried_from"] not in rated:
            raise BackupError(f"at {where}.carried_from: {review['carried_from']!r} is not an earlier rated review")
        seen.add(review["uid"])
        if review["rating"] is not None:
            rated.add(review["uid"])
        reviews.append(review)
    checked["reviews"] = reviews
    attempts = [_entry(f"attempts[{n}]", raw, _ATTEMPT) for n, raw in enumerate(data.get("attempts", []))]
    if len({a["uid"] for a in attempts}) != len(attempts):
        raise BackupError("at attempts: an attempt uid appears twice")
    checked["attempts"] = attempts
    drafts = [_entry(f"drafts[{n}]", raw, _DRAFT) for n, raw in enumerate(data.get("drafts", []))]
    if len({d["item_id"] for d in drafts}) != len(drafts):
        raise BackupError("at drafts: two drafts for the same item")
    checked["drafts"] = drafts
    attempt_uids = {a["uid"] for a in attempts}
    mistakes = [_entry(f"mistakes[{n}]", raw, _MISTAKE) for n, raw in enumerate(data.get("mistakes", []))]
    for n, mistake in enumerate(mistakes):
        if mistake["attempt"] is not None and mistake["attempt"] not in attempt_uids:
            raise BackupError(f"at mistakes[{n}].attempt: {mistake['attempt']!r} is not an attempt of this backup")
    checked["mistakes"] = mistakes
    item_days = [_entry(f"item_days[{n}]", raw, _ITEM_DAY) for n, raw in enumerate(data.get("item_days", []))]
    if len({(d["item_id"], d["day"]) for d in item_days}) != len(item_days):
        raise BackupError("at item_days: two records for the same item and day")
    checked["item_days"] = item_days
    reads = [_entry(f"lesson_reads[{n}]", raw, _LESSON_READ) for n, raw in enumerate(data.get("lesson_reads", []))]
    if len({(r["deck"], r["section"]) for r in reads}) != len(reads):
        raise BackupError("at lesson_reads: a section is read twice")
    checked["lesson_reads"] = reads
    return checked


def _settings(v: Any) -> dict[str, Any]:
    """The settings this tutor knows, each checked as config.yaml's would be; never `editor`."""
    if not isinstance(v, dict):
        raise BackupError("at settings: must be a mapping")
    known = set(Settings.__dataclass_fields__) - set(NOT_RESTORED)
    try:
        return {key: check_setting(key, raw, "at settings") for key, raw in v.items() if key in known}
    except ConfigError as exc:
        raise BackupError(str(exc)) from None


def _text(limit: int = 200) -> Callable[[Any], Any]:
    def check(v: Any) -> str:
        if not isinstance(v, str) or not v:
            raise Invalid("must be non-empty text")
        if len(v) > limit:
            raise Invalid(f"longer than {limit} characters")
        if not v.isprintable():
            raise Invalid("holds control characters")
        return v
    return check


def _slug(v: Any) -> str:
    if not isinstance(v, str) or len(v) > 200 or not SLUG.match(v):
        raise Invalid("must be an id (lower-case letters, digits and single dashes)")
    return v


def _item_id(v: Any) -> str:
    """An item id, or a cloze sibling's `CARD/cN` (tutor.content.models.ITEM_ID)."""
    if not isinstance(v, str) or len(v) > 200 or not ITEM_ID.match(v):
        raise Invalid("must be an id (lower-case letters, digits and single dashes; a cloze deletion ends in /cN)")
    return v


def _any_text(v: Any) -> str:
    if not isinstance(v, str):
        raise Invalid("must be text")
    if len(v) > MAX_TEXT:
        raise Invalid(f"longer than {MAX_TEXT} characters")
    return v


_kind = one_of(KINDS)
_scheduler = one_of(SCHEDULERS)


def _instant(v: Any) -> str:
    if not isinstance(v, str):
        raise Invalid("must be an ISO 8601 time")
    try:
        at = datetime.fromisoformat(v)
    except ValueError:
        raise Invalid(f"{v!r} is not an ISO 8601 time") from None
    if at.tzinfo is None:
        raise Invalid(f"{v[:40]!r} has no time zone")
    try:
        in_range = EARLIEST <= at < LATEST
    except OverflowError:  # an offset that pushes the time past the calendar
        in_range = False
    if not in_range:
        raise Invalid(f"{v[:40]!r} is outside {EARLIEST.year}-{LATEST.year - 1}")
    if at > _latest():
        raise Invalid(f"{v[:40]!r} is after now ({iso_utc(clock.now())}): a backup holds what has happened")
    return iso_utc(at)


def _latest() -> datetime:
    """The latest time a backup may hold: now, and MAX_DAY_SKEW days for a clock that ran ahead.
    A later review would start a deck, or date an item's next review, in the future."""
    return clock.now() + timedelta(days=MAX_DAY_SKEW)


def _day(v: Any) -> str:
    try:
        day = date.fromisoformat(v)
    except (TypeError, ValueError):
        raise Invalid(f"{str(v)[:40]!r} is not a date (YYYY-MM-DD)") from None
    if not EARLIEST.date() <= day < LATEST.date():
        raise Invalid(f"{v!r} is outside {EARLIEST.year}-{LATEST.year - 1}")
    if day > _latest().date():
        raise Invalid(f"{v!r} is after today ({clock.now().date()}): a backup holds what has happened")
    return day.isoformat()


def _rating(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 4:
        raise Invalid("must be 1, 2, 3 or 4 (again, hard, good, easy)")
    return v


def _duration(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_DURATION_MS:
        raise Invalid(f"must be a whole number of milliseconds from 0 to {MAX_DURATION_MS}")
    return v


def _count(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_COUNT:
        raise Invalid(f"must be a whole number from 0 to {MAX_COUNT}")
    return v


def _flag(v: Any) -> bool:
    if not isinstance(v, bool):
        raise Invalid("must be true or false")
    return v


def _mapping(v: Any) -> dict:
    """A JSON object the store can keep and give back: finite numbers, at most MAX_TEXT when written."""
    if not isinstance(v, dict):
        raise Invalid("must be a mapping")
    try:
        written = json.dumps(v, allow_nan=False)
    except (ValueError, RecursionError):
        raise Invalid("holds a number that is not finite, or is nested too deeply") from None
    if len(written) > MAX_TEXT:
        raise Invalid(f"larger than {MAX_TEXT} characters")
    return v


def _required(spec: Mapping[str, Callable[[Any], Any]]) -> dict[str, Field]:
    return {key: Field(check, required=True) for key, check in spec.items()}


_CONTENT = _required({"id": _item_id, "deck": _slug, "kind": _kind})
_REVIEW = {**_required({"uid": _text(), "item_id": _item_id, "kind": _kind, "deck": _slug, "reviewed_at": _instant,
                        "day": _day, "scheduler": _scheduler, "detail": _mapping}),
           "rating": Field(_rating), "duration_ms": Field(_duration), "undoes": Field(_text()),
           "carried_from": Field(_text())}  # a copy given to a cloze deletion (`Store._carry_over`)
_ATTEMPT = _required({"uid": _text(), "item_id": _item_id, "kind": _kind, "at": _instant, "status": _text(40),
                      "result": _mapping})
_DRAFT = _required({"item_id": _item_id, "kind": _kind, "text": _any_text, "updated_at": _instant})
_MISTAKE = {**_required({"item_id": _item_id, "mistake": _text(), "at": _instant}), "attempt": Field(_text())}
_ITEM_DAY = {**_required({"item_id": _item_id, "day": _day, "failed_checks": _count, "hints": _count,
                          "gave_up": _flag, "started_at": _instant}),
             "clock_started_at": Field(_instant)}
_LESSON_READ = _required({"deck": _slug, "section": _text(), "first_read_at": _instant, "day": _day})


def _entry(where: str, raw: Any, spec: Mapping[str, Field]) -> dict[str, Any]:
    """One checked entry; keys this tutor does not know are left out (a newer tutor's backup)."""
    if not isinstance(raw, dict):
        raise BackupError(f"at {where}: must be a mapping")
    values, failures = check_fields(raw, spec, allow_unknown=True)
    if failures:
        key, message = failures[0]
        raise BackupError(f"at {where}{'' if key is None else '.' + key}: {message}")
    return values


# -- restore -----------------------------------------------------------------------------------


def import_backup(store: Store, data: Any, *, scheduler_name: str,
                  scheduler_for: Callable[[str], Any]) -> dict[str, Any]:
    """Restore a backup into this home; rows already here are skipped, so it is idempotent.

    `data` is a parsed document (from `read_backup`, or any JSON value: it is checked again);
    nothing is written unless all of it is valid, and the rows and the item states rebuilt from
    the merged log (with `scheduler_for`, e.g. `Study.scheduler_for`, as `tutor doctor
    --rebuild` would) are written in one transaction.
    """
    checked = check_backup(data)
    return restore_rows(store, checked, rebuild=(scheduler_name, scheduler_for))


def restore_settings(data: dict[str, Any], config_path: Path) -> bool:
    """Write the backup's checked settings to `config_path` (the home's config.yaml, as
    `tutor.config.config_file(home)` names it) when there is none; never overwrites.
    The caller removes the file again if the rest of the restore fails."""
    import yaml

    config_path = Path(config_path)
    settings = _settings(data.get("settings") or {})
    if config_path.exists() or not settings:
        return False
    try:
        config_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = config_path.with_name(config_path.name + ".part")
        temporary.write_text(yaml.safe_dump(settings, sort_keys=True, allow_unicode=True), encoding="utf-8")
        temporary.replace(config_path)
    except OSError as exc:
        raise write_failure(config_path, exc) from None
    return True
