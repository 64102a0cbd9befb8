"""The algebra a derivation may use: definitions, linearity of E, facts, sums in closed form.

`normalise` rewrites an expression into the form lines are compared in; `Sampler` draws exact
random points that respect the symbols' assumptions and evaluates expressions there exactly
(rationals, never floating point), which is how a step is refuted with a counterexample.

Points come in two sets: `SEEDED_POINTS` drawn from the derivation's id (small, readable
values, the same on every run, so a counterexample can be reproduced) and `FRESH_POINTS` drawn
from the operating system's randomness over wide ranges (large integers, fine fractions,
magnitudes from 10^-3 to 10^6), which no learner can aim a false identity at: a polynomial that
vanishes at t = 1..12, or a perturbation of 10^-20, differs at them exactly.
"""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import sympy as sp

from tutor.derive.build import MAX_INDEX, DefinedTerm, DerivationScope, Expect, FamilyTerm, interval_of, is_random

SAMPLE_POINTS = 12  # exact agreements needed to accept a step SymPy cannot prove ...
FRESH_AGREEMENTS = 6  # ... of which this many at fresh points
SEEDED_POINTS = 40
FRESH_POINTS = 24
SHOWN_DIGITS = 10
MAX_MEMBER_BITS = 100_000  # a recursion's value at a point larger than this is not sampled
PROOF_DIGITS = 30  # a non-rational difference must show this many correct digits to count as non-zero
MAX_PROOF_DIGITS = 120


def _linear_expectation(arg: sp.Expr, scope: DerivationScope) -> sp.Expr:
    """E[arg] with linearity applied: sums and constants out, products of randoms kept."""
    if not is_random(arg, scope):
        return arg
    if arg.is_Add:
        return sp.Add(*(_linear_expectation(term, scope) for term in arg.args))
    if isinstance(arg, sp.Sum):
        return sp.Sum(_linear_expectation(arg.function, scope), *arg.limits)
    if arg.is_Mul:
        constant = [f for f in arg.args if not is_random(f, scope)]
        varying = [f for f in arg.args if is_random(f, scope)]
        if constant:
            return sp.Mul(*constant) * _linear_expectation(sp.Mul(*varying), scope)
        sums = [f for f in varying if isinstance(f, sp.Sum)]
        if sums:
            # (sum_i a_i) * X = sum_i (a_i * X) when X does not use the index.
            first = sums[0]
            rest = sp.Mul(*(f for f in varying if f is not first))
            index_names = {limit[0] for limit in first.limits}
            if not (rest.free_symbols & index_names):
                return _linear_expectation(sp.Sum(first.function * rest, *first.limits), scope)
        expanded = sp.expand_mul(arg)
        if expanded != arg and expanded.is_Add:
            return _linear_expectation(expanded, scope)
    return Expect(arg)


def push_expectations(expr: sp.Expr, scope: DerivationScope) -> sp.Expr:
    """Apply linearity to every E[...] in an expression, innermost first."""
    if not expr.has(Expect):
        return expr
    if isinstance(expr, Expect):
        return _linear_expectation(push_expectations(expr.args[0], scope), scope)
    return expr.func(*(push_expectations(arg, scope) for arg in expr.args))


def apply_facts(expr: sp.Expr, scope: DerivationScope) -> sp.Expr:
    """Rewrite with the author's facts (E[g_i] -> g matches every member g_k of the family)."""
    for pattern, value in scope.facts:
        expr = expr.replace(pattern, value)
    return expr


UNKNOWNS = (FamilyTerm, Expect)


def evaluate_sum(s: sp.Sum) -> sp.Expr:
    """A sum split into terms, factors that do not depend on its index taken out, and each
    part without unknowns (x_i, E[...]) in closed form: sum(x_i - mu, i, 1, n) is
    sum(x_i, i, 1, n) - n*mu.  SymPy's doit on a sum of an unknown family tries telescoping
    and solving first, which takes minutes on a sum of (x_i - mu)^2."""
    if len(s.limits) != 1:
        return s.doit()
    (variable, _, _), = s.limits
    total = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(s.function)):
        inside = [f for f in sp.Mul.make_args(term) if variable in f.free_symbols]
        outside = sp.Mul(*(f for f in sp.Mul.make_args(term) if variable not in f.free_symbols))
        summand = sp.Mul(*inside)
        if summand.has(*UNKNOWNS):
            total += outside * sp.Sum(summand, *s.limits)
        else:
            total += outside * sp.Sum(summand, *s.limits).doit()
    return total


def generic_piecewise(expr: sp.Expr, sampler: "Sampler") -> sp.Expr:
    """Replace each Piecewise by the branch that holds at every sample point.

    Sums of powers come back from SymPy as Piecewise((t, Eq(beta, 1)), (closed form, True));
    with 0 < beta < 1 the special branch never holds, and sampling the assumptions shows it.
    """

    def choose(piecewise: sp.Piecewise) -> sp.Expr:
        for value, condition in piecewise.args:
            if condition is sp.true:
                return value
            if all(_holds(condition, point) for point in sampler.points[:6]):
                return value
        return piecewise

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), choose)


def _holds(condition: sp.Basic, point: dict) -> bool:
    try:
        return bool(condition.xreplace(point).doit()) is True
    except TypeError:
        return False


def normalise(expr: sp.Expr, scope: DerivationScope, sampler: "Sampler") -> sp.Expr:
    """The expression with definitions substituted, E pushed in, facts used, sums evaluated."""
    expr = scope.expand(expr)
    expr = push_expectations(expr, scope)
    expr = apply_facts(expr, scope)
    if expr.has(sp.Sum):
        expr = scope.expand(expr.replace(lambda e: isinstance(e, sp.Sum), evaluate_sum))
        expr = apply_facts(push_expectations(expr, scope), scope)
    if expr.has(sp.Piecewise):
        expr = generic_piecewise(expr, sampler)
    return expr


class Sampler:
    """Exact random points respecting the assumptions, shared by every line of one check."""

    def __init__(self, scope: DerivationScope, seed: str):
        self.scope = scope
        self.rng = random.Random(seed)
        symbols = {s for s in scope.names.values() if isinstance(s, sp.Symbol)}
        symbols -= set(scope.definitions)
        self.symbols = sorted(symbols, key=lambda s: s.name)
        self.points = [self._draw(k, self._seeded) for k in range(SEEDED_POINTS)]
        fresh = random.Random(random.SystemRandom().getrandbits(128))
        self.points += [self._draw(k, lambda symbol, spec, k: self._fresh(fresh, symbol, spec))
                        for k in range(FRESH_POINTS)]
        self.random_values: list[dict[sp.Basic, sp.Rational]] = [{} for _ in self.points]
        self.members: dict[tuple[str, int], dict[int, sp.Expr]] = {}  # (family, point) -> index -> value
        self.bodies: dict[str, sp.Expr] = {}  # a recursion's body, normalised

    @staticmethod
    def is_fresh(k: int) -> bool:
        return k >= SEEDED_POINTS

    def _draw(self, k: int, value) -> dict[sp.Symbol, sp.Rational]:
        point = {}
        for symbol in self.symbols:
            name = next(n for n, s in self.scope.names.items() if s == symbol)
            point[symbol] = value(symbol, self.scope.specs.get(name, {}), k)
        return point

    @staticmethod
    def _fresh(rng: random.Random, symbol: sp.Symbol, spec: dict) -> sp.Rational:
        """A value over a wide range: integers past any small root, fractions with large
        denominators, magnitudes from 10^-3 to 10^6."""
        if "interval" in spec:
            lo, hi = interval_of(symbol.name, spec["interval"])
            scale = rng.randint(10 ** 3, 10 ** 9)
            return sp.Rational(lo + (hi - lo) * Fraction(rng.randint(1, scale - 1), scale))
        if symbol.is_integer:
            low = 1 if symbol.is_positive else 0 if symbol.is_nonnegative else -400
            return sp.Integer(rng.randint(max(low, 13) if low >= 0 else low, 400))
        fraction = sp.Rational(rng.randint(1, 10 ** 6), rng.randint(1, 10 ** 6))
        magnitude = fraction * sp.Rational(10) ** rng.randint(-3, 6)
        sign = 1 if symbol.is_nonnegative or symbol.is_positive else rng.choice((-1, 1))
        return sign * magnitude

    def _seeded(self, symbol: sp.Symbol, spec: dict, k: int) -> sp.Rational:
        rng = self.rng
        if "interval" in spec:
            lo, hi = interval_of(symbol.name, spec["interval"])
            frac = Fraction(rng.randint(1, 99), 100)
            return sp.Rational(lo + (hi - lo) * frac)
        if symbol.is_integer:
            if symbol.is_positive:
                return sp.Integer(1 + (k + rng.randint(0, 11)) % 12)
            if symbol.is_nonnegative:
                return sp.Integer(rng.randint(0, 12))
            return sp.Integer(rng.randint(-6, 12))
        if symbol.is_positive:
            return sp.Rational(rng.randint(5, 300), 100)
        if symbol.is_nonnegative:
            return sp.Rational(rng.randint(0, 300), 100)
        return sp.Rational(rng.choice([-1, 1]) * rng.randint(5, 200), 100)

    def value(self, expr: sp.Expr, k: int) -> sp.Expr | None:
        """expr at point k as an exact real number, or None where it is undefined or not real."""
        try:
            return self._evaluate(expr, k)
        except (ValueError, TypeError, ArithmeticError, NotImplementedError, _Undefined):
            return None

    def _substituted(self, expr: sp.Expr, k: int) -> tuple[sp.Expr, set[sp.Basic]]:
        """expr at point k with sums expanded, and the random atoms still left in it."""
        # subs, unlike xreplace, leaves a sum's own index alone when it shares a declared name.
        value = expr.subs(self.points[k]) if expr.has(sp.Sum) else expr.xreplace(self.points[k])
        if value.has(sp.Sum, sp.Piecewise):
            value = written_out(value)
            if value.has(sp.Sum, sp.Piecewise):
                value = value.doit()
            value = apply_facts(push_expectations(value, self.scope), self.scope)
        if value.has(DefinedTerm):
            value = self._members_valued(value, k)
        unknowns = set(value.atoms(Expect, FamilyTerm))
        unknowns |= value.free_symbols & self.scope.random_symbols
        return value, unknowns

    def _members_valued(self, value: sp.Expr, k: int) -> sp.Expr:
        """value at point k with each recursion member's value: written out symbolically
        inside E[...] (where linearity and the facts apply), computed step by step outside."""
        scope = self.scope
        value = value.replace(lambda e: isinstance(e, Expect) and e.has(DefinedTerm),
                              lambda e: Expect(scope.expand(e.args[0])))
        value = apply_facts(push_expectations(value, scope), scope)
        if value.atoms(Expect) and any(e.has(DefinedTerm) for e in value.atoms(Expect)):
            raise _Undefined  # a member too far to write out
        return value.replace(lambda e: isinstance(e, DefinedTerm), lambda e: self._member(e, k))

    def _member(self, member: sp.Expr, k: int) -> sp.Expr:
        """A recursion's member at a whole-number index, computed from its first members at point k."""
        index = member.args[0]
        definition = self.scope.defined[member.family]
        if not index.is_Integer or definition.body is None or not definition.starts:
            raise _Undefined
        n, top = int(index), max(definition.starts)
        values = self.members.setdefault((member.family, k), {})
        if n in values:
            return values[n]
        if n in definition.starts:
            values[n] = self._number(normalise(definition.starts[n], self.scope, self), k)
            return values[n]
        if n < top or n - top > 2 * MAX_INDEX:
            raise _Undefined
        if member.family not in self.bodies:
            self.bodies[member.family] = normalise(definition.body, self.scope, self)
        body = self.bodies[member.family]
        for j in range(top + 1, n + 1):
            if j in values:
                continue
            step = body.subs(definition.parameter, j) if body.has(sp.Sum) else \
                body.xreplace({definition.parameter: sp.Integer(j)})
            values[j] = self._number(step.replace(
                lambda e: isinstance(e, definition.term) and e.args[0].is_Integer,
                lambda e: self._member(e, k)), k)
        return values[n]

    def _number(self, expr: sp.Expr, k: int) -> sp.Expr:
        value = self._evaluate(expr, k)
        if value is None or (value.is_Rational and value.p.bit_length() + value.q.bit_length() > MAX_MEMBER_BITS):
            raise _Undefined
        return value

    def _evaluate(self, expr: sp.Expr, k: int) -> sp.Expr | None:
        value, unknowns = self._substituted(expr, k)
        if unknowns:
            table = self.random_values[k]
            for atom in sorted(unknowns, key=sp.default_sort_key):
                if atom not in table:
                    table[atom] = sp.Rational(self.rng.randint(-200, 200), 100)
            value = value.xreplace({a: table[a] for a in unknowns})
        if value.free_symbols or not value.is_number or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return None
        if value.is_Rational:
            return value
        if value.is_extended_real is False or agree(sp.im(value), sp.Integer(0)) is False:
            return None
        return value

    def shown_point(self, k: int, *exprs: sp.Expr) -> dict[str, str]:
        """The values at point k of the learner's names appearing in exprs, as strings."""
        used: set[sp.Basic] = set()
        for expr in exprs:
            used |= expr.free_symbols
        shown = {}
        for name, symbol in self.scope.names.items():
            if symbol in self.points[k] and symbol in used:
                shown[name] = str(self.points[k][symbol])
        for expr in exprs:
            try:
                atoms = self._substituted(expr, k)[1]
            except (_Undefined, ValueError, TypeError, ArithmeticError, NotImplementedError):
                continue
            for atom in sorted(atoms, key=sp.default_sort_key):
                if atom in self.random_values[k]:
                    shown[sp.sstr(atom).replace("**", "^")] = str(self.random_values[k][atom])
        return shown


MAX_WRITTEN_TERMS = 5_000  # terms of a sum with whole-number limits written out at a point


def written_out(expr: sp.Expr) -> sp.Expr:
    """expr with every sum whose limits are whole numbers written out term by term (much
    faster than SymPy's doit, which substitutes each term with subs); sums whose limits
    depend on an outer sum's index are written out once that index is a number."""

    def write(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1:
            return s
        (variable, low, high), = s.limits
        if not (low.is_Integer and high.is_Integer):
            return s
        low, high = int(low), int(high)
        if high < low - 1:  # Karr's convention, as SymPy's Sum: sum(f, a, b) = -sum(f, b+1, a-1)
            return -write(sp.Sum(s.function, (variable, high + 1, low - 1)))
        if high - low + 1 > MAX_WRITTEN_TERMS:
            raise _Undefined
        return sp.Add(*(s.function.xreplace({variable: sp.Integer(j)}) for j in range(low, high + 1)))

    for _ in range(MAX_NESTED_SUMS):
        if not expr.has(sp.Sum):
            break
        written = expr.replace(lambda e: isinstance(e, sp.Sum), write)
        if written == expr:
            break
        expr = written
    return expr


MAX_NESTED_SUMS = 4
MAX_PEELED_TERMS = 50  # terms taken out of sums to bring their ranges together


def sums_cancel(difference: sp.Expr) -> bool:
    """Prove difference == 0 when it is a combination of sums over ranges that differ by
    fixed offsets (sum to t-1 against sum to t): every sum is split, exactly, into the range
    all share plus the terms outside it (SymPy's sums follow Karr's convention, under which
    sum(f, i, a, b) = sum(f, i, a, c) + sum(f, i, c+1, b) for all whole numbers a, b, c), the
    shared sums are merged into one whose summand must cancel (what does not depend on the
    index counts once per term), and the result must simplify to 0."""
    terms = sp.Add.make_args(sp.expand(difference))
    index = sp.Dummy("k", integer=True)
    ranged: list[tuple[sp.Expr, sp.Expr, sp.Expr]] = []  # (summand in index, from, to)
    rest: list[sp.Expr] = []
    for term in terms:
        sums = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Sum)]
        if len(sums) != 1 or len(sums[0].limits) != 1:
            rest.append(term)
            continue
        (variable, low, high), = sums[0].limits
        coefficient = term / sums[0]
        ranged.append((coefficient * sums[0].function.xreplace({variable: index}), low, high))
    if not ranged:
        return False
    low0, high0 = ranged[0][1], ranged[0][2]
    offsets = [(low - low0, high - high0) for _, low, high in ranged]
    if not all(a.is_Integer and b.is_Integer for a, b in offsets):
        return False
    shared_low = low0 + max(a for a, _ in offsets)
    shared_high = high0 + min(b for _, b in offsets)
    merged = sp.Integer(0)
    for summand, low, high in ranged:
        before, after = int(shared_low - low), int(high - shared_high)
        if before + after > MAX_PEELED_TERMS:
            return False
        rest += [summand.xreplace({index: low + d}) for d in range(before)]
        rest += [summand.xreplace({index: shared_high + d}) for d in range(1, after + 1)]
        merged += summand
    merged_terms = sp.Add.make_args(sp.expand(merged))
    if any(term.has(index) for term in merged_terms):
        return False  # the summands do not cancel term by term
    total = sp.expand(sp.Add(*rest) + sp.Add(*merged_terms) * (shared_high - shared_low + 1))
    return total == 0 or sp.cancel(sp.together(total)) == 0


class _Undefined(Exception):
    """A value that does not exist at a point (a recursion member before its first one)."""


def agree(a: sp.Expr, b: sp.Expr) -> bool | None:
    """Whether two exact numbers are equal: True, False, or None when that cannot be decided.

    Rationals are compared exactly. Otherwise the difference is evaluated with SymPy's
    adaptive precision and must show PROOF_DIGITS correct digits to count as non-zero; one
    that stays below every precision tried is undecided (only a proof makes it zero), so
    closeness alone never makes two values equal.
    """
    if a.is_Rational and b.is_Rational:
        return bool(a == b)
    difference = a - b
    if difference == 0:
        return True
    if difference.is_Rational:
        return False
    try:
        return False if difference.evalf(PROOF_DIGITS, strict=True, maxn=MAX_PROOF_DIGITS) != 0 else None
    except (sp.core.evalf.PrecisionExhausted, ValueError, TypeError, ArithmeticError):
        return None


def shown_number(value: sp.Expr) -> str:
    """An exact value as a learner reads it: a short decimal (0.93) or fraction (1/3) as it is,
    anything else to 10 significant digits."""
    if value.is_Rational and abs(value.p).bit_length() + value.q.bit_length() <= 64:
        if value.q == 1:
            return str(value.p)
        if sp.Rational(str(sp.N(value, 20))) != value:  # it does not terminate within 20 digits
            return str(value)
    return mpmath.nstr(mpmath.mpf(sp.N(value, SHOWN_DIGITS + 5)._mpf_), SHOWN_DIGITS)
