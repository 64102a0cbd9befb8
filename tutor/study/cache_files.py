"""Reading and writing the JSON files of the cache folder (`tutor.config.cache_dir`).

Everything there is derived and can be rebuilt (ARCHITECTURE.md, Speed budgets): a file that
cannot be read, is too big or is not JSON reads as None, and one that cannot be written only
costs the next run its speed. What a reader accepts of the JSON is its own check.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from typing import Any

from tutor.config import cache_dir

MAX_CACHE_BYTES = 16 * 1024 * 1024


def read_json(name: str) -> Any:
    """The JSON of the cache file `name`, or None (missing, too big, not UTF-8 JSON, or NaN)."""
    try:
        with (cache_dir() / name).open("rb") as fh:
            raw = fh.read(MAX_CACHE_BYTES + 1)
        if len(raw) > MAX_CACHE_BYTES:
            return None
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None


def _refuse(constant: str) -> None:
    raise ValueError(f"{constant} is not a number here")


def write_json(name: str, data: Any) -> None:
    """`data` as the cache file `name` (atomically; silently skipped when the cache folder
    cannot be written)."""
    folder = cache_dir()
    tmp = folder / f"{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, folder / name)
    except OSError:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
