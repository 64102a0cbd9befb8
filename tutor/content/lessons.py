"""Lessons: a deck's study text, one Markdown file per section, each naming the items it prepares.

A lesson is `lessons/NN-section.md` beside the deck's YAML (the number only orders the files):

    ---
    day: 0                      # the plan checkpoint it is read for
    prepares: [item-id, ...]    # the items this section teaches; each item has exactly one section
    ---
    # Title
    Markdown with $maths$, tables, code, and links to [an item](item:ID) or [a section](lesson:ID).

Lessons are untrusted like the rest of a deck: files are size-capped, front matter goes through
the safe YAML reader, and every issue is one `FILE:LINE: at KEY.PATH: message`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from tutor.content import models as m
from tutor.content.files import UnreadableFile, lesson_files, read_limited
from tutor.content.mathtext import latex_to_unicode, math_issues, render_markdown
from tutor.content.schema import SLUG, Collector, Field, _fields, _int, _slugs
from tutor.content.yamlsrc import ContentIssue, YamlFileError, parse_document

MAX_LESSON_BYTES = 1024 * 1024
FILE_NAME = re.compile(r"^(?:\d+-)?(.+)\.md$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$")
NBSP = "\u00a0"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
WEB = ("http://", "https://", "mailto:", "#")
FRONT_MATTER = {"day": Field(_int, default=0), "prepares": Field(_slugs, default=())}


def _lines_outside_code(text: str, first_line: int) -> Iterable[tuple[int, str]]:
    """(file line, text) of every line not inside a fenced code block, inline code blanked."""
    fence = None
    for number, line in enumerate(text.splitlines(), first_line):
        opened = FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1) == fence:
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        yield number, INLINE_CODE.sub(lambda match: " " * len(match.group(0)), line)


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, file line where the body starts), or None without front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None


def read_lesson(path: Path, display: str, deck_id: str, ladder: tuple[int, ...],
                issues: list[ContentIssue]) -> m.Lesson | None:
    """One lesson file, or None (with its issues added) when it cannot be used."""

    def add(line: int, key: str, message: str) -> None:
        issues.append(ContentIssue(display, line, key, message))

    match = FILE_NAME.match(path.name)
    section = match.group(1) if match else ""
    if not SLUG.match(section):
        add(1, "", f"name the file NN-section-id.md with a lower-case slug id, not {path.name!r}")
        return None
    try:
        raw = read_limited(path, MAX_LESSON_BYTES)
    except UnreadableFile as exc:
        add(1, "", str(exc))
        return None
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        add(raw[: exc.start].count(b"\n") + 1, "", "file is not UTF-8 text")
        return None
    if not text.strip():
        add(1, "", "file is empty")
        return None
    control = CONTROL.search(text)
    if control:  # terminal escapes in a lesson could rewrite the learner's screen when printed
        add(text.count("\n", 0, control.start()) + 1, "", f"control character U+{ord(control.group()):04X} "
            "in the text (only tabs and newlines are allowed)")
        return None
    parts = _split_front_matter(text)
    if parts is None:
        add(1, "", "a lesson starts with front matter: a '---' line, 'day:' and 'prepares:', then '---'")
        return None
    front, body, body_line = parts
    try:
        doc = parse_document(front, display, first_line=2)
    except YamlFileError as exc:
        issues.append(exc.issue)
        return None
    out = Collector(doc, issues)
    if doc.value is not None and not isinstance(doc.value, dict):
        out.add("", "front matter must be a mapping with day and prepares")
        return None
    values = _fields(doc.value or {}, FRONT_MATTER, "", out)
    if values is None:
        return None
    if values["day"] not in ladder:
        out.add("day", f"day {values['day']} is not on the deck's ladder {list(ladder)}")
        return None
    headings, links = [], []
    ok = True
    for number, line in _lines_outside_code(body, body_line):
        heading = HEADING.match(line)
        if heading:
            headings.append(m.Heading(len(heading.group(1)), heading.group(2), number))
        links += [(target, number) for target in (found.group(2) for found in LINK.finditer(line))]
        for found in MATH.finditer(line):
            for message in math_issues(found.group(1) or found.group(2)):
                add(number, "text", f"maths {found.group(0)[:40]!r}: {message}")
                ok = False
        left = MATH.sub("", line.replace("\\$", ""))
        if "$" in left:
            add(number, "text", "a '$' opens maths that is not closed on the same line (write \\$ for a dollar)")
            ok = False
    if not body.strip():
        add(body_line, "text", "the lesson has no text after its front matter")
        return None
    first = next((line for _, line in _lines_outside_code(body, body_line) if line.strip()), "")
    if not (headings and first.startswith("# ")):
        add(body_line, "text", "a lesson's text opens with its '# Title' line")
        return None
    if not ok:
        return None
    return m.Lesson(id=section, deck=deck_id, title=headings[0].text, day=values["day"],
                    prepares=values["prepares"], text=body, origin=m.Origin(display, 1), text_line=body_line,
                    headings=tuple(headings), lines=dict(doc.lines), links=tuple(links))


def read_lessons(deck_dir: Path, deck_id: str, ladder: tuple[int, ...], issues: list[ContentIssue],
                 display: Callable[[Path], str] = str) -> tuple[m.Lesson, ...]:
    """The lessons of one deck in reading order; issues (a bad file, a section id used twice) are added."""
    lessons: list[m.Lesson] = []
    seen: dict[str, str] = {}
    for path in lesson_files(deck_dir):
        name = display(path)
        lesson = read_lesson(path, name, deck_id, ladder, issues)
        if lesson is None:
            continue
        if lesson.id in seen:
            issues.append(ContentIssue(name, 1, "", f"section {lesson.id!r} is already defined by {seen[lesson.id]}"))
            continue
        seen[lesson.id] = name
        lessons.append(lesson)
    return tuple(lessons)


def check_lessons(deck: m.Deck, item_ids: Mapping[str, m.Item] | set[str], has_folder: bool,
                  issues: list[ContentIssue]) -> None:
    """What spans files: links resolve, prepared items exist once, every item has its section.

    A deck without a lessons/ folder has no sections to require (imported and hand-made decks
    are often cards alone); once the folder exists, every item must be prepared by one section.
    """
    own = {item.id for item in deck.items}
    sections = {lesson.id for lesson in deck.lessons}
    prepared: dict[str, str] = {}
    for lesson in deck.lessons:
        file = lesson.origin.file
        for j, item_id in enumerate(lesson.prepares):
            line = lesson.lines.get(f"prepares.{j}", lesson.lines.get("prepares", 1))
            where = f"prepares.{j}"
            if item_id not in own:
                issues.append(ContentIssue(file, line, where, f"{item_id!r} is not an item of deck {deck.id!r}"))
            elif item_id in prepared:
                issues.append(ContentIssue(file, line, where,
                                             f"{item_id!r} is already prepared by section {prepared[item_id]!r}"))
            else:
                prepared[item_id] = lesson.id
        for target, line in lesson.links:
            kind, _, name = target.partition(":")
            if kind == "item" and name not in item_ids:
                issues.append(ContentIssue(file, line, "text", f"link to unknown item {name!r}"))
            elif kind == "lesson" and name not in sections:
                known = ", ".join(sorted(sections))
                message = f"link to unknown section {name!r} (sections: {known})"
                issues.append(ContentIssue(file, line, "text", message))
            elif kind not in ("item", "lesson") and not target.startswith(WEB):
                issues.append(ContentIssue(file, line, "text", f"link target {target!r}: use item:ID, "
                                             "lesson:SECTION or a web address"))
    if not has_folder:
        return
    for item in deck.items:
        if item.id not in prepared:
            issues.append(ContentIssue(item.origin.file, item.origin.line, item.id,
                                         f"no lesson prepares {item.id!r}: name it under 'prepares:' in one of "
                                         f"{deck.id}/lessons/*.md"))


# -- showing a lesson -----------------------------------------------------------------------------


def _outside_code(text: str, convert) -> str:
    """`convert` applied to the text between fenced code blocks (code is shown as written)."""
    out: list[str] = []
    chunk: list[str] = []
    fence = None
    for line in text.split("\n"):
        opened = FENCE.match(line)
        if fence is None and opened:
            out.append(convert("\n".join(chunk)))
            chunk, fence = [], opened.group(1)
            out.append(line)
        elif fence is not None:
            out.append(line)
            if opened and opened.group(1) == fence:
                fence = None
        else:
            chunk.append(line)
    out.append(convert("\n".join(chunk)))
    return "\n".join(part for part in out)


def display_markdown(text: str, *, keep_links: bool = True) -> str:
    """A lesson's Markdown for a Markdown widget: maths in Unicode, code blocks untouched.
    Without `keep_links`, links to items and sections become their text (for a plain terminal)."""
    if not keep_links:
        text = _outside_code(text, lambda prose: LINK.sub(
            lambda found: found.group(1) if found.group(2).startswith(("item:", "lesson:")) else found.group(0),
            prose))
    return _outside_code(text, _render_prose)


def _render_prose(prose: str) -> str:
    return _around_code_spans(prose, render_markdown, keep_backticks=True)


def _around_code_spans(text: str, convert: Callable[[str], str], *, keep_backticks: bool) -> str:
    """`convert` applied to the text with its inline code spans held out, so no rule rewrites
    code; the spans come back as they were (without their backticks unless `keep_backticks`)."""
    spans: list[str] = []

    def hold(match: re.Match[str]) -> str:
        spans.append(match.group(0) if keep_backticks else match.group(2))
        return f"\x00{len(spans) - 1}\x00"

    converted = convert(INLINE_CODE.sub(hold, text))
    return re.sub(r"\x00(\d+)\x00", lambda match: spans[int(match.group(1))], converted)


def plain_text(lesson: m.Lesson, width: int = 80) -> str:
    """A lesson as plain text for a pipe: paragraphs wrapped to `width`, headings underlined,
    tables aligned, code indented, maths in Unicode, links reduced to their text."""
    out: list[str] = []
    paragraph: list[str] = []
    table: list[list[str]] = []
    fence = None

    def flush() -> None:
        if paragraph:
            out.extend(_wrapped(paragraph, width))
            paragraph.clear()
        if table:
            out.extend(_table_lines(table, width))
            table.clear()

    for line in lesson.text.split("\n"):
        opened = FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1) == fence:
                fence = None
                out.append("")
            else:
                out.append("    " + line)
            continue
        if opened:
            flush()
            fence = opened.group(1)
            out.append("")
            continue
        stripped = line.strip()
        if stripped.startswith("|"):
            if paragraph:
                flush()
            cells = stripped.strip("|").split("|")
            if not all(re.fullmatch(r"\s*:?-+:?\s*", c) for c in cells):
                table.append([_inline_plain(c.strip()) for c in cells])
            continue
        heading = HEADING.match(line)
        if heading or not stripped or LIST_ITEM.match(stripped) or (stripped.startswith(">") and not paragraph):
            flush()
        if heading:
            title = _inline_plain(heading.group(2))
            out += [title, ("=" if len(heading.group(1)) == 1 else "-") * min(len(title), width), ""]
        elif stripped:
            paragraph.append(stripped)
        else:
            out.append("")
    flush()
    text = "\n".join(out).replace(NBSP, " ")
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


LIST_ITEM = re.compile(r"^([-*+]|\d+\.)\s+")


def _wrapped(lines: list[str], width: int) -> list[str]:
    """One paragraph, list item or quote, joined and wrapped with the right hanging indent."""
    text = " ".join(lines)
    prefix = indent = ""
    if text.startswith(">"):
        text = " ".join(line.lstrip(">").strip() for line in lines)
        prefix = indent = "| "
    marker = LIST_ITEM.match(text)
    if marker:
        prefix += marker.group(0)
        indent += " " * len(marker.group(0))
        text = text[marker.end():]
    return textwrap.wrap(_inline_plain(text), width, initial_indent=prefix, subsequent_indent=indent,
                         break_on_hyphens=False) or [prefix.rstrip()]


def _inline_plain(text: str) -> str:
    return _around_code_spans(text, _plain_markup, keep_backticks=False)


def _plain_markup(text: str) -> str:
    """Inline Markdown (outside code) as plain text: maths in Unicode, links and emphasis as their text."""
    # No-break spaces keep a formula on one line when wrapped; plain_text turns them back.
    text = MATH.sub(lambda match: latex_to_unicode(match.group(1) or match.group(2)).replace(" ", NBSP), text)
    text = LINK.sub(lambda match: match.group(1), text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    return text.replace("\\$", "$")


def _table_lines(rows: list[list[str]], width: int) -> list[str]:
    """Rows as aligned columns; a table too wide for `width` becomes one block per row."""
    count = max(len(r) for r in rows)
    rows = [r + [""] * (count - len(r)) for r in rows]
    widths = [max(len(r[c]) for r in rows) for c in range(count)]
    if sum(widths) + 2 * (count - 1) <= width:
        lines = ["  ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip() for r in rows]
        return ["", lines[0], "  ".join("-" * w for w in widths), *lines[1:], ""]
    header, *body = rows
    out = [""]
    for row in body:
        out.append(f"* {row[0]}" if row[0] else "*")
        out += [f"    {header[c]}: {row[c]}" if header[c] else f"    {row[c]}" for c in range(1, count) if row[c]]
    out.append("")
    return out
