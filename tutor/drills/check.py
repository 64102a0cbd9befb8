"""One check, end to end: a correct answer passes without numpy in this process (ARCHITECTURE.md, Speed budgets).

The child imports numpy anyway, so a cold check costs little more than that only when this
process does not: the cases and expected values come from `tutor.drills.cache`, the child's
result frames are read by `read_frame` (a strict reader of exactly the npz layout the harness
writes) and compared in plain Python with numpy.isclose's rule. If everything passes, that
is the result. Anything else (a failure, an error, an odd frame, no cache) goes through
`tutor.drills.verdict` with numpy, which gives the messages, details and diagnosis; it also
(re)builds the cache.
"""

from __future__ import annotations

import json
import math
import struct
import time

from tutor.drills import cache
from tutor.drills.npy import read_npy
from tutor.drills.results import OUTPUT_SHOWN, CaseResult, error_result, verdict_result
from tutor.drills.sandbox import payload
from tutor.drills.source import body_line_count, static_error

_LOCAL_ENTRY = struct.Struct("<4s5H3L2H")  # a zip local file header, as the harness writes it
META_LIMIT = 1 << 20


def check_with_child(drill, source: str, child, wall_s: float, started: float) -> dict:
    """Grade `source` with an already started child, which is used up (stopped, or closed if
    it did not finish); its owner closes it."""
    confinement = child.base_layers
    prepared = None
    error, tree = static_error(source, drill.function)
    if error:
        return error_result(drill.id, error, started, confinement)
    cached = cache.load(drill)
    if cached is None:
        from tutor.drills import verdict

        prepared = verdict.prepare(drill, wall_s)
        if isinstance(prepared, str):
            return error_result(drill.id, prepared, started, confinement)
        inputs = prepared[2]
    else:
        inputs = cached.inputs
    exchange = child.run(payload(source, inputs), started + wall_s)
    confinement = confinement + exchange.layers
    if cached is not None:
        passed = fast_pass(drill, source, tree, cached, exchange, started, confinement)
        if passed is not None:
            return passed
    return _graded_with_numpy(drill, source, tree, prepared, inputs, exchange, wall_s, started,
                              confinement)


def _graded_with_numpy(drill, source, tree, prepared, inputs, exchange, wall_s, started,
                       confinement) -> dict:
    """Today's full evaluation; when the cache's inputs turn out not to be the drill's (a
    file written by hand, or a bug in the key), the cache is rewritten and a new child runs."""
    from tutor.drills import verdict
    from tutor.drills.sandbox import Child

    if prepared is None:
        prepared = verdict.prepare(drill, wall_s)
        if isinstance(prepared, str):
            return error_result(drill.id, prepared, started, confinement)
        if prepared[2] != inputs:
            verdict.save_cache(drill, prepared)
            child = Child(wall_s)
            try:
                exchange = child.run(payload(source, prepared[2]), time.perf_counter() + wall_s)
            finally:
                child.close()
            confinement = child.base_layers + exchange.layers
    else:  # there was no usable cache: write one for the next check
        verdict.save_cache(drill, prepared)
    plan, expected_runs, _ = prepared
    return verdict.evaluate(drill, source, tree, plan, expected_runs, exchange, wall_s, started,
                            confinement)


# --- the fast path ----------------------------------------------------------------------------


def fast_pass(drill, source, tree, cached, exchange, started, confinement) -> dict | None:
    """The pass result when every case clearly passes; None whenever numpy must decide."""
    if not exchange.done or exchange.protocol_error or \
            sorted(exchange.frames) != list(range(len(cached.cases))):
        return None
    if drill.max_lines:
        lines = body_line_count(tree, source, drill.function)
        if lines is not None and lines > drill.max_lines:
            return None
    tests = []
    for index, case in enumerate(cached.cases):
        frame = read_frame(exchange.frames[index])
        if frame is None:
            return None
        meta, arrays = frame
        output = meta.get("output", "")
        if meta.get("status") != "ok" or meta.get("load_error") or not isinstance(output, str):
            return None
        if not outputs_close(arrays, case.outputs, drill.tolerance.rtol, drill.tolerance.atol):
            return None
        if case.name is not None:
            tests.append(CaseResult(f"case {index + 1}: {case.name}", "pass", None,
                                    output[:OUTPUT_SHOWN]))
    return verdict_result(drill.id, "pass", None, tests, None, started, confinement)


def outputs_close(actual: dict, expected: dict, rtol: float, atol: float) -> bool:
    """Same names, same shapes, every value finite and within numpy.isclose's tolerance
    (|a - e| <= atol + rtol * |e|, the same float64 operations, so the same verdicts)."""
    if actual.keys() != expected.keys():
        return False
    isfinite = math.isfinite
    for name, (shape, want) in expected.items():
        got_shape, got = actual[name]
        if got_shape != shape:
            return False
        for a, e in zip(got, want):
            if not (isfinite(a) and isfinite(e) and abs(a - e) <= atol + rtol * abs(e)):
                return False
    return True


def read_frame(frame: bytes) -> tuple[dict, dict[str, tuple[tuple[int, ...], list[float]]]] | None:
    """(meta, {output: (shape, values)}) from a RESULT frame, or None unless it is exactly the
    harness's layout: uncompressed members `meta.npy` (uint8 JSON) and float64 arrays (at
    least one dimension), each size consistent, then the zip's central directory."""
    members, at = {}, 0
    while frame.startswith(b"PK\x03\x04", at):
        if at + _LOCAL_ENTRY.size > len(frame):
            return None
        _, _, flags, method, _, _, _, size, plain_size, name_size, extra_size = \
            _LOCAL_ENTRY.unpack_from(frame, at)
        start = at + _LOCAL_ENTRY.size + name_size
        end = start + size
        file_name = frame[at + _LOCAL_ENTRY.size:start]
        if flags or method or extra_size or size != plain_size or end > len(frame) \
                or not file_name.endswith(b".npy") or not file_name[:-4].isascii():
            return None
        name = file_name[:-4].decode("ascii")
        array = read_npy(frame, start, end)
        if array is None or name in members:
            return None
        members[name] = array
        at = end
    if not frame.startswith(b"PK\x01\x02", at):
        return None
    meta = members.pop("meta", None)
    if meta is None or meta[0] != "|u1" or len(meta[1]) != 1 or len(meta[2]) > META_LIMIT:
        return None
    try:
        meta = json.loads(bytes(meta[2]))
    except (ValueError, RecursionError):
        return None
    if not isinstance(meta, dict):
        return None
    arrays: dict[str, tuple[tuple[int, ...], list[float]]] = {}
    for name, (descr, shape, values) in members.items():
        if descr != "<f8" or not shape:
            return None
        arrays[name] = (shape, values.cast("d").tolist())
    return meta, arrays
