"""When the kernel refuses a confinement layer, drills still run under the others: the missing
layer is absent from the result's confinement list, a WeakerSandbox warning says so, and
what the refused layer stopped is still stopped by the fallback (simulated refusals, as root).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.drills.drill_solutions import ADAM_VECTORISED
from tutor.content import bundled_content_dir, load_library
from tutor.drills import check_drill, sandbox

HOSTILE = Path(__file__).parent / "drills"
# What is tested is confinement, so the wall-clock limit must never be what ends a program:
# a program stopped at the limit proves nothing (a leak found a second later goes unseen).
# Without the private root, `reads_case_cache` walks up to 50,000 entries of the host's /tmp,
# /root and /var: 3.5 s of wall time at load 8 here, over the 5 s limit this test once gave.
# Every program here ends by itself (none loops), so a limit far above that costs nothing.
WALL_S = 60.0
# Each must still come back `fail` (its wrong answer, not a leak) under every fallback.
STILL_REFUSED = ["reads_case_cache", "reads_parent_command_line", "host_unix_sockets",
                 "forges_skipped_frames", "uses_the_keyring"]
# The fallback hides this project's tree (other checkouts elsewhere stay visible: the warning
# says the sandbox is weaker), so this reads exactly this checkout's solutions and history.
READS_THIS_PROJECT = f"""
found = []
for leak in ("tests/drills/drill_solutions.py", ".git", "tutor/reference/optimizers.py"):
    try:
        with open({str(REPO)!r} + "/" + leak, "rb") as f:
            if f.read(1):  # a file covered by /dev/null reads empty
                found.append(leak)
    except OSError:
        pass
if found:
    raise RuntimeError(f"LEAK: {{found}}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
"""


@pytest.fixture(scope="module")
def adam():
    return load_library([bundled_content_dir()]).items["adam-step"]


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch):
    monkeypatch.setattr(sandbox, "_warned", set())
    monkeypatch.setattr(sandbox, "_unshare_works", None)


def _no_private_root(monkeypatch):
    """A mount the kernel refuses (its source does not exist): the private root is abandoned."""
    shown = sandbox._visible_paths()
    monkeypatch.setattr(sandbox, "_visible_paths", lambda: [*shown, ("dir", "/nonexistent-tutor")])


def _no_unshare(monkeypatch):
    """No `unshare` program: no PID namespace; the harness unshares what it can itself."""
    monkeypatch.setattr(sandbox, "UNSHARE", "tutor-no-such-unshare")


REFUSALS = {"private-root": (_no_private_root, {"private-root"}),
            "unshare": (_no_unshare, {"pidns"}),
            "both": (lambda mp: (_no_private_root(mp), _no_unshare(mp)), {"pidns", "private-root"})}


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
def test_a_refused_layer_is_named_warned_about_and_the_rest_still_holds(adam, monkeypatch,
                                                                       refusal):
    refuse, missing = REFUSALS[refusal]
    refuse(monkeypatch)
    with pytest.warns(sandbox.WeakerSandbox, match="runs without"):
        honest = check_drill(adam, ADAM_VECTORISED, wall_s=WALL_S)
    assert honest["status"] == "pass", honest["message"]
    assert missing.isdisjoint(honest["confinement"])
    assert {"readonly-fs", "project-hidden", "netns", "ipcns", "seccomp"} <= set(
        honest["confinement"])
    sources = {name: (HOSTILE / f"{name}.py").read_text() for name in STILL_REFUSED}
    sources["reads_this_project"] = READS_THIS_PROJECT
    for name, source in sources.items():
        result = check_drill(adam, source, wall_s=WALL_S)
        assert result["status"] in ("fail", "error"), (name, result["message"])
        assert "LEAK" not in (result["message"] or "") and "REACHED" not in (
            result["message"] or ""), (name, result["message"])
        assert result["status"] == "fail" or "skipped" in result["message"] or \
            "pipe" in result["message"], (name, result["message"])
