"""Cards that give their answer away: a title or front that already contains an answer.

A title is shown in lists and the queue, a front before the answer; if either contains what
the learner is asked to recall, the card tests reading, not memory. `tutor content validate`
reports each as a warning (the deck still loads). Comparison is on folded text (case,
spaces, LaTeX markup and punctuation ignored) and a number answer by value (`1e-3` in a
title gives away `0.001`); answers shorter than MIN_FOLDED letters and digits (`0`, `10`)
are skipped: they occur everywhere by chance.
"""

from __future__ import annotations

import re

from tutor.content.models import Card, Item, NumberAnswer
from tutor.content.numbers import NumberError, close_enough, find_numbers
from tutor.content.text import cloze_front, cloze_indices, cloze_parts, normalize_answer

MIN_FOLDED = 3
_LATEX = re.compile(r"\\(?:left|right|mathbb|mathrm|hat|frac|cdot|,|;|!)")


def _folded(text: str) -> str:
    return normalize_answer(_LATEX.sub(" ", text))


def _answers(card: Card) -> list[tuple[str, str]]:
    """(key path, answer text) of everything the card asks the learner to produce."""
    if card.type == "cloze":
        return [(f"front.c{n}", answer) for n, answer, _ in cloze_parts(card.front)]
    if card.type == "typed":
        return [("answer" if card.expects is not None and i == 0 else "accept", a) for i, a in enumerate(card.answers)]
    return []


def card_leaks(item: Item) -> list[tuple[str, str]]:
    """(key path, message) for each answer that the title or front of a card already shows."""
    if not isinstance(item, Card):
        return []
    found: list[tuple[str, str]] = []
    title = None  # folded when a card has an answer to look for (a basic card has none)
    for path, answer in _answers(item):
        folded = _folded(answer)
        if len(folded) < MIN_FOLDED:
            continue
        title = _folded(item.title) if title is None else title
        if folded in title:
            found.append(("title", f"the title gives away the answer {answer!r}"))
        for shown_path, front in _fronts(item, path):
            if folded in _folded(front):
                found.append((shown_path, f"the front shows the answer {answer!r} before it is asked for"))
    if isinstance(item.expects, NumberAnswer) and len(f"{abs(item.expects.value):g}") >= MIN_FOLDED:
        for path, text in (("title", item.title), ("front", item.front)):
            if _shows_value(text, item.expects):
                found.append((path, f"the {path} shows the value {item.expects.value:g} that is the answer"))
    return list(dict.fromkeys(found))


def _shows_value(text: str, expects: NumberAnswer) -> bool:
    try:
        return any(close_enough(n.value, expects.value, expects.rtol, expects.atol) for n in find_numbers(text))
    except NumberError:
        return False


def _fronts(card: Card, answer_path: str) -> list[tuple[str, str]]:
    """The text shown before the answer to the review that asks for `answer_path`."""
    if card.type != "cloze":
        return [("front", card.front)]
    index = int(answer_path.rsplit(".c", 1)[1])
    if len(cloze_indices(card.front)) == 1:
        return [("front", cloze_front(card.front))]
    return [("front", cloze_front(card.front, index))]
