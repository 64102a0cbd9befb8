"""Case generation, drill validation and the parent's defences, without the TUI or the CLI."""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import math
import os
import stat
import zipfile

import numpy as np
import pytest

from tests.drills.drill_solutions import ADAM_MISTAKES, ADAM_VECTORISED
from tutor.content import bundled_content_dir, load_library
from tutor.content.models import DrillMistake
from tutor.drills import check_drill, sandbox, validate_drill
from tutor.drills.cases import CasesError, build_plan
from tutor.drills.verdict import BadFrame, body_line_count, decode_frame
from tutor.reference import adam_step


@pytest.fixture(scope="module")
def drills():
    library = load_library([bundled_content_dir()])
    return {i.id: i for i in library.items.values() if i.kind == "drill"}


@pytest.fixture(scope="module")
def adam(drills):
    return drills["adam-step"]


# --- cases ---------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_cases_and_another_seed_does_not(adam):
    first, again = build_plan(adam.cases, adam_step), build_plan(adam.cases, adam_step)
    other = build_plan(dict(adam.cases, seed=99), adam_step)
    assert first.cases == again.cases
    assert all(np.array_equal(first.arrays[k], again.arrays[k]) for k in first.arrays)
    assert [i.hyper for i in first.info] != [i.hyper for i in other.info]


def test_adam_cases_cover_shapes_scales_hyper_ranges_and_a_zero_gradient(adam):
    plan = build_plan(adam.cases, adam_step, probes=("eps",))
    real = [(c, i) for c, i in zip(plan.cases, plan.info) if i.probe_of is None]
    assert {tuple(c["returns"][0][2]) for c, _ in real} == {(1,), (5,), (3, 4)}
    grads = [plan.arrays[call["args"][1]["a"]] for c, _ in real for call in c["calls"]]
    magnitudes = np.abs(np.concatenate([g.ravel() for g in grads]))
    nonzero = magnitudes[magnitudes > 0]
    assert nonzero.min() < 1e-6 and nonzero.max() > 1.0
    assert any(np.all(g == 0) for g in grads)  # the zero-gradient step
    assert any((g > 0).any() and (g < 0).any() for g in grads)  # mixed signs
    eps_values = {i.hyper["eps"] for _, i in real}
    assert len(eps_values) == len(real) and min(eps_values) <= 1e-8 < 1e-7 < max(eps_values)
    for _, info in real:
        assert 1e-4 <= info.hyper["lr"] <= 1e-2 and 0.99 <= info.hyper["beta2"] <= 0.9999
    probes = [i for i in plan.info if i.probe_of is not None]
    assert probes and all(p.hyper["eps"] == 100 * plan.info[p.probe_of].hyper["eps"]
                          for p in probes)
    # t runs 1..steps and the state is fed back from the returns.
    calls = real[0][0]["calls"]
    assert [call["args"][4] for call in calls] == [{"v": t} for t in range(1, 9)]
    assert calls[0]["args"][2] == {"s": "m"}


@pytest.mark.parametrize("cases, path", [
    ({"shapes": [[0]]}, "cases.shapes.0"),
    ({"steps": 0}, "cases.steps"),
    ({"hyper": {"lr": [1.0, 0.1]}}, "cases.hyper.lr"),
    ({"hyper": {"momentum": [0.1, 0.9]}}, "cases.hyper.momentum"),
    ({"grad_scale": [0.0, 1.0]}, "cases.grad_scale"),
    ({"colour": "blue"}, "cases.colour"),
    ({"kind": "magic"}, "cases.kind"),
    ({"zero_grad_step": 99}, "cases.zero_grad_step"),
])
def test_bad_case_settings_name_the_key(cases, path):
    with pytest.raises(CasesError) as caught:
        build_plan(cases, adam_step)
    assert path in [p for p, _ in caught.value.issues]


def test_a_hyper_parameter_without_default_needs_a_range(drills):
    from tutor.reference import lamb_step

    with pytest.raises(CasesError) as caught:
        build_plan({"shapes": [[2]]}, lamb_step)
    assert ("cases.hyper.lr", "needs a range: lr has no default") in caught.value.issues


# --- validation ----------------------------------------------------------------------------


def test_every_bundled_drill_validates_clean(drills):
    assert len(drills) == 11
    for drill in drills.values():
        assert validate_drill(drill) == [], drill.id


def test_every_bundled_drill_has_a_model_solution_that_passes(drills):
    for drill in drills.values():
        assert drill.solution and drill.solution.strip() != drill.starter.strip(), drill.id
        assert f"def {drill.function}(" in drill.solution, drill.id
        assert check_drill(drill, drill.solution)["status"] == "pass", drill.id


def test_a_model_solution_that_fails_its_own_check_is_reported(adam):
    wrong = ADAM_MISTAKES["no-bias-correction"]
    [(path, message)] = validate_drill(dataclasses.replace(adam, solution=wrong))
    assert path == "solution" and message.startswith("the model solution does not pass its own check")


def _with_mistakes(drill, *mistakes):
    return dataclasses.replace(drill, mistakes=tuple(DrillMistake(*m) for m in mistakes))


def test_validation_flags_broken_drills(adam):
    issues = validate_drill(_with_mistakes(
        adam,
        ("not-a-mistake", "adamw_no_decay", "plain Adam is the right answer here"),
        ("ghost", "adam_does_not_exist", "..."),
        ("wrong-sign", "adam_wrong_sign", "..."),
        ("wrong-sign-again", "adam_wrong_sign", "..."),
        ("wrong-sign", "adam_no_bias_correction", "...")))
    paths = {p: m for p, m in issues}
    assert "passes the cases" in paths["mistakes.0.variant"]
    assert "'adam_does_not_exist' is not a mistake variant listed" in paths["mistakes.1.variant"]
    assert "cannot tell them apart" in paths["mistakes.3.variant"]
    assert "duplicate mistake id" in paths["mistakes.4.id"]
    assert validate_drill(dataclasses.replace(adam, reference="nope"))[0][0] == "reference"
    bad_starter = validate_drill(dataclasses.replace(adam, starter="def f(:\n"))
    assert bad_starter[0][0] == "starter"


def test_a_property_test_on_an_argument_the_drill_lacks_is_reported(drills):
    drill = _with_mistakes(drills["momentum-step"], ("eps", "rmsprop_hardcoded_eps", "..."))
    issues = validate_drill(drill)
    assert issues and all(path == "mistakes.0.variant" for path, _ in issues)
    assert any("property test cannot see" in message for _, message in issues)


def test_a_misconfigured_drill_is_an_error_result_not_an_exception(adam):
    broken = dataclasses.replace(adam, cases={"steps": "many"})
    result = check_drill(broken, ADAM_VECTORISED, wall_s=5)
    assert result["status"] == "error" and "misconfigured" in result["message"]


# --- the learner's file --------------------------------------------------------------------


def test_body_lines_skip_the_docstring_comments_and_blanks():
    source = ('def f(x):\n    """Doc\n    string."""\n    # a comment\n\n    y = (x +\n'
              '         1)\n    return y\n')
    assert body_line_count(ast.parse(source), source, "f") == 3
    assert body_line_count(ast.parse(source), source, "g") is None


# --- what the child sends back -------------------------------------------------------------


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _meta(**fields):
    return np.frombuffer(json.dumps({"status": "ok", **fields}).encode(), dtype=np.uint8)


def test_a_good_frame_decodes():
    stacked = np.arange(6.0).reshape(2, 3)  # param at calls 0 and 1
    meta, arrays = decode_frame(_npz(meta=_meta(output="hi"), param=stacked))
    assert meta["output"] == "hi" and sorted(arrays) == ["k0.param", "k1.param"]
    assert np.array_equal(arrays["k1.param"], [3.0, 4.0, 5.0])


@pytest.mark.parametrize("frame", [
    b"not a zip at all",
    _npz(meta=_meta(), param=np.array(["text"])),
    _npz(meta=_meta(), param=np.array([1, 2], dtype=np.int64)),
    _npz(meta=_meta(), param=np.float64(1.0)),
    _npz(param=np.ones(2)),
    _npz(meta=np.frombuffer(b"[1, 2]", dtype=np.uint8)),
])
def test_bad_frames_are_refused(frame):
    with pytest.raises(BadFrame):
        decode_frame(frame)


def test_compressed_or_oversized_members_are_refused():
    buffer = io.BytesIO()
    np.savez_compressed(buffer, meta=_meta(), big=np.zeros(10))
    with pytest.raises(BadFrame):
        decode_frame(buffer.getvalue())
    # A header that claims far more data than the member holds.
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (10**12,)})
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w") as archive:
        archive.writestr("meta.npy", _npz_member(_meta()))
        archive.writestr("param.npy", np.lib.format.MAGIC_PREFIX + b"\x01\x00"
                         + header.getvalue()[8:] + b"\x00" * 16)
    with pytest.raises(BadFrame):
        decode_frame(forged.getvalue())


def _npz_member(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


# --- confinement falls back instead of failing ---------------------------------------------


def test_without_unshare_or_cgroup_the_check_still_runs_and_says_so(adam, tmp_path, monkeypatch):
    fake = tmp_path / "unshare"
    fake.write_text("#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\n"
                    "exit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(sandbox, "UNSHARE", str(fake))
    monkeypatch.setattr(sandbox, "_unshare_works", None)
    monkeypatch.setattr(sandbox, "CGROUP_ROOT", str(tmp_path / "no-cgroups-here"))
    monkeypatch.setattr(sandbox, "_warned", set())
    with pytest.warns(sandbox.WeakerSandbox, match="without pidns"):
        passing = check_drill(adam, ADAM_VECTORISED, wall_s=10)
    assert passing["status"] == "pass", passing["message"]
    assert "pidns" not in passing["confinement"] and "pids-cgroup" not in passing["confinement"]
    assert "rlimits" in passing["confinement"]
    if os.geteuid() == 0:  # the harness still isolates the network and the file system itself
        assert {"netns", "readonly-fs", "no-capabilities"} <= set(passing["confinement"])
    assert sandbox._unshare_works is False
    failing = check_drill(adam, ADAM_MISTAKES["wrong-sign"], wall_s=10)
    assert failing["diagnosis"]["id"] == "wrong-sign"


def test_all_layers_are_in_force_here_as_root(adam):
    if os.geteuid() != 0 or not os.access(f"{sandbox.CGROUP_ROOT}/pids", os.W_OK):
        pytest.skip("measured layers are for root on a machine with a writable pids cgroup")
    result = check_drill(adam, ADAM_VECTORISED, wall_s=10)
    assert {*sandbox.FULL_CONFINEMENT, "pids-cgroup", "memory-cgroup"} <= set(
        result["confinement"])
    assert not math.isnan(result["duration_s"])


def test_leftovers_of_a_checker_that_died_are_swept(tmp_path, monkeypatch):
    dead_pid = 4_000_000  # above pid_max, so never alive
    cgroups = tmp_path / "cgroups"
    stale_cgroup = cgroups / "pids" / f"tutor-drill-{dead_pid}-abcd"
    live_cgroup = cgroups / "memory" / f"tutor-drill-{os.getpid()}-abcd"
    stale_cgroup.mkdir(parents=True)
    live_cgroup.mkdir(parents=True)
    temp = tmp_path / "tmp"
    (temp / f"tutor-drill-{dead_pid}-x1y2").mkdir(parents=True)
    (temp / "someone-elses-dir").mkdir()
    monkeypatch.setattr(sandbox, "CGROUP_ROOT", str(cgroups))
    monkeypatch.setattr(sandbox.tempfile, "gettempdir", lambda: str(temp))
    monkeypatch.setattr(sandbox, "_swept", False)
    sandbox._sweep_stale()
    assert not stale_cgroup.exists() and live_cgroup.exists()
    assert sorted(p.name for p in temp.iterdir()) == ["someone-elses-dir"]


def test_the_ordinary_user_path_keeps_the_namespace_layers(adam, monkeypatch):
    """An ordinary user gets PID, network and mount isolation through a user namespace.

    Run here as root with the ordinary user's command line (the interpreter under /root is not
    reachable for other users on this machine, tutor/drills/README.md).
    """
    if sandbox.shutil.which(sandbox.UNSHARE) is None:
        pytest.skip("no unshare program")
    monkeypatch.setattr(sandbox, "_ordinary_user", lambda: True)
    monkeypatch.setattr(sandbox, "_unshare_works", None)
    monkeypatch.setattr(sandbox, "CGROUP_ROOT", "/nonexistent")
    result = check_drill(adam, ADAM_VECTORISED, wall_s=10)
    assert result["status"] == "pass", result["message"]
    assert {"pidns", "netns", "readonly-fs", "project-hidden", "rlimits"} <= set(result["confinement"])
