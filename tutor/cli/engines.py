"""Engine commands: list, show and check drills (sandboxed code) and derivations (SymPy)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tutor.cli import render
from tutor.cli.wiring import emit, engine_item, item_document, library, read_answer, roots, save_attempt
from tutor.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_WRONG, UsageError
from tutor.printable import printable

if TYPE_CHECKING:
    from tutor.content.models import Card, Derivation, Drill
    from tutor.store import Store
    from tutor.study.answers import Drawn


def _exit_code(result: Mapping[str, Any]) -> int:
    return {"pass": EXIT_OK, "fail": EXIT_WRONG, "incomplete": EXIT_WRONG}.get(result["status"], EXIT_BAD_INPUT)


def _list_kind(args: argparse.Namespace, kind: str) -> int:
    items = [i for i in library(args).items.values() if i.kind == kind]
    document = {"items": [{"id": i.id, "title": i.title, "deck": i.deck, "tags": list(i.tags)} for i in items]}
    width = max((len(i.id) for i in items), default=0)
    emit(args, document, "\n".join(f"{i.id:<{width}}  {i.title}" for i in items) or f"No {kind}s.")
    return EXIT_OK


def _shown(item: Drill | Derivation) -> dict[str, Any]:
    """`show --json`: what `show` prints, so no model solution and no source of the deck's
    reference or mistake code (the reference is a solution); `--solution` is the way to see one."""
    document = item_document(item)
    document.pop("solution", None)
    for code in [document.get("reference"), *(m.get("variant") for m in document.get("mistakes", ()))]:
        if isinstance(code, dict):
            code.pop("source", None)
    return document


def cmd_drill(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list_kind(args, "drill")
    if args.action == "references":
        from tutor.reference import catalog

        found = catalog()
        emit(args, found, render.drill_references(found))
        return EXIT_OK
    from tutor.content.models import Drill

    drill = engine_item(args, Drill)
    if args.action == "starter":
        sys.stdout.write(printable(drill.starter.rstrip("\n")) + "\n")
        return EXIT_OK
    if args.action == "show" and args.solution:
        if not drill.solution:
            raise UsageError(f"drill {drill.id!r} has no model solution in its deck")
        emit(args, {"id": drill.id, "solution": drill.solution}, drill.solution.rstrip("\n"))
        return EXIT_OK
    if args.action == "show":
        hints = "\n".join(f"  {n}. {h}" for n, h in enumerate(drill.hints, 1))
        emit(args, _shown(drill), f"{drill.title} ({drill.id})\n\n{drill.prompt.strip()}\n\n{drill.signature}\n"
                                         + (f"\nHints:\n{hints}" if hints else "")
                                         + (f"\nAt most {drill.max_lines} lines of body." if drill.max_lines else ""))
        return EXIT_OK
    source = read_answer(args.file)
    import tutor.store  # noqa: F401 - loaded while the early child (tutor.cli.main) still imports numpy

    runner = args.drill_runner
    if runner is None:
        from tutor.drills import check_drill

        result = check_drill(drill, source)
    else:
        result = runner.check(drill, source)
    save_attempt(args, drill, result)
    emit(args, result, render.drill_result(result))
    return _exit_code(result)


def cmd_answer(args: argparse.Namespace) -> int:
    """Check one typed card's answer as the card screen does (exit 0 right, 1 wrong).

    A number or text card is checked against the answer key in the content catalog (brought up
    to date first), so no YAML is parsed; the check and its attempt share one store connection."""
    from tutor import clock
    from tutor.config import home_dir
    from tutor.store import Store
    from tutor.study.answers import check_answer, check_key
    from tutor.study.catalog import answer_key
    from tutor.study.mistakes import attempt_status, typed_answer_mistakes

    with Store.open(home_dir(args.home)) as store:
        key = answer_key(store, roots(args), args.id) if args.seed is None else None
        if key is not None:
            result = check_key(key, args.text)
        else:
            card, drawn = _typed_card(args, store)
            result = check_answer(card, args.text, drawn=drawn)
        document = result.to_dict()
        store.add_attempt(args.id, "card", attempt_status(document), document, clock.now(),
                          typed_answer_mistakes(document))
    emit(args, document, render.answer_result(result))
    return EXIT_OK if result.correct else EXIT_WRONG


def _typed_card(args: argparse.Namespace, store: Store) -> tuple[Card, Drawn | None]:
    """The card `tutor answer` names, read from its deck file, and a variant card's draw: the
    variant of its review number, as the app shows it, or of `--seed`."""
    from tutor.content.library import load_item
    from tutor.content.models import Card, review_ids
    from tutor.study.answers import NotTyped

    card = load_item(roots(args), args.id)
    if card is None:
        siblings = review_ids([args.id], library(args).items)
        if siblings != (args.id,):
            raise UsageError(f"{args.id!r} has an item per deletion: answer one of {', '.join(siblings)}")
        raise UsageError(f"unknown item {args.id!r} (see `tutor content list --kind card`)")
    if not isinstance(card, Card):
        raise NotTyped(card.id)
    if card.variation is not None:
        from tutor.study.variants import drawn_item, next_review

        seed, previous = (args.seed, None) if args.seed is not None else next_review(
            card.id, [review.detail for review in store.live_reviews(card.id)])
        return drawn_item(card, seed, avoid=previous)
    if args.seed is not None:
        raise UsageError(f"{args.id!r} has no params: --seed applies to variant cards")
    return card, None


def cmd_derive(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list_kind(args, "derivation")
    from tutor.content.models import Derivation

    derivation = engine_item(args, Derivation)
    if args.action == "show":
        defs = "\n".join(f"  {k} = {v}" for k, v in [*derivation.definitions.items(),
                                                       *derivation.functions.items()])
        facts = "\n".join(f"  {k} = {v}" for k, v in derivation.facts.items())
        emit(args, _shown(derivation),
             f"{derivation.title} ({derivation.id})\n\n{derivation.prompt.strip()}\n"
             + (f"\nDefinitions:\n{defs}" if defs else "") + (f"\nFacts:\n{facts}" if facts else "")
             + f"\nStart: {derivation.start}\nGoal:  {derivation.goal}")
        return EXIT_OK
    text = read_answer(args.file)
    from tutor.derive import check_derivation

    result = check_derivation(derivation, text)
    save_attempt(args, derivation, result)
    emit(args, result, render.derivation_result(result))
    return _exit_code(result)
