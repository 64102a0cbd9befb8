"""`tutor due --json` writes its queue entries itself when piped (`render.due_json`): the same
bytes json.dumps writes from `QueueEntry.to_dict`, whatever the ids, titles and times."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.cli.render import due_json
from tutor.printable import json_printable
from tutor.study import QueueEntry

TODAY = date(2026, 6, 1)
TITLES = ['Say "why"', "Back\\slash", "Adam — β₂", "tab\there", "emoji 🧮", "plain"]


def reference(document: dict, indent: int | None) -> str:
    return json.dumps({**document, "items": [e.to_dict() for e in document["items"]]}, indent=indent,
                      ensure_ascii=False)


entries = st.builds(QueueEntry, st.text(), st.sampled_from(["adam", "linalg", "dé\"ck"]),
                    st.sampled_from(["card", "drill"]), st.text(), st.sampled_from(["overdue", "due", "new"]),
                    st.none() | st.dates(), st.floats(min_value=0, max_value=1e6))


@given(st.lists(entries, max_size=30))
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # 30 entries of text: slow under load
def test_the_entries_are_written_as_json_dumps_writes_them(queue):
    document = {"today": "2026-06-01", "counts": {"total": len(queue)}, "items": queue, "content_problems": 0}
    assert due_json(document, None) == reference(document, None)
    assert due_json(document, 2) == reference(document, 2)


def write_deck(root, cards: int) -> None:
    deck = root / "gen"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text("id: gen\ntitle: Generated\nplan:\n  - day: 0\n    goal: all\n    items: []\n")
    lines = ["cards:"]
    for n in range(cards):
        title = json.dumps(f"{TITLES[n % 6]} {n}", ensure_ascii=False)
        lines += [f"  - id: card-{n}", "    type: basic", f"    title: {title}", f"    front: Question {n}?",
                  f"    back: Answer {n}."]
    (deck / "cards.yaml").write_text("\n".join(lines) + "\n")


def test_due_json_on_a_generated_collection_is_what_json_dumps_writes(cli, home, tmp_path):
    """Overdue, due and new items with quoted, escaped and non-ASCII titles, piped."""
    write_deck(tmp_path / "content", 400)
    content = str(tmp_path / "content")
    now = f"{TODAY.isoformat()}T12:00:00"
    assert cli("due", "--content", content, now=now).code == 0  # makes the store and the catalog
    con = sqlite3.connect(home / "tutor.db")
    state = {"scheduler": "ladder", "reps": 3, "lapses": 0, "first_day": (TODAY - timedelta(days=40)).isoformat(),
             "last_day": (TODAY - timedelta(days=3)).isoformat(), "data": {"rung": 2, "graduated": False}}
    for n in range(100):  # due from 27 days ago to 2 days on: room left for new items
        due = TODAY.toordinal() + n % 30 - 27
        con.execute("INSERT INTO item_state (item_id, deck, kind, scheduler, due_day, first_day, reps, lapses, "
                    "state, last_day) VALUES (?, 'gen', 'card', 'ladder', ?, ?, 3, 0, ?, ?)",
                    (f"card-{n}", due, TODAY.toordinal() - 40,
                     json.dumps({**state, "due": date.fromordinal(due).isoformat()}), TODAY.toordinal() - 30))
    con.commit()
    con.close()

    result = cli("due", "--json", "--content", content, now=now)

    assert result.code == 0, result.err
    document = result.json()
    generated = [i for i in document["items"] if i["deck"] == "gen"]
    assert {i["status"] for i in generated} == {"overdue", "due", "new"}
    assert {i["title"].rsplit(" ", 1)[0] for i in generated} == set(TITLES)
    assert result.out == json_printable(json.dumps(document, ensure_ascii=False)) + "\n"
