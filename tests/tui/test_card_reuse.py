"""Issue #19: after a rating the next card shows in the same card screen. What the learner sees
must be what a new screen of that card shows, with nothing of the card before: no answer, no
verdict, no typed text, its own time; undo and Again still bring a card back."""

from __future__ import annotations

import asyncio
import html
import re
import types
from pathlib import Path

import pytest
import yaml
from textual import events
from textual.widgets import Input, OptionList
from textual.widgets._markdown import MarkdownBlock

import tutor.tui.screens.study as study_screen
from tests.tui.test_app_study import item_id, ratings, wait_for
from tutor.schedule import AGAIN

SIZE = (80, 24)
DAY0 = "2026-03-02T09:00:00"
ORDER = ["b-one", "t-one", "t-two", "c-one", "z-one", "b-two"]


@pytest.fixture
def mixed_deck(tmp_path) -> Path:
    """Day 0 holds every card type, two typed cards in a row."""
    deck = tmp_path / "decks" / "mixed"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(
        "id: mixed\ntitle: Every card type\nplan:\n"
        f"  - {{day: 0, goal: All of them., items: [{', '.join(ORDER)}]}}\n")
    (deck / "cards.yaml").write_text("""cards:
  - {id: b-one, type: basic, title: First basic, tags: [one],
     front: What colour is the first sky?, back: The first answer is blue.}
  - {id: t-one, type: typed, title: First typed, tags: [two],
     front: Type the word north., back: North it was., accept: [north]}
  - {id: t-two, type: typed, title: Second typed, tags: [two],
     front: Type the word south., back: South it was., accept: [south]}
  - {id: c-one, type: choice, title: A choice, tags: [three],
     front: Which one is a prime?, options: ["4", "7", "9"], answer: 1,
     explain: [Four is two squared., Seven is prime., Nine is three squared.]}
  - {id: z-one, type: cloze, title: A cloze, tags: [four],
     front: "The capital of France is {{c1::Paris}}.", back: A city on the Seine.}
  - {id: b-two, type: basic, title: Second basic, tags: [five],
     front: What colour is grass?, back: Grass is green.}
""")
    return deck


def screenshot(app) -> str:
    return app.export_screenshot()


def screen_text(app) -> str:
    """The screen's characters, its text runs joined (the screenshot's text, without markup)."""
    return html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", screenshot(app)))).replace("\xa0", " ")


async def start(pilot, app) -> None:
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: item_id(app) == ORDER[0])


async def on_a_new_screen(pilot, app, card: str) -> None:
    """Leave to the dashboard and come back: the same card, on a screen built for it alone."""
    await pilot.press("escape")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    await pilot.press("enter")
    await wait_for(pilot, lambda: item_id(app) == card)


async def answer(pilot, app) -> None:
    """Show the answer the way the card asks for it: space, a typed word, or a picked option."""
    card = app.screen.card
    if card.type == "typed":
        await pilot.press(*card.accept[0], "enter")
    elif card.type == "choice":
        await pilot.press("b")
    else:
        await pilot.press("space")
    await wait_for(pilot, lambda: app.screen.revealed)


async def test_each_next_card_looks_as_on_a_screen_of_its_own(make_app, mixed_deck):
    app = make_app(DAY0, roots=[mixed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        for previous, following in zip(ORDER, ORDER[1:]):
            await answer(pilot, app)
            await pilot.press("3")
            await wait_for(pilot, lambda shown=following: item_id(app) == shown)
            await pilot.pause()
            reused = screenshot(app)
            await on_a_new_screen(pilot, app, following)
            await pilot.pause()
            assert reused == screenshot(app), f"{following} after {previous} is not shown as on its own"


async def test_nothing_of_the_last_card_stays_on_the_next(make_app, mixed_deck):
    app = make_app(DAY0, roots=[mixed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await answer(pilot, app)
        assert "The first answer is blue" in screen_text(app)
        await pilot.press("3")
        await wait_for(pilot, lambda: item_id(app) == "t-one")
        await pilot.pause()
        shown = screen_text(app)
        assert "Type the word north" in shown
        assert "first sky" not in shown and "The first answer is blue" not in shown and "First basic" not in shown
        assert not app.screen.query_one("#rating").display and not app.screen.query_one("#back").display

        await answer(pilot, app)  # typed right: the verdict and the typed word show
        assert "You typed: north" in screen_text(app)
        await pilot.press("3")
        await wait_for(pilot, lambda: item_id(app) == "t-two")
        await pilot.pause()
        typed = app.screen.query_one("#typed", Input)
        assert typed.value == "" and not typed.disabled and typed.has_focus
        shown = screen_text(app)
        assert "You typed" not in shown and "North it was" not in shown and "Right" not in shown
        await pilot.press(*"south", "enter")  # the field takes the answer as on a first card
        await wait_for(pilot, lambda: app.screen.revealed)
        assert app.screen.correct is True

        await pilot.press("3")
        await wait_for(pilot, lambda: item_id(app) == "c-one")
        choices = app.screen.query_one("#choices", OptionList)
        assert not choices.disabled and choices.has_focus and choices.highlighted == 0
        await pilot.press("a")  # wrong: Again is the most it earns
        await pilot.press("1")
        await wait_for(pilot, lambda: item_id(app) == "z-one")
        await pilot.pause()
        assert "Which one is a prime" not in screen_text(app) and app.screen.correct is None


async def test_the_time_of_each_review_starts_when_its_card_shows(make_app, mixed_deck, monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr(study_screen, "time", types.SimpleNamespace(monotonic=lambda: clock["now"]))
    app = make_app(DAY0, roots=[mixed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        clock["now"] += 40  # the first card is read for 40 s
        await answer(pilot, app)
        await pilot.press("3")
        await wait_for(pilot, lambda: item_id(app) == "t-one")
        clock["now"] += 7  # the next for 7 s
        await answer(pilot, app)
        await pilot.press("3")
        await wait_for(pilot, lambda: item_id(app) == "t-two")
        durations = [r.duration_ms for r in app.study.store.live_reviews()]
        assert durations == [40_000, 7_000]


async def rate_through(pilot, app, items: list[str], rating: str = "3") -> None:
    """Answer and rate each of `items` in turn, checking each is the one shown."""
    for item in items:
        assert item_id(app) == item
        await answer(pilot, app)
        await pilot.press(rating)
        await wait_for(pilot, lambda rated=item: item_id(app) != rated or not app.screen.revealed)


async def test_undo_brings_the_last_card_back_unanswered(make_app, mixed_deck):
    app = make_app(DAY0, roots=[mixed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await rate_through(pilot, app, ORDER[:5])
        assert item_id(app) == "b-two" and ratings(app, "z-one") == [3]
        await pilot.press("u")
        await wait_for(pilot, lambda: item_id(app) == "z-one")
        await pilot.pause()
        assert ratings(app, "z-one") == [] and not app.screen.revealed
        shown = screen_text(app)
        assert "The capital of France is" in shown and "grass" not in shown and "Seine" not in shown
        await rate_through(pilot, app, ["z-one"], "4")
        assert item_id(app) == "b-two" and ratings(app, "z-one") == [4]


async def test_ctrl_z_undoes_while_a_typed_answer_has_the_focus(make_app, mixed_deck):
    """On a typed card u is a letter of the answer; ctrl+z still undoes the last rating."""
    app = make_app(DAY0, roots=[mixed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await rate_through(pilot, app, ORDER[:1])
        assert item_id(app) == "t-one"
        await pilot.press("u")
        assert item_id(app) == "t-one" and ratings(app, "b-one") == [3]
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: item_id(app) == "b-one")
        assert ratings(app, "b-one") == [] and not app.screen.revealed


async def test_a_failed_card_comes_back_after_the_others(make_app, mixed_deck):
    app = make_app(DAY0, roots=[mixed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await rate_through(pilot, app, ORDER[:1], "1")  # Again
        await rate_through(pilot, app, ORDER[1:])
        await pilot.pause()
        assert item_id(app) == "b-one" and not app.screen.revealed
        assert "The first answer is blue" not in screen_text(app)
        assert ratings(app, "b-one") == [AGAIN]
        await rate_through(pilot, app, ["b-one"])
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StudyScreen")


async def test_the_keys_line_after_each_answer_is_as_on_a_screen_of_its_own(make_app):
    """The footer's keys change as the answer shows (space goes, l for the lesson comes) and
    back on the next card; a reused screen relabels them in place and must read as a new one."""
    app = make_app(DAY0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CardScreen")
        compared = 0
        while type(app.screen).__name__ == "CardScreen" and compared < 4:
            card = item_id(app)
            await answer(pilot, app)
            await pilot.pause()
            reused = screenshot(app)
            await on_a_new_screen(pilot, app, card)
            await answer(pilot, app)
            await pilot.pause()
            assert reused == screenshot(app), f"{card}'s answer is not shown as on its own screen"
            assert app.lesson_of_answered_item() is None or "Lesson" in screen_text(app)
            compared += 1
            await pilot.press("3")
            await wait_for(pilot, lambda rated=card: item_id(app) != rated)
            await pilot.pause()
        assert compared == 4


@pytest.fixture
def plain_deck(tmp_path) -> Path:
    deck = tmp_path / "decks" / "plain"
    deck.mkdir(parents=True)
    ids = [f"p-{n}" for n in range(5)]
    (deck / "deck.yaml").write_text(
        f"id: plain\ntitle: Plain cards\nplan:\n  - {{day: 0, goal: All of them., items: [{', '.join(ids)}]}}\n")
    (deck / "cards.yaml").write_text("cards:\n" + "".join(
        f"  - {{id: {card}, type: basic, title: Card {n}, tags: [t{n}], front: 'Question {n}, one paragraph?',"
        f" back: 'Answer {n}.'}}\n" for n, card in enumerate(ids)))
    return deck


def count_frames(app, monkeypatch) -> list[str]:
    """The frames the app sends to the terminal from now on, each as the item shown."""
    frames: list[str] = []
    display = app._display

    def counted(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            frames.append(item_id(app) or "")
        display(screen, renderable)

    monkeypatch.setattr(app, "_display", counted)
    return frames


async def frames_of_rating(pilot, app, frames: list[str], following: str) -> list[str]:
    """The frames drawn from pressing Good on the answered card up to `following` being up."""
    await pilot.pause()
    frames.clear()
    await pilot.press("3")
    await wait_for(pilot, lambda: item_id(app) == following)
    await pilot.pause()
    return list(frames)


async def test_the_next_card_comes_up_in_one_frame(make_app, plain_deck, monkeypatch):
    """A rating draws the screen once, the next card whole: no frame shows it half in, with
    the last card's keys, title or progress still there (each frame costs the learner time)."""
    app = make_app(DAY0, roots=[plain_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "p-0")
        frames = count_frames(app, monkeypatch)
        for card, following in zip(["p-0", "p-1", "p-2"], ["p-1", "p-2", "p-3"]):
            await pilot.press("space")
            await wait_for(pilot, lambda: app.screen.revealed)
            assert await frames_of_rating(pilot, app, frames, following) == [following], card
            assert f"Question {following[-1]}" in screen_text(app) and "Answer" not in screen_text(app)


async def test_a_choice_or_typed_card_comes_up_in_one_frame(make_app, mixed_deck, monkeypatch):
    """The focus moves on these cards (to the options, to the answer field, back to the body):
    Textual tells the widgets a turn of the loop later, and their restyle was a second frame."""
    app = make_app(DAY0, roots=[mixed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        frames = count_frames(app, monkeypatch)
        for card, following in zip(ORDER, ORDER[1:]):
            await answer(pilot, app)
            assert await frames_of_rating(pilot, app, frames, following) == [following], card


async def test_selecting_all_of_a_card_copies_only_what_it_shows(make_app, mixed_deck):
    """A triple click selects all of the card's body for copying: the parts and blocks kept
    hidden for later cards (the last answer, its verdict, a typed word, old options) stay out,
    and the next card in the screen starts with nothing selected, as a new screen would."""
    app = make_app(DAY0, roots=[mixed_deck])
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await rate_through(pilot, app, ORDER[:4])  # a basic, two typed, a choice card
        assert item_id(app) == "z-one"
        await pilot.pause()
        await pilot.click("#front", times=3)
        selected = app.screen.get_selected_text() or ""
        assert "The capital of France is" in selected
        for hidden in ("prime", "Seven", "South it was", "south", "You picked", "first answer"):
            assert hidden not in selected, f"{hidden!r} is copied from a hidden part: {selected!r}"
        await answer(pilot, app)
        await pilot.pause()
        await pilot.click("#back", times=3)
        selected = app.screen.get_selected_text() or ""
        assert "Paris" in selected and "Seine" in selected
        assert "Seven" not in selected and "You picked" not in selected
        await pilot.press("3")  # the selection was of that card: the next shows none
        await wait_for(pilot, lambda: item_id(app) == "b-two")
        assert not app.screen.get_selected_text()


RICH_FRONT = """What does `{name}` print?

```python
{code}
```

- {first}
- {second}
"""
RICH_BACK = """### {name}

```
{printed}
```

3. {first}
4. {second}
   - {nested}

> {note}
"""


@pytest.fixture
def rich_deck(tmp_path) -> Path:
    """Cards whose text is more than paragraphs: a heading, code, lists (one nested), a quote."""
    deck = tmp_path / "decks" / "rich"
    deck.mkdir(parents=True)
    ids = ["r-0", "r-1", "r-2"]
    (deck / "deck.yaml").write_text(
        f"id: rich\ntitle: Rich cards\nplan:\n  - {{day: 0, goal: All of them., items: [{', '.join(ids)}]}}\n")
    cards = []
    for n, card in enumerate(ids):
        words = {"name": f"snippet_{n}", "code": "\n".join(f"print({k} * {n})" for k in range(n + 1)),
                 "printed": " ".join(str(k * n) for k in range(n + 1)), "first": f"one {'x' * 9 * n}",
                 "second": f"two {n}", "nested": f"deep {n}", "note": f"quoted {n}" * (n + 1)}
        cards.append({"id": card, "type": "basic", "title": f"Rich {n}", "tags": [f"t{n}"],
                      "front": RICH_FRONT.format(**words), "back": RICH_BACK.format(**words)})
    (deck / "cards.yaml").write_text(yaml.safe_dump({"cards": cards}))
    return deck


async def test_a_rich_card_after_another_reuses_its_blocks_and_looks_as_on_its_own(make_app, rich_deck):
    """Code, lists, headings and quotes of the next card go into the blocks shown (nothing is
    mounted, which would cost a second frame), and the screen reads as a new one of that card.
    The screen is tall enough for the whole card: where it scrolls is not what this compares."""
    app = make_app(DAY0, roots=[rich_deck])
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "r-0")
        await answer(pilot, app)
        for following in ["r-1", "r-2"]:
            blocks = [list(app.screen.query_one(part).query(MarkdownBlock)) for part in ("#front", "#back")]
            await pilot.press("3")
            await wait_for(pilot, lambda shown=following: item_id(app) == shown)
            await answer(pilot, app)
            await pilot.pause()
            assert [list(app.screen.query_one(part).query(MarkdownBlock)) for part in ("#front", "#back")] == blocks
            reused = screenshot(app)
            await on_a_new_screen(pilot, app, following)
            await answer(pilot, app)
            await pilot.pause()
            assert reused == screenshot(app), f"{following}'s answer is not shown as on its own screen"


async def test_a_long_answer_is_scrolled_to_as_on_a_screen_of_its_own(make_app, rich_deck):
    """At 80x24 a rich card and its answer do not fit: the body scrolls to the answer, and a
    reused screen, whose blocks were laid out for the last card, stops where a new one does."""
    app = make_app(DAY0, roots=[rich_deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: item_id(app) == "r-0")
        for following in ["r-1", "r-2"]:
            await answer(pilot, app)
            await pilot.press("3")
            await wait_for(pilot, lambda shown=following: item_id(app) == shown)
            await pilot.pause()
            assert app.screen.query_one("#card-body").scroll_y == 0
            await answer(pilot, app)
            await pilot.pause()
            reused = screenshot(app), app.screen.query_one("#card-body").scroll_y
            await on_a_new_screen(pilot, app, following)
            await answer(pilot, app)
            await pilot.pause()
            fresh = screenshot(app), app.screen.query_one("#card-body").scroll_y
            assert reused[1] == fresh[1] > 0, f"{following}'s answer: scrolled to {reused[1]}, on its own to {fresh[1]}"
            assert reused[0] == fresh[0], f"{following}'s answer is not shown as on its own screen"


SHAPES = ["Only one paragraph {n}.", "First {n}.\n\nSecond {n}.\n\n- a {n}\n- b {n}",
          "- c {n}\n- d {n}\n\nAfter the list {n}.", "One {n}.\n\nTwo {n}."]


@pytest.fixture
def shapes_deck(tmp_path) -> Path:
    """Answers of other shapes: more blocks than the last, a list first, fewer again."""
    deck = tmp_path / "decks" / "shapes"
    deck.mkdir(parents=True)
    ids = [f"s-{n}" for n in range(len(SHAPES))]
    (deck / "deck.yaml").write_text(
        f"id: shapes\ntitle: Shapes\nplan:\n  - {{day: 0, goal: All of them., items: [{', '.join(ids)}]}}\n")
    cards = [{"id": card, "type": "basic", "title": f"Shape {n}", "tags": [f"t{n}"], "front": f"Question {n}?",
              "back": shape.format(n=n)} for n, (card, shape) in enumerate(zip(ids, SHAPES))]
    (deck / "cards.yaml").write_text(yaml.safe_dump({"cards": cards}))
    return deck


async def answers_shown(pilot, app, fresh: bool) -> list[tuple[str, set[int]]]:
    """Each card's answer screen (on a new screen of it when `fresh`) and its answer's blocks."""
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: item_id(app) == "s-0")
    shown = []
    for n in range(len(SHAPES)):
        card = f"s-{n}"
        if fresh:
            await on_a_new_screen(pilot, app, card)
        await answer(pilot, app)
        await pilot.pause()
        shown.append((screenshot(app), {id(block) for block in app.screen.query_one("#back").query(MarkdownBlock)}))
        await pilot.press("3")
        await wait_for(pilot, lambda rated=card: item_id(app) != rated)
    return shown


async def test_an_answer_of_another_shape_takes_the_blocks_kept_from_earlier_answers(make_app, shapes_deck, tmp_path):
    """Blocks an answer does not use stay hidden for a later one: once a list and two paragraphs
    have been shown, an answer of those in another order or fewer mounts nothing, and each reads
    as on a screen of its own (no hidden block of an earlier answer shows)."""
    app = make_app(DAY0, roots=[shapes_deck])
    async with app.run_test(size=SIZE) as pilot:
        reused = await answers_shown(pilot, app, fresh=False)
    assert reused[2][1] <= reused[1][1] and reused[3][1] <= reused[1][1], "a later answer mounted new blocks"
    from tutor.study import open_study
    from tutor.tui.app import TutorApp

    study = open_study(tmp_path / "home-fresh", roots=[shapes_deck])  # the same day, nothing rated yet
    try:
        app = TutorApp(study)
        async with app.run_test(size=SIZE) as pilot:
            fresh = await answers_shown(pilot, app, fresh=True)
    finally:
        study.close()
    for n, ((reused_screen, _), (fresh_screen, _)) in enumerate(zip(reused, fresh)):
        assert reused_screen == fresh_screen, f"s-{n}'s answer is not shown as on its own screen"


@pytest.mark.parametrize("deck", ["shapes", "mixed"])
async def test_an_answer_mounts_nothing_it_was_readied_while_the_question_showed(make_app, deck, request):
    """Mounting blocks is most of what a reveal can cost: the answer's blocks are mounted, hidden,
    once the question is up, so that space (or a picked option, a typed answer) only fills and
    shows them, from the first card of a sitting on, whatever the answer's shape."""
    roots = [request.getfixturevalue(f"{deck}_deck")]
    app = make_app(DAY0, roots=roots)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CardScreen")
        answered = 0
        while type(app.screen).__name__ == "CardScreen":
            card = item_id(app)
            await pilot.pause()
            ready = set(app.screen.query_one("#back").query(MarkdownBlock))
            await answer(pilot, app)
            shown = {block for block in app.screen.query_one("#back").query(MarkdownBlock) if block.display}
            assert shown and shown <= ready, f"{card}'s answer mounted {len(shown - ready)} blocks"
            answered += 1
            await pilot.press("3")
            await wait_for(pilot, lambda rated=card: item_id(app) != rated)
        assert answered == len(SHAPES if deck == "shapes" else ORDER)


async def test_the_first_answer_of_a_sitting_is_drawn_without_another_key(make_app):
    """Frames are held while the first answer's blocks mount; the screen fell idle meanwhile, and
    ending the hold woke only the app, so the answer stayed off the terminal until the learner
    pressed another key. A headless screenshot renders afresh, so what waits to be drawn is the test."""
    app = make_app(DAY0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CardScreen")
        await pilot.pause()
        app.post_message(events.Key("space", " "))  # as a terminal sends it: Pilot's waits wake the screen
        await asyncio.sleep(0.6)  # past the hold's limit
        screen = app.screen
        assert screen.revealed
        waiting = screen._dirty_widgets or screen._layout_required or screen._repaint_required
        assert not waiting, f"still to draw: {screen._dirty_widgets or 'a layout or repaint'}"
