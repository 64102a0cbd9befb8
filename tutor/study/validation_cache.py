"""The last `tutor content validate` result, reused while nothing it depends on changed.

Validating 10,000 cards parses their YAML, checks every item and runs the engines' checks:
seconds (ARCHITECTURE.md, Speed budgets). The key hashes the options, every content file's
path, size, mtime and bytes, and tutor's own code (each module's name, size and mtime), so an
edit anywhere validates again. The cache file is untrusted input like any other: one that
cannot be read, is too big, or is not exactly the expected shape is ignored, and a cache that
cannot be written only costs the next run its speed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from tutor.config import cache_dir
from tutor.content.files import DECK_FILE, code_files, content_files, find_deck_dirs, lesson_files

FORMAT = "2"  # 2: structured entries
ENTRY_KEYS = {"file", "line", "path", "message", "severity"}
CACHE_NAME = "validate.json"
MAX_CACHE_BYTES = 16 * 1024 * 1024
_CODE = Path(__file__).resolve().parent.parent  # the tutor package


def key(roots: Sequence[Path], quick: bool) -> str:
    """What the result depends on, hashed."""
    digest = hashlib.blake2b(f"{FORMAT}:{quick}".encode(), digest_size=20)
    for path in sorted(_CODE.rglob("*.py")):
        _add_stat(digest, path)
    for root in roots:
        digest.update(f"\0root:{root.resolve()}".encode())
        for deck_dir in find_deck_dirs(root):
            for path in [deck_dir / DECK_FILE, *content_files(deck_dir), *lesson_files(deck_dir),
                         *code_files(deck_dir)]:
                if _add_stat(digest, path):
                    try:
                        digest.update(path.read_bytes())
                    except OSError:
                        digest.update(b"\0unreadable")
    return digest.hexdigest()


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
    path = cache_dir() / CACHE_NAME
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CACHE_BYTES + 1)
        if len(raw) > MAX_CACHE_BYTES:
            return None
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("key") != wanted:
        return None
    document = data.get("result")
    return document if _well_formed(document) else None


def _refuse(constant: str) -> None:
    raise ValueError(f"{constant} is not a number here")


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
    """Keep `document` for the next run with the same key (atomically; silently skipped when
    the cache dir cannot be written)."""
    folder = cache_dir()
    tmp = folder / f"{CACHE_NAME}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"key": stored_key, "result": document}), encoding="utf-8")
        os.replace(tmp, folder / CACHE_NAME)
    except OSError:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
