"""Grade one submission: cases in, the child's arrays back, compared and diagnosed (ARCHITECTURE.md, A drill check).

Expected values are computed here, in the parent, by the reference in `tutor.reference`; the
child only ever sees inputs. Everything the child returns is decoded without pickle and
checked (zip layout, dtype, shape) before it is compared. A failing submission is also
compared with the drill's known mistakes (`tutor.reference.mistakes`): a variant that matches
on every case, or a property such as "ignores eps", names the mistake.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from typing import Any

import numpy as np

from tutor.drills import cache
from tutor.drills import cases as cases_mod
from tutor.drills.harness import run_case, stack_outputs
from tutor.drills.npy import read_npy
from tutor.drills.results import (
    OUTPUT_SHOWN,
    CaseResult,
    Diagnosis,
    error_result,
    verdict_result,
)
from tutor.drills.sandbox import Exchange
from tutor.drills.source import body_line_count
from tutor.errors import TutorError
from tutor.reference import mistake_variants, reference_function

MAX_SHOWN = 20


# --- names ---------------------------------------------------------------------------------


def _authored(drill) -> bool:
    return not isinstance(drill.reference, str)


def _mistake_variants(drill):
    """(mistake, wrong function) for every listed built-in mistake whose variant exists."""
    if _authored(drill):
        return
    for mistake in drill.mistakes:
        try:
            functions = mistake_variants(mistake.variant)
        except LookupError:
            continue
        for function in functions:
            yield mistake, function


def probe_names(drill) -> tuple[str, ...]:
    """Hyper-parameters that some listed mistake's property test needs varied."""
    names = []
    for _, function in _mistake_variants(drill):
        name = getattr(function, "ignores", None)
        if name and name not in names:
            names.append(name)
    return tuple(names)


def make_plan(drill) -> cases_mod.Plan:
    if _authored(drill):
        from tutor.drills import authored

        return authored.make_plan(drill)
    reference = reference_function(drill.reference)
    return cases_mod.build_plan(drill.cases, reference, probe_names(drill))


def run_in_parent(function, plan) -> list[tuple[dict, BaseException | None]]:
    """Every case through a trusted function (the reference or a variant)."""
    with np.errstate(all="ignore"):
        return [run_case(np, function, case, plan.arrays) for case in plan.cases]


# --- decoding what the child sent -----------------------------------------------------------


class BadFrame(TutorError, ValueError):
    """A frame from the drill child that does not decode: the check reports an error, never a pass."""


def decode_frame(frame: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """(meta, arrays) from one RESULT frame: a stored (uncompressed) npz of plain arrays."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(frame))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise BadFrame(f"not an npz archive ({exc})") from None
    if len(infos) > 10_000:
        raise BadFrame("too many archive members")
    arrays = {}
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED or info.file_size > len(frame) \
                or not info.filename.endswith(".npy"):
            raise BadFrame("unexpected archive member")
        try:
            data = archive.read(info)
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise BadFrame(f"unreadable array {info.filename}: {exc}") from None
        member = read_npy(data, 0, len(data))
        if member is None:
            raise BadFrame(f"{info.filename} is not a float64 or uint8 array as the harness writes one")
        descr, shape, values = member
        arrays[info.filename[:-4]] = np.frombuffer(values, dtype=descr).reshape(shape)
    meta_bytes = arrays.pop("meta", None)
    if meta_bytes is None or meta_bytes.dtype != np.uint8 or meta_bytes.size > 1 << 20:
        raise BadFrame("missing meta")
    try:
        meta = json.loads(meta_bytes.tobytes().decode())
    except (UnicodeDecodeError, ValueError):
        raise BadFrame("unreadable meta") from None
    if not isinstance(meta, dict) or meta.get("status") not in ("ok", "error", "skipped"):
        raise BadFrame("malformed meta")
    for key in ("message", "output"):
        if not isinstance(meta.get(key, ""), str):
            raise BadFrame("malformed meta")
    unstacked = {}
    for name, stacked in arrays.items():
        if stacked.ndim == 0 or stacked.shape[0] > 10_000:
            raise BadFrame(f"{name} is not a stack of per-call outputs")
        for call in range(stacked.shape[0]):
            unstacked[f"k{call}.{name}"] = stacked[call]
    return meta, unstacked


# --- comparison -----------------------------------------------------------------------------


def _expand(call: int, name: str, outputs: dict) -> list[str]:
    """The keys of output `name` at `call`: one, or one per list element ("k0.grads.1")."""
    key = f"k{call}.{name}"
    if key in outputs:
        return [key]
    return sorted((k for k in outputs if k.startswith(key + ".")),
                  key=lambda k: int(k.rsplit(".", 1)[1]))


def _close(actual, expected, tol, equal_nan=False) -> np.ndarray:
    return np.isclose(actual, expected, rtol=tol.rtol, atol=tol.atol, equal_nan=equal_nan)


def outputs_match(actual: dict, expected: dict, tol, equal_nan=True) -> bool:
    if actual.keys() != expected.keys():
        return False
    for key, want in expected.items():
        got = actual[key]
        if got.shape != want.shape or not np.all(_close(got, want, tol, equal_nan)):
            return False
    return True


def _show(array, precision: int = 6) -> str:
    return np.array2string(np.asarray(array), precision=precision, threshold=MAX_SHOWN, separator=", ")


_NUMBER = re.compile(r"[-+]?(?:nan|inf|\d+\.?\d*(?:e[-+]?\d+)?)")


def _show_apart(want, got, where) -> tuple[str, str]:
    """Both values with as many digits as it takes (6 at least) for the element with the largest
    error to read differently, so a failure never says "expected [0.061353], got [0.061353]"."""
    index = None if where is None else int(np.ravel_multi_index(where, np.shape(want))) if where else 0
    for precision in range(6, 26):
        shown = _show(want, precision), _show(got, precision)
        if _read_apart(shown, index, np.size(want)):
            break
    return shown


def _read_apart(shown: tuple[str, str], index: int | None, size: int) -> bool:
    numbers = [_NUMBER.findall(text) for text in shown]
    if index is None or any(len(n) != size for n in numbers):
        return shown[0] != shown[1]
    return numbers[0][index] != numbers[1][index]


def _label(key: str) -> str:
    """'k3.grads.1' -> 'grads[1]'."""
    parts = key.split(".")
    return parts[1] + "".join(f"[{p}]" for p in parts[2:])


def first_difference(plan, index, actual, expected, tol) -> dict | None:
    """The first call whose outputs differ, with every wrong output at that call."""
    case = plan.cases[index]
    for call in range(len(case["calls"])):
        wrong: list[tuple[str, Any, Any, float, tuple[Any, ...] | None]] = []
        right: list[str] = []
        for name in plan.outputs:
            for key in _expand(call, name, expected):
                want, got = expected[key], actual.get(key)
                if got is None or got.shape != want.shape:
                    wrong.append((key, want, got, math.inf, None))
                    continue
                ok = _close(got, want, tol)
                if np.all(ok):
                    right.append(_label(key))
                    continue
                with np.errstate(invalid="ignore"):
                    errors = np.where(np.isfinite(got), np.abs(got - want), np.inf)
                where = np.unravel_index(int(np.argmax(errors)), want.shape) if want.ndim else ()
                wrong.append((key, want, got, float(np.max(errors)), where))
        if wrong:
            return {"call": call, "wrong": wrong, "right": right}
    return None


def _fail_message(plan, index, diff) -> tuple[str, dict]:
    info = plan.info[index]
    call = diff["call"]
    key, want, got, error, where = diff["wrong"][0]
    names = [_label(w[0]) for w in diff["wrong"]]
    text = f"{info.labels[call]}: {', '.join(names)} {'is' if len(names) == 1 else 'are'} wrong"
    if diff["right"]:
        text += f" ({', '.join(diff['right'])} {'is' if len(diff['right']) == 1 else 'are'} right)"
    shown_want, shown_got = _show_apart(want, got, where)
    text += f". {_label(key)}: expected {shown_want}, got {shown_got}"
    if got is not None and np.any(~np.isfinite(got)):
        text += " (it contains NaN or inf)"
    elif where is not None:
        text += f"; largest error {error:.3g}" + (f" at index {tuple(int(i) for i in where)}"
                                                 if where else "")
    shown_inputs = []
    for name, value in info.inputs[call].items():
        if isinstance(value, str):
            value = _show(plan.arrays[value])
        elif isinstance(value, list):
            value = "[" + ", ".join(_show(plan.arrays[k]) for k in value) + "]"
        shown_inputs.append(f"{name}={value}")
    case = plan.cases[index]
    if "param" in case["init"]:
        shown_inputs.insert(0, f"initial param={_show(plan.arrays[case['init']['param']])}")
    if shown_inputs:
        text += ". Inputs: " + ", ".join(shown_inputs)
    details = {"step": info.labels[call], "call": call, "output": _label(key),
               "wrong_outputs": names,
               "expected": np.asarray(want).tolist(),
               "actual": None if got is None else np.asarray(got).tolist(),
               "max_abs_error": None if not math.isfinite(error) else error}
    return text, details


# --- diagnosis ------------------------------------------------------------------------------


def informative_probes(plan, expected_runs, hyper, tol) -> list[tuple[int, int]]:
    """(case, probe) pairs varying `hyper` where the reference's outputs do change."""
    return [(info.probe_of, j) for j, info in enumerate(plan.info)
            if info.probe_hyper == hyper
            and not outputs_match(expected_runs[info.probe_of], expected_runs[j], tol)]


def ignores_hyper(plan, expected_runs, runs, hyper, tol) -> bool:
    """True when outputs stay the same as `hyper` changes where the reference's would not."""
    pairs = informative_probes(plan, expected_runs, hyper, tol)
    return bool(pairs) and all(
        runs[a] is not None and runs[b] is not None and outputs_match(runs[a], runs[b], tol)
        for a, b in pairs)


def _misfit(actual: dict, expected: dict, tol) -> float:
    """How far outputs are from matching, in units of the tolerance (inf when incomparable)."""
    worst = 0.0
    for key, want in expected.items():
        got = actual.get(key)
        if got is None or got.shape != want.shape:
            return math.inf
        with np.errstate(all="ignore"):
            ratio = np.abs(got - want) / (tol.atol + tol.rtol * np.abs(want))
        if not np.all(np.isfinite(ratio)):
            return math.inf
        worst = max(worst, float(np.max(ratio, initial=0.0)))
    return worst


def constant_fits(reference, plan, expected_runs, actual_runs, hyper, tol) -> float | None:
    """The constant the submission uses in place of `hyper`, if one explains every case.

    The submission's outputs must not move when `hyper` changes (the probes), and the
    reference with `hyper` fixed to one constant must reproduce them all. The constant is
    found by a grid over 1e-16..1 and a golden-section refinement on one sensitive case.
    """
    pairs = informative_probes(plan, expected_runs, hyper, tol)
    if not ignores_hyper(plan, expected_runs, actual_runs, hyper, tol):
        return None
    base = pairs[0][0]

    def misfit(log_c: float) -> float:
        case = plan.with_hyper(base, hyper, 10.0**log_c)
        with np.errstate(all="ignore"):
            outputs, error = run_case(np, reference, case, plan.arrays)
        return math.inf if error else _misfit(actual_runs[base], outputs, tol)

    grid = [x / 4 for x in range(-64, 1)]
    best = min(grid, key=misfit)
    low, high = best - 0.25, best + 0.25
    golden = (math.sqrt(5) - 1) / 2
    for _ in range(48):
        a, b = high - golden * (high - low), low + golden * (high - low)
        if misfit(a) < misfit(b):
            high = b
        else:
            low = a
    constant = 10.0 ** ((low + high) / 2)
    for index in range(len(plan.cases)):
        case = plan.with_hyper(index, hyper, constant)
        with np.errstate(all="ignore"):
            outputs, error = run_case(np, reference, case, plan.arrays)
        if error or not outputs_match(actual_runs[index], outputs, tol):
            return None
    return constant


def diagnose(drill, plan, expected_runs: list[dict], actual_runs: list[dict | None],
             wall_s: float = 10.0) -> Diagnosis | None:
    """The first listed mistake whose variant matches every case, or whose property holds."""
    tol = drill.tolerance
    answered = [run for run in actual_runs if run is not None]
    if len(answered) < len(actual_runs):
        return None
    if _authored(drill):
        from tutor.drills import authored

        for mistake in drill.mistakes:
            found = authored.variant_runs(mistake, plan, wall_s)
            if all(run is not None and outputs_match(actual, run, tol)
                   for actual, run in zip(answered, found)):
                return Diagnosis(mistake.id, mistake.message)
        return None
    properties = []
    for mistake, function in _mistake_variants(drill):
        runs = run_in_parent(function, plan)
        if all(error is None for _, error in runs) and all(
                outputs_match(actual, expected, tol)
                for actual, (expected, _) in zip(answered, runs)):
            return Diagnosis(mistake.id, mistake.message)
        if getattr(function, "ignores", None):
            properties.append((mistake, function.ignores))
    reference = reference_function(drill.reference)
    for mistake, hyper in properties:
        if constant_fits(reference, plan, expected_runs, answered, hyper, tol) is not None:
            return Diagnosis(mistake.id, mistake.message)
    return None


# --- the whole check ------------------------------------------------------------------------


def crash_message(exchange: Exchange, wall_s: float, plan) -> str:
    where = ""
    if exchange.current_case is not None and exchange.current_case < len(plan.info):
        info = plan.info[exchange.current_case]
        if info.probe_of is None:
            where = f" (while running case {exchange.current_case + 1}: {info.name})"
    also = ""
    if "processes" in exchange.limits_hit:
        also = " It also tried to start more processes than allowed."
    if "memory" in exchange.limits_hit:
        return (f"the code was killed{where}: its processes together used more than the memory "
                f"limit (1 GB).{also}")
    if exchange.timed_out:
        return (f"time limit: the code ran longer than {wall_s:g} s{where}; is there an endless "
                f"loop?{also}")
    if exchange.protocol_error:
        return f"the grading process sent results that could not be read: {exchange.protocol_error}"
    code = exchange.returncode
    tail = exchange.output.strip().splitlines()[-1:] if exchange.output.strip() else []
    if tail and tail[0].startswith("unshare: sigprocmask"):
        # unshare passes its child's fatal signal on by raising it, which SIGKILL defeats.
        code, tail = -9, []
    detail = f" Last output: {tail[0][:200]}" if tail else ""
    if code is not None and code < 0:
        import signal
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        reason = {"SIGKILL": "it was killed (CPU time or memory limit)",
                  "SIGXCPU": "it used too much CPU time", "SIGSEGV": "it crashed (segmentation fault)",
                  "SIGXFSZ": "it wrote a file larger than the limit"}.get(name, f"it got {name}")
        return f"the code stopped before finishing{where}: {reason}.{detail}"
    return (f"the code ended the process before finishing{where} (exit status {code}); "
            f"does it call os._exit() or exit from a thread?{detail}")


_PREPARED: dict[tuple, tuple] = {}


def prepare(drill, wall_s: float = 10.0):
    """(plan, expected runs, the INPUTS bytes for the child), or an error message.

    Kept per drill definition in this process: the cases are deterministic, and a warm
    TUI check should not rebuild them every time. `save_cache` writes them for the next
    process, which can then pass a correct answer without numpy (`tutor.drills.check`).
    An author drill's expected values come from its reference run in the sandbox.
    """
    key = (drill.id, drill.function, repr(drill.reference), json.dumps(drill.cases, sort_keys=True),
           tuple((m.id, repr(m.variant)) for m in drill.mistakes))
    if key in _PREPARED:
        return _PREPARED[key]
    plan = make_plan(drill)
    expected_runs: list[tuple[dict, BaseException | None]] | str
    if _authored(drill):
        from tutor.drills import authored

        expected_runs = authored.expected_runs(drill, plan, wall_s)
    else:
        expected_runs = run_in_parent(reference_function(drill.reference), plan)
    if isinstance(expected_runs, str):
        return expected_runs
    for _, exc in expected_runs:
        if exc is not None:
            return f"the drill's reference failed on its own cases: {type(exc).__name__}: {exc}"
    if len(_PREPARED) >= 32:
        _PREPARED.clear()
    _PREPARED[key] = (plan, expected_runs, encode_inputs(plan, drill.function))
    return _PREPARED[key]


def save_cache(drill, prepared) -> None:
    """Store the inputs and each case's expected outputs, stacked as the child sends them."""
    plan, expected_runs, inputs = prepared
    cases = []
    for info, (outputs, _) in zip(plan.info, expected_runs):
        stacked = stack_outputs(np, outputs)
        cases.append((info.name if info.probe_of is None else None,
                      {name: (tuple(int(n) for n in array.shape),
                              np.ascontiguousarray(array, dtype="<f8").tobytes())
                       for name, array in stacked.items()}))
    cache.store(drill, inputs, cases)


def encode_inputs(plan, function: str) -> bytes:
    """The INPUTS bytes the harness reads: the plan as one JSON line, then the arrays' values."""
    keys = list(plan.arrays)
    header = dict(plan.payload(function), arrays=[[k, list(plan.arrays[k].shape)] for k in keys])
    return json.dumps(header).encode() + b"\n" + b"".join(
        np.ascontiguousarray(plan.arrays[k], dtype="<f8").tobytes() for k in keys)


def evaluate(drill, source, tree, plan, expected_runs, exchange, wall_s, started, confinement):
    """The result for what the child sent back: every case compared, failures diagnosed."""
    tests: list[CaseResult] = []
    actual_runs: list[dict | None] = []
    first_error = first_fail = None
    finished = exchange.done
    for index, info in enumerate(plan.info):
        frame = exchange.frames.get(index)
        if frame is None:
            actual_runs.append(None)
            continue
        try:
            meta, arrays = decode_frame(frame)
        except BadFrame as exc:
            return error_result(drill.id, f"the results could not be read: {exc}", started,
                                confinement, tests)
        output = meta.get("output", "")[:OUTPUT_SHOWN]
        if meta.get("load_error"):
            message = meta.get("message") or "the file could not be loaded"
            printed = [CaseResult("loading the file", "error", message, output)] if output else []
            return error_result(drill.id, message, started, confinement, printed)
        actual_runs.append(arrays if meta["status"] == "ok" else None)
        if meta["status"] == "skipped":
            if first_error or first_fail:
                continue  # the child stops after an error: the rest is not worth running
            return error_result(drill.id, f"case {index + 1} came back skipped though no earlier "
                                "case failed (did the code write to the harness's channel?)",
                                started, confinement, tests)
        status, message, details = "pass", None, None
        if meta["status"] == "error":
            status, message = "error", meta.get("message") or "the code raised an error"
            first_error = first_error or (index, message)
        else:  # probes too: every case the child ran is compared, reported or not
            diff = first_difference(plan, index, arrays, expected_runs[index][0], drill.tolerance)
            if diff:
                status = "fail"
                message, details = _fail_message(plan, index, diff)
                first_fail = first_fail or (index, message, diff)
        if info.probe_of is None:
            tests.append(CaseResult(f"case {index + 1}: {info.name}", status, message, output,
                                    details))
    if not finished:
        return error_result(drill.id, crash_message(exchange, wall_s, plan), started,
                            confinement, tests)
    if any(i not in exchange.frames for i in range(len(plan.info))):
        return error_result(drill.id, "the grading process did not report every case (did the "
                            "code write to the harness's channel?)", started, confinement, tests)
    lines = body_line_count(tree, source, drill.function) if drill.max_lines else None
    if lines is not None and lines > drill.max_lines:
        tests.append(CaseResult(f"at most {drill.max_lines} lines of body", "fail",
                                f"the body of {drill.function} has {lines} lines; this drill asks "
                                f"for at most {drill.max_lines} (blank lines, comments and the "
                                "docstring don't count)"))
    if first_error:
        index, message = first_error
        return error_result(drill.id, f"case {index + 1}: {message}", started, confinement, tests)
    if first_fail:
        index, message, diff = first_fail
        diagnosis = diagnose(drill, plan, [run for run, _ in expected_runs], actual_runs, wall_s)
        step = plan.info[index].labels[diff["call"]]
        summary = (f"{_label(diff['wrong'][0][0])} first diverges at {step} of case {index + 1}")
        text = f"{diagnosis.message} ({summary})" if diagnosis else f"{summary}: {message}"
        return verdict_result(drill.id, "fail", text, tests, diagnosis, started, confinement)
    if any(test.status == "fail" for test in tests):  # only the body-length test, here
        return verdict_result(drill.id, "fail", tests[-1].message, tests, None, started,
                              confinement)
    return verdict_result(drill.id, "pass", None, tests, None, started, confinement)
