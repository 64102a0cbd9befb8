"""Cases of an author drill (`cases: kind: arrays`): named arguments drawn from shapes, dtypes
and value ranges, or fixed, with a seed; the outputs are named and compared with the drill's
tolerance. The reference is the deck's own code, so nothing here runs it: its parameters come
from `tutor.drills.source.parameters` (read, not run) and its outputs from a sandboxed run
(`tutor.drills.authored`).

    kind: arrays
    seed: 7
    count: 6                                  cases (default 6)
    dims: {N: {int: [2, 16]}, D: 3}           sizes shared by the shapes, drawn per case
    args:
      x: {shape: [N, D], range: [-3, 3]}      an array (dtype float64 unless `dtype:` says
      gamma: {shape: [D], range: [0.5, 2]}      float32 or int64), uniform in the range
      eps: {value: 1.0e-5}                    a fixed number or array (nested lists)
      lr: {range: [1.0e-4, 1.0e-1]}           a number (log-uniform when 0 < low and
      k: {int: [1, 4]}                          high/low >= 10), an integer, or {choice: [...]}
    outputs: [y]                              names of the returned values (a tuple of several)

A parameter left out of `args` takes its default, which must then be a plain number.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

import numpy as np

from tutor.drills.cases import CaseInfo, CasesError, Plan, _draw, _fmt, _hyper_spec, _int

KEYS = {"kind", "seed", "count", "dims", "args", "outputs"}
DTYPES = ("float64", "float32", "int64")
MAX_ELEMENTS = 4096
MAX_OUTPUTS = 8
NO_DEFAULT = object()


def _dims(issues, raw) -> dict[str, tuple[int, int]]:
    dims: dict[str, tuple[int, int]] = {}
    if not isinstance(raw, Mapping):
        issues.append(("cases.dims", "must map a size's name to a whole number or {int: [low, high]}"))
        return dims
    for name, value in raw.items():
        where = f"cases.dims.{name}"
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ELEMENTS:
            dims[str(name)] = (value, value)
            continue
        body = value.get("int") if isinstance(value, Mapping) and len(value) == 1 else None
        if (isinstance(body, list) and len(body) == 2 and all(
                isinstance(b, int) and not isinstance(b, bool) for b in body)
                and 1 <= body[0] <= body[1] <= MAX_ELEMENTS):
            dims[str(name)] = (body[0], body[1])
        else:
            issues.append((where, f"must be a whole number from 1 to {MAX_ELEMENTS} or "
                                  f"{{int: [low, high]}}, got {value!r}"))
    return dims


def _fixed_array(issues, where, value):
    try:
        array = np.array(value, dtype=np.float64)
    except (ValueError, TypeError):
        array = None
    if array is None or array.dtype != np.float64 or array.ndim > 4 or array.size > MAX_ELEMENTS \
            or not np.all(np.isfinite(array)):
        issues.append((where, "must be a number or a rectangular list of finite numbers"))
        return None
    return array


def _arg_spec(issues, where, raw, dims):
    """("array", shape entries, (low, high), dtype) | ("fixed", value, dtype) | ("scalar", spec)."""
    if not isinstance(raw, Mapping):
        issues.append((where, "must be {shape, range[, dtype]}, {value}, {range}, {int} or {choice}"))
        return None
    dtype = raw.get("dtype", "float64")
    if dtype not in DTYPES:
        issues.append((f"{where}.dtype", f"must be one of {', '.join(DTYPES)}, got {dtype!r}"))
        return None
    unknown = set(raw) - {"shape", "range", "dtype", "value", "int", "choice"}
    if unknown:
        issues.append((f"{where}.{sorted(unknown)[0]}", "unknown key (use shape, range, dtype, value, "
                                                         "int or choice)"))
        return None
    if "value" in raw:
        if set(raw) - {"value", "dtype"}:
            issues.append((where, "a fixed `value` takes no shape, range, int or choice"))
            return None
        value = raw["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float, list)):
            issues.append((f"{where}.value", f"must be a number or a list of numbers, got {value!r}"))
            return None
        if isinstance(value, list):
            array = _fixed_array(issues, f"{where}.value", value)
            return None if array is None else ("fixed", array, dtype)
        if not math.isfinite(value):
            issues.append((f"{where}.value", "must be finite"))
            return None
        return ("fixed", value, None)
    if "shape" in raw:
        shape = raw["shape"]
        if not isinstance(shape, list) or len(shape) > 4 or not all(
                (isinstance(d, int) and not isinstance(d, bool) and d >= 1) or d in dims for d in shape):
            issues.append((f"{where}.shape", "must list up to 4 sizes, each a whole number >= 1 or a "
                                             f"name from dims ({', '.join(dims) or 'none defined'}), "
                                             f"got {shape!r}"))
            return None
        largest = math.prod(d if isinstance(d, int) else dims[d][1] for d in shape)
        if largest > MAX_ELEMENTS:
            issues.append((f"{where}.shape", f"can reach {largest} elements; the limit is {MAX_ELEMENTS}"))
            return None
        bounds = raw.get("range", [-1.0, 1.0])
        if (not isinstance(bounds, list) or len(bounds) != 2 or not all(
                isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b)
                for b in bounds) or bounds[0] > bounds[1]):
            issues.append((f"{where}.range", f"must be [low, high] with low <= high, got {bounds!r}"))
            return None
        if dtype == "int64" and math.floor(bounds[1]) < math.ceil(bounds[0]):
            issues.append((f"{where}.range", "holds no whole number for an int64 array"))
            return None
        return ("array", tuple(shape), (float(bounds[0]), float(bounds[1])), dtype)
    if "range" in raw:
        spec = _hyper_spec(issues, f"{where}.range", raw["range"])
    else:
        spec = _hyper_spec(issues, where, {k: v for k, v in raw.items() if k != "dtype"})
    return None if spec is None else ("scalar", spec)


def parse(cases: Mapping[str, Any], parameters: list[tuple[str, Any]]) -> dict:
    """Validated settings for the reference's `parameters` [(name, default or NO_DEFAULT)];
    raises CasesError listing every issue."""
    issues: list[tuple[str, str]] = []
    if cases.get("kind", "arrays") != "arrays":
        issues.append(("cases.kind", f"an author drill's cases are kind arrays, got {cases['kind']!r}"))
    for key in cases:
        if key not in KEYS:
            issues.append((f"cases.{key}", f"unknown setting for kind arrays (one of {', '.join(sorted(KEYS))})"))
    settings: dict[str, Any] = {
        "seed": _int(issues, "cases.seed", cases.get("seed", 0), 0, 2**32 - 1),
        "count": _int(issues, "cases.count", cases.get("count", 6), 1, 50),
        "dims": _dims(issues, cases.get("dims", {})),
    }
    raw_args = cases.get("args", {})
    if not isinstance(raw_args, Mapping):
        issues.append(("cases.args", "must map each argument of the reference to how it is drawn"))
        raw_args = {}
    names = [name for name, _ in parameters]
    for name in raw_args:
        if name not in names:
            issues.append((f"cases.args.{name}", f"the reference has no argument {name!r} "
                                                 f"(it has: {', '.join(names)})"))
    specs = {}
    for name, default in parameters:
        if name in raw_args:
            specs[name] = _arg_spec(issues, f"cases.args.{name}", raw_args[name], settings["dims"])
        elif isinstance(default, (int, float)) and not isinstance(default, bool):
            specs[name] = ("fixed", default, None)
        else:
            issues.append((f"cases.args.{name}", f"needs a spec: {name} has no plain-number default "
                                                 "(e.g. {shape: [N, D], range: [-1, 1]} or {value: 0.5})"))
    settings["args"] = specs
    outputs = cases.get("outputs", ["output"])
    if (not isinstance(outputs, list) or not 1 <= len(outputs) <= MAX_OUTPUTS
            or not all(isinstance(o, str) and o.isidentifier() for o in outputs)
            or len(set(outputs)) != len(outputs)):
        issues.append(("cases.outputs", f"must list 1 to {MAX_OUTPUTS} distinct names of the returned "
                                        f"values, e.g. [y] or [y, mean, var], got {outputs!r}"))
    settings["outputs"] = outputs
    if issues:
        raise CasesError(issues)
    return settings


def _array(rng, shape, bounds, dtype) -> np.ndarray:
    count = math.prod(shape)
    if dtype == "int64":
        low, high = math.ceil(bounds[0]), math.floor(bounds[1])
        values = [float(rng.randint(low, high)) for _ in range(count)]
    else:
        values = [rng.uniform(*bounds) for _ in range(count)]
    return np.array(values, dtype=np.float64).reshape(shape)


def plan(cases: Mapping[str, Any], parameters: list[tuple[str, Any]]) -> Plan:
    """Every case (one call each); the returns' shapes are open until the reference has run
    (`tutor.drills.authored.fix_returns`)."""
    settings = parse(cases, parameters)
    names = [name for name, _ in parameters]
    made = Plan("arrays", [], {}, [], list(settings["outputs"]), arg_names=names)
    rng = random.Random(settings["seed"])
    for _ in range(settings["count"]):
        sizes = {d: rng.randint(low, high) for d, (low, high) in settings["dims"].items()}
        args: list[dict] = []
        shown: dict[str, Any] = {}
        described: list[str] = []
        for name in names:
            spec = settings["args"][name]
            if spec[0] == "scalar":
                value = _draw(rng, spec[1])
                args.append({"v": value})
                shown[name], described = value, described + [f"{name}={_fmt(value)}"]
                continue
            if spec[0] == "fixed" and not isinstance(spec[1], np.ndarray):
                args.append({"v": spec[1]})
                shown[name], described = spec[1], described + [f"{name}={_fmt(spec[1])}"]
                continue
            if spec[0] == "fixed":
                array, dtype = spec[1], spec[2]
            else:
                shape = tuple(d if isinstance(d, int) else sizes[d] for d in spec[1])
                array, dtype = _array(rng, shape, spec[2], spec[3]), spec[3]
            key = made.add_array(array)
            args.append({"a": key} if dtype == "float64" else {"a": key, "t": dtype})
            shown[name] = key
            described.append(f"{name} {tuple(array.shape)}" + ("" if dtype == "float64" else f" {dtype}"))
        made.cases.append({"init": {}, "calls": [{"args": args}],
                           "returns": [[o, "real", None] for o in settings["outputs"]]})
        made.info.append(CaseInfo(", ".join(described), ["the call"], {}, [shown]))
    return made
