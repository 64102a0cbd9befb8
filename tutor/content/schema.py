"""Validate parsed deck files and build the typed models, collecting every issue.

The schema is data (a field table per kind), so adding a field is one line and every kind
gets the same checks: unknown and missing keys, wrong types, bad slugs, cloze markup, choice
answers in range, regexes that compile, plan days on the ladder.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from tutor.checks import Field, Invalid, check_fields
from tutor.content import models as m
from tutor.content.files import UnreadableFile, read_deck_code
from tutor.content.text import MAX_ACCEPTED, MAX_ANSWER_TEXT, cloze_problem, key_point_covered
from tutor.content.tolerance import tolerance_error
from tutor.content.yamlsrc import ContentIssue, Document
from tutor.schedule.ladder import DEFAULT_LADDER

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
FILE_KEYS = {"cards": "card", "problems": "problem", "drills": "drill", "derivations": "derivation"}


def _text(v: Any) -> str:
    if isinstance(v, str):
        if not v.strip():
            raise Invalid("must not be empty")
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    raise Invalid(f"must be text, not {type(v).__name__}")


def _opt_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return _text(v)


def _texts(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        return (v,)
    if not isinstance(v, list):
        raise Invalid(f"must be a list of text, not {type(v).__name__}")
    return tuple(_text(x) for x in v)


def _nonempty_texts(v: Any) -> tuple[str, ...]:
    out = _texts(v)
    if not out:
        raise Invalid("must list at least one entry")
    return out


def _accepted_texts(v: Any) -> tuple[str, ...]:
    """A typed card's `accept:`: short texts (see MAX_ANSWER_TEXT), not too many of them."""
    out = _nonempty_texts(v)
    if len(out) > MAX_ACCEPTED:
        raise Invalid(f"lists {len(out)} answers: at most {MAX_ACCEPTED}")
    for text in out:
        if len(text) > MAX_ANSWER_TEXT:
            raise Invalid(f"an answer of {len(text)} characters: at most {MAX_ANSWER_TEXT}, what a learner "
                          "types from memory")
    return out


# What a screen shows at once, with room to spare: one idea per card, one task per prompt. Beyond
# them every reader (the study screen's Markdown, `content validate`'s checks) slows with the size.
MAX_FRONT = (2_000, 60)  # characters, lines
MAX_BACK = (8_000, 200)
MAX_PROMPT = (8_000, 200)
MAX_TITLE = (200, 1)  # a title is a line of a list, a heading, a footer
MAX_SHORT = MAX_FRONT  # an option, a hint, a rubric criterion, a derivation's line: a front's size
MAX_LONG = MAX_BACK  # a model answer, an explanation, notes, a drill's code: a back's size
MAX_ENTRIES = 100  # of a list or mapping of such texts (options, hints, criteria, definitions, solution lines)
SPLIT = "split it into several items"


def _bound(text: str, limits: tuple[int, int], advice: str = SPLIT) -> str:
    """`text`, or Invalid when it has more characters or lines than `limits`."""
    characters, lines = limits
    if len(text) > characters:
        raise Invalid(f"is {len(text)} characters long: at most {characters}; {advice}")
    if len(text) > lines and len(text.splitlines()) > lines:  # k characters make at most k lines
        raise Invalid(f"is {len(text.splitlines())} lines long: at most {lines}; {advice}")
    return text


def _within(check: Callable[[Any], str], limits: tuple[int, int], advice: str = SPLIT) -> Callable[[Any], str]:
    """`check`, then a bound on the text's characters and lines."""
    return lambda v: _bound(check(v), limits, advice)


def _entries(check: Callable[[Any], tuple[str, ...]], limits: tuple[int, int] = MAX_SHORT
             ) -> Callable[[Any], tuple[str, ...]]:
    """`check` of a list of texts, then at most MAX_ENTRIES entries, each within `limits`."""
    def bounded(v: Any) -> tuple[str, ...]:
        out = check(v)
        if len(out) > MAX_ENTRIES:
            raise Invalid(f"lists {len(out)} entries: at most {MAX_ENTRIES}; {SPLIT}")
        for n, text in enumerate(out):
            try:
                _bound(text, limits, "shorten it")
            except Invalid as exc:
                raise Invalid(f"entry {n} {exc}") from None
        return out
    return bounded


# YAML 1.1 (PyYAML) reads `1e-3` and `1.0e5` as text: an exponent without a dot or a sign.
_EXPONENT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def _number(v: Any) -> float:
    """A number written as one: quoted text is an error, not a silent conversion."""
    if isinstance(v, bool):
        raise Invalid("must be a number")
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str) and _EXPONENT.fullmatch(v):
        return float(v)
    if isinstance(v, str):
        try:
            float(v)
        except ValueError:
            raise Invalid(f"must be a number, not {v!r}") from None
        raise Invalid(f"must be a number, not the text {v!r}: remove the quotes")
    raise Invalid(f"must be a number, not {v!r}")


def _positive(v: Any) -> float:
    x = _number(v)
    if not x > 0:
        raise Invalid("must be greater than 0")
    return x


MAX_MINUTES = 24 * 60
MAX_LADDER_DAY = 3650


def _minutes(v: Any) -> float:
    """A time budget: a timer multiplies it into seconds, so absurd sizes are refused here."""
    x = _positive(v)
    if x > MAX_MINUTES:
        raise Invalid(f"must be at most {MAX_MINUTES} minutes")
    return x


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise Invalid(f"must be a whole number, not {v!r}")
    return v


def _slug(v: Any) -> str:
    if not isinstance(v, str) or not SLUG.match(v):
        raise Invalid(f"{v!r} is not a slug (lower-case letters, digits and single dashes)")
    return v


def _slugs(v: Any) -> tuple[str, ...]:
    if not isinstance(v, list):
        raise Invalid("must be a list of slugs")
    return tuple(_slug(x) for x in v)


def _replaced_ids(v: Any) -> tuple[str, ...]:
    """`replaces:` entries: a removed item's slug, or `CARD/cN` for one deletion of a cloze card
    reviewed as several (`models.ITEM_ID`)."""
    if not isinstance(v, list):
        raise Invalid("must be a list of ids")
    for x in v:
        if not isinstance(x, str) or not m.ITEM_ID.match(x):
            raise Invalid(f"{x!r} is neither an id (lower-case letters, digits and single dashes) "
                          "nor a cloze deletion CARD/cN")
    return tuple(v)


def _mapping(v: Any) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise Invalid(f"must be a mapping, not {type(v).__name__}")
    return {str(k): x for k, x in v.items()}


def _text_mapping(v: Any) -> dict[str, str]:
    """Named short texts (definitions, facts, computed values): at most MAX_ENTRIES, each within MAX_SHORT."""
    named = _mapping(v)
    if len(named) > MAX_ENTRIES:
        raise Invalid(f"names {len(named)} entries: at most {MAX_ENTRIES}; {SPLIT}")
    out = {}
    for k, x in named.items():
        try:
            out[k] = _bound(_text(x), MAX_SHORT, "shorten it")
        except Invalid as exc:
            raise Invalid(f"{k!r} {exc}") from None
    return out


def _lines(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        return tuple(line for line in v.splitlines() if line.strip())
    return _nonempty_texts(v)


def _answers(v: Any) -> tuple[int, ...]:
    items = v if isinstance(v, list) else [v]
    if not items:
        raise Invalid("must name at least one option")
    out = tuple(_int(x) for x in items)
    if len(set(out)) != len(out):
        raise Invalid("names an option twice")
    return out


def _code_name(v: Any) -> str | dict[str, Any]:
    """A built-in's name (`tutor drill references`) or {file, function} naming the deck's own code."""
    if isinstance(v, dict):
        return v
    if isinstance(v, str) and v.strip():
        return v
    raise Invalid("must name a built-in (see `tutor drill references`) or be {file: NAME.py, function: NAME}")


def _regexes(v: Any) -> tuple[str, ...]:
    out = _nonempty_texts(v)
    for pattern in out:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise Invalid(f"{pattern!r} is not a valid regular expression: {exc}") from None
    return out


COMMON = {
    "id": Field(_slug, True),
    "title": Field(_within(_text, MAX_TITLE, "a title is one short line"), True),
    "tags": Field(_slugs, default=()),
    "notes": Field(_within(_opt_text, MAX_LONG), default=None),
    "replaces": Field(_replaced_ids, default=()),
}

VARIATION_FIELDS = {
    "params": Field(_mapping, default=None),
    "where": Field(_nonempty_texts, default=()),
    "compute": Field(_text_mapping, default={}),
}

KIND_FIELDS: dict[str, dict[str, Field]] = {
    "card": {
        **VARIATION_FIELDS,
        "type": Field(_text, True),
        "front": Field(_within(_text, MAX_FRONT), True),
        "back": Field(_within(_opt_text, MAX_BACK), default=""),
        "options": Field(_entries(_nonempty_texts), default=()),
        "answer": Field(lambda v: v, default=()),  # choice: option indices; typed: {number|formula: ...}
        "explain": Field(_entries(_nonempty_texts, MAX_LONG), default=()),
        "accept": Field(_accepted_texts, default=()),
    },
    "problem": {
        **VARIATION_FIELDS,
        "prompt": Field(_within(_text, MAX_PROMPT), True),
        "time_limit_min": Field(_minutes, True),
        "target_min": Field(_minutes, True),
        "hints": Field(_entries(_texts), default=()),
        "answer": Field(_within(_text, MAX_LONG), True),
        "rubric": Field(_mapping, True),
        "key_points": Field(lambda v: v, True),
    },
    "drill": {
        "prompt": Field(_within(_text, MAX_PROMPT), True),
        "function": Field(_text, True),
        "signature": Field(_within(_text, MAX_SHORT), True),
        "starter": Field(_within(_text, MAX_LONG), True),
        "solution": Field(_within(_text, MAX_LONG), default=None),
        "reference": Field(_code_name, True),
        "cases": Field(_mapping, default={}),
        "tolerance": Field(_mapping, default={}),
        "mistakes": Field(lambda v: v, default=[]),
        "max_lines": Field(_int, default=None),
        "hints": Field(_entries(_texts), default=()),
        "target_min": Field(_minutes, default=10.0),
    },
    "derivation": {
        "prompt": Field(_within(_text, MAX_PROMPT), True),
        "symbols": Field(_mapping, True),
        "definitions": Field(_text_mapping, default={}),
        "facts": Field(_text_mapping, default={}),
        "functions": Field(_text_mapping, default={}),
        "start": Field(_within(_text, MAX_SHORT), True),
        "goal": Field(_within(_text, MAX_SHORT), True),
        "solution": Field(_entries(_lines), True),
        "hints": Field(_entries(_texts), default=()),
        "mistakes": Field(lambda v: v, default=[]),
        "key_steps": Field(lambda v: v, default=[]),
        "target_min": Field(_minutes, default=10.0),
    },
}

ITEM_FIELDS = {kind: {**COMMON, **fields} for kind, fields in KIND_FIELDS.items()}

CARD_NEEDS = {
    "basic": ("back",),
    "cloze": (),
    "choice": ("options", "answer", "explain"),
    "typed": (),
}
CARD_ONLY = {"options": ("choice",), "answer": ("choice", "typed"), "explain": ("choice",), "accept": ("typed",)}
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
NUMBER_KEYS = {"number": Field(_number, True), "rtol": Field(_number, default=1e-6),
               "atol": Field(_number, default=0.0)}
FORMULA_KEYS = {"formula": Field(_text, True), "symbols": Field(_mapping, True)}
# A variant card's number is an expression of its params; a learner rounds to 3 significant figures.
VARIANT_RTOL = 5e-3
VARIANT_NUMBER_KEYS = {"number": Field(_text, True), "rtol": Field(_number, default=VARIANT_RTOL),
                       "atol": Field(_number, default=0.0)}
MAX_PARAMS = 12
MAX_CHOICES = 1000
MAX_PARAM_VALUES = 10**12  # a range's count of values; beyond it the step is meaningless
LARGEST_WHOLE = 2**53  # whole numbers beyond it are not exact as floats


class Collector:
    """Gathers the issues of one document; `at(path)` finds the line of a key path."""

    def __init__(self, doc: Document, issues: list[ContentIssue]):
        self.doc = doc
        self.issues = issues
        self.failed: set[str] = set()  # ids of items left out for an issue (already reported)

    def add(self, path: str, message: str) -> None:
        self.issues.append(ContentIssue(self.doc.file, self.doc.line(path), path, message))


def _fields(raw: dict[str, Any], spec: dict[str, Field], path: str, out: Collector) -> dict | None:
    """Check keys against a field table; returns the checked values or None if any failed."""
    values, failures = check_fields(raw, spec)
    for key, message in failures:
        out.add(path if key is None else f"{path}.{key}" if path else key, message)
    return None if failures else values


def _records(raw: Any, path: str, spec: dict[str, Field], make: Callable[..., Any], out: Collector,
             *, required: bool = False) -> tuple[list[Any], bool]:
    """A list of small mappings (key points, mistakes), each checked against `spec` and made a model."""
    names = ", ".join(spec)
    if not isinstance(raw, list) or (required and not raw):
        out.add(path, f"must be a list of {{{names}}} entries")
        return [], False
    made, ok = [], True
    for i, entry in enumerate(raw):
        where = f"{path}.{i}"
        if not isinstance(entry, dict):
            out.add(where, f"must be a mapping with {names}")
            ok = False
            continue
        checked = _fields(entry, spec, where, out)
        if checked is None:
            ok = False
        else:
            made.append(make(**checked))
    return made, ok


def _check_card(v: dict[str, Any], path: str, out: Collector) -> bool:
    ok = True
    kind = v["type"]
    if kind not in m.CARD_TYPES:
        out.add(f"{path}.type", f"unknown card type {kind!r} (one of {', '.join(m.CARD_TYPES)})")
        return False
    if kind == "choice" and v["answer"] != ():
        try:
            v["answer"] = _answers(v["answer"])
        except Invalid as exc:
            out.add(f"{path}.answer", str(exc))
            return False
    for key in CARD_NEEDS[kind]:
        if not v[key]:
            out.add(path, f"a {kind} card needs {key!r}")
            ok = False
    for key, kinds in CARD_ONLY.items():
        if v[key] and kind not in kinds:
            out.add(f"{path}.{key}", f"{key!r} only applies to {' and '.join(kinds)} cards")
            ok = False
    if kind == "cloze":
        problem = cloze_problem(v["front"])
        if problem:
            out.add(f"{path}.front", problem)
            ok = False
    if kind == "typed":
        ok = _check_typed(v, path, out) and ok
    if v.get("variation") is not None and (kind != "typed" or v.get("expects") is None):
        out.add(f"{path}.params", "params apply to typed cards with a number or formula answer, and to problems")
        ok = False
    if kind == "choice" and v["options"]:
        n = len(v["options"])
        for index in v["answer"]:
            if not 0 <= index < n:
                out.add(f"{path}.answer", f"answer {index} is out of range: options are 0..{n - 1}")
                ok = False
        if v["explain"] and len(v["explain"]) != n:
            out.add(f"{path}.explain", f"needs one explanation per option ({n}), has {len(v['explain'])}")
            ok = False
    return ok


def _check_typed(v: dict[str, Any], path: str, out: Collector) -> bool:
    """A typed card's `answer:` (a number or a formula) and `accept:` (text, or extra spellings)."""
    raw = v.pop("answer")
    v["expects"] = None
    if raw == ():
        if not v["accept"]:
            out.add(path, "a typed card needs 'accept' (text answers) or 'answer' (a number or formula)")
            return False
        return True
    where = f"{path}.answer"
    if not isinstance(raw, dict) or ("number" in raw) == ("formula" in raw):
        out.add(where, "must be a mapping with either 'number' (and optional rtol, atol) or 'formula' and 'symbols'")
        return False
    if "number" in raw:
        drawn = v.get("variation") is not None
        checked = _fields(raw, VARIANT_NUMBER_KEYS if drawn else NUMBER_KEYS, where, out)
        if checked is None:
            return False
        if checked["rtol"] < 0 or checked["atol"] < 0:
            out.add(where, "rtol and atol must not be negative")
            return False
        if drawn:  # an expression of the params, evaluated per variant (tutor.study.variants)
            v["expects"] = m.NumberAnswer(float("nan"), checked["rtol"], checked["atol"], checked["number"])
            return True
        problem = tolerance_error(checked["number"], checked["rtol"], checked["atol"], v.get("front", ""))
        if problem:
            out.add(where, problem)
            return False
        v["expects"] = m.NumberAnswer(checked["number"], checked["rtol"], checked["atol"])
        return True
    checked = _fields(raw, FORMULA_KEYS, where, out)
    if checked is None:
        return False
    symbols: dict[str, dict[str, Any]] = {}
    aliases: dict[str, str] = {}
    ok = True
    for name, spec in checked["symbols"].items():
        at = f"{where}.symbols.{name}"
        spec = {} if spec is None else spec
        if not NAME.match(name) or not isinstance(spec, dict):
            out.add(at, "a symbol is a name (letters, digits, _) with a mapping of assumptions, e.g. {positive: true}")
            ok = False
            continue
        spec = dict(spec)
        try:
            names = _texts(spec.pop("aliases", []))
        except Invalid as exc:
            out.add(f"{at}.aliases", str(exc))
            ok = False
            continue
        for alias in names:
            if not NAME.match(alias):
                out.add(f"{at}.aliases", f"{alias!r} is not a name (letters, digits, _)")
                ok = False
            elif alias in checked["symbols"] or alias in aliases:
                out.add(f"{at}.aliases", f"{alias!r} already names a symbol or another alias")
                ok = False
            aliases[alias] = name
        symbols[name] = spec
    if ok:
        v["expects"] = m.FormulaAnswer(checked["formula"], symbols, aliases)
    return ok


def _check_problem(v: dict[str, Any], path: str, out: Collector) -> bool:
    ok = True
    rubric = {}
    levels = ("strong_hire", "lean_hire", "no_hire")
    for key in v["rubric"]:
        if key not in levels:
            out.add(f"{path}.rubric.{key}", f"unknown rubric level {key!r} (one of {', '.join(levels)})")
            ok = False
    for level in levels:
        try:
            rubric[level] = _entries(_nonempty_texts)(v["rubric"].get(level))
        except Invalid as exc:
            out.add(f"{path}.rubric" + (f".{level}" if level in v["rubric"] else ""),
                    f"{level}: {exc}" if level in v["rubric"] else f"missing rubric level {level!r}")
            ok = False
            continue
        ok = _one_criterion_each(rubric[level], f"{path}.rubric.{level}", out) and ok
    points, points_ok = _records(v["key_points"], f"{path}.key_points", KEY_POINT_KEYS, _key_point, out,
                                 required=True)
    ok = ok and points_ok
    for i, point in enumerate(points):
        ok = _check_key_point(point, f"{path}.key_points.{i}", out) and ok
    if v["target_min"] > v["time_limit_min"]:
        out.add(f"{path}.target_min", "the target cannot be longer than the time limit")
        ok = False
    v["rubric"] = m.Rubric(**rubric) if len(rubric) == 3 else m.Rubric((), (), ())
    v["key_points"] = tuple(points)
    return ok


def _one_criterion_each(criteria: tuple[str, ...], path: str, out: Collector) -> bool:
    """A `[a, b]` list splits at every comma: an unquoted item after the first that starts in
    lower case is most likely the rest of the criterion before it."""
    split = [j for j in range(1, len(criteria))
             if f"{path}.{j}" in out.doc.flow_plain and criteria[j][:1].islower()]
    if not split:
        return True
    joined = ", ".join(criteria[split[0] - 1:split[0] + 1])
    out.add(path, f"the [...] list was split at its commas into {len(criteria)} criteria; if "
                  f"'{joined}' is one criterion, quote it or write one criterion per line with '- '")
    return False


KEY_POINT_KEYS = {"point": Field(_within(_text, MAX_SHORT), True), "match": Field(_regexes, default=()),
                  "phrases": Field(_entries(_nonempty_texts), default=()),
                  "examples": Field(_entries(_nonempty_texts), default=()),
                  "not": Field(_entries(_nonempty_texts), default=())}


def _key_point(**values: Any) -> m.KeyPoint:
    return m.KeyPoint(values["point"], values["match"], values["phrases"], values["examples"], values["not"])


def _check_key_point(point: m.KeyPoint, path: str, out: Collector) -> bool:
    """A key point needs a way to match, and its examples must match and its `not:` must not."""
    if not point.match and not point.phrases:
        out.add(path, "a key point needs 'phrases' (matched by meaning) or 'match' (regexes)")
        return False
    ok = True
    for key, answers, wanted in (("examples", point.examples, True), ("not", point.not_, False)):
        for j, answer in enumerate(answers):
            if key_point_covered(point.match, answer, point.phrases) != wanted:
                verb = "does not match" if wanted else "matches"
                out.add(f"{path}.{key}.{j}", f"{answer!r} {verb} the key point {point.point!r}")
                ok = False
    return ok


def _check_drill(v: dict[str, Any], path: str, out: Collector) -> bool:
    ok = True
    if not IDENT.match(v["function"]):
        out.add(f"{path}.function", f"{v['function']!r} is not a Python function name")
        ok = False
    tol = v["tolerance"]
    checked = _fields(tol, {"rtol": Field(_number, default=1e-7), "atol": Field(_number, default=1e-10)},
                      f"{path}.tolerance", out)
    if checked is None:
        ok = False
    else:
        v["tolerance"] = m.Tolerance(**checked)
    spec = {"id": Field(_slug, True), "variant": Field(_code_name, True),
            "message": Field(_within(_text, MAX_SHORT), True)}
    mistakes, mistakes_ok = _records(v["mistakes"], f"{path}.mistakes", spec, m.DrillMistake, out)
    ok = ok and mistakes_ok
    authored = isinstance(v["reference"], dict)
    if authored:
        code = _author_code(v["reference"], f"{path}.reference", out)
        ok = ok and code is not None
        v["reference"] = code
    for i, mistake in enumerate(mistakes):
        where = f"{path}.mistakes.{i}.variant"
        if isinstance(mistake.variant, dict) != authored:
            out.add(where, "an author drill's variants are functions in the deck's files too "
                           "({file, function}), and a built-in reference's are built-ins")
            ok = False
        elif isinstance(mistake.variant, dict):
            code = _author_code(mistake.variant, where, out)
            ok = ok and code is not None
            mistakes[i] = replace(mistake, variant=code)
    if v["max_lines"] is not None and v["max_lines"] < 1:
        out.add(f"{path}.max_lines", "must be at least 1")
        ok = False
    v["mistakes"] = tuple(mistakes)
    return ok


def _author_code(raw: dict[str, Any], path: str, out: Collector) -> m.AuthorCode | None:
    """{file, function}: the file read now from the deck's folder (it is never run here)."""
    checked = _fields(raw, {"file": Field(_text, True), "function": Field(_text, True)}, path, out)
    if checked is None:
        return None
    if not IDENT.match(checked["function"]):
        out.add(f"{path}.function", f"{checked['function']!r} is not a Python function name")
        return None
    try:
        source = read_deck_code(Path(out.doc.file).parent, checked["file"])
    except UnreadableFile as exc:
        out.add(f"{path}.file", str(exc))
        return None
    return m.AuthorCode(checked["file"], checked["function"], source)


def _check_derivation(v: dict[str, Any], path: str, out: Collector) -> bool:
    ok = True
    symbols = {}
    for name, assumptions in v["symbols"].items():
        if assumptions is None:
            assumptions = {}
        if not isinstance(assumptions, dict):
            out.add(f"{path}.symbols.{name}", "assumptions must be a mapping (e.g. {positive: true})")
            ok = False
            continue
        symbols[name] = assumptions
    v["symbols"] = symbols
    spec = {"line": Field(_within(_text, MAX_SHORT), True), "message": Field(_within(_text, MAX_SHORT), True)}
    mistakes, mistakes_ok = _records(v["mistakes"], f"{path}.mistakes", spec, m.DerivationMistake, out)
    steps_spec = {"name": Field(_within(_text, MAX_TITLE, "a step's name is one short line"), True),
                  "form": Field(_within(_text, MAX_SHORT), True)}
    key_steps, steps_ok = _records(v["key_steps"], f"{path}.key_steps", steps_spec, m.KeyStep, out)
    ok = ok and mistakes_ok and steps_ok
    v["mistakes"] = tuple(mistakes)
    v["key_steps"] = tuple(key_steps)
    return ok


def _check_variation(v: dict[str, Any], path: str, out: Collector) -> bool:
    """`params:`, `where:` and `compute:` as a `Variation` (their expressions are checked by
    `tutor.study.variants` when the deck is validated: the parser lives in `tutor.derive`)."""
    raw, where, compute = v.pop("params"), v.pop("where"), v.pop("compute")
    v["variation"] = None
    if raw is None:
        for key, value in (("where", where), ("compute", compute)):
            if value:
                out.add(f"{path}.{key}", f"{key!r} only applies to an item with 'params'")
                return False
        return True
    if not raw or len(raw) > MAX_PARAMS:
        out.add(f"{path}.params", f"must name 1 to {MAX_PARAMS} params")
        return False
    params, ok = [], True
    for name, spec in raw.items():
        try:
            params.append(_param(name, spec))
        except Invalid as exc:
            out.add(f"{path}.params.{name}", str(exc))
            ok = False
    if ok:
        v["variation"] = m.Variation(tuple(params), where, tuple(compute.items()))
    return ok


def _param(name: str, spec: Any) -> m.Param:
    """One param: a list of numbers, `{from, to}` (whole numbers) or `{from, to, step}`."""
    if not name.strip():
        raise Invalid("a param needs a name")
    if isinstance(spec, list):
        if not spec or len(spec) > MAX_CHOICES:
            raise Invalid(f"a list of choices needs 1 to {MAX_CHOICES} numbers")
        return m.Param(name, choices=tuple(_finite(x) for x in spec))
    if not isinstance(spec, dict) or set(spec) - {"from", "to", "step"} or not {"from", "to"} <= set(spec):
        raise Invalid("a param is a list of numbers, {from: A, to: B} (whole numbers) or {from: A, to: B, step: S}")
    low, high = _finite(spec["from"]), _finite(spec["to"])
    if high < low:
        raise Invalid(f"'from' ({low:g}) is greater than 'to' ({high:g})")
    if "step" not in spec:
        if not all(isinstance(spec[k], int) and not isinstance(spec[k], bool) and abs(spec[k]) <= LARGEST_WHOLE
                   for k in ("from", "to")):
            raise Invalid("a range without a step takes whole numbers of at most 2^53; add a step for others")
        return m.Param(name, low=low, high=high)
    step = _finite(spec["step"])
    if not step > 0:
        raise Invalid("'step' must be greater than 0")
    if (high - low) / step > MAX_PARAM_VALUES:
        raise Invalid(f"the range has more than {MAX_PARAM_VALUES:,} values; use a coarser step")
    return m.Param(name, low=low, high=high, step=step)


def _finite(value: Any) -> float:
    x = _number(value)
    if not math.isfinite(x):
        raise Invalid(f"must be a finite number, not {value!r}")
    return x


KIND_CHECKS = {"card": _check_card, "problem": _check_problem, "drill": _check_drill,
               "derivation": _check_derivation}
MODELS = {"card": m.Card, "problem": m.Problem, "drill": m.Drill, "derivation": m.Derivation}


def build_items(doc: Document, deck: str, out: Collector) -> list[m.Item]:
    """The items of one content file (any of cards/problems/drills/derivations)."""
    items: list[m.Item] = []
    if doc.value is None:
        out.add("", "file is empty")
        return items
    if not isinstance(doc.value, dict):
        out.add("", f"top level must be a mapping with one of: {', '.join(FILE_KEYS)}")
        return items
    for key, entries in doc.value.items():
        kind = FILE_KEYS.get(key)
        if kind is None:
            out.add(str(key), f"unknown top-level key {key!r} (one of {', '.join(FILE_KEYS)})")
            continue
        if not isinstance(entries, list):
            out.add(str(key), f"{key!r} must be a list of items")
            continue
        for i, raw in enumerate(entries):
            path = f"{key}.{i}"
            if not isinstance(raw, dict):
                out.add(path, "each item must be a mapping of fields")
                continue
            values = _fields(raw, ITEM_FIELDS[kind], path, out)
            if values is None or ("params" in values and not _check_variation(values, path, out)) \
                    or not KIND_CHECKS[kind](values, path, out):
                if isinstance(raw.get("id"), str):
                    out.failed.add(raw["id"])
                continue
            origin = m.Origin(doc.file, doc.line(path))
            items.append(MODELS[kind](deck=deck, origin=origin, lines=doc.lines_under(path), **values))
    return items


def build_deck(doc: Document, out: Collector) -> dict[str, Any] | None:
    """The checked fields of a deck.yaml; plan items are checked once all items are known."""
    if not isinstance(doc.value, dict):
        out.add("", "deck.yaml must be a mapping with id, title and plan")
        return None
    spec = {
        "id": Field(_slug, True),
        "title": Field(_within(_text, MAX_TITLE, "a title is one short line"), True),
        "source": Field(_within(_opt_text, MAX_SHORT), default=None),
        "ladder": Field(lambda v: v, default=list(DEFAULT_LADDER)),
        "plan": Field(lambda v: v, default=[]),
    }
    values = _fields(doc.value, spec, "", out)
    if values is None:
        return None
    ladder = values["ladder"]
    if (not isinstance(ladder, list) or len(ladder) < 2 or ladder[0] != 0
            or any(isinstance(d, bool) or not isinstance(d, int) for d in ladder)
            or any(b <= a for a, b in zip(ladder, ladder[1:])) or ladder[-1] > MAX_LADDER_DAY):
        out.add("ladder", f"must be increasing whole days from 0 to at most {MAX_LADDER_DAY}, e.g. [0, 3, 7, 14, 21]")
        return None
    values["ladder"] = tuple(ladder)
    plan = []
    if not isinstance(values["plan"], list):
        out.add("plan", "must be a list of {day, goal, items}")
        return None
    entry_spec = {"day": Field(_int, True), "goal": Field(_within(_text, MAX_SHORT), True),
                  "items": Field(_slugs, default=())}
    for i, raw in enumerate(values["plan"]):
        path = f"plan.{i}"
        if not isinstance(raw, dict):
            out.add(path, "each plan entry must be a mapping with day, goal and items")
            continue
        entry = _fields(raw, entry_spec, path, out)
        if entry is None:
            continue
        if entry["day"] not in values["ladder"]:
            out.add(f"{path}.day", f"day {entry['day']} is not on the ladder {list(values['ladder'])}")
            continue
        plan.append((path, m.PlanEntry(entry["day"], entry["goal"], entry["items"])))
    values["plan"] = plan
    return values
