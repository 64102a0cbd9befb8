"""FSRS fitted to the learner's own log: a learner with known memory is recognised, young logs
and misused ratings change nothing, and the simulator's figures add up."""

from __future__ import annotations

import json

import pytest

from tests.conftest import db_rows
from tests.fsrs_learner import TRUE_PARAMETERS, backup_of, learner_reviews
from tutor.schedule import HARD, fold
from tutor.schedule.fitting import (
    Habits,
    best_trade,
    read_log,
    retrievability,
    simulate,
    training_items,
)
from tutor.schedule.fsrs_scheduler import FsrsScheduler, default_parameters
from tutor.study import Study, open_study
from tutor.study.optimize import recall_calibration

NOW = "2025-03-01T12:00:00"


def _home(cli, tmp_path, reviews, scheduler: str = "ladder"):
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(backup_of(reviews)))
    result = cli("--scheduler", scheduler, "import", str(path), now=NOW)
    assert result.code == 0, result.err


def _study(home, scheduler: str = "ladder") -> Study:
    return open_study(home, scheduler=scheduler)


def _fold(study, item, scheduler):
    return fold(scheduler, (r.as_review() for r in study.store.live_reviews(item)))


def _snapshot(home):
    return db_rows(home, ("reviews", "item_state", "fsrs_parameters", "meta"))


@pytest.fixture(scope="module")
def learner():
    return learner_reviews(3000, seed=1)


def test_a_learner_with_known_memory_gets_parameters_that_predict_them_better(cli, home, tmp_path, learner):
    from fsrs_rs_python import FSRS

    _home(cli, tmp_path, learner, scheduler="fsrs")
    run = cli("--scheduler", "fsrs", "optimize", "--json", now=NOW)
    assert run.code == 0, run.err
    result = run.json()
    assert result["status"] == "fitted", result["message"]
    assert result["log_loss"]["fitted"] < result["log_loss"]["default"]
    assert result["reviews"] >= 1500 and len(result["parameters"]) == 21
    assert result["parameters"] != [round(p, 4) for p in default_parameters()]
    # Held out: the same learner's next reviews, never seen by the fit.
    later = learner_reviews(6000, seed=1)
    held_out = training_items(read_log((n, item, day.toordinal(), rating, None)
                                       for n, (item, day, rating, _) in enumerate(later)))
    held_out = held_out[len(held_out) // 2:]
    fitted = FSRS(result["parameters"]).evaluate(held_out).log_loss
    assert fitted < FSRS(list(default_parameters())).evaluate(held_out).log_loss
    # The schedule now runs on them: history was replayed under the fitted parameters.
    study = _study(home, "fsrs")
    item = learner[0][0]
    assert study.store.state(item) == _fold(study, item, FsrsScheduler(parameters=study.fsrs_parameters(None)))
    assert study.store.state(item) != _fold(study, item, FsrsScheduler())
    fitted_row = study.store.fsrs_parameters()[None]
    assert fitted_row.reviews == result["reviews"] and fitted_row.fitted_at.startswith("2025-03-01")
    study.close()


def test_a_young_log_is_not_enough_and_changes_nothing(cli, home, tmp_path, learner):
    _home(cli, tmp_path, learner[:30], scheduler="fsrs")
    before = _snapshot(home)
    run = cli("--scheduler", "fsrs", "optimize", "--json", now=NOW)
    assert run.code == 0, run.err
    result = run.json()
    assert result["status"] == "not-enough-data"
    assert f"{512 - result['reviews']} more" in result["message"] and "items" in result["message"]
    assert result["parameters"] == [round(p, 4) for p in default_parameters()]
    assert _snapshot(home) == before


def test_hard_pressed_for_forgotten_items_is_reported_and_changes_nothing(cli, home, tmp_path, learner):
    misused = [(item, day, HARD if rating == 1 and n % 20 else rating, ms)
               for n, (item, day, rating, ms) in enumerate(learner)]
    _home(cli, tmp_path, misused, scheduler="fsrs")
    before = _snapshot(home)
    run = cli("--scheduler", "fsrs", "optimize", now=NOW)
    assert run.code == 0, run.err
    assert "press Again when you forgot" in run.out and "Nothing changed" in run.out
    assert _snapshot(home) == before


def test_reset_returns_to_the_defaults_and_keeps_every_review(cli, home, tmp_path, learner):
    _home(cli, tmp_path, learner, scheduler="fsrs")
    assert cli("--scheduler", "fsrs", "optimize", "--json", now=NOW).json()["status"] == "fitted"
    before = db_rows(home, ("reviews",))
    result = cli("--scheduler", "fsrs", "optimize", "--reset", "--json", now=NOW).json()
    assert result["parameters"] == [round(p, 4) for p in default_parameters()]
    assert db_rows(home, ("reviews",)) == before
    study = _study(home, "fsrs")
    item = learner[0][0]
    assert study.store.state(item) == _fold(study, item, FsrsScheduler())
    assert len(study.store.con.execute("SELECT * FROM fsrs_parameters").fetchall()) == 2  # history kept
    study.close()


def test_ladder_learners_see_how_fsrs_predicts_their_recall(cli, home, tmp_path, learner):
    _home(cli, tmp_path, learner)
    study = _study(home)
    result = recall_calibration(study)
    study.close()
    assert result["reviews"] > 1500
    assert sum(b["reviews"] for b in result["bins"]) == result["reviews"]
    for b in result["bins"]:
        assert b["from"] <= b["predicted"] < b["to"] or b["to"] == 1.0
    assert abs(result["mean_predicted"] - result["measured"]) < 0.05


# -- the simulator ----------------------------------------------------------------------------


def test_a_tiny_hand_made_case():
    """One item, always Good at first sight, costing 20 s; its first-Good stability is 100 days,
    so in 10 days it is never due again: 20 s over 10 days, remembered as the curve says on day 9."""
    parameters = list(default_parameters())
    parameters[2] = 100.0
    habits = Habits((0.0, 0.0, 1.0, 0.0), (0.0, 1.0, 0.0), ((40.0, 30.0, 20.0, 10.0), (4.0, 3.0, 2.0, 1.0),
                                                            (400.0, 300.0, 200.0, 100.0)))
    rows = simulate(parameters, [0.8, 0.9], days=10, deck_size=1, new_per_day=5, learner=habits)
    assert [r["retention"] for r in rows] == [0.8, 0.9]
    for row in rows:
        assert row["minutes_per_day"] == round(20 / 60 / 10, 2)
        assert row["remembered"] == round(retrievability(parameters, 9, 100.0), 1)


def test_minutes_rise_with_retention_on_the_learners_own_log(cli, home, tmp_path, learner):
    _home(cli, tmp_path, learner)
    run = cli("simulate", "--retention", "0.95,0.8,0.85,0.9", "--days", "30", "--json", now=NOW)
    assert run.code == 0, run.err
    result = run.json()
    rows = result["rows"]
    assert [r["retention"] for r in rows] == [0.8, 0.85, 0.9, 0.95]
    minutes = [r["minutes_per_day"] for r in rows]
    assert minutes == sorted(minutes) and minutes[0] < minutes[-1]
    assert result["best"] in (0.8, 0.85, 0.9, 0.95)


def test_the_best_trade_is_where_extra_minutes_stop_paying():
    rows = [{"retention": 0.8, "minutes_per_day": 10.0, "remembered": 500.0},
            {"retention": 0.85, "minutes_per_day": 11.0, "remembered": 560.0},
            {"retention": 0.9, "minutes_per_day": 13.0, "remembered": 590.0},
            {"retention": 0.95, "minutes_per_day": 25.0, "remembered": 600.0}]
    # Items per extra minute: 60, then 15, then under 1: the knee is 0.90.
    assert best_trade(rows)["retention"] == 0.9
    assert best_trade(rows[:1])["retention"] == 0.8
    assert best_trade([]) is None


@pytest.mark.parametrize("retentions, days, why", [
    ("0.5", "30", "outside"), (",", "30", "give 1 to"), ("0.9", "0", "days"), ("0.9", "100000", "days"),
    ("0.9,nine", "30", "fractions"), ("0.9", "thirty", "invalid int")])
def test_the_simulator_refuses_what_it_cannot_run(cli, retentions, days, why):
    run = cli("simulate", "--retention", retentions, "--days", days, "--json")
    assert run.code == 2 and run.out == ""
    assert why in run.err and run.err.count("\n") == 1 and "Traceback" not in run.err


def test_the_learners_true_parameters_are_valid_and_not_the_defaults():
    from tutor.schedule.fsrs_scheduler import check_parameters

    assert check_parameters(list(TRUE_PARAMETERS)) != default_parameters()
