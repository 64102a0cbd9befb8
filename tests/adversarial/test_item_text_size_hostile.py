"""A deck whose card fronts, backs or prompts are megabytes long or hundreds of thousands of lines:
below the 8 MB file limit nothing bounded them, and every reader paid for the size (the study
screen lays out all of it as Markdown). Past what a screen shows, the text is an error at its line
(FILE:LINE: at KEY.PATH), the item is not studied and the rest of the deck is."""

from __future__ import annotations

import json

import pytest

from tests.content.test_leaks import deck
from tutor.content import load_library
from tutor.content.schema import MAX_BACK, MAX_FRONT

A_FINE_CARD = """\
cards:
  - id: fine
    type: basic
    title: A card of normal size
    front: 'What is asked?'
    back: 'What is answered.'
"""  # beside the one under attack: the rest of the deck is still studied
CARDS = A_FINE_CARD + """\
  - id: one
    type: basic
    title: A card under attack
    front: {front}
    back: {back}
"""
PROBLEM = """\
problems:
  - id: one
    title: A problem under attack
    prompt: {prompt}
    time_limit_min: 5
    target_min: 5
    answer: 'An answer.'
    rubric: {{}}
    key_points: []
"""
CHOICE = A_FINE_CARD + """\
  - id: one
    type: choice
    title: {title}
    front: 'Which one?'
    options: {options}
    answer: 0
    explain: {explain}
"""


def _choice(title: str = "A choice under attack", options: list[str] | None = None,
            explain: list[str] | None = None) -> str:
    options = options or ["this", "that"]
    return CHOICE.format(title=json.dumps(title), options=json.dumps(options),
                         explain=json.dumps(explain or ["because"] * len(options)))


def _problem(answer: str = "An answer.", hints: list[str] | None = None) -> str:
    return PROBLEM.replace("'An answer.'", json.dumps(answer)) + f"    hints: {json.dumps(hints or [])}\n"


def _cards(front: str = "Asked?", back: str = "Answered.") -> str:
    return CARDS.format(front=json.dumps(front), back=json.dumps(back))  # JSON strings are YAML


ATTACKS = {
    "a 5 MB front": (_cards(front="x" * 5_000_000), "cards.yaml:10: at cards.1.front: is 5000000 characters long"),
    "a back of 200,000 lines": (_cards(back="\n".join(["y"] * 200_000)),
                                "cards.yaml:11: at cards.1.back: is 399999 characters"),
    "a front of short lines past the line limit": (_cards(front="a\n" * (MAX_FRONT[1] + 1)),
                                                   f"is {MAX_FRONT[1] + 1} lines long: at most"),
    "a 1 MB problem prompt": (PROBLEM.format(prompt=json.dumps("z " * 500_000)), "at problems.0.prompt: is "),
    "a problem answer of 1 MB": (_problem(answer="a " * 500_000).format(prompt="Asked?"),
                                 "problems.yaml:7: at problems.0.answer: is 1000000 characters long: at most 8000"),
    "a problem answer of 300 short lines": (_problem(answer="a\n" * 300).format(prompt="Asked?"),
                                            "at problems.0.answer: is 300 lines long: at most 200"),
    "a hint of 1 MB": (_problem(hints=["h" * 1_000_000]).format(prompt="Asked?"),
                       "at problems.0.hints: entry 0 is 1000000 characters long: at most 2000"),
    "an explanation of 200,000 characters": (_choice(explain=["why", "w" * 200_000]),
                                             "cards.yaml:13: at cards.1.explain: entry 1 is 200000 characters"),
    "an explanation of 1,000 lines": (_choice(explain=["why\n" * 1_000, "why"]),
                                      "at cards.1.explain: entry 0 is 1000 lines long: at most 200"),
    "10,000 options": (_choice(options=[f"option {n}" for n in range(10_000)], explain=["why"]),
                       "cards.yaml:11: at cards.1.options: lists 10000 entries: at most 100"),
    "an option of 1 MB": (_choice(options=["o" * 1_000_000, "fine"]),
                          "at cards.1.options: entry 0 is 1000000 characters long: at most 2000"),
    "a title of 100,000 characters": (_choice(title="t" * 100_000),
                                      "cards.yaml:9: at cards.1.title: is 100000 characters long: at most 200"),
    "a title of two lines": (_choice(title="A title\nthat goes on"), "at cards.1.title: is 2 lines long: at most 1"),
}


@pytest.mark.parametrize(("text", "words"), ATTACKS.values(), ids=ATTACKS.keys())
def test_an_item_text_past_a_screen_is_an_error_at_its_line(cli, tmp_path, text, words):
    folder = deck(tmp_path, "")
    (folder / "cards.yaml").unlink()
    (folder / ("problems.yaml" if text.startswith("problems") else "cards.yaml")).write_text(text)
    library = load_library([folder])
    assert "one" not in library.items and ("fine" in library.items or "problems" in text)
    assert len(library.errors) == 1 and words in library.errors[0], library.errors
    assert "\n" not in library.errors[0]
    validated = cli("content", "validate", str(folder))
    assert validated.code == 2 and words in validated.out + validated.err
    due = cli("--content", str(tmp_path), "due", "--json")
    assert due.code == 0 and '"one"' not in due.out


def test_texts_at_the_limits_still_load(tmp_path):
    front = "\n".join(["f" * 10] * MAX_FRONT[1])[:MAX_FRONT[0]]
    back = "b" * MAX_BACK[0]
    assert "one" in load_library([deck(tmp_path, _cards(front, back))]).items
