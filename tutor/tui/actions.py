"""Textual's action strings parsed under the one parse lock (`action_arguments_parsed_alone`).

Textual reads an action's arguments (`verdict('lean_hire')`, `match(-1)`) with
`ast.literal_eval`, the first time the string is used (`textual.actions.parse`, cached), on the
event loop; a drill check may be parsing the learner's file in a thread meanwhile, and CPython
3.11 cannot build two syntax trees at once (`tutor.drills.source`): a key answered with an
error, or a right answer graded "error".
"""

from __future__ import annotations

import threading
from functools import cache

from textual import actions

KEPT_ACTIONS = 1024  # `textual.actions.parse` caches as many


def action_arguments_parsed_alone() -> None:
    """Have `textual.actions.parse` take the parse lock the first time it meets an action string;
    set up when the app starts. Strings it met are kept here (KEPT_ACTIONS of them, as many as
    Textual keeps), so a binding looked up on every key takes no lock."""
    parse = actions.parse
    if getattr(parse, "parses_alone", False):
        return
    parsed: dict[str, actions.ActionParseResult] = {}

    def parse_alone(action: str) -> actions.ActionParseResult:
        try:
            return parsed[action]
        except KeyError:
            pass
        with parse_lock():
            result = parse(action)
        if len(parsed) < KEPT_ACTIONS:
            parsed[action] = result
        return result

    parse_alone.parses_alone = True  # type: ignore[attr-defined]
    actions.parse = parse_alone  # type: ignore[assignment]


@cache
def parse_lock() -> threading.Lock:
    """`tutor.drills.source.PARSE_LOCK`, imported on first use, not before the first frame
    (`tutor.drills` takes milliseconds to import)."""
    from tutor.drills.source import PARSE_LOCK

    return PARSE_LOCK
