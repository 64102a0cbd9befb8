"""Static and numeric checks of a drill's definition, for `tutor content validate`.

A drill is sound when its reference passes its own cases, every listed mistake variant fails
them, no two mistakes look the same on them (so the diagnosis is unambiguous), property
tests (such as "ignores eps") can actually see the property, the starter is valid Python
defining the function with the reference's parameters, and the model solution passes.
Built-in references and variants run in this process (trusted code); an author drill's run
in the sandbox (`tutor.drills.authored`), and the solution is deck text, so it is checked in
the sandbox exactly like a learner's answer.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from tutor.drills import verdict
from tutor.drills.cases import CasesError
from tutor.drills.source import PARSE_ERRORS, parameters, parse_python, unparsable
from tutor.reference import UnknownName, mistake_variants, reference_function


def validate(drill) -> list[tuple[str, str]]:
    if not isinstance(drill.reference, str):
        return _validate_authored(drill)
    issues: list[tuple[str, str]] = []
    try:
        reference = reference_function(drill.reference)
    except UnknownName as exc:
        return [("reference", str(exc))]
    _check_text(drill, list(inspect.signature(reference).parameters), issues)
    _check_solution(drill, issues)
    families = []
    for i, mistake in enumerate(drill.mistakes):
        try:
            families.append((i, mistake, mistake_variants(mistake.variant)))
        except UnknownName as exc:
            issues.append((f"mistakes.{i}.variant", str(exc)))
    try:
        plan = verdict.make_plan(drill)
    except CasesError as exc:
        return issues + exc.issues
    except LookupError as exc:
        return issues + [("reference", str(exc))]
    tol = drill.tolerance
    expected = _outputs(reference, plan)
    if isinstance(expected, str):
        return issues + [("reference", f"the reference fails on its own cases: {expected}")]
    _check_finite(expected, issues)
    seen: list[tuple[str, list[dict]]] = []
    for i, mistake, functions in families:
        for function in functions:
            runs = _outputs(function, plan)
            name = f"{mistake.variant} ({function.__name__})"
            if isinstance(runs, str):
                issues.append((f"mistakes.{i}.variant", f"{name} raises on the cases: {runs}"))
                continue
            _check_variant(name, mistake.id, runs, expected, seen, tol, f"mistakes.{i}.variant",
                           issues)
            hyper = getattr(function, "ignores", None)
            if hyper:
                _check_property(reference, plan, expected, runs, hyper, tol, f"mistakes.{i}.variant",
                                issues)
    return issues


def _validate_authored(drill) -> list[tuple[str, str]]:
    """The same checks for an author drill, its reference and variants run in the sandbox."""
    from tutor.drills import authored

    code = drill.reference
    found = parameters(code.source, code.function)
    if isinstance(found, str):
        return [("reference", f"{code.file} {found}")]
    issues: list[tuple[str, str]] = []
    _check_text(drill, [name for name, _ in found], issues)
    try:
        verdict.make_plan(drill)
    except CasesError as exc:
        return issues + exc.issues
    prepared = verdict.prepare(drill)
    if isinstance(prepared, str):
        return issues + [("reference", prepared)]
    plan, expected_runs, _ = prepared
    expected = [outputs for outputs, _ in expected_runs]
    _check_finite(expected, issues)
    seen: list[tuple[str, list[dict]]] = []
    for i, mistake in enumerate(drill.mistakes):
        where, variant = f"mistakes.{i}.variant", mistake.variant
        problem = parameters(variant.source, variant.function)
        if isinstance(problem, str):
            issues.append((where, f"{variant.file} {problem}"))
            continue
        runs = authored.variant_runs(mistake, plan, 10.0)
        if any(run is None for run in runs):
            issues.append((where, f"{variant} raises on the cases (or cannot be run)"))
            continue
        _check_variant(str(variant), mistake.id, runs, expected, seen, drill.tolerance, where, issues)
    _check_solution(drill, issues)
    return issues


def _outputs(function, plan) -> list[dict] | str:
    runs = verdict.run_in_parent(function, plan)
    for index, (_, error) in enumerate(runs):
        if error is not None:
            return f"case {index + 1}: {type(error).__name__}: {error}"
    return [outputs for outputs, _ in runs]


def _check_finite(expected, issues) -> None:
    for run in expected:
        if not all(np.all(np.isfinite(a)) for a in run.values()):
            issues.append(("cases", "the reference returns NaN or inf on these cases"))
            return


def _check_variant(name, mistake_id, runs, expected, seen, tol, where, issues) -> None:
    """A variant must fail the cases and differ from every other mistake's variant."""
    if all(verdict.outputs_match(a, e, tol, equal_nan=False) for a, e in zip(runs, expected)):
        issues.append((where, f"{name} passes the cases, so they cannot catch this mistake"))
    for other_id, other_runs in seen:
        if other_id != mistake_id and all(verdict.outputs_match(a, b, tol)
                                          for a, b in zip(runs, other_runs)):
            issues.append((where, f"{name} gives the same outputs as mistake {other_id!r}: the "
                                  "cases cannot tell them apart"))
    seen.append((mistake_id, runs))


def _check_property(reference, plan, expected, runs, hyper, tol, path, issues) -> None:
    if not verdict.informative_probes(plan, expected, hyper, tol):
        issues.append((path, f"no probe case changes the reference's outputs when {hyper} "
                               "changes, so the property test cannot see this mistake"))
    elif verdict.constant_fits(reference, plan, expected, runs, hyper, tol) is None:
        issues.append((path, f"the reference with {hyper} fixed to a constant does not "
                               "reproduce the variant, so the property test would not name it"))


def _check_solution(drill, issues) -> None:
    """The model solution must pass the very check a learner's code gets (in the sandbox)."""
    if drill.solution is None:
        return
    from tutor.drills import check_drill

    result = check_drill(drill, drill.solution)
    if result["status"] != "pass":
        failing = next((t for t in result["tests"] if t["status"] != "pass"), None)
        why = result.get("message") or (failing or {}).get("message") or result["status"]
        issues.append(("solution", f"the model solution does not pass its own check: "
                                     f"{' '.join(str(why).split())}"))


def _check_text(drill, reference_parameters: list[str], issues) -> None:
    """Limits, tolerance, mistake ids, and a starter that defines the function with the
    reference's parameters (a learner starts from it)."""
    if drill.max_lines is not None and (not isinstance(drill.max_lines, int) or drill.max_lines < 1):
        issues.append(("max_lines", "must be a positive integer"))
    for key in ("rtol", "atol"):
        value = getattr(drill.tolerance, key)
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            issues.append((f"tolerance.{key}", f"must be a finite number >= 0, got {value!r}"))
    ids = [m.id for m in drill.mistakes]
    for i, mistake_id in enumerate(ids):
        if mistake_id in ids[:i]:
            issues.append((f"mistakes.{i}.id", f"duplicate mistake id {mistake_id!r}"))
    try:
        tree = parse_python(drill.starter)
    except PARSE_ERRORS as exc:
        issues.append(("starter", f"is not valid Python ({unparsable(exc)})"))
        return
    if verdict.body_line_count(tree, drill.starter, drill.function) is None:
        issues.append(("starter", f"does not define {drill.function}()"))
        return
    found = parameters(drill.starter, drill.function)
    names = [name for name, _ in found] if not isinstance(found, str) else None
    if names is not None and names != reference_parameters:
        issues.append(("starter", f"defines {drill.function}({', '.join(names)}) but the reference "
                                  f"takes ({', '.join(reference_parameters)})"))
