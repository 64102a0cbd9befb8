"""Reading and writing the JSON files of the cache folder (`tutor.config.cache_dir`).

Everything there is derived and can be rebuilt (ARCHITECTURE.md, Speed budgets): a file that
cannot be read, is too big or is not JSON reads as None, and one that cannot be written only
costs the next run its speed. What a reader accepts of the JSON is its own check.
"""

from __future__ import annotations

import json
import os
import stat
from contextlib import suppress
from typing import Any

from tutor.config import cache_dir

MAX_CACHE_BYTES = 16 * 1024 * 1024
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)
_NO_LINK = getattr(os, "O_NOFOLLOW", 0)


def read_json(name: str) -> Any:
    """The JSON of the cache file `name`, or None (missing, not a regular file, a symbolic link,
    too big, not UTF-8 JSON, or NaN). A named pipe opened for reading waits for a writer
    forever, and a link may lead to one, to a device or out of the folder: the file is opened
    without following a link and without waiting, and read only if it is a regular file."""
    try:
        fd = os.open(cache_dir() / name, os.O_RDONLY | _NO_WAIT | _NO_LINK)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            facts = os.fstat(fh.fileno())
            if not stat.S_ISREG(facts.st_mode) or facts.st_size > MAX_CACHE_BYTES:
                return None
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
    cannot be written). The temporary file is made anew, never opened through a link left at
    its name, so nothing outside the folder is written."""
    folder = cache_dir()
    tmp = folder / f"{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_LINK, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data))
        os.replace(tmp, folder / name)
    except OSError:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
