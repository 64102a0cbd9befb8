"""What the parent believes from the child: a pass needs every case run and compared here.

The child is untrusted, so its frames are only ever the learner's outputs: a case may come
back `skipped` only after an earlier case of the same run failed, hidden probe cases are
compared too, and a missing case is an error. Each test forges what a hostile child could send.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.drills.test_fast_path import _check_with_frames, _honest_frames
from tutor.drills import verdict
from tutor.drills.harness import npy_bytes, npz_bytes


def _meta_frame(meta: dict) -> bytes:
    return npz_bytes({"meta": npy_bytes(np.frombuffer(json.dumps(meta).encode(), np.uint8))})


SKIPPED = _meta_frame({"status": "skipped", "output": ""})


@pytest.fixture(scope="module")
def adam():
    from tutor.content import bundled_content_dir, load_library

    return load_library([bundled_content_dir()]).items["adam-step"]


@pytest.fixture(params=["cached", "uncached"])
def cache_state(request, adam, tmp_path, monkeypatch):
    """Both ways through a check: from the case cache (no numpy) and without one."""
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path))
    if request.param == "cached":
        verdict.save_cache(adam, verdict.prepare(adam))
    return request.param


def test_every_case_skipped_is_not_a_pass(adam, cache_state):
    frames = {index: SKIPPED for index in _honest_frames(adam)}
    result = _check_with_frames(adam, frames)
    assert result["status"] == "error"
    assert "skipped though no earlier case failed" in result["message"]


def test_skipping_after_passing_cases_is_not_a_pass(adam, cache_state):
    frames = _honest_frames(adam)
    frames.update({index: SKIPPED for index in list(frames)[3:]})
    result = _check_with_frames(adam, frames)
    assert result["status"] == "error"
    assert "case 4 came back skipped" in result["message"]


def test_skipping_after_a_real_error_reports_that_error(adam, cache_state):
    frames = _honest_frames(adam)
    frames[1] = _meta_frame({"status": "error", "message": "ZeroDivisionError: boom",
                             "output": ""})
    frames.update({index: SKIPPED for index in list(frames)[2:]})
    result = _check_with_frames(adam, frames)
    assert result["status"] == "error"
    assert result["message"] == "case 2: ZeroDivisionError: boom"


def test_a_wrong_hidden_probe_case_is_a_fail_not_a_pass(adam, cache_state):
    plan, expected_runs, _ = verdict.prepare(adam)
    base, probe = verdict.informative_probes(plan, [run for run, _ in expected_runs], "eps",
                                             adam.tolerance)[0]
    frames = _honest_frames(adam)
    frames[probe] = frames[base]  # the outputs as if eps were ignored, on the probe only
    result = _check_with_frames(adam, frames)
    assert result["status"] == "fail", result["message"]


def test_a_missing_case_is_an_error(adam, cache_state):
    frames = _honest_frames(adam)
    del frames[len(frames) - 1]
    assert _check_with_frames(adam, frames)["status"] == "error"
