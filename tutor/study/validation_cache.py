"""The last `tutor content validate` result, reused while nothing it depends on changed; and
the ids each deck folder on the content path holds, which validating a folder of one's own
compares against (`content_ids`).

Validating 10,000 cards parses their YAML, checks every item and runs the engines' checks:
seconds (ARCHITECTURE.md, Speed budgets). The key hashes the options, every content file's
path, size, mtime and bytes, and tutor's own code (each module's name, size and mtime), so an
edit anywhere validates again. The cache file is untrusted input like any other: one that
cannot be read, is too big, or is not exactly the expected shape is ignored, and a cache that
cannot be written only costs the next run its speed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.content.files import DECK_FILE, code_files, content_files, find_deck_dirs, lesson_files
from tutor.study.cache_files import read_json, write_json

if TYPE_CHECKING:
    from tutor.content.library import ContentIds, DeckIds

FORMAT = "2"  # 2: structured entries
ENTRY_KEYS = {"file", "line", "path", "message", "severity"}
CACHE_NAME = "validate.json"
IDS_NAME = "content-ids.json"
MAX_IDS_DECKS = 64  # deck folders whose ids are kept (the bundled deck, one's own, a few versions of each)
_CODE = Path(__file__).resolve().parent.parent  # the tutor package


def key(roots: Sequence[Path], quick: bool) -> str:
    """What the result depends on, hashed."""
    digest = _code_digest(f"{FORMAT}:{quick}")
    for root in roots:
        digest.update(f"\0root:{root.resolve()}".encode())
        for deck_dir in find_deck_dirs(root):
            _add_files(digest, deck_dir)
    return digest.hexdigest()


def _code_digest(prefix: str) -> hashlib.blake2b:
    """A hash started with `prefix` and tutor's own code (each module's name, size and mtime)."""
    digest = hashlib.blake2b(prefix.encode(), digest_size=20)
    for path in sorted(_CODE.rglob("*.py")):
        _add_stat(digest, path)
    return digest


def _add_files(digest: hashlib.blake2b, deck_dir: Path) -> None:
    for path in [deck_dir / DECK_FILE, *content_files(deck_dir), *lesson_files(deck_dir), *code_files(deck_dir)]:
        if _add_stat(digest, path):
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\0unreadable")


def _add_stat(digest: Any, path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        digest.update(f"\0{path}:missing".encode())
        return False
    digest.update(f"\0{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return True


def load(wanted: str) -> dict[str, Any] | None:
    """The stored result for `wanted`, or None (none stored, another key, or a damaged file)."""
    data = read_json(CACHE_NAME)
    if not isinstance(data, dict) or data.get("key") != wanted:
        return None
    document = data.get("result")
    return document if _well_formed(document) else None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _well_formed(document: Any) -> bool:
    """Exactly what `tutor content validate` prints: nothing else is let through."""
    return (isinstance(document, dict)
            and set(document) == {"ok", "decks", "items", "problems", "warnings", "entries"}
            and isinstance(document["ok"], bool) and _strings(document["decks"])
            and isinstance(document["entries"], list) and all(map(_entry, document["entries"]))
            and _strings(document["problems"]) and _strings(document["warnings"])
            and document["ok"] == (not document["problems"])
            and isinstance(document["items"], dict)
            and all(isinstance(k, str) and type(n) is int and n >= 0 for k, n in document["items"].items()))


def _entry(entry: Any) -> bool:
    return (isinstance(entry, dict) and set(entry) == ENTRY_KEYS
            and all(isinstance(entry[k], str) for k in ("file", "path", "message"))
            and type(entry["line"]) is int and entry["severity"] in ("error", "warning"))


def save(stored_key: str, document: dict[str, Any]) -> None:
    """Keep `document` for the next run with the same key."""
    write_json(CACHE_NAME, {"key": stored_key, "result": document})


def content_ids(roots: Sequence[Path]) -> ContentIds:
    """`tutor.content.library.content_ids` of `roots`, each deck folder's ids kept from the
    last run that read the folder as it is now (its files' bytes, tutor's code and the working
    dir, which the origins are shown relative to): validating a folder of one's own no longer
    parses the bundled decks each time. The kept file is checked like the result's."""
    from tutor.content import library

    kept = _load_ids()
    used: dict[str, DeckIds] = {}
    code = _code_digest(f"ids:{FORMAT}:{os.getcwd()}")

    def ids_of(deck_dir: Path) -> DeckIds:
        digest = code.copy()
        digest.update(f"\0{deck_dir}\0{deck_dir.resolve()}".encode())
        _add_files(digest, deck_dir)
        folder = digest.hexdigest()
        used[folder] = kept.get(folder) or library.deck_ids(deck_dir)
        return used[folder]

    found = library.content_ids(list(roots), ids_of)
    if not set(used) <= set(kept):  # the newest last; the oldest go first
        room = max(MAX_IDS_DECKS - len(used), 0)
        older = [(folder, ids) for folder, ids in kept.items() if folder not in used]
        _save_ids(dict(older[-room:] if room else []) | used)
    return found


def _load_ids() -> dict[str, DeckIds]:
    """The kept ids by folder key; {} when there are none or the file is not exactly their shape."""
    from tutor.content.library import DeckIds
    from tutor.content.models import Origin

    data = read_json(IDS_NAME)
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("decks"), dict):
        return {}
    kept = {}
    for folder, entry in data["decks"].items():
        if not (isinstance(entry, dict) and set(entry) == {"deck", "origin", "path", "items"}
                and isinstance(entry["path"], str) and isinstance(entry["items"], list)
                and all(_origin(item, 3) for item in entry["items"])
                and ((entry["deck"] is None and entry["origin"] is None and not entry["items"])
                     or (isinstance(entry["deck"], str) and _origin(entry["origin"], 2)))):
            return {}
        origin = Origin(*entry["origin"]) if entry["origin"] else None
        items = tuple((item_id, Origin(file, line)) for item_id, file, line in entry["items"])
        kept[folder] = DeckIds(entry["deck"], origin, entry["path"], items)
    return kept


def _origin(value: Any, size: int) -> bool:
    """[(id,) file, line] as kept: strings, then a line number."""
    return (isinstance(value, list) and len(value) == size and all(isinstance(v, str) for v in value[:-1])
            and type(value[-1]) is int)


def _save_ids(decks: dict[str, DeckIds]) -> None:
    entries = {folder: {"deck": ids.deck, "origin": [ids.origin.file, ids.origin.line] if ids.origin else None,
                        "path": ids.path, "items": [[item_id, o.file, o.line] for item_id, o in ids.items]}
               for folder, ids in decks.items()}
    write_json(IDS_NAME, {"format": FORMAT, "decks": entries})
