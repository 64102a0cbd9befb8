"""Variant items: seeds reproduce, a review (Again too) brings a new variant, validation finds an
impossible `where:`, a non-finite answer and colliding names at their lines, and the texts show
the drawn numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.content import load_library
from tutor.content.models import Card
from tutor.schedule import AGAIN, GOOD
from tutor.study import open_study
from tutor.study.answers import check_answer
from tutor.study.validate import check_engines
from tutor.study.variants import draw, drawn_item, fill, seed_for, shown, template

DECK = "id: drawn\ntitle: Drawn\n"
CARD = """cards:
  - id: window
    type: typed
    title: Window
    front: 'With $\\beta = {β}$ and $\\frac{g}{2}$, the window is? ({t})'
    params:
      β: [0.5, 0.8, 0.9, 0.95, 0.99, 0.999]
      t: {from: 1, to: 1000}
    answer:
      number: 1/(1-β)
    back: 'It is {answer}, at $t^{{t}}$ and $x^{t}$.'
"""


def _write(root: Path, cards: str = CARD) -> Path:
    deck = root / "drawn"
    deck.mkdir(parents=True, exist_ok=True)
    (deck / "deck.yaml").write_text(DECK, encoding="utf-8")
    (deck / "cards.yaml").write_text(cards, encoding="utf-8")
    return deck


def _item(tmp_path: Path, cards: str = CARD):
    library = load_library([_write(tmp_path, cards)])
    assert library.errors == []
    return next(iter(library.items.values()))


def _issues(tmp_path: Path, cards: str) -> list[str]:
    library = load_library([_write(tmp_path, cards)])
    return [*library.errors, *(str(issue) for issue in check_engines(library))]


def test_a_seed_always_draws_the_same_variant_and_others_differ(tmp_path):
    card = _item(tmp_path)
    assert draw(card, 7) == draw(card, 7)
    questions = {drawn_item(card, seed)[0].front for seed in range(20)}
    assert len(questions) >= 10


def test_the_question_and_back_show_the_numbers_and_leave_latex_alone(tmp_path):
    card = _item(tmp_path)
    shown_card, drawn = drawn_item(card, 3)
    beta, t = drawn.params["beta"], drawn.params["t"]
    assert shown_card.front == f"With $\\beta = {shown(beta)}$ and $\\frac{{g}}{{2}}$, the window is? ({shown(t)})"
    assert shown_card.back == f"It is {shown(1 / (1 - beta), 4)}, at $t^{{{shown(t)}}}$ and $x^{{t}}$."
    assert isinstance(t, int)


def test_values_are_shown_as_people_write_them():
    assert [shown(x) for x in (0.9, 3e-4, 1000.0, 2000.0000000002, 2.44185, -0.00125, 1.5e7, 2.5e16)] == \
        ["0.9", "3e-4", "1,000", "2,000", "2.44185", "-0.00125", "15,000,000", "2.5e16"]


def test_a_miss_shows_the_worked_numbers_and_a_right_answer_passes(tmp_path):
    card = _item(tmp_path)
    shown_card, drawn = drawn_item(card, 5)
    right = check_answer(shown_card, drawn.question and f"{drawn.answer:.3g}", drawn=drawn)
    assert right.correct
    wrong = check_answer(shown_card, "12345", drawn=drawn).to_dict()
    assert not wrong["correct"] and wrong["params"] == drawn.params and wrong["question"] == shown_card.front
    assert "worked:" in wrong["message"]
    assert wrong["worked"] == [f"answer = 1/(1-β) = 1/(1-{shown(drawn.params['beta'])}) = {shown(drawn.answer, 4)}"]


def test_the_same_variant_comes_back_until_answered_and_again_brings_a_new_one(tmp_path, home):
    deck = _write(tmp_path)
    study = open_study(home, [str(deck)])
    card = load_library([deck]).items["window"]
    first, drawn = study.drawn(card)
    study.close()
    restarted = open_study(home, [str(deck)])
    assert restarted.drawn(card)[0].front == first.front  # a restart shows the same numbers
    restarted.review("window", AGAIN, detail=drawn.detail())
    after_again, _ = restarted.drawn(card)
    assert after_again.front != first.front
    assert restarted.store.live_reviews("window")[0].detail["variant"] == {"seed": drawn.seed, "params": drawn.params}
    restarted.review("window", GOOD, detail=restarted.drawn(card)[1].detail())
    assert restarted.store.variant_counts() == [("window", 2, 2, 1)]
    restarted.close()


IMPOSSIBLE_WHERE = CARD.replace("    answer:", "    where: [t > 1000]\n    answer:")
INFINITE = CARD.replace("0.999]", "0.999, 1]")
COLLIDING = CARD.replace("      t: {from", "      beta: [0.1]\n      t: {from")
UNKNOWN_NAME = CARD.replace("number: 1/(1-β)", "number: 1/(1-gamma)")


@pytest.mark.parametrize(("cards", "line", "words"), [
    (IMPOSSIBLE_WHERE, 9, "no draw of the params in 200 meets the conditions (t > 1000)"),
    (INFINITE, 10, "answer.number: variant"),
    (COLLIDING, 8, "'beta' collides with 'β' (both read as 'beta')"),
    (UNKNOWN_NAME, 10, "gamma is not a param"),
], ids=["impossible where", "non-finite answer", "colliding params", "unknown name"])
def test_validation_names_the_line_of_each_failure(tmp_path, cards, line, words):
    (issue,) = _issues(tmp_path, cards)
    assert issue.startswith(f"{tmp_path / 'drawn' / 'cards.yaml'}:{line}: at window."), issue
    assert words in issue


def test_a_non_finite_answer_says_which_values_and_why(tmp_path):
    (issue,) = _issues(tmp_path, INFINITE)
    assert "with beta = 1, t = " in issue
    assert "division by zero" in issue


def test_a_formula_card_gets_the_drawn_numbers_in_its_formula(tmp_path):
    cards = """cards:
  - id: m-one
    type: typed
    title: m1
    front: 'With $\\beta_1 = {b}$, what is $m_1$ in terms of $g$?'
    params:
      b: [0.8, 0.9, 0.95]
    answer:
      formula: (1-b)*g
      symbols:
        g: {}
"""
    card = _item(tmp_path, cards)
    assert isinstance(card, Card)
    shown_card, drawn = drawn_item(card, 1)
    beta = drawn.params["b"]
    assert check_answer(shown_card, f"{1 - beta:.6g}*g", drawn=drawn).correct
    assert not check_answer(shown_card, "g", drawn=drawn).correct
    assert _issues(tmp_path, cards) == []


def test_fill_only_replaces_known_names_with_known_formats(tmp_path):
    card = _item(tmp_path)
    parsed = template(card)
    variant = draw(card, seed_for(card.id, 0), parsed)
    assert fill("{unknown} {β:.2f} {t:!r}", variant, parsed.spellings).split()[0] == "{unknown}"
    assert fill("{t:!r}", variant, parsed.spellings) == "{t:!r}"
    assert "{t:!r}: a format is" in _issues(tmp_path, CARD.replace("({t})", "({t:!r})"))[0]


def test_the_command_line_follows_the_review_number_and_stats_count_the_variants(tmp_path, cli):
    deck = str(_write(tmp_path))
    before = cli("--content", deck, "answer", "window", "1", "--json").json()
    assert cli("--content", deck, "answer", "window", "1", "--json").json()["question"] == before["question"]
    assert cli("--content", deck, "review", "window", "--rating", "again").code == 0
    after = cli("--content", deck, "answer", "window", "1", "--json").json()
    assert after["seed"] == seed_for("window", 1) and after["question"] != before["question"]
    assert cli("--content", deck, "review", "window", "--rating", "good").code == 0
    stats = cli("--content", deck, "stats", "--json").json()
    assert stats["variants"] == [{"id": "window", "variants": 2, "answers": 2, "right": 0.5}]
    assert "Variant items: window 2 variants, 50% right of 2" in cli("--content", deck, "stats").out


def test_an_anki_export_leaves_variant_items_out(tmp_path, cli):
    deck = str(_write(tmp_path))
    result = cli("--content", deck, "export", "--format", "anki", str(tmp_path / "out.apkg"), "--json")
    bundled = cli("export", "--format", "anki", str(tmp_path / "adam.apkg"), "--json").json()
    assert result.json()["skipped"]["variant card"] == bundled["skipped"]["variant card"] + 1
    assert result.json()["notes"] == bundled["notes"]


def test_the_next_review_never_repeats_the_last_numbers_while_others_exist(tmp_path):
    two = _item(tmp_path, CARD.replace("0.5, 0.8, 0.9, 0.95, 0.99, 0.999]", "0.5, 0.9]").replace(
        "      t: {from: 1, to: 1000}\n", "").replace(" ({t})", "").replace(", at $t^{{t}}$ and $x^{t}$", ""))
    shown_before = drawn_item(two, seed_for(two.id, 0))[1]
    for n in range(1, 30):
        following = drawn_item(two, seed_for(two.id, n), avoid=shown_before.params)[1]
        assert following.params != shown_before.params
        shown_before = following
    one = _item(tmp_path / "one", CARD.replace("0.5, 0.8, 0.9, 0.95, 0.99, 0.999]", "0.9]").replace(
        "t: {from: 1, to: 1000}", "t: [5]"))
    only = drawn_item(one, 0)[1]
    assert drawn_item(one, 1, avoid=only.params)[1].params == only.params  # the only variant there is
