"""`new_deck`: a deck with one working example of every kind, which validates as it stands."""

from __future__ import annotations

import pytest

from tutor.content import bundled_content_dir, load_library
from tutor.interop import ScaffoldError, new_deck
from tutor.study.validate import check_engines


def test_the_new_deck_validates_and_has_every_kind(tmp_path):
    path = new_deck("My Optimizers", tmp_path)
    assert path == tmp_path / "my-optimizers"
    lib = load_library([path])
    assert lib.errors == []
    deck = lib.decks[0]
    assert deck.id == "my-optimizers" and deck.title == "My Optimizers"
    kinds = sorted({(i.kind, getattr(i, "type", "")) for i in lib.items.values()})
    assert kinds == [("card", "basic"), ("card", "choice"), ("card", "cloze"), ("card", "typed"),
                     ("derivation", ""), ("drill", ""), ("problem", "")]
    assert [e.day for e in deck.plan] == [0, 3]
    assert [s.id for s in deck.lessons] == ["momentum"]
    assert sorted(deck.lessons[0].prepares) == sorted(lib.items)
    # ids carry the deck id, so the example never clashes with the shipped deck
    assert load_library([bundled_content_dir(), path]).errors == []


def test_the_drill_and_derivation_examples_pass_their_engines(tmp_path):
    lib = load_library([new_deck("engines", tmp_path)])
    assert [str(p) for p in check_engines(lib)] == []


def test_the_examples_are_real_answers(tmp_path):
    lib = load_library([new_deck("real", tmp_path)])
    drill = lib.items["real-momentum-drill"]
    pytest.importorskip("numpy")
    from tutor.drills import check_drill

    answer = ("def momentum_step(param, grad, m, lr, beta1=0.9):\n"
              "    m = beta1 * m + (1 - beta1) * grad\n"
              "    return param - lr * m, m\n")
    result = check_drill(drill, answer)
    assert result["status"] == "pass", result["message"]
    assert check_drill(drill, drill.starter)["status"] != "pass"


def test_every_field_is_explained_by_a_comment(tmp_path):
    path = new_deck("commented", tmp_path)
    text = "\n".join(p.read_text() for p in sorted(path.rglob("*")) if p.is_file())
    for key in ("id:", "title:", "ladder:", "plan:", "type:", "options:", "answer:", "explain:", "accept:",
                "time_limit_min:", "target_min:", "hints:", "rubric:", "key_points:", "function:", "starter:",
                "reference:", "cases:", "mistakes:", "symbols:", "definitions:", "start:", "goal:", "solution:",
                "day:", "prepares:"):
        assert any(key in line and "#" in line.split(key, 1)[1] for line in text.splitlines()), key
    assert "tutor content validate" in (path / "deck.yaml").read_text()


def test_refuses_an_existing_folder_and_a_name_without_letters(tmp_path):
    new_deck("twice", tmp_path)
    with pytest.raises(ScaffoldError, match="already exists"):
        new_deck("twice", tmp_path)
    with pytest.raises(ScaffoldError, match="cannot make a deck id"):
        new_deck("!!!", tmp_path)


def test_a_title_with_quotes_and_unicode_stays_as_written(tmp_path):
    lib = load_library([new_deck('Réseaux "neuronaux": #1', tmp_path)])
    assert lib.errors == [] and lib.decks[0].title == 'Réseaux "neuronaux": #1'
    assert lib.decks[0].id == "reseaux-neuronaux-1"


def test_new_deck_command_end_to_end(cli, tmp_path):
    result = cli("new-deck", "Scratch", "--dir", str(tmp_path))
    assert result.code == 0, result.err
    assert cli("content", "validate", "--quick", str(tmp_path / "scratch")).code == 0
