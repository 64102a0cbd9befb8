"""The command line's arguments: every command, its options and the function that runs it."""

from __future__ import annotations

import argparse
import os
from typing import Any, NoReturn

from tutor import __version__
from tutor.cli import content, engines, fitting, interop, study
from tutor.content.kinds import KINDS
from tutor.errors import UsageError


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter with the width measured here: its own way imports shutil (slow)."""

    def __init__(self, prog: str) -> None:
        try:
            columns = os.get_terminal_size().columns
        except OSError:
            columns = 80
        super().__init__(prog, width=max(40, min(columns, 100)) - 2)


def _seed(text: str) -> int:
    """A variant's seed: a whole number from 0 to 2^63."""
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= seed < 2**63:
        raise argparse.ArgumentTypeError("a seed is from 0 to 2^63 - 1")
    return seed


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


# Options every command may be given; those it was not given read as these defaults.
DEFAULTS = {"home": None, "content": None, "scheduler": None, "json": False, "deck": None}


def _mock_minutes(text: str) -> int:
    try:
        minutes = int(text)
    except ValueError:
        minutes = 0
    if not 5 <= minutes <= 240:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a whole number of minutes from 5 to 240")
    return minutes


class _Skipped:
    """A command's parser left unbuilt: every call on it does nothing (see `build_parser`)."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


def parse(argv: list[str]) -> argparse.Namespace:
    """The parsed command line, with every common option present and `func` set."""
    command = argv[0] if argv and not argv[0].startswith("-") else None
    args = build_parser(command).parse_args(argv)
    for name, default in DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    if not hasattr(args, "func"):
        args.func = study.cmd_study
    return args


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; given the command the line starts with, only that one's (one
    command's parser costs a fraction of all of them, and start-up is most of a command's time).
    An unknown command gets them all, so its error lists the choices."""
    common = _Parser(add_help=False)
    common.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS,
                        help="data dir (default: $TUTOR_HOME or the platform's user data dir)")
    common.add_argument("--content", metavar="DIR", action="append", default=argparse.SUPPRESS,
                        help="extra content dir (repeatable; also $TUTOR_CONTENT)")
    common.add_argument("--scheduler", choices=("ladder", "fsrs"), default=argparse.SUPPRESS,
                        help="the ladder (Day 0/3/7/14/21) or FSRS")
    json_flag = _Parser(add_help=False)
    json_flag.add_argument("--json", action="store_true", help="print one JSON document")

    parser = _Parser(prog="tutor", parents=[common],
                     description="A terminal tutor for ML interview preparation.")
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def add(name: str, **kwargs: Any) -> Any:
        return sub.add_parser(name, **kwargs) if command in (None, name) else _Skipped()

    p = add("study", parents=[common], help="open the app (the default)")
    p.add_argument("--deck")
    p.set_defaults(func=study.cmd_study)
    p = add("due", parents=[common, json_flag], help="what is due today")
    p.add_argument("--deck")
    p.set_defaults(func=study.cmd_due)
    p = add("review", parents=[common, json_flag], help="record a review (for scripts)")
    p.add_argument("id")
    p.add_argument("--rating", required=True, choices=("again", "hard", "good", "easy"))
    p.set_defaults(func=study.cmd_review)
    p = add("undo", parents=[common, json_flag], help="undo the last review")
    p.set_defaults(func=study.cmd_undo)
    p = add("plan", parents=[common, json_flag],
                       help="the deck's Day 0/3/7/14/21 checkpoints, and readiness for the interview date")
    p.add_argument("--deck")
    p.add_argument("--interview", metavar="DATE", help="the date the deck (else every deck) must be ready by, "
                                                       "YYYY-MM-DD; none clears it")
    p.set_defaults(func=study.cmd_plan)
    p = add("mock", parents=[common, json_flag],
            help="a timed mock interview picked by weakness: a drill, a derivation, a problem "
                 "and quick-fire cards (--json: the session it asks)")
    p.add_argument("--deck")
    p.add_argument("--minutes", type=_mock_minutes,
                   help="its length (5 to 240; default: the mock_minutes setting, 30)")
    p.set_defaults(func=study.cmd_mock)
    p = add("stats", parents=[common, json_flag], help="retention, activity, forecast, leeches")
    p.set_defaults(func=study.cmd_stats)

    group = add("content", help="validate and list decks")
    csub = group.add_subparsers(dest="action", parser_class=_Parser, metavar="ACTION", required=True)
    p = csub.add_parser("validate", parents=[common, json_flag], help="check deck files")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--quick", action="store_true", help="skip running drill references and model derivations")
    p.set_defaults(func=content.cmd_content_validate)
    p = csub.add_parser("list", parents=[common, json_flag], help="list items")
    p.add_argument("--deck")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--full", action="store_true", help="show each item's question and answer")
    p.set_defaults(func=content.cmd_content_list)

    p = add("read", parents=[common, json_flag], help="print a lesson, or --list the sections")
    p.add_argument("section", nargs="?", metavar="SECTION", help="a section id, or an item id for its section")
    p.add_argument("--deck")
    p.add_argument("--list", action="store_true", help="the sections and the items each prepares")
    p.set_defaults(func=content.cmd_read)

    for name, func, kind_help in (("drill", engines.cmd_drill, "coding drills"),
                                  ("derive", engines.cmd_derive, "derivations")):
        group = add(name, help=kind_help)
        gsub = group.add_subparsers(dest="action", parser_class=_Parser, metavar="ACTION", required=True)
        p = gsub.add_parser("list", parents=[common, json_flag], help=f"the {kind_help} of every deck")
        p.set_defaults(func=func)
        p = gsub.add_parser("show", parents=[common, json_flag], help="print one by id")
        p.add_argument("id")
        if name == "drill":
            p.add_argument("--solution", action="store_true", help="print the model solution")
        p.set_defaults(func=func)
        if name == "drill":
            p = gsub.add_parser("starter", parents=[common], help="print a drill's starter code")
            p.add_argument("id")
            p.set_defaults(func=func)
            p = gsub.add_parser("references", parents=[common, json_flag],
                                help="the built-in references and mistake variants a drill may name")
            p.set_defaults(func=func)
        p = gsub.add_parser("check", parents=[common, json_flag],
                            help="grade your code in FILE" if name == "drill"
                            else "check your chain in FILE (- reads it from stdin), line by line")
        p.add_argument("id")
        p.add_argument("file", metavar="FILE" if name == "drill" else "FILE|-")
        p.set_defaults(func=func)

    p = add("answer", parents=[common, json_flag],
                       help="check an answer to a typed or cloze card (exit 0 right, 1 wrong)")
    p.add_argument("id")
    p.add_argument("text", metavar="TEXT", help="the answer, quoted: '1e-3', 'm_t/(1-beta1^t)'")
    p.add_argument("--seed", type=_seed, default=None,
                   help="a variant card's seed (default: the variant the app shows now)")
    p.set_defaults(func=engines.cmd_answer)
    p = add("export", parents=[common, json_flag],
                       help="cards to Anki or CSV, or your whole history as a JSON backup")
    p.add_argument("--format", required=True, choices=("anki", "csv", "json"))
    p.add_argument("out", metavar="OUT", help="the file to write (.apkg, .csv or .json)")
    p.set_defaults(func=interop.cmd_export)
    p = add("import", parents=[common, json_flag],
                       help="restore a JSON backup, or turn a CSV into a deck")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("json", "csv"), help="default: csv for .csv/.tsv/.txt files, else json")
    p.add_argument("--deck", help="csv: the new deck's id (default: from the file name)")
    p.add_argument("--title", help="csv: the new deck's title (default: the file name)")
    p.add_argument("--out", metavar="DIR", help="csv: the deck folder to create (default: ./DECK)")
    p.set_defaults(func=interop.cmd_import)
    p = add("new-deck", parents=[common, json_flag],
                       help="a deck folder with one example of each kind")
    p.add_argument("name", help="the deck's title; its id is made from it")
    p.add_argument("--dir", default=".", help="where to create the folder (default: here)")
    p.set_defaults(func=interop.cmd_new_deck)

    p = add("optimize", parents=[common, json_flag],
                       help="fit FSRS to your own reviews (kept only if it predicts them better)")
    p.add_argument("--deck", help="fit to this deck's reviews only; its items then use the fit")
    p.add_argument("--reset", action="store_true", help="back to FSRS's default parameters")
    p.set_defaults(func=fitting.cmd_optimize)
    p = add("simulate", parents=[common, json_flag],
                       help="minutes a day and items remembered for each desired retention")
    p.add_argument("--retention", default="0.80,0.85,0.90,0.95", metavar="R,...",
                   help="desired retentions to compare (default: 0.80,0.85,0.90,0.95)")
    p.add_argument("--days", type=int, default=30, help="days to simulate (default: 30)")
    p.add_argument("--deck", help="this deck's items, habits and parameters only")
    p.set_defaults(func=fitting.cmd_simulate)

    p = add("doctor", parents=[common, json_flag], help="check the database; --rebuild the state")
    p.add_argument("--rebuild", action="store_true", help="recompute every item's state from the review log")
    p.set_defaults(func=study.cmd_doctor)
    if command is not None and command not in sub.choices:
        return build_parser()
    return parser
