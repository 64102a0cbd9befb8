"""A catalog of the content kept in the store, refreshed only when a content file changes.

Parsing YAML is the slowest part of a cold `tutor due`; the catalog lets every command that
needs only ids, kinds, decks and plans skip it, and `tutor answer` check a number or text card
against the answer key kept with it. The fingerprint is the name, size and
modification time of every content file, so an edit is picked up on the next command.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.content.files import DECK_FILE, content_files, find_deck_dirs, lesson_files
from tutor.store import Store

if TYPE_CHECKING:
    from tutor.content.models import Item
    from tutor.study.answers import AnswerKey

FINGERPRINT_KEY = "catalog_fingerprint"
ISSUES_KEY = "catalog_problems"  # the stored name, kept so existing homes keep their cache
SKIPPED_KEY = "catalog_skipped"
FORMAT = "5"  # bumped when what is cached changes, so an older cache is rebuilt once (3: cloze siblings,
# 4: target_min, 5: answer keys)


def fingerprint(roots: list[Path]) -> str:
    """Names, sizes and mtimes of every content file (zlib checksums: hashlib costs start-up time)."""
    parts = []
    for root in roots:
        parts.append(f"root:{root.resolve()}")
        for deck_dir in find_deck_dirs(root):
            for path in [deck_dir / DECK_FILE, *content_files(deck_dir), *lesson_files(deck_dir)]:
                try:
                    st = path.stat()
                except OSError:
                    continue
                parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    data = "\n".join(parts).encode()
    return f"{FORMAT}:{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def refresh(store: Store, roots: list[Path]) -> tuple[list[str], list[str]]:
    """Bring the catalog up to date; returns the content issues and one line per deck left
    out in whole or in part (both cached with it)."""
    mark = fingerprint(roots)
    if store.meta(FINGERPRINT_KEY) == mark:
        return (json.loads(store.meta(ISSUES_KEY, "[]") or "[]"),
                json.loads(store.meta(SKIPPED_KEY, "[]") or "[]"))
    from tutor.content import load_library
    from tutor.content.models import review_ids, review_items

    lib = load_library(roots)
    lib.refuse_duplicate_decks()
    items, decks, lessons = [], [], []
    siblings: dict[str, tuple[str, ...]] = {}  # multi-deletion cloze card -> its review items
    position = 0
    for deck_index, deck in enumerate(lib.decks):
        lessons += [(deck.id, s.id, s.title, s.day, n) for n, s in enumerate(deck.lessons)]
        decks.append((deck.id, deck.title, json.dumps(list(deck.ladder)),
                      json.dumps([{"day": e.day, "goal": e.goal, "items": list(review_ids(e.items, lib.items))}
                                  for e in deck.plan]),
                      deck_index))
        planned = {i for e in deck.plan for i in e.items}
        for authored in deck.items:
            if lib.items.get(authored.id) is not authored:
                continue
            reviewed = review_items(authored)
            if reviewed[0] is not authored:
                siblings[authored.id] = tuple(i.id for i in reviewed)
            for item in reviewed:
                items.append((item.id, deck.id, item.kind, item.title, deck.plan_day(authored.id),
                              int(authored.id in planned), position, getattr(authored, "target_min", None),
                              _answer_key_json(item)))
                position += 1
    store.replace_catalog(decks, items, lessons, {FINGERPRINT_KEY: mark, ISSUES_KEY: json.dumps(lib.errors),
                                                  SKIPPED_KEY: json.dumps(lib.skipped)}, siblings)
    store.set_renames(lib.renames)
    return lib.errors, lib.skipped


def _answer_key_json(item: Item) -> str | None:
    """A number or text card's answer key; formulas and variant cards (their numbers are drawn
    for each review) are checked with the whole card."""
    from tutor.content.models import Card
    from tutor.study.answers import answer_key

    if not isinstance(item, Card) or item.type not in ("typed", "cloze") or item.variation is not None:
        return None
    key = answer_key(item)
    return None if key.kind == "formula" else key.to_json()


def answer_key(store: Store, roots: list[Path], item_id: str) -> AnswerKey | None:
    """The catalog's answer key for a number or text card, read after bringing the catalog up
    to date with the content (an edited deck is never checked against an older answer); None
    for any other item, which is then read from its deck."""
    from tutor.study.answers import AnswerKey

    refresh(store, roots)
    stored = store.catalog_answer(item_id)
    return AnswerKey.from_json(item_id, stored) if stored is not None else None
