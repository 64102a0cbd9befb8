"""Interop commands: export to Anki, CSV or a JSON backup; import a backup or a CSV; new decks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.cli.wiring import emit, library, open_study
from tutor.errors import EXIT_OK, UsageError

if TYPE_CHECKING:
    from tutor.content.models import Item


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.format == "json":
        from tutor.interop import export_backup, review_counts, write_backup

        with open_study(args) as study:
            document = export_backup(study.store, library(args), study.settings)
        write_backup(document, out)
        counts = {**review_counts(document), **{k: len(document[k]) for k in ("attempts", "drafts")}}
        undone = f" and {_counted(counts['undone'], 'undone review')}" if counts["undone"] else ""
        emit(args, {"format": "json", "path": str(out), **counts},
             f"Backed up {_counted(counts['reviews'], 'review')}{undone}, {counts['attempts']} attempts and "
             f"{counts['drafts']} drafts to {out}.\nRestore them anywhere with `tutor import {out}`.")
    elif args.format == "anki":
        from tutor.interop import export_anki

        summary = export_anki(library(args), out)
        kinds = ", ".join(f"{n} {k}" for k, n in summary.by_type.items())
        skipped = ", ".join(f"{n} {k}s" for k, n in summary.skipped.items())
        emit(args, {"format": "anki", **summary.to_dict()},
             f"Wrote {summary.notes} Anki notes ({kinds or 'none'}) to {out}."
             + (f"\nLeft out {skipped}: Anki cannot run drills, check derivations or draw new numbers."
                if skipped else "")
             + "\nIn Anki: File > Import. Importing a newer export updates these notes, never duplicates them.")
    else:
        from tutor.interop import export_csv

        rows = export_csv(library(args), out, shown=_as_first_shown)
        emit(args, {"format": "csv", "path": str(out), "rows": rows},
             f"Wrote {rows} rows (id, deck, kind, front, back, tags) to {out}.")
    return EXIT_OK


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _as_first_shown(item: Item) -> Item:
    """A variant item with the numbers of its first review (the template's `{beta}` is not what
    a learner reads); one whose numbers cannot be drawn is never shown, and stays a template."""
    if item.variation is None:
        return item
    from tutor.study.variants import VariantError, first_variant

    try:
        return first_variant(item)
    except VariantError:
        return item


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    fmt = args.format or ("csv" if path.suffix.lower() in (".csv", ".tsv", ".txt") else "json")
    if fmt == "json":
        from tutor.config import config_file
        from tutor.interop import import_backup, read_backup, restore_settings

        data = read_backup(path)  # checked whole before anything is opened or written
        settings_restored = restore_settings(data, config_file(args.home))
        try:  # the rows and states go in one transaction; the settings go with them or not at all
            with open_study(args) as study:
                counts = import_backup(study.store, data, scheduler_name=study.schedule_key(),
                                       scheduler_for=study.scheduler_for)
        except BaseException:
            if settings_restored:
                config_file(args.home).unlink(missing_ok=True)
            raise
        drafts = counts["drafts_added"] + counts["drafts_updated"]
        emit(args, {"format": "json", "path": str(path), "settings_restored": settings_restored, **counts},
             f"Restored {counts['reviews_added']} review records ({counts['reviews_present']} were already "
             f"here), {counts['attempts_added']} attempts, {counts['mistakes_added']} named mistakes and {drafts} "
             f"drafts from {path}."
             + ("\nSettings restored to " + str(config_file(args.home)) + "." if settings_restored else ""))
        return EXIT_OK
    from tutor.interop import import_csv
    from tutor.interop.csvio import slugify

    deck = args.deck or slugify(path.stem, 40) or "imported"
    lib = library(args)
    if lib.deck(deck):
        raise UsageError(f"a deck {deck!r} is already loaded; choose another id with --deck")
    out = Path(args.out) if args.out else Path.cwd() / deck
    created = import_csv(path, out, deck, args.title or path.stem, taken_ids=lib.items)
    count = len(library(args, [str(created)]).items)
    emit(args, {"format": "csv", "deck": deck, "path": str(created), "cards": count},
         f"Created deck {deck!r} with {count} cards in {created}.\n"
         f"Check it with `tutor content validate {created}`; study it with `tutor --content {created}` "
         "(or add the folder to TUTOR_CONTENT).")
    return EXIT_OK


def cmd_new_deck(args: argparse.Namespace) -> int:
    from tutor.interop import new_deck

    path = new_deck(args.name, Path(args.dir))
    emit(args, {"path": str(path), "deck": path.name},
         f"Created {path} with one example of each kind of item, every field commented.\n"
         f"Edit the files, then run `tutor content validate {path}` until it says ok; "
         f"study it with `tutor --content {path}`.")
    return EXIT_OK


