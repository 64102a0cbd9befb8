"""One study session in the real app (Pilot, 80x24), timing the keys a learner presses all day.

Run by `bench_tui.py` in a child process, with TUTOR_HOME, TUTOR_NOW and the content set;
prints one line `KEYS {json}`: for each key, the milliseconds from the app receiving it to
the last frame it caused (or, if it caused none, to its being handled). Timing starts when the
key reaches the app, not when Pilot sends it, so Pilot's own waiting is never counted. The loop: on each card,
space (reveal; a choice card picks, a typed card is answered right), then 3 (rating to the
next item); every 7th rating is undone with u (the card comes back) and rated again; every
11th item, when a card, is left with q (the dashboard comes back) and resumed with enter. A drill or
derivation reached by a rating is timed until its editor has the focus (it takes keys), then
dismissed as rated. `x` (bound nowhere) is pressed before each timed key: the harness's own
app's cost of a key that does nothing, which bench_tui subtracts.

Usage: python bench/tui_keys.py [--ratings N] [--content DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import defaultdict
from pathlib import Path

from textual import events
from textual.widgets import TextArea

from tutor.study import open_study
from tutor.study.answers import expected_answer
from tutor.tui.app import TutorApp
from tutor.tui.messages import Rated

UNDO_EVERY, LEAVE_EVERY = 7, 11


class TimedApp(TutorApp):
    """The app, noting when a key reached it, when it finished dispatching it, and when it last
    sent a frame to the (headless) terminal."""

    key_at = key_dispatched = last_frame = 0.0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.key_at = time.perf_counter()
        await super().on_event(event)
        if isinstance(event, events.Key):
            self.key_dispatched = time.perf_counter()

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        super()._display(screen, renderable)
        if renderable is not None:
            self.last_frame = time.perf_counter()


class Session:
    def __init__(self, app: TimedApp, pilot) -> None:  # type: ignore[no-untyped-def]
        self.app, self.pilot = app, pilot
        self.times: dict[str, list[float]] = defaultdict(list)

    async def timed(self, name: str, key: str, done=None) -> None:  # type: ignore[no-untyped-def]
        """Press `key` and note how long until its last frame (after `x`, the baseline)."""
        await self._measure("unbound key", "x")
        await self._measure(name, key, done)

    async def _measure(self, name: str, key: str, done=None) -> None:  # type: ignore[no-untyped-def]
        app = self.app
        app.last_frame = app.key_dispatched = 0.0
        await self.pilot.press(key)
        ready = 0.0
        if done is not None:  # e.g. an editor that must have the focus: poll, never sleep
            while not done():
                await asyncio.sleep(0)
            ready = time.perf_counter()
        await self.pilot.pause()
        self.times[name].append((max(app.last_frame, app.key_dispatched, ready) - app.key_at) * 1000)

    async def run(self, ratings: int) -> None:
        app, pilot = self.app, self.pilot
        await pilot.pause()
        await pilot.press("enter")  # the first deck's study session
        await pilot.pause()
        rated = items = 0
        while rated < ratings:
            screen = app.screen
            name = type(screen).__name__
            if name == "StudyScreen":
                break  # the day is done
            items += 1
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
        if card.type == "choice":
            await self.pilot.press("a")
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
        following = {"DrillScreen", "DerivationScreen"}

        def editor_ready() -> bool:
            screen = self.app.screen
            if screen is before or type(screen).__name__ not in following:
                return True
            return isinstance(screen.focused, TextArea)

        await self.timed("3: rating to the next item", "3", editor_ready)
        screen = self.app.screen
        if type(screen).__name__ in following:
            self.times["3: rating to a drill/derivation editor taking keys"].append(
                self.times["3: rating to the next item"].pop())

    async def open_engines(self) -> None:
        """Every drill and derivation opened straight from the dashboard, until its editor takes keys."""
        from tutor.tui.screens.derivation import DerivationScreen
        from tutor.tui.screens.drill import DrillScreen

        app = self.app
        for item in app.library().items.values():
            kind = {"drill": DrillScreen, "derivation": DerivationScreen}.get(item.kind)
            if kind is None:
                continue
            await self.pilot.pause()
            start = time.perf_counter()
            app.push_screen(kind(item, app.study, app.engines))
            while not isinstance(app.screen.focused, TextArea):
                await asyncio.sleep(0)
            self.times["open a drill/derivation until its editor takes keys"].append(
                (time.perf_counter() - start) * 1000)
            app.screen.dismiss(None)
            await self.pilot.pause()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=60)
    parser.add_argument("--content", type=Path, action="append", help="these decks only (default: the shipped ones)")
    args = parser.parse_args()
    study = open_study(roots=args.content) if args.content else open_study()
    app = TimedApp(study)
    async with app.run_test(size=(80, 24)) as pilot:
        session = Session(app, pilot)
        await session.run(args.ratings)
        await pilot.press("q")
        await pilot.pause()
        await session.open_engines()
    print("KEYS " + json.dumps(session.times), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
