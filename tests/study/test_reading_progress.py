"""Reading progress: sections read are kept once, and a checkpoint's reading is counted from the catalog."""

from __future__ import annotations

from tests.conftest import REPO
from tutor.study import open_study


def test_a_section_is_recorded_once_and_the_checkpoint_counts_it(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", "2026-03-02T09:00:00")
    study = open_study(tmp_path, roots=[REPO / "content"])
    try:
        day0 = study.reading("adam", 0)
        assert (day0.parts, day0.read, day0.label()) == ((1, 2, 3, 4, 5), 0, "parts 1-5")
        assert day0.unread[0] == "sgd-problems"
        assert study.mark_read("adam", "adam-algorithm") is True
        assert study.mark_read("adam", "adam-algorithm") is False  # the first reading is kept
        day0 = study.reading("adam", 0)
        assert day0.read == 1 and day0.unread[:2] == ("sgd-problems", "momentum-rmsprop")
        assert study.reading("adam", 7).label() == "part 8"
        assert study.reading("adam", 5) is None
        rows = study.store.con.execute("SELECT deck, section, day FROM lesson_reads").fetchall()
        assert rows == [("adam", "adam-algorithm", study.today().toordinal())]
    finally:
        study.close()


def test_the_reading_survives_reopening_and_a_catalog_refresh(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", "2026-03-02T09:00:00")
    study = open_study(tmp_path, roots=[REPO / "content"])
    study.mark_read("adam", "variants")
    study.close()
    study = open_study(tmp_path, roots=[REPO / "content", REPO / "tests" / "decks" / "linalg"])
    try:
        assert study.read_sections("adam") == {"variants"}
        assert [s.id for s in study.lessons("adam")][:2] == ["sgd-problems", "momentum-rmsprop"]
        assert study.lessons("linalg") == []
    finally:
        study.close()
