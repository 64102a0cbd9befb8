"""The answer checker for typed cards: numbers by value, formulas by meaning, text folded.

One service for the app's card screen and `tutor answer`. Numbers and text are pure Python
(`tutor.content.numbers`, `tutor.content.text`) and never import SymPy; a formula is read by
the derivation parser and compared by the derivation checker in its child process
(`tutor.derive`), as the first line of a derivation whose start is the expected formula, so
no learner text reaches eval and a runaway expression is killed on time.

A number or text answer is checked against the card's `AnswerKey` alone, which the content
catalog keeps (`tutor.study.catalog`), so `tutor answer` on such a card reads no YAML and
builds no content model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.content.numbers import NumberError, close_enough, one_number, shown_number
from tutor.content.text import char_diff, cloze_parts, normalize_answer, text_matches
from tutor.errors import TutorError
from tutor.printable import printable

if TYPE_CHECKING:
    from tutor.content.models import Card, Derivation, FormulaAnswer

MAX_ANSWER_CHARS = 2_000
FORMULA_TIMEOUT_S = 5.0


class NotTyped(TutorError, ValueError):
    """An item that has no typed answer to check (a basic or choice card, a drill...)."""

    def __init__(self, item_id: str) -> None:
        super().__init__(f"{item_id} is not a typed or cloze card; only those take an answer")


@dataclass(frozen=True)
class AnswerResult:
    """The verdict on one typed answer; `to_dict` is the `tutor answer --json` document."""

    item: str
    correct: bool
    expected: str
    kind: str  # number | formula | text
    message: str
    diff: str | None = None
    counterexample: dict[str, Any] | None = None
    variant: Drawn | None = None  # a variant card's draw: its seed, params, question, worked numbers

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"item": self.item, "correct": self.correct, "expected": self.expected,
                               "kind": self.kind, "message": self.message}
        if self.diff is not None:
            out["diff"] = self.diff
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        if self.variant is not None:
            out.update(seed=self.variant.seed, params=dict(self.variant.params), question=self.variant.question)
            if not self.correct:
                out["worked"] = list(self.variant.worked)
        return out


@dataclass(frozen=True)
class Drawn:
    """What a verdict on a variant card says of its variant (`tutor.study.variants`)."""

    seed: int
    params: dict[str, float | int]
    question: str
    worked: tuple[str, ...]
    answer: float | None

    def detail(self) -> dict[str, Any]:
        """What a review keeps of its variant: the seed and the params drawn."""
        return {"variant": {"seed": self.seed, "params": dict(self.params)}}


@dataclass(frozen=True)
class AnswerKey:
    """What a typed card's answer is checked against: its kind, the answer shown, the accepted
    texts and, for a number, (value, rtol, atol). A formula also needs its card."""

    item: str
    kind: str  # number | formula | text
    expected: str
    accept: tuple[str, ...]
    number: tuple[float, float, float] | None = None

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "expected": self.expected, "accept": list(self.accept),
                           "number": list(self.number) if self.number else None})

    @classmethod
    def from_json(cls, item: str, text: str) -> AnswerKey | None:
        """The key stored by `to_json`; None for anything else (the store file is not trusted)."""
        try:
            data = json.loads(text)
            kind, expected, accept, number = data["kind"], data["expected"], data["accept"], data["number"]
        except (ValueError, TypeError, KeyError):
            return None
        if kind not in ("number", "text") or not isinstance(expected, str) or not isinstance(accept, list) \
                or not all(isinstance(a, str) for a in accept):
            return None
        if kind == "number":
            if not (isinstance(number, list) and len(number) == 3 and
                    all(isinstance(v, int | float) and not isinstance(v, bool) for v in number)):
                return None
            return cls(item, kind, expected, tuple(accept), (float(number[0]), float(number[1]), float(number[2])))
        return cls(item, kind, expected, tuple(accept)) if accept and number is None else None


MakeResult = Callable[..., AnswerResult]  # (correct, message, diff=, counterexample=) -> the verdict


def answer_key(card: Card, drawn: Drawn | None = None) -> AnswerKey:
    """The card's answer key (a variant card's as `drawn`); NotTyped for a card that takes no
    typed answer."""
    from tutor.content.models import NumberAnswer  # loaded with the card already

    if getattr(card, "type", None) not in ("typed", "cloze"):
        raise NotTyped(card.id)
    expects = card.expects
    number = (expects.value, expects.rtol, expects.atol) if isinstance(expects, NumberAnswer) else None
    exact = drawn is not None and drawn.answer is not None
    expected = f"{drawn.answer:.12g}" if exact and drawn is not None else expected_answer(card)
    return AnswerKey(card.id, card.answer_kind, expected, _accepted(card), number)


def expected_answer(card: Card) -> str:
    """The answer shown to the learner: the formula or the value, else the first accepted text
    (a cloze card's: its hidden deletions)."""
    answers = _accepted(card)
    return card.answers[0] if card.answers else answers[0] if answers else ""


def _accepted(card: Card) -> tuple[str, ...]:
    """The texts a typed answer may match: a typed card's `accept:`; for a cloze card (or one
    sibling `CARD/cN`), the deletions it hides, in order."""
    if card.type != "cloze":
        return card.accept
    hidden = [answer for n, answer, _ in cloze_parts(card.front) if card.deletion in (None, n)]
    return (" ... ".join(hidden),) if hidden else ()


def shown(text: str) -> str:
    """Learner text as echoed in a verdict: one line, control characters escaped."""
    return printable(" ".join(text.split()))


def check_answer(card: Card, given: str, *, checker: Any = None, drawn: Drawn | None = None) -> AnswerResult:
    """Whether `given` answers the typed card; `checker` is a warm derivation checker (the app's);
    `drawn` is the variant a variant card was drawn as (the card has its numbers filled in)."""
    from tutor.content.models import FormulaAnswer  # loaded with the card already

    key, expects = answer_key(card, drawn), card.expects
    if not isinstance(expects, FormulaAnswer):
        return check_key(key, given, drawn=drawn)
    return check_key(key, given, lambda result: _check_formula(card, expects, given, checker, result), drawn)


def check_key(key: AnswerKey, given: str, check_formula: Callable[[MakeResult], AnswerResult] | None = None,
              drawn: Drawn | None = None) -> AnswerResult:
    """Whether `given` matches the key; a formula key is finished by `check_formula` (which
    needs the card: `check_answer`) once no accepted text matched."""

    def result(correct: bool, message: str, **extra: Any) -> AnswerResult:
        if drawn is not None and not correct and drawn.worked:
            message += "\nworked:\n  " + "\n  ".join(drawn.worked)
        return AnswerResult(key.item, correct, key.expected, key.kind, message, variant=drawn, **extra)

    if len(given) > MAX_ANSWER_CHARS:
        return result(False, f"the answer is too long (at most {MAX_ANSWER_CHARS} characters)")
    if not given.strip():
        return result(False, "no answer given")
    if key.accept and any(text_matches(given, a) for a in key.accept):
        return result(True, "right")
    if key.number is not None:
        wanted = key.expected if drawn is None else shown_number(key.number[0], drawn.question)
        return _check_number(key.number, given, result, wanted)
    if key.kind == "formula":
        if check_formula is None:
            raise ValueError(f"{key.item}: a formula is checked with its card (check_answer)")
        return check_formula(result)
    closest = max(key.accept, key=lambda a: _similarity(given, a))
    return result(False, "not the expected answer", diff=char_diff(shown(given), closest))


def _similarity(given: str, accepted: str) -> float:
    """How alike, to pick the accepted text a wrong answer is shown against: the characters in
    common, in time linear in the lengths (a full match is the product of them: seconds for a
    long answer against each of a card's accepted texts)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, normalize_answer(given), normalize_answer(accepted), autojunk=False).quick_ratio()


def _check_number(number: tuple[float, float, float], given: str, result: MakeResult, wanted: str) -> AnswerResult:
    """`wanted` is the value as the card shows it (at the precision its question asks)."""
    expected, rtol, atol = number
    try:
        value = one_number(given)
    except NumberError as exc:
        return result(False, f"could not read one number: {exc}", diff=char_diff(shown(given), wanted))
    if close_enough(value, expected, rtol, atol):
        return result(True, "right")
    return result(False, f"{_shown_fraction(value)} is not {wanted}", diff=char_diff(shown(given), wanted))


def _shown_fraction(value: Any) -> str:
    try:
        return f"{float(value):g}"
    except OverflowError:
        return "a number too large"


# -- formulas --------------------------------------------------------------------------------

_LATEX_NAMES = {"cdot": "*", "times": "*", "left": "", "right": "", "displaystyle": "", "mathrm": "",
                "operatorname": "", "ln": "log", "infty": "oo"}
_LATEX_SPACES = re.compile(r"\\[,;:! ]|\$")
_SIMPLE_GROUP = re.compile(r"([_^])\{([A-Za-z0-9]+)\}")
_GREEK_PAIR = re.compile(r"(?<=[\u0370-\u03ff])(?=[\u0370-\u03ff])")  # λθ is λ times θ
MAX_LATEX_DEPTH = 40


def plain_maths(text: str, depth: int = 0) -> str:
    """LaTeX a learner may type (`\\frac{m_t}{1-\\beta_1^t}`) in the parser's plain syntax."""
    text = _SIMPLE_GROUP.sub(lambda m: m.group(1) + (m.group(2) if m.group(1) == "_" else f"({m.group(2)})"),
                             _LATEX_SPACES.sub(" ", text))
    out, pos = [], 0
    while pos < len(text):
        command = re.match(r"\\([A-Za-z]+)", text[pos:]) if text[pos] == "\\" else None
        if command is None:
            out.append(" " if text[pos] == "\\" else text[pos])
            pos += 1
            continue
        name = command.group(1)
        pos += command.end()
        groups = 2 if name in ("frac", "dfrac", "tfrac") else 1 if name in ("hat", "sqrt") else 0
        args: list[str] = []
        while len(args) < groups and depth < MAX_LATEX_DEPTH and text[pos:pos + 1] == "{":
            end = _group_end(text, pos)
            if end is None:
                break
            args.append(plain_maths(text[pos + 1:end], depth + 1))
            pos = end + 1
        if len(args) == 2:
            out.append(f"(({args[0]})/({args[1]}))")
        elif args and name == "hat":
            out.append(f"hat_{args[0].strip()}")
        elif args:
            out.append(f"sqrt({args[0]})")
        else:
            after = text[pos:pos + 1]  # \\lambda\\theta is lambda times theta; \\beta_1 and \\beta1 one name
            out.append(_LATEX_NAMES.get(name, name) + ("" if after in ("", "_", "^") or after.isdigit() else " "))
    return _GREEK_PAIR.sub(" ", "".join(out).replace("{", "(").replace("}", ")"))


def _group_end(text: str, start: int) -> int | None:
    """The index of the brace closing the one at `start`, or None."""
    depth = 0
    for i in range(start, len(text)):
        depth += text[i] == "{"
        depth -= text[i] == "}"
        if depth == 0:
            return i
    return None


def formula_derivation(card: Card, expects: FormulaAnswer) -> Derivation:
    """The card's formula as a derivation to start from: a learner line must equal its start."""
    from tutor.content.models import Derivation

    return Derivation(id=card.id, deck=card.deck, title=card.title, tags=card.tags, notes=None, origin=card.origin,
                      prompt="", symbols=expects.symbols, definitions=dict(expects.aliases), start=expects.expr,
                      goal=expects.expr, solution=(expects.expr,))


def validate_formula_card(card: Card) -> list[tuple[str, str]]:
    """Problems with a formula card's answer (bad assumptions, a formula the checker cannot
    read), as (key path inside the card, message)."""
    from tutor.content.models import FormulaAnswer

    if not isinstance(card.expects, FormulaAnswer):
        return []
    from tutor.derive import validate_derivation

    where = {"symbols": "answer.symbols", "definitions": "answer.aliases"}
    issues = []
    for path, message in validate_derivation(formula_derivation(card, card.expects), timeout_s=FORMULA_TIMEOUT_S):
        head, _, rest = path.partition(".")
        issues.append((f"{where[head]}.{rest}" if head in where else "answer.formula", message))
    return list(dict.fromkeys(issues))


def _check_formula(card: Card, expects: FormulaAnswer, given: str, checker: Any,
                   result: MakeResult) -> AnswerResult:
    from tutor.derive import check_derivation

    line = plain_maths(given.replace("\n", " ").replace("\r", " "))
    line = line.rsplit("=", 1)[-1]  # "m̂_t = m_t/(1-β1^t)": the right-hand side is the answer
    checked = check_derivation(formula_derivation(card, expects), line, timeout_s=FORMULA_TIMEOUT_S, checker=checker)
    step = checked["steps"][0] if checked["steps"] else None
    if step is None:
        return result(False, "no formula given")
    status = step["status"]
    if status == "ok":
        return result(True, "right" + (" (checked at random points)" if "numerically" in step["message"] else ""))
    if status == "wrong":
        example = step["counterexample"] or {}
        counterexample = {"at": example.get("at", {}), "expected": example.get("previous"),
                          "given": example.get("this")}
        at = ", ".join(f"{k} = {v}" for k, v in counterexample["at"].items())
        return result(False, f"not equal to {expects.expr}: at {at}: yours is {counterexample['given']}, "
                             f"the answer is {counterexample['expected']}", counterexample=counterexample)
    if status == "unparsed":
        return result(False, f"could not read the formula: {step['message']}")
    return result(False, f"could not decide: {step['message']}")
