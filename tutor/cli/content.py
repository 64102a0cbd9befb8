"""Content commands: validate deck files, list their items."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.cli import render
from tutor.cli.wiring import emit, item_document, library, roots, unknown_deck
from tutor.content.kinds import KINDS
from tutor.errors import EXIT_BAD_INPUT, EXIT_OK, UsageError
from tutor.printable import printable

if TYPE_CHECKING:
    from tutor.content.yamlsrc import ContentIssue


def cmd_content_validate(args: argparse.Namespace) -> int:
    from tutor.study import validation_cache

    for p in args.paths:
        if not Path(p).exists():
            raise UsageError(f"{p}: no such file or directory")
    # Folders validated alone are still checked against every deck on the content path (clashes).
    key = validation_cache.key([*map(Path, args.paths), *roots(args)] if args.paths else roots(args),
                               args.quick)
    document = validation_cache.load(key)
    if document is None:
        document = _validate(args)
        validation_cache.save(key, document)
    if args.json:
        emit(args, document, "")
    else:
        for issue in document["problems"]:
            print(printable(issue), file=sys.stderr)
        for w in document["warnings"]:
            print(printable(f"warning: {w}"), file=sys.stderr)
        summary = ", ".join(f"{n} {k}s" for k, n in document["items"].items())
        if document["problems"]:
            print(f"{len(document['problems'])} issue(s) in {len(document['decks'])} deck(s) ({summary})",
                  file=sys.stderr)
        else:
            print(f"ok: {len(document['decks'])} deck(s), {summary}")
    return EXIT_OK if document["ok"] else EXIT_BAD_INPUT


def _validate(args: argparse.Namespace) -> dict[str, Any]:
    """Load and check the content (and, unless --quick, run the engines' checks)."""
    from tutor.content.library import content_warnings
    from tutor.study.validate import check_engines

    lib = library(args, args.paths, validating=True)
    issues = list(lib.issues)
    if args.paths:
        from tutor.content.library import clashes
        from tutor.study.validation_cache import content_ids

        issues += clashes(lib, content_ids(roots(args)))
    if not args.quick:
        issues += check_engines(lib)
    issues.sort(key=lambda p: (p.file, p.line))
    counts = {k: sum(i.kind == k for i in lib.items.values()) for k in KINDS}
    warnings = content_warnings(lib)
    entries = [_entry(p, "error") for p in issues] + [_entry(w, "warning") for w in warnings]
    return {"ok": not issues, "decks": [d.id for d in lib.decks], "items": counts,
            "problems": [str(p) for p in issues], "warnings": [str(w) for w in warnings],
            "entries": entries}


def _entry(issue: ContentIssue, severity: str) -> dict[str, Any]:
    """One issue for `--json`: where it is (file, line, key path), what, and how bad."""
    return {"file": issue.file, "line": issue.line, "path": issue.path, "message": issue.message,
            "severity": severity}


def cmd_read(args: argparse.Namespace) -> int:
    """A lesson on the terminal (formatted on a terminal, plain text in a pipe), or the list of sections."""
    from tutor.content.library import load_lessons
    from tutor.content.models import authored_id

    decks = {deck: lessons for deck, lessons in load_lessons(roots(args)).items() if lessons}
    if args.deck:
        if args.deck not in decks:
            raise unknown_deck(args.deck, list(decks))
        decks = {args.deck: decks[args.deck]}
    if args.list or not args.section:
        document = {"decks": [{"deck": deck, "sections": [_section_document(lesson, n)
                                                          for n, lesson in enumerate(lessons, 1)]}
                              for deck, lessons in decks.items()]}
        emit(args, document, render.sections(document))
        return EXIT_OK
    found = [(n, lesson) for lessons in decks.values() for n, lesson in enumerate(lessons, 1)
             if authored_id(args.section) in (lesson.id, *lesson.prepares)]
    if not found:
        known = ", ".join(lesson.id for lessons in decks.values() for lesson in lessons)
        raise UsageError(f"no section or item {args.section!r} has a lesson (sections: {known or 'none'})")
    if len({lesson.deck for _, lesson in found}) > 1:
        raise UsageError(f"{args.section!r} is in decks {', '.join(sorted({s.deck for _, s in found}))}: "
                         "choose one with --deck")
    part, lesson = found[0]
    if args.json:
        emit(args, {**_section_document(lesson, part), "deck": lesson.deck, "text": lesson.text}, "")
    elif sys.stdout.isatty():
        render.print_markdown(lesson.text)
    else:
        from tutor.content.lessons import plain_text

        sys.stdout.write(plain_text(lesson))
    return EXIT_OK


def _section_document(lesson, part: int) -> dict:
    return {"id": lesson.id, "part": part, "title": lesson.title, "day": lesson.day,
            "prepares": list(lesson.prepares), "source": str(lesson.origin)}


def cmd_content_list(args: argparse.Namespace) -> int:
    from tutor.content.models import Card

    lib = library(args)
    if args.deck and not lib.deck(args.deck):
        raise unknown_deck(args.deck, [d.id for d in lib.decks])
    items = [i for i in lib.review_items()
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
