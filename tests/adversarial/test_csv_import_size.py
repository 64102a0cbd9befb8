"""A CSV within the size limit can still hold hundreds of thousands of one-line rows: importing
300,000 took minutes (and the deck then slowed every start), and rows with one front were numbered
by trying every earlier number. More than MAX_CARDS cards are refused at the first row past it,
in one line, with nothing written."""

from __future__ import annotations

import pytest

from tutor.interop import CsvImportError, import_csv
from tutor.interop.csvio import MAX_CARDS

ROWS = {
    "comma-separated, distinct fronts": "front,back\n" + "".join(f"q{i},a{i}\n" for i in range(MAX_CARDS + 1)),
    "Anki's tab-separated export, one front": "#separator:tab\n#html:false\n"
                                              + "".join(f"same\ta{i}\n" for i in range(MAX_CARDS + 1)),
}


@pytest.mark.parametrize("text", ROWS.values(), ids=ROWS.keys())
def test_a_csv_of_too_many_cards_is_refused_at_the_first_row_past_the_limit(tmp_path, text):
    source = tmp_path / "many.csv"
    source.write_text(text)
    with pytest.raises(CsvImportError) as refused:
        import_csv(source, tmp_path / "deck", "many", "Many")
    message = str(refused.value)
    last_line = text.count("\n")
    assert message.startswith(f"{source}:{last_line}:") and "more than 20,000 cards" in message
    assert "\n" not in message and not (tmp_path / "deck").exists()


def test_one_front_many_times_is_numbered_in_order(tmp_path):
    source = tmp_path / "same.csv"
    source.write_text("front,back\n" + "".join(f"same,a{i}\n" for i in range(50)))
    deck = import_csv(source, tmp_path / "deck", "same", "Same")
    ids = [line.split(": ", 1)[1] for line in (deck / "cards.yaml").read_text().splitlines() if "- id: " in line]
    assert ids == ["same-same", *(f"same-same-{n}" for n in range(2, 51))]


@pytest.mark.parametrize("title", ["\x1b]0;pwned\x07 Deck", "two\nlines"], ids=["terminal escape", "line break"])
def test_a_title_with_control_characters_is_named_not_its_temporary_file(tmp_path, title):
    source = tmp_path / "ok.csv"
    source.write_text("front,back\nq,a\n")
    with pytest.raises(CsvImportError) as refused:
        import_csv(source, tmp_path / "deck", "ok", title)
    assert str(refused.value) == f"the deck title {title!r} holds control characters"
    assert not (tmp_path / "deck").exists() and not list(tmp_path.glob(".*part"))
