"""The mock interview's session and report (`tutor.study.mock`): one drill, one derivation, one
problem and quick-fire cards, picked by weakness (a recent named mistake first, then the lowest
predicted recall, cards round the sections), interleaved, within the minutes given."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tutor.schedule import AGAIN, EASY, GOOD, HARD
from tutor.study.mock import CARD_ANSWER_S, Answer, Candidate, pick, quick_fire, report

NOW = "2026-03-02T09:00:00"


def _c(item_id: str, kind: str, section: str, recall: float, mistaken: bool = False,
       seconds: float = 60.0) -> Candidate:
    return Candidate(item_id, "adam", kind, item_id.title(), (section,), recall, mistaken, seconds)


def _candidates() -> list[Candidate]:
    return [
        _c("d-strong", "drill", "adam", 0.9, seconds=300), _c("d-weak", "drill", "adam", 0.2, seconds=300),
        _c("d-mistake", "drill", "adamw", 0.95, True, seconds=300),
        _c("v-1", "derivation", "bias", 0.5, seconds=600), _c("p-1", "problem", "sgd", 0.1, seconds=180),
        *[_c(f"c-{s}-{n}", "card", s, n / 10, seconds=15) for s in ("adam", "sgd", "bias") for n in range(5)],
    ]


def test_one_of_each_big_kind_by_weakness_and_cards_round_the_sections():
    picks = pick(_candidates(), 30)
    kinds = [p.kind for p in picks]
    assert kinds.count("drill") == kinds.count("derivation") == kinds.count("problem") == 1
    assert next(p for p in picks if p.kind == "drill").id == "d-mistake"  # the recent mistake beats low recall
    assert next(p for p in picks if p.kind == "drill").why == "a recent named mistake"
    cards = [p.id for p in picks if p.kind == "card"]
    assert cards[:3] == ["c-adam-0", "c-sgd-0", "c-bias-0"]  # each section's weakest before any second
    assert cards[3:6] == ["c-adam-1", "c-sgd-1", "c-bias-1"]
    assert len(cards) == 15  # 18 min of big items leave room for every card
    assert kinds[0] == "card" and kinds[-1] == "card"  # interleaved: the big items sit between runs of cards
    assert [k for k in kinds if k != "card"] == ["drill", "derivation", "problem"]


def test_without_mistakes_the_lowest_recall_comes_first():
    weak = [c for c in _candidates() if c.id != "d-mistake"]
    assert next(p for p in pick(weak, 30) if p.kind == "drill").id == "d-weak"


def test_a_short_mock_trades_a_long_item_for_one_that_fits_and_keeps_room_for_cards():
    candidates = [*_candidates(), _c("d-short", "drill", "adam", 0.99, seconds=120)]
    picks = pick(candidates, 10)
    assert sum(p.seconds for p in picks) <= 10 * 60
    big = [p.id for p in picks if p.kind != "card"]
    assert big == ["d-short", "p-1"]  # no derivation fits in 7.5 minutes with them
    assert any(p.kind == "card" for p in picks)


def test_a_sixty_second_problem_is_a_quick_fire_question_not_the_problem_slot():
    """A fresh home, where every item is equally weak, got the first problem in plan order for its
    problem slot: "Explain Adam", a one-minute answer, after 20 minutes of drill and derivation."""
    equal = [_c("d-1", "drill", "adam", 0.0, seconds=600), _c("v-1", "derivation", "bias", 0.0, seconds=300),
             Candidate("p-cheat", "adam", "problem", "Explain Adam", ("cheat-sheet",), 0.0, False, 60.0, False,
                       quick_fire("problem", 1)),
             Candidate("p-opening", "adam", "problem", "Plateau", ("diagnosing",), 0.0, False, 300.0, False,
                       quick_fire("problem", 5)),
             *[_c(f"c-{n}", "card", f"s{n}", 0.0) for n in range(3)]]
    picks = pick(equal, 30)
    assert [p.id for p in picks if p.kind != "card" and p.id != "p-cheat"] == ["d-1", "v-1", "p-opening"]
    assert "p-cheat" in [p.id for p in picks]  # asked, as the quick question it is
    assert quick_fire("card", None) and quick_fire("problem", 1) and not quick_fire("problem", 3)
    assert not quick_fire("drill", None)


def test_a_fresh_home_mock_of_the_adam_deck_gives_its_problem_slot_minutes(cli):
    session = cli("mock", "--minutes", "30", "--deck", "adam", "--json", now=NOW).json()
    from tutor.content import bundled_content_dir, load_library

    items = load_library([bundled_content_dir()]).items
    big = [i for i in session["items"] if i["kind"] != "card" and items[i["id"]].target_min * 60 > CARD_ANSWER_S]
    assert [i["kind"] for i in big] == ["drill", "derivation", "problem"]
    assert sum(i["minutes"] for i in session["items"]) <= 30


@given(st.integers(5, 240), st.lists(st.tuples(st.sampled_from(["card", "drill", "derivation", "problem"]),
                                               st.floats(0, 1), st.booleans(), st.floats(1, 3000)), max_size=40))
def test_a_mock_never_runs_over_its_minutes_nor_asks_twice(minutes, specs):
    candidates = [_c(f"i{n}", kind, f"s{n % 4}", recall, mistaken, seconds)
                  for n, (kind, recall, mistaken, seconds) in enumerate(specs)]
    picks = pick(candidates, minutes)
    assert sum(p.seconds for p in picks) <= minutes * 60
    assert len({p.id for p in picks}) == len(picks)
    assert all(sum(p.kind == kind for p in picks) <= 1 for kind in ("drill", "derivation", "problem"))


def test_the_report_scores_sections_and_names_what_to_review_next():
    picks = {p.id: p for p in pick(_candidates(), 30)}
    answers = [Answer(picks["d-mistake"], AGAIN, 400.0, ("no-bias-correction",)),
               Answer(picks["c-adam-0"], GOOD, 20.0), Answer(picks["c-sgd-0"], HARD, 30.0),
               Answer(picks["c-bias-0"], HARD, 10.0), Answer(picks["p-1"], EASY, 100.0),
               Answer(picks["c-adam-1"], AGAIN, 60.0)]
    done = report(answers, [picks["v-1"]])
    assert done["sections"] == {"adam": 0.5, "adamw": 0.0, "bias": 0.5, "sgd": 0.75}
    assert done["score"] == 0.5
    assert done["mistakes"] == [{"id": "no-bias-correction", "item": "d-mistake"}]
    # Again first, a named mistake before a slower answer; then the Hard answer slowest against its
    # estimate (30 s of 15 before 10 s of 15); then what was not reached
    assert done["review_next"] == ["d-mistake", "c-adam-1", "c-sgd-0", "c-bias-0", "v-1"]
    assert done["unanswered"] == [{"id": "v-1", "kind": picks["v-1"].kind, "section": picks["v-1"].section,
                                   "expected_seconds": picks["v-1"].seconds}]
    first = done["answers"][0]
    assert (first["seconds"], first["expected_seconds"], first["rating_name"]) == (400.0, 300.0, "again")


def test_an_empty_report_has_no_score():
    assert report([])["score"] is None


def test_tutor_mock_json_picks_a_session_from_the_decks(cli, tmp_path):
    from tests.study.test_mistakes import NO_BIAS_CORRECTION

    answer = tmp_path / "answer.py"
    answer.write_text(NO_BIAS_CORRECTION)
    cli("drill", "check", "adam-step", str(answer), now=NOW)
    session = cli("mock", "--minutes", "30", "--deck", "adam", "--json", now=NOW).json()
    items = session["items"]
    assert session["minutes"] == 30 and sum(i["minutes"] for i in items) <= 30
    assert session["planned_minutes"] == round(sum(i["minutes"] for i in items), 1)
    assert {i["kind"] for i in items} == {"card", "drill", "derivation", "problem"}
    drill = next(i for i in items if i["kind"] == "drill")
    assert drill["id"] == "adam-step" and drill["why"] == "a recent named mistake"
    assert set(drill) == {"id", "deck", "kind", "title", "section", "minutes", "why"}
    assert {i["why"] for i in items if i["kind"] == "card"} == {"not studied yet"}
    longest = cli("mock", "--minutes", "240", "--deck", "adam", "--json", now=NOW).json()["items"]
    assert any("/c" in i["id"] for i in longest)  # cloze siblings are asked like any card


def test_a_learner_quick_at_reviews_gets_a_handful_of_interview_items(home, monkeypatch):
    """Their own median card took 3 s, so a 30-minute mock asked "1 of 205": every card of the
    deck. An item gets at least what an interview gives it, and the cards a quarter of the time."""
    from tests.tui.conftest import BUNDLED
    from tutor.content import load_library
    from tutor.study import mock, open_study
    from tutor.study.budget import OWN_AFTER

    monkeypatch.setenv("TUTOR_NOW", NOW)
    study = open_study(home, roots=[BUNDLED])
    library = load_library([BUNDLED])
    cards = [item.id for item in library.review_items() if item.kind == "card"]
    for item_id in cards[:OWN_AFTER]:
        study.review(item_id, GOOD, duration_ms=3000)
    assert study.estimates().seconds("card", None, new=False) == 3.0
    session = mock.session(study, library, ["adam"], 30)
    study.close()
    items = session["items"]
    asked_cards = [i for i in items if i["kind"] == "card"]
    assert 0 < len(asked_cards) <= 7  # a quarter of 30 minutes, a minute a card
    assert all(i["minutes"] == 1.0 for i in asked_cards)
    for big in (i for i in items if i["kind"] != "card"):
        assert big["minutes"] >= library.items[big["id"]].target_min
    assert len(items) <= 10 and session["planned_minutes"] <= 30


def test_tutor_mock_piped_prints_the_session(cli):
    text = cli("mock", "--deck", "adam", now=NOW).out
    assert "adam-step" in text and "Mock interview, 30 min" in text


def test_bad_minutes_are_one_line(cli):
    for bad in ("0", "-5", "abc", "100000", "4", "241", "²"):
        result = cli("mock", "--minutes", bad, now=NOW)
        assert result.code == 2 and len(result.err.strip().splitlines()) == 1, bad
    assert cli("mock", "--deck", "nope", now=NOW).code == 2
