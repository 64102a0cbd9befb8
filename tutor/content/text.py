"""Text rules shared by grading and validation: typed-answer normalisation and key points."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


def normalize_answer(text: str) -> str:
    """Fold case, Unicode forms and spaces, so `Beta 1`, `beta1` and `ＢＥＴＡ１` compare equal."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("−", "-").replace("×", "*").replace("·", "*")
    return _SPACE.sub("", folded)


def typed_answer_matches(given: str, accept: tuple[str, ...] | list[str]) -> bool:
    norm = normalize_answer(given)
    return bool(norm) and any(norm == normalize_answer(a) for a in accept)


def key_point_covered(match: tuple[str, ...] | list[str], answer: str) -> bool:
    """A key point is covered when any of its match patterns (case-insensitive regex) occurs."""
    return any(re.search(pattern, answer, re.I) for pattern in match)


def cloze_parts(text: str) -> list[tuple[int, str, str | None]]:
    """The `{{cN::answer::hint}}` deletions of a cloze text as (N, answer, hint)."""
    return [(int(n), ans, hint) for n, ans, hint in _CLOZE.findall(text)]


def cloze_front(text: str) -> str:
    """The cloze text with every deletion hidden as `[...]` (or `[hint]`)."""
    return _CLOZE.sub(lambda m: f"[{m.group(3) or '...'}]", text)


def cloze_back(text: str) -> str:
    """The cloze text with every deletion shown, marked in bold."""
    return _CLOZE.sub(lambda m: f"**{m.group(2)}**", text)
