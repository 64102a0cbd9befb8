"""The .apkg is read back as the zip of SQLite it is: notes, fields, tags, note types, stable ids."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest

from tests.conftest import LINALG
from tutor.content import bundled_content_dir, load_library
from tutor.interop import export_anki
from tutor.interop.anki import BASIC_FIELDS, CLOZE_FIELDS, to_html


def _read(path, tmp_path):
    with zipfile.ZipFile(path) as z:
        assert "collection.anki2" in z.namelist()
        z.extract("collection.anki2", tmp_path)
    con = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        models = json.loads(con.execute("SELECT models FROM col").fetchone()[0])
        decks = json.loads(con.execute("SELECT decks FROM col").fetchone()[0])
        notes = {}
        for guid, mid, tags, flds in con.execute("SELECT guid, mid, tags, flds FROM notes"):
            fields = flds.split("\x1f")
            model = models[str(mid)]
            notes[fields[-1]] = {"guid": guid, "model": model["name"], "type": model["type"],
                                 "field_names": [f["name"] for f in model["flds"]],
                                 "fields": fields, "tags": tags.split()}
        cards = con.execute("SELECT count(*) FROM cards").fetchone()[0]
        deck_ids = {d["name"]: int(i) for i, d in decks.items()}
    finally:
        con.close()
    return notes, cards, deck_ids


def test_the_linalg_deck_reads_back_with_the_right_notes(tmp_path):
    lib = load_library([LINALG])
    summary = export_anki(lib, tmp_path / "out.apkg")
    notes, cards, decks = _read(tmp_path / "out.apkg", tmp_path)
    assert summary.notes == len(notes) == 5 and cards == 5
    assert summary.by_type == {"basic": 2, "typed": 1, "choice": 1, "cloze": 1}
    assert "tutor::Linear algebra warm-up" in decks

    basic = notes["eigenvector-definition"]
    assert basic["model"] == "tutor Basic" and basic["type"] == 0 and basic["field_names"] == list(BASIC_FIELDS)
    assert basic["fields"][0] == "What is an eigenvector \\(v\\) of a matrix \\(A\\)?"
    assert basic["fields"][1] == "A non-zero vector with \\(Av = \\lambda v\\) for some scalar \\(\\lambda\\)."
    assert set(basic["tags"]) == {"linalg", "eigen"}

    cloze = notes["rank-nullity"]
    assert cloze["model"] == "tutor Cloze" and cloze["type"] == 1 and cloze["field_names"] == list(CLOZE_FIELDS)
    assert "{{c1::n::columns or rows?}}" in cloze["fields"][0]
    assert "\\(A \\in \\mathbb{R}^{m \\times n}\\)" in cloze["fields"][0]

    choice = notes["det-2x2"]
    assert "A. -2" in choice["fields"][0] and "C. 10" in choice["fields"][0]
    assert "<b>Answer:</b> A. -2" in choice["fields"][1] and "The sign is wrong." in choice["fields"][1]

    typed = notes["trace-2x2"]
    assert typed["fields"][1].startswith("<b>Answer:</b> 5") and "five" in typed["fields"][1]


def test_exporting_twice_gives_the_same_guids_note_types_and_decks(tmp_path):
    lib = load_library([bundled_content_dir()])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    export_anki(lib, tmp_path / "a" / "x.apkg")
    export_anki(lib, tmp_path / "b" / "x.apkg")
    first, _, decks_a = _read(tmp_path / "a" / "x.apkg", tmp_path / "a")
    second, _, decks_b = _read(tmp_path / "b" / "x.apkg", tmp_path / "b")
    assert {k: v["guid"] for k, v in first.items()} == {k: v["guid"] for k, v in second.items()}
    assert len({v["guid"] for v in first.values()}) == len(first)
    assert decks_a == decks_b


def test_the_adam_deck_exports_cards_and_problems_and_skips_the_graded_and_drawn_kinds(tmp_path):
    lib = load_library([bundled_content_dir()])
    summary = export_anki(lib, tmp_path / "adam.apkg")
    notes, cards, _ = _read(tmp_path / "adam.apkg", tmp_path)
    kinds = {k: sum(i.kind == k and i.variation is None for i in lib.items.values())
             for k in ("card", "problem", "drill", "derivation")}
    drawn = {f"variant {k}": sum(i.kind == k and i.variation is not None for i in lib.items.values())
             for k in ("card", "problem")}
    assert summary.notes == len(notes) == kinds["card"] + kinds["problem"]
    assert summary.skipped == {k: n for k, n in {**kinds, **drawn}.items()
                               if k not in ("card", "problem") and n}
    clozes = sum(v["type"] == 1 for v in notes.values())
    assert cards >= len(notes) and cards - len(notes) >= 0 and clozes == summary.by_type["cloze"]
    for note in notes.values():
        assert all("$" not in f for f in note["fields"][:2]), note  # every $...$ became MathJax
        assert "adam" in note["tags"]
    problem = next(v for k, v in notes.items() if lib.items[k].kind == "problem")
    assert "problem" in problem["tags"]


def test_html_in_a_deck_is_shown_not_run():
    assert to_html("<script>alert(1)</script> <img src=x onerror=alert(1)>") == \
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;"
    assert "href" not in to_html("[x](javascript:alert(1))")  # left as text, never a link


@pytest.mark.parametrize(("markdown", "html"), [
    ("$a < b$", "\\(a &lt; b\\)"),
    ("$$x^2$$", "\\[x^2\\]"),
    ("a **bold** `code`", "a <strong>bold</strong> <code>code</code>"),
    ("{{c1::$\\hat{v}_{t}}$}}", "{{c1::\\(\\hat{v}_{t} }\\)}}"),  # `}}` inside maths would end the deletion
    ("costs \\$5", "costs $5"),
    ("line one\nline two", "line one<br />\nline two"),
])
def test_markdown_and_maths_become_anki_html(markdown, html):
    assert to_html(markdown) == html


def test_export_command_end_to_end(cli, home, tmp_path):
    out = tmp_path / "d.apkg"
    result = cli("export", "--format", "anki", str(out), "--content", str(LINALG))
    assert result.code == 0, result.err
    notes, _, _ = _read(out, tmp_path)
    assert "det-2x2" in notes
