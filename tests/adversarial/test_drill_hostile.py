"""Hostile drill submissions: each must end as `error` or `fail` with a clear message, leave
no process behind and (as root) write nothing outside its temporary directory.

A submission expected to run into the time limit runs under WALL_S; every other one under
a limit it never comes near (NO_LIMIT_S), so that a loaded machine cannot turn its verdict
(a truncated print, a refused socket) into a time-out.

Each file in `drills/` is an adam-step submission whose first line says what to expect:
`# expect: STATUS | words the message (or output) must contain` (alternatives joined by
" or ": a memory creep on a loaded machine may hit the time limit before the memory limit). They run in parallel
threads, which is also how the TUI uses the checker (no preexec_fn, no shared state).
"""

from __future__ import annotations

import glob
import os
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.drills.drill_solutions import ADAM_VECTORISED
from tutor.content import bundled_content_dir, load_library
from tutor.drills import check_drill

WALL_S = 5.0
NO_LIMIT_S = 60.0
HERE = Path(__file__).parent / "drills"
FILES = sorted(HERE.glob("*.py"))
WRITTEN = [Path("/root/tutor-adv-written"), Path("/tmp/tutor-adv-written"),
           Path("/var/tmp/tutor-adv-written"), Path("/dev/shm/tutor-adv-written")]
MARKERS = ("tutor-adv-outlives-marker", "tutor-adv-lingering-marker")
# The hostile files name "tutor-adv-listener"; each run of this module gets its own name (other
# test sessions on the machine listen at the same time).
LISTENER = f"tutor-adv-listener-{os.getpid()}-{uuid.uuid4().hex[:8]}"
LISTENERS = [f"/tmp/{LISTENER}.sock", f"/run/{LISTENER}.sock", f"\0{LISTENER}"]
# The first test's setup checks every file (some to the time limit) on a shared machine.
pytestmark = pytest.mark.timeout(600)
IPC_KEYS = ("0x74757472", "0x74757473", "0x74757474")  # what leaves_sysv_ipc creates


def _host_state() -> dict[str, set[str]]:
    """What a run could leave on the host: this process's temp dirs and cgroups (other test
    processes check drills at the same time), and the shared memory, IPC objects, POSIX
    queues and files the hostile submissions create (named tutor-adv-*, keys 0x7475747*)."""
    from tutor.config import cache_dir

    ours = f"tutor-drill-{os.getpid()}-*"
    ipcs = subprocess.run(["ipcs"], capture_output=True, text=True).stdout.split()
    return {
        "tmp": set(glob.glob(f"/tmp/{ours}") + [path for path in glob.glob("/tmp/tutor-adv-*")
                                                if "listener" not in path]),
        "shm": set(glob.glob("/dev/shm/*tutor*")),
        "mqueue": set(glob.glob("/dev/mqueue/*tutor*")),
        "ipcs": {word for word in ipcs if word.startswith("0x7475747")},
        "cgroups": set(glob.glob(f"/sys/fs/cgroup/*/{ours}")),
        "cache": {str(p) for p in cache_dir().rglob("*")} if cache_dir().exists() else set(),
    }


def _listen(address: str) -> socket.socket:
    if not address.startswith("\0"):
        Path(address).unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    server.listen(8)
    server.setblocking(False)
    return server


def _connections(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            server.accept()[0].close()
        except BlockingIOError:
            return count
        count += 1


def _expectation(path: Path) -> tuple[str, str]:
    status, _, words = path.read_text().splitlines()[0].removeprefix("# expect:").partition("|")
    return status.strip(), words.strip()


def _processes_with(text: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if text.encode() in cmdline.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def _leftovers(run_id: str) -> list[int]:
    """Processes of this run still alive after a grace period for the kernel's reaping (a few
    scheduler turns, more on a loaded machine; a process left behind stays for ever)."""
    deadline = time.monotonic() + 30.0
    while True:
        alive = _processes_with(run_id) + [p for m in MARKERS for p in _processes_with(m)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TUTOR_HOME", str(tmp_path_factory.mktemp("hostile-home")))
        yield _run_all()


def _run_all():
    drill = load_library([bundled_content_dir()]).items["adam-step"]
    assert check_drill(drill, ADAM_VECTORISED)["status"] == "pass"  # the case cache is built
    numpy_dir = Path(__import__("numpy").__file__).parent
    written = WRITTEN + [numpy_dir / "tutor-adv-written"]
    for path in written:
        path.unlink(missing_ok=True)
    listeners = {address: _listen(address) for address in LISTENERS}
    before = _host_state()

    def run(path: Path):
        run_id = f"adv-{path.stem}-{uuid.uuid4().hex[:8]}"
        source = path.read_text().replace("tutor-adv-listener", LISTENER)
        wall_s = WALL_S if "time limit" in _expectation(path)[1] else NO_LIMIT_S
        result = check_drill(drill, source, wall_s=wall_s, run_id=run_id)
        return path.stem, (result, _leftovers(run_id))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(pool.map(run, FILES))
    leaked = [str(p) for p in written if p.exists()]
    for path in written:
        path.unlink(missing_ok=True)
    reached = {address: _connections(server) for address, server in listeners.items()}
    for address, server in listeners.items():
        server.close()
        if not address.startswith("\0"):
            Path(address).unlink(missing_ok=True)
    left = {what: sorted(now - before[what]) for what, now in _host_state().items()}
    return results, leaked, reached, left


def test_there_are_at_least_forty_five_hostile_submissions():
    assert len(FILES) >= 45


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_hostile_submission_is_contained(outcomes, path):
    result, leftovers = outcomes[0][path.stem]
    statuses, words = _expectation(path)
    assert result["status"] in statuses.split(" or "), result["message"]
    assert result["status"] in ("error", "fail")
    text = " ".join([result["message"] or ""] + [f"{t['message']} {t['output']}"
                                                 for t in result["tests"]])
    assert any(w in text for w in words.split(" or ")), result["message"]
    assert "Traceback" not in (result["message"] or "")
    assert leftovers == [], f"processes left behind: {leftovers}"
    assert result["version"] == 3 and isinstance(result["duration_s"], float)


@pytest.mark.skipif(os.geteuid() != 0, reason="the read-only layer is asserted for root (as in CI)")
def test_nothing_is_written_outside_the_temp_dir_as_root(outcomes):
    results, leaked = outcomes[:2]
    result = results["writes_outside"][0]
    assert "readonly-fs" in result["confinement"]
    assert leaked == []


def test_no_network_inside_the_sandbox(outcomes):
    result = outcomes[0]["network_exfiltration"][0]
    # param + 10 means the connection failed; param + 11 would mean it went through.
    assert result["status"] == "fail"
    details = result["tests"][0]["details"]
    assert details["output"] == "param"
    assert "netns" in result["confinement"]
    import numpy as np

    actual, expected = np.array(details["actual"]), np.array(details["expected"])
    assert np.all(np.abs(actual - expected - 10.0) < 0.5)


def test_flooded_output_is_truncated_to_500_characters(outcomes):
    result = outcomes[0]["print_flood"][0]
    for test in result["tests"]:
        assert len(test["output"]) <= 600
    assert "Output was truncated" in result["tests"][0]["output"]


def test_a_cgroup_limit_that_bites_is_named(outcomes):
    bomb = outcomes[0]["fork_bomb"][0]
    if "pids-cgroup" not in bomb["confinement"]:
        pytest.skip("no pids cgroup on this machine")
    assert "more processes than allowed" in bomb["message"]


INSIDE_SLEEP = """import ctypes
import time


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    ctypes.CDLL(None).prctl(15, b"NAME", 0, 0, 0)  # PR_SET_NAME: the host sees it in comm
    time.sleep(3600)
"""


def _named(comm: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/comm") as name:
                if name.read().strip() == comm:
                    found.append(int(entry))
        except OSError:
            continue
    return found


def test_a_check_whose_parent_dies_does_not_leave_the_child_running(tmp_path):
    """The checker (say, the TUI) is killed mid-check: the sleeping child must go too."""
    import signal
    import subprocess
    import sys

    run_id = f"adv-orphan-{uuid.uuid4().hex[:8]}"
    inside = f"in-{run_id[-8:]}"
    sleeper = tmp_path / "sleeper.py"
    sleeper.write_text(INSIDE_SLEEP.replace("NAME", inside))
    script = (
        "import sys\n"
        "from tutor.content import bundled_content_dir, load_library\n"
        "from tutor.drills import check_drill\n"
        "drill = load_library([bundled_content_dir()]).items['adam-step']\n"
        "print('checking', flush=True)\n"
        "check_drill(drill, open(sys.argv[1]).read(), wall_s=60, run_id=sys.argv[2])\n")
    parent = subprocess.Popen([sys.executable, "-c", script, str(sleeper), run_id],
                              stdout=subprocess.PIPE, cwd=Path(__file__).parents[2])
    assert parent.stdout.readline().strip() == b"checking"
    while not _named(inside):  # the learner's code has started (pytest-timeout guards)
        assert parent.poll() is None
        time.sleep(0.05)
    assert _processes_with(run_id)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    # Going takes a few scheduler turns, more on a loaded machine; staying would be for ever.
    deadline = time.monotonic() + 60
    while _processes_with(run_id) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_with(run_id) == [] and _named(inside) == []


def test_nothing_is_left_on_the_host_after_the_suite(outcomes):
    """No temp dir, cgroup, shared memory, IPC object or cache file outlives the runs (the
    deep tree, the full work dir and the IPC objects were made to stay)."""
    left = outcomes[3]
    assert left == {what: [] for what in left}


def test_host_unix_sockets_are_unreachable(outcomes):
    for name in ("host_unix_sockets", "abstract_unix_sockets"):
        result = outcomes[0][name][0]
        assert result["status"] == "fail", result["message"]
    assert outcomes[2] == {address: 0 for address in LISTENERS}


def test_the_result_names_every_layer_in_force(outcomes):
    from tutor.drills.sandbox import FULL_CONFINEMENT

    result = outcomes[0]["reads_case_cache"][0]
    assert set(FULL_CONFINEMENT) <= set(result["confinement"])
