"""The `tutor` command line: argument parsing and output only; the work is in the services.

Exit status: 0 done or passed, 1 the checked answer is wrong, 2 bad input. Errors are one
line on stderr, never a traceback; `--json` prints exactly one JSON document on stdout.
Heavy modules (Textual, SymPy, numpy) are imported inside the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from tutor import __version__

EXIT_OK, EXIT_WRONG, EXIT_BAD_INPUT = 0, 1, 2
KINDS = ("card", "problem", "drill", "derivation")


class UsageError(Exception):
    """Bad input from the command line; becomes one line on stderr and exit 2."""


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter with the width measured here: its own way imports shutil (slow)."""

    def __init__(self, prog: str) -> None:
        try:
            columns = os.get_terminal_size().columns
        except OSError:
            columns = 80
        super().__init__(prog, width=max(40, min(columns, 100)) - 2)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _emit(args: argparse.Namespace, document: Any, text: str) -> None:
    if getattr(args, "json", False):
        indent = 2 if sys.stdout.isatty() else None  # the C encoder only runs without indent
        sys.stdout.write(json.dumps(document, indent=indent, ensure_ascii=False) + "\n")
    elif text:
        sys.stdout.write(text.rstrip("\n") + "\n")


# -- wiring ----------------------------------------------------------------------------------

def _settings(args: argparse.Namespace):
    from tutor.config import load_settings

    return load_settings({"scheduler": args.scheduler}, home=args.home)


def _roots(args: argparse.Namespace) -> list[Path]:
    from tutor.config import content_dirs

    return content_dirs(args.content)


def _open_study(args: argparse.Namespace):
    from tutor.config import home_dir
    from tutor.store import Store
    from tutor.study import Study

    settings = _settings(args)
    store = Store.open(home_dir(args.home))
    study = Study(store, settings, _roots(args))
    if study.problems and not getattr(args, "json", False):
        print(f"tutor: warning: the content has {len(study.problems)} problem(s); "
              "run `tutor content validate`", file=sys.stderr)
    return study


def _deck_arg(study, deck: str | None) -> None:
    if deck and deck not in {d.id for d in study.decks()}:
        raise UsageError(f"unknown deck {deck!r} (decks: {', '.join(d.id for d in study.decks()) or 'none'})")


# -- study commands --------------------------------------------------------------------------

def cmd_due(args: argparse.Namespace) -> int:
    study = _open_study(args)
    _deck_arg(study, args.deck)
    queue = study.queue(args.deck)
    today = study.today()
    counts = {s: sum(e.status == s for e in queue) for s in ("overdue", "due", "new")}
    by_kind = {k: sum(e.kind == k for e in queue) for k in KINDS}
    upcoming = study.next_due(args.deck)
    document = {"today": today.isoformat(), "counts": {**counts, "total": len(queue), "by_kind": by_kind},
                "next_due": upcoming.isoformat() if upcoming else None,
                "items": [e.to_dict() for e in queue], "content_problems": len(study.problems)}
    lines = [f"Today ({today.isoformat()}): {counts['overdue'] + counts['due']} to review"
             f" ({counts['overdue']} overdue), {counts['new']} new"]
    if queue:
        lines.append("  " + " · ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in by_kind.items() if n))
        width = max(len(e.item_id) for e in queue)
        for e in queue:
            lines.append(f"  {e.status:<8} {e.item_id:<{width}}  {e.kind:<10} {e.title}")
        lines.append("Study with `tutor` (opens the app), or record one review with "
                     "`tutor review ID --rating again|hard|good|easy`.")
    else:
        lines.append("Nothing left for today." + (f" Next reviews on {upcoming.isoformat()}." if upcoming else "")
                     + " Browse the decks with `tutor content list`.")
    _emit(args, document, "\n".join(lines))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from tutor.schedule import RATINGS

    study = _open_study(args)
    review_id, state = study.review(args.id, RATINGS[args.rating])
    document = {"review_id": review_id, "id": args.id, "rating": args.rating, "due": state.due.isoformat(),
                "state": state.to_dict()}
    _emit(args, document, f"Recorded {args.rating} for {args.id}; next due {state.due.isoformat()}"
                          f" ({(state.due - study.today()).days} days).")
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    from tutor.schedule import RATING_NAMES

    study = _open_study(args)
    undone = study.undo()
    if undone is None:
        _emit(args, {"undone": None}, "Nothing to undo.")
        return EXIT_OK
    state = study.store.state(undone.item_id)
    document = {"undone": {"review_id": undone.id, "id": undone.item_id, "rating": RATING_NAMES[undone.rating]},
                "due": state.due.isoformat() if state else None}
    _emit(args, document, f"Undid {RATING_NAMES[undone.rating]} on {undone.item_id}.")
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    study = _open_study(args)
    _deck_arg(study, args.deck)
    decks = [d for d in study.decks() if not args.deck or d.id == args.deck]
    document = {"today": study.today().isoformat(), "decks": []}
    lines = []
    starts = study.deck_starts()
    for deck in decks:
        checkpoints = study.plan(deck.id)
        start = starts.get(deck.id)
        document["decks"].append({"deck": deck.id, "title": deck.title,
                                  "started": start.isoformat() if start else None,
                                  "day": study.deck_day(deck.id, starts=starts),
                                  "checkpoints": [c.to_dict() for c in checkpoints]})
        lines.append(f"{deck.title} ({deck.id}): " + (f"day {study.deck_day(deck.id, starts=starts)}, started "
                                                       f"{start.isoformat()}" if start else "not started yet"))
        for c in checkpoints:
            mark = {"done": "✓", "due": "•", "upcoming": " "}[c.status]
            lines.append(f"  {mark} Day {c.day:<3} {c.date.isoformat()}  {c.status:<8} {c.goal}")
    _emit(args, document, "\n".join(lines) or "No decks found.")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from tutor.study.stats import summary

    study = _open_study(args)
    document = summary(study.store, study.today())
    r30, rall = document["retention_30d"], document["retention_all"]

    def pct(r: dict) -> str:
        return f"{r['rate'] * 100:.0f}% of {r['reviews']}" if r["rate"] is not None else "no reviews yet"

    week = list(document["reviews_per_day"].values())[-7:]
    lines = [f"Reviews: {document['reviews']} over {document['items_studied']} items; "
             f"streak {document['streak']} day(s)",
             f"True retention: {pct(r30)} (30 days), {pct(rall)} (all time)",
             f"Last 7 days: {' '.join(map(str, week))}",
             f"Due in the next 7 days: {' '.join(map(str, list(document['forecast'].values())[:7]))}",
             f"Leeches: {', '.join(x['id'] for x in document['leeches']) or 'none'}"]
    _emit(args, document, "\n".join(lines))
    return EXIT_OK


# -- content ---------------------------------------------------------------------------------

def _library(args: argparse.Namespace, paths: Sequence[str] | None = None):
    from tutor.content import load_library

    return load_library([Path(p) for p in paths] if paths else _roots(args))


def cmd_content_validate(args: argparse.Namespace) -> int:
    from tutor.content import check_engines

    for p in args.paths:
        if not Path(p).exists():
            raise UsageError(f"{p}: no such file or directory")
    lib = _library(args, args.paths)
    problems = list(lib.problems)
    if not args.quick:
        problems += check_engines(lib)
    problems.sort(key=lambda p: (p.file, p.line))
    counts = {k: sum(i.kind == k for i in lib.items.values()) for k in KINDS}
    document = {"ok": not problems, "decks": [d.id for d in lib.decks], "items": counts,
                "problems": [str(p) for p in problems]}
    if getattr(args, "json", False):
        _emit(args, document, "")
    else:
        for p in problems:
            print(p, file=sys.stderr)
        summary = ", ".join(f"{n} {k}s" for k, n in counts.items())
        if problems:
            print(f"{len(problems)} problem(s) in {len(lib.decks)} deck(s) ({summary})", file=sys.stderr)
        else:
            print(f"ok: {len(lib.decks)} deck(s), {summary}")
    return EXIT_BAD_INPUT if problems else EXIT_OK


def _item_document(item) -> dict[str, Any]:
    from dataclasses import asdict, fields

    out = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in ("lines", "origin")}
    out = json.loads(json.dumps({k: asdict(v) if hasattr(v, "__dataclass_fields__") else v
                                 for k, v in out.items()}, default=lambda o: asdict(o)))
    out["source"] = str(item.origin)
    return out


def _question_answer(item) -> str:
    """An item as plain text, question then answer, for reading decks in the terminal."""
    from tutor.content.text import cloze_back, cloze_front

    if item.kind == "card":
        if item.type == "cloze":
            question, answer = cloze_front(item.front), cloze_back(item.front) + ("\n" + item.back if item.back else "")
        else:
            question, answer = item.front, item.back
        if item.type == "choice":
            question += "\n" + "\n".join(f"  {n}) {o}" for n, o in enumerate(item.options))
            picked = ", ".join(item.options[a] for a in item.answer)
            answer = f"{picked}\n" + "\n".join(f"  {n}) {e}" for n, e in enumerate(item.explain)) + (
                f"\n{item.back}" if item.back else "")
        if item.type == "typed":
            answer = " | ".join(item.accept) + (f"\n{item.back}" if item.back else "")
    elif item.kind == "problem":
        question, answer = item.prompt, item.answer
    elif item.kind == "drill":
        question, answer = item.prompt, item.signature
    else:
        question, answer = item.prompt, "\n".join(item.solution)
    return f"Q: {question.strip()}\nA: {answer.strip()}"


def cmd_content_list(args: argparse.Namespace) -> int:
    lib = _library(args)
    if args.deck and not lib.deck(args.deck):
        raise UsageError(f"unknown deck {args.deck!r} (decks: {', '.join(d.id for d in lib.decks) or 'none'})")
    items = [i for i in lib.items.values()
             if (not args.deck or i.deck == args.deck) and (not args.kind or i.kind == args.kind)]
    if getattr(args, "json", False):
        _emit(args, {"items": [_item_document(i) for i in items], "count": len(items)}, "")
        return EXIT_OK
    if args.full:
        blocks = [f"── {i.id} ({i.kind}{'/' + i.type if i.kind == 'card' else ''}) ──\n" + _question_answer(i)
                  for i in items]
        _emit(args, None, "\n\n".join(blocks) or "No items.")
        return EXIT_OK
    width = max((len(i.id) for i in items), default=0)
    lines = [f"{i.id:<{width}}  {i.kind:<10} {i.deck:<10} {i.title}" for i in items]
    lines.append(f"{len(items)} item(s)")
    _emit(args, None, "\n".join(lines))
    return EXIT_OK


# -- doctor ----------------------------------------------------------------------------------

def cmd_doctor(args: argparse.Namespace) -> int:
    from tutor.config import home_dir
    from tutor.store import Store

    store = Store.open(home_dir(args.home))
    problems = store.integrity_problems()
    version = store.con.execute("PRAGMA user_version").fetchone()[0]
    counts = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("reviews", "item_state", "attempts", "drafts")}
    rebuilt = None
    if args.rebuild and not problems:
        from tutor.study import Study

        study = Study(store, _settings(args), _roots(args))
        rebuilt = store.rebuild_states(study.settings.scheduler, study.scheduler_for)
    document = {"database": str(store.path), "schema": version, "integrity": problems or "ok",
                "counts": counts, "rebuilt_items": rebuilt}
    lines = [f"database: {store.path} (schema {version})",
             "integrity: ok" if not problems else "integrity: FAILED\n  " + "\n  ".join(problems[:20]),
             "rows: " + ", ".join(f"{n} {t}" for t, n in counts.items())]
    if rebuilt is not None:
        lines.append(f"rebuilt the state of {rebuilt} item(s) from the review log")
    _emit(args, document, "\n".join(lines))
    return EXIT_BAD_INPUT if problems else EXIT_OK


# -- drills and derivations ------------------------------------------------------------------

def _engine_item(args: argparse.Namespace, kind: str):
    """The drill or derivation named on the command line, reading only the file that holds it."""
    from tutor.content.library import load_item

    item = load_item(_roots(args), args.id)
    if item is None or item.kind != kind:
        ids = [i.id for i in _library(args).items.values() if i.kind == kind]
        raise UsageError(f"unknown {kind} {args.id!r} (one of: {', '.join(ids) or 'none'})")
    return item


def _read_answer(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read(2_000_001)
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read(2_000_001)
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > 2_000_000:
        raise UsageError(f"{path}: larger than 2 MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None


def _list_kind(args: argparse.Namespace, kind: str) -> int:
    items = [i for i in _library(args).items.values() if i.kind == kind]
    document = {"items": [{"id": i.id, "title": i.title, "deck": i.deck, "tags": list(i.tags)} for i in items]}
    width = max((len(i.id) for i in items), default=0)
    _emit(args, document, "\n".join(f"{i.id:<{width}}  {i.title}" for i in items) or f"No {kind}s.")
    return EXIT_OK


def _save_attempt(args: argparse.Namespace, item, result: dict[str, Any]) -> None:
    from tutor import clock
    from tutor.config import home_dir
    from tutor.store import Store

    with Store.open(home_dir(args.home)) as store:
        store.add_attempt(item.id, item.kind, result.get("status", "error"), result, clock.now())


def _early_drill_runner(argv: Sequence[str]):
    """For `drill check`, a sandboxed child started before anything else, so its numpy import
    overlaps with parsing, settings and reading the drill here. None when it cannot start:
    the check then starts its own child and reports what went wrong."""
    if list(argv[:2]) != ["drill", "check"]:
        return None
    from tutor.drills import WarmRunner

    runner = WarmRunner(keep_warm=False)
    try:
        runner.start()
    except Exception:  # the check itself will report the sandbox's failure
        runner.close()
        return None
    return runner


def cmd_drill(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list_kind(args, "drill")
    drill = _engine_item(args, "drill")
    if args.action == "starter":
        sys.stdout.write(drill.starter.rstrip("\n") + "\n")
        return EXIT_OK
    if args.action == "show":
        document = _item_document(drill)
        hints = "\n".join(f"  {n}. {h}" for n, h in enumerate(drill.hints, 1))
        _emit(args, document, f"{drill.title} ({drill.id})\n\n{drill.prompt.strip()}\n\n{drill.signature}\n"
                              + (f"\nHints:\n{hints}" if hints else "")
                              + (f"\nAt most {drill.max_lines} lines of body." if drill.max_lines else ""))
        return EXIT_OK
    source = _read_answer(args.file)
    import tutor.store  # noqa: F401 - loaded while the child still imports numpy

    runner = args.drill_runner
    if runner is None:
        from tutor.drills import check_drill

        result = check_drill(drill, source)
    else:
        result = runner.check(drill, source)
    _save_attempt(args, drill, result)
    _emit(args, result, _drill_text(result))
    return {"pass": EXIT_OK, "fail": EXIT_WRONG}.get(result["status"], EXIT_BAD_INPUT)


def _drill_text(result: dict[str, Any]) -> str:
    tests = result.get("tests", [])
    passed = sum(t["status"] == "pass" for t in tests)
    lines = [f"{result['status'].upper()}: {result['drill']}"
             + (f" — {passed}/{len(tests)} cases passed" if tests else "")]
    if result.get("message"):
        lines.append(result["message"])
    first = next((t for t in tests if t["status"] != "pass"), None)
    if first and result["status"] == "fail":
        lines.append(f"First failure: {first['name']}\n{first.get('message') or ''}".rstrip())
    if result.get("diagnosis"):
        lines.append(f"Diagnosis ({result['diagnosis']['id']}): {result['diagnosis']['message']}")
    return "\n".join(lines)


def cmd_derive(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list_kind(args, "derivation")
    derivation = _engine_item(args, "derivation")
    if args.action == "show":
        document = _item_document(derivation)
        defs = "\n".join(f"  {k} = {v}" for k, v in derivation.definitions.items())
        facts = "\n".join(f"  {k} = {v}" for k, v in derivation.facts.items())
        _emit(args, document, f"{derivation.title} ({derivation.id})\n\n{derivation.prompt.strip()}\n"
                              + (f"\nDefinitions:\n{defs}" if defs else "") + (f"\nFacts:\n{facts}" if facts else "")
                              + f"\nStart: {derivation.start}\nGoal:  {derivation.goal}")
        return EXIT_OK
    text = _read_answer(args.file)
    from tutor.derive import check_derivation

    result = check_derivation(derivation, text)
    _save_attempt(args, derivation, result)
    _emit(args, result, _derive_text(result))
    return {"pass": EXIT_OK, "fail": EXIT_WRONG}.get(result["status"], EXIT_BAD_INPUT)


def _derive_text(result: dict[str, Any]) -> str:
    marks = {"ok": "✓", "wrong": "✗", "unparsed": "?", "undecided": "~", "timeout": "⌛"}
    lines = []
    for step in result.get("steps", []):
        line = f"{marks.get(step['status'], ' ')} {step['line']:>3}: {step['text']}"
        if step.get("message") and step["status"] != "ok":
            line += f"\n        {step['message']}"
        if step.get("counterexample"):
            line += f"\n        counterexample: {json.dumps(step['counterexample'], ensure_ascii=False)}"
        lines.append(line)
    verdict = {"pass": "PASS: the chain reaches the goal", "fail": "FAIL", "error": "ERROR"}[result["status"]]
    if result["status"] == "fail" and not result.get("goal_reached"):
        verdict += " (the goal is not reached)"
    lines.append(verdict + (f": {result['message']}" if result.get("message") else ""))
    return "\n".join(lines)


# -- export, import, new decks -----------------------------------------------------------------

def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.format == "json":
        from tutor.interop import export_backup, write_backup

        study = _open_study(args)
        document = export_backup(study.store, _library(args), study.settings)
        write_backup(document, out)
        counts = {k: len(document[k]) for k in ("reviews", "attempts", "drafts")}
        _emit(args, {"format": "json", "path": str(out), **counts},
              f"Backed up {counts['reviews']} review records, {counts['attempts']} attempts and "
              f"{counts['drafts']} drafts to {out}.\nRestore them anywhere with `tutor import {out}`.")
    elif args.format == "anki":
        from tutor.interop import export_anki

        summary = export_anki(_library(args), out)
        kinds = ", ".join(f"{n} {k}" for k, n in summary.by_type.items())
        skipped = ", ".join(f"{n} {k}s" for k, n in summary.skipped.items())
        _emit(args, {"format": "anki", **summary.to_dict()},
              f"Wrote {summary.notes} Anki notes ({kinds or 'none'}) to {out}."
              + (f"\nLeft out {skipped}: Anki cannot run drills or check derivations." if skipped else "")
              + "\nIn Anki: File > Import. Importing a newer export updates these notes, never duplicates them.")
    else:
        from tutor.interop import export_csv

        rows = export_csv(_library(args), out)
        _emit(args, {"format": "csv", "path": str(out), "rows": rows},
              f"Wrote {rows} rows (id, deck, kind, front, back, tags) to {out}.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    fmt = args.format or ("csv" if path.suffix.lower() in (".csv", ".tsv", ".txt") else "json")
    if fmt == "json":
        from tutor.config import config_file
        from tutor.interop import import_backup, read_backup, restore_settings

        data = read_backup(path)  # checked whole before anything is opened or written
        settings_restored = restore_settings(data, config_file(args.home))
        study = _open_study(args)
        counts = import_backup(study.store, data, scheduler_name=study.settings.scheduler,
                               scheduler_for=study.scheduler_for)
        drafts = counts["drafts_added"] + counts["drafts_updated"]
        _emit(args, {"format": "json", "path": str(path), "settings_restored": settings_restored, **counts},
              f"Restored {counts['reviews_added']} review records ({counts['reviews_present']} were already "
              f"here), {counts['attempts_added']} attempts and {drafts} drafts from {path}."
              + ("\nSettings restored to " + str(config_file(args.home)) + "." if settings_restored else ""))
        return EXIT_OK
    from tutor.interop import import_csv
    from tutor.interop.csvio import slugify

    deck = args.deck or slugify(path.stem, 40) or "imported"
    lib = _library(args)
    if lib.deck(deck):
        raise UsageError(f"a deck {deck!r} is already loaded; choose another id with --deck")
    out = Path(args.out) if args.out else Path.cwd() / deck
    created = import_csv(path, out, deck, args.title or path.stem, taken_ids=lib.items)
    from tutor.content import load_library

    count = len(load_library([created]).items)
    _emit(args, {"format": "csv", "deck": deck, "path": str(created), "cards": count},
          f"Created deck {deck!r} with {count} cards in {created}.\n"
          f"Check it with `tutor content validate {created}`; study it with `tutor --content {created}` "
          "(or add the folder to TUTOR_CONTENT).")
    return EXIT_OK


def cmd_new_deck(args: argparse.Namespace) -> int:
    from tutor.interop import new_deck

    path = new_deck(args.name, Path(args.dir))
    _emit(args, {"path": str(path), "deck": path.name},
          f"Created {path} with one example of each kind of item, every field commented.\n"
          f"Edit the files, then run `tutor content validate {path}` until it says ok; "
          f"study it with `tutor --content {path}`.")
    return EXIT_OK


# -- the app ---------------------------------------------------------------------------------

def cmd_study(args: argparse.Namespace) -> int:
    """The app in a terminal; piped or redirected, today's summary instead."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from tutor.tui.app import run_app

        return run_app(args)
    args.json = False
    return cmd_due(args)


# -- parser ----------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
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

    p = sub.add_parser("study", parents=[common], help="open the app (the default)")
    p.add_argument("--deck")
    p.set_defaults(func=cmd_study)
    p = sub.add_parser("due", parents=[common, json_flag], help="what is due today")
    p.add_argument("--deck")
    p.set_defaults(func=cmd_due)
    p = sub.add_parser("review", parents=[common, json_flag], help="record a review (for scripts)")
    p.add_argument("id")
    p.add_argument("--rating", required=True, choices=("again", "hard", "good", "easy"))
    p.set_defaults(func=cmd_review)
    p = sub.add_parser("undo", parents=[common, json_flag], help="undo the last review")
    p.set_defaults(func=cmd_undo)
    p = sub.add_parser("plan", parents=[common, json_flag], help="the deck's Day 0/3/7/14/21 checkpoints")
    p.add_argument("--deck")
    p.set_defaults(func=cmd_plan)
    p = sub.add_parser("stats", parents=[common, json_flag], help="retention, activity, forecast, leeches")
    p.set_defaults(func=cmd_stats)

    content = sub.add_parser("content", help="validate and list decks")
    csub = content.add_subparsers(dest="action", parser_class=_Parser, metavar="ACTION", required=True)
    p = csub.add_parser("validate", parents=[common, json_flag], help="check deck files")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--quick", action="store_true", help="skip running drill references and model derivations")
    p.set_defaults(func=cmd_content_validate)
    p = csub.add_parser("list", parents=[common, json_flag], help="list items")
    p.add_argument("--deck")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--full", action="store_true", help="show each item's question and answer")
    p.set_defaults(func=cmd_content_list)

    for name, func, kind_help in (("drill", cmd_drill, "coding drills"), ("derive", cmd_derive, "derivations")):
        group = sub.add_parser(name, help=kind_help)
        gsub = group.add_subparsers(dest="action", parser_class=_Parser, metavar="ACTION", required=True)
        p = gsub.add_parser("list", parents=[common, json_flag])
        p.set_defaults(func=func)
        p = gsub.add_parser("show", parents=[common, json_flag])
        p.add_argument("id")
        p.set_defaults(func=func)
        if name == "drill":
            p = gsub.add_parser("starter", parents=[common])
            p.add_argument("id")
            p.set_defaults(func=func)
        p = gsub.add_parser("check", parents=[common, json_flag])
        p.add_argument("id")
        p.add_argument("file", metavar="FILE" if name == "drill" else "FILE|-")
        p.set_defaults(func=func)

    p = sub.add_parser("export", parents=[common, json_flag],
                       help="cards to Anki or CSV, or your whole history as a JSON backup")
    p.add_argument("--format", required=True, choices=("anki", "csv", "json"))
    p.add_argument("out", metavar="OUT", help="the file to write (.apkg, .csv or .json)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", parents=[common, json_flag],
                       help="restore a JSON backup, or turn a CSV into a deck")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("json", "csv"), help="default: csv for .csv/.tsv/.txt files, else json")
    p.add_argument("--deck", help="csv: the new deck's id (default: from the file name)")
    p.add_argument("--title", help="csv: the new deck's title (default: the file name)")
    p.add_argument("--out", metavar="DIR", help="csv: the deck folder to create (default: ./DECK)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("new-deck", parents=[common, json_flag],
                       help="a deck folder with one example of each kind")
    p.add_argument("name", help="the deck's title; its id is made from it")
    p.add_argument("--dir", default=".", help="where to create the folder (default: here)")
    p.set_defaults(func=cmd_new_deck)

    p = sub.add_parser("doctor", parents=[common, json_flag], help="check the database; --rebuild the state")
    p.add_argument("--rebuild", action="store_true", help="recompute every item's state from the review log")
    p.set_defaults(func=cmd_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    runner = _early_drill_runner(argv)
    try:
        return _run(argv, runner)
    finally:
        if runner is not None:
            runner.close()


def _run(argv: list[str], drill_runner) -> int:
    from tutor.clock import ClockError
    from tutor.config import ConfigError

    try:
        args = build_parser().parse_args(argv)
        args.drill_runner = drill_runner
        for name, default in (("home", None), ("content", None), ("scheduler", None), ("json", False),
                              ("deck", None)):
            if not hasattr(args, name):
                setattr(args, name, default)
        func = getattr(args, "func", cmd_study)
        from tutor.clock import now

        now()  # a bad TUTOR_NOW is reported before anything else happens
        code = func(args)
        sys.stdout.flush()
        return code
    except UsageError as exc:
        return _fail(str(exc))
    except (ConfigError, ClockError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("tutor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        return _known_or_internal(exc)


def _known_or_internal(exc: Exception) -> int:
    from tutor.interop.errors import InteropError
    from tutor.store import StoreError
    from tutor.study import UnknownItem

    if isinstance(exc, (StoreError, UnknownItem, InteropError)):
        return _fail(str(exc).strip("'\""))
    if os.environ.get("TUTOR_DEBUG"):
        raise exc
    return _fail(f"internal error: {type(exc).__name__}: {exc} (set TUTOR_DEBUG=1 for details)")


def _fail(message: str) -> int:
    print(f"tutor: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
