"""Study commands: the app, today's queue, one review, undo, the plan, stats and the doctor."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from tutor.cli import render
from tutor.cli.wiring import check_deck, emit, library, open_study, roots
from tutor.content.kinds import KINDS
from tutor.errors import EXIT_BAD_INPUT, EXIT_OK, UsageError

if TYPE_CHECKING:
    from tutor.study import Study


def cmd_study(args: argparse.Namespace) -> int:
    """The app in a terminal; piped or redirected, today's summary instead."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        args.json = False
        return cmd_due(args)
    from tutor.config import config_file
    from tutor.tui.app import run_app

    with open_study(args, warn=False) as study:  # the app lists content issues itself
        check_deck(study, args.deck)
        return run_app(study, deck=args.deck, config_path=config_file(args.home))


def cmd_due(args: argparse.Namespace) -> int:
    with open_study(args) as study:
        check_deck(study, args.deck)
        queue = study.queue(args.deck)
        statuses, kinds = Counter(e.status for e in queue), Counter(e.kind for e in queue)
        counts = {s: statuses[s] for s in ("overdue", "due", "new")}
        by_kind = {k: kinds[k] for k in KINDS}
        upcoming = study.next_due(args.deck)
        minutes = round(sum(e.seconds for e in queue) / 60, 1)
        document = {"today": study.today().isoformat(), "minutes": minutes,
                    "budget_minutes": study.settings.daily_minutes,
                    "counts": {**counts, "total": len(queue), "by_kind": by_kind},
                    "next_due": upcoming.isoformat() if upcoming else None,
                    "items": queue, "content_problems": len(study.content_issues)}
        emit(args, document, "" if args.json else render.due(document), render.due_json)  # 9,000 due items: 20 ms
        return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from tutor.schedule import RATINGS

    with open_study(args) as study:
        review_id, state = study.review(args.id, RATINGS[args.rating], detail=_variant_detail(args, study))
        document = {"review_id": review_id, "id": args.id, "rating": args.rating, "due": state.due.isoformat(),
                    "state": state.to_dict()}
        emit(args, document, f"Recorded {args.rating} for {args.id}; next due {state.due.isoformat()}"
                             f" ({(state.due - study.today()).days} days).")
        return EXIT_OK


def _variant_detail(args: argparse.Namespace, study: Study) -> dict[str, Any] | None:
    """A variant item's review keeps the variant the app shows now (`tutor.study.variants`)."""
    from tutor.content.library import load_item

    item = load_item(roots(args), args.id)
    if item is None or item.variation is None:
        return None
    _, drawn = study.drawn(item)
    return drawn.detail() if drawn is not None else None


def cmd_undo(args: argparse.Namespace) -> int:
    from tutor.schedule import RATING_NAMES

    with open_study(args) as study:
        undone = study.undo()
        if undone is None:
            emit(args, {"undone": None}, "Nothing to undo.")
            return EXIT_OK
        state = study.store.state(undone.item_id)
        document = {"undone": {"review_id": undone.id, "id": undone.item_id, "rating": RATING_NAMES[undone.rating]},
                    "due": state.due.isoformat() if state else None}
        emit(args, document, f"Undid {RATING_NAMES[undone.rating]} on {undone.item_id}.")
        return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    with open_study(args) as study:
        check_deck(study, args.deck)
        if args.interview is not None:
            set_interview(args, study)
        starts = study.deck_starts()
        decks: list[dict[str, Any]] = []
        for deck in study.decks():
            if args.deck and deck.id != args.deck:
                continue
            start = starts.get(deck.id)
            decks.append({"deck": deck.id, "title": deck.title, "started": start.isoformat() if start else None,
                          "day": study.deck_day(deck.id, starts=starts),
                          "checkpoints": [c.to_dict() for c in study.plan(deck.id)]})
            ready = study.readiness(deck.id)
            decks[-1]["interview"] = ready.to_dict() if ready else None
        dated = [d["interview"] for d in decks if d["interview"]]
        document = {"today": study.today().isoformat(), "interview": dated[0] if dated else None,
                    "daily_minutes": study.settings.daily_minutes, "decks": decks}
        emit(args, document, render.plan(document))
        return EXIT_OK


def set_interview(args: argparse.Namespace, study: Study) -> None:
    """`--interview DATE|none`: kept in config.yaml's `interview` (per deck with --deck)."""
    from dataclasses import replace

    from tutor.config import config_file, save_setting
    from tutor.study.interview import BadDate, with_date

    try:
        dates = with_date(study.settings.interview, args.deck, args.interview, study.today())
    except BadDate as exc:
        raise UsageError(f"--interview: {exc}") from None
    save_setting(config_file(args.home), "interview", dates)
    study.settings = replace(study.settings, interview=dates)


def cmd_mock(args: argparse.Namespace) -> int:
    """The mock interview in the app; with --json, or piped, the session it asks (`tutor.study.mock`)."""
    from tutor.study import mock

    in_app = not args.json and sys.stdin.isatty() and sys.stdout.isatty()
    with open_study(args, warn=not in_app) as study:
        check_deck(study, args.deck)
        if in_app:
            from tutor.config import config_file
            from tutor.tui.app import run_app

            return run_app(study, deck=args.deck, config_path=config_file(args.home),
                           mock_minutes=args.minutes or study.settings.mock_minutes)  # None would open a study
        decks = [args.deck] if args.deck else [d.id for d in study.decks()]
        document = mock.session(study, library(args), decks, args.minutes or study.settings.mock_minutes)
    emit(args, document, render.mock(document))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from tutor.study.stats import summary

    with open_study(args) as study:
        document = summary(study.store, study.today())
    emit(args, document, render.stats(document))
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from tutor.config import home_dir
    from tutor.store import Store

    with Store.open(home_dir(args.home)) as store:
        errors = store.integrity_errors()
        version = store.schema_version()
        counts = {} if errors else store.row_counts()  # a damaged file's counts would be read through it
        rebuilt = None
        if args.rebuild and not errors:
            with open_study(args, warn=False) as study:
                rebuilt = study.store.rebuild_states(study.schedule_key(), study.scheduler_for, skip_unusable=True)
        damaged = [] if errors else store.damaged_states()
    document = {"database": str(store.path), "schema": version, "integrity": errors or "ok",
                "counts": counts, "rebuilt_items": rebuilt.items if rebuilt else None,
                "not_rebuilt": list(rebuilt.skipped) if rebuilt else [], "damaged_states": damaged}
    emit(args, document, render.doctor(document))
    return EXIT_BAD_INPUT if errors or document["not_rebuilt"] or damaged else EXIT_OK
