"""Author-defined functions of a derivation: `mean(f, k, a, b)` written as an expression.

A deck declares them under `functions:` (`"mean(f, k, a, b)": "sum(f_k, k, a, b) / (b - a + 1)"`);
a call is replaced, on the syntax tree and before anything is built, by the body with each
parameter replaced by the argument written for it.  A parameter written as the family of a
member (`f_k`, `f_{k+1}`) takes a family name (`mean(x, i, 1, n)`), one written alone any
expression (`mean(x_i^2, i, 1, n)` when the body says `sum(f, k, a, b)`).

Expansion is bounded: functions may call functions defined before or after them but never in
a circle (checked when they are declared), and one call expands to at most
MAX_EXPANDED_NODES syntax nodes, so `f1(x) = f0(x) + f0(x)`, `f2(x) = f1(x) + f1(x)`, ... is
refused in milliseconds.  Pure Python, no SymPy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from tutor.derive.syntax import Node, ParseError, parse_expression

MAX_EXPANDED_NODES = 2_000
MAX_PARAMETERS = 8


@dataclass(frozen=True)
class Macro:
    """One author-defined function: its name, parameter names and body."""

    name: str
    parameters: tuple[str, ...]
    body: Node


def parse_macro(signature: str, body: str, reserved: set[str]) -> Macro:
    """`mean(f, k, a, b)` and its body text; raises ParseError."""
    head = parse_expression(signature)
    if head.kind != "call" or not all(arg.kind == "name" for arg in head.children):
        raise ParseError(f"a function is declared as name(parameters), e.g. mean(f, k, a, b); found {signature!r}")
    parameters = tuple(arg.value for arg in head.children)
    if len(set(parameters)) != len(parameters) or len(parameters) > MAX_PARAMETERS:
        raise ParseError(f"{head.value}: parameters must be distinct names (at most {MAX_PARAMETERS})")
    if head.value in reserved or "_" in head.value:
        raise ParseError(f"{head.value!r} cannot name a function (a built-in or a name with _)")
    return Macro(head.value, parameters, parse_expression(body))


def calls(node: Node) -> set[str]:
    """The names of every function a tree calls."""
    found = {node.value} if node.kind == "call" else set()
    for child in node.children:
        found |= calls(child)
    return found


def circle(macros: Mapping[str, Macro]) -> list[str] | None:
    """Functions that call each other in a circle (`f -> g -> f`), or None."""
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        if state.get(name) == "open":
            return path[path.index(name):] + [name]
        if state.get(name) == "done":
            return None
        state[name] = "open"
        for called in sorted(calls(macros[name].body) & set(macros)):
            found = visit(called, path + [name])
            if found:
                return found
        state[name] = "done"
        return None

    for name in macros:
        found = visit(name, [])
        if found:
            return found
    return None


def expand(node: Node, macros: Mapping[str, Macro]) -> Node:
    """node with every call of an author function replaced by its body; raises ParseError
    when a call has the wrong number of arguments or expands past MAX_EXPANDED_NODES."""
    return _Expansion(macros).tree(node)


class _Expansion:
    def __init__(self, macros: Mapping[str, Macro]):
        self.macros = macros
        self.budget = MAX_EXPANDED_NODES

    def spend(self, col: int) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise ParseError(f"the functions expand to more than {MAX_EXPANDED_NODES} symbols", col)

    def tree(self, node: Node) -> Node:
        self.spend(node.col)
        children = tuple(self.tree(child) for child in node.children)
        if node.kind == "call" and node.value in self.macros:
            macro = self.macros[node.value]
            if len(children) != len(macro.parameters):
                raise ParseError(f"{macro.name} takes {len(macro.parameters)} arguments "
                                 f"({', '.join(macro.parameters)}), found {len(children)}", node.col)
            arguments = dict(zip(macro.parameters, children))
            return self.tree(self.substitute(macro.body, arguments, node.col))
        return replace(node, children=children) if children != node.children else node

    def substitute(self, node: Node, arguments: Mapping[str, Node], col: int) -> Node:
        """The body with its parameters replaced, at the column of the call."""
        self.spend(col)
        if node.kind == "name":
            if node.value in arguments:
                return arguments[node.value]
            family, sep, index = node.value.rpartition("_")
            if sep and (family in arguments or index in arguments):
                index_node = arguments.get(index, Node("name", col, index))
                return Node("index", col, self.family_name(family, arguments, col), (index_node,))
            return replace(node, col=col)
        children = tuple(self.substitute(child, arguments, col) for child in node.children)
        if node.kind == "index":
            return Node("index", col, self.family_name(node.value, arguments, col), children)
        return replace(node, col=col, children=children)

    @staticmethod
    def family_name(family: str, arguments: Mapping[str, Node], col: int) -> str:
        if family not in arguments:
            return family
        argument = arguments[family]
        if argument.kind != "name":
            raise ParseError(f"{family} stands for a family here: write its name, e.g. x", col)
        return argument.value
