"""CSV in and out: one row per item for spreadsheets, and a CSV of cards turned into a deck.

Export writes `id, deck, kind, front, back, tags` (UTF-8, a header row, Markdown text as
written in the deck). Import reads `front, back[, tags]` rows, as a spreadsheet or Anki's
"Notes in Plain Text" export gives them, and writes a new deck folder that
`tutor content validate` accepts: ids made from the fronts, tags made into slugs.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from tutor.content.files import UnreadableFile, read_limited
from tutor.content.models import Card, Derivation, Drill, Item, Problem
from tutor.content.schema import SLUG
from tutor.content.text import cloze_back, cloze_front, cloze_parts, cloze_problem
from tutor.interop.errors import InteropError, write_failure

EXPORT_COLUMNS = ("id", "deck", "kind", "front", "back", "tags")
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_FIELD = 1_000_000
MAX_CARDS = 20_000  # a deck past this takes minutes to write and to load at every start
CARDS_PER_FILE = 2000  # keeps each YAML file far below the loader's 8 MB limit
ID_WORDS = 8
ID_CHARS = 60
TITLE_CHARS = 70


class CsvImportError(InteropError):
    """A CSV file that cannot become a deck; the message is one line for the learner."""


# -- export ------------------------------------------------------------------------------------


def item_front_back(item: Item) -> tuple[str, str]:
    """The question and answer of any item as plain (Markdown) text."""
    if isinstance(item, Card):
        if item.type == "cloze":
            return (cloze_front(item.front, item.deletion),
                    "\n\n".join(t for t in (cloze_back(item.front, item.deletion), item.back) if t))
        front, back = item.front, item.back
        if item.type == "choice":
            front += "\n" + "\n".join(f"{chr(65 + n) if n < 26 else n + 1}. {o}" for n, o in enumerate(item.options))
            answer = "; ".join(item.options[n] for n in item.answer)
            back = "\n\n".join(t for t in (f"Answer: {answer}", *item.explain, item.back) if t)
        elif item.type == "typed":
            back = "\n\n".join(t for t in ("Answer: " + " | ".join(item.answers), item.back) if t)
        return front, back
    if isinstance(item, Problem):
        return item.prompt, item.answer
    if isinstance(item, Drill):
        reference = item.reference
        graded = f"tutor.reference.{reference}" if isinstance(reference, str) else f"the deck's {reference}"
        return item.prompt, f"{item.signature}\n\n(graded against {graded})"
    if isinstance(item, Derivation):
        return item.prompt, "\n".join(item.solution)
    return item.title, ""


def export_csv(library: Any, out_path: Path | str, shown: Callable[[Item], Item] = lambda item: item) -> int:
    """Write one row per item (every kind) to `out_path`; returns the number of rows. `shown`
    gives the item as the learner sees it (a variant item with its numbers drawn)."""
    out_path = Path(out_path)
    temporary = out_path.with_name(out_path.name + ".part")
    rows = 0
    try:
        with temporary.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(EXPORT_COLUMNS)
            for item in library.review_items():
                front, back = item_front_back(shown(item))
                writer.writerow([item.id, item.deck, item.kind, _spreadsheet_safe(front), _spreadsheet_safe(back),
                                 " ".join(item.tags)])
                rows += 1
        temporary.replace(out_path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise write_failure(out_path, exc) from None
    return rows


# -- import ------------------------------------------------------------------------------------


def slugify(text: str, limit: int = ID_CHARS) -> str:
    """Lower-case ASCII words joined by dashes: `Adam's β₁?` -> `adam-s-b1`."""
    text = re.sub(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", r"\1", text, flags=re.S)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words[:ID_WORDS]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


def _title(front: str) -> str:
    plain = " ".join(cloze_front(front).replace("`", "").replace("*", "").split())
    return plain if len(plain) <= TITLE_CHARS else plain[: TITLE_CHARS - 1].rstrip() + "…"


def _tags(raw: str) -> list[str]:
    return list(dict.fromkeys(s for s in (slugify(t, 40) for t in re.split(r"[\s,]+", raw)) if s))


_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}
_FORMULA_START = re.compile(r"^(?:[=+@\t\r]|-(?!\s|$))")  # a spreadsheet would run these as formulas


def _spreadsheet_safe(cell: str) -> str:
    """Prefix a cell that a spreadsheet would evaluate (`=HYPERLINK(...)`) with `'`, as OWASP advises."""
    return "'" + cell if _FORMULA_START.match(cell) else cell


def _unguard(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _FORMULA_START.match(cell[1:]) else cell


def _decode(path: Path) -> str:
    try:  # a FIFO or a device (/dev/zero) would block or never end
        raw = read_limited(path, MAX_CSV_BYTES)
    except UnreadableFile as exc:
        raise CsvImportError(f"{path}: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CsvImportError(f"{path}:{line}: not UTF-8 text (save the CSV as UTF-8)") from None
    if "\x00" in text:
        raise CsvImportError(f"{path}: binary data, not a CSV file")
    return text


_ANKI_HEADERS = {"separator", "html", "tags", "columns", "notetype", "deck", "notetype column", "deck column",
                 "tags column", "guid column"}


def _anki_headers(lines: list[str]) -> dict[str, str]:
    """Anki's plain-text export starts with `#key:value` lines (separator, html, columns...)."""
    headers = {}
    for line in lines:
        header = re.fullmatch(r"#([a-z ]+):(.*)", line.rstrip("\r\n"))
        if not header or header.group(1) not in _ANKI_HEADERS:
            break
        headers[header.group(1)] = header.group(2).strip()
    return headers


def _rows(path: Path, text: str, skip: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) for each row of the CSV body after `skip` header lines."""
    reader = csv.reader(io.StringIO("".join(text.splitlines(keepends=True)[skip:]), newline=""),
                        delimiter=delimiter)
    previous_limit = csv.field_size_limit(MAX_FIELD)
    try:
        while True:
            line = reader.line_num + 1 + skip
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise CsvImportError(f"{path}:{line}: {exc}") from None
            yield line, fields
    finally:
        csv.field_size_limit(previous_limit)


def _from_anki_html(text: str) -> str:
    """Anki fields are HTML: line breaks back to newlines, tags dropped, MathJax back to `$`."""
    import html

    text = re.sub(r"<br\s*/?>|</(?:div|p|li)>", "\n", text, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    text = re.sub(r"\\\((.*?)\\\)", lambda m: f"${m.group(1).strip()}$", text, flags=re.S)
    text = re.sub(r"\\\[(.*?)\\\]", lambda m: f"$${m.group(1).strip()}$$", text, flags=re.S)
    return re.sub(r"\n{3,}", "\n\n", text.replace("\xa0", " "))


def _columns(header: list[str]) -> dict[str, int] | None:
    """Column positions when the first row is a header naming front and back, else None."""
    names = [h.strip().lower() for h in header]
    if "front" in names and "back" in names:
        return {n: names.index(n) for n in ("front", "back", "tags", "id") if n in names}
    return None


def _anki_columns(headers: dict[str, str], width: int) -> dict[str, int] | None:
    """Front and back are the first two columns that Anki's `#... column:N` lines leave free
    (None when they leave fewer than two)."""
    meta = {}
    for key in ("guid", "notetype", "deck", "tags"):
        value = headers.get(f"{key} column", "")
        if value.isdigit() and int(value) >= 1:
            meta[key] = int(value) - 1
    free = [i for i in range(max(width, 3)) if i not in meta.values()]
    if len(free) < 2:
        return None
    columns = {"front": free[0], "back": free[1]}
    columns["tags"] = meta.get("tags", free[2] if len(free) > 2 and not meta else -1)
    return columns


def import_csv(csv_path: Path | str, out_dir: Path | str, deck_id: str, title: str,
               taken_ids: Iterable[str] = ()) -> Path:
    """Turn a CSV of `front, back[, tags]` rows into a new deck folder `out_dir`; returns it.

    Rows may hold quoted commas and newlines; empty rows are skipped; a header row naming
    `front` and `back` (as `export_csv` writes) picks the columns by name. A front with a
    `{{c1::...}}` deletion becomes a cloze card and needs no back. Ids are the deck id plus
    a slug of the front, numbered when two fronts (or an id in `taken_ids`, e.g. the items of
    the decks already loaded) give the same slug. Nothing is written if any row is bad.
    """
    csv_path, out_dir = Path(csv_path), Path(out_dir)
    if not SLUG.match(deck_id or ""):
        raise CsvImportError(f"deck id {deck_id!r} is not a slug (lower-case letters, digits and single dashes)")
    if not (title or "").strip():
        raise CsvImportError("the deck needs a title")
    if not title.isprintable():  # a terminal escape or a line break, said here, not of a temporary file
        raise CsvImportError(f"the deck title {title!r} holds control characters")
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise CsvImportError(f"{out_dir}: already exists and is not an empty folder; choose another")
    text = _decode(csv_path)
    headers = _anki_headers(text.splitlines()[:20])
    separator = headers.get("separator")
    if separator:
        delimiter = _SEPARATORS.get(separator.lower(), separator[:1])
    else:
        first = next((ln for ln in text.splitlines()[len(headers):] if ln.strip()), "")
        delimiter = "\t" if "\t" in first and "," not in first else ","
    anki_html = headers.get("html", "").lower() == "true"
    tags_for_all = _tags(headers.get("tags", ""))
    cards: list[dict[str, Any]] = []
    used: set[str] = set(taken_ids)
    numbered: dict[str, int] = {}
    columns = _columns(headers["columns"].split(delimiter)) if "columns" in headers else None
    for line, fields in _rows(csv_path, text, len(headers), delimiter):
        if not any(f.strip() for f in fields):
            continue
        if columns is None:
            columns = _columns(fields)
            if columns is not None:
                continue
            columns = _anki_columns(headers, len(fields))
            if columns is None:
                raise CsvImportError(f"{csv_path}:{line}: the '#... column:' headers leave no columns for the "
                                     "front and back")

        def cell(name: str, fields: list[str] = fields, columns: dict[str, int] = columns) -> str:
            index = columns.get(name, -1)
            value = _unguard(fields[index]) if 0 <= index < len(fields) else ""
            value = value.replace("\r\n", "\n").replace("\r", "\n")
            return (_from_anki_html(value) if anki_html and name != "tags" else value).strip()

        front, back = cell("front"), cell("back")
        where = f"{csv_path}:{line}"
        if len(cards) == MAX_CARDS:
            raise CsvImportError(f"{where}: more than {MAX_CARDS:,} cards; split the file into several decks")
        if not front:
            raise CsvImportError(f"{where}: the front (first column) is empty")
        is_cloze = bool(cloze_parts(front)) or "{{c" in front
        problem = cloze_problem(front) if is_cloze else None
        if problem:  # said at the row, not at the generated deck's temporary file
            raise CsvImportError(f"{where}: {problem}")
        if not back and not is_cloze:
            raise CsvImportError(f"{where}: the back (second column) is empty")
        base = f"{deck_id}-{slugify(cell('id') or front) or 'card'}"
        card_id, n = base, numbered.get(base, 2)
        while card_id in used:
            card_id, n = f"{base}-{n}", n + 1
        used.add(card_id)
        numbered[base] = n  # the next number to try: many equal fronts stay linear
        card: dict[str, Any] = {"id": card_id, "type": "cloze" if is_cloze else "basic",
                                "title": _title(front) or card_id}
        tags = list(dict.fromkeys(_tags(cell("tags")) + tags_for_all))
        if tags:
            card["tags"] = tags
        card["front"] = front
        if back:
            card["back"] = back
        cards.append(card)
    if not cards:
        raise CsvImportError(f"{csv_path}: no cards found (expected rows of front, back[, tags])")
    _write_deck(out_dir, deck_id, title.strip(), cards, csv_path.name)
    return out_dir


# -- writing YAML ------------------------------------------------------------------------------


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style for multi-line text, so the generated files read like hand-written ones
    (libyaml's emitter where there is one: a big CSV's cards are written in a fraction of the time)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _write_deck(out_dir: Path, deck_id: str, title: str, cards: list[dict[str, Any]], source: str) -> None:
    """Write into a hidden sibling folder, validate it with the loader, then move it in place."""
    import shutil

    from tutor.content import load_library

    chunks = [cards[i:i + CARDS_PER_FILE] for i in range(0, len(cards), CARDS_PER_FILE)]
    files = {"deck.yaml": f"# Imported from {source}. Add a plan (see docs/authoring.md) to introduce cards on "
                          "chosen days;\n# without one every card starts on Day 0.\n"
                          + dump_yaml({"id": deck_id, "title": title, "source": source})}
    for n, chunk in enumerate(chunks, 1):
        name = "cards.yaml" if len(chunks) == 1 else f"cards-{n:03d}.yaml"
        files[name] = f"# Cards imported from {source}; edit freely, but keep each id: history is kept by it.\n" \
                      + dump_yaml({"cards": chunk})
    staging = out_dir.with_name(f".{out_dir.name}.part")
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as exc:
        raise CsvImportError(f"{out_dir}: cannot create: {exc.strerror or exc}") from None
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        issues = load_library([staging]).errors
        if issues:
            raise CsvImportError(f"the generated deck does not validate: {issues[0]}")
        if out_dir.exists():
            out_dir.rmdir()  # checked empty above
        staging.rename(out_dir)
    except OSError as exc:
        raise CsvImportError(f"{out_dir}: cannot create: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
