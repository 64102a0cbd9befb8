"""Plain text for the terminal, made from the same documents that `--json` prints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.content.models import Item
    from tutor.study import QueueEntry
    from tutor.study.answers import AnswerResult


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def due(document: dict[str, Any]) -> str:
    counts, queue, upcoming = document["counts"], document["items"], document["next_due"]
    lines = [f"Today ({document['today']}): {counts['overdue'] + counts['due']} to review"
             f" ({counts['overdue']} overdue), {counts['new']} new;"
             f" about {document['minutes']:.0f} of your {document['budget_minutes']} minutes"]
    if queue:
        lines.append("  " + " · ".join(plural(n, k) for k, n in counts["by_kind"].items() if n))
        width = max(len(e.item_id) for e in queue)
        for e in queue:
            lines.append(f"  {e.status:<8} {e.item_id:<{width}}  {e.kind:<10} {e.title}")
        lines.append("Study with `tutor` (opens the app), or record one review with "
                     "`tutor review ID --rating again|hard|good|easy`.")
    else:
        lines.append("Nothing left for today." + (f" Next reviews on {upcoming}." if upcoming else "")
                     + " Browse the decks with `tutor content list`.")
    return "\n".join(lines)


def due_json(document: Mapping[str, Any], indent: int | None) -> str:
    """The `due` document, its queue entries (`QueueEntry`) as objects, exactly as json.dumps
    writes it. Piped (no indent), the entries are written here, each value that many share
    (deck, kind, status, day, minutes) encoded once: 9,000 due items in a quarter of the time
    of `to_dict` and json.dumps (bench/bench_due.py)."""
    import json

    if indent is not None:
        return json.dumps({**document, "items": [e.to_dict() for e in document["items"]]}, indent=indent,
                          ensure_ascii=False)
    return "{" + ", ".join(f"{json.dumps(key)}: " + (_entries_json(value) if key == "items" else
                                                     json.dumps(value, ensure_ascii=False))
                           for key, value in document.items()) + "}"


def _entries_json(entries: Sequence[QueueEntry]) -> str:
    """`[e.to_dict() for e in entries]` as json.dumps(ensure_ascii=False) writes it."""
    from json import dumps
    from json.encoder import encode_basestring as string  # the encoder of ensure_ascii=False

    shared: dict[Any, str] = {}
    minutes: dict[float, str] = {}

    def once(value: str | date | None) -> str:
        if value not in shared:
            shared[value] = dumps(value.isoformat() if isinstance(value, date) else value, ensure_ascii=False)
        return shared[value]

    def in_minutes(seconds: float) -> str:
        if seconds not in minutes:
            minutes[seconds] = dumps(round(seconds / 60, 2))
        return minutes[seconds]

    return "[" + ", ".join([f'{{"id": {string(e.item_id)}, "deck": {once(e.deck)}, "kind": {once(e.kind)}, '
                            f'"title": {string(e.title)}, "status": {once(e.status)}, "due": {once(e.due)}, '
                            f'"minutes": {in_minutes(e.seconds)}}}' for e in entries]) + "]"


def plan(document: dict[str, Any]) -> str:
    marks = {"done": "✓", "due": "•", "upcoming": " "}
    lines = []
    for deck in document["decks"]:
        lines.append(f"{deck['title']} ({deck['deck']}): "
                     + (f"day {deck['day']}, started {deck['started']}" if deck["started"] else "not started yet"))
        for c in deck["checkpoints"]:
            lines.append(f"  {marks[c['status']]} Day {c['day']:<3} {c['date']}  {c['status']:<8} {c['goal']}")
        lines += interview(deck.get("interview"), document.get("daily_minutes"))
    return "\n".join(lines) or "No decks found."


def interview(ready: dict[str, Any] | None, daily_minutes: int | None) -> list[str]:
    """The interview lines of a deck's plan: countdown, readiness, what it takes, what is at risk."""
    if not ready:
        return []
    lines = [f"  Interview {ready['date']}: {ready['days_left']} day(s) left, readiness {ready['readiness']:.0%}"]
    needed = ready["minutes_needed"]
    if needed is not None and (daily_minutes is None or needed > daily_minutes):
        lines.append(f"  Covering the deck in time takes about {needed:.0f} minutes a day"
                     + (f" (your budget is {daily_minutes})" if daily_minutes else ""))
    if ready["at_risk"]:
        lines.append(f"  At risk: {', '.join(ready['at_risk'][:8])}" + (" ..." if len(ready["at_risk"]) > 8 else ""))
    return lines


def mock(document: dict[str, Any]) -> str:
    """`tutor mock`: the session in order, with why each item was picked."""
    lines = [f"Mock interview, {document['minutes']} min ({document['planned_minutes']:g} planned), weakest first:"]
    for n, item in enumerate(document["items"], 1):
        lines.append(f"  {n:>2}. {item['kind']:<10} {item['id']:<36} {item['minutes']:>5.1f} min  {item['why']}")
    return "\n".join(lines if document["items"] else lines + ["  nothing to ask: no item fits in that time"])


def stats(document: dict[str, Any]) -> str:
    from tutor.study.stats import RETENTION_NOT_YET, variant_text

    def pct(r: dict[str, Any]) -> str:
        return f"{r['rate'] * 100:.0f}% of {r['reviews']}" if r["rate"] is not None else "none"

    retention = (f"{pct(document['retention_30d'])} (30 days), {pct(document['retention_all'])} (all time)"
                 if document["retention_all"]["rate"] is not None
                 else RETENTION_NOT_YET)
    week = list(document["reviews_per_day"].values())[-7:]
    return "\n".join([
        f"Reviews: {document['reviews']} over {plural(document['items_studied'], 'item')}; "
        f"streak {plural(document['streak'], 'day')}",
        f"True retention: {retention}",
        f"Last 7 days: {' '.join(map(str, week))}",
        f"Due in the next 7 days: {' '.join(map(str, list(document['forecast'].values())[:7]))}",
        f"Leeches: {', '.join(x['id'] for x in document['leeches']) or 'none'}",
        "Mistakes: " + (", ".join(f"{x['id']} on {x['item']} x{x['count']}" for x in document["mistakes"][:5])
                        or "none named yet"),
        "Variant items: " + ("; ".join(f"{x['id']} {variant_text(x)}" for x in document["variants"])
                             or "none answered yet")])


def optimized(document: dict[str, Any]) -> str:
    lines = [document["message"]]
    loss, rmse = document.get("log_loss") or {}, document.get("rmse_bins") or {}
    if loss.get("fitted") is not None:
        lines.append(f"  {'':<10} {'log loss':>9} {'RMSE(bins)':>11}   (lower is better; "
                     f"{document['held_out']} held-out reviews)")
        for name, label in (("default", "defaults"), ("fitted", "fitted")):
            lines.append(f"  {label:<10} {loss[name]:>9.4f} {rmse[name]:>11.4f}")
    return "\n".join(lines)


def simulated(document: dict[str, Any]) -> str:
    lines = [f"Over {document['days']} days, {document['deck_size']} items at {document['new_per_day']} new a day, "
             f"{'your' if document['answer_times'] == 'yours' else 'typical'} answer times and the "
             f"{document['parameters']} parameters:",
             f"  {'retention':>9} {'min/day':>8} {'remembered':>11}"]
    for row in document["rows"]:
        mark = "  <- best trade" if row["retention"] == document["best"] else ""
        lines.append(f"  {row['retention']:>9.0%} {row['minutes_per_day']:>8.1f} {row['remembered']:>11.0f}{mark}")
    lines.append(document["message"] + ".")
    return "\n".join(lines)


def doctor(document: dict[str, Any]) -> str:
    failures = document["integrity"] if document["integrity"] != "ok" else []
    lines = [f"database: {document['database']} (schema {document['schema']})",
             "integrity: ok" if not failures else "integrity: FAILED\n  " + "\n  ".join(failures[:20]),
             "rows: " + (", ".join(f"{n} {t}" for t, n in document["counts"].items())
                         or "not counted in a damaged file: restore a backup")]
    if document["rebuilt_items"] is not None:
        lines.append(f"rebuilt the state of {document['rebuilt_items']} item(s) from the review log")
    lines += [f"not rebuilt: {line}" for line in document["not_rebuilt"]]
    lines += [f"damaged: {line}" for line in document["damaged_states"][:20]]
    return "\n".join(lines)


def sections(document: dict[str, Any], width: int = 80) -> str:
    """`tutor read --list`: each deck's sections in reading order, with the items each prepares."""
    import textwrap

    out = []
    for deck in document["decks"]:
        out.append(f"{deck['deck']}: {plural(len(deck['sections']), 'section')}")
        id_width = max(len(s["id"]) for s in deck["sections"])
        for s in deck["sections"]:
            out.append(f"{s['part']:>3}  {s['id']:<{id_width}}  Day {s['day']:<3} {s['title']}")
            items = f"prepares {plural(len(s['prepares']), 'item')}" + (": " + ", ".join(s["prepares"])
                                                                         if s["prepares"] else "")
            out += textwrap.wrap(items, width, initial_indent=" " * 5, subsequent_indent=" " * 7,
                                 break_on_hyphens=False, break_long_words=False)
        out.append("")
    out.append("Read one with `tutor read SECTION` (or an item id: its section).")
    return "\n".join(out) if document["decks"] else "No deck has lessons."


def print_markdown(text: str) -> None:
    """A lesson formatted for a terminal: Rich's Markdown (tables, highlighted code), maths in Unicode."""
    from rich.console import Console
    from rich.markdown import Markdown

    from tutor.content.lessons import display_markdown

    Console().print(Markdown(display_markdown(text, keep_links=False), code_theme="ansi_dark", hyperlinks=False))


def question_answer(item: Item) -> str:
    """An item as plain text, question then answer, for reading decks in the terminal."""
    from tutor.content.models import Card, Derivation, Drill, Problem
    from tutor.content.text import cloze_back, cloze_front

    if isinstance(item, Card):
        if item.type == "cloze":
            question = cloze_front(item.front, item.deletion)
            answer = cloze_back(item.front, item.deletion) + ("\n" + item.back if item.back else "")
        else:
            question, answer = item.front, item.back
        if item.type == "choice":
            question += "\n" + "\n".join(f"  {n}) {o}" for n, o in enumerate(item.options))
            picked = ", ".join(item.options[a] for a in item.answer)
            answer = f"{picked}\n" + "\n".join(f"  {n}) {e}" for n, e in enumerate(item.explain)) + (
                f"\n{item.back}" if item.back else "")
        if item.type == "typed":
            answer = " | ".join(item.answers) + (f"\n{item.back}" if item.back else "")
    elif isinstance(item, Problem):
        question, answer = item.prompt, item.answer
    elif isinstance(item, Drill):
        question, answer = item.prompt, item.solution or item.signature
    elif isinstance(item, Derivation):
        question, answer = item.prompt, "\n".join(item.solution)
    else:
        raise TypeError(f"no text form for a {item.kind}")
    return f"Q: {question.strip()}\nA: {answer.strip()}"


def drill_references(found: dict[str, list[dict[str, Any]]]) -> str:
    """The built-ins a drill's `reference:` and `mistakes: - variant:` may name, with signatures."""
    lines = ["References (reference: NAME):"]
    lines += [f"  {r['signature']}" for r in found["references"]]
    lines += ["", "Mistake variants (mistakes: - variant: NAME):"]
    for family in found["mistakes"]:
        ignores = f"  [property: ignores {family['ignores']}]" if family["ignores"] else ""
        signatures = [f["signature"] for f in family["functions"]]
        if len(signatures) == 1 and family["functions"][0]["name"] == family["name"]:
            lines.append(f"  {signatures[0]}{ignores}")
        else:
            lines.append(f"  {family['name']}: any of{ignores}")
            lines += [f"      {signature}" for signature in signatures]
    return "\n".join(lines)


def drill_result(result: dict[str, Any]) -> str:
    tests = result.get("tests", [])
    passed = sum(t["status"] == "pass" for t in tests)
    lines = [f"{result['status'].upper()}: {result['drill']}"
             + (f" — {passed}/{len(tests)} cases passed" if tests else "")]
    if result.get("message"):
        lines.append(result["message"])
    first = next((t for t in tests if t["status"] != "pass"), None)
    if first and result["status"] == "fail":
        lines.append(f"First failure: {first['name']}\n{first.get('message') or ''}".rstrip())
    diagnosis = result.get("diagnosis")
    if diagnosis:  # named only when the verdict's message already explains it
        said = diagnosis["message"] in (result.get("message") or "")
        lines.append(f"Diagnosis: {diagnosis['id']}" + ("" if said else f": {diagnosis['message']}"))
    return "\n".join(lines)


def derivation_result(result: Mapping[str, Any]) -> str:
    marks = {"ok": "✓", "wrong": "✗", "unparsed": "?", "undecided": "~", "timeout": "⌛"}
    lines = []
    for step in result.get("steps", []):
        line = f"{marks.get(step['status'], ' ')} {step['line']:>3}: {step['text']}"
        if step.get("message") and step["status"] != "ok":
            line += f"\n        {step['message']}"
        if step.get("counterexample"):
            from json import dumps

            line += f"\n        counterexample: {dumps(step['counterexample'], ensure_ascii=False)}"
        lines.append(line)
    verdict = {"pass": "PASS: the chain reaches the goal", "fail": "FAIL", "incomplete": "INCOMPLETE",
               "error": "ERROR"}[result["status"]]
    if result["status"] == "fail" and not result.get("goal_reached"):
        verdict += " (the goal is not reached)"
    lines.append(verdict + (f": {result['message']}" if result.get("message") else ""))
    return "\n".join(lines)


def answer_result(result: AnswerResult) -> str:
    """`tutor answer`: the verdict, what was expected, and on a miss why (a diff, or values
    that tell two formulas apart, are in the message)."""
    lines = [f"{'RIGHT' if result.correct else 'WRONG'}: {result.item} ({result.kind} answer)"]
    if not result.correct:
        lines.append(result.message)
        if result.diff is not None:
            lines.append(f"diff:     {result.diff}   ([-x] extra, [+y] missing)")
    lines.append(f"expected: {result.expected}")
    return "\n".join(lines)
