"""CSV rows a deck would refuse: Anki `#... column:` headers that leave no column for the front
and back (an IndexError before), and cloze fronts the deck loader refuses (an empty deletion,
one inside $...$), which were reported at the generated deck's temporary file. Each is one line
at the CSV's own FILE:LINE, and nothing is written."""

from __future__ import annotations

import pytest

ROWS = {
    "three columns all taken": ("#separator:Tab\n#guid column:1\n#notetype column:2\n#deck column:3\n"
                                "abc\tBasic\tDefault\n", "in.txt:5: the '#... column:' headers leave no columns"),
    "two columns both taken": ("#separator:Tab\n#guid column:1\n#tags column:2\nabc\tt1\n",
                               "in.txt:4: the '#... column:' headers leave no columns"),
    "an empty deletion": ("front,back\n\"{{c1::}} is empty\",x\n", "in.txt:2: deletion 1 ('{{c1::}} ') has an empty"),
    "a deletion inside maths": ("front,back\n\"$x = {{c1::y}}$\",x\n", "in.txt:2: deletion 1 ('{{c1::y}}') is inside"),
}


@pytest.mark.parametrize(("text", "words"), ROWS.values(), ids=ROWS.keys())
def test_a_row_the_deck_would_refuse_is_one_line_at_the_csv_line(cli, tmp_path, text, words):
    source = tmp_path / "in.txt"
    source.write_text(text)
    result = cli("import", str(source), "--format", "csv", "--deck", "hostile", "--title", "Hostile",
                 "--out", str(tmp_path / "deck"))
    assert result.code == 2 and result.err.count("\n") == 1 and words in result.err, result.err
    assert "internal error" not in result.err and ".part" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["in.txt"]  # nothing written
