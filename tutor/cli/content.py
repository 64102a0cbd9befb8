"""Content commands: validate deck files, list their items."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.cli import render
from tutor.cli.wiring import emit, item_document, library, unknown_deck
from tutor.content.kinds import KINDS
from tutor.errors import EXIT_BAD_INPUT, EXIT_OK, UsageError
from tutor.printable import printable


def cmd_content_validate(args: argparse.Namespace) -> int:
    from tutor.content.library import content_warnings
    from tutor.study.validate import check_engines

    for p in args.paths:
        if not Path(p).exists():
            raise UsageError(f"{p}: no such file or directory")
    lib = library(args, args.paths)
    problems = list(lib.problems)
    if not args.quick:
        problems += check_engines(lib)
    problems.sort(key=lambda p: (p.file, p.line))
    warnings = content_warnings(lib)
    counts = {k: sum(i.kind == k for i in lib.items.values()) for k in KINDS}
    document = {"ok": not problems, "decks": [d.id for d in lib.decks], "items": counts,
                "problems": [str(p) for p in problems], "warnings": [str(w) for w in warnings]}
    if args.json:
        emit(args, document, "")
    else:
        for p in problems:
            print(printable(str(p)), file=sys.stderr)
        for w in warnings:
            print(printable(f"warning: {w}"), file=sys.stderr)
        summary = ", ".join(f"{n} {k}s" for k, n in counts.items())
        if problems:
            print(f"{len(problems)} problem(s) in {len(lib.decks)} deck(s) ({summary})", file=sys.stderr)
        else:
            print(f"ok: {len(lib.decks)} deck(s), {summary}")
    return EXIT_BAD_INPUT if problems else EXIT_OK


def cmd_content_list(args: argparse.Namespace) -> int:
    from tutor.content.models import Card

    lib = library(args)
    if args.deck and not lib.deck(args.deck):
        raise unknown_deck(args.deck, [d.id for d in lib.decks])
    items = [i for i in lib.items.values()
             if (not args.deck or i.deck == args.deck) and (not args.kind or i.kind == args.kind)]
    if args.json:
        emit(args, {"items": [item_document(i) for i in items], "count": len(items)}, "")
    elif args.full:
        blocks = [f"── {i.id} ({i.kind}{'/' + i.type if isinstance(i, Card) else ''}) ──\n" + render.question_answer(i)
                  for i in items]
        emit(args, None, "\n\n".join(blocks) or "No items.")
    else:
        width = max((len(i.id) for i in items), default=0)
        lines = [f"{i.id:<{width}}  {i.kind:<10} {i.deck:<10} {i.title}" for i in items]
        emit(args, None, "\n".join([*lines, f"{len(items)} item(s)"]))
    return EXIT_OK
