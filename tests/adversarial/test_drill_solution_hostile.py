"""A deck's model `solution` is deck text: validation checks it in the sandbox like a learner's
answer, so a solution that leans on the project or forges a result is reported, never run here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tutor.content import bundled_content_dir, load_library
from tutor.drills import validate_drill

HOSTILE = Path(__file__).parent / "drills"


@pytest.fixture(scope="module")
def adam():
    return load_library([bundled_content_dir()]).items["adam-step"]


@pytest.mark.parametrize("name", ["imports_tutor.py", "forges_done.py"])
def test_a_solution_that_cheats_is_reported_not_trusted(adam, name):
    hostile = dataclasses.replace(adam, solution=(HOSTILE / name).read_text())
    problems = dict(validate_drill(hostile))
    assert set(problems) == {"solution"}
    assert problems["solution"].startswith("the model solution does not pass its own check")
    assert "\n" not in problems["solution"]
