"""A deck names its drill's reference and mistake variants; a hostile deck must never get
anything called through those names (only the registry in `tutor.reference` is consulted).

Each run is a separate `tutor` process: a name that reached `os.kill` would kill it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DRILLS = (REPO / "content" / "adam" / "drills.yaml").read_text()
MOMENTUM = re.search(r"  - id: momentum-step\n.*?(?=\n  - id: )", DRILLS, re.S).group(0)
DECK = "id: hostile\ntitle: Hostile deck\nplan:\n  - day: 0\n    goal: start\n    items: [evil-step]\n"
HOSTILE_NAMES = ["optimizers.np.f2py.os.kill", "os.kill", "np.f2py.os.system",
                 "__builtins__", "mistakes.np.lib", "adam_step.__globals__", "ignores"]


def _deck(tmp_path: Path, reference: str = "momentum_step", variant: str | None = None) -> Path:
    drill = MOMENTUM.replace("id: momentum-step", "id: evil-step").replace(
        "reference: momentum_step", f"reference: {reference}")
    if variant is not None:
        drill = drill.replace("variant: momentum_no_ema_factor", f"variant: {variant}", 1)
    root = tmp_path / "content" / "hostile"
    root.mkdir(parents=True)
    (root / "deck.yaml").write_text(DECK)
    (root / "drills.yaml").write_text("drills:\n" + drill + "\n")
    return root.parent


def _tutor(tmp_path: Path, content: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", "--home", str(tmp_path / "home"),
                           *args[:2], "--content", str(content), *args[2:]],
                          capture_output=True, text=True, timeout=120, cwd=REPO)


def _reference_line(content: Path) -> int:
    lines = (content / "hostile" / "drills.yaml").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith("reference:"))


@pytest.mark.parametrize("name", HOSTILE_NAMES[:4])
def test_a_deck_reference_outside_the_registry_is_a_validation_error_with_its_line(
        tmp_path, name):
    content = _deck(tmp_path, reference=name)
    run = _tutor(tmp_path, content, "content", "validate")
    assert run.returncode > 0, run.stderr  # not killed by a signal: nothing was called
    where = f"drills.yaml:{_reference_line(content)}"
    assert where in run.stdout + run.stderr
    assert "is not a reference function listed in tutor.reference" in run.stdout + run.stderr


@pytest.mark.parametrize("name", HOSTILE_NAMES[4:] + HOSTILE_NAMES[:1])
def test_a_mistake_variant_outside_the_registry_is_a_validation_error(tmp_path, name):
    content = _deck(tmp_path, variant=name)
    run = _tutor(tmp_path, content, "content", "validate")
    assert run.returncode > 0, run.stderr
    assert "is not a mistake variant listed in tutor.reference" in run.stdout + run.stderr


def test_checking_a_drill_with_a_hostile_reference_calls_nothing(tmp_path):
    content = _deck(tmp_path, reference="optimizers.np.f2py.os.kill")
    answer = tmp_path / "answer.py"
    answer.write_text("def momentum_step(param, grad, m, lr, beta1=0.9):\n    return param, m\n")
    run = _tutor(tmp_path, content, "drill", "check", "evil-step", str(answer))
    assert run.returncode > 0, run.stderr
    assert "misconfigured" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
