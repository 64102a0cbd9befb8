"""Check a mapping from outside against a table of fields: the one helper behind the three
validators of untrusted input (deck files in `tutor.content.schema`, backup entries in
`tutor.interop.backup`, settings in `tutor.config`).

A field's check takes the raw value and returns it checked (coerced, normalised) or raises
`Invalid` with a message that does not repeat the key; `check_fields` places each failure at
its key and lets the caller phrase it (collect every one, or stop at the first).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tutor.errors import TutorError


class Invalid(TutorError, ValueError):
    """A value that does not fit its field; raised inside a check, placed at its key by the caller."""


@dataclass(frozen=True)
class Field:
    check: Callable[[Any], Any]
    required: bool = False
    default: Any = None


def one_of(choices: Sequence[str]) -> Callable[[Any], str]:
    """The check of a field whose value must be one of `choices`."""
    def check(value: Any) -> str:
        if value not in choices:
            raise Invalid(f"must be one of {', '.join(choices)}")
        return str(value)
    return check


def check_fields(raw: Mapping[Any, Any], spec: Mapping[str, Field], *,
                 allow_unknown: bool = False) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    """The checked values (a missing optional key gets its default) and the failures as
    (key, message); the key is None for a failure of the mapping itself (a missing key).
    Unknown keys fail, with a guess at the key meant, unless `allow_unknown`."""
    values: dict[str, Any] = {}
    failures: list[tuple[str | None, str]] = []
    if not allow_unknown and not raw.keys() <= spec.keys():
        for key in raw:
            if key not in spec:
                import difflib  # here: only a misspelt key needs it

                close = difflib.get_close_matches(str(key), list(spec), n=1, cutoff=0.6) or [
                    k for k in spec if k.startswith(str(key)[:3])]
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                failures.append((str(key), f"unknown key {key!r}{hint}"))
    for key, field in spec.items():
        value = raw.get(key)
        if value is None:
            if field.required:
                failures.append((None, f"missing required key {key!r}"))
            else:
                values[key] = field.default
            continue
        try:
            values[key] = field.check(value)
        except Invalid as exc:
            failures.append((key, str(exc)))
    return values, failures
