"""A derivation's names, and the translation of syntax trees into SymPy objects.

`DerivationScope.from_spec` reads the author's `symbols`/`definitions`/`facts` (see SYMBOL_KEYS for
the assumption schema) into SymPy symbols; `DerivationScope.build` turns a `syntax.Node` into a
SymPy expression, refusing unknown names and functions and capping numeric powers, so that
building never does unbounded work.  Runs inside the checker's worker process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

from tutor.derive.syntax import Node, ParseError, parse_expression

SYMBOL_KEYS = {
    "positive": "bool: x > 0",
    "nonnegative": "bool: x >= 0",
    "integer": "bool: x is a whole number (sampled 1..12 when also positive)",
    "interval": "[lo, hi]: lo < x < hi (open interval; e.g. [0, 1] for a decay rate)",
    "random": "bool: a random variable; `g_i` declares the random family g indexed by i",
}
FUNCTIONS = ("sqrt", "exp", "log", "abs", "min", "max", "sum")
RESERVED = set(FUNCTIONS) | {"E", "inf", "oo"}
ALIASES = {"eps": "epsilon", "epsilon": "eps", "lam": "lambda", "lambda": "lam", "ln": "log"}
MAX_SYMBOLIC_EXPONENT = 10_000
MAX_RESULT_DIGITS = 1_000
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class Expect(sp.Function):
    """E[x]: an uninterpreted expectation; `tutor.derive.rules` applies its linearity."""

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_number:
            return arg
        return None

    def _sympystr(self, printer):
        return f"E[{printer._print(self.args[0])}]"

    def _pretty(self, printer):
        inner = printer._print(self.args[0])
        return prettyForm(*prettyForm(*inner.parens("[", "]")).left("E"))

    def _latex(self, printer):
        return r"\mathbb{E}\left[" + printer._print(self.args[0]) + r"\right]"


class RandomTerm(sp.Function):
    """g_k: one member of a random family; a subclass per family carries its name."""

    nargs = 1
    is_real = True
    family = "g"

    def _sympystr(self, printer):
        index = self.args[0]
        shown = printer._print(index)
        return f"{self.family}_{shown}" if index.is_Atom else f"{self.family}_({shown})"

    def _pretty(self, printer):
        index = self.args[0]
        if index.is_Symbol or index.is_Integer:
            return printer._print(sp.Symbol(f"{self.family}_{index}"))
        return prettyForm(*printer._print(index).parens()).left(f"{self.family}_")


def display_name(name: str) -> str:
    """The SymPy symbol name that pretty-prints as a learner expects: hat_m_t -> mhat_t (m̂ₜ)."""
    if name.startswith("hat_") and len(name) > 4:
        base, sep, sub = name[4:].partition("_")
        return f"{base}hat{sep}{sub}"
    return name


def number(text: str, col: int = 1) -> sp.Rational:
    """An exact rational from a decimal literal: 0.9 -> 9/10, 1e-8 -> 1/10**8."""
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise ParseError(f"not a number: {text!r}", col) from exc
    return sp.Rational(value.numerator, value.denominator)


def _assumptions(name: str, spec: Mapping[str, Any]) -> dict[str, bool]:
    if not isinstance(spec, Mapping):
        raise ParseError(f"assumptions of {name} must be a mapping, e.g. {{positive: true}}")
    unknown = sorted(set(spec) - set(SYMBOL_KEYS))
    if unknown:
        raise ParseError(
            f"unknown assumption {unknown[0]!r} for {name} (known: {', '.join(SYMBOL_KEYS)})"
        )
    flags = {"real": True}
    for key in ("positive", "nonnegative", "integer"):
        if key in spec:
            if not isinstance(spec[key], bool):
                raise ParseError(f"{name}.{key} must be true or false")
            if spec[key]:
                flags[key] = True
    if "interval" in spec:
        lo, hi = interval_of(name, spec["interval"])
        if lo >= 0:
            flags["positive"] = True
    if "random" in spec and not isinstance(spec["random"], bool):
        raise ParseError(f"{name}.random must be true or false")
    return flags


def interval_of(name: str, value: Any) -> tuple[Fraction, Fraction]:
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        or not value[0] < value[1]
    ):
        raise ParseError(f"{name}.interval must be [lo, hi] with lo < hi, e.g. [0, 1]")
    return Fraction(value[0]), Fraction(value[1])


@dataclass
class DerivationScope:
    """The declared names of one derivation, ready to build expressions with."""

    names: dict[str, sp.Expr] = field(default_factory=dict)  # learner name -> symbol
    specs: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    families: dict[str, type] = field(default_factory=dict)  # "g" -> RandomTerm subclass
    random_symbols: set[sp.Symbol] = field(default_factory=set)
    definitions: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)  # fully expanded
    facts: list[tuple[sp.Expr, sp.Expr]] = field(default_factory=list)  # patterns with Wilds
    index_symbols: set[sp.Symbol] = field(default_factory=set)
    family_indices: dict[str, str] = field(default_factory=dict)  # "g" -> "i" (from g_i)

    @classmethod
    def from_spec(cls, symbols: Mapping[str, Any], definitions: Mapping[str, Any],
                  facts: Mapping[str, Any]) -> tuple["DerivationScope", list[tuple[str, str]]]:
        """Build the scope; returns it with (key path, message) for every issue found."""
        scope = cls()
        errors: list[tuple[str, str]] = []
        for name, spec in (symbols or {}).items():
            path = f"symbols.{name}"
            try:
                scope._declare(str(name), spec or {})
            except ParseError as exc:
                errors.append((path, exc.message))
        for name in definitions or {}:
            name = str(name)
            if name in scope.names or not NAME_RE.match(name) or name in RESERVED:
                errors.append((f"definitions.{name}", f"{name!r} is already declared or not a valid name"))
                continue
            scope.names[name] = sp.Symbol(display_name(name), real=True)
        for name, text in (definitions or {}).items():
            symbol = scope.names.get(str(name))
            if symbol is None or symbol in scope.definitions:
                continue
            try:
                value = scope.build_text(str(text))
            except ParseError as exc:
                errors.append((f"definitions.{name}", str(exc)))
                continue
            later = [s for s in value.free_symbols if s not in scope.definitions and
                     s in scope._definition_placeholders()]
            if later:
                errors.append((f"definitions.{name}",
                               f"uses {later[0]} before it is defined (definitions are ordered)"))
                continue
            scope.definitions[symbol] = value.xreplace(scope.definitions)
        for lhs, rhs in (facts or {}).items():
            try:
                scope._add_fact(str(lhs), str(rhs))
            except ParseError as exc:
                errors.append((f"facts.{lhs}", str(exc)))
        return scope, errors

    def _definition_placeholders(self) -> set[sp.Expr]:
        return {s for n, s in self.names.items() if n not in self.specs}

    def _declare(self, name: str, spec: Mapping[str, Any]) -> None:
        if not NAME_RE.match(name) or name in RESERVED:
            raise ParseError(f"{name!r} is not a usable name (letters, digits, _; not {', '.join(sorted(RESERVED))})")
        flags = _assumptions(name, spec)
        self.specs[name] = spec
        if spec.get("random") and "_" in name:
            family, _, index = name.rpartition("_")
            if family in self.families:
                raise ParseError(f"random family {family!r} declared twice")
            self.families[family] = type(family, (RandomTerm,), {"family": family})
            self.family_indices[family] = index
            return
        symbol = sp.Symbol(display_name(name), **flags)
        self.names[name] = symbol
        if spec.get("random"):
            self.random_symbols.add(symbol)
        if set(flags) == {"real", "integer"}:
            self.index_symbols.add(symbol)

    def _add_fact(self, lhs_text: str, rhs_text: str) -> None:
        nominal = {i: sp.Symbol(i, integer=True) for i in self.family_indices.values()
                   if i not in self.names}
        lhs = self.build(parse_expression(lhs_text), nominal)
        rhs = self.build(parse_expression(rhs_text), nominal)
        indices = {a.args[0] for a in lhs.atoms(RandomTerm) if a.args[0].is_Symbol}
        wilds = {s: sp.Wild(f"w_{s.name}") for s in indices}
        self.facts.append((lhs.xreplace(wilds), rhs.xreplace(wilds)))

    def __repr__(self) -> str:
        return f"DerivationScope(names={sorted(self.known_names())})"

    def known_names(self) -> list[str]:
        """Every name a learner may type, for messages."""
        return [*self.names, *(f"{f}_{i}" for f, i in self.family_indices.items())]

    # -- building ---------------------------------------------------------------------------

    def build_text(self, text: str) -> sp.Expr:
        return self.build(parse_expression(text))

    def build(self, node: Node, bound: Mapping[str, sp.Symbol] | None = None) -> sp.Expr:
        """The SymPy expression of a syntax tree; raises ParseError with the column."""
        bound = bound or {}
        kind = node.kind
        if kind == "num":
            return number(node.value, node.col)
        if kind == "name":
            return self.resolve(node.value, node.col, bound)
        if kind == "neg":
            return -self.build(node.children[0], bound)
        if kind == "expect":
            return Expect(self.build(node.children[0], bound))
        if kind == "call":
            return self._call(node, bound)
        left, right = (self.build(child, bound) for child in node.children)
        if kind == "add":
            return left + right
        if kind == "sub":
            return left - right
        if kind == "mul":
            return left * right
        if kind == "div":
            if right == 0:
                raise ParseError("division by zero", node.col)
            return left / right
        if kind == "pow":
            _check_power(left, right, node.col)
            return left ** right
        raise ParseError(f"unsupported syntax {kind}", node.col)

    def resolve(self, name: str, col: int, bound: Mapping[str, sp.Symbol]) -> sp.Expr:
        for candidate in _spellings(name):
            if candidate in bound:
                return bound[candidate]
            if candidate in self.names:
                return self.names[candidate]
        if name in ("inf", "oo"):
            return sp.oo
        if name == "E":
            raise ParseError("E is the expectation: write E[...]", col)
        if name in FUNCTIONS:
            raise ParseError(f"{name} is a function: write {name}(...)", col)
        family, sep, index = name.partition("_")
        if sep and family in self.families and index:
            if index.isdigit():
                return self.families[family](sp.Integer(int(index)))
            try:
                return self.families[family](self.resolve(index, col, bound))
            except ParseError:
                pass
        known = ", ".join(sorted(self.known_names())) or "none"
        raise ParseError(f"unknown name {name!r} (known names: {known})", col)

    def _call(self, node: Node, bound: Mapping[str, sp.Symbol]) -> sp.Expr:
        name, args = node.value, node.children
        if name == "sum":
            return self._sum(node, bound)
        if name not in FUNCTIONS:
            try:
                factor = self.resolve(name, node.col, bound)
            except ParseError:
                raise ParseError(
                    f"unknown function {name!r} (known: {', '.join(FUNCTIONS)}, E[...])", node.col
                ) from None
            if len(args) != 1:
                raise ParseError(f"{name} is not a function; did you mean {name}*(...)?", node.col)
            return factor * self.build(args[0], bound)
        values = [self.build(arg, bound) for arg in args]
        if name in ("min", "max"):
            if len(values) < 2:
                raise ParseError(f"{name} takes at least two arguments", node.col)
            try:
                return (sp.Min if name == "min" else sp.Max)(*values)
            except ValueError:  # SymPy refuses to order a non-real argument such as sqrt(-1)
                raise ParseError(f"{name} needs real arguments", node.col) from None
        if len(values) != 1:
            raise ParseError(f"{name} takes one argument, found {len(values)}", node.col)
        (value,) = values
        if name == "sqrt":
            return sp.sqrt(value)
        if name == "abs":
            return sp.Abs(value)
        if name == "exp":
            number = _numeric_value(value, node.col)
            if number is not None and abs(number) > MAX_SYMBOLIC_EXPONENT:
                raise ParseError(f"exp argument too large (at most {MAX_SYMBOLIC_EXPONENT})", node.col)
            return sp.exp(value)
        if value == 0:
            raise ParseError("log(0) is undefined", node.col)
        return sp.log(value)

    def _sum(self, node: Node, bound: Mapping[str, sp.Symbol]) -> sp.Expr:
        if len(node.children) != 4:
            raise ParseError("sum takes four arguments: sum(expr, index, from, to)", node.col)
        body, index_node, low_node, high_node = node.children
        if index_node.kind != "name":
            raise ParseError("the second argument of sum must be the index name, e.g. i", index_node.col)
        index_name = index_node.value
        declared = self.names.get(index_name)
        if declared is not None and declared not in self.index_symbols:
            raise ParseError(
                f"{index_name!r} is already a name of this derivation; use another letter as the sum index",
                index_node.col,
            )
        if index_name in RESERVED:
            raise ParseError(f"{index_name!r} cannot be a sum index", index_node.col)
        index = declared if declared is not None else sp.Symbol(index_name, integer=True)
        low = self.build(low_node, bound)
        high = self.build(high_node, bound)
        inner = {**bound, index_name: index}
        return sp.Sum(self.build(body, inner), (index, low, high))


def _spellings(name: str) -> list[str]:
    """The name as typed, then the spellings it may stand for: beta_1 <-> beta1, eps <-> epsilon."""
    found = [name]
    match = re.fullmatch(r"(.*[A-Za-z])_?(\d+)", name)
    if match:
        found += [f"{match.group(1)}{match.group(2)}", f"{match.group(1)}_{match.group(2)}"]
    head, sep, tail = name.partition("_")
    if head.endswith("hat") and len(head) > 3:  # SymPy's spelling: mhat_t is hat_m_t
        found.append(f"hat_{head[:-3]}{sep}{tail}")
    if head in ALIASES:
        found += [ALIASES[head] + sep + tail]
    return found


def _numeric_value(expr: sp.Expr, col: int) -> sp.Float | None:
    """expr as a concrete number if it is one (g_1 or E[...] are not), else None."""
    if not expr.is_number or expr.has(RandomTerm, Expect):
        return None
    try:
        value = sp.N(expr, 15)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ParseError(f"cannot evaluate {sp.sstr(expr)[:30]}: {exc}", col) from None
    if value.has(sp.nan, sp.zoo) or not value.is_real:
        raise ParseError(f"{sp.sstr(expr)[:30]} is not a real number", col)
    return value if value.is_Number else None


def _check_power(base: sp.Expr, exponent: sp.Expr, col: int) -> None:
    """Refuse powers whose value would be astronomically large (9^9^9, 10^10^10)."""
    size = _numeric_value(exponent, col)
    if size is None:
        return
    size = abs(size)
    if size > MAX_SYMBOLIC_EXPONENT:
        raise ParseError(f"exponent {sp.sstr(exponent)[:30]} too large (at most {MAX_SYMBOLIC_EXPONENT})", col)
    magnitude = _numeric_value(base, col)
    if magnitude is None or magnitude == 0:
        return
    digits = size * abs(sp.log(abs(magnitude)) / sp.log(10))
    if digits > MAX_RESULT_DIGITS:
        raise ParseError(f"power too large: about {int(digits)} digits (at most {MAX_RESULT_DIGITS})", col)
