"""The mistakes a learner keeps making: which named mistake a check found, and what to do about it.

A drill's diagnosis names a mistake from its deck (the variant in `tutor.reference.mistakes`
it matched); a derivation's wrong line can equal one of its authored mistakes (numbered
`mistake-1`, `mistake-2`, ... in the order the deck lists them); a typed card's miss is
`wrong-number`, `wrong-formula` or `wrong-text`. The store keeps each one with the attempt
that made it (`Store.add_attempt`); a mistake found in two of an item's last three checks
brings the item back the next day (`Study.review`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.content.models import Item

# A typed answer that failed for one of these reasons was not a wrong answer.
NOT_A_MISS = ("no answer given", "the answer is too long", "the checker failed", "could not decide")
RECENT_ATTEMPTS = 3
RECURS_IN = 2
TYPED_ADVICE = {
    "wrong-number": "Work the number out again on paper from the formula, step by step, before typing it.",
    "wrong-formula": "Write the formula from its definition, then check it at one simple value.",
    "wrong-text": "Say the answer aloud first; then type the term exactly as the card names it.",
}


def derivation_mistake_id(position: int) -> str:
    """The name of a derivation's authored mistake, by its 0-based position in the deck."""
    return f"mistake-{position + 1}"


def named_mistakes(item: Item, result: Mapping[str, Any]) -> tuple[str, ...]:
    """The named mistakes in one check's result (drill or derivation result JSON, or a typed
    answer's `AnswerResult.to_dict()`), without repeats, in the order found."""
    from tutor.content.models import Card, Derivation, Drill  # loaded with the item already

    if isinstance(item, Card):
        return typed_answer_mistakes(result)
    found: list[str] = []
    if isinstance(item, Drill):
        diagnosis = result.get("diagnosis")
        known = {m.id for m in item.mistakes}
        if isinstance(diagnosis, dict) and diagnosis.get("id") in known:
            found.append(str(diagnosis["id"]))
    elif isinstance(item, Derivation):
        by_message = {m.message: derivation_mistake_id(n) for n, m in enumerate(item.mistakes)}
        for step in result.get("steps") or ():
            if isinstance(step, dict) and step.get("status") == "wrong" and step.get("message") in by_message:
                found.append(by_message[step["message"]])
    return tuple(dict.fromkeys(found))


def typed_answer_mistakes(result: Mapping[str, Any]) -> tuple[str, ...]:
    """The named mistake of a typed card's answer (`AnswerResult.to_dict()`): none when right
    or when it was no answer at all, else `wrong-KIND`."""
    if result.get("correct") is False and not str(result.get("message")).startswith(NOT_A_MISS):
        return (f"wrong-{result.get('kind', 'text')}",)
    return ()


def attempt_status(result: Mapping[str, Any]) -> str:
    """pass, fail or error: a drill's or derivation's status, or whether a typed answer was right."""
    status = result.get("status") or ("pass" if result.get("correct") else "fail")
    return str(status)


def advice(item: Item | None, mistake: str) -> str:
    """One line on what to do about a mistake: the deck's message for it, else general advice."""
    from tutor.content.models import Derivation, Drill

    if isinstance(item, Drill):
        for known in item.mistakes:
            if known.id == mistake:
                return known.message
    if isinstance(item, Derivation):
        for n, wrong in enumerate(item.mistakes):
            if derivation_mistake_id(n) == mistake:
                return wrong.message
    return TYPED_ADVICE.get(mistake, "Read the item's answer again and redo it from memory tomorrow.")


def recurring(recent: Iterable[set[str]]) -> str | None:
    """The mistake found in at least two of the last three checks (newest first), if any."""
    counts: dict[str, int] = {}
    for names in list(recent)[:RECENT_ATTEMPTS]:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    return next((name for name, n in counts.items() if n >= RECURS_IN), None)
