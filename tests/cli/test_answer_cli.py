"""`tutor answer ID TEXT`: exit 0 right, 1 wrong, 2 bad input; --json is one document."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import subprocess_env


def test_a_formula_written_differently_is_right(cli):
    result = cli("answer", "adam-bias-corrected-first-moment", "m/(1-beta1**t)")
    assert result.code == 0 and result.out.startswith("RIGHT")


def test_a_wrong_formula_shows_values_that_tell_them_apart(cli):
    result = cli("answer", "adam-bias-corrected-first-moment", "m_t/(1-beta2^t)", "--json")
    assert result.code == 1
    document = result.json()
    assert set(document) == {"item", "correct", "expected", "kind", "message", "counterexample"}
    assert document["correct"] is False and document["kind"] == "formula"
    example = document["counterexample"]
    assert {"beta1", "beta2", "t"} <= set(example["at"]) and example["given"] != example["expected"]


def test_a_number_in_any_spelling(cli):
    assert cli("answer", "hp-default-lr", "1 × 10⁻³").code == 0
    wrong = cli("answer", "hp-default-lr", "0.01", "--json")
    assert wrong.code == 1 and wrong.json()["diff"] == "0.0[+0]1" and wrong.json()["expected"] == "0.001"


def test_a_text_miss_prints_the_diff(cli):
    result = cli("answer", "adam-name", "Adaptive Gradient Estimation")
    assert result.code == 1 and "Adaptive [-Gradi][+Mom]ent Estimation" in result.out


def test_bad_input_is_one_line_and_exit_two(cli):
    for args in (("nope", "1"), ("adam-update-rule", "1")):
        result = cli("answer", *args)
        assert result.code == 2 and len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_text_and_number_answers_never_import_sympy(tmp_path):
    code = ("import sys; from tutor.cli import main; main(['answer', 'hp-default-lr', '1e-3']); "
            "main(['answer', 'adam-name', 'adaptive moment estimation']); "
            "sys.stderr.write(str(sorted(m for m in ('sympy', 'numpy', 'textual') if m in sys.modules)))")
    env = subprocess_env(TUTOR_HOME=str(tmp_path))  # the checks are stored there
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stderr.strip() == "[]", done.stderr


def _typed_deck(root, value: str, accepted: str):
    deck = root / "quick"
    deck.mkdir(parents=True, exist_ok=True)
    (deck / "deck.yaml").write_text("id: quick\ntitle: Quick\nplan:\n  - day: 0\n    goal: all\n"
                                    "    items: [quick-lr, quick-name]\n")
    (deck / "cards.yaml").write_text(
        "cards:\n"
        f"  - id: quick-lr\n    type: typed\n    title: A rate\n    front: Which rate?\n"
        f"    answer: {{number: {value}}}\n"
        f"  - id: quick-name\n    type: typed\n    title: A name\n    front: Which name?\n"
        f"    accept: [{accepted}]\n")
    return deck


def test_an_edited_deck_is_graded_against_its_new_answer(cli, tmp_path):
    root = tmp_path / "decks"
    _typed_deck(root, "1e-3", "Adam")
    assert cli("answer", "quick-lr", "0.001", "--content", str(root)).code == 0
    assert cli("answer", "quick-name", "adam", "--content", str(root)).code == 0
    _typed_deck(root, "3e-4", "AdamW")  # the catalog still holds the old answers
    assert cli("answer", "quick-lr", "0.001", "--content", str(root)).code == 1
    assert cli("answer", "quick-lr", "0.0003", "--content", str(root)).code == 0
    assert cli("answer", "quick-name", "adam", "--content", str(root)).code == 1
    assert cli("answer", "quick-name", "adamw", "--content", str(root)).code == 0


def test_a_damaged_answer_key_in_the_store_is_not_trusted(cli, home):
    import sqlite3

    assert cli("answer", "hp-default-lr", "0.001").code == 0  # fills the catalog
    for damaged in ("not json", '{"kind": "number", "expected": "1", "accept": [], "number": [1, "x", 0]}',
                    '{"kind": "text", "expected": "x", "accept": [3], "number": null}', '[]'):
        con = sqlite3.connect(home / "tutor.db")
        with con:
            con.execute("UPDATE catalog_items SET answer = ? WHERE id IN ('hp-default-lr', 'adam-name')", (damaged,))
        con.close()
        assert cli("answer", "hp-default-lr", "1e-3").code == 0
        assert cli("answer", "hp-default-lr", "0.01").code == 1
        assert cli("answer", "adam-name", "adaptive moment estimation").code == 0



def test_with_the_catalog_filled_a_number_or_text_answer_parses_no_yaml(tmp_path):
    env = subprocess_env(TUTOR_HOME=str(tmp_path))
    subprocess.run([sys.executable, "-m", "tutor", "due"], env=env, capture_output=True, timeout=60, check=True)
    code = ("import sys; from tutor.cli import main; a = main(['answer', 'hp-default-lr', '1e-3']); "
            "b = main(['answer', 'adam-name', 'adaptive moment']); "
            "loaded = sorted(m for m in ('yaml', 'tutor.content.models') if m in sys.modules); "
            "sys.stderr.write(f'{a} {b} {loaded}')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stderr.strip() == "0 1 []", done.stderr


def test_a_variant_card_is_checked_against_the_numbers_drawn_for_it_not_a_kept_key(cli):
    drawn = cli("answer", "vary-second-adam-step", "0", "--json").json()  # also fills the catalog
    again = cli("answer", "vary-second-adam-step", drawn["expected"], "--json")
    assert again.code == 0 and again.json()["seed"] == drawn["seed"] and "params" in again.json()
