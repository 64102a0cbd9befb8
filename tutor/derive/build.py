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

from tutor.derive.macros import Macro, circle, expand, parse_macro
from tutor.derive.syntax import Node, ParseError, parse_expression

SYMBOL_KEYS = {
    "positive": "bool: x > 0",
    "nonnegative": "bool: x >= 0",
    "integer": "bool: x is a whole number (sampled 1..12 when also positive)",
    "interval": "[lo, hi]: lo < x < hi (open interval; e.g. [0, 1] for a decay rate)",
    "random": "bool: a random variable; `g_i` declares the random family g indexed by i",
    "indexed": "bool: `x_i` declares the family of data x_1, x_2, ... indexed by i (not random)",
}
FUNCTIONS = ("sqrt", "exp", "log", "abs", "min", "max", "sum")
RESERVED = set(FUNCTIONS) | {"E", "inf", "oo"}
ALIASES = {"eps": "epsilon", "epsilon": "eps", "lam": "lambda", "lambda": "lam", "ln": "log"}
MAX_SYMBOLIC_EXPONENT = 10_000
MAX_RESULT_DIGITS = 1_000
MAX_INDEX = 1_000  # |n| of a member x_n, and of every number in an index expression
MAX_UNROLL = 100  # members of a recursion expanded symbolically; beyond, it is only sampled
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


class FamilyTerm(sp.Function):
    """x_k: one member of an indexed family of unknowns; a subclass per family carries its
    name, and `random` tells data (`x_i: {indexed: true}`) from random variables (`g_i`)."""

    nargs = 1
    is_real = True
    family = "g"
    random = True

    @property
    def is_number(self) -> bool:  # g_1 is an unknown, not a number (E[g_1] must stay E[g_1])
        return False

    def _sympystr(self, printer):
        index = self.args[0]
        shown = printer._print(index)
        return f"{self.family}_{shown}" if index.is_Atom else f"{self.family}_({shown})"

    def _pretty(self, printer):
        index = self.args[0]
        if index.is_Symbol or index.is_Integer:
            return printer._print(sp.Symbol(display_name(f"{self.family}_{index}")))
        return prettyForm(*prettyForm(*printer._print(index).parens()).left(f"{display_name(self.family)}_"))


class DefinedTerm(FamilyTerm):
    """m_k: a member of a family the author defines by an expression of its index, such as the
    recursion `m_t: "beta1*m_{t-1} + (1 - beta1)*g_t"`; `DerivationScope.expand` substitutes it."""

    random = False


@dataclass
class FamilyDefinition:
    """A definition keyed `NAME_INDEX` with INDEX a declared integer: a family of expressions."""

    term: type[DefinedTerm]  # the subclass of this family
    parameter: sp.Symbol  # the index it is written in (t in m_t)
    body: sp.Expr | None = None  # None until built (or when it does not parse)
    starts: dict[int, sp.Expr] = field(default_factory=dict)  # m_0: 0, written as their own keys
    recursive: bool = False  # the body uses earlier members of its own family

    def at(self, index: sp.Expr) -> sp.Expr:
        """The body at an index (a Sum's own index is left alone)."""
        assert self.body is not None
        if self.body.has(sp.Sum):
            return self.body.subs(self.parameter, index)
        return self.body.xreplace({self.parameter: index})


def is_random(expr: sp.Basic, scope: "DerivationScope") -> bool:
    """Whether an expression depends on a random variable (outside any E[...])."""
    if isinstance(expr, Expect):
        return False
    if isinstance(expr, FamilyTerm):
        return bool(expr.random) or any(is_random(arg, scope) for arg in expr.args)
    if expr in scope.random_symbols:
        return True
    return any(is_random(arg, scope) for arg in expr.args)


def _references(node: Node) -> set[str]:
    """Every name an expression mentions (an index node as its family name with a final _)."""
    found: set[str] = set()
    if node.kind in ("name", "call"):
        found.add(node.value)
    elif node.kind == "index":
        found.add(f"{node.value}_")
    for child in node.children:
        found |= _references(child)
    return found


def _check_recursion(name: str, definition: "FamilyDefinition", body: sp.Expr) -> None:
    """A recursion may only use earlier members of its family (m_{t-1}, m_{t-2}) and needs a
    first member written as its own definition (m_0)."""
    parameter = definition.parameter
    for member in body.atoms(definition.term):
        step = parameter - member.args[0]
        if not (step.is_Integer and step > 0):
            raise ParseError(f"{name} uses {sp.sstr(member)}: a recursion may only use earlier "
                             f"members such as {definition.term.family}_{{{parameter}-1}}")
    if not definition.starts:
        family = definition.term.family
        raise ParseError(f"{name} is a recursion without a first member: add {family}_0 (or {family}_1)")


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
    for key in ("random", "indexed"):
        if key in spec and not isinstance(spec[key], bool):
            raise ParseError(f"{name}.{key} must be true or false")
    if spec.get("indexed") and "_" not in name.strip("_"):
        raise ParseError(f"{name}: an indexed family is declared with its index, e.g. x_i")
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
    families: dict[str, type[FamilyTerm]] = field(default_factory=dict)  # "g" -> its class (data or random)
    random_symbols: set[sp.Symbol] = field(default_factory=set)
    definitions: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)  # plain names, expanded
    defined: dict[str, FamilyDefinition] = field(default_factory=dict)  # "m" -> m_t's definition
    facts: list[tuple[sp.Expr, sp.Expr]] = field(default_factory=list)  # patterns with Wilds
    index_symbols: set[sp.Symbol] = field(default_factory=set)
    family_indices: dict[str, str] = field(default_factory=dict)  # "g" -> "i" (from g_i)
    macros: dict[str, Macro] = field(default_factory=dict)  # the author's functions, by name

    @classmethod
    def from_spec(cls, symbols: Mapping[str, Any], definitions: Mapping[str, Any],
                  facts: Mapping[str, Any], functions: Mapping[str, Any] | None = None,
                  ) -> tuple["DerivationScope", list[tuple[str, str]]]:
        """Build the scope; returns it with (key path, message) for every issue found."""
        scope = cls()
        errors: list[tuple[str, str]] = []
        for name, spec in (symbols or {}).items():
            path = f"symbols.{name}"
            try:
                scope._declare(str(name), spec or {})
            except ParseError as exc:
                errors.append((path, exc.message))
        scope._declare_functions(functions or {}, errors)
        texts = {str(name): str(text) for name, text in (definitions or {}).items()}
        owners = scope._name_definitions(texts, errors)
        trees: dict[str, Node] = {}
        for name, text in texts.items():
            if name in owners:
                try:
                    trees[name] = parse_expression(text)
                except ParseError as exc:
                    errors.append((f"definitions.{name}", str(exc)))
        for group in scope._dependency_order(trees, owners, errors):
            for name in group:
                scope._define(name, trees[name], errors)
        for lhs, rhs in (facts or {}).items():
            try:
                scope._add_fact(str(lhs), str(rhs))
            except ParseError as exc:
                errors.append((f"facts.{lhs}", str(exc)))
        return scope, errors

    def _declare_functions(self, functions: Mapping[str, Any], errors: list[tuple[str, str]]) -> None:
        taken = RESERVED | set(self.names) | set(self.families)
        for signature, body in functions.items():
            try:
                macro = parse_macro(str(signature), str(body), taken | set(self.macros))
            except ParseError as exc:
                errors.append((f"functions.{signature}", str(exc)))
                continue
            self.macros[macro.name] = macro
        found = circle(self.macros)
        if found:
            errors.append((f"functions.{found[0]}", "functions call each other in a circle: " + " -> ".join(found)))
            self.macros.clear()

    def _name_definitions(self, texts: Mapping[str, str], errors: list[tuple[str, str]]) -> dict[str, str]:
        """Declare every defined name; returns definition key -> what it defines (a plain
        name, or the family: `m_t` and `m_0` both define the family `m`)."""
        owners: dict[str, str] = {}
        for name in texts:  # families first, so that m_0 is known as m's start wherever it is written
            family, _, index = name.rpartition("_")
            symbol = self.names.get(index)
            if family and symbol is not None and symbol.is_integer and NAME_RE.match(family) \
                    and family not in RESERVED and name not in self.names:
                if family in self.defined or family in self.families or family in self.names:
                    errors.append((f"definitions.{name}", f"{family!r} is defined or declared twice"))
                    continue
                self.defined[family] = FamilyDefinition(
                    type(family, (DefinedTerm,), {"family": family}), symbol)
                owners[name] = family
        for name in texts:
            if name in owners:
                continue
            family, _, index = name.rpartition("_")
            if family in self.defined and index.isdigit():
                owners[name] = family
                continue
            if name in self.names or not NAME_RE.match(name) or name in RESERVED:
                errors.append((f"definitions.{name}", f"{name!r} is already declared or not a valid name"))
                continue
            self.names[name] = sp.Symbol(display_name(name), real=True)
            owners[name] = name
        return owners

    def _dependency_order(self, trees: Mapping[str, Node], owners: Mapping[str, str],
                          errors: list[tuple[str, str]]) -> list[list[str]]:
        """The definitions grouped by what they define, each group after every group it uses,
        whatever order they are written in; a circle of definitions is an error."""
        groups: dict[str, list[str]] = {}
        for name in trees:
            groups.setdefault(owners[name], []).append(name)
        uses: dict[str, set[str]] = {}
        for owner, names in groups.items():
            found = {self._owner_of(ref, owners) for name in names for ref in _references(trees[name])}
            uses[owner] = {used for used in found if used is not None}
        order: list[list[str]] = []
        state: dict[str, str] = {}

        def visit(owner: str, path: list[str]) -> bool:
            if state.get(owner) == "done":
                return True
            if state.get(owner) == "open":
                circle = path[path.index(owner):] + [owner]
                where = groups[owner][0]
                errors.append((f"definitions.{where}", "definitions refer to each other in a circle: "
                               + " -> ".join(circle) + " (a recursion refers to earlier members, m_{t-1})"))
                return False
            if owner in uses[owner] and owner not in self.defined:
                errors.append((f"definitions.{owner}", f"{owner} is defined by itself"))
                return False
            state[owner] = "open"
            fine = all(visit(used, path + [owner]) for used in sorted(uses[owner] - {owner})
                       if used in groups)
            state[owner] = "done"
            if fine:
                order.append(sorted(groups[owner], key=lambda n: n.rpartition("_")[2].isdigit(), reverse=True))
            return fine

        for owner in groups:
            visit(owner, [])
        return order

    def _owner_of(self, reference: str, owners: Mapping[str, str]) -> str | None:
        """The definition a name written in an expression refers to, if any."""
        for candidate in _spellings(reference):
            if candidate in owners and owners[candidate] == candidate:
                return candidate
        for family, _, _ in (reference.rpartition("_"), reference.partition("_")):
            if family in self.defined:
                return family
        return None

    def _define(self, name: str, tree: Node, errors: list[tuple[str, str]]) -> None:
        path = f"definitions.{name}"
        family, _, index = name.rpartition("_")
        definition = self.defined.get(family)
        try:
            if definition is not None and index.isdigit():
                if int(index) > MAX_INDEX:
                    raise ParseError(f"index {index} too large (at most {MAX_INDEX})")
                definition.starts[int(index)] = self.build(tree)
            elif definition is not None:
                body = self.build(tree)
                definition.recursive = body.has(definition.term)
                if definition.recursive:
                    _check_recursion(name, definition, body)
                definition.body = body
                definition.term.random = is_random(body, self) or any(
                    is_random(start, self) for start in definition.starts.values())
            else:
                self.definitions[self.names[name]] = self.build(tree).xreplace(self.definitions)
        except ParseError as exc:
            errors.append((path, str(exc)))

    def expand(self, expr: sp.Expr) -> sp.Expr:
        """expr with every definition substituted: plain names, members of defined families,
        and a recursion's members at whole-number indices up to MAX_UNROLL steps past its
        first member.  A recursion's member at a symbolic index (m_{t-1}) stays as it is."""
        for _ in range(len(self.definitions) + len(self.defined) + 2):  # one layer of definitions a round
            expr = expr.xreplace(self.definitions)
            if not expr.has(DefinedTerm):
                break
            substituted = expr.replace(lambda e: isinstance(e, DefinedTerm), self._substitute)
            if substituted == expr:
                break
            expr = substituted
        return expr

    def _substitute(self, member: sp.Expr) -> sp.Expr:
        definition = self.defined[member.family]
        index = member.args[0]
        if index.is_Integer and int(index) in definition.starts:
            return definition.starts[int(index)]
        if definition.body is None:
            return member
        if not definition.recursive:
            return definition.at(index)
        if index.is_Integer:
            unrolled = self.unrolled(definition, int(index))
            return member if unrolled is None else unrolled
        return member

    def unrolled(self, definition: FamilyDefinition, n: int) -> sp.Expr | None:
        """A recursion's member n written out down to its first members, or None when n is
        not defined or more than MAX_UNROLL steps away."""
        if n in definition.starts:
            return definition.starts[n]
        top = max(definition.starts)
        if n < top or n - top > MAX_UNROLL:
            return None
        values = dict(definition.starts)
        for j in range(top + 1, n + 1):
            body = definition.at(sp.Integer(j)).replace(
                lambda e: isinstance(e, definition.term) and e.args[0].is_Integer,
                lambda e: values.get(int(e.args[0]), e))
            if body.has(definition.term):  # it uses a member before the first one
                return None
            values[j] = body
        return values[n]

    def unfold(self, expr: sp.Expr) -> sp.Expr:
        """expr with each recursion member at a symbolic index past the first members, m_t
        with t >= 1 when m_0 is given, replaced by its recursion (one step back)."""
        def past_start(e: sp.Basic) -> bool:
            if not isinstance(e, DefinedTerm) or e.args[0].is_Integer:
                return False
            definition = self.defined[e.family]
            return bool(definition.recursive and definition.body is not None
                        and (e.args[0] - max(definition.starts)).is_positive)

        return self.expand(expr.replace(past_start, lambda e: self.defined[e.family].at(e.args[0])))

    def _declare(self, name: str, spec: Mapping[str, Any]) -> None:
        if not NAME_RE.match(name) or name in RESERVED:
            raise ParseError(f"{name!r} is not a usable name (letters, digits, _; not {', '.join(sorted(RESERVED))})")
        flags = _assumptions(name, spec)
        self.specs[name] = spec
        if (spec.get("random") or spec.get("indexed")) and "_" in name:
            family, _, index = name.rpartition("_")
            if family in self.families:
                raise ParseError(f"family {family!r} declared twice")
            self.families[family] = type(family, (FamilyTerm,), {
                "family": family, "random": bool(spec.get("random"))})
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
        indices = {a.args[0] for a in lhs.atoms(FamilyTerm) if a.args[0].is_Symbol}
        wilds = {s: sp.Wild(f"w_{s.name}") for s in indices}
        self.facts.append((lhs.xreplace(wilds), rhs.xreplace(wilds)))

    def __repr__(self) -> str:
        return f"DerivationScope(names={sorted(self.known_names())})"

    def known_names(self) -> list[str]:
        """Every name a learner may type, for messages."""
        return [*self.names, *(f"{f}_{i}" for f, i in self.family_indices.items()),
                *(f"{f}_{d.parameter}" for f, d in self.defined.items())]

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
        if kind == "call" and node.value in self.macros:
            return self.build(expand(node, self.macros), bound)
        if kind == "call":
            return self._call(node, bound)
        if kind == "index":
            return self.member(node.value, self.build(node.children[0], bound), node.col)
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
            if _is_negative_number(left) and right.is_number and right.is_integer is False:
                raise ParseError(f"({_shown(left)})^({_shown(right)}) is not a real number: a fractional "
                                 "power of a negative number", node.col)
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
        for family, sep, index in (name.rpartition("_"), name.partition("_")):
            if not (sep and index and self.family_term(family)):
                continue
            if index.isdigit():
                if len(index) > len(str(MAX_INDEX)):
                    raise ParseError(f"index of {name[:40]} too large (at most {MAX_INDEX})", col)
                return self.member(family, sp.Integer(int(index)), col)
            try:
                return self.member(family, self.resolve(index, col, bound), col)
            except ParseError as exc:
                if "index" in exc.message:
                    raise
        known = ", ".join(sorted(self.known_names())) or "none"
        raise ParseError(f"unknown name {name!r} (known names: {known})", col)

    def family_term(self, family: str) -> type[FamilyTerm] | None:
        """The class of the family a name belongs to (data, random or defined), if any."""
        for candidate in _spellings(family):
            if candidate in self.families:
                return self.families[candidate]
            if candidate in self.defined:
                return self.defined[candidate].term
        return None

    def member(self, family: str, index: sp.Expr, col: int) -> sp.Expr:
        """The member of a family at an index, refusing indices that are not whole numbers,
        that are too large, or that come before a recursion's first member."""
        term = self.family_term(family)
        if term is None:
            known = ", ".join(sorted(self.known_names())) or "none"
            raise ParseError(f"{family} is not an indexed family (known names: {known})", col)
        shown = f"{family}_{{{sp.sstr(index)}}}"
        if index.is_integer is not True:
            raise ParseError(f"the index of {shown} must be a whole number such as t-1, 3 or i+1", col)
        if any(abs(n) > MAX_INDEX for n in index.atoms(sp.Integer)):
            raise ParseError(f"index of {shown[:40]} too large (numbers in an index are at most {MAX_INDEX})", col)
        definition = self.defined.get(term.family)
        if definition is not None and index.is_Integer and definition.starts and definition.recursive:
            first = min(definition.starts)
            if int(index) not in definition.starts and int(index) <= max(definition.starts):
                raise ParseError(f"{shown} is not defined: {family} starts at {family}_{first}", col)
        return term(index)

    def _call(self, node: Node, bound: Mapping[str, sp.Symbol]) -> sp.Expr:
        name, args = node.value, node.children
        if name == "sum":
            return self._sum(node, bound)
        if name not in FUNCTIONS:
            try:
                factor = self.resolve(name, node.col, bound)
            except ParseError:
                raise ParseError(
                    f"unknown function {name!r} (known: {', '.join([*FUNCTIONS, *self.macros])}, E[...])", node.col
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
        if name in ("sqrt", "log") and _is_negative_number(value):
            what = "square root" if name == "sqrt" else "logarithm"
            raise ParseError(f"{name}({_shown(value)}) is not a real number: the {what} of a negative number",
                             node.col)
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
    if not expr.is_number or expr.has(FamilyTerm, Expect):
        return None
    try:
        value = sp.N(expr, 15)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ParseError(f"cannot evaluate {sp.sstr(expr)[:30]}: {exc}", col) from None
    if value.has(sp.nan, sp.zoo) or not value.is_real:
        raise ParseError("the expression here is not a real number", col)  # SymPy's form would show I
    return value if value.is_Number else None


def _is_negative_number(value: sp.Expr) -> bool:
    """A constant below zero (sqrt(0-4)'s argument), not an expression of the learner's names."""
    return bool(value.is_number and value.is_extended_negative)


def _shown(value: sp.Expr) -> str:
    """A constant as a learner would type it: -4, 1/3 or -2.718 (SymPy's E would read as expectation)."""
    return sp.sstr(value) if value.is_Rational else f"{float(value):.4g}"


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
