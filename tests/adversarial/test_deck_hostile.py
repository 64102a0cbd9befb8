"""Hostile decks: every scalar PyYAML can make, tags, huge files, FIFOs, devices, loops.

A deck may come from anyone. Each attack must give `FILE:LINE: at KEY.PATH: message`, never
"internal error"; `tutor due` and `drill list` go on with the good decks and say in one line
which deck was left out and why; no file is read before its size is known.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import LINALG
from tutor.content import load_library

DECK = "id: hostile\ntitle: Hostile deck\n"
CARD = "cards:\n  - id: {id}\n    title: A card\n    type: basic\n    back: fine\n    front: {front}\n"

HUGE_INT = "9" * 5000

# What PyYAML would turn into a crash or an object: (name, front scalar, words in the message)
SCALARS = {
    "impossible date": ("2024-13-45", None),
    "impossible date-time": ("2024-02-30 25:61:00", None),
    "5000-digit integer": (HUGE_INT, "number longer than"),
    "5000-digit hex integer": ("0x" + "f" * 5000, "number longer than"),
    "float overflowing to inf": ("1.0e+999", "not finite"),
    "explicit infinity": (".inf", "not finite"),
    "not a number": (".nan", "not finite"),
    "python object tag": ("!!python/object/apply:os.system ['echo pwned']",
                          "!!python/object/apply:os.system is not"),
    "python name tag": ("!!python/name:os.system", "tag !!python/name:os.system"),
    "binary tag": ("!!binary aGVsbG8=", "tag !!binary "),
    "set tag": ("!!set {a, b}", "tag !!set "),
    "custom tag": ("!exec rm", "tag !exec "),
    "int tag on text": ("!!int twelve", "is not a valid !!int"),
    "float tag on text": ("!!float many", "is not a valid !!float"),
}


def _deck(root: Path, name: str, cards: str) -> Path:
    deck = root / name
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(DECK.replace("hostile", name))
    (deck / "cards.yaml").write_text(cards)
    return deck


@pytest.mark.parametrize("front, words", SCALARS.values(), ids=SCALARS.keys())
def test_every_scalar_is_text_or_a_located_problem(tmp_path, front, words):
    _deck(tmp_path, "hostile", CARD.format(id="one", front=front))
    library = load_library([tmp_path])
    if words is None:  # a date-like scalar is the text the author wrote
        assert not library.errors
        assert library.items["one"].front == front
    else:
        assert len(library.errors) == 1
        assert "cards.yaml:6: at cards.0.front: " in library.errors[0] and words in library.errors[0]


@pytest.mark.parametrize("key", ["9" * 900, HUGE_INT, "<<", "!!python/object:os.system x", "2024-13-45"],
                         ids=["900 digits", "5000 digits", "merge", "python tag", "date"])
def test_hostile_keys_are_located_problems(tmp_path, key):
    _deck(tmp_path, "hostile", CARD.format(id="one", front="ok") + f"    {key}: value\n")
    library = load_library([tmp_path])
    assert library.errors and all(":7: at " in e for e in library.errors)
    assert "one" not in library.items


@pytest.mark.parametrize("front", [HUGE_INT, "1.0e+999", "!!python/name:os.system"], ids=["int", "float", "tag"])
@pytest.mark.parametrize("command", [("due", "--deck", "linalg"), ("drill", "list"), ("content", "list")],
                         ids=["due", "drill list", "content list"])
def test_a_bad_deck_does_not_stop_the_good_ones(cli, tmp_path, front, command):
    _deck(tmp_path, "hostile", CARD.format(id="one", front=front))
    result = cli("--content", str(tmp_path), "--content", str(LINALG), *command)
    assert result.code == 0, result.err
    assert "internal error" not in result.err
    if command[0] == "due":
        assert "eigenvector-definition" in result.out  # the good deck is studied
        warning = [line for line in result.err.splitlines() if "hostile" in line]
        assert len(warning) == 1 and "cards.yaml:6: at cards.0.front" in warning[0]


def test_a_deck_whose_deck_yaml_is_broken_is_named_as_skipped(cli, tmp_path):
    deck = _deck(tmp_path, "hostile", CARD.format(id="one", front="ok"))
    (deck / "deck.yaml").write_text(f"id: hostile\ntitle: {HUGE_INT}\n")
    result = cli("--content", str(tmp_path), "--content", str(LINALG), "due", "--deck", "linalg")
    assert result.code == 0 and "eigenvector-definition" in result.out
    assert "deck " in result.err and "was skipped" in result.err and "deck.yaml:2: at title" in result.err


def test_many_keys_deep_nesting_and_aliases_are_bounded(tmp_path):
    keys = "".join(f"    k{n}: v\n" for n in range(60_000))
    nested = "cards:\n" + "".join("  " * d + f"- a{d}:\n" for d in range(1, 200))
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    for name, text in (("many", CARD.format(id="one", front="ok") + keys), ("deep", nested), ("laughs", bomb)):
        _deck(tmp_path, name, text)
    started = time.monotonic()
    library = load_library([tmp_path])
    assert time.monotonic() - started < 30
    files = {e.split(":", 1)[0].split("/")[-2] for e in library.errors}
    assert files == {"many", "deep", "laughs"}
    assert any("nested deeper" in e for e in library.errors)
    assert any("anchors and aliases" in e for e in library.errors)


@pytest.mark.parametrize("raw, expected", [
    (b"\xef\xbb\xbf" + CARD.format(id="one", front="ok").encode(), None),
    (CARD.format(id="one", front="a\x00b").encode(), ":6: at (top): control character U+0000"),
    (CARD.format(id="one", front="a\x1bb").encode(), ":6: at (top): control character U+001B"),
    (CARD.format(id="one", front="ok").encode() + b"    notes: \xff\xfe\n", ":7: at (top): file is not UTF-8"),
])
def test_boms_nuls_and_invalid_utf8(tmp_path, raw, expected):
    deck = _deck(tmp_path, "hostile", "")
    (deck / "cards.yaml").write_bytes(raw)
    library = load_library([tmp_path])
    if expected is None:
        assert not library.errors and "one" in library.items
    else:
        assert len(library.errors) == 1 and expected in library.errors[0]


def test_a_sparse_30_gb_file_is_refused_without_reading_it(tmp_path):
    deck = _deck(tmp_path, "hostile", CARD.format(id="one", front="ok"))
    with open(deck / "more.yaml", "wb") as fh:
        fh.truncate(30 * 1024 ** 3)
    started = time.monotonic()
    library = load_library([tmp_path])
    assert time.monotonic() - started < 5
    assert any("more.yaml:1: at (top): file is larger than 8 MB" in e for e in library.errors)
    assert "one" in library.items


def test_a_sparse_file_is_not_read_by_the_single_item_lookup(cli, tmp_path):
    deck = _deck(tmp_path, "hostile", CARD.format(id="one", front="ok"))
    with open(deck / "drills.yaml", "wb") as fh:
        fh.truncate(30 * 1024 ** 3)
    started = time.monotonic()
    result = cli("--content", str(tmp_path), "drill", "show", "nothing-here")
    assert time.monotonic() - started < 10
    assert result.code == 2 and "unknown drill" in result.err


@pytest.mark.parametrize("make", ["fifo", "device", "loop", "dangling"])
def test_fifos_devices_and_symlink_loops_are_refused_at_once(tmp_path, make):
    deck = _deck(tmp_path, "hostile", CARD.format(id="one", front="ok"))
    target = deck / "more.yaml"
    if make == "fifo":
        os.mkfifo(target)  # reading it would block forever
    elif make == "device":
        target.symlink_to("/dev/zero")  # endless
    elif make == "loop":
        target.symlink_to(deck / "other.yaml")
        (deck / "other.yaml").symlink_to(target)
    else:
        target.symlink_to(deck / "gone.yaml")
    started = time.monotonic()
    library = load_library([tmp_path])
    assert time.monotonic() - started < 5
    assert "one" in library.items
    found = [e for e in library.errors if "more.yaml:1: at (top):" in e]
    assert len(found) == 1
    assert ("not a regular file" in found[0]) if make in ("fifo", "device") else ("cannot read file" in found[0])


@pytest.mark.parametrize("make", ["sparse", "fifo"])
def test_a_lesson_file_is_sized_before_it_is_read(tmp_path, make):
    deck = _deck(tmp_path, "hostile", CARD.format(id="one", front="ok"))
    (deck / "lessons").mkdir()
    lesson = deck / "lessons" / "01-intro.md"
    if make == "sparse":
        with open(lesson, "wb") as fh:
            fh.truncate(30 * 1024 ** 3)
    else:
        os.mkfifo(lesson)
    started = time.monotonic()
    library = load_library([tmp_path])
    assert time.monotonic() - started < 5
    found = [e for e in library.errors if "01-intro.md:1: at (top):" in e]
    assert found and ("larger than" in found[0] if make == "sparse" else "not a regular file" in found[0])
