"""Lessons: loading, the cross-file checks and their `FILE:LINE: at KEY.PATH: message` reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import LINALG, REPO
from tutor.content import load_library
from tutor.content.lessons import display_markdown, plain_text

ADAM = REPO / "content" / "adam"
PAGE_PARTS = ["sgd-problems", "momentum-rmsprop", "adam-algorithm", "bias-correction", "hyperparameters",
              "adam-from-scratch", "adamw", "adam-vs-sgd", "warmup-schedules", "debugging", "variants",
              "adam-paper", "cheat-sheet"]

DECK = """\
id: tiny
title: Tiny deck
plan:
  - day: 0
    goal: start
    items: [one]
"""
CARDS = """\
cards:
  - id: one
    type: basic
    title: One
    front: Question?
    back: Answer.
  - id: two
    type: basic
    title: Two
    front: Question two?
    back: Answer two.
"""
LESSON = """\
---
day: 0
prepares:
  - one
  - two
---
# The basics

Some text with $\\beta_1$ and a [link](item:one) to [this](lesson:basics).
"""


def make_deck(root: Path, lesson: str | None = LESSON, name: str = "01-basics.md") -> Path:
    deck = root / "tiny"
    (deck / "lessons").mkdir(parents=True)
    (deck / "deck.yaml").write_text(DECK, encoding="utf-8")
    (deck / "cards.yaml").write_text(CARDS, encoding="utf-8")
    if lesson is not None:
        (deck / "lessons" / name).write_text(lesson, encoding="utf-8")
    return deck


def problems_of(deck: Path) -> list[str]:
    return load_library([deck]).errors


def test_every_part_of_the_page_has_a_lesson_and_every_item_one_section():
    lib = load_library([ADAM])
    assert lib.errors == []
    (deck,) = lib.decks
    assert [lesson.id for lesson in deck.lessons] == PAGE_PARTS
    prepared = [item for lesson in deck.lessons for item in lesson.prepares]
    assert sorted(prepared) == sorted(item.id for item in deck.items)
    assert deck.lesson_for("adam-update-rule").id == "adam-algorithm"
    assert deck.lesson("bias-correction").title == "Bias correction"
    assert {lesson.day for lesson in deck.lessons} <= set(deck.ladder)


def test_a_good_lesson_loads_with_its_headings_and_day(tmp_path):
    deck = make_deck(tmp_path)
    lib = load_library([deck])
    assert lib.errors == []
    (lesson,) = lib.decks[0].lessons
    assert (lesson.id, lesson.title, lesson.day, lesson.prepares) == ("basics", "The basics", 0, ("one", "two"))
    assert lesson.headings[0].line == 7 and lesson.text_line == 7


@pytest.mark.parametrize(("lesson", "line", "path", "words"), [
    (LESSON.replace("item:one", "item:nine"), 9, "text", "link to unknown item 'nine'"),
    (LESSON.replace("lesson:basics", "lesson:basix"), 9, "text", "unknown section 'basix'"),
    (LESSON.replace("item:one", "../cards.yaml"), 9, "text", "use item:ID"),
    (LESSON.replace("  - two\n", "  - three\n"), 5, "prepares.1", "'three' is not an item of deck 'tiny'"),
    (LESSON.replace("  - two\n", "  - one\n"), 5, "prepares.1", "already prepared by section 'basics'"),
    (LESSON.replace("$\\beta_1$", "$\\frac{1}{2$"), 9, "text", "'{' never closed"),
    (LESSON.replace("$\\beta_1$", "$\\betta_1$"), 9, "text", "unknown command \\betta"),
    (LESSON.replace("$\\beta_1$", "$5 and more"), 9, "text", "not closed on the same line"),
    (LESSON.replace("day: 0", "day: 5"), 2, "day", "not on the deck's ladder"),
    (LESSON.replace("day: 0", "dya: 0"), 2, "dya", "unknown key 'dya'"),
    (LESSON.replace("# The basics", "The basics"), 7, "text", "opens with its '# Title' line"),
    (LESSON.replace("---\nday", "day"), 1, "(top)", "starts with front matter"),
    ("\n  \n", 1, "(top)", "file is empty"),
    (LESSON.split("# The")[0], 7, "text", "no text after its front matter"),
])
def test_a_broken_lesson_is_reported_at_its_file_and_line(tmp_path, lesson, line, path, words):
    deck = make_deck(tmp_path, lesson)
    found = [p for p in problems_of(deck) if "01-basics.md" in p]
    assert found, problems_of(deck)
    assert found[0].startswith(f"{deck / 'lessons' / '01-basics.md'}:{line}: at {path}: "), found
    assert words in found[0], found


def test_an_item_without_a_section_is_reported_at_the_item(tmp_path):
    deck = make_deck(tmp_path, LESSON.replace("  - two\n", ""))
    (problem,) = problems_of(deck)
    assert problem.endswith("cards.yaml:7: at two: no lesson prepares 'two': name it under 'prepares:' in one "
                            "of tiny/lessons/*.md")


def test_code_is_not_checked_as_maths_or_links(tmp_path):
    code = "\n```python\nprice = '$5'  # [not](a-link)\n```\n\nInline `cost = $3` too.\n"
    deck = make_deck(tmp_path, LESSON + code)
    assert problems_of(deck) == []


def test_two_files_for_one_section_and_a_bad_file_name(tmp_path):
    deck = make_deck(tmp_path)
    shutil.copy(deck / "lessons" / "01-basics.md", deck / "lessons" / "basics.md")
    (deck / "lessons" / "02-Bad Name.md").write_text(LESSON, encoding="utf-8")
    found = problems_of(deck)
    assert any("basics.md:1: at (top): section 'basics' is already defined" in p for p in found), found
    assert any("02-Bad Name.md:1: at (top): name the file NN-section-id.md" in p for p in found), found


def test_a_deck_without_a_lessons_folder_needs_no_sections():
    lib = load_library([LINALG])
    assert lib.errors == [] and lib.decks[0].lessons == ()


def test_an_empty_lessons_folder_requires_sections_for_every_item(tmp_path):
    deck = make_deck(tmp_path, lesson=None)
    assert [p.split(": at ")[1].split(":")[0] for p in problems_of(deck)] == ["one", "two"]


def test_validate_command_reports_lesson_problems_with_exit_status_2(cli, tmp_path):
    deck = make_deck(tmp_path, LESSON.replace("item:one", "item:nine").replace("  - two\n", ""))
    result = cli("content", "validate", str(deck))
    assert result.code == 2
    assert "01-basics.md:8: at text: link to unknown item 'nine'" in result.out + result.err
    assert "cards.yaml:7: at two: no lesson prepares 'two'" in result.out + result.err


def test_display_markdown_turns_maths_to_unicode_but_leaves_code_alone():
    text = "Prose $\\hat{m}_t$ and `x = $a$`.\n\n```python\ns = '$\\\\beta$'\n```\n"
    shown = display_markdown(text)
    assert "m̂ₜ" in shown and "`x = $a$`" in shown and "s = '$\\\\beta$'" in shown


def test_plain_text_of_a_lesson_reads_without_markup():
    (deck,) = load_library([ADAM]).decks
    text = plain_text(deck.lesson("bias-correction"), width=80)
    assert text.startswith("Bias correction\n===============\n")
    assert "$" not in text and "](" not in text and "**" not in text and "\\" not in text
    assert "1000  1.0000    1.0000        0.6323      1.58" in text  # the table, aligned
    assert max(len(line) for line in text.splitlines()) <= 80


def test_editing_a_lesson_refreshes_the_cached_content_problems(tmp_path):
    from tutor.store import Store
    from tutor.study import catalog

    deck = make_deck(tmp_path / "decks")
    store = Store.open(tmp_path / "home")
    try:
        assert catalog.refresh(store, [deck]) == ([], [])
        (deck / "lessons" / "01-basics.md").write_text(LESSON.replace("item:one", "item:gone"), encoding="utf-8")
        problems, _ = catalog.refresh(store, [deck])
        assert any("link to unknown item 'gone'" in p for p in problems)
    finally:
        store.close()


def test_display_markdown_can_reduce_internal_links_to_their_text():
    text = "See [the drill](item:one), [a part](lesson:two) and [docs](https://example.org).\n"
    shown = display_markdown(text, keep_links=False)
    assert shown.startswith("See the drill, a part and [docs](https://example.org).")
