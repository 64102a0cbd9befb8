"""Every drill result has the same shape, whatever happened: a pass, a fail, each kind of error
(including the ones made before any child runs, and the TUI's when the checker itself fails).
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.drills.drill_solutions import ADAM_VECTORISED
from tutor.content import bundled_content_dir, load_library
from tutor.drills import check_drill, sandbox
from tutor.drills.results import DrillResult, error_result

LOAD_ERROR = ("print('hello from the top')\nraise ValueError('no')\n\n\n"
              "def adam_step(param, grad, m, v, t, **hyper):\n    return param, m, v\n")
KEYS = {"version", "drill", "status", "message", "tests", "diagnosis", "duration_s",
        "confinement"}


@pytest.fixture(scope="module")
def adam():
    return load_library([bundled_content_dir()]).items["adam-step"]


def _unavailable(*args, **kwargs):
    raise sandbox.SandboxUnavailable("cannot start the grading process: no such file")


def test_every_outcome_has_the_same_keys_and_reads_back(adam, monkeypatch):
    wrong = ADAM_VECTORISED.replace("1 - beta1 ** t", "1")
    results = {
        "pass": check_drill(adam, ADAM_VECTORISED, wall_s=5),
        "fail": check_drill(adam, wrong, wall_s=5),
        "load error": check_drill(adam, LOAD_ERROR, wall_s=5),
        "syntax error": check_drill(adam, "def adam_step(:\n", wall_s=5),
        "not text": check_drill(adam, b"bytes", wall_s=5),
        "misconfigured": check_drill(dataclasses.replace(adam, reference="os.kill"),
                                     ADAM_VECTORISED, wall_s=5),
        "checker failed (the TUI's)": error_result(adam.id, "the checker failed: boom"),
    }
    monkeypatch.setattr(sandbox, "Child", _unavailable)
    results["no sandbox"] = check_drill(adam, ADAM_VECTORISED, wall_s=5)
    assert {name: r["status"] for name, r in results.items()} == {
        "pass": "pass", "fail": "fail", "load error": "error", "syntax error": "error",
        "not text": "error", "misconfigured": "error", "checker failed (the TUI's)": "error",
        "no sandbox": "error"}
    for name, result in results.items():
        assert set(result) == KEYS, name
        assert DrillResult.from_dict(result).to_dict() == result, name


def test_what_a_file_prints_while_failing_to_load_is_kept(adam):
    result = check_drill(adam, LOAD_ERROR, wall_s=5)
    assert result["status"] == "error" and "ValueError" in result["message"]
    assert result["tests"][0]["output"].startswith("hello from the top")


@pytest.mark.parametrize("broken", [
    {"version": 2}, {"status": "maybe"}, {"tests": {}}, {"tests": [{"name": 1}]},
    {"confinement": "all"}, {"duration_s": "fast"}, {"diagnosis": ["x"]}])
def test_a_malformed_result_is_refused_when_read_back(adam, broken):
    document = dict(error_result(adam.id, "boom"), **broken)
    with pytest.raises(ValueError):
        DrillResult.from_dict(document)
