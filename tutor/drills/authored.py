"""Author drills: a deck's own reference and mistake variants, run only in the sandbox.

A deck may name as its drill's reference (and as each mistake variant) a function in a
Python file of its folder (`reference: {file, function}`). That code is as untrusted as a
learner's: it is never imported or run in this process. The expected values are the
reference's outputs from a sandboxed child (`sandbox.Child` running `harness.py`, under the
same layers and limits as a learner's answer; README.md here), decoded as strictly as any
result frame; a variant's outputs come the same way when a failure is diagnosed. The
reference's parameters are read from its syntax tree (`tutor.drills.source.parameters`). The
cases and expected values then go to the case cache (`tutor.drills.cache`), which the sandbox
cannot see, exactly like a built-in drill's.
"""

from __future__ import annotations

import hashlib
import time

from tutor.drills import arrays
from tutor.drills.cases import CasesError, Plan
from tutor.drills.source import parameters

_VARIANT_RUNS: dict[tuple[str, str, str], list[dict | None]] = {}


def make_plan(drill) -> Plan:
    """The cases of an author drill (raises CasesError when its settings or reference are wrong)."""
    code = drill.reference
    found = parameters(code.source, code.function)
    if isinstance(found, str):
        raise CasesError([("reference", f"{code.file} {found}")])
    return arrays.plan(drill.cases, found)


def run_sandboxed(code, plan: Plan, wall_s: float) -> list[tuple[dict, str | None]] | str:
    """Each case's outputs (or the error it raised) from `code` run in a sandboxed child, or
    why the child gave no usable answer."""
    from tutor.drills.sandbox import Child, SandboxUnavailable, payload
    from tutor.drills.verdict import BadFrame, crash_message, decode_frame, encode_inputs

    try:
        child = Child(wall_s)
    except SandboxUnavailable as exc:
        return str(exc)
    try:
        exchange = child.run(payload(code.source, encode_inputs(plan, code.function)),
                             time.perf_counter() + wall_s)
    finally:
        child.close()
    if not exchange.done:
        return crash_message(exchange, wall_s, plan)
    runs: list[tuple[dict, str | None]] = []
    for index in range(len(plan.cases)):
        frame = exchange.frames.get(index)
        if frame is None:
            return f"case {index + 1} was not reported"
        try:
            meta, outputs = decode_frame(frame)
        except BadFrame as exc:
            return f"its results could not be read: {exc}"
        if meta.get("load_error"):
            return meta.get("message") or "the file could not be loaded"
        if meta["status"] == "ok":
            runs.append((outputs, None))
        else:
            runs.append(({}, meta.get("message") or f"case {index + 1} was {meta['status']}"))
    return runs


def expected_runs(drill, plan: Plan, wall_s: float) -> list[tuple[dict, BaseException | None]] | str:
    """The reference's outputs on every case, and the plan's returns fixed to their shapes (a
    learner's outputs must have the reference's), or what went wrong, in one line."""
    code = drill.reference
    runs = run_sandboxed(code, plan, wall_s)
    where = f"the deck's reference {code}"
    if isinstance(runs, str):
        return f"{where} could not be run: {runs}"
    for index, (outputs, error) in enumerate(runs):
        if error is not None:
            return f"{where} failed on its own case {index + 1}: {error}"
        shapes = {}
        for name in plan.outputs:
            value = outputs.get(f"k0.{name}")
            if value is None:
                return f"{where} did not return {name} on case {index + 1}"
            shapes[name] = list(value.shape)
        if len(outputs) != len(plan.outputs):
            return f"{where} returned other values than {', '.join(plan.outputs)}"
        plan.cases[index]["returns"] = [[name, "real", shapes[name]] for name in plan.outputs]
    return [(outputs, None) for outputs, _ in runs]


def variant_runs(mistake, plan: Plan, wall_s: float) -> list[dict | None]:
    """A mistake variant's outputs on every case (None where it raised), kept per variant and
    cases in this process: a diagnosis should not start a child for it every time."""
    from tutor.drills.verdict import encode_inputs

    code = mistake.variant
    key = (hashlib.sha256(code.source.encode()).hexdigest(), code.function,
           hashlib.sha256(encode_inputs(plan, code.function)).hexdigest())
    if key not in _VARIANT_RUNS:
        runs = run_sandboxed(code, plan, wall_s)
        found: list[dict | None] = [None] * len(plan.cases) if isinstance(runs, str) else [
            outputs if error is None else None for outputs, error in runs]
        if len(_VARIANT_RUNS) >= 64:
            _VARIANT_RUNS.clear()
        _VARIANT_RUNS[key] = found
    return _VARIANT_RUNS[key]
