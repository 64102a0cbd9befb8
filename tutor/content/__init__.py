"""Deck content: YAML files in, typed models and `FILE:LINE: at KEY.PATH: message` problems out."""

from __future__ import annotations

from pathlib import Path

from tutor.content.library import Library, check_engines, load_library
from tutor.content.models import Card, Deck, Derivation, Drill, Item, Problem

__all__ = ["Card", "Deck", "Derivation", "Drill", "Item", "Library", "Problem", "bundled_content_dir",
           "check_engines", "load_library"]


def bundled_content_dir() -> Path:
    """The decks shipped with tutor: `content/` in a checkout, `tutor/_content` when installed."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_content"
    return installed if installed.is_dir() else here.parent / "content"
