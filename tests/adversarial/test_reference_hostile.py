"""Hostile deck references: an author drill's reference is the deck's own code, so it is run
exactly like a learner's answer, in the sandbox, and contained the same way. Each file in
`references/` replaces the batchnorm deck's reference; its first line says what a correct
answer's check must end as: `# expect: STATUS[ or STATUS] | words the message must contain`.
Every check ends within the wall limit plus 2 s, leaves no process, writes nothing outside
its temporary directory, reaches no process of the host and never reads what it must not
(a file that could would raise LEAK).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.adversarial.test_drill_hostile import _leftovers
from tests.conftest import TEST_DECKS
from tests.drills.test_author_drills import CORRECT, UNBIASED
from tutor.content import load_library
from tutor.drills import cache, check_drill

WALL_S = 5.0
HERE = Path(__file__).parent / "references"
FILES = sorted(HERE.glob("*.py"))
WRITTEN = [Path("/root/tutor-adv-ref-written"), Path("/tmp/tutor-adv-ref-written"),
           Path("/var/tmp/tutor-adv-ref-written"), Path("/dev/shm/tutor-adv-ref-written")]


def _expectation(path: Path) -> tuple[set[str], str]:
    statuses, _, words = path.read_text().splitlines()[0].removeprefix("# expect:").partition("|")
    return set(statuses.strip().split(" or ")), words.strip()


def _hostile_drill(tmp_path: Path, path: Path):
    root = tmp_path / path.stem
    shutil.copytree(TEST_DECKS / "batchnorm", root)
    (root / "hostile.py").write_text(path.read_text())
    drills = root / "drills.yaml"
    drills.write_text(drills.read_text().replace("reference: {file: reference.py,",
                                                 "reference: {file: hostile.py,"))
    lib = load_library([root])
    assert lib.issues == [], lib.errors
    return lib.items["batchnorm-forward"]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TUTOR_HOME", str(tmp_path_factory.mktemp("hostile-reference-home")))
        yield _run_all(tmp_path_factory.mktemp("hostile-references"))


def _run_all(tmp_path: Path):
    numpy_dir = Path(__import__("numpy").__file__).parent
    written = WRITTEN + [numpy_dir / "tutor-adv-ref-written"]
    for path in written:
        path.unlink(missing_ok=True)
    sentinel = subprocess.Popen(["sleep", "120"])  # a host process of the same user
    drills = {path.stem: _hostile_drill(tmp_path, path) for path in FILES}

    def run(path: Path):
        run_id = f"adv-ref-{path.stem}-{uuid.uuid4().hex[:8]}"
        started = time.monotonic()
        result = check_drill(drills[path.stem], CORRECT, wall_s=WALL_S, run_id=run_id)
        return path.stem, (result, time.monotonic() - started, _leftovers(run_id))

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = dict(pool.map(run, FILES))
        alive = sentinel.poll() is None
    finally:
        sentinel.kill()
        sentinel.wait()
    leaked = [str(p) for p in written if p.exists()]
    for path in written:
        path.unlink(missing_ok=True)
    return results, leaked, alive, drills


def test_there_are_two_hostile_references_of_each_kind():
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_hostile_reference_is_contained(outcomes, path):
    result, elapsed, leftovers = outcomes[0][path.stem]
    statuses, words = _expectation(path)
    text = " ".join([result["message"] or ""] + [f"{t['message']} {t['output']}"
                                                 for t in result["tests"]])
    assert result["status"] in statuses, result["message"]
    if result["status"] == "error":
        assert all(w in text for w in words.split(" and ")), result["message"]
    assert "LEAK" not in text and "Traceback" not in text
    assert elapsed <= WALL_S + 2.0, f"took {elapsed:.1f} s"
    assert leftovers == [], f"processes left behind: {leftovers}"


def test_no_host_process_is_reached(outcomes):
    assert outcomes[2], "the sentinel process was killed from inside the sandbox"


@pytest.mark.skipif(os.geteuid() != 0, reason="the read-only layer is asserted for root (as in CI)")
def test_nothing_is_written_outside_the_temp_dir_as_root(outcomes):
    assert outcomes[1] == []


def test_a_reference_cannot_plant_the_case_cache(outcomes):
    """The planted file would have made every answer pass later; the cache still holds the
    real expected values, so a wrong answer still fails."""
    drill = outcomes[3]["writes_the_case_cache"]
    result = check_drill(drill, UNBIASED)
    assert result["status"] == "fail", result["message"]
    assert cache.load(drill) is not None or not cache.cache_path(drill).exists()
