"""One study session in the real app (Pilot, 80x24), timing the keys a learner presses all day.

Run by `bench_tui.py` in a child process, with TUTOR_HOME, TUTOR_NOW and the content set;
prints one line `KEYS {json}`: for each key, the milliseconds from the app receiving it to
the last frame it caused (or, if it caused none, to its being handled). Timing starts when the
key reaches the app, not when Pilot sends it, so Pilot's own waiting is never counted. The loop: on each card,
space (reveal; a choice card is picked and a typed card answered right), then 3 (rating to the
next item); every 7th rating is undone with u (the card comes back) and rated again; every
11th item, when a card, is left with q (the dashboard comes back) and resumed with enter. A drill or
derivation reached there is dismissed as rated, and a problem answered; the session ends when
`--ratings` cards are rated, the day is done, or only exercises are left. `x` (bound nowhere)
is pressed before each timed key: the harness's own app's cost of a key that does nothing,
which bench_tui subtracts. A second line `GC {json}` holds, for each timed key in the same
order, the milliseconds of cyclic garbage collection within it, the oldest generation collected
(-1: none), the event loop's processor time over the same span (the editors' too: the script
waits for them on events the app sets, never spinning on the loop it measures): a slow key whose
processor time is short waited for the machine (another process, another thread), not for the
app's own work; and what else ran
(`Background.within`): each thread's processor time, named by the background work it was
doing, the event loop's wait for a processor, the background work that overlapped the key,
and the processor time of the app's children and of the whole machine.

With --editors, a fresh app instead works through every drill and derivation of the content
(`Editors`): the time from the key that opens one to a key typed at once being in its editor;
with --first too, only the first (a drill opened the moment the app is up), for repeated starts.

Usage: python bench/tui_keys.py [--ratings N] [--content DIR] [--editors [--first]]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import threading
import time
from collections import defaultdict
from contextlib import suppress
from pathlib import Path

from textual import events
from textual.widgets import TextArea

import tutor.tui.app as tui_app
from tutor.study import open_study
from tutor.study.answers import expected_answer
from tutor.study.service import QueueEntry
from tutor.tui.app import TutorApp
from tutor.tui.messages import Rated
from tutor.tui.screens.card import option_key

UNDO_EVERY, LEAVE_EVERY = 7, 11
ONLY_EXERCISES_LEFT = 12  # items in a row that are not cards: the rest of the day is exercises, which
#                           the script answers without a pass, so they come back again and again
EXERCISES = ("DrillScreen", "DerivationScreen")


class TimedApp(TutorApp):
    """The app, noting when a key reached it, when it finished dispatching it, and when it last
    sent a frame to the (headless) terminal, and the event loop thread's processor time at each."""

    key_at = key_dispatched = last_frame = 0.0
    cpu_at_key = cpu_at_dispatch = cpu_at_frame = 0.0

    arrived: events.Key | None = None
    threads_at_key: dict[int, tuple[int, int]] = {}
    typed_at = cpu_at_typed = 0.0  # when a z typed into an editor was in it (`EditorWatch`)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.background = Background()
        self.pushed = asyncio.Event()  # set as a screen is pushed
        self.typed = asyncio.Event()  # set as a z typed into an editor is in it
        engines = self.engines
        for name in ("warm_up", "warm_drills", "derivation_checker"):
            setattr(engines, name, self.background.timed(f"engines.{name}", getattr(engines, name)))

    def _parse_library(self, between_files=lambda: None):  # type: ignore[no-untyped-def]
        """Each file of the decks' parse noted apart (`between_files` comes before each)."""
        background = self.background

        def next_file() -> None:
            background.next_part("parse: waits for the key")
            between_files()
            background.next_part("parse: file")

        try:
            return super()._parse_library(next_file)
        finally:
            background.next_part(None)

    async def on_event(self, event: events.Event) -> None:
        # A key the focused widget leaves unhandled bubbles back up to the app: the clock
        # starts when the key first arrives, not again when it comes back.
        first = isinstance(event, events.Key) and event is not self.arrived
        if first:
            self.arrived = event  # type: ignore[assignment]
            self.key_at, self.cpu_at_key = time.perf_counter(), time.thread_time()
            self.threads_at_key = thread_clocks()
        await super().on_event(event)
        if first:
            self.key_dispatched, self.cpu_at_dispatch = time.perf_counter(), time.thread_time()

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        super()._display(screen, renderable)
        if renderable is not None:
            self.last_frame, self.cpu_at_frame = time.perf_counter(), time.thread_time()

    def push_screen(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        pushed = super().push_screen(*args, **kwargs)
        self.pushed.set()
        return pushed


def watch_editors() -> None:
    """Have every editor note, in its app, the moment a z typed into it is in its text (and the
    event loop's processor time then), so the script awaits that instead of polling for it."""
    edit = TextArea.edit

    def noted(self: TextArea, change, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = edit(self, change, *args, **kwargs)
        app = self.app
        if isinstance(app, TimedApp) and getattr(change, "text", None) == "z" and not app.typed.is_set():
            app.typed_at, app.cpu_at_typed = time.perf_counter(), time.thread_time()
            app.typed.set()
        return result

    TextArea.edit = noted  # type: ignore[method-assign]


def thread_clocks() -> dict[int, tuple[int, int]]:
    """Each thread of this process: (nanoseconds it ran, nanoseconds it waited for a processor),
    from the kernel's schedstat (Linux; empty elsewhere)."""
    clocks = {}
    with suppress(OSError):
        for tid in os.listdir("/proc/self/task"):
            with suppress(OSError, ValueError):
                with open(f"/proc/self/task/{tid}/schedstat") as stat:
                    ran, waited, _ = stat.read().split()
                clocks[int(tid)] = (int(ran), int(waited))
    return clocks


def machine_clocks() -> dict[str, float]:
    """Milliseconds of processor time so far: of the whole machine (all processors, from
    /proc/stat, 10 ms steps) and of each of this process's descendants by what it is (the
    drill sandbox's child, the SymPy server); read before a key is sent and after its time is
    taken, as a walk over /proc costs a few milliseconds."""
    clocks: dict[str, float] = defaultdict(float)
    with suppress(OSError):
        with open("/proc/stat") as stat:
            fields = stat.readline().split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
        clocks["machine"] = (user + nice + system + irq + softirq + steal) * 1000 / os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with suppress(OSError, ValueError, IndexError), open(f"/proc/{entry}/stat") as stat:
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
    ours, grew = {os.getpid()}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in ours} - ours
        ours |= found
        grew = bool(found)
    for pid in ours - {os.getpid()}:
        with suppress(OSError, ValueError):
            with open(f"/proc/{pid}/cmdline", "rb") as cmd:
                line = cmd.read().replace(b"\0", b" ").decode(errors="replace")
            what = ("sympy server" if "tutor.derive" in line else "drill sandbox" if "-I -S -B" in line
                    else line.split(" ")[0].rsplit("/", 1)[-1] or "child")
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/schedstat") as stat:
                    clocks[f"child: {what}"] += int(stat.read().split()[0]) / 1e6
    return clocks


class Background:
    """The app's work off the event loop, to tell what a slow key shared the interpreter with:
    the preload's steps (each file of the decks' parse apart) and the checkers starting, each
    noted with its span and the thread that ran it."""

    def __init__(self) -> None:
        self.spans: list[tuple[float, float, str]] = []  # (start, end, what), perf_counter
        self.doing: dict[int, str] = {}  # native thread id: what it runs (or last ran)
        self._part: dict[int, tuple[float, str]] = {}  # native thread id: the part begun
        self._running: dict[tuple[float, int], str] = {}  # (start, native thread id): `timed` work not yet done
        self.doing[threading.main_thread().native_id or 0] = "event loop"

    def timed(self, what: str, work):  # type: ignore[no-untyped-def]
        """`work`, noted as `what` while it runs (on whichever thread calls it)."""
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            thread = threading.get_native_id()
            before = self.doing.get(thread)
            self.doing[thread] = what
            start = time.perf_counter()
            self._running[start, thread] = what
            try:
                return work(*args, **kwargs)
            finally:
                del self._running[start, thread]
                self.spans.append((start, time.perf_counter(), what))
                if before is not None:
                    self.doing[thread] = before
        return run

    def next_part(self, what: str | None) -> None:
        """End the part this thread began (if any) and begin `what` (None: none)."""
        thread, now = threading.get_native_id(), time.perf_counter()
        begun = self._part.pop(thread, None)
        if begun is not None:
            self.spans.append((begun[0], now, begun[1]))
        if what is not None:
            self._part[thread] = (now, what)
            self.doing[thread] = what

    def within(self, start: float, end: float, before: dict[int, tuple[int, int]],
               machine_before: dict[str, float]) -> dict:
        """From start to end: the milliseconds each thread ran (named by what it was doing), how
        long the event loop waited for a processor, and the background work that overlapped;
        from just before the key to just after: the processor time of this process's children
        and of the whole machine (`machine_clocks`)."""
        after = thread_clocks()
        machine = {what: round(ms - machine_before.get(what, 0.0), 1) for what, ms in machine_clocks().items()}
        loop = threading.main_thread().native_id
        ran: dict[str, float] = defaultdict(float)
        for tid, (run_ns, _) in after.items():
            ran[self.doing.get(tid, "other thread")] += (run_ns - before.get(tid, (0, 0))[0]) / 1e6
        waited = (after.get(loop, (0, 0))[1] - before.get(loop, (0, 0))[1]) / 1e6 if loop in after else None
        during: dict[str, float] = defaultdict(float)
        running = [*self._part.values(), *((s, w) for (s, _), w in list(self._running.items()))]
        for s, e, what in [*self.spans, *((s, end, w) for s, w in running)]:
            overlap = min(e, end) - max(s, start)
            if overlap > 0.0005:
                during[what] += overlap * 1000
        return {"ran": {k: round(v, 1) for k, v in ran.items() if v >= 0.5},
                "loop_waited_cpu": None if waited is None else round(waited, 1),
                "machine": {what: ms for what, ms in machine.items() if ms >= 0.5},
                "during": {k: round(v, 1) for k, v in during.items()}}


class Collections:
    """Every cyclic garbage collection of the process: (start, end, generation), perf_counter."""

    def __init__(self) -> None:
        self.done: list[tuple[float, float, int]] = []
        self._start = 0.0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.done.append((self._start, time.perf_counter(), info["generation"]))

    def within(self, start: float, end: float) -> list[float]:
        """[milliseconds collecting, oldest generation or -1] from start to end."""
        inside = [(e - s, gen) for s, e, gen in self.done if s >= start and e <= end]
        return [round(sum(d for d, _ in inside) * 1000, 2), max((gen for _, gen in inside), default=-1)]


class Session:
    def __init__(self, app: TimedApp, pilot) -> None:  # type: ignore[no-untyped-def]
        self.app, self.pilot = app, pilot
        self.times: dict[str, list[float]] = defaultdict(list)
        self.collected: dict[str, list[list[float]]] = defaultdict(list)  # per time: `Collections.within`
        self.collections = Collections()
        self.machine_before: dict[str, float] = {}  # `machine_clocks` just before the key timed

    def note(self, name: str, start: float, end: float, cpu_s: float | None = None,
             clocks: dict[int, tuple[int, int]] | None = None) -> None:
        """Note a key's milliseconds, and what ran meanwhile (`clocks`: `thread_clocks` at its
        start; by default those taken as the last key arrived)."""
        self.times[name].append((end - start) * 1000)
        cpu_ms = None if cpu_s is None else round(cpu_s * 1000, 2)
        threads = self.app.background.within(start, end, self.app.threads_at_key if clocks is None else clocks,
                                             self.machine_before)
        self.collected[name].append([*self.collections.within(start, end), cpu_ms, threads])

    async def timed(self, name: str, key: str, done=None) -> None:  # type: ignore[no-untyped-def]
        """Press `key` and note how long until its last frame (after `x`, the baseline)."""
        await self._measure("unbound key", "x")
        await self._measure(name, key, done)

    async def _measure(self, name: str, key: str, done=None) -> None:  # type: ignore[no-untyped-def]
        app = self.app
        app.last_frame = app.key_dispatched = 0.0
        self.machine_before = machine_clocks()
        await self.pilot.press(key)
        ready = 0.0
        if done is not None:  # e.g. an editor that must have the focus: poll, never sleep
            while not done():
                await asyncio.sleep(0)
            ready = time.perf_counter()
        cpu_at_ready = time.thread_time()
        await self.pilot.pause()
        end, cpu_at_end = max((app.last_frame, app.cpu_at_frame), (app.key_dispatched, app.cpu_at_dispatch),
                              (ready, cpu_at_ready))
        self.note(name, app.key_at, end, cpu_at_end - app.cpu_at_key)

    async def run(self, ratings: int) -> None:
        app, pilot = self.app, self.pilot
        await pilot.pause()
        await pilot.press("enter")  # the first deck's study session
        await pilot.pause()
        rated = items = not_cards = 0
        while rated < ratings and not_cards < ONLY_EXERCISES_LEFT:
            screen = app.screen
            name = type(screen).__name__
            if name == "StudyScreen":
                break  # the day is done
            items += 1
            not_cards = 0 if name == "CardScreen" else not_cards + 1
            if items % LEAVE_EVERY == 0 and name == "CardScreen":
                await self.timed("q: leave the item (dashboard up)", "q")
                await self.timed("enter: back to the study (item up)", "enter")
                continue
            if name == "CardScreen":
                await self._answer(screen)
            elif name in ("DrillScreen", "DerivationScreen"):
                screen.dismiss(Rated(3, {"scripted": True}))
                await pilot.pause()
                continue
            else:  # a timed problem: answered, not timed
                await pilot.press(*"unroll the recursion, zero start, geometric series", "ctrl+t", "ctrl+r", "s")
                await pilot.pause()
                continue
            await self._rate()
            rated += 1
            if rated % UNDO_EVERY == 0 and isinstance(app.screen, type(screen)):
                await self.timed("u: undo (the card back)", "u")
                if type(app.screen).__name__ == "CardScreen":
                    await self._answer(app.screen)
                    await self._rate()

    async def _answer(self, screen) -> None:  # type: ignore[no-untyped-def]
        card = screen.card
        if card.type == "choice":  # the right option: after a wrong one a 3 is refused and rates nothing
            await self.pilot.press(option_key(card.answer[0]))
        elif card.type == "typed":
            await self.pilot.press(*expected_answer(card), "enter")
        else:
            await self.timed("space: show the answer", "space")
        for _ in range(600):  # a formula is checked by the SymPy server, which may still be starting
            if screen.revealed:
                break
            await self.pilot.pause(0.05)

    async def _rate(self) -> None:
        before = self.app.screen
        await self.timed("3: rating to the next item", "3")
        if type(self.app.screen).__name__ in EXERCISES and self.app.screen is not before:
            for kept in (self.times, self.collected):
                settled = kept["3: rating to the next item"].pop()
                kept["3: rating to an exercise (screen settled)"].append(settled)  # type: ignore[arg-type]


class Editors(Session):
    """A sitting whose queue is every shipped drill and derivation, with a card before each
    kind, opened as a learner does: enter on the dashboard as soon as the app is up (the first
    item is a drill), 3 on a revealed card, enter on a finished exercise. Each is timed from that
    key reaching the app until a key typed as soon as the screen is pushed is in the editor."""

    @staticmethod
    def queue(study) -> list[QueueEntry]:  # type: ignore[no-untyped-def]
        """The sitting's queue, from the decks parsed apart: the app parses its own as it would."""
        from tutor.content import load_library

        items = list(load_library(study.content_roots).items.values())
        card = next(item for item in items if item.kind == "card" and item.type == "basic")
        drills = [item for item in items if item.kind == "drill"]
        derivations = [item for item in items if item.kind == "derivation"]
        order = [*drills[:len(drills) // 2], card, *drills[len(drills) // 2:], card, *derivations]
        return [QueueEntry(item.id, item.deck, item.kind, item.title, "new", None) for item in order]

    async def run_editors(self, first_only: bool = False) -> None:
        app = self.app
        await self._open("enter", "enter on the dashboard at start")
        while not first_only and type(app.screen).__name__ in (*EXERCISES, "CardScreen"):
            screen = app.screen
            before = screen
            if type(screen).__name__ in EXERCISES:
                screen._finish(passed=True)  # as a passing check does: then enter moves on
                await self._open("enter", f"enter after a {screen.KIND}")
            else:
                await self.pilot.press("space")
                await self._open("3", "3 on a card")
            if app.screen is before:
                raise SystemExit(f"{type(before).__name__} did not move on")

    async def _open(self, key: str, after: str) -> None:
        """Press `key`; if it opens an exercise, time it until a key typed at once is in its editor
        (a key lost on the way is counted apart: "z lost")."""
        app = self.app
        before = app.screen
        app.key_at = 0.0
        self.machine_before = machine_clocks()
        app.pushed.clear()
        app._driver.send_message(events.Key(key, None))  # type: ignore[union-attr]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (app.screen is before or not app.key_at
                                               or type(app.screen).__name__ == "StudyScreen"):
            app.pushed.clear()  # the study screen shows between items, or when the day is done
            with suppress(TimeoutError):
                await asyncio.wait_for(app.pushed.wait(), 0.05)
        screen, pressed_at, cpu_at_key = app.screen, app.key_at, app.cpu_at_key  # the probe key moves them
        clocks = app.threads_at_key
        if type(screen).__name__ in EXERCISES:  # not imported here: the app imports them when first shown
            app.typed.clear()
            app._driver.send_message(events.Key("z", "z"))  # type: ignore[union-attr]
            try:
                await asyncio.wait_for(app.typed.wait(), 10)
            except TimeoutError:
                self.note(f"{screen.KIND}: z lost", 0.0, 0.0)
            else:
                self.note(f"{screen.KIND} editor takes a key ({after})", pressed_at, app.typed_at,
                          app.cpu_at_typed - cpu_at_key, clocks=clocks)
        await self.pilot.pause()


def named_preload_steps(app: TimedApp, kinds_due: list[str]) -> list:
    """The app's preload steps, each noted in `app.background` under a name of its own."""
    named = []
    for n, step in enumerate(unnamed_preload_steps(app, kinds_due)):
        args = " ".join(map(str, getattr(step, "args", ())))
        what = getattr(getattr(step, "func", step), "__name__", "step")
        named.append(app.background.timed(f"preload {n}: {what} {args}".rstrip(), step))
    return named


unnamed_preload_steps = tui_app.preload_steps


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=60)
    parser.add_argument("--content", type=Path, action="append", help="these decks only (default: the shipped ones)")
    parser.add_argument("--editors", action="store_true", help="time the drill and derivation editors instead")
    parser.add_argument("--first", action="store_true", help="with --editors: only the first, opened at start")
    args = parser.parse_args()
    tui_app.preload_steps = named_preload_steps
    watch_editors()
    study = open_study(roots=args.content) if args.content else open_study()
    if args.editors:  # the dashboard shows this queue too, so the app readies its first item first
        entries = Editors.queue(study)
        study.queue = lambda deck=None: list(entries)  # type: ignore[method-assign]
    app = TimedApp(study)
    async with app.run_test(size=(80, 24)) as pilot:
        if args.editors:
            session: Session = Editors(app, pilot)
            await session.run_editors(args.first)
        else:
            session = Session(app, pilot)
            await session.run(args.ratings)
    print("KEYS " + json.dumps(session.times), flush=True)
    print("GC " + json.dumps(session.collected), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
