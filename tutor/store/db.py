"""The SQLite store: an append-only review log plus the state, attempts and drafts around it.

The file may be damaged, truncated, foreign or written by a newer tutor; each case is one
clear `StoreError` and the file is never written to until it has passed a read-only look, nor
by the closing of a store that SQLite failed on (`_close_untouched`).
Each review is its own transaction, on disk (WAL, synchronous=FULL) before the call returns.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from tutor.clock import PINNABLE_YEARS, iso_utc
from tutor.errors import TutorError
from tutor.schedule import ItemState, Rating, Review, Scheduler, balance_tolerance
from tutor.store.migrations import LATEST, MIGRATIONS

SchedulerFor = Callable[[str], Scheduler]  # deck id -> the scheduler its items follow

HEADER = b"SQLite format 3\x00"
WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")  # a WAL file's first bytes (two checksum byte orders)
DB_NAME = "tutor.db"
SCHEMA_KEY = "schema"  # `schema_digest` of the migrations the file has run
DUE_BY = "due_by"  # a review's detail key: the latest day its next review may fall on
MOVED_TO = "moved_to"  # a review's detail key: the later, lighter day the load balancer gave its next review
# What a learner does with a file SQLite cannot read whole: tutor keeps no copy of its own, the
# learner's backups are `tutor export --format json` files, and `tutor import` restores one.
RESTORE = "move it aside and restore a backup (`tutor import` of a `tutor export --format json` file)"
DayRule = Callable[[ItemState], date | None]  # the new state -> a day for its next review, or None


class StoreError(TutorError):
    """The database cannot be used; the message is one line for the learner."""


class Rebuild(NamedTuple):
    """What rebuilding the states did: items rebuilt, and one line per item that could not be."""

    items: int
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoggedReview:
    id: int
    item_id: str
    kind: str
    deck: str
    reviewed_at: datetime
    day: date
    rating: Rating
    duration_ms: int | None
    scheduler: str
    detail: dict[str, Any]

    def as_review(self) -> Review:
        return Review(self.item_id, self.reviewed_at, self.day, self.rating)


@dataclass(frozen=True)
class FittedParameters:
    """FSRS parameters `tutor optimize` fitted, with when and on how many reviews."""

    id: int
    deck: str | None
    parameters: tuple[float, ...]
    fitted_at: str
    reviews: int
    evaluation: dict[str, Any]


@dataclass(frozen=True)
class ItemDay:
    """What one item cost on one study day, whichever screens were left in between."""

    failed_checks: int = 0
    hints: int = 0
    gave_up: bool = False
    started_at: datetime | None = None  # first opened that day
    clock_started_at: datetime | None = None  # a timed problem's running attempt began


@dataclass(frozen=True)
class CatalogItem:
    id: str
    deck: str
    kind: str
    title: str
    plan_day: int
    planned: bool
    position: int
    target_min: float | None = None  # a problem's, drill's or derivation's expected minutes


@dataclass(frozen=True)
class CatalogLesson:
    deck: str
    id: str
    title: str
    day: int
    position: int  # 0-based reading order; the learner sees "part position + 1"


@dataclass(frozen=True)
class CatalogDeck:
    id: str
    title: str
    ladder: tuple[int, ...]
    plan: tuple[dict[str, Any], ...]  # {"day", "goal", "items"}
    position: int


def _inspect(path: Path) -> None:
    """Refuse a file that is not a healthy tutor database, without writing to it."""
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(HEADER):
        raise StoreError(f"{path}: not a tutor database (not an SQLite file); move it aside or use --home")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open database: {exc}") from None
    try:
        con.execute("BEGIN")  # one snapshot: another process may commit its migrations between two reads
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:  # SQLite refuses a file shorter than its header says: which it is, if so
            _refuse_truncated(con, path)
            raise
        _refuse_truncated(con, path)
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > LATEST:
            raise StoreError(f"{path}: written by a newer tutor (schema {version}, this one knows {LATEST}); "
                             "upgrade tutor")
        if tables and ("meta" not in tables or
                       con.execute("SELECT value FROM meta WHERE key = 'app'").fetchone() != ("tutor",)):
            raise StoreError(f"{path}: an SQLite file, but not a tutor database; move it aside or use --home")
        if tables:  # no walk over the rows: damage is refused where a read meets it (`_failure`)
            _check_migrations(con, version, path)
            _refuse_code_of_others(con, version, path)
    except sqlite3.DatabaseError as exc:
        raise _failure(path, exc, "read it") from None
    finally:
        con.close()


def _refuse_truncated(con: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that lacks pages of the database it holds: a page past the file's end
    that the WAL does not hold either. Judged inside `con`'s read transaction, against the page
    count SQLite reads for it (with pages in the WAL, its latest commit's; else the header's). A
    checkpoint copies the WAL's pages into the file in page order, the header page (with the
    new page count) first, so while it runs the file is shorter than its header says (a second
    `tutor` opening the home as the first closes): the pages it still lacks are in the WAL,
    where the read transaction keeps them (no writer restarts the WAL under a reader), and the
    file only grows meanwhile."""
    with path.open("rb") as fh:
        head = fh.read(100)
        size = os.fstat(fh.fileno()).st_size
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big") if head[24:28] == head[92:96] else 0
    try:
        wal_size = os.stat(f"{path}-wal").st_size
    except FileNotFoundError:
        wal_size = 0
    if wal_size:
        with suppress(sqlite3.DatabaseError):  # a file SQLite cannot count: the header's count, the WAL's pages
            pages = con.execute("PRAGMA page_count").fetchone()[0]
    if size >= pages * page_size:
        return
    whole = size // page_size
    if wal_size and set(range(whole + 1, pages + 1)) <= _pages_in_wal(Path(f"{path}-wal"), page_size, whole):
        return
    raise StoreError(f"{path}: database file is truncated ({size} of {pages * page_size} bytes); "
                     f"{RESTORE}")


def _pages_in_wal(wal: Path, page_size: int, above: int) -> set[int]:
    """The numbers above `above` of the pages the WAL's frames hold (frames of its current
    salt; checksums unchecked, so a torn frame counts: the doubt goes to the file, and SQLite's
    own reads judge it). Reads each frame's 24-byte header only."""
    found: set[int] = set()
    with wal.open("rb") as fh:
        head = fh.read(32)
        if len(head) < 32 or head[:4] not in WAL_MAGIC or int.from_bytes(head[8:12], "big") != page_size:
            return found
        salts = head[16:24]
        frame = 24 + page_size
        for offset in range(32, os.fstat(fh.fileno()).st_size - frame + 1, frame):
            fh.seek(offset)
            header = fh.read(24)
            page = int.from_bytes(header[:4], "big")
            if header[8:16] == salts and page > above:
                found.add(page)
    return found


def _check_migrations(con: sqlite3.Connection, version: int, path: Path) -> None:
    """Refuse a file made by another version of tutor, whose migrations were numbered otherwise
    (a diverged build), before anything is written: its digest of the migrations it ran differs
    from these (files from before the digest have none), or the ones it lacks fail on a copy
    in memory (an upgrade only)."""
    kept = con.execute("SELECT value FROM meta WHERE key = ?", (SCHEMA_KEY,)).fetchone()
    if kept is not None and kept[0] != schema_digest(version):
        raise _another_version(path, version, "its migrations differ from this tutor's")
    if version < LATEST:
        trial = sqlite3.connect(":memory:")
        try:
            con.backup(trial)
            _run_migrations(trial, version, path)
        finally:
            trial.close()


def _refuse_code_of_others(con: sqlite3.Connection, version: int, path: Path) -> None:
    """Refuse a file holding a trigger or a view that tutor's migrations did not make: it would run
    inside tutor's own reads and writes (deleting saved reviews, or looping without end)."""
    ours = _code_of_migrations(version)
    for kind, name, sql in con.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"):
        if " ".join((sql or "").split()) not in ours:
            raise StoreError(f"{path}: holds a {kind} {name!r} that tutor did not make (it would run inside tutor's "
                             "reads and writes); nothing was changed: move the file aside or use another --home")


@lru_cache(maxsize=4)
def _code_of_migrations(version: int) -> frozenset[str]:
    """The CREATE TRIGGER and CREATE VIEW statements of the first `version` migrations, spaces
    normalised: SQLite keeps each one's text as written, which is what the file must hold."""
    statements = (" ".join(statement.rstrip(";").split()) for script in MIGRATIONS[:version]
                  for statement in _statements(script))
    return frozenset(s for s in statements if s.upper().startswith(("CREATE TRIGGER", "CREATE VIEW")))


def _run_migrations(con: sqlite3.Connection, version: int, path: Path) -> None:
    for number in range(version, LATEST):
        for statement in _statements(MIGRATIONS[number]):
            try:
                con.execute(statement)
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorname != "SQLITE_ERROR":  # a full disk, a lock: said as such
                    raise
                raise _another_version(path, version, f"migration {number + 1}: {exc}") from None


def _another_version(path: Path, version: int, why: str) -> StoreError:
    return StoreError(f"{path}: was made by another version of tutor (schema {version}; {why}); "
                      "nothing was changed: open it with the tutor that made it, or use another --home")


class Store:
    def __init__(self, con: sqlite3.Connection, path: Path):
        self.con = con
        self.path = path
        self._writes = 0  # transactions this connection ran (`version`)
        self._pages_checked = False  # `_refuse_damage` found the file whole
        self._refused = False  # SQLite failed on the file: closing leaves it as it was (`_close_untouched`)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, home: Path) -> "Store":
        path = home / DB_NAME
        try:
            if path.exists():
                _inspect(path)
            elif home.exists() and not home.is_dir():
                raise StoreError(f"{home}: the data dir is not a folder; choose another with --home or TUTOR_HOME")
            else:
                home.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(path, isolation_level=None, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise _failure(path, exc, "open it") from None
        store = cls(con, path)
        try:
            store._use_wal()
            con.execute("PRAGMA synchronous = FULL")
            con.execute("PRAGMA foreign_keys = ON")
            store._migrate()
        except (StoreError, sqlite3.DatabaseError) as exc:
            _close_untouched(con, path)
            raise exc if isinstance(exc, StoreError) else _failure(path, exc, "open it") from None
        return store

    @classmethod
    def open_reader(cls, path: Path) -> "Store":
        """Another, read-only connection to the store at `path` (opened already), for a worker
        thread: an SQLite connection belongs to the thread that opened it."""
        try:
            con = sqlite3.connect(path, isolation_level=None, timeout=10)
            con.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            raise _failure(path, exc, "open it") from None
        return cls(con, path)

    def _use_wal(self, patience_s: float = 10.0) -> None:
        """Switch a new file to WAL. The switch needs the file to itself and SQLite's busy
        timeout does not cover it, so a second process creating the same home waits here."""
        import time

        deadline = time.monotonic() + patience_s
        while True:
            try:
                if self.con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self._refuse_damage()
                    self.con.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        """Run the missing migrations; the version is read inside the write lock, so two
        processes opening a new home at once never run the same migration twice."""
        if self.con.execute("PRAGMA user_version").fetchone()[0] >= LATEST:
            return
        with self.transaction(before_reads=True):
            version = self.con.execute("PRAGMA user_version").fetchone()[0]
            _run_migrations(self.con, version, self.path)
            self.con.execute(f"PRAGMA user_version = {max(version, LATEST)}")
            self.set_meta(SCHEMA_KEY, schema_digest(max(version, LATEST)))

    def close(self) -> None:
        if self._refused:
            _close_untouched(self.con, self.path)
        else:
            self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, kind: object, exc: BaseException | None, trace: object) -> None:
        self.close_after(exc)

    def close_after(self, exc: BaseException | None) -> None:
        """Close at the end of the work that raised `exc` (None: it ended well). An error SQLite
        raised outside a transaction (a read meeting a damaged page) becomes the one line
        `_failure` gives, after the file is closed untouched (`_close_untouched`)."""
        failed = exc if isinstance(exc, sqlite3.DatabaseError) else None
        self._refused = self._refused or failed is not None
        self.close()
        if failed is not None:
            raise _failure(self.path, failed, "read it") from None

    def _refuse_damage(self) -> None:
        """Refuse a file with damaged pages before the writes a command makes before reading
        (migrations, the catalog, the renames, a rebuild of the states): a later read would call
        the file damaged after it was written to. `PRAGMA quick_check` walks every page once per
        connection (1,000,000 reviews: 0.6 s), paid only when such a write is due; a rating's
        own write comes after the reads that would meet the damage."""
        if self._pages_checked:
            return
        try:
            problems = [row[0] for row in self.con.execute("PRAGMA quick_check(1)")]
        except sqlite3.DatabaseError as exc:
            self._refused = True
            raise _failure(self.path, exc, "read it") from None
        if problems != ["ok"]:
            self._refused = True
            first = " ".join(str(problems[0]).replace("*** in database main ***", "").split())
            raise StoreError(f"{self.path}: database is damaged ({first[:120]}); "
                             f"run `tutor doctor`, or {RESTORE}")
        self._pages_checked = True

    @contextmanager
    def transaction(self, *, before_reads: bool = False) -> Iterator[sqlite3.Connection]:
        """One write; a failure of SQLite itself (read-only or full disk, no permission, busy)
        becomes a StoreError saying so, after everything the transaction did is rolled back.
        `before_reads`: a write made before the command read the file, which a damaged file
        refuses first (`_refuse_damage`)."""
        if before_reads:
            self._refuse_damage()
        try:
            self.con.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            self._refused = True
            raise _failure(self.path, exc, "write to it") from None
        try:
            yield self.con
            self.con.execute("COMMIT")
        except BaseException as exc:
            if self.con.in_transaction:
                with suppress(sqlite3.Error):  # the error below says what went wrong
                    self.con.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):
                self._refused = True
                raise _failure(self.path, exc, "write to it") from None
            raise
        finally:  # committed or not (`version`)
            self._writes += 1

    def version(self) -> tuple[int, int]:
        """(transactions this connection ran, SQLite's `data_version`: other connections'
        commits). Changes when anything is written, here or by another process: what a reader
        caching a result keeps it with, and compares before reusing it (ARCHITECTURE.md, A
        review). A transaction counts once it is over: what it read inside is kept with the
        version before it, so it is dropped after."""
        return self._writes, int(self.con.execute("PRAGMA data_version").fetchone()[0])

    # -- meta ----------------------------------------------------------------------------

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # -- reviews and state ---------------------------------------------------------------

    def record_review(self, *, item_id: str, kind: str, deck: str, at: datetime, day: date, rating: Rating,
                      scheduler: Scheduler, duration_ms: int | None = None,
                      detail: dict[str, Any] | None = None,
                      due_by: DayRule | None = None, move_to: DayRule | None = None) -> tuple[int, ItemState]:
        """Append one review and update the item's state, in one durable transaction. `due_by`
        (given the new state) may bring the next review forward to a day at the latest; if it
        does not, `move_to` may put it on a later day within `balance_tolerance`. The day is
        logged with the review, so a replay of the log keeps it (`_adjusted`)."""
        with self.transaction():
            state = scheduler.apply(self._current_state(item_id, scheduler), Review(item_id, at, day, rating))
            latest = due_by(state) if due_by else None
            later = move_to(state) if move_to and latest is None else None
            marks = {key: when.isoformat() for key, when in ((DUE_BY, latest), (MOVED_TO, later)) if when}
            if marks:
                detail = {**(detail or {}), **marks}
                state = _adjusted(state, detail)
            cur = self.con.execute(
                "INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, duration_ms, scheduler, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item_id, kind, deck, iso_utc(at), day.toordinal(), rating, duration_ms, scheduler.name,
                 json.dumps(detail or {}, sort_keys=True)))
            self._put_state(item_id, deck, kind, state)
        return _inserted(cur), state

    def undo_last(self, scheduler_for: SchedulerFor, at: datetime) -> LoggedReview | None:
        """Cancel the latest live review the learner made by appending a compensating record,
        and its copies carried over to cloze siblings (`carry_over`) with it; history is kept."""
        with self.transaction():
            row = self.con.execute(f"SELECT {_REVIEW_COLUMNS} FROM reviews r WHERE {_LIVE} "
                                   "AND carried_from IS NULL ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            undone = _logged(row)
            copies = self.con.execute(f"SELECT {_REVIEW_COLUMNS} FROM reviews r WHERE {_LIVE} AND carried_from = ?",
                                      (undone.id,)).fetchall()
            for review in [undone, *map(_logged, copies)]:
                self.con.execute(
                    "INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, scheduler, undoes) "
                    "VALUES (?, ?, ?, ?, ?, NULL, ?, ?)",
                    (review.item_id, review.kind, review.deck, iso_utc(at), review.day.toordinal(),
                     scheduler_for(review.deck).name, review.id))
                self._refold(review.item_id, review.deck, review.kind, scheduler_for(review.deck))
        return undone

    def _carry_over(self, card_siblings: dict[str, tuple[str, ...]]) -> int:
        """Give each sibling of a multi-deletion cloze card (`CARD/c1`, `CARD/c2`) the card's
        live reviews and state, when none of the card's siblings has a review yet: a card that
        was studied before it had several deletions keeps its schedule in each. Runs inside the
        catalog's transaction (`replace_catalog`); returns how many siblings got a history.
        The copies fold to the card's state (same reviews, same scheduler), so the state row is
        copied too."""
        reviewed = _reviewed(self.con, [*card_siblings, *(s for ids in card_siblings.values() for s in ids)])
        carried = 0
        for card, siblings in card_siblings.items():
            if card not in reviewed or reviewed.intersection(siblings):
                continue
            for sibling in siblings:
                self.con.execute(
                    "INSERT INTO reviews (item_id, kind, deck, reviewed_at, day, rating, duration_ms, scheduler,"
                    " detail, carried_from) SELECT ?, kind, deck, reviewed_at, day, rating, duration_ms, scheduler,"
                    f" detail, id FROM reviews r WHERE {_LIVE} AND r.item_id = ? ORDER BY r.id", (sibling, card))
                self.con.execute(f"INSERT OR REPLACE INTO item_state ({_STATE_COLUMNS}) SELECT ?, deck, kind, "
                                 "scheduler, due_day, first_day, reps, lapses, state, last_day FROM item_state "
                                 "WHERE item_id = ?", (sibling, card))
                carried += 1
        return carried

    def live_reviews(self, item_id: str | None = None) -> list[LoggedReview]:
        """Reviews that count (not undone, not undo records, not a second copy of one), oldest first."""
        where = f"AND {_OF_ITEM}" if item_id else ""
        rows = self.con.execute(f"SELECT {_REVIEW_COLUMNS} FROM reviews r WHERE {_COUNTED} {where} ORDER BY r.id",
                                (item_id, item_id) if item_id else ())
        return [_logged(r) for r in rows]

    def variant_counts(self) -> list[tuple[str, int, int, int]]:
        """Per variant item: the different variants answered, the answers, and the right ones
        (rated above Again); a review keeps its variant in its detail."""
        return self.con.execute(
            "SELECT r.item_id, COUNT(DISTINCT json_extract(r.detail, '$.variant.params')), COUNT(*), "
            f"SUM(r.rating > 1) FROM reviews r WHERE {_LIVE} AND {_GIVEN} AND json_valid(r.detail) "
            "AND json_extract(r.detail, '$.variant.params') IS NOT NULL GROUP BY r.item_id ORDER BY r.item_id"
        ).fetchall()

    def state(self, item_id: str) -> ItemState | None:
        row = self.con.execute("SELECT state FROM item_state WHERE item_id = ?", (item_id,)).fetchone()
        return self._loaded_state(item_id, row[0]) if row else None

    def _loaded_state(self, item_id: str, text: Any) -> ItemState:
        """A state row as saved; StoreError naming the item when an edit left it unusable
        (`decoded_state` says where). The log still holds the truth: the message says how to
        rebuild from it."""
        try:
            return decoded_state(text)
        except DamagedState as exc:
            raise self._damaged_state(item_id, exc) from None

    def _damaged_state(self, item_id: str, damage: "DamagedState") -> StoreError:
        """The one message of a damaged state, whichever command met it."""
        return StoreError(f"{self.path}: the saved state of {item_id!r} is damaged {damage}; "
                          "`tutor doctor --rebuild` rebuilds it from the review log; nothing saved is lost")

    def _day(self, ordinal: Any) -> date:
        """A day column of item_state as a date; StoreError naming the item and the column when
        an edit left one unusable."""
        if not isinstance(ordinal, int) or not FIRST_DAY <= ordinal <= LAST_DAY:
            found = self.con.execute("SELECT item_id, CASE ? WHEN due_day THEN 'due_day' WHEN first_day THEN "
                                     "'first_day' ELSE 'last_day' END FROM item_state "
                                     "WHERE ? IN (due_day, first_day, last_day)", (ordinal, ordinal)).fetchone()
            item, column = found or ("an item", None)
            raise self._damaged_state(item, DamagedState(f"{_shown(ordinal)} is not a day", column))
        return date.fromordinal(ordinal)

    def damaged_states(self) -> list[str]:
        """One line per state row that cannot be used (for `tutor doctor`; reads every row)."""
        found = []
        for item_id, due_day, first_day, last_day, text in self.con.execute(
                "SELECT item_id, due_day, first_day, last_day, state FROM item_state ORDER BY item_id"):
            try:
                state = self._loaded_state(item_id, text)
                for column, saved, day in (("due_day", due_day, state.due), ("first_day", first_day, state.first_day),
                                           ("last_day", last_day, state.last_day)):
                    if saved != day.toordinal():
                        raise self._damaged_state(item_id, DamagedState(
                            f"{_shown(saved)} is not the state's {day.isoformat()}", column))
            except StoreError as exc:
                found.append(str(exc).removeprefix(f"{self.path}: "))
        return found

    def _current_state(self, item_id: str, scheduler: Scheduler) -> ItemState | None:
        state = self.state(item_id)
        if state is not None and state.scheduler != scheduler.name:
            return _fold_logged(scheduler, ((r.as_review(), r.detail) for r in self.live_reviews(item_id)))
        return state

    def _put_state(self, item_id: str, deck: str, kind: str, state: ItemState | None) -> None:
        if state is None:
            self.con.execute("DELETE FROM item_state WHERE item_id = ?", (item_id,))
            return
        self.con.execute(f"INSERT OR REPLACE INTO item_state ({_STATE_COLUMNS}) VALUES ({_STATE_VALUES})",
                         _state_row(item_id, deck, kind, state))

    def _refold(self, item_id: str, deck: str, kind: str, scheduler: Scheduler) -> ItemState | None:
        state = _fold_logged(scheduler, ((r.as_review(), r.detail) for r in self.live_reviews(item_id)))
        self._put_state(item_id, deck, kind, state)
        return state

    def rebuild_states(self, key: str, scheduler_for: SchedulerFor, *, skip_unusable: bool = False) -> Rebuild:
        """Recompute every item's state from the log (doctor --rebuild, scheduler switch);
        `key` names what they were folded with (`Study.schedule_key`). A row no scheduler can
        fold raises StoreError naming it and changes nothing, unless `skip_unusable` (the
        doctor): then only that item keeps its old state and is named in the result."""
        with self.transaction(before_reads=True):
            rebuilt = self._rebuild_states(key, scheduler_for)
            if rebuilt.skipped and not skip_unusable:
                raise StoreError(f"{rebuilt.skipped[0].rpartition(';')[0]}; run `tutor doctor --rebuild`")
        return rebuilt

    def _rebuild_states(self, key: str, scheduler_for: SchedulerFor) -> Rebuild:
        """The rebuild, inside the caller's transaction. A row no tutor could have written (a
        date past the calendar's end, a time that does not parse, a rating out of range) costs
        only its item: that item keeps the state it had and is named in `Rebuild.skipped`."""
        by_item: dict[str, tuple[str, str, list[tuple[Any, ...]]]] = {}
        for row in self.con.execute(f"SELECT r.id, {_CURRENT_ID}, r.kind, r.deck, r.reviewed_at, r.day, r.rating, "
                                    f"r.detail FROM reviews r WHERE {_COUNTED} ORDER BY r.id"):
            rows = by_item[row[1]][2] if row[1] in by_item else []
            by_item[row[1]] = (row[3], row[2], rows)  # an item's last review names its deck and kind
            rows.append(row)
        states, skipped = [], []
        for item_id, (deck, kind, rows) in by_item.items():
            try:
                reviews = [(Review(item_id, *_checked(r[0], item_id, r[4], r[5], r[6])), _detail(r[7])) for r in rows]
                states.append(_state_row(item_id, deck, kind, _fold_logged(scheduler_for(deck), reviews)))
            except (StoreError, ValueError, OverflowError) as exc:
                skipped.append((item_id, f"{item_id}: {_unusable_review(item_id, rows, exc)}; "
                                         "its schedule was left as it was"))
        kept = [item_id for item_id, _ in skipped]
        self.con.execute(f"DELETE FROM item_state WHERE item_id NOT IN ({', '.join('?' * len(kept))})", kept)
        self.con.executemany(f"INSERT INTO item_state ({_STATE_COLUMNS}) VALUES ({_STATE_VALUES})", states)
        self.set_meta("scheduler", key)
        return Rebuild(len(states), tuple(line for _, line in skipped))

    def ensure_scheduler(self, key: str, scheduler_for: SchedulerFor) -> bool:
        """Replay history if the states were folded with something else than `key`."""
        current = self.meta("scheduler")
        if current == key:
            return False
        has_states = self.con.execute("SELECT 1 FROM item_state LIMIT 1").fetchone()
        if current is None and not has_states:
            with self.transaction(before_reads=True):
                self.set_meta("scheduler", key)
            return False
        self.rebuild_states(key, scheduler_for)
        return True

    def set_renames(self, renames: Mapping[str, str]) -> bool:
        """Record which ids the content merged into which (old id -> the id that replaced it).
        When that changes, the states are marked stale, so `ensure_scheduler` refolds every
        item from the log with the reviews of its old ids counted; the log is not touched."""
        current = dict(self.con.execute("SELECT old_id, new_id FROM item_renames").fetchall())
        if current == dict(renames):
            return False
        with self.transaction(before_reads=True):
            self.con.execute("DELETE FROM item_renames")
            self.con.executemany("INSERT INTO item_renames (old_id, new_id) VALUES (?, ?)", sorted(renames.items()))
            self.con.execute("DELETE FROM meta WHERE key = 'scheduler'")
        return True

    # -- FSRS parameters -----------------------------------------------------------------

    def rated_log(self, deck: str | None = None) -> list[tuple[Any, ...]]:
        """(review id, item id, study day, rating, duration ms) of every live review, by item
        and then in log order: the optimizer's input. Values are as stored, unchecked."""
        where = "AND r.deck = ?" if deck else ""
        return self.con.execute(
            f"SELECT r.id, {_CURRENT_ID} AS item, r.day, r.rating, r.duration_ms FROM reviews r WHERE {_COUNTED} "
            f"{where} ORDER BY item, r.id", (deck,) if deck else ()).fetchall()

    def catalog_size(self, deck: str | None = None) -> int:
        """How many items the content defines (in `deck`, else in all decks)."""
        where, args = ("WHERE deck = ?", (deck,)) if deck else ("", ())
        return int(self.con.execute(f"SELECT count(*) FROM catalog_items {where}", args).fetchone()[0])

    def catalog_siblings(self, card_id: str) -> list[str]:
        """The catalog's review items of a multi-deletion cloze card (`CARD/c1`, ...), in order."""
        return [r[0] for r in self.con.execute(
            "SELECT id FROM catalog_items WHERE id > ? AND id < ? ORDER BY position", (card_id + "/", card_id + "0"))]

    def fsrs_parameters(self) -> dict[str | None, FittedParameters]:
        """The fitted parameters in use, by deck (None: every deck); a reset scope is absent."""
        from tutor.schedule.fsrs_scheduler import check_parameters

        rows = self.con.execute(
            "SELECT p.id, p.deck, p.parameters, p.fitted_at, p.reviews, p.evaluation FROM fsrs_parameters p "
            "WHERE p.id = (SELECT max(q.id) FROM fsrs_parameters q WHERE q.deck IS p.deck)")
        out = {}
        for row_id, deck, parameters, fitted_at, reviews, evaluation in rows:
            if parameters is None:
                continue
            try:
                values = check_parameters(json.loads(parameters))
                figures = json.loads(evaluation)
            except (ValueError, TypeError) as exc:
                raise StoreError(f"{self.path}: fitted FSRS parameters {row_id} are damaged ({exc}); "
                                 "run `tutor optimize --reset`") from None
            out[deck] = FittedParameters(row_id, deck, values, fitted_at, int(reviews), figures)
        return out

    def parameters_version(self) -> int:
        """Grows with every change of fitted parameters (the schedule then replays history)."""
        return int(self.con.execute("SELECT coalesce(max(id), 0) FROM fsrs_parameters").fetchone()[0])

    def add_fsrs_parameters(self, deck: str | None, parameters: tuple[float, ...] | None, at: datetime,
                            reviews: int, evaluation: dict[str, Any]) -> int:
        """Record parameters fitted for `deck` (None: every deck); None parameters: back to the defaults."""
        with self.transaction():
            cur = self.con.execute(
                "INSERT INTO fsrs_parameters (deck, parameters, fitted_at, reviews, evaluation) VALUES (?, ?, ?, ?, ?)",
                (deck, json.dumps(list(parameters)) if parameters is not None else None, iso_utc(at), reviews,
                 json.dumps(evaluation, sort_keys=True)))
        return _inserted(cur)

    # -- an item's study day -------------------------------------------------------------

    def item_day(self, item_id: str, day: date) -> ItemDay:
        row = self.con.execute("SELECT failed_checks, hints, gave_up, started_at, clock_started_at FROM item_days "
                               "WHERE item_id = ? AND day = ?", (item_id, day.toordinal())).fetchone()
        if row is None:
            return ItemDay()
        failed, hints, gave_up, started, clock_started = row
        try:
            if not all(isinstance(n, int) and 0 <= n <= MAX_STATE_NUMBER for n in (failed, hints, gave_up)):
                raise ValueError("a count out of range")
            return ItemDay(failed, hints, bool(gave_up), _instant(started),
                           _instant(clock_started) if clock_started else None)
        except (TypeError, ValueError):  # an edited record counts as none: it only ever lowers a rating
            return ItemDay()

    def mark_item_day(self, item_id: str, day: date, at: datetime, *, failed_check: bool = False,
                      hints: int = 0, gave_up: bool = False) -> ItemDay:
        """Add to the day's record (creating it, first opened `at`); hints only ever grow."""
        with self.transaction():
            self.con.execute(
                "INSERT INTO item_days (item_id, day, failed_checks, hints, gave_up, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (item_id, day) DO UPDATE SET "
                "failed_checks = failed_checks + excluded.failed_checks, hints = max(hints, excluded.hints), "
                "gave_up = max(gave_up, excluded.gave_up)",
                (item_id, day.toordinal(), int(failed_check), hints, int(gave_up), iso_utc(at)))
        return self.item_day(item_id, day)

    def start_item_clock(self, item_id: str, day: date, at: datetime) -> ItemDay:
        """Start the item's clock at `at` unless an attempt's clock already runs (it keeps running)."""
        with self.transaction():
            self.con.execute(
                "INSERT INTO item_days (item_id, day, started_at, clock_started_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (item_id, day) DO UPDATE SET "
                "clock_started_at = coalesce(clock_started_at, excluded.clock_started_at)",
                (item_id, day.toordinal(), iso_utc(at), iso_utc(at)))
        return self.item_day(item_id, day)

    def stop_item_clock(self, item_id: str, day: date) -> None:
        """The attempt was answered: the next opening starts a fresh clock."""
        with self.transaction():
            self.con.execute("UPDATE item_days SET clock_started_at = NULL WHERE item_id = ? AND day = ?",
                             (item_id, day.toordinal()))

    # -- reading -------------------------------------------------------------------------

    def mark_read(self, deck: str, section: str, at: datetime, day: date) -> bool:
        """Record that a lesson section was read; True the first time (later readings keep the first)."""
        with self.transaction():
            cur = self.con.execute("INSERT INTO lesson_reads (deck, section, first_read_at, day) VALUES (?, ?, ?, ?) "
                                   "ON CONFLICT (deck, section) DO NOTHING",
                                   (deck, section, iso_utc(at), day.toordinal()))
        return cur.rowcount == 1

    def read_sections(self, deck: str) -> set[str]:
        return {row[0] for row in self.con.execute("SELECT section FROM lesson_reads WHERE deck = ?", (deck,))}

    # -- attempts and drafts -------------------------------------------------------------

    def add_attempt(self, item_id: str, kind: str, status: str, result: Mapping[str, Any], at: datetime,
                    mistakes: Sequence[str] = ()) -> int:
        """One check of an item, with the named mistakes it found (`tutor.study.mistakes`)."""
        with self.transaction():
            cur = self.con.execute(
                "INSERT INTO attempts (item_id, kind, at, status, result) VALUES (?, ?, ?, ?, ?)",
                (item_id, kind, iso_utc(at), status, json.dumps(result, sort_keys=True)))
            attempt = _inserted(cur)
            self.con.executemany("INSERT INTO mistakes (item_id, mistake, attempt, at) VALUES (?, ?, ?, ?)",
                                 [(item_id, name, attempt, iso_utc(at)) for name in dict.fromkeys(mistakes)])
        return attempt

    def attempts(self, item_id: str) -> list[dict[str, Any]]:
        rows = self.con.execute("SELECT at, status, result FROM attempts WHERE item_id = ? ORDER BY id",
                                (item_id,))
        return [{"at": at, "status": status, "result": json.loads(result)} for at, status, result in rows]

    def mistake_counts(self, limit: int | None = None) -> list[tuple[str, str, int, str]]:
        """(mistake, item, times made, last made at) of every named mistake, most frequent first."""
        return self.con.execute(
            "SELECT mistake, item_id, count(*), max(at) FROM mistakes GROUP BY mistake, item_id "
            "ORDER BY count(*) DESC, max(at) DESC, mistake LIMIT ?", (-1 if limit is None else limit,)).fetchall()

    def recent_mistakes(self, item_id: str, attempts: int) -> list[set[str]]:
        """The named mistakes of each of the item's last `attempts` checks, newest first."""
        rows = self.con.execute("SELECT id FROM attempts WHERE item_id = ? ORDER BY id DESC LIMIT ?",
                                (item_id, attempts)).fetchall()
        found: dict[int, set[str]] = {row[0]: set() for row in rows}
        for attempt, name in self.con.execute(
                f"SELECT attempt, mistake FROM mistakes WHERE item_id = ? AND attempt IN "
                f"({', '.join('?' * len(found))})", (item_id, *found)):
            found[attempt].add(name)
        return list(found.values())

    def save_draft(self, item_id: str, kind: str, text: str, at: datetime) -> None:
        with self.transaction():
            self.con.execute(
                "INSERT INTO drafts (item_id, kind, text, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (item_id) "
                "DO UPDATE SET text = excluded.text, kind = excluded.kind, updated_at = excluded.updated_at",
                (item_id, kind, text, iso_utc(at)))

    def draft(self, item_id: str) -> str | None:
        row = self.con.execute("SELECT text FROM drafts WHERE item_id = ?", (item_id,)).fetchone()
        return row[0] if row else None

    def delete_draft(self, item_id: str) -> None:
        with self.transaction():
            self.con.execute("DELETE FROM drafts WHERE item_id = ?", (item_id,))

    # -- the content catalog -------------------------------------------------------------
    # The content as last loaded (`tutor.study.catalog` decides when to reload), so commands
    # that need only ids, kinds, decks and plans skip parsing YAML.

    def replace_catalog(self, decks: list[tuple[Any, ...]], items: list[tuple[Any, ...]],
                        lessons: list[tuple[Any, ...]], meta: dict[str, str],
                        card_siblings: dict[str, tuple[str, ...]] | None = None) -> None:
        """Replace the whole catalog and the meta values that describe it, in one transaction.
        Rows: decks (id, title, ladder JSON, plan JSON, position); items (id, deck, kind, title,
        plan_day, planned, position, target_min, answer key JSON or None); lessons (deck, id,
        title, day, position). `card_siblings` (multi-deletion cloze card -> its review items)
        get the card's history (`_carry_over`)."""
        with self.transaction(before_reads=True) as con:
            con.execute("DELETE FROM catalog_items")
            con.execute("DELETE FROM catalog_decks")
            con.execute("DELETE FROM catalog_lessons")
            con.executemany("INSERT INTO catalog_lessons (deck, id, title, day, position) VALUES (?, ?, ?, ?, ?)",
                            lessons)
            con.executemany("INSERT INTO catalog_items (id, deck, kind, title, plan_day, planned, position, "
                            "target_min, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", items)
            con.execute("UPDATE catalog_items SET studied = 1 WHERE id IN (SELECT item_id FROM item_state)")
            con.executemany("INSERT INTO catalog_decks VALUES (?, ?, ?, ?, ?)", decks)
            for key, value in meta.items():
                self.set_meta(key, value)
            self._carry_over(card_siblings or {})

    def catalog_decks(self) -> list[CatalogDeck]:
        rows = self.con.execute("SELECT id, title, ladder, plan, position FROM catalog_decks ORDER BY position")
        return [CatalogDeck(i, t, tuple(json.loads(lad)), tuple(json.loads(plan)), pos)
                for i, t, lad, plan, pos in rows]

    def catalog_lessons(self, deck: str) -> list[CatalogLesson]:
        rows = self.con.execute("SELECT deck, id, title, day, position FROM catalog_lessons WHERE deck = ? "
                                "ORDER BY position", (deck,))
        return [CatalogLesson(*row) for row in rows]

    def catalog_item(self, item_id: str) -> CatalogItem | None:
        row = self.con.execute("SELECT id, deck, kind, title, plan_day, planned, position, target_min "
                               "FROM catalog_items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            return None
        item_id, deck, kind, title, plan_day, planned, position, target_min = row
        return CatalogItem(item_id, deck, kind, title, plan_day, bool(planned), position, target_min)

    def catalog_answer(self, item_id: str) -> str | None:
        """The answer key the catalog keeps for a typed card (JSON), None for any other item."""
        row = self.con.execute("SELECT answer FROM catalog_items WHERE id = ?", (item_id,)).fetchone()
        return row[0] if row else None

    # -- the queue -----------------------------------------------------------------------

    def deck_starts(self) -> dict[str, date]:
        """The first study day of each deck that has been started."""
        return {deck: self._day(self.con.execute("SELECT MIN(first_day) FROM item_state WHERE deck = ?",
                                                        (deck,)).fetchone()[0])
                for deck in self._distinct("deck", "item_state")}

    def due_reviews(self, today: date, deck: str | None = None, *, since: date = date.min
                    ) -> list[tuple[str, str, str, str, date, date, float | None]]:
        """Items (of `deck`, else of all decks) due on or before `today` (and on or after `since`):
        (id, deck, kind, title, due day, last review day, target_min), in catalog order."""
        where, args = _deck_filter(deck)
        rows = self.con.execute(
            "SELECT s.item_id, c.deck, c.kind, c.title, s.due_day, COALESCE(s.last_day, s.due_day), c.target_min "
            f"FROM item_state s JOIN catalog_items c ON c.id = s.item_id WHERE s.due_day BETWEEN ? AND ? {where} "
            "ORDER BY s.due_day, c.position", (since.toordinal(), today.toordinal(), *args)).fetchall()
        # a few dozen distinct days over thousands of rows: each checked and converted once
        days = {n: self._day(n) for n in {row[4] for row in rows} | {row[5] for row in rows}}
        return [(i, d, k, t, days[due], days[last], minutes) for i, d, k, t, due, last, minutes in rows]

    def states_due_by(self, until: date, deck: str | None = None
                      ) -> list[tuple[str, str, float | None, ItemState, int]]:
        """Items due on or before `until`, grouped by what decides their next reviews: (deck,
        kind, target_min, the state of one of them, how many). A few groups for the ladder."""
        where, args = _deck_filter(deck)
        try:
            rows = self.con.execute(
                "SELECT s.deck, c.kind, c.target_min, min(s.item_id), min(s.state), count(*) FROM item_state s "
                f"JOIN catalog_items c ON c.id = s.item_id WHERE s.due_day <= ? {where} "
                "GROUP BY s.deck, c.kind, c.target_min, s.due_day, s.last_day, "
                "json_extract(s.state, '$.data')", (until.toordinal(), *args)).fetchall()
        except sqlite3.OperationalError as exc:  # json_extract of a row SQLite cannot read as JSON
            bad = self.con.execute("SELECT item_id, state FROM item_state WHERE NOT json_valid(state) "
                                   "LIMIT 1").fetchone()
            if bad is None:
                raise
            self._loaded_state(*bad)  # says what is wrong as every other command does
            raise self._damaged_state(bad[0], DamagedState("not JSON")) from exc
        return [(deck, kind, minutes, self._loaded_state(item_id, state), n)
                for deck, kind, minutes, item_id, state, n in rows]

    def item_states_due_by(self, until: date, deck: str) -> list[tuple[str, str, float | None, ItemState]]:
        """(id, kind, target_min, state) of each of the deck's items due on or before `until`:
        `states_due_by` one by one, for a deck whose items each follow a plan of their own."""
        rows = self.con.execute(
            "SELECT s.item_id, c.kind, c.target_min, s.state FROM item_state s "
            "JOIN catalog_items c ON c.id = s.item_id WHERE s.due_day <= ? AND c.deck = ? ORDER BY s.item_id",
            (until.toordinal(), deck)).fetchall()
        return [(item_id, kind, minutes, self._loaded_state(item_id, state)) for item_id, kind, minutes, state in rows]

    def _distinct(self, column: str, table: str, where: str = "1") -> list[str]:
        """The distinct values of an indexed `column`, one index seek each instead of a scan of
        the table (100,000 rows: 10-30 ms)."""
        out: list[str] = []
        while True:
            after = (f"AND {column} > ?", (out[-1],)) if out else ("", ())
            value = self.con.execute(f"SELECT MIN({column}) FROM {table} WHERE {where} {after[0]}",
                                     after[1]).fetchone()[0]
            if value is None:
                return out
            out.append(value)

    def studied_on(self, day: date, deck: str | None = None) -> list[tuple[str, float | None, bool]]:
        """Each item (of `deck`, else of all decks) with a live review on `day`: (kind,
        target_min, first seen that day)."""
        where, args = _deck_filter(deck)
        return self.con.execute(
            "SELECT c.kind, c.target_min, s.first_day = r.day FROM reviews r "
            "JOIN catalog_items c ON c.id = r.item_id JOIN item_state s ON s.item_id = r.item_id "
            f"WHERE r.day = ? AND {_LIVE} {where} GROUP BY r.item_id", (day.toordinal(), *args)).fetchall()

    def answer_times(self, limit: int) -> dict[str, list[int]]:
        """Per kind, the latest `limit` live reviews' answer times in ms (untimed ones left out)."""
        out: dict[str, list[int]] = {}
        for kind in self._distinct("kind", "reviews", "duration_ms IS NOT NULL"):
            out[kind] = [ms for ms, in self.con.execute(
                f"SELECT r.duration_ms FROM reviews r WHERE r.kind = ? AND r.duration_ms IS NOT NULL AND {_LIVE} "
                f"AND {_GIVEN} ORDER BY r.id DESC LIMIT ?", (kind, limit))]
        return out

    def introduced_unplanned(self, day: date) -> int:
        """How many items outside any deck plan were first studied on `day` (the new-item cap)."""
        return int(self.con.execute(
            "SELECT count(*) FROM item_state s JOIN catalog_items c ON c.id = s.item_id "
            "WHERE s.first_day = ? AND c.planned = 0", (day.toordinal(),)).fetchone()[0])

    def new_items(self, deck: str, deck_day: int, *, planned: bool,
                  limit: int | None = None) -> list[tuple[str, str, str, float | None, int]]:
        """(id, kind, title, target_min, plan_day) of the deck's never-studied items, in or out
        of its plan, whose plan day has come by `deck_day`, in plan order; at most `limit`."""
        return self.con.execute(
            "SELECT id, kind, title, target_min, plan_day FROM catalog_items WHERE deck = ? AND studied = 0 "
            "AND planned = ? "
            "AND plan_day <= ? ORDER BY plan_day, position LIMIT ?",
            (deck, int(planned), deck_day, -1 if limit is None else limit)).fetchall()

    def plan_items(self, deck: str) -> list[tuple[str, str, float | None, int]]:
        """(id, kind, target_min, plan_day) of every item in the deck's plan, studied or not,
        in plan order: what the deck's start days are planned from (`tutor.study.planner`)."""
        return self.con.execute("SELECT id, kind, target_min, plan_day FROM catalog_items WHERE deck = ? "
                                "AND planned = 1 ORDER BY plan_day, position", (deck,)).fetchall()

    def deck_items(self, deck: str) -> list[tuple[str, str, bool]]:
        """(id, kind, studied) of every item of the deck, in plan order."""
        rows = self.con.execute("SELECT id, kind, studied FROM catalog_items WHERE deck = ? "
                                "ORDER BY plan_day, position", (deck,))
        return [(item_id, kind, bool(studied)) for item_id, kind, studied in rows]

    def unseen_work(self, deck: str) -> dict[tuple[str, float | None], int]:
        """How many of the deck's items were never studied, by (kind, target_min)."""
        rows = self.con.execute("SELECT kind, target_min, count(*) FROM catalog_items WHERE deck = ? AND studied = 0 "
                                "GROUP BY kind, target_min", (deck,))
        return {(kind, minutes): n for kind, minutes, n in rows}

    def due_work_before(self, deck: str, before: date) -> dict[tuple[str, float | None], int]:
        """How many of the deck's studied items fall due before `before`, by (kind, target_min)."""
        rows = self.con.execute("SELECT c.kind, c.target_min, count(*) FROM item_state s JOIN catalog_items c "
                                "ON c.id = s.item_id WHERE s.deck = ? AND s.due_day < ? GROUP BY c.kind, c.target_min",
                                (deck, before.toordinal()))
        return {(kind, minutes): n for kind, minutes, n in rows}

    def next_due_day(self, after: date, deck: str | None = None) -> date | None:
        """The first day after `after` with an item due."""
        where = "AND deck = ?" if deck else ""
        args: tuple[Any, ...] = (after.toordinal(), deck) if deck else (after.toordinal(),)
        row = self.con.execute(f"SELECT MIN(due_day) FROM item_state WHERE due_day > ? {where}", args).fetchone()
        return self._day(row[0]) if row and row[0] else None

    def reviewed_since(self, item_id: str, day: date) -> bool:
        """Whether the item has a live review on `day` or later."""
        return self.con.execute(f"SELECT 1 FROM reviews r WHERE {_OF_ITEM} AND r.day >= ? AND {_LIVE} LIMIT 1",
                                (item_id, item_id, day.toordinal())).fetchone() is not None

    # -- statistics ----------------------------------------------------------------------

    def reviews_by_day(self, since: date, until: date | None = None) -> dict[date, int]:
        """How many live reviews each study day from `since` (to `until`) has; days without are absent."""
        rows = self.con.execute(f"SELECT r.day, count(*) FROM reviews r WHERE r.day >= ? AND r.day <= ? AND {_LIVE} "
                                f"AND {_GIVEN} GROUP BY r.day", (since.toordinal(), (until or date.max).toordinal()))
        return {date.fromordinal(day): count for day, count in rows}

    def reviewed_on(self, day: date) -> bool:
        """Whether the study day has a live review (one index probe, whatever the log's size)."""
        return self.con.execute(f"SELECT 1 FROM reviews r WHERE r.day = ? AND {_LIVE} LIMIT 1",
                                (day.toordinal(),)).fetchone() is not None

    def review_totals(self) -> tuple[int, int]:
        """(live reviews, distinct items with a history): a review carried over to a card's
        deletions is one review, and a card whose history lives on in its deletions is not an
        item of its own."""
        reviews, = self.con.execute(f"SELECT count(*) FROM reviews r WHERE {_LIVE} AND {_GIVEN}").fetchone()
        items, = self.con.execute(
            f"SELECT count(DISTINCT {_CURRENT_ID}) FROM reviews r WHERE {_LIVE} "
            "AND NOT EXISTS (SELECT 1 FROM reviews c WHERE c.carried_from = r.id)").fetchone()
        return reviews, items

    def recall_counts(self, since: date) -> tuple[int, int]:
        """(recall reviews, passed) from `since`: an item's first review of a day counts, its very
        first review (learning it) does not, Again fails and Hard/Good/Easy pass (as Anki counts).
        Each item's history holds the copies it was given (`_carry_over`), but a recall counts
        once, where the learner gave it."""
        total, passed = self.con.execute(
            f"""
            WITH live AS (
                SELECT r.day, r.rating, r.id, r.carried_from,
                       ROW_NUMBER() OVER (PARTITION BY {_CURRENT_ID} ORDER BY r.id) AS nth,
                       ROW_NUMBER() OVER (PARTITION BY {_CURRENT_ID}, r.day ORDER BY r.id) AS nth_today
                FROM reviews r WHERE {_COUNTED}
            )
            SELECT count(*), coalesce(sum(rating > 1), 0) FROM live
            WHERE nth > 1 AND nth_today = 1 AND day >= ? AND carried_from IS NULL
            """, (since.toordinal(),)).fetchone()
        return total, passed

    def due_counts(self, first: date, last: date) -> dict[date, int]:
        """How many items fall due each day from `first` to `last`; overdue ones count on `first`."""
        rows = self.con.execute(
            "SELECT max(due_day, ?), count(*) FROM item_state WHERE due_day <= ? GROUP BY max(due_day, ?)",
            (first.toordinal(), last.toordinal(), first.toordinal()))
        return {self._day(day): count for day, count in rows}

    def due_work(self, first: date, last: date) -> list[tuple[date, str, float | None, int]]:
        """(day, kind, target_min, how many) of the items due on each day from `first` to `last`."""
        rows = self.con.execute(
            "SELECT s.due_day, c.kind, c.target_min, count(*) FROM item_state s JOIN catalog_items c "
            "ON c.id = s.item_id WHERE s.due_day BETWEEN ? AND ? GROUP BY s.due_day, c.kind, c.target_min",
            (first.toordinal(), last.toordinal()))
        return [(self._day(day), kind, minutes, n) for day, kind, minutes, n in rows]

    def leeches(self, lapses: int) -> list[tuple[str, str, str, int]]:
        """(id, deck, kind, lapses) of items that lapsed at least `lapses` times, most first."""
        return self.con.execute("SELECT item_id, deck, kind, lapses FROM item_state WHERE lapses >= ? "
                                "ORDER BY lapses DESC, item_id", (lapses,)).fetchall()

    # -- health --------------------------------------------------------------------------

    def integrity_errors(self) -> list[str]:
        """SQLite's integrity check; a file too damaged for it to finish is that one error."""
        try:
            rows = [r[0] for r in self.con.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            rows = [str(exc)]
        self._refused = rows != ["ok"]
        return [] if rows == ["ok"] else rows

    def schema_version(self) -> int:
        return int(self.con.execute("PRAGMA user_version").fetchone()[0])

    def row_counts(self) -> dict[str, int]:
        """How many rows the tables that hold the learner's work have (for `tutor doctor`)."""
        return {table: self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("reviews", "item_state", "attempts", "drafts")}


FIRST_DAY, LAST_DAY = date(PINNABLE_YEARS[0], 1, 1).toordinal(), date(PINNABLE_YEARS[1], 12, 31).toordinal()
MAX_STATE_NUMBER = 1_000_000  # a saved state's numbers (days, stability, counts) stay far below it
MAX_STATE_TEXT = 40
TEXT_DATA = ("phase",)  # the one text a scheduler keeps in `data` (FSRS's phase); the rest are numbers


def _instant(text: Any) -> datetime:
    """A saved time, which has a zone (`iso_utc`); ValueError or TypeError otherwise."""
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise ValueError(f"{text!r} has no zone")
    return at


class DamagedState(Exception):
    """What is wrong with a saved state, and where in it (a key path such as `data.interval`,
    or a column of item_state), when there is a where."""

    def __init__(self, what: str, where: str | None = None) -> None:
        super().__init__(what)
        self.what, self.where = what, where

    def __str__(self) -> str:
        return f"at {self.where}: {self.what}" if self.where else f"({self.what})"


class _Constant(str):
    """NaN, Infinity or -Infinity where JSON allows none: kept as its name, refused as a number."""


def decoded_state(text: Any) -> ItemState:
    """The one decoder of a saved state (item_state.state), for every command: the state, or
    DamagedState saying what is wrong and where. Every scheduler keeps plain numbers and short
    text in `data`."""
    if not isinstance(text, str):
        raise DamagedState("not JSON text")
    try:
        d = json.loads(text, parse_constant=_Constant)
    except (ValueError, RecursionError):
        raise DamagedState("not JSON") from None
    if not isinstance(d, dict):
        raise DamagedState("not a JSON object")
    data = d.get("data", {})
    if not isinstance(data, dict):
        raise DamagedState("not an object", "data")
    for key in ("scheduler", "due", "first_day", "last_day", "reps", "lapses"):
        if key not in d:
            raise DamagedState("missing", key)
    if not isinstance(d["scheduler"], str) or len(d["scheduler"]) > MAX_STATE_TEXT:
        raise DamagedState(f"{_shown(d['scheduler'])} is not a scheduler's name", "scheduler")
    for key in ("reps", "lapses"):
        if isinstance(d[key], bool) or not isinstance(d[key], int) or not 0 <= d[key] <= MAX_STATE_NUMBER:
            raise DamagedState(f"{_shown(d[key])} is not a count", key)
    for key, value in data.items():
        if isinstance(value, bool) or isinstance(value, str) and key in TEXT_DATA and len(value) <= MAX_STATE_TEXT:
            continue
        if not isinstance(value, (int, float)):  # NaN and Infinity are `_Constant` text here
            raise DamagedState(f"{_shown(value)} is not a number", f"data.{key}")
        if not abs(value) <= MAX_STATE_NUMBER:
            raise DamagedState(f"{_shown(value)} is beyond {MAX_STATE_NUMBER:,}", f"data.{key}")
    due, first_day, last_day = (_state_day(d[key], key) for key in ("due", "first_day", "last_day"))
    return ItemState(scheduler=d["scheduler"], due=due, reps=d["reps"], lapses=d["lapses"], first_day=first_day,
                     last_day=last_day, data=dict(data))


def _state_day(value: Any, key: str) -> date:
    """A day of a saved state (ISO text) within the years the clock allows; DamagedState if not."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) <= MAX_STATE_TEXT else None
    except ValueError:
        day = None
    if day is None or not PINNABLE_YEARS[0] <= day.year <= PINNABLE_YEARS[1]:
        raise DamagedState(f"{_shown(value)} is not a day from {PINNABLE_YEARS[0]} to {PINNABLE_YEARS[1]}", key)
    return day


def _shown(value: Any) -> str:
    """A saved value as a message shows it: short, and NaN as NaN."""
    return str(value)[:20] if isinstance(value, _Constant) else repr(value)[:20]


# A review that counts: not an undo record, and not undone. The one place this is written;
# every query over live reviews names the log `r`.
_LIVE = "r.rating IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reviews u WHERE u.undoes = r.id)"
# A review the learner gave, not a copy of it carried over to a cloze sibling (`_carry_over`): what
# counts of reviews count, so a card split into deletions (or further, by `replaces:`) counts each once.
_GIVEN = "r.carried_from IS NULL"
# The id a review counts for today: the item that replaced the one it was logged under, if any.
_CURRENT_ID = "COALESCE((SELECT n.new_id FROM item_renames n WHERE n.old_id = r.item_id), r.item_id)"
_REVIEW_COLUMNS = (f"r.id, {_CURRENT_ID}, r.kind, r.deck, r.reviewed_at, r.day, r.rating, r.duration_ms, "
                   "r.scheduler, r.detail")
# A live review that counts for its item: not a copy carried over to a cloze sibling (`_carry_over`) whose
# original counts for the same item, as when a card goes back to one deletion and `replaces:` that deletion.
_COUNTED = (f"{_LIVE} AND (r.carried_from IS NULL OR NOT EXISTS (SELECT 1 FROM reviews o WHERE o.id = r.carried_from "
            "AND COALESCE((SELECT n.new_id FROM item_renames n WHERE n.old_id = o.item_id), o.item_id) = "
            f"{_CURRENT_ID}))")
# One item's reviews, under its own id or an id it replaced (two parameters: the id twice).
_OF_ITEM = "(r.item_id = ? OR r.item_id IN (SELECT n.old_id FROM item_renames n WHERE n.new_id = ?))"


def _deck_filter(deck: str | None) -> tuple[str, tuple[str, ...]]:
    """The SQL condition (on catalog_items as `c`) and argument keeping one deck's items."""
    return ("AND c.deck = ?", (deck,)) if deck else ("", ())


_STATE_COLUMNS = "item_id, deck, kind, scheduler, due_day, first_day, reps, lapses, state, last_day"
_STATE_VALUES = ", ".join("?" * len(_STATE_COLUMNS.split(", ")))


def _state_row(item_id: str, deck: str, kind: str, state: ItemState | None) -> tuple[Any, ...]:
    assert state is not None  # every item here has a review
    return (item_id, deck, kind, state.scheduler, state.due.toordinal(), state.first_day.toordinal(), state.reps,
            state.lapses, json.dumps(state.to_dict(), sort_keys=True), state.last_day.toordinal())


_RATINGS = (None, *Rating)  # 1-4 by index: faster than Rating(n) over a whole history


def _checked(row_id: int, item_id: str, at: Any, day: Any, rating: Any) -> tuple[datetime, date, Rating]:
    """A review's instant, study day and rating, checked: an edited database must not reach a
    scheduler. Raises StoreError naming the review."""
    try:
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 4:
            raise ValueError(f"rating {rating!r} (expected 1 to 4)")
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= date.max.toordinal():
            raise ValueError(f"study day {day!r}, not a date")
        return datetime.fromisoformat(at), date.fromordinal(day), _RATINGS[rating]
    except (TypeError, ValueError) as exc:
        raise StoreError(f"review {row_id} of {item_id!r} has {exc}; run `tutor doctor` or restore a backup") from None


def _detail(text: Any) -> dict[str, Any]:
    """A review's details; damaged ones count as none (they only ever bring a review forward)."""
    try:
        found = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _fold_logged(scheduler: Scheduler, reviews: Iterable[tuple[Review, dict[str, Any]]]) -> ItemState | None:
    """An item's state from its live reviews and their details, as it was when each was made:
    each review's due day adjusted as it was then (a ladder review before the due day does
    not move the item, so a later fold must see the day the learner saw)."""
    state = None
    for review, detail in reviews:
        state = _adjusted(scheduler.apply(state, review), detail)
    return state


def _adjusted(state: ItemState, detail: dict[str, Any] | None) -> ItemState:
    """The state with its due day moved to the review's `moved_to` (later, within
    `balance_tolerance`: a day further off, forged or not, is ignored), then brought forward
    to its `due_by`, if it has them."""
    moved = _day_of(detail, MOVED_TO)
    if moved is not None and state.due < moved <= state.due + timedelta(days=balance_tolerance(state)):
        state = replace(state, due=moved)
    due_by = _day_of(detail, DUE_BY)
    return replace(state, due=max(due_by, state.last_day)) if due_by is not None and due_by < state.due else state


def _day_of(detail: dict[str, Any] | None, key: str) -> date | None:
    try:
        return date.fromisoformat((detail or {})[key])
    except (KeyError, TypeError, ValueError):
        return None


def _logged(row: tuple[Any, ...]) -> LoggedReview:
    id_, item_id, kind, deck, at, day, rating, duration, scheduler, detail = row
    at, day, rating = _checked(id_, item_id, at, day, rating)
    try:
        details = json.loads(detail)
    except (TypeError, ValueError):
        raise StoreError(f"review {id_} of {item_id!r} has damaged details; run `tutor doctor`") from None
    return LoggedReview(id_, item_id, kind, deck, at, day, rating, duration, scheduler, details)


def _close_untouched(con: sqlite3.Connection, path: Path) -> None:
    """Close `con` without writing the file SQLite just failed on: the last connection to close
    copies the WAL into the file (a checkpoint), but not while another connection holds the
    file, and a read-only one never does; so one is held while `con` closes. (Python 3.11's
    sqlite3 cannot set SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE.) The WAL stays for the next open."""
    guard = None
    with suppress(sqlite3.Error):
        guard = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        guard.execute("PRAGMA schema_version").fetchone()  # a read takes the lock a WAL reader keeps
    con.close()
    if guard is not None:
        guard.close()


def _failure(path: Path, exc: Exception, doing: str) -> StoreError:
    """The one line for an error from SQLite or the OS: what is really wrong (a read-only or
    full disk, no permission, another tutor writing) before concluding the file is damaged."""
    cause = _environment_problem(path)
    code = getattr(exc, "sqlite_errorname", "") or ""
    if cause is None:
        for prefix, why in _CAUSES:
            if code.startswith(prefix):
                cause = why
                break
    if cause is None and isinstance(exc, OSError):
        cause = exc.strerror or str(exc)
    if cause == _BUSY:
        return StoreError(f"{path}: {cause}; try again")
    if cause is not None:
        return StoreError(f"{path}: cannot {doing}: {cause}; nothing already saved was lost")
    return StoreError(f"{path}: database is damaged ({exc}); run `tutor doctor`, or {RESTORE}")


_BUSY = "the database stayed busy (another tutor writing?)"
_CAUSES = (("SQLITE_FULL", "no space left on the device"), ("SQLITE_READONLY", "the database is read-only"),
           ("SQLITE_PERM", "permission denied"), ("SQLITE_AUTH", "permission denied"),
           ("SQLITE_CANTOPEN", "cannot open the file (permission denied, or its folder is missing)"),
           ("SQLITE_BUSY", _BUSY), ("SQLITE_LOCKED", _BUSY))
MIN_FREE_BYTES = 256 * 1024


def _environment_problem(path: Path) -> str | None:
    """A virtual or read-only file system, a full disk or a missing write permission where the
    database is."""
    folder = next((p for p in (path.parent, *path.parent.parents) if p.exists()), path.parent)
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return None
    if info.f_blocks == 0:  # /proc, /sys: no file can be made there, and no free blocks is not "full"
        return (f"{folder} is not a folder a file can be saved in (a virtual file system, like /proc); "
                "choose another data dir with --home or TUTOR_HOME")
    if info.f_flag & getattr(os, "ST_RDONLY", 1):
        return f"{folder} is on a read-only file system"
    if info.f_bavail * info.f_frsize < MIN_FREE_BYTES:
        return f"no space left on the device holding {folder}"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"permission denied (cannot write {path if path.exists() else folder})"
    return None


def _unusable_review(item_id: str, rows: list[tuple[Any, ...]], exc: Exception) -> str:
    """Which review of an item no scheduler can fold, for a one-line message."""
    for row_id, _, _, _, at, day, rating, *_ in rows:
        try:
            reviewed_at, study_day, _ = _checked(row_id, item_id, at, day, rating)
            reviewed_at.astimezone(UTC)
            study_day + timedelta(days=36_500)  # beyond any interval a scheduler gives
        except StoreError as bad:
            return str(bad).partition(";")[0]
        except (ValueError, OverflowError):
            return f"review {row_id} of {item_id!r} is dated too near the calendar's end ({str(at)[:40]!r})"
    return f"its reviews cannot be replayed ({type(exc).__name__}: {str(exc)[:80]})"


def _reviewed(con: sqlite3.Connection, item_ids: list[str]) -> set[str]:
    """Which of `item_ids` have a review row (in chunks: SQLite caps bound parameters)."""
    found: set[str] = set()
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        found.update(r[0] for r in con.execute(
            f"SELECT DISTINCT item_id FROM reviews WHERE item_id IN ({', '.join('?' * len(chunk))})", chunk))
    return found


def schema_digest(version: int) -> str:
    """What the first `version` migrations say, as a checksum (zlib: hashlib costs start-up)."""
    text = "\n".join(" ".join(statement.split()) for script in MIGRATIONS[:version]
                     for statement in _statements(script))
    return f"{version}:{zlib.crc32(text.encode()):08x}"


def _statements(script: str) -> list[str]:
    """Split a migration into statements; a trigger body's semicolons stay inside its statement."""
    out, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n;"):
                out.append(current.strip())
            current = ""
    return out


def _inserted(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just added."""
    assert cur.lastrowid is not None
    return cur.lastrowid
