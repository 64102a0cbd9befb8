"""A tiny app for testing the drill and derivation screens on their own, on a real Study.

`EnginesApp(kind, item_id)` pushes the screen for one item and records what it dismissed
with.  Also runnable as a script (`python -m tests.tui.engines_app KIND ID`) so a test can
run it under a pseudo-terminal and kill it.
"""

from __future__ import annotations

import atexit
import sys
import time
from pathlib import Path

from textual.app import App

from tutor.content import bundled_content_dir
from tutor.content.models import Drill, DrillMistake, Origin
from tutor.study import Study
from tutor.study import open_study as study_factory
from tutor.tui.engines import DEFAULT_DRILL_WALL_S, Engines
from tutor.tui.messages import ItemResult
from tutor.tui.widgets.code_editor import CodeEditor

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-03-02T09:00:00+00:00"

ADAM_PROMPT = """Implement **one Adam step**: update the moments, correct their bias with
$\\hat m_t = m_t / (1-\\beta_1^t)$ and $\\hat v_t = v_t / (1-\\beta_2^t)$, then take the step
$\\theta \\leftarrow \\theta - \\alpha \\hat m_t / (\\sqrt{\\hat v_t} + \\epsilon)$.
Return `(param, m, v)`."""

ADAM_STARTER = '''import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam update; t is the 1-based number of this step. Returns (param, m, v)."""
    ...
'''

# A drill defined here, so these tests do not depend on which drills the deck ships.
ADAM_DRILL = Drill(
    id="test-adam-step", deck="adam", title="Adam step in numpy", tags=("adam",), notes=None,
    origin=Origin("tests/tui/engines_app.py", 1), prompt=ADAM_PROMPT, function="adam_step",
    signature="adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)",
    starter=ADAM_STARTER, reference="adam_step",
    cases={"shapes": [[1], [5], [3, 4]], "steps": 5, "seed": 7,
           "hyper": {"lr": [1e-4, 1e-2], "beta1": [0.8, 0.95], "beta2": [0.9, 0.999],
                     "eps": [1e-9, 1e-6]}},
    mistakes=(DrillMistake("no-bias-correction", "adam_no_bias_correction",
                           "matches Adam without bias correction: the first steps are too "
                           "small because m and v start at zero"),),
    max_lines=12, hints=("Update m and v first, from the new gradient.",
                         "Divide by 1 - beta ** t, with t starting at 1."),
    target_min=10.0,
)

ADAM_NO_BIAS_CORRECTION = '''import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return param - lr * m / (np.sqrt(v) + eps), m, v
'''

ADAM_RIGHT = '''import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
'''

ADAM_ENDLESS = '''def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    while True:
        pass
'''

DERIVATION_ID = "bias-correction-first-moment"


def open_study(home: Path) -> Study:
    """A Study on `home` with the bundled decks (the clock comes from TUTOR_NOW)."""
    return study_factory(home, roots=[bundled_content_dir()])


def item(study: Study, kind: str, item_id: str):
    """The content model a screen is opened with: the test drill, or a deck derivation."""
    if kind == "drill" and item_id == ADAM_DRILL.id:
        return ADAM_DRILL
    from tutor.content import load_library

    return load_library([bundled_content_dir()]).items[item_id]


_ENGINES: dict[float, Engines] = {}


def shared_engines(wall_s: float) -> Engines:
    """One Engines per drill time limit for the whole test process, kept warm across the tests
    as one app keeps them across screens (so a test's fixed pauses never wait for a cold
    SymPy server); closed when the process exits."""
    if wall_s not in _ENGINES:
        _ENGINES[wall_s] = Engines(drill_wall_s=wall_s)
        atexit.register(_ENGINES[wall_s].close)
    return _ENGINES[wall_s]


class EnginesApp(App):
    """Pushes one DrillScreen or DerivationScreen; `results` holds what it dismissed with."""

    def __init__(self, home: Path, kind: str, item_id: str, wall_s: float = DEFAULT_DRILL_WALL_S) -> None:
        super().__init__()
        self.study = open_study(home)
        self.engines = shared_engines(wall_s)
        self.kind = kind
        self.model = item(self.study, kind, item_id)
        self.results: list[ItemResult] = []

    def on_mount(self) -> None:
        if self.kind == "drill":
            from tutor.tui.screens.drill import DrillScreen

            screen = DrillScreen(self.model, self.study, self.engines)
        else:
            from tutor.tui.screens.derivation import DerivationScreen

            screen = DerivationScreen(self.model, self.study, self.engines)
        self.push_screen(screen, callback=self.results.append)


if __name__ == "__main__":
    EnginesApp(Path(sys.argv[1]), sys.argv[2], sys.argv[3]).run()


async def wait_for(pilot, condition, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (checks and pools answer from threads)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the screen"
        await pilot.pause(0.05)


def put_code(app, source: str) -> None:
    """Replace the drill editor's whole text, as pasting would."""
    editor = app.screen.query_one("#drill-editor", CodeEditor)
    editor.replace(source, (0, 0), editor.document.end)


async def check(pilot) -> None:
    """Press ctrl+r and wait until the screen has counted the run."""
    screen = pilot.app.screen
    before = screen.runs
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: screen.runs > before)
