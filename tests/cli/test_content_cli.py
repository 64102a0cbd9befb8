"""Listing and reading decks from the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import LINALG


def test_full_listing_shows_every_card_type_question_then_answer(cli):
    # Regression: a choice card with no `back` crashed the full listing (tuple + str).
    result = cli("content", "list", "--deck", "linalg", "--full", "--content", str(LINALG))
    assert result.code == 0, result.err
    assert "── det-2x2 (card/choice) ──\nQ: What is" in result.out
    assert "A: -2\n  0) 1*4 - 2*3 = -2." in result.out
    assert "A: 5 | five" in result.out
    assert "rank + nullity = [columns or rows?]" in result.out and "**n**" in result.out


def test_json_listing_is_one_document_with_sources(cli):
    result = cli("content", "list", "--deck", "linalg", "--kind", "card", "--json", "--content", str(LINALG))
    assert result.code == 0
    doc = result.json()
    assert doc["count"] == 5
    first = doc["items"][0]
    assert first["id"] == "eigenvector-definition" and first["source"].endswith("cards.yaml:2")


def test_unknown_deck_and_unknown_item_are_one_line_errors(cli):
    for args in (("content", "list", "--deck", "nope"), ("review", "nope", "--rating", "good"),
                 ("due", "--deck", "nope")):
        result = cli(*args, "--content", str(LINALG))
        assert result.code == 2
        assert len(result.err.strip().splitlines()) == 1 and "nope" in result.err


def test_bad_usage_is_one_line(cli):
    result = cli("review", "eigenvector-definition", "--rating", "perfect")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "invalid choice" in result.err


def test_version(capsys):
    import pytest

    from tutor.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("tutor ")


def test_help_and_an_unknown_command_name_every_command(capsys):
    import pytest

    from tutor.cli import main
    from tutor.cli.parser import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    assert all(name in listed for name in commands)
    with pytest.raises(SystemExit):
        main(["answer", "--help"])
    assert "TEXT" in capsys.readouterr().out
    assert main(["anwser", "x", "1"]) == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'anwser'" in error and all(name in error for name in commands)


@pytest.mark.parametrize("group", ["drill", "derive"])
def test_drill_and_derive_help_name_every_action(capsys, group):
    """`tutor derive --help` listed no action at all, and `tutor drill --help` only references:
    check, list and show were there but unnamed."""
    from tutor.cli import main
    from tutor.cli.parser import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    actions = set(commands[group]._subparsers._group_actions[0].choices)
    assert {"list", "show", "check"} <= actions
    with pytest.raises(SystemExit):
        main([group, "--help"])
    listed = capsys.readouterr().out
    assert all(re.search(rf"^ +{action}\s", listed, re.MULTILINE) for action in actions), listed


def test_drill_show_solution_prints_readable_code_that_passes(cli, tmp_path):
    shown = cli("drill", "show", "adamw-step", "--solution")
    assert shown.code == 0, shown.err
    assert shown.out.startswith("import numpy as np") and "def adamw_step(" in shown.out
    answer = tmp_path / "answer.py"
    answer.write_text(shown.out)
    assert cli("drill", "check", "adamw-step", str(answer)).code == 0



def test_show_json_gives_away_no_more_than_show(cli):
    """A learner scripting `show --json` sees the prompt, not the model solution or the
    deck's reference code; `--solution` stays the one way to ask for it."""
    batchnorm = str(Path(__file__).parents[1] / "decks" / "batchnorm")
    for args in (("drill", "show", "adamw-step"), ("derive", "show", "bias-correction-first-moment"),
                 ("drill", "show", "batchnorm-forward", "--content", batchnorm)):
        shown = cli(*args, "--json")
        assert shown.code == 0, shown.err
        document = json.loads(shown.out)
        assert "solution" not in document and document["prompt"]
        assert "def " not in json.dumps(document.get("reference", "")) + json.dumps(document.get("mistakes", []))
    assert json.loads(cli("drill", "show", "batchnorm-forward", "--content", batchnorm, "--json").out)[
        "reference"] == {"file": "reference.py", "function": "batchnorm_forward"}


def test_drill_show_solution_of_a_drill_without_one_is_a_one_line_error(cli, tmp_path):
    assert cli("new-deck", "mine", "--dir", str(tmp_path)).code == 0
    drills = tmp_path / "mine" / "drills.yaml"
    text = drills.read_text()
    start, end = text.index("    solution: |"), text.index("    reference:")
    drills.write_text(text[:start] + text[end:])
    result = cli("drill", "show", "mine-momentum-drill", "--solution", "--content", str(tmp_path))
    assert result.code == 2 and result.err.count("\n") == 1 and "no model solution" in result.err
