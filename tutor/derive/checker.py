"""The step checker: each line of a derivation against the one before it.

Runs inside a worker process (see `tutor.derive.worker`): it imports SymPy and may take
unbounded time on a pathological line, so callers never run it in the UI process.  Input is
a plain `spec` dict (see `spec_of` in `tutor.derive`), output the result's step dicts (ARCHITECTURE.md),
emitted one line at a time so a live editor can show ✓/✗ as soon as each is known.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode
from sympy.printing.pretty.stringpict import prettyForm

from tutor.derive import results
from tutor.derive.build import DefinedTerm, DerivationScope, Expect
from tutor.derive.keysteps import Factors, candidates, contains, factors_of
from tutor.derive.results import Step, StepStatus, Summary
from tutor.derive.rules import (
    FRESH_AGREEMENTS,
    SAMPLE_POINTS,
    Sampler,
    agree,
    normalise,
    shown_number,
    sums_cancel,
)
from tutor.derive.syntax import MAX_LINES, ParseError, is_blank, parse_expression, parse_line

MAX_SIMPLIFY_OPS = 400
MAX_UNDECIDABLE = 2
UNFOLD_STEPS = 2  # recursion steps unfolded when trying to prove a step


@dataclass
class Value:
    """One expression of the chain: as written, as normalised, and its sampled values."""

    raw: sp.Expr
    expr: sp.Expr
    values: dict[int, sp.Expr | None] = field(default_factory=dict)


@dataclass
class Verdict:
    status: StepStatus  # ok, wrong or undecided
    message: str
    counterexample: dict[str, Any] | None = None


PIECEWISE = (sp.Min, sp.Max, sp.Abs, sp.Piecewise, sp.sign)
ORDINALS = ("first", "second", "third")
START = "the start"


def where(line: int, index: int, count: int) -> str:
    """How a counterexample names one expression of a line: `line 3`, or on a line that chains
    several with '=' (`a = b`), `line 3's second expression`."""
    if count == 1:
        return f"line {line}"
    nth = ORDINALS[index] if index < len(ORDINALS) else f"{index + 1}th"
    return f"line {line}'s {nth} expression"


def _equal_symbolically(difference: sp.Expr) -> bool:
    if difference == 0:
        return True
    for attempt in (sp.expand, sp.cancel):
        try:
            if attempt(difference) == 0:
                return True
        except (sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue
    if sp.count_ops(difference) <= MAX_SIMPLIFY_OPS:
        try:
            if sp.simplify(difference) == 0:
                return True
            if difference.has(*PIECEWISE):  # min/max/abs: case by case
                return sp.simplify(sp.piecewise_fold(difference.rewrite(sp.Piecewise))) == 0
        except (TypeError, ValueError, NotImplementedError):
            return False
    return False


def _equal_by_rules(difference: sp.Expr, scope: DerivationScope) -> bool:
    """Proofs for sums and recursions: ranges brought together (`sums_cancel`), and each
    recursion member at a symbolic index unfolded one step (m_t = beta1*m_{t-1} + ...)."""
    for _ in range(UNFOLD_STEPS + 1):
        try:
            if sp.expand(difference) == 0 or (difference.has(sp.Sum) and sums_cancel(difference)):
                return True
        except (sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            return False
        if not difference.has(DefinedTerm):
            return False
        unfolded = scope.unfold(difference)
        if unfolded == difference:
            return False
        difference = unfolded
    return False


class Checker:
    """Everything fixed for one derivation: its names, start, goal and known mistakes."""

    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.scope, self.errors = DerivationScope.from_spec(
            spec.get("symbols") or {}, spec.get("definitions") or {}, spec.get("facts") or {},
            spec.get("functions") or {})
        self.sampler = Sampler(self.scope, seed=str(spec.get("id", "")))
        self.start = self._author_value("start")
        self.goal = self._author_value("goal")
        # Mistakes are parsed now (to report errors) but normalised only when a line is wrong.
        self._mistakes: list[tuple[str, sp.Expr, str]] = []
        self._mistake_values: dict[str, Value] = {}
        for n, mistake in enumerate(spec.get("mistakes") or ()):
            path = f"mistakes.{n}.line"
            raw = self._author_expr(path, mistake.get("line", ""))
            if raw is not None:
                self._mistakes.append((path, raw, str(mistake.get("message", ""))))
        self.key_steps: list[tuple[str, Factors]] = []
        for n, step in enumerate(spec.get("key_steps") or ()):
            path = f"key_steps.{n}.form"
            try:
                form = factors_of(parse_expression(str(step.get("form", ""))), self.scope)
            except (ParseError, ValueError, TypeError, ArithmeticError) as exc:
                self.errors.append((path, str(exc)))
                continue
            if not form:
                self.errors.append((path, "has no factor a line could show (a number, or zero)"))
                continue
            self.key_steps.append((str(step.get("name", "")), form))

    def _author_expr(self, path: str, text: str | None = None) -> sp.Expr | None:
        text = self.spec.get(path, "") if text is None else text
        try:
            return self.scope.build_text(str(text))
        except ParseError as exc:
            self.errors.append((path, str(exc)))
            return None

    def _author_value(self, path: str) -> Value | None:
        raw = self._author_expr(path)
        return None if raw is None else self.value_of(raw)

    def mistakes(self):
        """(key path, value, message) of each authored mistake, normalised on first use."""
        for path, raw, message in self._mistakes:
            if path not in self._mistake_values:
                self._mistake_values[path] = self.value_of(raw)
            yield path, self._mistake_values[path], message

    def value_of(self, raw: sp.Expr) -> Value:
        return Value(raw, normalise(raw, self.scope, self.sampler))

    def sample(self, value: Value, k: int) -> sp.Expr | None:
        if k not in value.values:
            value.values[k] = self.sampler.value(value.expr, k)
        return value.values[k]

    def compare(self, before: Value, after: Value) -> Verdict:
        """Whether `after` equals `before`: exact refutation at sample points, then a symbolic
        proof; failing a proof, exact agreement at enough points (fresh ones among them) where
        both sides are rational, unless min, max, abs or a piecewise could hide a difference
        beyond the sampled range. Closeness in floating point never counts."""
        difference = after.expr - before.expr
        if difference == 0:
            return Verdict("ok", "equal")
        if difference.has(sp.Sum, DefinedTerm) and _equal_by_rules(difference, self.scope):
            return Verdict("ok", "equal")  # a proof: no point is sampled (large sums are slow to sample)
        exact = fresh = undecidable = 0
        for k in range(len(self.sampler.points)):
            if exact >= SAMPLE_POINTS and not Sampler.is_fresh(k):
                continue  # enough seeded agreements: go on to the fresh points
            a, b = self.sample(before, k), self.sample(after, k)
            if a is None or b is None:
                continue
            equal = agree(a, b)
            if equal is False:
                return Verdict("wrong", "", self._counterexample(k, before, after, a, b))
            if equal is None:
                undecidable += 1
                if undecidable >= MAX_UNDECIDABLE:
                    break  # values no exact comparison settles: only a proof can accept the step
                continue
            exact += 1
            fresh += Sampler.is_fresh(k)
            if exact >= SAMPLE_POINTS and fresh >= FRESH_AGREEMENTS:
                break
        if _equal_symbolically(difference):
            return Verdict("ok", "equal")
        if exact >= SAMPLE_POINTS and fresh >= FRESH_AGREEMENTS and not undecidable \
                and not difference.has(*PIECEWISE):
            return Verdict("ok", f"equal (checked exactly at {exact} random points)")
        return Verdict("undecided", "could not decide whether this equals the line before")

    def _counterexample(self, k: int, before: Value, after: Value,
                        a: sp.Expr, b: sp.Expr) -> dict[str, Any]:
        shown = {
            "at": self.sampler.shown_point(k, before.expr, after.expr),
            "previous": shown_number(a),
            "this": shown_number(b),
        }
        if shown["previous"] == shown["this"]:  # they differ beyond the digits shown
            shown["difference"] = shown_number(b - a)
        return shown

    def known_mistake(self, after: Value) -> str | None:
        """The message of an authored mistake equal in value to a wrong line, if any."""
        for _, mistake, message in self.mistakes():
            if self.compare(mistake, after).status == "ok":
                return message
        return None

    def reaches_goal(self, last: Value) -> bool:
        """Whether the last line, read as written (no definitions, no E rules), is the goal."""
        if self.goal is None:
            return False
        for kind in (sp.Sum, Expect):  # a sum or an expectation left means work left
            if last.raw.has(kind) and not self.goal.raw.has(kind):
                return False
        return _equal_symbolically(last.raw - self.goal.raw)

    # -- a whole chain ----------------------------------------------------------------------

    def check(self, lines: list[str], emit: Callable[[Step], None]) -> Summary:
        """Check every line, calling emit(step) as each is decided; returns the summary."""
        previous: Value | None = None
        before = START  # where `previous` was written, for a counterexample
        steps: list[Step] = []
        written: list[Factors] = []  # the products of every line, for the key steps
        numbered = [(n, text) for n, text in enumerate(lines, 1) if not is_blank(text)]
        numbered, excess = numbered[:MAX_LINES], numbered[MAX_LINES:]
        for number, text in numbered:
            unparsed: str | None = None
            try:
                nodes = parse_line(text)
                parts = [self.scope.build(node) for node in nodes]
            except ParseError as exc:
                unparsed = str(exc)
            except RecursionError:
                unparsed = "too deeply nested"
            except (TypeError, ValueError, ArithmeticError, NotImplementedError) as exc:
                # SymPy refused to build it (e.g. a divergent sum as an exponent)
                unparsed = f"cannot read this expression: {str(exc)[:120]}"
            if unparsed is not None:
                step = results.step(number, text, "unparsed", unparsed)
            else:
                verdicts = []
                for index, raw in enumerate(parts):
                    here = where(number, index, len(parts))
                    try:
                        value = self.value_of(raw)
                        verdicts.append(self._step(previous, value, index, (before, here)))
                    except (ValueError, TypeError, ArithmeticError, NotImplementedError,
                            AttributeError, IndexError, KeyError, RecursionError) as exc:
                        value = Value(raw, raw)
                        verdicts.append(Verdict("undecided", f"could not check this line ({type(exc).__name__})"))
                    previous, before = value, here
                shown = next((v for v in verdicts if v.status == "wrong"), None) or next(
                    (v for v in verdicts if v.status != "ok"), verdicts[-1])
                step = results.step(number, text, shown.status, shown.message, shown.counterexample,
                                    pretty_chain(parts))
                if self.key_steps and steps:  # the first line is the given start, not work
                    written += self._products(nodes)
            steps.append(step)
            emit(step)
        if excess:
            number, text = excess[0]
            step = results.step(number, text, "unparsed",
                                f"too many lines (at most {MAX_LINES}); this and the rest were not checked")
            steps.append(step)
            emit(step)
        goal_reached = (previous is not None and steps[-1]["status"] != "unparsed"
                        and self.reaches_goal(previous))
        missing = [name for name, form in self.key_steps if not contains(written, form)]
        return results.summarise(steps, goal_reached, self.spec.get("goal", ""), missing)

    def _products(self, nodes: list) -> list[Factors]:
        found: list[Factors] = []
        for node in nodes:
            try:
                found += candidates(node, self.scope)
            except (ParseError, ValueError, TypeError, ArithmeticError, RecursionError):
                continue  # a part SymPy cannot read again shows no key step
        return found

    def _step(self, previous: Value | None, value: Value, index: int, compared: tuple[str, str]) -> Verdict:
        """`value` against what came before it; a counterexample names the two expressions it
        compared (`where`): on a line `a = b`, b is compared with a, not with the line before."""
        if previous is None:
            verdict = self._against_start(value)
        else:
            verdict = self.compare(previous, value)
            if verdict.status == "wrong":
                verdict.message = self.known_mistake(value) or (
                    "not equal to the line before" if index == 0
                    else "not equal to the expression before '='")
        if verdict.counterexample is not None:
            verdict.counterexample["compared"] = list(compared)
        return verdict

    def _against_start(self, value: Value) -> Verdict:
        if self.start is None:
            return Verdict("undecided", "the derivation's start does not parse")
        verdict = self.compare(self.start, value)
        if verdict.status == "ok":
            return Verdict("ok", "the start")
        if verdict.status == "wrong":
            verdict.message = f"the derivation must start from {self.spec.get('start')}"
        return verdict


_UNICODE_TABLES = threading.Lock()


def pretty_chain(parts: list[sp.Expr]) -> str:
    """Unicode pretty-print of a line as SymPy read it, parts joined by '='.

    The printer's big symbols (a sum's sigma) come from tables chosen by a process-wide flag,
    which SymPy sets at its import from what `sys.stdout` can encode: imported under a
    redirect to a StringIO, or with an ASCII or Latin-1 stdout, a unicode printer asks the
    ASCII table for 'sum' and fails with KeyError. Set for the print, as `sympy.pretty` does.
    """
    printer = PrettyPrinter({"use_unicode": True})
    with _UNICODE_TABLES:
        was = pretty_use_unicode(True)
        try:
            forms = [printer._print(part) for part in parts]
            joined = forms[0]
            for form in forms[1:]:
                joined = prettyForm(*joined.right(" = ", form))
            return joined.render(wrap_line=False)
        finally:
            pretty_use_unicode(was)


def validate_spec(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems with a derivation's content, including a model solution the checker rejects."""
    checker = Checker(spec)
    errors = list(checker.errors)
    solution = list(spec.get("solution") or ())
    if not solution:
        errors.append(("solution", "missing model solution"))
    if checker.start is not None:
        for path, mistake, _ in checker.mistakes():
            if checker.compare(checker.start, mistake).status == "ok":
                errors.append((path, "equals the start, so no wrong line can ever match it"))
    if solution and not errors:
        result = checker.check(solution, lambda step: None)
        if result["status"] != "pass":
            errors.append(("solution", f"the checker rejects the model solution: {result['message']}"))
    return errors
