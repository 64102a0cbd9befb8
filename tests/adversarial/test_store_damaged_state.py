"""A database edited to hold item states no scheduler can use: an interval of NaN, -Infinity or
1e308, a number that is text, a state that is not JSON or a blob, a due day of 10^12 or of text.
Each command that reads the state says so in one line naming the item, the place in the state
and `tutor doctor --rebuild`, the same line whichever command met it; nothing is written;
`tutor doctor` names every damaged state, and `--rebuild` makes them whole from the review log,
which the edit did not touch."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import LINALG, db_rows, tamper

NOW = "2026-01-05T10:00:00"
ITEM = "det-2x2"
STATE = "UPDATE item_state SET state = {} WHERE item_id = 'det-2x2'"
TAMPER = {
    "an interval of NaN": STATE.format("replace(state, '\"interval\": 3', '\"interval\": NaN')"),
    "an interval of -Infinity": STATE.format("replace(state, '\"interval\": 3', '\"interval\": -Infinity')"),
    "a state that is a blob": STATE.format("x'7b7d'"),
    "an interval of 1e308": STATE.format("json_set(state, '$.data.interval', 1e308)"),
    "a number that is text": STATE.format("json_set(state, '$.data.rung', 'top')"),
    "a state that is not JSON": STATE.format("'{\"due\": '"),
    "a due day of 10^12": "UPDATE item_state SET due_day = 1000000000000 WHERE item_id = 'det-2x2'",
    "a due day that is text": "UPDATE item_state SET due_day = 'soon' WHERE item_id = 'det-2x2'",
}


@pytest.fixture
def damaged(cli, home, request):
    assert cli("--content", str(LINALG), "review", ITEM, "--rating", "good", now=NOW).code == 0
    tamper(home, TAMPER[request.param])
    return home


def _rows(home):
    return db_rows(home, ("reviews", "item_state"))


@pytest.mark.parametrize("damaged", list(TAMPER), indirect=True)
def test_a_damaged_state_is_one_line_naming_the_item_and_the_rebuild(cli, damaged, request):
    before = _rows(damaged)
    commands = [("due",)]  # on day 4 the item (due on Day 3) is due: `due` reads its state
    if "due day" not in request.node.callspec.params["damaged"]:  # a review rewrites the day columns
        commands.append(("review", ITEM, "--rating", "good"))
    for command in commands:
        run = cli("--content", str(LINALG), *command, now="2026-01-09T10:00:00")
        assert run.code == 2 and run.err.count("\n") == 1, (command, run.err)
        assert f"the saved state of {ITEM!r} is damaged" in run.err and "tutor doctor --rebuild" in run.err
        assert "internal error" not in run.err
    assert _rows(damaged) == before


WHERE = {"an interval of NaN": "at data.interval: NaN is not a number",
         "an interval of -Infinity": "at data.interval: -Infinity is not a number",
         "an interval of 1e308": "at data.interval: 1e+308 is beyond",
         "a number that is text": "at data.rung: 'top' is not a number",
         "a due day of 10^12": "at due_day: 1000000000000 is not a day"}


@pytest.mark.parametrize("damaged", [name for name in TAMPER if "due day" not in name], indirect=True)
def test_one_damage_is_one_message_from_every_command(cli, damaged, request):
    """`due` reads states grouped in SQL, `review` one row, `doctor` every row: whichever meets
    the damage, the learner reads the same line, naming the place in the state where there is
    one (once `due` said "not JSON" where `review` said "NaN is not a number")."""
    name = request.node.callspec.params["damaged"]
    said = {" ".join(command[:2]): cli("--content", str(LINALG), *command, now="2026-01-09T10:00:00")
            for command in [("due",), ("due", "--json"), ("review", ITEM, "--rating", "good"), ("doctor",)]}
    lines = {command: run.err.removeprefix("tutor: error: ").removeprefix(f"{damaged / 'tutor.db'}: ").strip()
             for command, run in said.items() if command != "doctor"}
    lines["doctor"] = next(line.removeprefix("damaged: ") for line in said["doctor"].out.splitlines()
                           if line.startswith("damaged: "))
    assert len(set(lines.values())) == 1, lines
    assert WHERE.get(name, "") in lines["doctor"]


@pytest.mark.parametrize("damaged", ["an interval of NaN", "a due day of 10^12"], indirect=True)
def test_doctor_names_a_damaged_state_and_rebuild_makes_it_whole(cli, damaged):
    found = cli("--content", str(LINALG), "doctor", now="2026-01-09T10:00:00")
    assert found.code == 2 and f"damaged: the saved state of {ITEM!r}" in found.out
    assert cli("--content", str(LINALG), "doctor", "--rebuild", now="2026-01-09T10:00:00").code == 0
    assert cli("--content", str(LINALG), "doctor", now="2026-01-09T10:00:00").code == 0
    assert cli("--content", str(LINALG), "review", ITEM, "--rating", "good", now="2026-01-09T10:00:00").code == 0


NEW_CARD = """  - id: rank-2x2
    type: basic
    title: Rank of a 2x2 matrix
    tags: [rank]
    front: What is the rank of $\\begin{pmatrix}1 & 2\\\\ 2 & 4\\end{pmatrix}$?
    back: One.
"""
CONTENT_CHANGES = {  # each makes the next command write the catalog before it reads any state
    "an item added": lambda cards: cards + NEW_CARD,
    "an item renamed": lambda cards: cards.replace("  - id: trace-2x2\n",
                                                   "  - id: trace-two\n    replaces: [trace-2x2]\n"),
}


@pytest.mark.parametrize("change", list(CONTENT_CHANGES))
def test_a_damaged_state_after_the_content_changed_is_refused_or_rebuilt_never_lost(cli, home, tmp_path, change):
    """The catalog is written first; then the damaged state is refused in one line as before,
    or, when a rename makes every state be folded again from the log, rebuilt from it. Either
    way the log is as it was."""
    deck = tmp_path / "linalg"
    shutil.copytree(LINALG, deck)
    assert cli("--content", str(deck), "review", ITEM, "--rating", "good", now=NOW).code == 0
    tamper(home, TAMPER["an interval of NaN"])
    reviews = db_rows(home, ("reviews",))
    cards = deck / "cards.yaml"
    cards.write_text(CONTENT_CHANGES[change](cards.read_text()))
    run = cli("--content", str(deck), "due", "--json", now="2026-01-09T10:00:00")
    if change == "an item renamed":
        assert run.code == 0 and ITEM in [entry["id"] for entry in run.json()["items"]]
        assert cli("--content", str(deck), "doctor", now="2026-01-09T10:00:00").code == 0
    else:
        assert run.code == 2 and run.err.count("\n") == 1 and "internal error" not in run.err
        assert f"the saved state of {ITEM!r} is damaged" in run.err and "tutor doctor --rebuild" in run.err
        assert "rank-2x2" in [row[0] for row in db_rows(home, ("catalog_items",))["catalog_items"]]
    assert db_rows(home, ("reviews",)) == reviews
