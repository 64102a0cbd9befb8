"""Find decks in content dirs, load them, and cross-check what spans files and decks."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tutor import collector
from tutor.content import models as m
from tutor.content.files import DECK_FILE, LESSON_DIR, UnreadableFile, content_files, find_deck_dirs, read_limited
from tutor.content.schema import Collector, build_deck, build_items
from tutor.content.yamlsrc import MAX_FILE_BYTES, ContentIssue, Document, YamlFileError, parse_document, read_document
from tutor.errors import TutorError


class DuplicateDeck(TutorError):
    """Two content folders define a deck with the same id: a study is not opened until one is
    renamed, since which of them the learner's history belongs to is unknown."""


@dataclass
class Library:
    """Every deck found, every item by id, and every content issue met on the way."""

    decks: list[m.Deck] = field(default_factory=list)
    items: dict[str, m.Item] = field(default_factory=dict)
    issues: list[ContentIssue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line per deck left out in whole or in part
    renames: dict[str, str] = field(default_factory=dict)  # a removed id -> the item that replaces it
    # A deck whose id an earlier deck has (left out, and `refuse_duplicate_decks`); the validator lists it.
    duplicate_decks: list[ContentIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [str(p) for p in self.issues]

    def deck(self, deck_id: str) -> m.Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def refuse_duplicate_decks(self) -> None:
        """Raise `DuplicateDeck` naming both files of the first deck id defined twice."""
        if self.duplicate_decks:
            more = len(self.duplicate_decks) - 1
            raise DuplicateDeck(str(self.duplicate_decks[0]) + (f" (and {more} more)" if more else ""))

    def review_items(self) -> list[m.Item]:
        """What the learner reviews, in deck order: every item, a multi-deletion cloze card as
        its siblings (`tutor.content.models.review_items`)."""
        return [sibling for item in self.items.values() for sibling in m.review_items(item)]

    def item(self, item_id: str) -> m.Item | None:
        """A review item by id: an item, or the sibling `CARD/cN` of a multi-deletion cloze card."""
        return _review_item(self.items.get(m.authored_id(item_id)), item_id)


def _review_item(item: m.Item | None, item_id: str) -> m.Item | None:
    """The review item `item_id` among those of the authored `item` (None if it has none)."""
    if item is None:
        return None
    return next((i for i in m.review_items(item) if i.id == item_id), None)


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _read(path: Path, issues: list[ContentIssue]) -> Document | None:
    try:
        return read_document(path, _display(path))
    except YamlFileError as exc:
        issues.append(exc.issue)
        return None


PlannedEntries = list[tuple[str, m.PlanEntry]]  # (key path in deck.yaml, entry)


@dataclass
class Gaps:
    """What a deck's plan may name that was not built: files that did not parse, and items
    left out for an issue of their own (each already reported once)."""

    unparsed: list[str] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)


def load_deck(deck_dir: Path, issues: list[ContentIssue], gaps: Gaps | None = None,
              between_files: Callable[[], object] = lambda: None,
              ) -> tuple[m.Deck | None, PlannedEntries, Document | None]:
    doc = _read(deck_dir / DECK_FILE, issues)
    if doc is None:
        return None, [], None
    values = build_deck(doc, Collector(doc, issues))
    if values is None:
        return None, [], doc
    gaps = Gaps() if gaps is None else gaps
    items: list[m.Item] = []
    for path in content_files(deck_dir):
        between_files()
        sub = _read(path, issues)
        if sub is None:
            gaps.unparsed.append(path.name)
            continue
        collector = Collector(sub, issues)
        items += build_items(sub, values["id"], collector)
        gaps.failed |= collector.failed
    plan = values.pop("plan")
    from tutor.content.lessons import read_lessons  # not at the top: `load_item` never reads lessons

    lessons = read_lessons(deck_dir, values["id"], values["ladder"], issues, _display)
    deck = m.Deck(plan=tuple(e for _, e in plan), path=str(deck_dir), items=tuple(items), lessons=lessons, **values)
    return deck, plan, doc


def load_library(roots: list[Path] | list[str], between_files: Callable[[], object] = lambda: None) -> Library:
    """Every deck under `roots`; `between_files` is called before each item file is read (the
    app's preload thread waits there while a key is answered: a file's parse holds the
    interpreter throughout)."""
    # Reading a deck allocates an object per YAML node and keeps most of them; the cyclic
    # collector's passes over them were a quarter of loading 10,000 cards, and find nothing
    # (parsed values hold no cycles; refcounting frees them).
    with collector.paused():
        return _load_library(roots, between_files)


def _load_library(roots: list[Path] | list[str], between_files: Callable[[], object]) -> Library:
    lib = Library()
    first_seen: dict[str, m.Origin] = {}  # item ids, and deck ids under "deck:"
    loaded: set[Path] = set()  # a folder named twice (`--content` of the bundled decks) is one deck
    for root in map(Path, roots):
        deck_dirs = find_deck_dirs(root)
        if not deck_dirs:
            why = ("no such folder" if not root.exists() else "not a folder" if not root.is_dir() else
                   f"no {DECK_FILE} found here or in its sub-folders")
            lib.issues.append(ContentIssue(_display(root), 1, "", why))
            lib.skipped.append(f"content dir {_display(root)} was skipped: {why}")
        for deck_dir in deck_dirs:
            if deck_dir.resolve() in loaded:
                continue
            loaded.add(deck_dir.resolve())
            known = len(lib.issues)
            deck = _add_deck(lib, deck_dir, first_seen, between_files)
            found = lib.issues[known:]
            if found:
                lib.skipped.append(_skip_line(deck_dir, deck, found))
    from tutor.content.lessons import check_lessons

    for deck in lib.decks:
        check_lessons(deck, lib.items, (Path(deck.path) / LESSON_DIR).is_dir(), lib.issues)
    _collect_renames(lib)
    lib.issues.sort(key=lambda p: (p.file, p.line))
    return lib


def _skip_line(deck_dir: Path, deck: m.Deck | None, found: list[ContentIssue]) -> str:
    """Which deck was left out, in whole or in part, and the first reason, on one line."""
    more = f" (and {len(found) - 1} more issue(s))" if len(found) > 1 else ""
    what = f"deck {_display(deck_dir)} was skipped" if deck is None else \
        f"deck {deck.id!r} is missing what has an issue"
    return f"{what}: {found[0]}{more}"


def _add_deck(lib: Library, deck_dir: Path, first_seen: dict[str, m.Origin],
              between_files: Callable[[], object]) -> m.Deck | None:
    """Load one deck folder into `lib`; None when the deck as a whole cannot be used."""
    gaps = Gaps()
    deck, plan, doc = load_deck(deck_dir, lib.issues, gaps, between_files)
    if deck is None:
        return None
    assert doc is not None  # a deck is only read from a document
    origin = m.Origin(doc.file, doc.line("id"))
    first = first_seen.setdefault(f"deck:{deck.id}", origin)
    if first is not origin:
        issue = ContentIssue(origin.file, origin.line, "id", f"duplicate deck id {deck.id!r} (first defined at "
                                                             f"{first}); give one of them another id")
        lib.issues.append(issue)
        lib.duplicate_decks.append(issue)
        return None
    for item in deck.items:
        if item.id in first_seen:
            lib.issues.append(ContentIssue(item.origin.file, item.origin.line, "id",
                                        f"duplicate id {item.id!r} (first defined at {first_seen[item.id]})"))
            continue
        first_seen[item.id] = item.origin
        lib.items[item.id] = item
    own = {i.id for i in deck.items}
    planned: dict[str, str] = {}
    unreadable = 0
    for path, entry in plan:
        for j, item_id in enumerate(entry.items):
            where = f"{path}.items.{j}"
            if item_id not in own and (item_id in gaps.failed or gaps.unparsed):
                unreadable += item_id not in gaps.failed
            elif item_id not in own:
                message = f"plan names {item_id!r}, which is not an item of deck {deck.id!r}"
                lib.issues.append(ContentIssue(doc.file, doc.line(where), where, message))
            elif item_id in planned:
                lib.issues.append(ContentIssue(doc.file, doc.line(where), where,
                                            f"{item_id!r} is already planned at {planned[item_id]}"))
            else:
                planned[item_id] = path
    if unreadable:
        files = " and ".join(gaps.unparsed)
        entries = "entry" if unreadable == 1 else "entries"
        lib.issues.append(ContentIssue(doc.file, doc.line("plan"), "plan",
                                       f"{unreadable} plan {entries} skipped: {files} did not parse"))
    lib.decks.append(deck)
    return deck


def _collect_renames(lib: Library) -> None:
    """Each `replaces:` id (an item's, or one deletion's `CARD/cN`) maps to the item that lists
    it. Refused, so that reviews count once and stay in their deck: an id still reviewed, a
    deletion of a live item of another deck or of an item that is not a card (a card may have
    been a cloze card before, an id never changes kind), a claimant reviewed
    as several deletions (the reviews would count for none of them), and an id claimed by two
    items (it maps to neither)."""
    live = {review.id: item for item in lib.items.values() for review in m.review_items(item)}
    claims: dict[str, list[tuple[m.Item, int]]] = {}
    for item in list(lib.items.values()):
        for j, old in enumerate(item.replaces):
            refused = _refused_rename(lib, live, item, old)
            if refused:
                _replace_issue(lib, item, j, refused)
            else:
                claims.setdefault(old, []).append((item, j))
    for old, claimants in claims.items():
        if len(claimants) == 1:
            lib.renames[old] = claimants[0][0].id
            continue
        names = ", ".join(repr(item.id) for item, _ in claimants)
        for item, j in claimants:
            _replace_issue(lib, item, j, f"{old!r} is replaced by more than one item ({names}); "
                                           "its reviews count for none of them")


def _refused_rename(lib: Library, live: dict[str, m.Item], item: m.Item, old: str) -> str:
    """Why `item` may not take over the reviews logged under `old` ('' when it may)."""
    owner = live.get(old) or lib.items.get(old)
    if owner is not None:
        return f"replaces {old!r}, which is still an item (at {owner.origin}); remove one of them"
    card_id, _, deletion = old.partition("/")
    card = lib.items.get(card_id)
    if card is not None and card.deck != item.deck:
        return (f"replaces {old!r}, a deletion of {card_id!r} of deck {card.deck!r}: a deck may only "
                "take over reviews of its own items")
    if card is not None and card.kind != "card":
        return (f"replaces {old!r}, but {card_id!r} (at {card.origin}) is a {card.kind}: only a card "
                f"has deletions, so it never had a {deletion}")
    if m.review_items(item)[0] is not item:
        return (f"replaces {old!r}, but {item.id!r} is reviewed as one item per deletion: the reviews "
                "would count for none of them; list it under a card reviewed as one item")
    return ""


def _replace_issue(lib: Library, item: m.Item, index: int, message: str) -> None:
    where = item.where(f"replaces.{index}")
    lib.issues.append(ContentIssue(where.file, where.line, f"{item.id}.replaces.{index}", message))


@dataclass(frozen=True)
class DeckIds:
    """What `clashes` reads of one deck folder: the deck's id and where it is written, its
    folder, and each item's id and origin, in order; `deck` None: the folder does not load."""

    deck: str | None
    origin: m.Origin | None
    path: str
    items: tuple[tuple[str, m.Origin], ...] = ()


def deck_ids(deck_dir: Path) -> DeckIds:
    """The ids one deck folder gives `load_library` (which a cache may keep: they depend on
    the folder's files alone)."""
    deck, _, doc = load_deck(deck_dir, [])
    if deck is None or doc is None:
        return DeckIds(None, None, str(deck_dir))
    return DeckIds(deck.id, m.Origin(doc.file, doc.line("id")), deck.path,
                   tuple((item.id, item.origin) for item in deck.items))


@dataclass
class ContentIds:
    """The decks (id -> folder) and items (id -> deck, origin) a library of the same roots
    holds, which is all `clashes` compares against."""

    decks: dict[str, str] = field(default_factory=dict)
    items: dict[str, tuple[str, m.Origin]] = field(default_factory=dict)


def content_ids(roots: list[Path], ids_of: Callable[[Path], DeckIds] = deck_ids) -> ContentIds:
    """The ids `load_library(roots)` loads, folder by folder as it does (a folder named twice
    once; the first deck of an id, and the first item of an id, kept), without reading a
    folder whose ids `ids_of` already knows."""
    found = ContentIds()
    first_seen: set[str] = set()  # item ids, and deck ids under "deck:", as in `_add_deck`
    loaded: set[Path] = set()
    for root in map(Path, roots):
        for deck_dir in find_deck_dirs(root):
            if deck_dir.resolve() in loaded:
                continue
            loaded.add(deck_dir.resolve())
            ids = ids_of(deck_dir)
            if ids.deck is None or f"deck:{ids.deck}" in first_seen:
                continue
            first_seen.add(f"deck:{ids.deck}")
            found.decks[ids.deck] = ids.path
            for item_id, origin in ids.items:
                if item_id not in first_seen:
                    first_seen.add(item_id)
                    found.items[item_id] = (ids.deck, origin)
    return found


def clashes(lib: Library, others: ContentIds) -> list[ContentIssue]:
    """Deck and item ids of `lib` (the folders being validated) that another deck on the content
    path already uses: loaded together, one of them would be left out."""
    mine = {Path(deck.path).resolve() for deck in lib.decks}

    def elsewhere(deck_id: str) -> str | None:
        path = others.decks.get(deck_id)
        return path if path is not None and Path(path).resolve() not in mine else None

    found = []
    for deck in lib.decks:
        other_path = elsewhere(deck.id)
        if other_path is not None:
            deck_file = str(Path(_display(Path(deck.path))) / DECK_FILE)
            found.append(ContentIssue(deck_file, 1, "id", f"deck id {deck.id!r} is also the id of the "
                                      f"deck in {_display(Path(other_path))} on the content path: "
                                      "rename one"))
    for item in lib.items.values():
        other = others.items.get(item.id)
        if other is not None and elsewhere(other[0]) is not None:
            found.append(ContentIssue(item.origin.file, item.origin.line, f"{item.id}.id",
                                      f"id {item.id!r} is also used by deck {other[0]!r} at "
                                      f"{other[1]}: ids are unique across every deck on the "
                                      "content path; rename one"))
    return found


def content_warnings(lib: Library) -> list[ContentIssue]:
    """What loads but should be fixed: cards whose title or front gives the answer away,
    derivation symbols that look like a family but are one number, number cards whose
    tolerance passes a wrong rounding of the precision their question asks for."""
    from tutor.content.leaks import card_leaks
    from tutor.content.symbols import scalar_families
    from tutor.content.tolerance import loose_tolerance

    found = []
    for item in lib.items.values():
        for path, message in card_leaks(item) + scalar_families(item) + loose_tolerance(item):
            where = item.where(path)
            found.append(ContentIssue(where.file, where.line, f"{item.id}.{path}", message))
    return found


def load_lessons(roots: list[Path] | list[str]) -> dict[str, tuple[m.Lesson, ...]]:
    """Every deck's lessons by deck id, reading deck.yaml and lessons/ only (no item files):
    what `tutor read` and the reading screen need. Problems are left to the validator."""
    from tutor.content.lessons import read_lessons

    found: dict[str, tuple[m.Lesson, ...]] = {}
    for root in map(Path, roots):
        for deck_dir in find_deck_dirs(root):
            ignored: list[ContentIssue] = []
            doc = _read(deck_dir / DECK_FILE, ignored)
            values = build_deck(doc, Collector(doc, ignored)) if doc is not None else None
            if values is not None and values["id"] not in found:
                found[values["id"]] = read_lessons(deck_dir, values["id"], values["ladder"], ignored, _display)
    return found


def load_item(roots: list[Path] | list[str], item_id: str, deck: str | None = None) -> m.Item | None:
    """One review item by id (a cloze sibling `CARD/cN` too), of the deck `deck` if given, parsing
    only the files that mention it (commands on a single item, the first exercise the app opens).

    Ids are unique across decks (the full validator checks that); this reads the one file whose
    text names the id and builds just its items, which is what keeps `tutor drill check` quick.
    A deck is looked in as `load_library` takes it: only if its deck.yaml builds, and only the
    first deck with an id.
    """
    wanted, item_id = item_id, m.authored_id(item_id)
    needle = item_id.encode()
    deck_ids: set[str] = set()
    for root in map(Path, roots):
        for deck_dir in find_deck_dirs(root):
            deck_doc = _read(deck_dir / DECK_FILE, [])
            values = build_deck(deck_doc, Collector(deck_doc, [])) if deck_doc is not None else None
            if values is None or values["id"] in deck_ids:
                continue  # a second deck with an id is never loaded (`_add_deck`)
            deck_id = values["id"]
            deck_ids.add(deck_id)
            if deck is not None and deck_id != deck:
                continue
            for path in content_files(deck_dir):
                try:
                    raw = read_limited(path, MAX_FILE_BYTES)
                except UnreadableFile:
                    continue
                if needle in raw:
                    found = _entry_item(raw, path, deck_id, item_id) or _file_item(path, deck_id, item_id)
                    if found is not None:
                        return _review_item(found, wanted)
    return None


def _file_item(path: Path, deck_id: str, item_id: str) -> m.Item | None:
    """The item `item_id` of the content file, all of it parsed."""
    doc = _read(path, [])
    if doc is None:
        return None
    return next((item for item in build_items(doc, deck_id, Collector(doc, [])) if item.id == item_id), None)


def _entry_item(raw: bytes, path: Path, deck_id: str, item_id: str) -> m.Item | None:
    """The item `item_id` from its own entry of the file, parsed alone: a tenth of parsing a
    file of drills or problems, which was most of opening the first exercise of the day. The
    entry is the block that starts `- id: ITEM_ID` and runs until a line indented no deeper than
    its dash; it is parsed under the file's top key with every other line left blank, so each
    line keeps its number. None (the caller parses the whole file) when the file is not laid out
    so, or the entry does not build on its own."""
    try:
        lines = raw.decode("utf-8-sig").split("\n")
    except UnicodeDecodeError:
        return None
    starts = [n for n, line in enumerate(lines) if _entry_id(line) == item_id]
    if len(starts) != 1:
        return None
    start = starts[0]
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    top = next((n for n in range(start - 1, -1, -1) if lines[n][:1].isalpha()), None)
    if top is None or not lines[top].rstrip().endswith(":"):
        return None
    first = next(n for n in range(top + 1, start + 1) if _is_content(lines[n]))
    if not lines[first].startswith(" " * indent + "- "):
        return None  # not an entry of the top key's list (a line inside another item's text)
    end = next((n for n in range(start + 1, len(lines))
                if _is_content(lines[n]) and len(lines[n]) - len(lines[n].lstrip(" ")) <= indent), len(lines))
    text = "\n" * top + lines[top] + "\n" * (start - top) + "\n".join(lines[start:end])
    try:
        doc = parse_document(text, _display(path))
    except YamlFileError:
        return None
    built = build_items(doc, deck_id, Collector(doc, []))
    return built[0] if len(built) == 1 and built[0].id == item_id else None


def _is_content(line: str) -> bool:
    """Not blank and not a comment: a line whose indentation says where a YAML block ends."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _entry_id(line: str) -> str | None:
    """The id a line `  - id: ID` starts an entry with (quoted or not), else None."""
    rest = line.lstrip(" ")
    if not rest.startswith("- id:"):
        return None
    value = rest[len("- id:"):].split(" #")[0].strip()
    return value[1:-1] if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"" else value
