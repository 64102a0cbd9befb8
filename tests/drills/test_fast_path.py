"""The quick way through a drill check: a correct answer passes from cached cases without numpy
in the checking process; everything else still gets the full grading (ARCHITECTURE.md: Speed budgets, A drill check).

What a learner would notice: the same result, sooner; a broken or stale cache never changes a
verdict; a wrong answer still has its mistake named; a child that sends nonsense is an error,
never a crash.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import re
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, subprocess_env
from tests.drills.drill_solutions import ADAM_MISTAKES, ADAM_VECTORISED
from tutor.config import cache_dir
from tutor.content import bundled_content_dir, load_library
from tutor.drills import cache, check, check_drill, verdict
from tutor.drills.harness import npy_bytes, npz_bytes, stack_outputs
from tutor.drills.sandbox import Exchange

CHECK_SCRIPT = """
import json, sys
from tutor.content import bundled_content_dir, load_library
from tutor.drills import check_drill
drill = load_library([bundled_content_dir()]).items[sys.argv[1]]
result = check_drill(drill, open(sys.argv[2]).read())
print(json.dumps({"result": result, "numpy": "numpy" in sys.modules}))
"""


@pytest.fixture(scope="module")
def adam():
    return load_library([bundled_content_dir()]).items["adam-step"]


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path))
    return tmp_path / "cache"


def _fresh_process_check(home, drill_id, source, tmp_path) -> dict:
    answer = tmp_path / "answer.py"
    answer.write_text(source)
    out = subprocess.run([sys.executable, "-c", CHECK_SCRIPT, drill_id, str(answer)],
                         capture_output=True, text=True, cwd=REPO, timeout=60,
                         env=subprocess_env(TUTOR_HOME=str(home)))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _same_document(a: dict, b: dict) -> None:
    """Equal but for the time taken (and object addresses inside quoted numpy errors)."""
    def comparable(document):
        text = json.dumps({k: v for k, v in document.items() if k != "duration_s"})
        return re.sub(r" at 0x[0-9a-f]+", "", text)

    assert comparable(a) == comparable(b)


# --- the fast path itself --------------------------------------------------------------------


def test_the_cache_lives_in_the_tutor_home_when_one_is_set(cache_home):
    assert cache_dir() == cache_home


def test_a_correct_answer_passes_without_numpy_once_the_cases_are_cached(tmp_path):
    home = tmp_path / "home"
    first = _fresh_process_check(home, "adam-step", ADAM_VECTORISED, tmp_path)
    assert first["result"]["status"] == "pass" and first["numpy"]  # built the cache
    assert (home / "cache" / "drills" / "adam-step.cases").is_file()
    second = _fresh_process_check(home, "adam-step", ADAM_VECTORISED, tmp_path)
    assert second["numpy"] is False
    _same_document(second["result"], first["result"])


def test_a_wrong_answer_still_has_its_mistake_named(adam, cache_home):
    assert check_drill(adam, ADAM_VECTORISED)["status"] == "pass"
    assert cache.load(adam) is not None
    result = check_drill(adam, ADAM_MISTAKES["eps-inside-sqrt"])
    assert result["status"] == "fail"
    assert result["diagnosis"]["id"] == "eps-inside-sqrt"
    assert any(t["status"] == "fail" and t.get("details") for t in result["tests"])


def test_a_pass_from_the_cache_is_the_same_document_as_one_graded_with_numpy(adam, cache_home,
                                                                               monkeypatch):
    with_numpy = check_drill(adam, ADAM_VECTORISED)  # no cache yet: the full path
    monkeypatch.setattr(verdict, "evaluate", _must_not_be_called)
    _same_document(check_drill(adam, ADAM_VECTORISED), with_numpy)


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("the numpy grading ran for a correct answer with a cache")


# --- the cache is untrusted ------------------------------------------------------------------


def _rewritten_index(data: bytes, **changes) -> bytes:
    """The file with some index fields changed (the digest still matches the body)."""
    end = data.index(b"\n", len(cache.MAGIC))
    index = json.loads(data[len(cache.MAGIC):end])
    index.update(changes)
    return cache.MAGIC + json.dumps(index).encode() + data[end:]


CORRUPTIONS = {
    "empty": lambda data, other: b"",
    "truncated": lambda data, other: data[:len(data) // 2],
    "one byte flipped": lambda data, other: data[:-9] + bytes([data[-9] ^ 1]) + data[-8:],
    "garbage": lambda data, other: b"\x00\xff" * 500,
    "not json": lambda data, other: cache.MAGIC + b"{nope\n" + data,
    "another drill's file": lambda data, other: other,
    "sizes that lie": lambda data, other: _rewritten_index(data, inputs=len(data) * 2),
    "shapes that lie": lambda data, other: _rewritten_index(
        data, cases=[{"name": "x", "outputs": [["param", [10**9, 10**9]]]}]),
    "wrong types": lambda data, other: _rewritten_index(data, cases={"a": 1}),
    "an older format": lambda data, other: _rewritten_index(data, format=0),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_damaged_or_foreign_cache_file_is_ignored_and_rebuilt(adam, cache_home, corruption):
    adamw = load_library([bundled_content_dir()]).items["adamw-step"]
    for drill in (adam, adamw):
        verdict.save_cache(drill, verdict.prepare(drill))
    path = cache.cache_path(adam)
    path.write_bytes(CORRUPTIONS[corruption](path.read_bytes(),
                                             cache.cache_path(adamw).read_bytes()))
    assert cache.load(adam) is None
    result = check_drill(adam, ADAM_VECTORISED)
    assert result["status"] == "pass" and len(result["tests"]) >= 6
    assert cache.load(adam) is not None  # written again


def test_changing_the_cases_or_tolerance_invalidates_the_cache(adam, cache_home):
    check_drill(adam, ADAM_VECTORISED)
    original = cache.load(adam)
    reseeded = dataclasses.replace(adam, cases={**adam.cases, "seed": 12345})
    looser = dataclasses.replace(adam, tolerance=dataclasses.replace(adam.tolerance, rtol=1e-3))
    assert cache.load(reseeded) is None and cache.load(looser) is None
    assert check_drill(reseeded, ADAM_VECTORISED)["status"] == "pass"
    rebuilt = cache.load(reseeded)
    assert rebuilt is not None and rebuilt.inputs != original.inputs
    assert cache.load(adam) is None  # one file per drill: the old definition's is gone


def test_a_cache_with_other_inputs_than_the_drill_gets_a_new_child(adam, cache_home,
                                                                    monkeypatch):
    """A file that passes every check but holds other cases (written by hand, say) must not
    decide a verdict: the answer is run again on the drill's real cases."""
    reseeded = dataclasses.replace(adam, cases={**adam.cases, "seed": 999})
    verdict.save_cache(reseeded, verdict.prepare(reseeded))  # same id: adam's file
    monkeypatch.setattr(cache, "cache_key", lambda drill: "one key for every definition")
    path = cache.cache_path(adam)
    path.write_bytes(_rewritten_index(path.read_bytes(), key="one key for every definition"))
    assert cache.load(adam).inputs == verdict.prepare(reseeded)[2]
    result = check_drill(adam, ADAM_MISTAKES["wrong-sign"])
    assert result["status"] == "fail" and result["diagnosis"]["id"] == "wrong-sign"
    assert cache.load(adam).inputs == verdict.prepare(adam)[2]  # put right


# --- what the child sends back ---------------------------------------------------------------


def _honest_frames(drill) -> dict[int, bytes]:
    """The frames the harness would send for a correct answer, made in this process."""
    plan, expected_runs, _ = verdict.prepare(drill)
    frames = {}
    for index, (outputs, _) in enumerate(expected_runs):
        meta = np.frombuffer(json.dumps({"status": "ok", "output": ""}).encode(), dtype=np.uint8)
        arrays = {"meta": meta, **stack_outputs(np, outputs)}
        frames[index] = npz_bytes({name: npy_bytes(array) for name, array in arrays.items()})
    return frames


class _FakeChild:
    """Stands in for the sandboxed child: replies with the given frames."""

    base_layers = ["fake"]

    def __init__(self, frames):
        self.frames = frames

    def run(self, payload, deadline):
        exchange = Exchange()
        exchange.frames, exchange.done = dict(self.frames), True
        return exchange

    def close(self):
        pass


def _check_with_frames(drill, frames) -> dict:
    return check.check_with_child(drill, ADAM_VECTORISED, _FakeChild(frames), 10.0,
                                  time.perf_counter())


def test_the_harness_frames_read_the_same_without_numpy(adam):
    frame = _honest_frames(adam)[2]
    meta, arrays = check.read_frame(frame)
    numpy_meta, numpy_arrays = verdict.decode_frame(frame)
    assert meta == numpy_meta
    for name, (shape, values) in arrays.items():
        stacked = np.stack([numpy_arrays[f"k{call}.{name}"] for call in range(shape[0])])
        assert stacked.shape == shape and stacked.ravel().tolist() == values


def test_the_full_grading_reads_array_headers_without_ast(adam, monkeypatch):
    """Checks run in threads, and CPython 3.11's `ast` cannot build trees in two at once ("AST
    constructor recursion depth mismatch", seen in a loaded suite): numpy parses npy headers
    with it, so a right answer could end as an error. Headers are read by pattern instead."""
    def racing(*args, **kwargs):
        raise SystemError("AST constructor recursion depth mismatch")

    frame = _honest_frames(adam)[2]
    monkeypatch.setattr(ast, "literal_eval", racing)
    meta, arrays = verdict.decode_frame(frame)
    assert meta["status"] == "ok" and arrays


def _npy(header: str, data: bytes, version: bytes = b"\x01\x00") -> bytes:
    """An npy member with any header text at all, padded as numpy pads it."""
    text = header + " " * (-(10 + len(header) + 1) % 64) + "\n"
    return b"\x93NUMPY" + version + len(text).to_bytes(2, "little") + text.encode() + data


def _frame(drill, param: bytes | None = None, meta: bytes = b'{"status": "ok", "output": ""}',
           drop_meta: bool = False) -> bytes:
    """The frame of case 2 (shape (5,), 8 steps) with its param member or meta replaced."""
    plan, expected_runs, _ = verdict.prepare(drill)
    members = {"meta": npy_bytes(np.frombuffer(meta, dtype=np.uint8))}
    members.update({name: npy_bytes(array)
                    for name, array in stack_outputs(np, expected_runs[1][0]).items()})
    if param is not None:
        members["param"] = param
    if drop_meta:
        del members["meta"]
    return npz_bytes(members)


def _compressed(frame: bytes) -> bytes:
    """Every member marked deflated, in the local headers and the central directory."""
    frame = frame.replace(b"PK\x03\x04\x14\x00\x00\x00\x00\x00", b"PK\x03\x04\x14\x00\x00\x00\x08\x00")
    return frame.replace(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00",
                         b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x08\x00")


F8 = "{'descr': '<f8', 'fortran_order': False, 'shape': %s, }"
DATA = np.zeros((8, 5)).tobytes()
LIES = {
    "shape larger than the data": lambda d: _frame(d, _npy(F8 % "(9, 5)", DATA)),
    "shape far too large": lambda d: _frame(d, _npy(F8 % "(800000000, 5)", DATA)),
    "no shape at all": lambda d: _frame(d, _npy(F8 % "()", DATA[:8])),
    "float32 data": lambda d: _frame(d, _npy(F8.replace("<f8", "<f4") % "(8, 10)", DATA)),
    "fortran order": lambda d: _frame(d, _npy(F8.replace("False", "True") % "(8, 5)", DATA)),
    "code in the header": lambda d: _frame(d, _npy("__import__('os').system('true')", DATA)),
    "header length past the end": lambda d: _frame(d, b"\x93NUMPY\x01\x00\xff\xff{'descr'"),
    "npy version 3": lambda d: _frame(d, _npy(F8 % "(8, 5)", DATA, version=b"\x03\x00")),
    "compressed members": lambda d: _compressed(_frame(d)),
    "truncated": lambda d: _frame(d)[:700],
    "no meta": lambda d: _frame(d, drop_meta=True),
    "meta not json": lambda d: _frame(d, meta=b'{"status": "ok"'),
    "meta not a mapping": lambda d: _frame(d, meta=b'["ok"]'),
}


@pytest.mark.parametrize("lie", sorted(LIES))
def test_a_child_that_sends_odd_or_lying_arrays_gets_the_full_grading_not_a_crash(
        adam, cache_home, lie):
    """The strict reader declines the frame, and the numpy grading decides, as it always did:
    an error (the results could not be read) or a fail, never a pass or an exception."""
    verdict.save_cache(adam, verdict.prepare(adam))
    frames = _honest_frames(adam)
    frames[1] = LIES[lie](adam)
    assert check.read_frame(frames[1]) is None
    result = _check_with_frames(adam, frames)
    plan, expected_runs, _ = verdict.prepare(adam)
    exchange = _FakeChild(frames).run(b"", 0)
    tree = ast.parse(ADAM_VECTORISED)
    graded = verdict.evaluate(adam, ADAM_VECTORISED, tree, plan, expected_runs, exchange, 10.0,
                              time.perf_counter(), ["fake"])
    _same_document(result, graded)
    assert result["status"] in ("error", "fail"), result


def test_frames_written_by_numpy_itself_are_left_to_the_numpy_path(adam, cache_home):
    """numpy.savez's layout differs in detail (zip extras): the strict reader declines it,
    and the full grading accepts it, so the answer still passes."""
    check_drill(adam, ADAM_VECTORISED)
    plan, expected_runs, _ = verdict.prepare(adam)
    frames = {}
    for index, (outputs, _) in enumerate(expected_runs):
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.frombuffer(b'{"status": "ok", "output": ""}', dtype=np.uint8),
                 **stack_outputs(np, outputs))
        frames[index] = buffer.getvalue()
    assert _check_with_frames(adam, frames)["status"] == "pass"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=2000))
def test_random_bytes_never_crash_the_fast_reader(junk, cut):
    frame = npz_bytes({"meta": npy_bytes(np.frombuffer(b'{"status": "ok"}', dtype=np.uint8)),
                       "param": npy_bytes(np.arange(6.0).reshape(2, 3))})
    for candidate in (junk, frame[:cut] + junk, frame[:cut] + junk + frame[cut:]):
        decoded = check.read_frame(candidate)
        assert decoded is None or isinstance(decoded[0], dict)


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=500, deadline=None)
@given(finite, finite, st.sampled_from([0.0, 1e-12, 1e-7, 1e-3]),
       st.sampled_from([0.0, 1e-12, 1e-10, 1e-6]))
def test_the_plain_python_comparison_agrees_with_numpy_isclose(actual, expected, rtol, atol):
    fast = check.outputs_close({"x": ((1,), [actual])}, {"x": ((1,), [expected])}, rtol, atol)
    assert fast == bool(np.isclose(actual, expected, rtol=rtol, atol=atol))


def test_the_fast_comparison_defers_on_nan_inf_and_shapes():
    expected = {"param": ((2,), [1.0, 2.0])}
    assert check.outputs_close({"param": ((2,), [1.0, 2.0])}, expected, 1e-7, 0.0)
    assert not check.outputs_close({"param": ((2,), [1.0, float("nan")])}, expected, 1e-7, 0.0)
    assert not check.outputs_close({"param": ((2,), [1.0, float("inf")])}, expected, 1e-7, 0.0)
    assert not check.outputs_close({"param": ((1, 2), [1.0, 2.0])}, expected, 1e-7, 0.0)
    assert not check.outputs_close({"param": ((2,), [1.0, 2.0]), "m": ((0,), [])}, expected,
                                   1e-7, 0.0)
