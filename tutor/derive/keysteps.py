"""Key steps: the forms a chain must pass through, so a chain with no work is not a pass.

Every line of a correct chain has the same value, so what marks a step is its *form*: which
sums, expectations and factors are written. A line passes through a key step when the
factors of the key step's `form` all appear among the factors of the line as written (its
top-level product; or a term of its top-level sum when no term cancels another):

* factors are read from the syntax tree, so `(1 - b)*g*(1 - b^t)/(1 - b)/(1 - b^t)` has the
  factors of the closed form `(1 - b^t)/(1 - b)` even though SymPy would cancel them;
* each factor is compared in a canonical form: a sum's index renamed, and factors that do not
  depend on the index (or are not random) pulled out of sums and out of `E[...]`, so
  `sum(g*b^(t-i), i, 1, t)` contains `g` and `sum(b^(t-k), k, 1, t)`;
* numbers are ignored, and a product with a zero factor contains nothing.

Runs inside the checker's worker process (imports SymPy).
"""

from __future__ import annotations

from collections import Counter

import sympy as sp

from tutor.derive.build import DerivationScope, Expect, is_random
from tutor.derive.syntax import Node

Factors = Counter  # (canonical factor, +1 or -1 for a divisor) -> how many times
_INDEX = sp.Symbol("k_", integer=True)


def factors_of(node: Node, scope: DerivationScope) -> Factors:
    """The factors of a line's top-level product, as written."""
    found: Factors = Counter()
    _collect(node, scope, 1, found)
    return Counter() if (sp.Integer(0), 0) in found else found


def candidates(node: Node, scope: DerivationScope) -> list[Factors]:
    """The products in a line a key step may be found in: the whole line, and each term of a
    top-level sum when no two terms cancel (so `g + S - S` shows no S)."""
    whole = factors_of(node, scope)
    terms = _terms(node)
    if len(terms) < 2:
        return [whole]
    built = [scope.build(term) for term in terms]
    if len(sp.Add.make_args(sp.Add(*built))) < len(built):
        return [whole]
    return [whole, *(factors_of(term, scope) for term in terms)]


def contains(line: list[Factors], form: Factors) -> bool:
    """Whether every factor of the key step's form appears in one of the line's products."""
    return bool(form) and any(all(product[key] >= n for key, n in form.items()) for product in line)


def _terms(node: Node) -> list[Node]:
    if node.kind == "add":
        return _terms(node.children[0]) + [node.children[1]]
    if node.kind == "sub":
        return _terms(node.children[0]) + [Node("neg", node.col, children=(node.children[1],))]
    return [node]


def _collect(node: Node, scope: DerivationScope, power: int, found: Factors) -> None:
    if node.kind == "mul":
        for child in node.children:
            _collect(child, scope, power, found)
        return
    if node.kind == "div":
        _collect(node.children[0], scope, power, found)
        _collect(node.children[1], scope, -power, found)
        return
    if node.kind == "neg":
        _collect(node.children[0], scope, power, found)
        return
    value = canonical(scope.build(node), scope)
    if value == 0:
        found.clear()
        found[(sp.Integer(0), 0)] = 1  # a zero product holds no key step
        return
    for factor in sp.Mul.make_args(value):
        if factor.is_number and not factor.has(Expect):
            continue
        base, exponent = factor.as_base_exp()
        if exponent.is_Integer and exponent < 0:
            found[(base ** -exponent, -power)] += 1
        else:
            found[(factor, power)] += 1


def canonical(expr: sp.Expr, scope: DerivationScope) -> sp.Expr:
    """expr with each sum's index renamed and constant factors pulled out of sums and E."""
    def pull_from_sum(s: sp.Sum) -> sp.Expr:
        (index, low, high), *more = s.limits
        if more:
            return s
        body = s.function.xreplace({index: _INDEX})
        inside = [f for f in sp.Mul.make_args(body) if f.has(_INDEX)]
        outside = [f for f in sp.Mul.make_args(body) if not f.has(_INDEX)]
        return sp.Mul(*outside) * sp.Sum(sp.Mul(*inside), (_INDEX, low, high))

    def pull_from_expectation(e: Expect) -> sp.Expr:
        args = sp.Mul.make_args(e.args[0])
        constant = [f for f in args if not is_random(f, scope)]
        varying = [f for f in args if is_random(f, scope)]
        return sp.Mul(*constant) * Expect(sp.Mul(*varying)) if constant and varying else e

    expr = expr.replace(lambda e: isinstance(e, Expect), pull_from_expectation)
    return expr.replace(lambda e: isinstance(e, sp.Sum), pull_from_sum)
