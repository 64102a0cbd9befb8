"""The benches' child scripts still run against today's code. A bench whose script breaks when
an API moves reports nothing until someone runs it: `bench/bench_tui.py`'s first-frame child
went on calling `run_app` with the command line's arguments after `run_app` came to take a
Study, and the start-up figure was gone for a whole round of work."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import subprocess_env

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("script", ["MINIMAL", "TUTOR"])
def test_the_first_frame_children_reach_their_first_frame(script, tmp_path):
    bench = bench_module("bench_tui")
    env = subprocess_env(TUTOR_HOME=str(tmp_path), TUTOR_NOW="2026-03-02T09:00:00")
    inside, wall = bench.run_child(getattr(bench, script), env)  # SystemExit with the child's stderr if not
    assert 0 < inside <= wall
