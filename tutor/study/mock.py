"""A mock interview: an interleaved, timed session picked by weakness, and its report.

Picking (`pick`): one drill, one derivation and one timed problem, then quick-fire questions
for the time left, at most the quarter of the mock the big items leave (`BIG_SHARE`). The
quick-fire questions are the cards and the items their author times as a 60-second answer
(`quick_fire`): the problem slot is for a question an interviewer gives minutes to (a fresh
home, every problem equally weak, got the first in plan order there: "Explain Adam", one
minute). Each item costs what `tutor.study.budget.Estimates` expects of it, but never less
than an interview gives it (`interview_seconds`): a learner quick at their reviews (a median
card of 3 s) was asked "1 of 205" in 30 minutes. Within a kind an item with a named mistake
in the last `RECENT_DAYS` comes first, then the lowest predicted recall
(`Study.predicted_recall`; unseen items 0), then plan order; cards go round the sections (an
item's tags) so that each section not yet covered gets its weakest card before any section
gets a second. The big items sit between runs of cards.

The report (`report`) scores each section (Good or better 1, Hard 0.5, Again 0), lists the
time per answer against its estimate and the mistakes named, and says what to review next.
`pick` and `report` are pure; `candidates` reads them from a study.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tutor.schedule import GOOD, HARD, RATING_NAMES, Rating

if TYPE_CHECKING:
    from tutor.content.library import Library
    from tutor.study.service import Study

DEFAULT_MINUTES = 30
BIG_KINDS = ("drill", "derivation", "problem")  # one of each, in this order between the cards
BIG_SHARE = 0.75  # the drill, derivation and problem together; the rest is quick-fire questions
# A card in a mock is a question answered aloud: the study page's "60-second answer" (the Adam
# deck's timed problem for each of them states target_min 1).
CARD_ANSWER_S = 60.0
REVIEW_NEXT = 5
RECENT_DAYS = 14  # a named mistake this recent makes its item a first pick


@dataclass(frozen=True)
class Candidate:
    id: str
    deck: str
    kind: str
    title: str
    sections: tuple[str, ...]  # the item's tags
    recall: float  # predicted recall today (unseen 0)
    mistaken: bool  # a named mistake in the last RECENT_DAYS
    seconds: float  # what the item is expected to take (tutor.study.budget.Estimates)
    seen: bool = True  # studied before
    quick: bool = False  # a 60-second answer asked with the cards (`quick_fire`), whatever its kind


@dataclass(frozen=True)
class Pick:
    """One question of the session and why it was picked."""

    id: str
    deck: str
    kind: str
    title: str
    section: str
    seconds: float
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "deck": self.deck, "kind": self.kind, "title": self.title,
                "section": self.section, "minutes": round(self.seconds / 60, 2), "why": self.why}


def interview_seconds(kind: str, estimate: float, target_min: float | None) -> float:
    """An item's time in a mock: its study estimate, but at least `CARD_ANSWER_S` for a card
    and at least its own `target_min` (the author's good time) for a problem, drill or
    derivation. The learner's pace at reviews is not an interviewer's."""
    if kind == "card":
        return max(estimate, CARD_ANSWER_S)
    return max(estimate, target_min * 60) if target_min is not None else estimate


def quick_fire(kind: str, target_min: float | None) -> bool:
    """A card, or an item whose author's good time is a card's answer in a mock: asked in the
    quick-fire run, not in a drill, derivation or problem slot."""
    return kind == "card" or (target_min is not None and target_min * 60 <= CARD_ANSWER_S)


def _weakest_first(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Recent mistakes first, then the lowest recall; ties keep the given (plan) order."""
    return sorted(candidates, key=lambda c: (not c.mistaken, c.recall))


def _as_pick(c: Candidate) -> Pick:
    why = ("a recent named mistake" if c.mistaken else f"predicted recall {c.recall:.0%}" if c.seen
           else "not studied yet")
    return Pick(c.id, c.deck, c.kind, c.title, c.sections[0] if c.sections else "", c.seconds, why)


def pick(candidates: Sequence[Candidate], minutes: float = DEFAULT_MINUTES) -> list[Pick]:
    """The session within `minutes`, interleaved: cards, a drill, cards, a derivation, cards, a
    problem, cards. The big items share at most `BIG_SHARE` of the time: as many kinds as fit
    (counting each kind's shortest item), each the weakest of its kind that leaves room for
    the shortest of the kinds after it. The quick-fire questions (`quick_fire`) take the rest,
    up to `1 - BIG_SHARE` of it: a handful of quick questions, not a review session."""
    left = minutes * 60
    room = left * BIG_SHARE
    by_kind = {kind: _weakest_first(c for c in candidates if c.kind == kind and not c.quick) for kind in BIG_KINDS}
    shortest = {kind: min(c.seconds for c in found) for kind, found in by_kind.items() if found}
    kinds: list[str] = []  # the kinds that fit together, in order, shortest items counted
    for kind in shortest:
        if sum(shortest[k] for k in kinds) + shortest[kind] <= room:
            kinds.append(kind)
    big: list[Pick] = []
    for n, kind in enumerate(kinds):
        later = sum(shortest[k] for k in kinds[n + 1:])
        chosen = next((c for c in by_kind[kind] if c.seconds <= room - later), None)
        if chosen is None:  # only float rounding: its shortest fits
            continue
        big.append(_as_pick(chosen))
        room -= chosen.seconds
        left -= chosen.seconds
    left = min(left, minutes * 60 * (1 - BIG_SHARE))
    cards: list[Pick] = []
    covered: set[str] = set()
    pool = _weakest_first(c for c in candidates if c.kind == "card" or c.quick)
    while True:  # each pass takes the weakest card that fits of a section not yet covered
        card = next((c for c in pool if c.seconds <= left and not covered.intersection(c.sections)), None)
        if card is None and covered:
            covered.clear()  # every section has had its turn: go round again
            continue
        if card is None:
            break
        pool.remove(card)
        covered.update(card.sections)
        cards.append(_as_pick(card))
        left -= card.seconds
    out: list[Pick] = []
    run = len(cards) // (len(big) + 1)
    for n, chosen_big in enumerate(big):
        out += cards[n * run:(n + 1) * run] + [chosen_big]
    return out + cards[len(big) * run:]


def candidates(study: Study, library: Library, decks: Sequence[str]) -> list[Candidate]:
    """Every item of `decks` with what the picker weighs: recall predicted today from the log,
    a recent named mistake, and the time it is expected to take; in plan order."""
    today = study.today()
    estimates = study.estimates()
    since = (study.now() - timedelta(days=RECENT_DAYS)).isoformat()
    recent = {item_id for _, item_id, _, last in study.store.mistake_counts() if last >= since}
    out: list[Candidate] = []
    for deck in decks:
        recall = study.predicted_recall(deck, today)
        for item_id, kind, seen in study.store.deck_items(deck):
            item = library.item(item_id)
            if item is None:
                continue
            target_min = getattr(item, "target_min", None)
            seconds = interview_seconds(kind, estimates.seconds(kind, target_min, new=not seen), target_min)
            out.append(Candidate(item_id, deck, kind, item.title, tuple(item.tags), recall.get(item_id, 0.0),
                                 item_id in recent, seconds, seen, quick_fire(kind, target_min)))
    return out


def session(study: Study, library: Library, decks: Sequence[str], minutes: int) -> dict[str, Any]:
    """The session as `tutor mock --json` prints it (ARCHITECTURE.md, Files and JSON shapes)."""
    picks = pick(candidates(study, library, decks), minutes)
    return {"today": study.today().isoformat(), "minutes": minutes,
            "planned_minutes": round(sum(p.seconds for p in picks) / 60, 1), "items": [p.to_dict() for p in picks]}


@dataclass(frozen=True)
class Answer:
    """One answered question: its rating (as recorded), seconds taken, mistakes named."""

    pick: Pick
    rating: Rating
    seconds: float
    mistakes: tuple[str, ...] = ()


def _score(rating: int) -> float:
    return 1.0 if rating >= GOOD else 0.5 if rating == HARD else 0.0


def report(answers: Sequence[Answer], unanswered: Sequence[Pick] = ()) -> dict[str, Any]:
    """Score per section, time per answer, mistakes named, and what to review next: the answers
    below Good (Again first; within a rating those with a named mistake, then the slowest
    against its estimate), then the questions not reached."""
    sections: dict[str, list[float]] = {}
    for a in answers:
        sections.setdefault(a.pick.section or "untagged", []).append(_score(a.rating))
    worst = sorted((a for a in answers if a.rating < GOOD),
                   key=lambda a: (a.rating, not a.mistakes, -a.seconds / max(a.pick.seconds, 1.0)))
    return {
        "score": round(sum(_score(a.rating) for a in answers) / len(answers), 4) if answers else None,
        "sections": {s: round(sum(v) / len(v), 4) for s, v in sorted(sections.items())},
        "answers": [{"id": a.pick.id, "kind": a.pick.kind, "section": a.pick.section, "rating": int(a.rating),
                     "rating_name": RATING_NAMES[a.rating], "seconds": round(a.seconds, 1),
                     "expected_seconds": round(a.pick.seconds, 1), "mistakes": list(a.mistakes)} for a in answers],
        "mistakes": [{"id": m, "item": a.pick.id} for a in answers for m in a.mistakes],
        "unanswered": [{"id": p.id, "kind": p.kind, "section": p.section, "expected_seconds": round(p.seconds, 1)}
                       for p in unanswered],
        "review_next": ([a.pick.id for a in worst] + [p.id for p in unanswered])[:REVIEW_NEXT],
    }
