"""Where deck files are: kept free of YAML so a fingerprint of the content costs only stat calls."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

DECK_FILE = "deck.yaml"
LESSON_DIR = "lessons"


class UnreadableFile(Exception):
    """A content file that is not read: not a regular file, too large, or an OS error."""


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked before anything is read.

    A deck may hold a FIFO (reading would block), a device (endless), a symlink loop or a
    sparse file of many gigabytes: each is refused from its metadata alone.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise UnreadableFile("not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the two looks
            raise UnreadableFile("not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(f"file is larger than {_size(limit)}")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise UnreadableFile(f"file is larger than {_size(limit)}")
    return data


CODE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}\.py")
CODE_LIMIT = 100_000


def read_deck_code(deck_dir: Path, name: str) -> str:
    """The text of a Python file an author drill names: a plain name beside deck.yaml, no
    folder and no link (so a deck cannot point the sandbox's input at a file elsewhere)."""
    if not CODE_NAME.fullmatch(name):
        raise UnreadableFile(f"{name!r} must be the name of a .py file beside deck.yaml, e.g. reference.py")
    path = deck_dir / name
    if path.is_symlink():
        raise UnreadableFile(f"{name} is a symbolic link; put the code itself in the deck's folder")
    try:
        data = read_limited(path, CODE_LIMIT)
    except UnreadableFile as exc:
        raise UnreadableFile(f"{name}: {exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile(f"{name} is not UTF-8 text") from None


def code_files(deck_dir: Path) -> list[Path]:
    """The Python files beside deck.yaml (author drills' references and variants)."""
    return sorted(p for p in deck_dir.glob("*.py") if not p.is_dir())


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def find_deck_dirs(root: Path) -> list[Path]:
    """A content dir is a deck itself (it holds deck.yaml) or a folder of decks."""
    if (root / DECK_FILE).is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / DECK_FILE).is_file())


def content_files(deck_dir: Path) -> list[Path]:
    """The item files of a deck: every .yaml/.yml beside deck.yaml that is not a folder.

    A FIFO, device or broken link with such a name is listed too, so that reading it reports
    what it is instead of its items silently going missing.
    """
    return sorted(p for p in deck_dir.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.name != DECK_FILE and not p.is_dir())


def lesson_files(deck_dir: Path) -> list[Path]:
    """A deck's lessons, in reading order: every .md in its lessons/ folder, sorted by name."""
    folder = deck_dir / LESSON_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".md" and not p.is_dir())


def bundled_content_dir() -> Path:
    """The decks shipped with tutor: `content/` in a checkout, `tutor/_content` when installed."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_content"
    return installed if installed.is_dir() else package.parent / "content"
