"""Export decks to an Anki package (.apkg) that re-imports as an update, never as duplicates.

Anki matches notes by GUID, so each note's GUID is derived from the item id alone; note
types and decks get ids derived from fixed names, so every export of the same content lands
on the same notes, note types and decks. Text is Markdown, rendered to HTML with raw HTML
escaped (a deck may come from anyone), and `$...$` maths becomes MathJax `\\(...\\)`.

What goes over: cards (basic and typed as Basic notes, choice as Basic with the options on
the front and the answer and explanations on the back, cloze as Cloze notes with their
`{{c1::...}}` deletions kept) and problems (Basic: prompt -> model answer and key points).
Drills and derivations are skipped: they are graded by running code and SymPy, which a
flashcard cannot do; so are variant items, whose numbers are drawn anew each review. The
summary counts them.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.content.models import Card, Item, Problem
from tutor.interop.errors import write_failure

BASIC_FIELDS = ("Front", "Back", "Tutor ID")
CLOZE_FIELDS = ("Text", "Back Extra", "Tutor ID")
ROOT_DECK = "tutor"
STYLE = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background: white; }
.nightMode .card { color: #eee; background: #2f2f31; }
.cloze { font-weight: bold; color: #1565c0; }
.tutor-id { font-size: 12px; color: #888; margin-top: 1.5em; }
"""


@dataclass
class AnkiSummary:
    path: Path
    notes: int = 0
    by_type: dict[str, int] = field(default_factory=dict)  # basic, cloze, choice, typed, problem
    skipped: dict[str, int] = field(default_factory=dict)  # kind -> count (drill, derivation)
    decks: list[str] = field(default_factory=list)  # Anki deck names

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "notes": self.notes, "by_type": self.by_type, "skipped": self.skipped,
                "decks": self.decks}


def stable_id(*parts: str) -> int:
    """A positive 31-bit id from names: what genanki wants for note types and decks."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return (1 << 30) | (int.from_bytes(digest, "big") & ((1 << 30) - 1))


def note_guid(item_id: str) -> str:
    import genanki

    return genanki.guid_for("tutor", item_id)


# -- Markdown and maths ------------------------------------------------------------------------

_RENDERER = None


def _markdown():
    global _RENDERER
    if _RENDERER is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin

        md = MarkdownIt("commonmark", {"html": False, "breaks": True})
        dollarmath_plugin(md, allow_space=True, allow_digits=False, double_inline=True)

        def inline(self, tokens, idx, options, env):
            return "\\(" + _tex(tokens[idx].content) + "\\)"

        def display(self, tokens, idx, options, env):
            return "\\[" + _tex(tokens[idx].content.strip()) + "\\]"

        md.add_render_rule("math_inline", inline)
        md.add_render_rule("math_inline_double", display)
        md.add_render_rule("math_block", lambda *a: "<p>" + display(*a) + "</p>\n")
        md.add_render_rule("math_block_label", lambda *a: "<p>" + display(*a) + "</p>\n")
        _RENDERER = md
    return _RENDERER


def _tex(content: str) -> str:
    # `}}` would end an Anki cloze deletion early; a space between the braces is the same TeX.
    return html.escape(content, quote=False).replace("}}", "} }").replace("}}", "} }")


def to_html(text: str) -> str:
    """Markdown with `$maths$` as Anki field HTML (raw HTML in the source is shown, not run)."""
    out = _markdown().render(text or "").strip()
    single = re.fullmatch(r"<p>(.*)</p>", out, re.S)
    return single.group(1) if single and "<p>" not in single.group(1) else out


def _list(entries: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{to_html(e)}</li>" for e in entries) + f"</{tag}>"


# -- items to notes ----------------------------------------------------------------------------


def _letters(n: int) -> str:
    return chr(ord("A") + n) if n < 26 else str(n + 1)


def note_fields(item: Item) -> tuple[str, tuple[str, str]] | None:
    """(note type "basic"|"cloze", (first field, second field)) for an item, None if skipped (a
    drill, a derivation, or a variant item: Anki cannot draw its numbers anew)."""
    if item.variation is not None:
        return None
    if isinstance(item, Card):
        if item.type == "cloze":
            return "cloze", (to_html(item.front), to_html(item.back))
        if item.type == "choice":
            options = "".join(f"<li>{_letters(n)}. {to_html(o)}</li>" for n, o in enumerate(item.options))
            right = ", ".join(f"{_letters(n)}. {item.options[n]}" for n in item.answer)
            back = f"<b>Answer:</b> {to_html(right)}"
            if item.explain:
                back += "<ul>" + "".join(f"<li>{_letters(n)}: {to_html(e)}</li>"
                                         for n, e in enumerate(item.explain)) + "</ul>"
            if item.back:
                back += to_html(item.back)
            return "basic", (to_html(item.front) + f"<ul style=\"list-style: none\">{options}</ul>", back)
        if item.type == "typed":
            back = f"<b>Answer:</b> {to_html(item.answers[0])}"
            if len(item.answers) > 1:
                back += "<br>Also accepted: " + ", ".join(to_html(a) for a in item.answers[1:])
            if item.back:
                back += "<br><br>" + to_html(item.back)
            return "basic", (to_html(item.front), back)
        return "basic", (to_html(item.front), to_html(item.back))
    if isinstance(item, Problem):
        back = to_html(item.answer)
        if item.key_points:
            back += "<br><b>Key points</b>" + _list([p.point for p in item.key_points])
        return "basic", (to_html(item.prompt), back)
    return None


def _models():
    import genanki

    basic = genanki.Model(
        stable_id("tutor", "model", "basic"), "tutor Basic",
        fields=[{"name": n} for n in BASIC_FIELDS],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<div class=tutor-id>{{Tutor ID}}</div>"}],
        css=STYLE)
    cloze = genanki.Model(
        stable_id("tutor", "model", "cloze"), "tutor Cloze",
        fields=[{"name": n} for n in CLOZE_FIELDS],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}<br>{{Back Extra}}<div class=tutor-id>{{Tutor ID}}</div>"}],
        css=STYLE, model_type=genanki.Model.CLOZE)
    return {"basic": basic, "cloze": cloze}


def export_anki(library: Any, out_path: Path | str) -> AnkiSummary:
    """Write every card and problem of `library` to an .apkg, one Anki deck per tutor deck."""
    import genanki

    out_path = Path(out_path)
    models = _models()
    summary = AnkiSummary(out_path)
    decks = []
    for deck in library.decks:
        name = f"{ROOT_DECK}::{deck.title}"
        anki_deck = genanki.Deck(stable_id("tutor", "deck", deck.id), name)
        for item in deck.items:
            if library.items.get(item.id) is not item:
                continue  # a duplicate id: the library reports it, the first definition wins
            made = note_fields(item)
            if made is None:
                kind = f"variant {item.kind}" if item.variation is not None else item.kind
                summary.skipped[kind] = summary.skipped.get(kind, 0) + 1
                continue
            model, (first, second) = made
            label = item.type if isinstance(item, Card) else item.kind
            tags = list(dict.fromkeys([deck.id, *item.tags] + (["problem"] if isinstance(item, Problem) else [])))
            anki_deck.add_note(genanki.Note(model=models[model], fields=[first, second, item.id], tags=tags,
                                            guid=note_guid(item.id)))
            summary.by_type[label] = summary.by_type.get(label, 0) + 1
            summary.notes += 1
        if anki_deck.notes:
            decks.append(anki_deck)
            summary.decks.append(name)
    temporary = out_path.with_name(out_path.name + ".part")
    try:
        genanki.Package(decks).write_to_file(str(temporary))
        temporary.replace(out_path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise write_failure(out_path, exc) from None
    return summary
