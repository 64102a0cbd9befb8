"""Hostile lesson files: each is refused with one FILE:LINE problem, in bounded time, and the
rest of the deck still loads. Two variants of every attack."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.content import load_library
from tutor.content.lessons import MAX_LESSON_BYTES

DECK = "id: hostile\ntitle: Hostile\n"
CARDS = "cards:\n  - id: h-one\n    type: basic\n    title: One\n    front: Q?\n    back: A.\n"
HEAD = "---\nday: 0\nprepares: [h-one]\n---\n# Title\n"


def load(tmp_path: Path, body: bytes | str, name: str = "01-attack.md"):
    deck = tmp_path / "hostile"
    (deck / "lessons").mkdir(parents=True)
    (deck / "deck.yaml").write_text(DECK)
    (deck / "cards.yaml").write_text(CARDS)
    data = body.encode() if isinstance(body, str) else body
    (deck / "lessons" / name).write_bytes(data)
    return load_library([deck])


ATTACKS = {
    # YAML bombs in the front matter
    "alias-bomb": ("---\na: &a [x, x, x]\nb: [*a, *a, *a]\n---\n# T\n", "aliases are not allowed"),
    "deep-nesting": ("---\nday: " + "[" * 200 + "]" * 200 + "\n---\n# T\n", "nested deeper"),
    # terminal escapes that would rewrite the learner's screen when the lesson is printed
    "escape-sequence": (HEAD + "Hello \x1b]0;pwned\x07 world\n", "control character U+001B"),
    "carriage-return": (HEAD + "fine\rOVERWRITTEN\n", "control character U+000D"),
    # files that are not text, or too big to be a lesson
    "binary": (b"---\nday: 0\n---\n# T\n\xff\xfe\x00\x00", "not UTF-8"),
    "huge": (HEAD + "x" * (MAX_LESSON_BYTES + 1), "larger than"),
    # links that try to leave the deck
    "path-link": (HEAD + "[x](../../../etc/passwd)\n", "use item:ID"),
    "script-link": (HEAD + "[x](javascript:alert(1))\n", "use item:ID"),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_hostile_lesson_is_one_clear_problem_and_the_cards_still_load(tmp_path, attack):
    body, words = ATTACKS[attack]
    lib = load(tmp_path, body)
    lesson_problems = [p for p in lib.errors if "01-attack.md" in p]
    assert len(lesson_problems) >= 1 and words in lesson_problems[0], lib.errors
    assert all(len(p) < 400 for p in lib.errors)
    assert "h-one" in lib.items


@pytest.mark.parametrize("body", ["$" * 300_000, "$" + "\\x" * 100_000 + "$", "{" * 300_000, "[x](" * 100_000])
def test_pathological_maths_and_links_finish_with_short_messages(tmp_path, body):
    lib = load(tmp_path, HEAD + body + "\n")
    assert all(len(p) < 400 for p in lib.errors)
