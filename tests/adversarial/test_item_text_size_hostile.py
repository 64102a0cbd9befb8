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

CARDS = """\
cards:
  - id: fine
    type: basic
    title: A card of normal size
    front: 'What is asked?'
    back: 'What is answered.'
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


def _cards(front: str = "Asked?", back: str = "Answered.") -> str:
    return CARDS.format(front=json.dumps(front), back=json.dumps(back))  # JSON strings are YAML


ATTACKS = {
    "a 5 MB front": (_cards(front="x" * 5_000_000), "cards.yaml:10: at cards.1.front: is 5000000 characters long"),
    "a back of 200,000 lines": (_cards(back="\n".join(["y"] * 200_000)),
                                "cards.yaml:11: at cards.1.back: is 399999 characters"),
    "a front of short lines past the line limit": (_cards(front="a\n" * (MAX_FRONT[1] + 1)),
                                                   f"is {MAX_FRONT[1] + 1} lines long: at most"),
    "a 1 MB problem prompt": (PROBLEM.format(prompt=json.dumps("z " * 500_000)), "at problems.0.prompt: is "),
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
