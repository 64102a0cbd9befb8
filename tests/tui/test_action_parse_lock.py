"""Textual parses an action string's arguments (`ast.literal_eval`) on the event loop the first
time it is used, while a drill check may be parsing the learner's file in a thread: CPython 3.11
fails one or the other when two threads build syntax trees at once (gh-106905; a key answered
with an error, a right answer graded "error"). The app has Textual's parse take the one parse
lock (`tutor.tui.actions`, `tutor.drills.source.parse_python`)."""

from __future__ import annotations

import itertools

from textual import actions

from tests.drills.test_parse_threads import NESTED, switching_threads  # noqa: F401 (a fixture)
from tutor.drills.source import static_error
from tutor.tui.actions import action_arguments_parsed_alone

NESTED_ARGUMENTS = "[" * 30 + "1" + "]" * 30


def test_action_strings_and_drills_parsed_in_threads_at_once_never_fail(switching_threads):  # noqa: F811
    action_arguments_parsed_alone()
    fresh = itertools.count()  # each action string new: Textual keeps the ones it parsed

    def parse_one() -> str | None:
        n = next(fresh)
        if n % 2:
            return static_error(NESTED, "adam_step")[0]
        name, = actions.parse(f"app.pick({n}, {NESTED_ARGUMENTS})")[2][:1]
        return None if name == n else repr(name)

    assert switching_threads(parse_one) == []


def test_the_app_parses_its_action_strings_as_textual_does(make_app):
    make_app()  # the app sets the lock up as it starts
    assert actions.parse("app.verdict('lean_hire')") == ("app", "verdict", ("lean_hire",))
    assert actions.parse("match(-1)") == ("", "match", (-1,))
    assert actions.parse("quit") == ("", "quit", ())
