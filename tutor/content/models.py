"""Typed, immutable models of deck content: what the YAML files promise once validated.

Every item is keyed by its stable `id`; review history hangs off that id, so the text of an
item may change while its history stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from tutor.content.kinds import KINDS  # noqa: F401 - re-exported
from tutor.content.numbers import shown_number

CARD_TYPES = ("basic", "cloze", "choice", "typed")
# A review item's id: an item's slug, or `CARD/cN` for deletion N of a cloze card with several.
ITEM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/c[1-9][0-9]{0,3})?$")


@dataclass(frozen=True)
class Origin:
    """Where a value came from, for `FILE:LINE` messages."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Item:
    """What every kind of item has: its id, deck, title, tags and where it was defined."""

    id: str
    deck: str
    title: str
    tags: tuple[str, ...]
    notes: str | None
    origin: Origin
    # Line of every key path inside the item ("front", "mistakes.2.variant"), for engine checks.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    # Ids of removed items merged into this one: their review history counts for this item.
    replaces: tuple[str, ...] = ()
    # A card or problem whose numbers are drawn per review (`params:`), else None.
    variation: Variation | None = None

    kind: str = "item"

    def where(self, path: str = "") -> Origin:
        """The origin of a key path inside this item, falling back to the item itself."""
        while path:
            if path in self.lines:
                return Origin(self.origin.file, self.lines[path])
            path = path.rpartition(".")[0]
        return self.origin

    def text(self) -> str:
        """All the learner-visible text, for search."""
        return " ".join([self.title, *self.tags])


@dataclass(frozen=True)
class NumberAnswer:
    """A typed card whose answer is one value, right within rtol/atol (docs/authoring.md).
    A variant card's value is an expression of its params (`expr`) until a variant is drawn."""

    value: float
    rtol: float = 1e-6
    atol: float = 0.0
    expr: str | None = None


@dataclass(frozen=True)
class Param:
    """One drawn value of a variant item: a choice from `choices`, or `low`..`high` (inclusive)
    in steps of `step` (whole numbers when `step` is None)."""

    name: str
    choices: tuple[float, ...] = ()
    low: float = 0.0
    high: float = 0.0
    step: float | None = None


@dataclass(frozen=True)
class Variation:
    """What makes an item a variant item (`tutor.study.variants`): its params, the conditions a
    draw must meet, and named values computed from them in order (the worked numbers)."""

    params: tuple[Param, ...]
    where: tuple[str, ...] = ()
    compute: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FormulaAnswer:
    """A typed card whose answer is an expression in declared symbols, checked by value."""

    expr: str
    symbols: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # derivation assumptions
    aliases: Mapping[str, str] = field(default_factory=dict)  # another spelling -> declared name


@dataclass(frozen=True)
class Card(Item):
    type: str = "basic"
    front: str = ""
    back: str = ""
    options: tuple[str, ...] = ()
    answer: tuple[int, ...] = ()  # choice: indices of the right options
    explain: tuple[str, ...] = ()  # choice: why each option is right or wrong
    accept: tuple[str, ...] = ()  # typed: accepted answers
    expects: NumberAnswer | FormulaAnswer | None = None  # typed: a number or formula (`answer:`)
    deletion: int | None = None  # cloze sibling `CARD/cN`: the one deletion N it asks (see `review_items`)
    kind: str = "card"

    def text(self) -> str:
        return " ".join([super().text(), self.front, self.back, *self.options, *self.accept])

    @property
    def answers(self) -> tuple[str, ...]:
        """A typed card's answers as shown: the formula or value first, then the accepted spellings."""
        if isinstance(self.expects, FormulaAnswer):
            return (self.expects.expr, *self.accept)
        if isinstance(self.expects, NumberAnswer):
            return (self.expects.expr or shown_number(self.expects.value, self.front), *self.accept)
        return self.accept

    @property
    def answer_kind(self) -> str:
        """A typed card's answer kind: number, formula or text."""
        if isinstance(self.expects, NumberAnswer):
            return "number"
        return "formula" if isinstance(self.expects, FormulaAnswer) else "text"


def authored_id(item_id: str) -> str:
    """The id an item has in its deck file: `CARD` for the cloze sibling `CARD/c2`."""
    return item_id.partition("/")[0]


def review_items(item: Item) -> tuple[Item, ...]:
    """The items a learner reviews for one authored item, each scheduled on its own: one per
    deletion index of a cloze card with several (`CARD/c1`, `CARD/c2`; the other deletions are
    shown, as in Anki), else the item itself. A cloze card with one index keeps its id."""
    if not isinstance(item, Card) or item.type != "cloze":
        return (item,)
    from tutor.content.text import cloze_indices

    indices = cloze_indices(item.front)
    if len(indices) < 2:
        return (item,)
    return tuple(replace(item, id=f"{item.id}/c{n}", title=f"{item.title} (c{n})", deletion=n) for n in indices)


def review_ids(ids: Iterable[str], items: Mapping[str, Item]) -> tuple[str, ...]:
    """Authored ids (a plan entry, a lesson's `prepares:`) as review-item ids: a multi-deletion
    cloze card stands for all its siblings; an id `items` does not know is kept as it is."""
    out: list[str] = []
    for item_id in ids:
        item = items.get(item_id)
        out += [i.id for i in review_items(item)] if item is not None else [item_id]
    return tuple(out)


@dataclass(frozen=True)
class KeyPoint:
    point: str
    match: tuple[str, ...] = ()  # case-insensitive regexes
    phrases: tuple[str, ...] = ()  # phrasings matched by meaning (tutor.content.text.phrase_found)
    examples: tuple[str, ...] = ()  # answers that must cover the point (checked by validate)
    not_: tuple[str, ...] = ()  # answers that must not (YAML `not:`)


@dataclass(frozen=True)
class Rubric:
    strong_hire: tuple[str, ...]
    lean_hire: tuple[str, ...]
    no_hire: tuple[str, ...]


@dataclass(frozen=True)
class Problem(Item):
    prompt: str = ""
    time_limit_min: float = 8.0
    target_min: float = 5.0
    hints: tuple[str, ...] = ()
    answer: str = ""
    rubric: Rubric = Rubric((), (), ())
    key_points: tuple[KeyPoint, ...] = ()
    kind: str = "problem"

    def text(self) -> str:
        return " ".join([super().text(), self.prompt, self.answer])


@dataclass(frozen=True)
class AuthorCode:
    """A function in a Python file beside the deck's deck.yaml: an author drill's reference or
    mistake variant. Untrusted, so only ever run in the drill sandbox (`tutor.drills.authored`)."""

    file: str  # the file's name, as the deck wrote it
    function: str
    source: str  # the file's text, read when the deck is loaded

    def __str__(self) -> str:
        return f"{self.file}:{self.function}"


@dataclass(frozen=True)
class DrillMistake:
    id: str
    variant: str | AuthorCode  # a name in tutor.reference.mistakes, or the deck's own code
    message: str


@dataclass(frozen=True)
class Tolerance:
    rtol: float = 1e-7
    atol: float = 1e-10


@dataclass(frozen=True)
class Drill(Item):
    prompt: str = ""
    function: str = ""
    signature: str = ""
    starter: str = ""
    solution: str | None = None  # readable model code, shown on giving up; must pass the checks
    reference: str | AuthorCode = ""  # a name in tutor.reference, or the deck's own code
    cases: Mapping[str, Any] = field(default_factory=dict)
    tolerance: Tolerance = Tolerance()
    mistakes: tuple[DrillMistake, ...] = ()
    max_lines: int | None = None
    hints: tuple[str, ...] = ()
    target_min: float = 10.0
    kind: str = "drill"

    def text(self) -> str:
        return " ".join([super().text(), self.prompt, self.function])


@dataclass(frozen=True)
class DerivationMistake:
    line: str  # an expression; a learner line equal to it gets `message`
    message: str


@dataclass(frozen=True)
class KeyStep:
    name: str  # what the step does, e.g. "E moved inside the sum"
    form: str  # an expression some line of the chain must contain as a factor (tutor/derive/keysteps.py)


@dataclass(frozen=True)
class Derivation(Item):
    prompt: str = ""
    symbols: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    definitions: Mapping[str, str] = field(default_factory=dict)
    facts: Mapping[str, str] = field(default_factory=dict)
    functions: Mapping[str, str] = field(default_factory=dict)  # "mean(f, k, a, b)": its body
    start: str = ""
    goal: str = ""
    solution: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    mistakes: tuple[DerivationMistake, ...] = ()
    key_steps: tuple[KeyStep, ...] = ()
    target_min: float = 10.0
    kind: str = "derivation"

    def text(self) -> str:
        return " ".join([super().text(), self.prompt])


@dataclass(frozen=True)
class PlanEntry:
    day: int
    goal: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    level: int  # 1 for `#`, 2 for `##`, ...
    text: str
    line: int  # 1-based line in the lesson file


@dataclass(frozen=True)
class Lesson:
    """One section of a deck's study text: Markdown that prepares the items it names."""

    id: str  # from the file name: lessons/04-bias-correction.md -> bias-correction
    deck: str
    title: str  # the text of its `# Title` line
    day: int  # the plan checkpoint it is read for
    prepares: tuple[str, ...]
    text: str  # the Markdown after the front matter
    origin: Origin  # the file, line 1
    text_line: int  # the file line where `text` starts
    headings: tuple[Heading, ...] = ()
    # Line of every front-matter key path ("prepares.3") and every link target, for checks.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    links: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Deck:
    """A deck as loaded from its folder: `deck.yaml` (plan, ladder) with its items and lessons."""

    id: str
    title: str
    source: str | None
    ladder: tuple[int, ...]
    plan: tuple[PlanEntry, ...]
    path: str
    items: tuple[Item, ...]
    lessons: tuple[Lesson, ...] = ()  # empty when the deck has no lessons/ folder

    def lesson(self, section: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == section), None)

    def lesson_for(self, item_id: str) -> Lesson | None:
        """The section that prepares an item (a cloze sibling: the section that prepares its card)."""
        item_id = authored_id(item_id)
        return next((lesson for lesson in self.lessons if item_id in lesson.prepares), None)

    def plan_day(self, item_id: str) -> int:
        """The deck day an item is introduced on: its plan day, else Day 0."""
        item_id = authored_id(item_id)
        for entry in self.plan:
            if item_id in entry.items:
                return entry.day
        return 0
