"""The mistakes a learner keeps making: every named mistake a check finds is counted per
learner, `tutor stats` lists them most frequent first, and an item whose named mistake recurs in
two of its last three checks comes back the next day, even after history is replayed."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import LINALG, REPO
from tutor.content.library import load_item
from tutor.schedule import GOOD
from tutor.study import open_study
from tutor.study.mistakes import named_mistakes, recurring

DAY = "2026-03-02T09:00:00"
NO_BIAS_CORRECTION = """\
import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    param = param - lr * m / (np.sqrt(v) + eps)
    return param, m, v
"""
ROOTS = [REPO / "content", LINALG]


def _drill_result(mistake: str | None) -> dict:
    return {"version": 3, "drill": "adam-step", "status": "fail" if mistake else "pass", "message": None,
            "tests": [], "diagnosis": {"id": mistake, "message": "..."} if mistake else None,
            "duration_s": 0.1, "confinement": []}


def test_two_drill_checks_without_bias_correction_count_twice(cli, tmp_path):
    answer = tmp_path / "answer.py"
    answer.write_text(NO_BIAS_CORRECTION)
    for _ in range(2):
        assert cli("drill", "check", "adam-step", str(answer), now=DAY).code == 1
    stats = cli("stats", "--json", now=DAY).json()
    assert stats["mistakes"] == [{"id": "no-bias-correction", "item": "adam-step", "count": 2,
                                  "last": stats["mistakes"][0]["last"]}]
    assert stats["mistakes"][0]["last"].startswith("2026-03-02")
    assert "no-bias-correction on adam-step x2" in cli("stats", now=DAY).out


def test_a_typed_miss_is_counted_and_an_empty_answer_is_not(cli):
    assert cli("answer", "hp-default-lr", "0.1", now=DAY).code == 1
    assert cli("answer", "hp-default-lr", "   ", now=DAY).code == 1
    assert cli("answer", "hp-default-lr", "1e-3", now=DAY).code == 0
    mistakes = cli("stats", "--json", now=DAY).json()["mistakes"]
    assert [(m["id"], m["item"], m["count"]) for m in mistakes] == [("wrong-number", "hp-default-lr", 1)]


def test_a_derivation_line_equal_to_an_authored_mistake_is_named_by_its_place():
    derivation = load_item(ROOTS, "bias-correction-first-moment")
    message = derivation.mistakes[1].message
    result = {"status": "fail", "steps": [{"line": 1, "status": "ok", "message": None},
                                          {"line": 2, "status": "wrong", "message": message},
                                          {"line": 3, "status": "wrong", "message": "not equal"}]}
    assert named_mistakes(derivation, result) == ("mistake-2",)


def test_an_unknown_diagnosis_is_not_a_named_mistake():
    drill = load_item(ROOTS, "adam-step")
    assert named_mistakes(drill, _drill_result("made-up")) == ()
    assert named_mistakes(drill, {"diagnosis": "no-bias-correction"}) == ()


def test_recurring_needs_two_of_the_last_three():
    assert recurring([{"a"}, set(), {"a"}]) == "a"
    assert recurring([{"a"}, {"b"}, set(), {"a"}]) is None
    assert recurring([{"a", "b"}]) is None


def test_a_mistake_made_in_two_of_three_checks_brings_the_item_back_tomorrow(home, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", DAY)
    study = open_study(home, roots=ROOTS)
    try:
        drill, today = study.item("adam-step"), study.today()
        item = load_item(ROOTS, "adam-step")
        _, first = study.review(drill.id, GOOD)
        assert first.due > today + timedelta(days=1)  # the ladder's next rung, days away
        for mistake in ("no-bias-correction", None, "no-bias-correction"):
            study.save_attempt(item, _drill_result(mistake))
        _, state = study.review(drill.id, GOOD)
        assert state.due == today + timedelta(days=1)
        study.store.rebuild_states(study.schedule_key(), study.scheduler_for)
        assert study.store.state(drill.id).due == today + timedelta(days=1)  # the log keeps it
        assert study.store.live_reviews(drill.id)[-1].detail["recurring_mistake"] == "no-bias-correction"
    finally:
        study.close()


def test_one_mistake_in_three_checks_leaves_the_schedule_alone(home, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", DAY)
    study = open_study(home, roots=ROOTS)
    try:
        item = load_item(ROOTS, "adam-step")
        for mistake in ("no-bias-correction", None, None):
            study.save_attempt(item, _drill_result(mistake))
        _, state = study.review(item.id, GOOD)
        assert state.due > date.fromisoformat(DAY[:10]) + timedelta(days=1)
    finally:
        study.close()
