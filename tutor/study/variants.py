"""Variant items: a card or problem whose numbers are drawn anew for each review.

An item with `params:` (docs/authoring.md) is a template. A variant is drawn from a seed fixed
by the item and its review number (`seed_for`), so a restart shows the same numbers until the
item is answered, and the next review (after Again too) draws new ones. The params are drawn
from their lists or ranges until the `where:` conditions hold (at most `MAX_TRIES` draws); the
`compute:` values and the answer are expressions in the derivation grammar evaluated with
floats (`tutor.derive.numeric`) or a call of a `tutor.reference` registry function: nothing a
deck writes reaches eval. A variant whose answer is not finite, or whose conditions cannot be
met, is never shown: `tutor content validate` draws `VALIDATE_DRAWS` variants of every item
(`check_variation`), and the app skips to the next seed, or the item, when one fails.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from tutor.content import models as m
from tutor.content.numbers import Precision, asked_precision, at_precision
from tutor.content.tolerance import tolerance_error
from tutor.derive.numeric import (
    BUILTINS,
    CONSTANTS,
    Condition,
    EvalError,
    calls_in,
    condition_names,
    evaluate,
    holds,
    names_in,
    parse_condition,
)
from tutor.derive.syntax import Node, ParseError, parse_expression, tokenize
from tutor.errors import TutorError
from tutor.study.answers import Drawn

ItemT = TypeVar("ItemT", bound=m.Item)
MAX_TRIES = 200  # draws of the params per variant before its `where:` counts as impossible
VALIDATE_DRAWS = 200  # variants `tutor content validate` draws of each item
RESEEDS = 10  # seeds the app tries after a failing one before it skips the item
ANSWER = "answer"  # the name of a card's answer in its texts (`{answer}`)
# `{name}` or `{name:.3g}`, unless it follows a letter, digit, `\\`, `^`, `_` or `}`: then it is a LaTeX
# argument (`\\frac{g}{2}`, `\\text{lr}`, `^{t}`); inside LaTeX a placeholder is doubled: `^{{t}}`.
_PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9\\^_}])\{([^{}:\s]+)(?::([^{}]*))?\}")
_FORMAT = re.compile(r"^\.(\d{1,2})([efg])$")
_NAME = re.compile(r"[A-Za-z_\u0370-\u03ff][A-Za-z0-9_\u0370-\u03ff\u0302₀-₉ₐ-ₜᵢ-ᵥ]*")


class VariantError(TutorError, ValueError):
    """A variant that cannot be drawn or has no finite answer; `path` is the key inside the item."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Template:
    """An item's variation, parsed: names as the grammar spells them (β₁ -> beta_1)."""

    params: tuple[tuple[str, m.Param], ...]
    where: tuple[tuple[int, Condition], ...]
    compute: tuple[tuple[str, str, Node], ...]  # (name, expression as written, tree)
    answer: tuple[str, Node] | None  # a number card's expression
    formula: Node | None  # a formula card's formula
    spellings: Mapping[str, str]  # every spelling of a param or compute name -> its name


@dataclass(frozen=True)
class Variant:
    """One drawn variant: its seed, the params, every computed value and the worked numbers."""

    seed: int
    params: Mapping[str, float]
    values: Mapping[str, float]  # params, compute values and the answer
    worked: tuple[str, ...]  # "name = expression = with the numbers = value", in order
    answer: float | None


def seed_for(item_id: str, review_number: int) -> int:
    """The seed of an item's variant at its review number (0 before its first review)."""
    digest = hashlib.blake2b(f"{item_id}\0{review_number}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big")


# -- parsing ------------------------------------------------------------------------------------


def _grammar_name(written: str) -> str:
    """A param's name as the parser reads it; raises ParseError unless it is one name."""
    tokens = tokenize(written)
    if len(tokens) != 2 or tokens[0].kind != "name":
        raise ParseError(f"{written!r} is not a name (letters, Greek letters, digits, _)")
    return tokens[0].text


def template(item: m.Item) -> Template:
    """The item's variation parsed and its names checked; raises VariantError at the first issue."""
    variation = item.variation
    if variation is None:
        raise VariantError("", f"{item.id} has no params")
    spellings: dict[str, str] = {}
    params = []
    for param in variation.params:
        name = _named(f"params.{param.name}", param.name, spellings)
        params.append((name, param))
    where = []
    for i, text in enumerate(variation.where):
        condition = _parsed(f"where.{i}", text, parse_condition)
        unknown = condition_names(condition) - {n for n, _ in params} - CONSTANTS.keys()
        if unknown:
            raise VariantError(f"where.{i}", f"a condition reads only params; {_listed(unknown)} is not one")
        _check_calls(f"where.{i}", set().union(*(calls_in(p) for p in condition.parts)))
        where.append((i, condition))
    compute = []
    for written, text in variation.compute:
        path = f"compute.{written}"
        tree = _parsed(path, text, parse_expression)
        _check_reads(path, tree, spellings)
        compute.append((_named(path, written, spellings), text, tree))
    answer = formula = None
    expects = getattr(item, "expects", None)
    if isinstance(expects, m.NumberAnswer) and expects.expr is not None:
        tree = _parsed("answer.number", expects.expr, parse_expression)
        _check_reads("answer.number", tree, spellings)
        answer = (expects.expr, tree)
    elif isinstance(expects, m.FormulaAnswer):
        formula = _parsed("answer.formula", expects.expr, parse_expression)
    return Template(tuple(params), tuple(where), tuple(compute), answer, formula, spellings)


def _named(path: str, written: str, spellings: dict[str, str]) -> str:
    name: str = _parsed(path, written, _grammar_name)
    if name in BUILTINS or name in CONSTANTS or name == ANSWER or _is_reference(name):
        raise VariantError(path, f"{written!r} collides with the function or name {name!r}; rename it")
    if name in spellings.values():
        other = next(w for w, n in spellings.items() if n == name)
        raise VariantError(path, f"{written!r} collides with {other!r} (both read as {name!r}); rename one")
    spellings[written] = spellings[name] = name
    return name


def _parsed(path: str, text: str, parse: Callable[[str], Any]) -> Any:
    try:
        return parse(text)
    except ParseError as exc:
        shown_text = text if len(text) <= 60 else text[:57] + "..."
        raise VariantError(path, f"cannot read {shown_text!r}: {exc}") from None


def _check_reads(path: str, tree: Node, spellings: Mapping[str, str]) -> None:
    unknown = names_in(tree) - set(spellings.values()) - CONSTANTS.keys()
    if unknown:
        raise VariantError(path, f"{_listed(unknown)} is not a param or an earlier compute value")
    _check_calls(path, calls_in(tree))


def _check_calls(path: str, called: set[str]) -> None:
    unknown = {name for name in called if name not in BUILTINS and not _is_reference(name)}
    if unknown:
        raise VariantError(path, f"{_listed(unknown)} is not a function here (maths: {', '.join(BUILTINS)}; "
                                 "or a function of the tutor.reference registry)")


def _listed(names: set[str]) -> str:
    return ", ".join(sorted(names))


def _is_reference(name: str) -> bool:
    from tutor.reference import REFERENCES

    return name in REFERENCES


def _reference_functions(called: set[str]) -> dict[str, Callable[..., float]]:
    """The registry functions an expression calls, each giving its first output as one number."""
    wanted = {name for name in called if name not in BUILTINS}
    if not wanted:
        return {}
    from tutor.reference import REFERENCES

    return {name: _first_number(name, REFERENCES[name]) for name in wanted if name in REFERENCES}


def _first_number(name: str, function: Callable[..., Any]) -> Callable[..., float]:
    def call(*args: float) -> float:
        try:
            out = function(*args)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise EvalError(f"{name}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        first = out[0] if isinstance(out, (tuple, list)) else out
        try:
            if getattr(first, "size", 1) != 1:
                raise TypeError
            return float(first.item() if hasattr(first, "item") else first)
        except (TypeError, ValueError):
            raise EvalError(f"{name} does not give one number as its first output") from None

    return call


# -- drawing ------------------------------------------------------------------------------------


def _draw_param(param: m.Param, rng: random.Random) -> float:
    if param.choices:
        return rng.choice(param.choices)
    if param.step is None:
        return float(rng.randint(int(param.low), int(param.high)))
    count = math.floor((param.high - param.low) / param.step + 1e-9)
    return float(f"{param.low + rng.randint(0, count) * param.step:.12g}")


def draw(item: m.Item, seed: int, parsed: Template | None = None,
         avoid: Mapping[str, float] | None = None) -> Variant:
    """The variant of `item` for `seed`, other than the params `avoid` (the last review's) while
    the params allow another; raises VariantError (its path names the culprit)."""
    parsed = parsed or template(item)
    rng = random.Random(seed)
    failed, repeated = 0, None
    for _ in range(MAX_TRIES):
        params = {name: _draw_param(param, rng) for name, param in parsed.params}
        failing = next((i for i, condition in parsed.where if not _holds(i, condition, params)), None)
        if failing is None and params == avoid:
            repeated = repeated or params
        elif failing is None:
            return _computed(parsed, seed, params)
        else:
            failed = failing
    if repeated is not None:  # the only variant the params allow
        return _computed(parsed, seed, repeated)
    conditions = "; ".join(condition.text for _, condition in parsed.where)
    raise VariantError(f"where.{failed}", f"no draw of the params in {MAX_TRIES} meets the conditions ({conditions})")


def _holds(index: int, condition: Condition, params: Mapping[str, float]) -> bool:
    try:
        return holds(condition, params, _reference_functions(set().union(*(calls_in(p) for p in condition.parts))))
    except EvalError as exc:
        raise VariantError(f"where.{index}", f"with {_shown_params(params)}: {exc}") from None


def _computed(parsed: Template, seed: int, params: dict[str, float]) -> Variant:
    values = dict(params)
    worked = []
    steps = [*parsed.compute, *([(ANSWER, *parsed.answer)] if parsed.answer else [])]
    for name, text, tree in steps:
        try:
            values[name] = evaluate(tree, values, _reference_functions(calls_in(tree)))
        except EvalError as exc:
            path = "answer.number" if name == ANSWER else f"compute.{name}"
            raise VariantError(path, f"with {_shown_params(params)}: {exc}") from None
        worked.append(f"{name} = {text} = {with_numbers(text, values, parsed.spellings)} = {shown(values[name], 4)}")
    answer = values.get(ANSWER)
    return Variant(seed, params, values, tuple(worked), answer)


def _shown_params(params: Mapping[str, float]) -> str:
    return ", ".join(f"{name} = {shown(value)}" for name, value in params.items())


def variant_for(item: m.Item, seed: int, avoid: Mapping[str, float] | None = None) -> Variant:
    """The variant the learner sees for `seed`: if it fails, the next of a few derived seeds
    (a deck that validates never gets there); VariantError when all of them fail."""
    parsed = template(item)
    error: VariantError | None = None
    for attempt in range(RESEEDS + 1):
        try:
            return draw(item, seed if attempt == 0 else seed_for(f"{item.id}#{seed}", attempt), parsed, avoid)
        except VariantError as exc:
            error = error or exc
    assert error is not None
    raise error


# -- showing ------------------------------------------------------------------------------------


def shown(value: float, digits: int = 6) -> str:
    """A value as a question shows it, to `digits` significant figures: 0.9, 3e-4, 1,000, 2.442."""
    value = float(f"{value:.{digits}g}")
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if 1e-3 <= abs(value) < 1e6:
        return f"{value:.{digits}g}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def fill(text: str, variant: Variant, spellings: Mapping[str, str], asked: Precision | None = None) -> str:
    """`{name}` and `{name:.3g}` of a param, compute value or `{answer}` replaced by its value
    (a param to 6 significant figures, a computed value to 4, the answer at the precision the
    question asks, `asked`, if it asks one); any other braces (LaTeX's `\\frac{1}{2}`) are left
    as they are."""

    def one(match: re.Match[str]) -> str:
        name = spellings.get(match.group(1), match.group(1))
        if name not in variant.values:
            return match.group(0)
        value, spec = variant.values[name], match.group(2)
        if spec is None and name == ANSWER and asked is not None:
            return at_precision(value, asked)
        if spec is None:
            return shown(value, 6 if name in variant.params else 4)
        return format(value, spec) if _FORMAT.match(spec) else match.group(0)

    return _PLACEHOLDER.sub(one, text)


def with_numbers(text: str, values: Mapping[str, float], spellings: Mapping[str, str]) -> str:
    """An expression as written, each name of a value replaced by the number (negatives in brackets)."""

    def one(match: re.Match[str]) -> str:
        name = spellings.get(match.group(0))
        if name is None or name not in values:
            return match.group(0)
        number = shown(values[name]).replace(",", "")
        return f"({number})" if values[name] < 0 else number

    return _NAME.sub(one, text)


def bad_placeholders(text: str, spellings: Mapping[str, str]) -> list[str]:
    """The `{name:spec}` of known names whose format is not `.Nf`, `.Ne` or `.Ng`."""
    return [match.group(0) for match in _PLACEHOLDER.finditer(text)
            if spellings.get(match.group(1), match.group(1)) in {*spellings.values(), ANSWER}
            and match.group(2) is not None and not _FORMAT.match(match.group(2))]


# -- instantiating ------------------------------------------------------------------------------

TEXT_FIELDS = {"card": ("front", "back"), "problem": ("prompt", "answer")}


def instantiate(item: ItemT, variant: Variant) -> ItemT:
    """The item with the variant's numbers in its texts and its answer a plain value."""
    parsed = template(item)
    values, spellings = variant.values, parsed.spellings
    asked = asked_precision(getattr(item, "front", ""))
    changes: dict[str, Any] = {f: fill(getattr(item, f), variant, spellings, asked)
                               for f in TEXT_FIELDS.get(item.kind, ())}
    if isinstance(item, m.Problem):
        changes["hints"] = tuple(fill(h, variant, spellings) for h in item.hints)
    expects = getattr(item, "expects", None)
    if isinstance(expects, m.NumberAnswer) and variant.answer is not None:
        changes["expects"] = replace(expects, value=variant.answer, expr=None)
    elif isinstance(expects, m.FormulaAnswer) and parsed.formula is not None:
        symbols = {k: v for k, v in expects.symbols.items() if k not in spellings}
        changes["expects"] = replace(expects, expr=formula_text(parsed.formula, values), symbols=symbols)
    return replace(item, **changes)


def formula_text(node: Node, values: Mapping[str, float]) -> str:
    """A formula tree as text, each drawn value written as its number (fully bracketed)."""
    kind = node.kind
    if kind == "num":
        return node.value
    if kind == "name":
        return f"({values[node.value]!r})" if node.value in values else node.value
    parts = [formula_text(child, values) for child in node.children]
    if kind == "neg":
        return f"(-{parts[0]})"
    if kind == "call":
        return f"{node.value}({', '.join(parts)})"
    if kind == "expect":
        return f"E[{parts[0]}]"
    op = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "^"}[kind]
    return f"({parts[0]} {op} {parts[1]})"


def next_review(item_id: str, details: Sequence[Mapping[str, Any]]) -> tuple[int, Mapping[str, float] | None]:
    """The seed of an item's next review, from the details of its reviews so far, and the params
    its last review showed: the next variant differs from them (Again brings new numbers)."""
    last = details[-1].get("variant") if details else None
    previous = last.get("params") if isinstance(last, dict) else None
    return seed_for(item_id, len(details)), previous if isinstance(previous, dict) else None


def drawn_item(item: ItemT, seed: int, avoid: Mapping[str, float] | None = None) -> tuple[ItemT, Drawn]:
    """A variant item as shown for `seed`, and what a verdict and a review keep of its variant."""
    variant = variant_for(item, seed, avoid)
    shown_item = instantiate(item, variant)
    question = shown_item.front if isinstance(shown_item, m.Card) else getattr(shown_item, "prompt", "")
    params = {name: int(v) if v.is_integer() and abs(v) <= 2**53 else v for name, v in variant.params.items()}
    return shown_item, Drawn(variant.seed, params, question, variant.worked, variant.answer)


def first_variant(item: m.Item) -> m.Item:
    """The item as its first review shows it (a formula card's formula goes through SymPy so)."""
    return instantiate(item, variant_for(item, seed_for(item.id, 0)))


# -- validating ---------------------------------------------------------------------------------


def check_variation(item: m.Item, draws: int = VALIDATE_DRAWS) -> list[tuple[str, str]]:
    """The item's variation issues as (key path, message): names, expressions, placeholders,
    then `draws` variants at the seeds of its first reviews (the first failure is reported)."""
    try:
        parsed = template(item)
    except VariantError as exc:
        return [(exc.path, str(exc))]
    issues = []
    for field in TEXT_FIELDS.get(item.kind, ()):
        for bad in bad_placeholders(getattr(item, field), parsed.spellings):
            issues.append((field, f"{bad}: a format is .Nf, .Ne or .Ng (e.g. {{answer:.3g}})"))
    expects = getattr(item, "expects", None)
    for n in range(draws):
        try:
            variant = draw(item, seed_for(item.id, n), parsed)
        except VariantError as exc:
            return [*issues, (exc.path, f"variant {n}: {exc}")]
        if isinstance(expects, m.NumberAnswer) and variant.answer is not None:
            problem = tolerance_error(variant.answer, expects.rtol, expects.atol, getattr(item, "front", ""))
            if problem:
                return [*issues, ("answer", f"variant {n} ({_shown_params(variant.params)}): {problem}")]
    return issues
