"""From the parsed options to the services, and back out: settings, the study, the content
library, the item a command names, the answer file it reads, and the one output writer."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tutor.errors import UsageError
from tutor.printable import json_printable, printable

if TYPE_CHECKING:
    from tutor.config import Settings
    from tutor.content.library import Library
    from tutor.content.models import Item
    from tutor.study import Study

ItemT = TypeVar("ItemT", bound="Item")
MAX_ANSWER_BYTES = 2_000_000


def emit(args: argparse.Namespace, document: Any, text: str,
         encode: Callable[[Any, int | None], str] | None = None) -> None:
    """`document` as one JSON document under `--json` (written by `encode(document, indent)`
    when given), else `text` (when there is any); what a learner or a deck wrote in either is
    shown with its control characters escaped."""
    if getattr(args, "json", False):
        indent = 2 if sys.stdout.isatty() else None  # the C encoder only runs without indent
        if encode is None:
            import json  # not at the top: most commands print text

            encoded = json.dumps(document, indent=indent, ensure_ascii=False)
        else:
            encoded = encode(document, indent)
        sys.stdout.write(json_printable(encoded) + "\n")
    elif text:
        sys.stdout.write(printable(text.rstrip("\n")) + "\n")


def warning(message: str) -> None:
    print(f"tutor: warning: {printable(message)}", file=sys.stderr)


def settings(args: argparse.Namespace) -> Settings:
    from tutor.config import load_settings

    return load_settings({"scheduler": args.scheduler}, home=args.home)


def roots(args: argparse.Namespace) -> list[Path]:
    from tutor.config import content_dirs

    return content_dirs(args.content)


def open_study(args: argparse.Namespace, *, warn: bool = True) -> Study:
    """The study the options name; with `warn`, decks left out for content issues are named on stderr."""
    from tutor.study import open_study as open_

    study = open_(args.home, args.content, args.scheduler)
    if warn and study.skipped and not getattr(args, "json", False):
        for line in study.skipped:
            warning(line)
        warning("run `tutor content validate` to see every issue")
    return study


def unknown_deck(deck: str, known: Sequence[str]) -> UsageError:
    return UsageError(f"unknown deck {deck!r} (decks: {', '.join(known) or 'none'})")


def check_deck(study: Study, deck: str | None) -> None:
    if deck and deck not in {d.id for d in study.decks()}:
        raise unknown_deck(deck, [d.id for d in study.decks()])


def library(args: argparse.Namespace, paths: Sequence[str] | None = None, *, validating: bool = False) -> Library:
    """The decks on the content path (or `paths`); two decks with one id are refused, except
    when `validating` lists every issue."""
    from tutor.content.library import load_library

    lib = load_library([Path(p) for p in paths] if paths else roots(args))
    if not validating:
        lib.refuse_duplicate_decks()
    return lib


def engine_item(args: argparse.Namespace, model: type[ItemT]) -> ItemT:
    """The drill or derivation named on the command line, reading only the file that holds it."""
    from tutor.content.library import load_item

    item = load_item(roots(args), args.id)
    if not isinstance(item, model):
        ids = [i.id for i in library(args).items.values() if isinstance(i, model)]
        raise UsageError(f"unknown {model.kind} {args.id!r} (one of: {', '.join(ids) or 'none'})")
    return item


def read_answer(path: str) -> str:
    """The learner's answer file (or stdin for `-`): UTF-8 text of at most 2 MB."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_ANSWER_BYTES + 1)
    else:
        try:  # opened without waiting: a FIFO no one writes to would block the open forever, and
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # reads as empty; a pipe being
            os.set_blocking(fd, True)  # written (`<(...)`) is read to its end
            with os.fdopen(fd, "rb") as fh:
                data = fh.read(MAX_ANSWER_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_ANSWER_BYTES:
        raise UsageError(f"{path}: larger than 2 MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None


def save_attempt(args: argparse.Namespace, item: Item, result: Mapping[str, Any]) -> None:
    """Store a check of the item with the named mistakes it found (as `Study.save_attempt`,
    without loading the study: a drill check stays quick)."""
    from tutor import clock
    from tutor.config import home_dir
    from tutor.store import Store
    from tutor.study.mistakes import attempt_status, named_mistakes

    with Store.open(home_dir(args.home)) as store:
        store.add_attempt(item.id, item.kind, attempt_status(result), result, clock.now(),
                          named_mistakes(item, result))


def item_document(item: Item) -> dict[str, Any]:
    """An item as JSON: its fields (nested records as objects) and the file it came from."""
    import json
    from dataclasses import asdict, fields

    values = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in ("lines", "origin")}
    out: dict[str, Any] = json.loads(json.dumps({k: asdict(v) if hasattr(v, "__dataclass_fields__") else v
                                                 for k, v in values.items()}, default=lambda o: asdict(o)))
    out["source"] = str(item.origin)
    return out
