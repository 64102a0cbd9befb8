"""CSV export (one row per item) and CSV import into a new deck that validates."""

from __future__ import annotations

import csv
import random

import pytest

from tests.conftest import LINALG
from tutor.content import bundled_content_dir, load_library
from tutor.interop import CsvImportError, export_csv, import_csv
from tutor.interop.csvio import slugify


def _deck(path):
    lib = load_library([path])
    assert lib.errors == []
    return lib


def test_export_writes_one_row_per_item_with_front_back_and_tags(tmp_path):
    lib = load_library([bundled_content_dir(), LINALG])
    out = tmp_path / "all.csv"
    assert export_csv(lib, out) == len(lib.review_items())  # a multi-deletion cloze card: a row per deletion
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["id", "deck", "kind", "front", "back", "tags"]
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == len(lib.review_items())
    assert "why-eps-floor" not in by_id
    first, second = by_id["why-eps-floor/c1"], by_id["why-eps-floor/c2"]
    assert first["front"] != second["front"] and "[...]" in first["front"] and "[...]" in second["front"]
    assert by_id["rank-nullity"]["front"].endswith("= [columns or rows?].")
    assert "**n**" in by_id["rank-nullity"]["back"]
    assert by_id["det-2x2"]["back"].startswith("Answer: -2")
    assert by_id["trace-2x2"]["back"] == "Answer: 5 | five"
    assert by_id["eigenvector-definition"]["tags"] == "eigen"
    kinds = {r["kind"] for r in rows}
    assert kinds == {"card", "problem", "drill", "derivation"}
    assert all(r["front"] and r["back"] for r in rows)


def test_quotes_commas_newlines_bom_and_empty_lines(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes("\ufefffront,back,tags\r\n"
                       '"What is 1, 2?","A ""pair""\r\non two lines","Maths, basics"\r\n'
                       "\r\n,,\r\n"
                       '"The sum is {{c1::two}}",,cloze\r\n'
                       "Ünïcode front,back with é,\r\n".encode("utf-8"))
    deck = import_csv(source, tmp_path / "deck", "mine", "My deck")
    lib = _deck(deck)
    cards = list(lib.items.values())
    assert [c.type for c in cards] == ["basic", "cloze", "basic"]
    assert cards[0].front == "What is 1, 2?" and cards[0].back == 'A "pair"\non two lines'
    assert cards[0].tags == ("maths", "basics") and cards[1].tags == ("cloze",)
    assert cards[2].id == "mine-unicode-front" and cards[2].back == "back with é"
    assert lib.decks[0].id == "mine" and lib.decks[0].title == "My deck"


def test_a_headerless_csv_and_duplicate_fronts_get_unique_ids(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("Same question?,one\nSame question?,two\nSame question!,three\n", encoding="utf-8")
    lib = _deck(import_csv(source, tmp_path / "deck", "dup", "Dups"))
    assert list(lib.items) == ["dup-same-question", "dup-same-question-2", "dup-same-question-3"]


def test_ids_taken_by_other_decks_are_avoided(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("sgd architecture,x\n", encoding="utf-8")
    lib = _deck(import_csv(source, tmp_path / "deck", "adam-vs", "T", taken_ids={"adam-vs-sgd-architecture"}))
    assert list(lib.items) == ["adam-vs-sgd-architecture-2"]


def test_anki_plain_text_export_with_its_header_lines(tmp_path):
    source = tmp_path / "anki.txt"
    source.write_text("#separator:tab\n#html:true\n#tags column:3\nFront one\tBack, with comma\tt1 t2\n",
                      encoding="utf-8")
    lib = _deck(import_csv(source, tmp_path / "deck", "anki", "From Anki"))
    card = next(iter(lib.items.values()))
    assert card.back == "Back, with comma" and card.tags == ("t1", "t2")


def test_a_thousand_rows_import_to_a_deck_that_validates(tmp_path):
    rng = random.Random(7)
    words = ["adam", "β₁", "momentum", "“quoted”", "a,b", "x\ny", "$m_t$", "#hash", "- dash", ": colon", "'"]
    source = tmp_path / "big.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["front", "back", "tags"])
        for n in range(1000):
            front = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
            writer.writerow([front, f"answer {n}: " + " ".join(rng.choice(words) for _ in range(3)),
                             rng.choice(["", "t1", "t1, t2", "Tag With Spaces"])])
    lib = _deck(import_csv(source, tmp_path / "deck", "big", "Big deck"))
    assert len(lib.items) == 1000
    assert all(i.front.strip() and i.back.strip() for i in lib.items.values())
    both = load_library([bundled_content_dir(), tmp_path / "deck"])
    assert both.errors == []  # ids carry the deck id, so they never collide with another deck


def test_export_then_import_keeps_every_front_and_back(tmp_path):
    lib = load_library([LINALG])
    export_csv(lib, tmp_path / "out.csv")
    again = _deck(import_csv(tmp_path / "out.csv", tmp_path / "deck", "copy", "Copy"))
    assert [i.id for i in again.items.values()] == [f"copy-{i.id}" for i in lib.items.values()]


@pytest.mark.parametrize(("content", "words"), [
    (b"front,back\nquestion,\n", "in.csv:2: the back (second column) is empty"),
    (b"front,back\n,answer\n", "in.csv:2: the front (first column) is empty"),
    (b"only a front\n", "in.csv:1: the back"),
    (b"front,back\n", "no cards found"),
    (b"", "no cards found"),
    (b"caf\xe9,back\n", "in.csv:1: not UTF-8"),
    (b"a,b\x00c\n", "binary data"),
    (b"{{c1::a}} and {{c2::b,x\n", "in.csv:1: deletion 2 ('{{c2::b') is malformed"),
])
def test_bad_csv_is_one_line_and_writes_nothing(tmp_path, content, words):
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    with pytest.raises(CsvImportError) as caught:
        import_csv(source, tmp_path / "deck", "d", "D")
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_bad_arguments(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("q,a\n", encoding="utf-8")
    with pytest.raises(CsvImportError, match="not a slug"):
        import_csv(source, tmp_path / "deck", "Not A Slug", "T")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("")
    with pytest.raises(CsvImportError, match="already exists"):
        import_csv(source, tmp_path / "taken", "d", "T")
    with pytest.raises(CsvImportError, match="cannot read"):
        import_csv(tmp_path / "missing.csv", tmp_path / "deck", "d", "T")


@pytest.mark.parametrize(("text", "slug"), [
    ("What is Adam's β₁?", "what-is-adam-s-1"),
    ("  --Hello,   World--  ", "hello-world"),
    ("The sum is {{c1::two::hint}}", "the-sum-is-two"),
    ("¿¡!", ""),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_import_command_end_to_end(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("front,back\nq1,a1\nq2,a2\n", encoding="utf-8")
    result = cli("import", "--format", "csv", str(source), "--deck", "mine", "--out", str(tmp_path / "mine"))
    assert result.code == 0, result.err
    assert cli("content", "validate", str(tmp_path / "mine")).code == 0


def test_an_anki_export_with_html_columns_and_metadata(tmp_path):
    source = tmp_path / "anki.txt"
    source.write_text("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
                      "#tags column:6\n"
                      "abc\tBasic\tDefault\tWhat is <b>Adam</b>?\t"
                      "Momentum<br>plus RMSprop &amp; \\(\\beta_1\\)\topt adam\n"
                      "def\tCloze\tDefault\tAdam uses {{c1::two}} moments\t\topt\n", encoding="utf-8")
    lib = _deck(import_csv(source, tmp_path / "deck", "anki", "From Anki"))
    basic, cloze = lib.items.values()
    assert basic.front == "What is Adam?" and basic.back == "Momentum\nplus RMSprop & $\\beta_1$"
    assert basic.tags == ("opt", "adam") and cloze.type == "cloze" and cloze.back == ""


def test_cells_a_spreadsheet_would_run_are_guarded_and_come_back_unchanged(tmp_path):
    deck = tmp_path / "src"
    deck.mkdir()
    (deck / "deck.yaml").write_text("id: src\ntitle: Source\n", encoding="utf-8")
    (deck / "cards.yaml").write_text(
        "cards:\n"
        "  - {id: formula, type: basic, title: F, front: '=HYPERLINK(\"http://x\")', back: '-2+3'}\n"
        "  - {id: listed, type: basic, title: L, front: '- a list item', back: '@home'}\n", encoding="utf-8")
    export_csv(load_library([deck]), tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert rows["formula"]["front"] == "'=HYPERLINK(\"http://x\")" and rows["formula"]["back"] == "'-2+3"
    assert rows["listed"]["front"] == "- a list item" and rows["listed"]["back"] == "'@home"
    back = _deck(import_csv(tmp_path / "out.csv", tmp_path / "deck", "copy", "Copy"))
    assert [(i.front, i.back) for i in back.items.values()] == [('=HYPERLINK("http://x")', "-2+3"),
                                                                 ("- a list item", "@home")]


VARIANT_DECK = """\
id: drawn
title: Drawn numbers
"""
VARIANT_CARDS = """\
cards:
  - id: drawn-factor
    type: typed
    title: A correction factor, drawn
    front: 'With beta = {beta}, what is 1/(1 - beta^t) at step t = {t}?'
    params:
      beta: [0.8, 0.9]
      t: {from: 1, to: 5}
    where: [{where}]
    answer:
      number: 1/(1-beta^t)
    back: '1/(1 - {beta}^{t}) = {answer}.'
"""


def _variant_deck(tmp_path, where: str = "t > 0"):
    deck = tmp_path / "drawn"
    deck.mkdir()
    (deck / "deck.yaml").write_text(VARIANT_DECK)
    (deck / "cards.yaml").write_text(VARIANT_CARDS.replace("{where}", where))
    return deck


def _exported_row(cli, tmp_path, deck) -> dict[str, str]:
    out = tmp_path / "out.csv"
    result = cli("export", "--format", "csv", "--content", str(deck), str(out))
    assert result.code == 0, result.err
    with out.open(encoding="utf-8", newline="") as fh:
        return next(r for r in csv.DictReader(fh) if r["id"] == "drawn-factor")


def test_a_variant_card_is_exported_as_the_learner_reads_it(cli, home, tmp_path):
    from tutor.study.variants import first_variant

    deck = _variant_deck(tmp_path)
    row = _exported_row(cli, tmp_path, deck)
    first = first_variant(load_library([deck]).items["drawn-factor"])
    assert "{beta}" not in row["front"] and "{answer}" not in row["back"]
    assert row["front"] == first.front and row["front"].startswith("With beta = 0.")
    assert row["back"].startswith("Answer: ") and "beta^t" not in row["back"]  # a number, not the expression


def test_a_variant_that_can_never_be_drawn_is_exported_as_its_template(cli, home, tmp_path):
    row = _exported_row(cli, tmp_path, _variant_deck(tmp_path, where="t > 99"))
    assert row["front"] == "With beta = {beta}, what is 1/(1 - beta^t) at step t = {t}?"
