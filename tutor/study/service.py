"""The study service: today's queue, recording reviews, the deck plans.

Everything the CLI and the TUI show about "what now" comes from here, computed from the
store and the content catalog for one study day.
"""

from __future__ import annotations

import copy
import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from tutor import clock
from tutor.config import Settings, content_dirs, home_dir, load_settings
from tutor.errors import TutorError
from tutor.schedule import ItemState, Rating, Scheduler, balance_tolerance, make_scheduler
from tutor.schedule.ladder import DEFAULT_LADDER
from tutor.store import CatalogDeck, CatalogItem, CatalogLesson, ItemDay, LoggedReview, Store
from tutor.study import budget, catalog, interview, mistakes, plan_cache, planner
from tutor.study.interview import Readiness

if TYPE_CHECKING:
    from tutor.content.models import Item  # its 20 dataclasses cost `tutor due` a third of its start-up
    from tutor.study.answers import Drawn

ItemT = TypeVar("ItemT", bound="Item")
T = TypeVar("T")


PLAN_LAST_START = 35  # the deck day by which a plan starts every item it can (issue 14: five weeks)
PLAN_ORIGIN = date(2000, 1, 3)  # a plan counts days from its deck's start: any date gives the same offsets


class UnknownItem(TutorError, LookupError):
    """An id that no deck defines."""


class QueueEntry(NamedTuple):
    """One item of today's queue (a tuple: big queues are built fast)."""

    item_id: str
    deck: str
    kind: str
    title: str
    status: str  # overdue | due | new
    due: date | None
    seconds: float = 0.0  # the time it is expected to take (tutor.study.budget)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.item_id, "deck": self.deck, "kind": self.kind, "title": self.title,
                "status": self.status, "due": self.due.isoformat() if self.due else None,
                "minutes": round(self.seconds / 60, 2)}


@dataclass(frozen=True)
class Checkpoint:
    deck: str
    day: int
    date: date
    goal: str
    items: tuple[str, ...]
    status: str  # done | due | upcoming
    studied: int

    def to_dict(self) -> dict[str, Any]:
        return {"deck": self.deck, "day": self.day, "date": self.date.isoformat(), "goal": self.goal,
                "items": list(self.items), "status": self.status, "studied": self.studied}


@dataclass(frozen=True)
class Reading:
    """A checkpoint's reading: its lesson sections, as parts in reading order, and how many are read."""

    deck: str
    day: int
    parts: tuple[int, ...]  # 1-based part numbers, in reading order
    sections: tuple[str, ...]
    unread: tuple[str, ...]  # in reading order

    @property
    def read(self) -> int:
        return len(self.sections) - len(self.unread)

    def label(self) -> str:
        """`parts 1-5`, `part 7` or `parts 1, 3`."""
        if len(self.parts) == 1:
            return f"part {self.parts[0]}"
        if list(self.parts) == list(range(self.parts[0], self.parts[-1] + 1)):
            return f"parts {self.parts[0]}-{self.parts[-1]}"
        return "parts " + ", ".join(map(str, self.parts))


Planned = tuple[int, tuple[int, ...]]  # a plan item's start (deck day) and its reviews' offsets from it
WorkKey = tuple[str, float | None]  # what an item takes: its kind and target_min (`budget.Estimates.seconds`)


@dataclass
class KeptReads:
    """What every review's load balancing reads (`Study.lighter_day`), kept in step with the
    reviews the Study records instead of read again for each: the learner's latest answer
    times per kind (newest first, `Store.answer_times`) and the items due on each day read so
    far, by what they take (`Store.due_work`), and the Good returns still to come of the items
    due by a day (`Study.returns_of_due`). Right while `Study.version()` is `version`: a review
    steps it, anything else written (an undo, another process) drops it."""

    version: tuple[Any, ...]
    durations: dict[str, list[int]]
    due: dict[date, Counter[WorkKey]] = field(default_factory=dict)
    returns: dict[tuple[date, date, int], dict[int, Counter[WorkKey]]] = field(default_factory=dict)

    def reviewed(self, key: WorkKey, before: ItemState | None, after: ItemState, duration_ms: int | None,
                 version: tuple[Any, ...], good_path: Callable[[ItemState, date, int], tuple[int, ...]]) -> None:
        """One item moved from `before`'s due day to `after`'s, answered in `duration_ms`;
        `good_path(state, today, horizon)`: the days it returns on from `state` if rated Good."""
        for (today, until, horizon), returns in self.returns.items():
            for state, sign in ((before, -1), (after, 1)):
                if state is not None and state.due <= until:
                    for offset in good_path(state, today, horizon):
                        returns.setdefault(offset, Counter())[key] += sign
        if before is not None and before.due in self.due:
            self.due[before.due][key] -= 1
            if self.due[before.due][key] <= 0:
                del self.due[before.due][key]
        if after.due in self.due:
            self.due[after.due][key] += 1
        if duration_ms is not None:
            times = self.durations.setdefault(key[0], [])
            times.insert(0, duration_ms)
            del times[budget.OWN_WINDOW:]
        self.version = version


@dataclass
class Study:
    """One learner's view of their decks on one study day."""

    store: Store
    settings: Settings
    content_roots: list[Path]
    content_issues: list[str] = field(default_factory=list)  # `FILE:LINE: at KEY.PATH: message` lines
    skipped: list[str] = field(default_factory=list)  # one line per deck left out for its issues

    def __post_init__(self) -> None:
        self.content_issues, self.skipped = catalog.refresh(self.store, self.content_roots)
        self._decks = {d.id: d for d in self.store.catalog_decks()}
        self._kept: dict[tuple[Any, ...], Any] = {}  # results read since `_kept_at` (`_unless_changed`)
        self._kept_at: tuple[Any, ...] | None = None
        self._reads: KeptReads | None = None
        self._plans: dict[tuple[Any, ...], dict[str, Planned]] = {}
        self._planned_states: dict[tuple[Any, ...], list[ItemState]] = {}
        self.reload_parameters()

    def reload_parameters(self) -> None:
        """Read the fitted FSRS parameters and replay history if the schedule they give changed."""
        self.fitted = self.store.fsrs_parameters()
        self._schedulers: dict[tuple[Any, ...], Scheduler] = {}
        self.store.ensure_scheduler(self.schedule_key(), self.scheduler_for)

    def close(self) -> None:
        """Close the store (the study is not used after this)."""
        self.store.close()

    def __enter__(self) -> Study:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, trace: object) -> None:
        """Closed by its user, not by the collector: the last connection to close checkpoints
        the WAL and removes `-wal` and `-shm` (not after SQLite failed on the file:
        `Store.close_after`)."""
        self.store.close_after(exc)

    # -- time ------------------------------------------------------------------------------

    def now(self) -> datetime:
        return clock.now()

    def today(self) -> date:
        return clock.study_day(self.now(), self.settings.day_start_hour)

    # -- content ---------------------------------------------------------------------------

    def decks(self) -> list[CatalogDeck]:
        return list(self._decks.values())

    def item(self, item_id: str) -> CatalogItem:
        found = self.store.catalog_item(item_id)
        if found is None:
            siblings = self.store.catalog_siblings(item_id)
            if siblings:
                raise UnknownItem(f"{item_id!r} has a review item per deletion: name one of {', '.join(siblings)}")
            raise UnknownItem(f"unknown item id {item_id!r} (see `tutor content list`)")
        return found

    def scheduler_for(self, deck: str) -> Scheduler:
        """The deck's scheduler; made once per deck and settings (a replay asks once per item)."""
        key = (deck, self.settings.scheduler, self.settings.desired_retention)
        if key not in self._schedulers:
            ladder = self._decks[deck].ladder if deck in self._decks else DEFAULT_LADDER
            self._schedulers[key] = make_scheduler(self.settings.scheduler, ladder=ladder,
                                                   desired_retention=self.settings.desired_retention,
                                                   parameters=self.fsrs_parameters(deck))
        return self._schedulers[key]

    def fsrs_parameters(self, deck: str | None) -> tuple[float, ...] | None:
        """The parameters fitted for the deck, else for every deck; None: FSRS's defaults."""
        fitted = self.fitted.get(deck) or self.fitted.get(None)
        return fitted.parameters if fitted else None

    def schedule_key(self) -> str:
        """What item states were folded with: a change replays history (scheduler, retention,
        fitted parameters; "fsrs-rs" since FSRS runs on that engine)."""
        if self.settings.scheduler != "fsrs":
            return self.settings.scheduler
        return f"fsrs-rs:{self.settings.desired_retention}:{self.store.parameters_version()}"

    def version(self) -> tuple[Any, ...]:
        """What everything read here depends on besides the day: the store's writes (any
        process's) and the settings. A result kept with it is still right while it is equal."""
        return self.store.version(), self.settings

    def stamp(self) -> tuple[Any, ...]:
        """(`version()`, today): while it is equal, everything read here is still right."""
        return self.version(), self.today()

    def on_own_connection(self) -> Study:
        """This study over a read-only connection of its own, for a worker thread (an SQLite
        connection belongs to the thread that opened it): the same decks, settings and fitted
        parameters, with results kept apart, which `adopt` takes back. Close it when done."""
        twin = copy.copy(self)
        twin.store = Store.open_reader(self.store.path)
        twin._kept, twin._kept_at, twin._reads, twin._schedulers = {}, None, None, {}
        return twin

    def adopt(self, stamp: tuple[Any, ...], twin: Study) -> bool:
        """Keep what `twin` (`on_own_connection`) read as if read here, if nothing was written
        and the day is the same as at `stamp`, taken before the twin read anything; else False:
        what it read may be out of date."""
        if self.stamp() != stamp:
            return False
        if self._kept_at != stamp:
            self._kept.clear()
            self._kept_at = stamp
        for key, value in twin._kept.items():
            self._kept.setdefault(key, value)
        return True

    def _unless_changed(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()`, or what it gave before if nothing was written and the day and settings are
        the same (`version`): the dashboard and a sitting ask again without anything changed,
        and today's queue costs time that grows with the collection."""
        stamp = self.stamp()
        if stamp != self._kept_at:
            self._kept.clear()
            self._kept_at = stamp
        if key not in self._kept:
            self._kept[key] = compute()
        return self._kept[key]  # type: ignore[no-any-return]

    # -- deck days -------------------------------------------------------------------------

    def deck_starts(self) -> dict[str, date]:
        return dict(self._unless_changed(("deck_starts",), self.store.deck_starts))

    def deck_day(self, deck: str, today: date | None = None, starts: dict[str, date] | None = None) -> int:
        today = today or self.today()
        start = (starts if starts is not None else self.deck_starts()).get(deck)
        return (today - start).days if start else 0

    # -- the queue -------------------------------------------------------------------------

    def queue(self, deck: str | None = None) -> list[QueueEntry]:
        """Today's work within the daily budget (ARCHITECTURE.md, Daily budget): every due
        review, the most overdue for its interval first, then the new items that fit
        (`tutor.study.budget`), plan items by checkpoint and the shortest of a checkpoint first,
        others also within `new_per_day`.
        With `deck`, the day is planned for that deck alone: the learner gives it their time.
        Read again only after a write (a new list each call: a sitting keeps its own)."""
        return list(self._unless_changed(("queue", deck), lambda: self._queue(deck)))

    def _queue(self, deck: str | None) -> list[QueueEntry]:
        today = self.today()
        estimates = self.estimates()
        due = sorted(self.store.due_reviews(today, deck) + self.brought_forward(today, deck),
                     key=lambda r: budget.overdue_order(today, r[4], r[5]))
        out = [QueueEntry(item_id, d, kind, title, "overdue" if when < today else "due", when,
                          estimates.seconds(kind, target, new=False))
               for item_id, d, kind, title, when, _, target in due]
        done = sum(estimates.seconds(kind, target, new) for kind, target, new in self.store.studied_on(today, deck))
        horizon = self.plan_horizon()
        fitting = budget.fit_new_items(self.settings.daily_minutes * 60, done + sum(e.seconds for e in out),
                                       lambda: self.reserved(today, horizon, estimates, deck),
                                       self.new_candidates(today, horizon, estimates, deck))
        new = [c.item for c in fitting]
        return out + new + self.light_review(deck, today, {e.item_id for e in out + new}, estimates)

    def brought_forward(self, today: date, deck: str | None = None
                        ) -> list[tuple[str, str, str, str, date, date, float | None]]:
        """Reviews scheduled on or after a deck's interview date whose day in the final week
        (`interview.final_week_day`) has come and that were not reviewed since: due today, as
        `due_reviews` gives them. Read at query time, so items scheduled before the date was set
        come too, and clearing the date puts them back."""
        out = []
        for d in [deck] if deck else list(self._decks):
            deadline = self.interview_date(d)
            if deadline is None or (deadline - today).days > interview.FINAL_WEEK:
                continue
            for item_id, _, kind, title, _, last, target in self.store.due_reviews(date.max, d, since=deadline):
                latest = interview.final_week_day(item_id, deadline)
                state = self.store.state(item_id)
                if last < latest <= today and state is not None and self.fades_by(d, state, deadline):
                    out.append((item_id, d, kind, title, latest, last, target))
        return out

    def fades_by(self, deck: str, state: ItemState, deadline: date) -> bool:
        """Whether the item needs a review before the interview date: always on the ladder (its
        days do not aim at a recall); with FSRS only when its predicted recall on the date,
        from its last review, is below `desired_retention`. FSRS's own days keep recall above
        it until each next review, so an interval that spans the date needs nothing more."""
        stability = state.data.get("stability")
        if state.scheduler != "fsrs" or not isinstance(stability, (int, float)) or stability <= 0:
            return True
        from tutor.schedule.fitting import retrievability
        from tutor.schedule.fsrs_scheduler import default_parameters

        parameters = self.fsrs_parameters(deck) or default_parameters()
        recall = retrievability(parameters, (deadline - state.last_day).days, float(stability))
        return recall < self.settings.desired_retention

    def estimates(self) -> budget.Estimates:
        return budget.Estimates.from_durations(self.kept_reads().durations)

    def kept_reads(self) -> KeptReads:
        """The answer times and due days read so far, read again if anything else was written."""
        version = self.version()
        if self._reads is None or self._reads.version != version:
            self._reads = KeptReads(version, self.store.answer_times(budget.OWN_WINDOW))
        return self._reads

    def due_work(self, first: date, last: date) -> dict[date, Counter[WorkKey]]:
        """How many items fall due on each day from `first` to `last`, by what they take; each
        day is read from the store once while `kept_reads` stands."""
        kept = self.kept_reads()
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        missing = [day for day in days if day not in kept.due]
        if missing:
            fresh: dict[date, Counter[WorkKey]] = {day: Counter() for day in missing}
            for day, kind, target, count in self.store.due_work(missing[0], missing[-1]):
                if day in fresh:
                    fresh[day][(kind, target)] += count
            kept.due.update(fresh)
        return {day: kept.due[day] for day in days}

    def plan_horizon(self) -> int:
        """How many days ahead the budget keeps room for: the longest ladder's last rung."""
        return max([d.ladder[-1] for d in self._decks.values()] + [DEFAULT_LADDER[-1]])

    def reserved(self, today: date, horizon: int, estimates: budget.Estimates,
                 deck: str | None = None) -> dict[int, float]:
        """Seconds expected on each of the next `horizon` days from the items already studied,
        if every review goes well (days counted from today); a plan item on its plan
        (`planned_reviews`) on its planned days."""
        until = today + timedelta(days=horizon)
        planned = [d for d in ([deck] if deck else list(self._decks))
                   if self.has_plan(d) and today <= (self.steady_until(d) or today)]  # a plan past its days: grouped
        groups: list[budget.Group] = [
            (self.scheduler_for(d), state, count, estimates.seconds(kind, target, new=False), self.steady_until(d), ())
            for d, kind, target, state, count in self.store.states_due_by(until, deck) if d not in planned]
        for d in planned:
            alike: dict[tuple[Any, ...], list[Any]] = {}
            for item_id, kind, target, state in self.store.item_states_due_by(until, d):
                later = self.planned_reviews(d, item_id, state)
                key = (kind, target, repr(state), later)
                if key in alike:
                    alike[key][2] += 1
                else:
                    alike[key] = [state, (kind, target), 1, later]
            groups += [(self.scheduler_for(d), state, count, estimates.seconds(kind, target, new=False),
                        self.steady_until(d), later or ()) for state, (kind, target), count, later in alike.values()]
        return budget.projected_load(groups, today, horizon)

    def new_candidates(self, today: date, horizon: int, estimates: budget.Estimates,
                       deck: str | None = None) -> list[budget.Candidate[QueueEntry]]:
        """Items not yet studied that may start today, in the order they should: each deck's plan
        items whose planned start day (`planned_starts`; without a plan, their checkpoint) has come
        (`budget.shortest_first`), then others in plan order, at most `new_per_day` of them a day."""
        starts = self.deck_starts()
        room = max(0, self.settings.new_per_day - self.store.introduced_unplanned(today))
        out = []
        for d in [deck] if deck else list(self._decks):
            day = self.release_day(d, today, starts)
            returns = budget.good_path(self.scheduler_for(d), None, today, horizon)
            balanced = functools.partial(budget.balanced_path, self.scheduler_for(d), today, horizon,
                                         steady_until=self.steady_until(d))
            planned = self.store.new_items(d, day, planned=True)
            plan = self.deck_plan(d)
            on_plan: dict[str, tuple[int, ...]] = {}  # items whose planned start is today: their planned returns
            if plan is not None:  # each from its planned day, the plan's earliest first
                deck_day = self.deck_day(d, today, starts)
                dated = [(item_id, kind, title, target, plan[item_id][0] if item_id in plan else checkpoint)
                         for item_id, kind, title, target, checkpoint in planned]
                planned = [entry for entry in dated if entry[4] <= deck_day]
                on_plan = {entry[0]: tuple(o for o in plan[entry[0]][1] if o <= horizon)
                           for entry in planned if entry[4] == deck_day and entry[0] in plan}
            unplanned = self.store.new_items(d, day, planned=False, limit=room) if room else []
            room -= len(unplanned)
            candidates = []
            for item_id, kind, title, target, plan_day in planned + unplanned:
                seconds = estimates.seconds(kind, target, new=True)
                entry = QueueEntry(item_id, d, kind, title, "new", None, seconds)
                review_s = estimates.seconds(kind, target, new=False)
                candidates.append((plan_day, budget.Candidate(entry, seconds, review_s, on_plan[item_id], None)
                                   if item_id in on_plan else
                                   budget.Candidate(entry, seconds, review_s, returns, balanced)))
            out += budget.shortest_first(candidates[:len(planned)]) + [c for _, c in candidates[len(planned):]]
        return out

    def planned_starts(self, deck: str) -> dict[str, int] | None:
        """The deck day each item of the deck's plan is planned to start on (`deck_plan`)."""
        plan = self.deck_plan(deck)
        return None if plan is None else {item_id: start for item_id, (start, _) in plan.items()}

    def deck_plan(self, deck: str) -> dict[str, Planned] | None:
        """The deck day each item of the deck's plan is planned to start on and the days, as
        offsets from it, its reviews come back on up to the plan's last day (`steady_until`),
        the load balancer's moves among them (`tutor.study.planner`): for a learner who reviews
        everything due, Good, at the stated estimates; None if the deck has none (`has_plan`:
        with an interview date its compressed plan decides). A pure function of the deck's
        content, the budget and the deck's scheduler, kept while those stay the same."""
        if not self.has_plan(deck):
            return None
        key = (deck, self.settings.daily_minutes, self.schedule_key())
        if key not in self._plans:
            estimates, horizon = budget.Estimates(), self.plan_horizon()
            last_day = PLAN_LAST_START + horizon
            paths = budget.review_paths(self.scheduler_for(deck), PLAN_ORIGIN, last_day)
            items = [planner.NewItem(item_id, plan_day, estimates.seconds(kind, target, new=True),
                                     estimates.seconds(kind, target, new=False))
                     for item_id, kind, target, plan_day in self.store.plan_items(deck)]
            starts = plan_cache.plan_starts(items, paths, self.settings.daily_minutes * 60, PLAN_LAST_START,
                                            last_day)
            self._plans[key] = {item_id: (day, tuple(o for o in paths[path] if day + o <= last_day))
                                for item_id, (day, path) in starts.items()}
        return self._plans[key]

    def planned_reviews(self, deck: str, item_id: str, state: ItemState) -> tuple[date, ...] | None:
        """The days of a plan item's planned reviews after its next one, if it is on its plan:
        reviewed Good on each of its planned days so far and next due on its next planned day
        (`state` is the one those reviews and the balancer's planned moves give); else None."""
        where = self._plan_position(deck, item_id, state)
        if where is None:
            return None
        days, n = where
        return days[n + 2:] if state == self._planned_state(deck, days, n) else None

    def planned_day(self, deck: str, item_id: str, state: ItemState) -> date | None:
        """The day of a plan item's next planned review, if it is on its plan (`planned_reviews`)
        as `state`, its scheduler's state after today's review, shows; else None."""
        where = self._plan_position(deck, item_id, state)
        if where is None or where[1] + 1 >= len(where[0]):
            return None
        days, n = where
        expected = self._planned_state(deck, days, n)
        return days[n + 1] if replace(state, due=expected.due) == expected else None

    def _plan_position(self, deck: str, item_id: str, state: ItemState) -> tuple[tuple[date, ...], int] | None:
        """A plan item's planned days (its start, then its reviews) and which of them `state`
        was last reviewed on; None if it is no plan item or was last reviewed on another day."""
        plan = self.deck_plan(deck)
        if plan is None or item_id not in plan:
            return None
        start, offsets = plan[item_id]
        first = self.deck_starts().get(deck, self.today()) + timedelta(days=start)
        days = (first, *(first + timedelta(days=o) for o in offsets))
        return (days, days.index(state.last_day)) if state.last_day in days else None

    def _planned_state(self, deck: str, days: tuple[date, ...], n: int) -> ItemState:
        """The state of an item reviewed Good on `days[:n + 1]`, each next review moved to its
        planned day (`budget.planned_states`), kept: items share their plans."""
        key = (deck, self.schedule_key(), days)
        if key not in self._planned_states:
            self._planned_states[key] = budget.planned_states(self.scheduler_for(deck), days)
        return self._planned_states[key][n]

    def has_plan(self, deck: str) -> bool:
        """Whether the deck's plan items get start days (`planned_starts`): it has plan items
        (a generated deck of 100,000 unplanned cards reads nothing) and no interview date."""
        return (deck in self._decks and any(entry["items"] for entry in self._decks[deck].plan)
                and self.interview_date(deck) is None)

    def steady_until(self, deck: str) -> date | None:
        """The last day the deck's plan keeps within the budget (`deck_plan`), until which the
        load balancer moves its reviews only as the plan chose: a plan item on its plan to its
        planned days, any other not at all, since a review moved a day later lands, and brings
        its later reviews, on days the plan has filled. None: the deck has no plan (`has_plan`)."""
        if not self.has_plan(deck):
            return None
        start = self.deck_starts().get(deck, self.today())
        return start + timedelta(days=PLAN_LAST_START + self.plan_horizon())

    def release_day(self, deck: str, today: date, starts: dict[str, date]) -> int:
        """The plan day whose items may start today: the deck's day, or with an interview date
        the last checkpoint whose compressed date has come; -1 (nothing new) on the last days."""
        day = self.deck_day(deck, today, starts)
        deadline = self.interview_date(deck)
        if deadline is None:
            return day
        if interview.no_new_items(today, deadline):
            return -1
        plan_days = [int(entry["day"]) for entry in self._decks[deck].plan]
        start, last = starts.get(deck, today), max(plan_days, default=0)
        return max([day] + [p for p in plan_days if interview.plan_offset(p, last, start, deadline) <= day])

    def light_review(self, deck: str | None, today: date, queued: set[str],
                     estimates: budget.Estimates) -> list[QueueEntry]:
        """The day before an interview: the deck's weakest studied items, besides what is due."""
        out: list[QueueEntry] = []
        for d in [deck] if deck else list(self._decks):
            if not interview.light_review_day(today, self.interview_date(d)):
                continue
            ready = self.readiness(d)
            studied = {item_id for item_id, _, seen in self.store.deck_items(d) if seen}
            weakest = sorted((r, item_id) for item_id, r in (ready.recall.items() if ready else ())
                             if item_id in studied and item_id not in queued)
            for _, item_id in weakest[:interview.LIGHT_REVIEW_ITEMS]:
                entry = self.item(item_id)
                out.append(QueueEntry(item_id, d, entry.kind, entry.title, "due", today,
                                      estimates.seconds(entry.kind, entry.target_min, new=False)))
        return out

    def next_due(self, deck: str | None = None) -> date | None:
        """The first study day after today with a review due (for "come back on ...")."""
        return self.store.next_due_day(self.today(), deck)

    # -- reviews ---------------------------------------------------------------------------

    def review(self, item_id: str, rating: Rating, *, duration_ms: int | None = None,
               detail: dict[str, Any] | None = None) -> tuple[int, ItemState]:
        """Record a rating. An item whose named mistake recurs in two of its last three checks
        is due again the next day at the latest (`tutor.study.mistakes`); with an interview
        date, a review that would fall after it comes in the final week (`tutor.study.interview`)
        if the item would fade by then (`fades_by`);
        otherwise a long interval's next review may move to a lighter day (`lighter_day`)."""
        entry = self.item(item_id)
        now = self.now()
        day = clock.study_day(now, self.settings.day_start_hour)
        repeated = mistakes.recurring(self.store.recent_mistakes(item_id, mistakes.RECENT_ATTEMPTS))
        if repeated:
            detail = {**(detail or {}), "recurring_mistake": repeated}
        deadline = self.interview_date(entry.deck)

        def due_by(state: ItemState) -> date | None:
            before_date = interview.due_by(item_id, state.due, day, deadline)
            if before_date is not None and deadline is not None and not self.fades_by(entry.deck, state, deadline):
                before_date = None
            days = [d for d in (day + timedelta(days=1) if repeated else None, before_date) if d is not None]
            return min(days, default=None)

        kept, was = self.kept_reads(), self.store.state(item_id)  # kept: stepped below, not read again

        def move_to(state: ItemState) -> date | None:
            return None if repeated else self.lighter_day(state, deadline, leaving=(entry, was))

        writes, others = self.store.version()
        review_id, state = self.store.record_review(
            item_id=item_id, kind=entry.kind, deck=entry.deck, at=now, day=day, rating=Rating(rating),
            scheduler=self.scheduler_for(entry.deck), duration_ms=duration_ms, detail=detail, due_by=due_by,
            move_to=move_to)
        if kept is self._reads and self.store.version() == (writes + 1, others):  # this review alone was written
            kept.reviewed((entry.kind, entry.target_min), was, state, duration_ms, self.version(),
                          lambda state, today, horizon: budget.good_path(self.scheduler_for(entry.deck), state,
                                                                        today, horizon))
        return review_id, state

    def lighter_day(self, state: ItemState, deadline: date | None = None,
                    leaving: tuple[CatalogItem, ItemState | None] | None = None) -> date | None:
        """The load balancer (ARCHITECTURE.md, Daily budget): a later day, within the state's
        `balance_tolerance` and before the interview date, with less work due than the day the
        scheduler gave; None: it stays. `leaving`: the item being reviewed and its state before.
        A plan item on its plan goes to its planned day (`planned_day`); one off it stays on
        the scheduler's day while its deck's plan runs (`steady_until`)."""
        last = state.due + timedelta(days=balance_tolerance(state))
        if leaving is not None and deadline is None:
            planned = self.planned_day(leaving[0].deck, leaving[0].id, state)
            if planned is not None:
                return planned if state.due < planned <= last else None
        steady = self.steady_until(leaving[0].deck) if leaving is not None else None
        if steady is not None and state.due <= steady:
            return None
        if deadline is not None:
            last = min(last, deadline - timedelta(days=1))
        if last <= state.due:
            return None
        best = budget.lighter_day(state.due, last, self.projected_work(state.due, last, leaving))
        return best if best != state.due else None

    def projected_work(self, first: date, last: date,
                       leaving: tuple[CatalogItem, ItemState | None] | None = None) -> dict[date, float]:
        """Seconds of reviews each day from `first` (after today) to `last` will hold: those
        already due then, plus the Good returns onto those days of the items due before
        `first` (today's unreviewed ones among them), less the returns of `leaving` (the item
        under review, as it was). Without the returns a later day always looked lighter: it
        is further from the reviews still to come that will add to it."""
        today = self.today()
        estimates = self.estimates()
        load = {day: _review_seconds(work, estimates) for day, work in self.due_work(first, last).items()}
        horizon = (last - today).days
        returns = {offset: _review_seconds(work, estimates)
                   for offset, work in self.returns_of_due(first - timedelta(days=1), horizon).items()}
        if leaving is not None and leaving[1] is not None:
            item, was = leaving
            path = budget.good_path(self.scheduler_for(item.deck), was, today, horizon)
            budget.add_returns(returns, path, -estimates.seconds(item.kind, item.target_min, new=False))
        for offset, seconds in returns.items():
            day = today + timedelta(days=offset)
            if first <= day <= last:
                load[day] += seconds
        return load

    def returns_of_due(self, until: date, horizon: int) -> dict[int, Counter[WorkKey]]:
        """How many Good returns land on each of the next `horizon` days (offsets from today),
        by what they take, from the items due by `until`: read once while `kept_reads` stands
        (each review steps it), since the read scans every item due (18 ms at 10,000 cards)."""
        kept, today = self.kept_reads(), self.today()
        key = (today, until, horizon)
        if key not in kept.returns:
            returns: dict[int, Counter[WorkKey]] = {}
            for deck, kind, target, before, count in self.store.states_due_by(until):
                for offset in budget.good_path(self.scheduler_for(deck), before, today, horizon):
                    returns.setdefault(offset, Counter())[(kind, target)] += count
            kept.returns[key] = returns
        return kept.returns[key]

    def drawn(self, item: ItemT) -> tuple[ItemT, Drawn | None]:
        """The item as its next review shows it: a variant item drawn with the seed of its review
        number (`tutor.study.variants`: the same until it is answered), any other item as it is."""
        if item.variation is None:
            return item, None
        from tutor.study.variants import drawn_item, next_review

        seed, previous = next_review(item.id, [r.detail for r in self.store.live_reviews(item.id)])
        return drawn_item(item, seed, avoid=previous)

    def save_attempt(self, item: Item, result: Mapping[str, Any]) -> int:
        """Store one check of a drill, derivation or typed card with the named mistakes it found."""
        return self.store.add_attempt(item.id, item.kind, mistakes.attempt_status(result), result, self.now(),
                                      mistakes.named_mistakes(item, result))

    def item_day(self, item_id: str) -> ItemDay:
        """Today's failed checks, hints and give-up of an item: what its rating must reflect."""
        return self.store.item_day(item_id, self.today())

    def open_item(self, item_id: str) -> ItemDay:
        """Note that the item was opened today (its clock starts at the first opening)."""
        return self.store.mark_item_day(item_id, self.today(), self.now())

    def start_clock(self, item_id: str) -> ItemDay:
        """Open a timed item: its clock starts now, or keeps running from an unanswered opening."""
        return self.store.start_item_clock(item_id, self.today(), self.now())

    def stop_clock(self, item_id: str) -> None:
        """The timed item was answered: its next opening starts a fresh clock."""
        self.store.stop_item_clock(item_id, self.today())

    def note_failed_check(self, item_id: str) -> ItemDay:
        return self.store.mark_item_day(item_id, self.today(), self.now(), failed_check=True)

    def note_hints(self, item_id: str, shown: int) -> ItemDay:
        return self.store.mark_item_day(item_id, self.today(), self.now(), hints=shown)

    def note_gave_up(self, item_id: str) -> ItemDay:
        return self.store.mark_item_day(item_id, self.today(), self.now(), gave_up=True)

    def undo(self) -> LoggedReview | None:
        return self.store.undo_last(self.scheduler_for, self.now())

    def preview(self, item_id: str) -> dict[int, date]:
        """The due day each rating would give, for the labels on the rating keys."""
        entry = self.item(item_id)
        now = self.now()
        return self.scheduler_for(entry.deck).preview(self.store.state(item_id), now,
                                                      clock.study_day(now, self.settings.day_start_hour))

    # -- the interview ---------------------------------------------------------------------

    def interview_date(self, deck: str) -> date | None:
        """The date the deck must be ready by (the `interview` setting); once past, none."""
        raw = self.settings.interview.get(deck) or self.settings.interview.get("*")
        when = date.fromisoformat(raw) if raw else None
        return when if when is not None and when >= self.today() else None

    def predicted_recall(self, deck: str, on: date) -> dict[str, float]:
        """Each of the deck's items' recall on a day as FSRS-6 predicts it from the log (unseen
        items 0), with the learner's fitted parameters where there are some, else the defaults."""
        from tutor.schedule.fitting import read_log, recall_on
        from tutor.schedule.fsrs_scheduler import default_parameters

        parameters = self.fsrs_parameters(deck) or default_parameters()
        predicted = recall_on(read_log(self.store.rated_log(deck)), parameters, on.toordinal())
        return {item_id: predicted.get(item_id, 0.0) for item_id, _, _ in self.store.deck_items(deck)}

    def readiness(self, deck: str) -> Readiness | None:
        """The mean predicted recall on the interview date over all the deck's items, what is at
        risk, and the minutes a day it takes to cover the deck in time (read again only after a
        write: it replays the deck's log)."""
        return self._unless_changed(("readiness", deck), lambda: self._readiness(deck))

    def _readiness(self, deck: str) -> Readiness | None:
        deadline = self.interview_date(deck)
        if deadline is None:
            return None
        recall = self.predicted_recall(deck, deadline)
        weakest = sorted((r, n, item_id) for n, (item_id, r) in enumerate(recall.items())
                         if r < self.settings.desired_retention)
        days_left = (deadline - self.today()).days
        needed = interview.minutes_needed(self.store.unseen_work(deck), self.store.due_work_before(deck, deadline),
                                          days_left, self.estimates())
        return Readiness(deadline, days_left, sum(recall.values()) / len(recall) if recall else 0.0, needed,
                         tuple(item_id for *_, item_id in weakest[:interview.AT_RISK_SHOWN]), recall)

    # -- plans -----------------------------------------------------------------------------

    # -- lessons ---------------------------------------------------------------------------

    def lessons(self, deck: str) -> list[CatalogLesson]:
        return self.store.catalog_lessons(deck)

    def read_sections(self, deck: str) -> set[str]:
        return self.store.read_sections(deck)

    def mark_read(self, deck: str, section: str) -> bool:
        now = self.now()
        return self.store.mark_read(deck, section, now, clock.study_day(now, self.settings.day_start_hour))

    def reading(self, deck: str, day: int) -> Reading | None:
        """The lesson sections to read for the checkpoint on deck day `day`; None when it has none."""
        lessons = [s for s in self.lessons(deck) if s.day == day]
        if not lessons:
            return None
        done = self.read_sections(deck)
        return Reading(deck, day, tuple(s.position + 1 for s in lessons), tuple(s.id for s in lessons),
                       tuple(s.id for s in lessons if s.id not in done))

    def plan(self, deck: str) -> list[Checkpoint]:
        today = self.today()
        start = self.deck_starts().get(deck, today)
        out = []
        deadline = self.interview_date(deck)
        last = max((entry["day"] for entry in self._decks[deck].plan), default=0)
        for entry in self._decks[deck].plan:
            when = start + timedelta(days=interview.plan_offset(entry["day"], last, start, deadline))
            studied = sum(self.store.reviewed_since(item_id, when) for item_id in entry["items"])
            complete = studied == len(entry["items"]) and when <= today
            status = "done" if complete else ("due" if when <= today else "upcoming")
            out.append(Checkpoint(deck, entry["day"], when, entry["goal"], tuple(entry["items"]), status, studied))
        return out


def _review_seconds(work: Counter[WorkKey], estimates: budget.Estimates) -> float:
    """Seconds the reviews in `work` take, added in `_work_order` so that a kept count and a
    fresh read give the same sum."""
    return sum(count * estimates.seconds(kind, target, new=False)
               for (kind, target), count in sorted(work.items(), key=_work_order))


def _work_order(entry: tuple[WorkKey, int]) -> tuple[str, bool, float]:
    """One order to add a day's work in (kind, then target_min, none first), kept or read."""
    (kind, target), _ = entry
    return kind, target is not None, target or 0.0


def open_study(home: str | Path | None = None, content: Sequence[str | Path] | None = None,
               scheduler: str | None = None, *, roots: Sequence[Path] | None = None) -> Study:
    """The one place a Study is built, for the command line, the app and the tests.

    `home` is the `--home` flag (else `TUTOR_HOME`, else the platform's data dir): it holds the
    store and `config.yaml`. `content` adds `--content` dirs to the bundled decks and
    `TUTOR_CONTENT`; `roots` replaces all of them (tests pin exactly what is loaded).
    `scheduler` is the `--scheduler` flag, which overrides the settings. Close it when done.
    """
    settings = load_settings({"scheduler": scheduler}, home=None if home is None else str(home))
    store = Store.open(home_dir(None if home is None else str(home)))
    try:
        return Study(store, settings, list(roots) if roots is not None else content_dirs(
            None if content is None else [str(c) for c in content]))
    except BaseException as exc:
        store.close_after(exc)
        raise
