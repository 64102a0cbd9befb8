"""Whether a number card's tolerance grades what its question asks for.

A question that asks for "(three decimals)" or "(3 significant figures)" makes two promises:
the value written so is right, and its neighbour one unit in the last place away is wrong.
A tolerance tighter than that breaks the first: the card marks its own answer, written as
asked, wrong; no author means that, so it is an error. A tolerance looser than that breaks
the second: a wrong rounding passes; an author may mean it (to forgive rounded intermediate
values) and no right answer is lost, so it is a warning. A tolerance that accepts 0 for an
answer that is not 0 (rtol >= 1, or atol >= the value) passes a learner who knows nothing:
an error, asked precision or not.
"""

from __future__ import annotations

from fractions import Fraction

from tutor.content.models import Card, Item, NumberAnswer
from tutor.content.numbers import Precision, asked_precision, at_precision, close_enough, one_number

_COUNTS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _described(asked: Precision) -> str:
    count = _COUNTS.get(asked.digits, str(asked.digits))
    if asked.significant:
        return f"{count} significant figure{'s' if asked.digits > 1 else ''}"
    return f"{count} decimal{'s' if asked.digits > 1 else ''}"


def _unit(value: float, asked: Precision) -> Fraction:
    """One unit in the last place of `value` written at the asked precision."""
    if not asked.significant:
        return Fraction(1, 10 ** asked.digits)
    exponent = int(f"{value:.{asked.digits - 1}e}".split("e")[1])  # after rounding, as at_precision
    return Fraction(10) ** (exponent - asked.digits + 1)


def tolerance_error(value: float, rtol: float, atol: float, question: str) -> str | None:
    """Why this tolerance cannot grade `question`'s answer `value`, or None."""
    if value != 0 and close_enough(0, value, rtol, atol):
        return (f"rtol {rtol:g} and atol {atol:g} accept 0 as the answer {value:g}: a tolerance is "
                "a small share of the value (rtol < 1, atol < |value|)")
    asked = asked_precision(question)
    if asked is None:
        return None
    written = at_precision(value, asked)
    if close_enough(one_number(written), value, rtol, atol):
        return None
    return (f"the question asks for {_described(asked)}, but rtol {rtol:g} and atol {atol:g} reject "
            f"{written}, the answer written so; use atol: {float(_unit(value, asked) / 2):g}")


def tolerance_warning(value: float, rtol: float, atol: float, question: str) -> str | None:
    """Why this tolerance passes a wrong rounding of `question`'s answer `value`, or None."""
    asked = asked_precision(question)
    if asked is None:
        return None
    written = one_number(at_precision(value, asked))
    unit = _unit(value, asked)
    for neighbour in (written - unit, written + unit):
        if close_enough(neighbour, value, rtol, atol):
            shown = at_precision(float(neighbour), asked)
            return (f"the question asks for {_described(asked)}, but rtol {rtol:g} and atol {atol:g} also "
                    f"accept {shown}, which is wrong at that precision; atol: {float(unit / 2):g} accepts "
                    "only the right rounding")
    return None


def loose_tolerance(item: Item) -> list[tuple[str, str]]:
    """(key path, message) when a number card's tolerance passes a wrong rounding (variant
    cards are left out: one relative tolerance cannot match every drawn value's last place)."""
    if not isinstance(item, Card) or not isinstance(item.expects, NumberAnswer) or item.expects.expr is not None:
        return []
    expects = item.expects
    problem = tolerance_warning(expects.value, expects.rtol, expects.atol, item.front)
    return [("answer", problem)] if problem else []
