"""Render the README's screenshots: the real app on the bundled deck, headless, as SVG.

Each screen is reached the way a learner gets there (keys), on a temporary home at a pinned
date, so the pictures are reproducible: `.venv/bin/python docs/screenshots/make_screenshots.py`.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (100, 30)
WRONG_ADAM = '''import numpy as np

def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    return param - lr * m / (np.sqrt(v) + eps), m, v
'''
WRONG_CHAIN = """E[hat_m_t]
= E[m_t] / (1 - beta1^t)
= (1 - beta1) * g * sum(beta1^(t-i), i, 1, t) / (1 - beta1^t)
= (1 - beta1) * g / (1 - beta1) / (1 - beta1^t)
"""


def open_app():
    from tutor.config import load_settings
    from tutor.content import bundled_content_dir
    from tutor.store import Store
    from tutor.study import Study
    from tutor.tui.app import TutorApp

    store = Store.open(Path(os.environ["TUTOR_HOME"]))
    return TutorApp(Study(store, load_settings({}), [bundled_content_dir()]))


async def settle(pilot, seconds: float = 0.3) -> None:
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


async def wait_for(pilot, condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get there")
        await pilot.pause(0.1)


async def shoot(name: str, steps) -> None:
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await steps(app, pilot)
        await settle(pilot)
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    print(f"wrote {name}.svg")


async def dashboard(app, pilot) -> None:
    pass


async def card(app, pilot) -> None:
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "CardScreen")
    await pilot.press("space")


async def item_screen(kind: str, item_id: str, text: str):
    async def steps(app, pilot) -> None:
        from tutor.tui.screens.derivation import DerivationScreen
        from tutor.tui.screens.drill import DrillScreen

        item = app.library().items[item_id]
        screen = (DrillScreen if kind == "drill" else DerivationScreen)(item, app.study)
        await app.push_screen(screen)
        await settle(pilot, 1.0)
        editor = screen.query_one("TextArea")
        editor.replace(text, (0, 0), editor.document.end)
        await pilot.press("ctrl+r")
        deadline = time.monotonic() + 30
        while getattr(screen, "runs", 1) == 0 and time.monotonic() < deadline:
            await pilot.pause(0.2)
        await settle(pilot, 2.0)

    return steps


async def stats(app, pilot) -> None:
    await pilot.press("s")


async def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(TUTOR_HOME=home, TUTOR_NOW="2026-12-01T09:00:00", TZ="UTC")
        await shoot("dashboard", dashboard)
        await shoot("card", card)
        await shoot("drill", await item_screen("drill", "adam-step", WRONG_ADAM))
        await shoot("derivation", await item_screen("derivation", "bias-correction-first-moment", WRONG_CHAIN))
        await shoot("stats", stats)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    asyncio.run(main())
