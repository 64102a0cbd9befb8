"""`tutor content validate` warns when a card's title or front already shows its answer."""

from __future__ import annotations

from tests.content.test_malformed_decks import GOOD_DECK
from tutor.content import bundled_content_dir, load_library
from tutor.content.library import content_warnings

LEAKY = """\
cards:
  - id: one
    type: typed
    title: Adaptive Moment Estimation
    front: What does Adam stand for?
    accept: ["Adaptive Moment Estimation"]
  - id: two
    type: cloze
    title: Two
    front: "The {{c1::first moment}} and the {{c2::first moment's square}}"
  - id: three
    type: typed
    title: Learning rate 1e-3
    front: What is the default learning rate?
    answer: {number: 0.001}
  - id: four
    type: typed
    title: Four
    front: Write m_hat (e.g. m_t/(1-beta1^t))
    answer: {formula: m_t/(1-beta1^t), symbols: {m_t: {}, beta1: {}, t: {}}}
  - id: fine
    type: cloze
    title: The correction factor
    front: "Adam starts with {{c1::0}} and {{c2::0}}."
"""


def deck(tmp_path, cards: str):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "deck.yaml").write_text(GOOD_DECK)
    (folder / "cards.yaml").write_text(cards)
    return folder


def test_each_kind_of_leak_is_a_warning_at_its_line(tmp_path):
    lib = load_library([deck(tmp_path, LEAKY)])
    found = {(w.path, w.line) for w in content_warnings(lib)}
    assert found == {("one.title", 4), ("two.front", 10), ("three.title", 13), ("four.front", 19)}


def test_warnings_are_printed_but_the_deck_still_validates(cli, tmp_path):
    folder = deck(tmp_path, LEAKY.replace("items: [one]", "items: []"))
    (folder / "deck.yaml").write_text(GOOD_DECK.replace("items: [one]", "items: []"))
    result = cli("content", "validate", "--quick", str(folder))
    assert result.code == 0 and result.out.startswith("ok")
    assert "warning: " in result.err and "at one.title: the title gives away the answer" in result.err
    document = cli("content", "validate", "--quick", "--json", str(folder)).json()
    assert len(document["warnings"]) == 4 and document["ok"]


def test_the_adam_deck_gives_nothing_away():
    assert [str(w) for w in content_warnings(load_library([bundled_content_dir()]))] == []
