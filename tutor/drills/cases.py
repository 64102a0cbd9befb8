"""Test cases for a drill, generated from its `cases:` settings with a seeded RNG.

Three kinds (`kind:`, default `optimizer`), all keyed to the reference function's signature:

optimizer: one update step, e.g. adam_step(param, grad, m, v, t, lr, beta1, beta2, eps).
  `param` starts normal(0, 1); `grad` is new every step; arguments named m, v, v_max or buf
  are state that starts at zero and is fed back from what the function returns
  (param, *state, in signature order); `t` is the 1-based step; every other argument is a
  hyper-parameter drawn per trajectory from `hyper`.
    shapes: [[1], [5], [3, 4]]     shapes of the parameter, cycled over the trajectories
    trajectories: 6                number of cases (default: 2 per shape)
    steps: 8                       calls per trajectory (t = 1..steps)
    zero_grad_step: 4              a step whose gradient is all zeros (optional)
    grad_scale: [1.0e-6, 10.0]     |g| log-uniform in this range, random signs; or a list of
                                   such ranges, cycled over the trajectories
    hyper: {lr: [1.0e-4, 1.0e-2], beta1: [0.8, 0.95], eps: [1.0e-9, 1.0e-6], ...}
    defaults_first: true           the first trajectory uses the reference's defaults
    zero_param: false              the last trajectory starts from param = 0 (LAMB's guard)
schedule: f(step, *hyper) -> float, evaluated at landmark and random steps.
    count: 5, points: 12, first_step: 0, span: 1.0 (steps go up to span * the largest
    *_steps hyper-parameter), hyper: {warmup_steps: {int: [10, 400]}, ...}
clip: f(grads, max_norm) -> (grads, total_norm) on lists of tensors.
    groups: [[[3], [2, 2]], [[5]]], count: 6, grad_scale: [1.0e-3, 10.0], zero_case: true;
    max_norm alternates between clipping (0.1-0.8 x the norm) and not (1.25-4 x).

A hyper-parameter is a range [low, high] (log-uniform when low > 0 and high/low >= 10,
uniform otherwise), {int: [low, high]}, {choice: [...]} or a fixed number. `seed:` fixes it
all. Probe cases (each trajectory again with one hyper-parameter x100) serve the property tests
of mistakes such as a hard-coded eps; they are not reported as tests.
"""

from __future__ import annotations

import inspect
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.errors import TutorError

STATE_NAMES = ("m", "v", "v_max", "buf")
MAX_ELEMENTS = 64
COMMON_KEYS = {"kind", "seed", "hyper"}
KIND_KEYS = {
    "optimizer": {"shapes", "trajectories", "steps", "zero_grad_step", "grad_scale",
                  "defaults_first", "zero_param"},
    "schedule": {"count", "points", "first_step", "span"},
    "clip": {"groups", "count", "grad_scale", "zero_case"},
}
PROBE_FACTOR = 100.0


class CasesError(TutorError, ValueError):
    """The drill's `cases:` settings are invalid; `issues` holds (key path, message)."""

    def __init__(self, issues: list[tuple[str, str]]):
        super().__init__("; ".join(f"{p}: {m}" for p, m in issues))
        self.issues = issues


@dataclass
class CaseInfo:
    """What the parent knows about a case beyond what the child is sent."""

    name: str
    labels: list[str]  # one per call, e.g. "step 3 (t=3)"
    hyper: dict[str, Any]
    inputs: list[dict[str, Any]]  # per call: argument name -> value or array key
    probe_of: int | None = None
    probe_hyper: str | None = None


@dataclass
class Plan:
    """Cases in the harness's JSON form, their input arrays and the parent's notes on them."""

    kind: str
    cases: list[dict]
    arrays: dict[str, np.ndarray]
    info: list[CaseInfo]
    outputs: list[str]  # output names in reporting order
    arg_names: list[str] = field(default_factory=list)  # the function's parameters, in order
    _next: int = field(default=0, repr=False)

    def with_hyper(self, index: int, name: str, value) -> dict:
        """Case `index` with hyper-parameter `name` set to `value` in every call."""
        position = self.arg_names.index(name)
        case = self.cases[index]
        calls = [{"args": [*c["args"][:position], {"v": value}, *c["args"][position + 1:]]}
                 for c in case["calls"]]
        return {**case, "calls": calls}

    def add_array(self, value: np.ndarray) -> str:
        key = f"a{self._next}"
        self._next += 1
        self.arrays[key] = np.ascontiguousarray(value, dtype=np.float64)
        return key

    def payload(self, function: str) -> dict:
        return {"function": function, "cases": self.cases}


# --- settings -------------------------------------------------------------------------------


def _int(issues, path, value, low, high):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        issues.append((path, f"must be an integer from {low} to {high}, got {value!r}"))
        return None
    return value


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _range(issues, path, value, positive=False):
    if (not isinstance(value, list) or len(value) != 2 or not all(map(_number, value))
            or value[0] > value[1] or (positive and value[0] <= 0)):
        lower = "0 < " if positive else ""
        issues.append((path, f"must be [low, high] with {lower}low <= high, got {value!r}"))
        return None
    return float(value[0]), float(value[1])


def _hyper_spec(issues, path, value):
    if _number(value):
        return ("fixed", value)
    if isinstance(value, list):
        rng = _range(issues, path, value)
        return None if rng is None else ("range", rng)
    if isinstance(value, Mapping) and len(value) == 1:
        (kind, body), = value.items()
        if kind == "int" and isinstance(body, list) and len(body) == 2 and all(
                isinstance(b, int) and not isinstance(b, bool) for b in body) and body[0] <= body[1]:
            return ("int", (body[0], body[1]))
        if kind == "choice" and isinstance(body, list) and body and all(
                _number(b) or isinstance(b, bool) for b in body):
            return ("choice", list(body))
    issues.append((path, "must be a number, [low, high], {int: [low, high]} or "
                           f"{{choice: [...]}}, got {value!r}"))
    return None


def _shape(issues, path, value):
    if (not isinstance(value, list) or len(value) > 3
            or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in value)
            or math.prod(value) > MAX_ELEMENTS):
        issues.append((path, f"must be a list of 0-3 positive sizes with at most {MAX_ELEMENTS} "
                               f"elements, got {value!r}"))
        return None
    return tuple(value)


def parse_settings(cases: Mapping[str, Any], reference) -> dict:
    """Validated settings with defaults filled in; raises CasesError listing every issue."""
    issues: list[tuple[str, str]] = []
    if not isinstance(cases, Mapping):
        raise CasesError([("cases", "must be a mapping")])
    kind = cases.get("kind", "optimizer")
    if kind not in KIND_KEYS:
        raise CasesError([("cases.kind", f"must be one of {', '.join(KIND_KEYS)} for a built-in reference "
                                         f"(arrays needs the deck's own, {{file, function}}), got {kind!r}")])
    for key in cases:
        if key not in COMMON_KEYS | KIND_KEYS[kind]:
            issues.append((f"cases.{key}", f"unknown setting for kind {kind}"))
    settings: dict[str, Any] = {"kind": kind}
    settings["seed"] = _int(issues, "cases.seed", cases.get("seed", 0), 0, 2**32 - 1)
    parameters = inspect.signature(reference).parameters
    names = list(parameters)
    if kind == "optimizer":
        if names[:2] != ["param", "grad"]:
            issues.append(("reference", "an optimizer reference must start (param, grad, ...)"))
        hyper_names = [n for n in names[2:] if n not in STATE_NAMES and n != "t"]
    elif kind == "schedule":
        hyper_names = names[1:]
    else:
        hyper_names = names[2:]
    hyper = cases.get("hyper", {})
    settings["hyper"] = {}
    if not isinstance(hyper, Mapping):
        issues.append(("cases.hyper", "must be a mapping of argument name to range"))
        hyper = {}
    for name, value in hyper.items():
        if name not in hyper_names:
            issues.append((f"cases.hyper.{name}", f"{reference.__name__} has no "
                             f"hyper-parameter {name!r} (it has: {', '.join(hyper_names)})"))
            continue
        spec = _hyper_spec(issues, f"cases.hyper.{name}", value)
        if spec:
            settings["hyper"][name] = spec
    for name in hyper_names:
        if name not in settings["hyper"]:
            default = parameters[name].default
            if default is inspect.Parameter.empty:
                issues.append((f"cases.hyper.{name}", f"needs a range: {name} has no default"))
            else:
                settings["hyper"][name] = ("fixed", default)
    settings["defaults"] = {n: p.default for n, p in parameters.items()
                            if p.default is not inspect.Parameter.empty}
    _KINDS[kind].settings(cases, settings, issues)
    if issues:
        raise CasesError(issues)
    return settings


def _optimizer_settings(cases, settings, issues):
    shapes = cases.get("shapes", [[1], [5], [3, 4]])
    if not isinstance(shapes, list) or not shapes:
        issues.append(("cases.shapes", "must be a non-empty list of shapes"))
        shapes = []
    settings["shapes"] = [_shape(issues, f"cases.shapes.{i}", s) for i, s in enumerate(shapes)]
    settings["trajectories"] = _int(issues, "cases.trajectories",
                                    cases.get("trajectories", 2 * max(len(shapes), 1)), 1, 24)
    steps = _int(issues, "cases.steps", cases.get("steps", 8), 1, 50)
    settings["steps"] = steps
    zero = cases.get("zero_grad_step")
    settings["zero_grad_step"] = None if zero is None else _int(
        issues, "cases.zero_grad_step", zero, 1, steps or 1)
    scales = cases.get("grad_scale", [1e-6, 10.0])
    if isinstance(scales, list) and scales and all(isinstance(s, list) for s in scales):
        settings["grad_scale"] = [_range(issues, f"cases.grad_scale.{i}", s, positive=True)
                                  for i, s in enumerate(scales)]
    else:
        settings["grad_scale"] = [_range(issues, "cases.grad_scale", scales, positive=True)]
    for flag, default in (("defaults_first", True), ("zero_param", False)):
        value = cases.get(flag, default)
        if not isinstance(value, bool):
            issues.append((f"cases.{flag}", f"must be true or false, got {value!r}"))
        settings[flag] = value


def _schedule_settings(cases, settings, issues):
    settings["count"] = _int(issues, "cases.count", cases.get("count", 5), 1, 24)
    settings["points"] = _int(issues, "cases.points", cases.get("points", 12), 0, 200)
    settings["first_step"] = _int(issues, "cases.first_step", cases.get("first_step", 0), 0, 1)
    span = cases.get("span", 1.0)
    if not _number(span) or not 0 < span <= 10:
        issues.append(("cases.span", f"must be a number in (0, 10], got {span!r}"))
    settings["span"] = span


def _clip_settings(cases, settings, issues):
    groups = cases.get("groups", [[[3], [2, 2]], [[5]], [[1], [4], [2, 3]]])
    parsed = []
    if not isinstance(groups, list) or not groups:
        issues.append(("cases.groups", "must be a non-empty list of lists of shapes"))
        groups = []
    for i, group in enumerate(groups):
        if not isinstance(group, list) or not group:
            issues.append((f"cases.groups.{i}", "must be a non-empty list of shapes"))
            continue
        parsed.append([_shape(issues, f"cases.groups.{i}.{j}", s) for j, s in enumerate(group)])
    settings["groups"] = parsed
    settings["count"] = _int(issues, "cases.count", cases.get("count", 6), 1, 24)
    settings["grad_scale"] = _range(issues, "cases.grad_scale",
                                    cases.get("grad_scale", [1e-3, 10.0]), positive=True)
    zero = cases.get("zero_case", True)
    if not isinstance(zero, bool):
        issues.append(("cases.zero_case", f"must be true or false, got {zero!r}"))
    settings["zero_case"] = zero


# --- generation -----------------------------------------------------------------------------


def _draw(rng, spec):
    kind, body = spec
    if kind == "fixed":
        return body
    if kind == "int":
        return rng.randint(body[0], body[1])
    if kind == "choice":
        return body[rng.randrange(len(body))]
    low, high = body
    if low > 0 and high / low >= 10:
        return math.exp(rng.uniform(math.log(low), math.log(high)))
    return rng.uniform(low, high)


def _gradient(rng, shape, scale):
    """Random signs, magnitudes log-uniform in `scale` (Python's RNG: numpy.random is slow to
    import, and the cases must not depend on numpy's generator versions either)."""
    low, high = math.log(scale[0]), math.log(scale[1])
    values = [rng.choice((-1.0, 1.0)) * math.exp(rng.uniform(low, high))
              for _ in range(math.prod(shape))]
    return np.array(values, dtype=np.float64).reshape(shape)


def _normal(rng, shape):
    return np.array([rng.gauss(0.0, 1.0) for _ in range(math.prod(shape))]).reshape(shape)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _optimizer_plan(settings, reference, probes) -> Plan:
    names = list(inspect.signature(reference).parameters)
    state = [n for n in names if n in STATE_NAMES]
    plan = Plan("optimizer", [], {}, [], ["param", *state], arg_names=names)
    rng = random.Random(settings["seed"])
    steps, zero_step = settings["steps"], settings["zero_grad_step"]
    for i in range(settings["trajectories"]):
        shape = settings["shapes"][i % len(settings["shapes"])]
        hyper = {n: _draw(rng, spec) for n, spec in settings["hyper"].items()}
        if i == 0 and settings["defaults_first"]:
            hyper.update({n: settings["defaults"][n] for n in hyper if n in settings["defaults"]})
        param = _normal(rng, shape)
        if settings["zero_param"] and i == settings["trajectories"] - 1:
            param = np.zeros(shape)
        scale = settings["grad_scale"][i % len(settings["grad_scale"])]
        grads = [np.zeros(shape) if k == zero_step else _gradient(rng, shape, scale)
                 for k in range(1, steps + 1)]
        _add_trajectory(plan, names, state, shape, param, grads, hyper, None, None)
    for hyper_name in probes:
        for i in range(settings["trajectories"]):
            base, info = plan.cases[i], plan.info[i]
            hyper = dict(info.hyper, **{hyper_name: info.hyper[hyper_name] * PROBE_FACTOR})
            grads = [plan.arrays[call["args"][1]["a"]] for call in base["calls"]]
            shape = tuple(base["returns"][0][2])
            _add_trajectory(plan, names, state, shape, plan.arrays[base["init"]["param"]], grads,
                            hyper, i, hyper_name)
    return plan


def _add_trajectory(plan, names, state, shape, param, grads, hyper, probe_of, probe_hyper):
    zero = plan.add_array(np.zeros(shape))
    init = {"param": plan.add_array(param), **{s: zero for s in state}}
    calls, labels, inputs = [], [], []
    for k, grad in enumerate(grads, start=1):
        grad_key = plan.add_array(grad)
        args, shown = [], {}
        for name in names:
            if name == "param" or name in state:
                args.append({"s": name})
            elif name == "grad":
                args.append({"a": grad_key})
                shown["grad"] = grad_key
            elif name == "t":
                args.append({"v": k})
                shown["t"] = k
            else:
                args.append({"v": hyper[name]})
        calls.append({"args": args})
        labels.append(f"step {k}" + (f" (t={k})" if "t" in names else "")
                      + (", zero gradient" if not np.any(grad) else ""))
        inputs.append(shown)
    returns = [[n, "array", list(shape)] for n in ["param", *state]]
    plan.cases.append({"init": init, "calls": calls, "returns": returns})
    described = ", ".join(f"{n}={_fmt(v)}" for n, v in hyper.items())
    name = f"shape {shape}, {len(grads)} steps, {described}"
    if probe_of is not None:
        name = f"probe of case {probe_of + 1} with {probe_hyper} x{PROBE_FACTOR:g}"
    plan.info.append(CaseInfo(name, labels, hyper, inputs, probe_of, probe_hyper))


def _schedule_plan(settings, reference, probes) -> Plan:
    plan = Plan("schedule", [], {}, [], ["value"])
    rng = random.Random(settings["seed"])
    names = list(inspect.signature(reference).parameters)
    for _ in range(settings["count"]):
        hyper = {n: _draw(rng, spec) for n, spec in settings["hyper"].items()}
        step_like = [v for n, v in hyper.items() if n.endswith("_steps")] or [100]
        last = max(int(settings["span"] * max(step_like)), settings["first_step"] + 1)
        first = settings["first_step"]
        points = {first, first + 1, last}
        for n, v in hyper.items():
            if n.endswith("_steps"):
                points |= {int(v) - 1, int(v), int(v) + 1}
        points |= {rng.randint(first, last) for _ in range(settings["points"])}
        steps = sorted(p for p in points if first <= p <= last)
        calls = [{"args": [{"v": p}] + [{"v": hyper[n]} for n in names[1:]]} for p in steps]
        plan.cases.append({"init": {}, "calls": calls, "returns": [["value", "scalar", []]]})
        described = ", ".join(f"{n}={_fmt(v)}" for n, v in hyper.items())
        plan.info.append(CaseInfo(f"{described} at {len(points)} steps",
                                  [f"{names[0]}={p}" for p in points], hyper,
                                  [{names[0]: p} for p in points]))
    return plan


def _clip_plan(settings, reference, probes) -> Plan:
    plan = Plan("clip", [], {}, [], ["grads", "total_norm"])
    rng = random.Random(settings["seed"])
    count = settings["count"] + (1 if settings["zero_case"] else 0)
    for i in range(count):
        group = settings["groups"][i % len(settings["groups"])]
        zero = settings["zero_case"] and i == count - 1
        grads = [np.zeros(s) if zero else _gradient(rng, s, settings["grad_scale"]) for s in group]
        total = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        clips = i % 2 == 0
        ratio = math.exp(rng.uniform(math.log(0.1), math.log(0.8))) if clips else \
            math.exp(rng.uniform(math.log(1.25), math.log(4.0)))
        max_norm = 1.0 if zero else ratio * total
        keys = [plan.add_array(g) for g in grads]
        plan.cases.append({"init": {}, "calls": [{"args": [{"l": [{"a": k} for k in keys]},
                                                           {"v": max_norm}]}],
                           "returns": [["grads", "arrays", [list(s) for s in group]],
                                       ["total_norm", "scalar", []]]})
        what = "all zero" if zero else ("clips" if clips else "no clipping")
        plan.info.append(CaseInfo(
            f"{len(group)} tensors of shapes {', '.join(map(str, group))}, "
            f"max_norm={max_norm:.4g} ({what})", ["the call"], {"max_norm": max_norm},
            [{"grads": keys}]))
    return plan


class _Kind:
    def __init__(self, settings, plan):
        self.settings, self.plan = settings, plan


_KINDS = {"optimizer": _Kind(_optimizer_settings, _optimizer_plan),
          "schedule": _Kind(_schedule_settings, _schedule_plan),
          "clip": _Kind(_clip_settings, _clip_plan)}


def build_plan(cases: Mapping[str, Any], reference, probes: tuple[str, ...] = ()) -> Plan:
    """All cases for a drill; `probes` names hyper-parameters to vary for property tests."""
    settings = parse_settings(cases, reference)
    if settings["kind"] != "optimizer":
        probes = ()
    probes = tuple(p for p in probes if p in settings["hyper"])  # others: validation says so
    return _KINDS[settings["kind"]].plan(settings, reference, probes)
