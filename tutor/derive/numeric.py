"""Float evaluation of the derivation grammar's trees, for numbers a deck computes (variant items).

Pure Python, no SymPy: an expression is parsed by `tutor.derive.syntax` (bounded length, token
count and nesting) and walked here with floats only, so every operation is one machine operation
and `10^10^10` overflows at once instead of building a huge integer. Names are looked up in the
values given and the functions are a fixed table plus the ones the caller passes (the reference
registry); nothing is ever passed to eval, getattr or import. Conditions (`where:`) are
expressions joined by comparisons, split here before the parser sees them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tutor.derive.syntax import Node, ParseError, parse_expression
from tutor.errors import TutorError


class EvalError(TutorError, ValueError):
    """An expression with no finite real value for the values given (one line)."""


def _root(x: float) -> float:
    if x < 0:
        raise EvalError(f"sqrt of a negative number ({x:g})")
    return math.sqrt(x)


def _log(x: float) -> float:
    if x <= 0:
        raise EvalError(f"log of a number that is not positive ({x:g})")
    return math.log(x)


BUILTINS: Mapping[str, Callable[..., float]] = {
    "sqrt": _root, "exp": math.exp, "log": _log, "ln": _log, "sin": math.sin, "cos": math.cos,
    "tan": math.tan, "abs": abs, "min": min, "max": max, "floor": math.floor, "ceil": math.ceil,
}
CONSTANTS: Mapping[str, float] = {"pi": math.pi}
MAX_ARGS = 12


def names_in(node: Node) -> set[str]:
    """Every plain name the expression reads (not the functions it calls)."""
    found = {node.value} if node.kind == "name" else set()
    for child in node.children:
        found |= names_in(child)
    return found


def calls_in(node: Node) -> set[str]:
    """Every function the expression calls."""
    found = {node.value} if node.kind == "call" else set()
    for child in node.children:
        found |= calls_in(child)
    return found


def evaluate(node: Node, values: Mapping[str, float],
             functions: Mapping[str, Callable[..., float]] | None = None) -> float:
    """The expression's value as a finite float; raises EvalError (unknown name, division by
    zero, overflow, a function outside the table, a non-real result)."""
    try:
        result = _value(node, values, functions or {})
    except OverflowError:
        raise EvalError("a value is too large for a float") from None
    except (ArithmeticError, ValueError, TypeError) as exc:
        if isinstance(exc, EvalError):
            raise
        raise EvalError(f"no real value: {exc}") from None
    if not math.isfinite(result):
        raise EvalError(f"the value is {result} (not finite)")
    return result


def _value(node: Node, values: Mapping[str, float], functions: Mapping[str, Callable[..., float]]) -> float:
    kind = node.kind
    if kind == "num":
        return float(node.value)
    if kind == "name":
        if node.value in values:
            return float(values[node.value])
        if node.value in CONSTANTS:
            return CONSTANTS[node.value]
        raise EvalError(f"unknown name {node.value!r} (col {node.col})")
    if kind == "neg":
        return -_value(node.children[0], values, functions)
    if kind == "call":
        return _call(node, values, functions)
    if kind not in ("add", "sub", "mul", "div", "pow"):
        raise EvalError(f"{'E[...]' if kind == 'expect' else kind} has no numeric value here (col {node.col})")
    left, right = (_value(child, values, functions) for child in node.children)
    if kind == "add":
        return _finite(left + right)
    if kind == "sub":
        return _finite(left - right)
    if kind == "mul":
        return _finite(left * right)
    if kind == "div":
        if right == 0:
            raise EvalError(f"division by zero (col {node.col})")
        return _finite(left / right)
    if left == 0 and right < 0:
        raise EvalError(f"0 to a negative power (col {node.col})")
    if left < 0 and not right.is_integer():
        raise EvalError(f"a negative number to a fractional power (col {node.col})")
    return _finite(math.pow(left, right))


def _finite(x: float) -> float:
    if not math.isfinite(x):
        raise OverflowError
    return x


def _call(node: Node, values: Mapping[str, float], functions: Mapping[str, Callable[..., float]]) -> float:
    name = node.value
    function = functions.get(name) or BUILTINS.get(name)
    if function is None:
        raise EvalError(f"unknown function {name!r} (col {node.col})")
    if len(node.children) > MAX_ARGS:
        raise EvalError(f"{name} takes at most {MAX_ARGS} arguments (col {node.col})")
    args = [_value(child, values, functions) for child in node.children]
    return float(function(*args))


# -- conditions ---------------------------------------------------------------------------------

COMPARISONS: Mapping[str, Callable[[float, float], bool]] = {
    "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, "!=": lambda a, b: a != b,
    "==": lambda a, b: a == b, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
}
_COMPARISON = re.compile(r"(<=|>=|!=|==|<|>|≤|≥|≠)")
_UNICODE = {"≤": "<=", "≥": ">=", "≠": "!="}


@dataclass(frozen=True)
class Condition:
    """`a < b <= c`: the expressions and the comparisons between neighbours."""

    text: str
    parts: tuple[Node, ...]
    ops: tuple[str, ...]


def parse_condition(text: str) -> Condition:
    """A `where:` condition; raises ParseError when it compares nothing or a side is not an expression."""
    pieces = _COMPARISON.split(text)
    exprs, ops = pieces[::2], [_UNICODE.get(op, op) for op in pieces[1::2]]
    if not ops:
        raise ParseError("a condition compares two expressions with <, <=, >, >=, == or !=")
    return Condition(text, tuple(parse_expression(e) for e in exprs), tuple(ops))


def holds(condition: Condition, values: Mapping[str, float],
          functions: Mapping[str, Callable[..., float]] | None = None) -> bool:
    """Whether every comparison of the condition holds for the values (EvalError if a side has no value)."""
    sides = [evaluate(part, values, functions) for part in condition.parts]
    return all(COMPARISONS[op](a, b) for op, a, b in zip(condition.ops, sides, sides[1:]))


def condition_names(condition: Condition) -> set[str]:
    return set().union(*(names_in(part) for part in condition.parts))
