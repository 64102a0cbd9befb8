"""Deck content: YAML files in, typed models and `FILE:LINE: at KEY.PATH: message` issues out.

Names load lazily (PEP 562), so a command that only needs file discovery never pays for YAML.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from tutor.content.files import bundled_content_dir

_LAZY = {
    "Library": "tutor.content.library",
    "load_library": "tutor.content.library",
    "ContentIssue": "tutor.content.yamlsrc",
    "Card": "tutor.content.models",
    "Deck": "tutor.content.models",
    "Derivation": "tutor.content.models",
    "Drill": "tutor.content.models",
    "Item": "tutor.content.models",
    "Problem": "tutor.content.models",
}

__all__ = ["Card", "ContentIssue", "Deck", "Derivation", "Drill", "Item", "Library", "Problem",
           "bundled_content_dir", "load_library"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tutor.content' has no attribute {name!r}")
