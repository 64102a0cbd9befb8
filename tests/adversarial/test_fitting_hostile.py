"""A hostile review log (an edited database) given to the optimizer, the simulator and the
calibration: each is one `FittingError` line naming the review, and nothing is written."""

from __future__ import annotations

import json

import pytest

from tests.conftest import db_rows, tamper
from tests.fsrs_learner import backup_of, learner_reviews
from tutor.schedule.fitting import MAX_SEQUENCE, FittingError, read_log, training_items
from tutor.study import open_study
from tutor.study.optimize import recall_calibration

TAMPER = {
    "a rating of 2.5": "UPDATE reviews SET rating = 2.5 WHERE id = 40",
    "a rating of 3.999": "UPDATE reviews SET rating = 3.999 WHERE id = 40",
    "a study day that is text": "UPDATE reviews SET day = 'yesterday' WHERE id = 40",
    "a study day before year 1": "UPDATE reviews SET day = -5 WHERE id = 40",
    "a study day after year 9999": "UPDATE reviews SET day = 100000000000 WHERE id = 40",
    "a review years before the one before it":
        "UPDATE reviews SET day = day - 2000 WHERE id = (SELECT max(id) FROM reviews WHERE item_id = 'syn-00000')",
}


@pytest.fixture
def tampered(cli, home, tmp_path, request):
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(backup_of(learner_reviews(800, seed=3))))
    assert cli("--scheduler", "fsrs", "import", str(path), now="2025-03-01T12:00:00").code == 0
    tamper(home, TAMPER[request.param])
    return home


def _rows(home):
    return db_rows(home, ("reviews", "item_state", "fsrs_parameters"))


@pytest.mark.parametrize("tampered", list(TAMPER), indirect=True)
@pytest.mark.parametrize("command", [("optimize", "--json"), ("simulate", "--json"), ("optimize",)])
def test_a_tampered_log_is_one_clear_line_and_nothing_changes(cli, tampered, command):
    before = _rows(tampered)
    run = cli("--scheduler", "fsrs", *command)
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("tutor: error: ") and "review " in run.err and run.err.count("\n") == 1
    assert "internal error" not in run.err and "Traceback" not in run.err
    assert _rows(tampered) == before


@pytest.mark.parametrize("tampered", list(TAMPER)[:2], indirect=True)
def test_the_stats_calibration_refuses_a_tampered_log_too(tampered):
    study = open_study(tampered, scheduler="fsrs")
    try:
        with pytest.raises(FittingError, match="^review "):
            recall_calibration(study)
    finally:
        study.close()


@pytest.mark.parametrize("reviews_of_one_item", [5_000, 50_000])
def test_one_item_reviewed_endlessly_stays_bounded(reviews_of_one_item):
    """Training items are prefixes of an item's history: only its first reviews are used,
    so one item reviewed tens of thousands of times cannot make the work quadratic."""
    rows = [(n, "grind", 738000 + n, 3, 1000) for n in range(reviews_of_one_item)]
    items = training_items(read_log(rows))
    assert len(items) == MAX_SEQUENCE - 1
    assert max(len(item.reviews) for item in items) == MAX_SEQUENCE
