"""Where deck files are: kept free of YAML so a fingerprint of the content costs only stat calls."""

from __future__ import annotations

from pathlib import Path

DECK_FILE = "deck.yaml"
LESSON_DIR = "lessons"


def find_deck_dirs(root: Path) -> list[Path]:
    """A content dir is a deck itself (it holds deck.yaml) or a folder of decks."""
    if (root / DECK_FILE).is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / DECK_FILE).is_file())


def content_files(deck_dir: Path) -> list[Path]:
    """The item files of a deck: every .yaml/.yml beside deck.yaml."""
    return sorted(p for p in deck_dir.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.name != DECK_FILE and p.is_file())


def lesson_files(deck_dir: Path) -> list[Path]:
    """A deck's lessons, in reading order: every .md in its lessons/ folder, sorted by name."""
    folder = deck_dir / LESSON_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.is_file())


def bundled_content_dir() -> Path:
    """The decks shipped with tutor: `content/` in a checkout, `tutor/_content` when installed."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_content"
    return installed if installed.is_dir() else package.parent / "content"
