"""Read untrusted YAML into plain values plus the line of every key path.

Decks may come from anyone, so this reader refuses what a deck never needs and an attacker
would use: aliases (billion laughs), huge or non-regular files, absurd nesting, tags other
than the plain YAML types, numbers too long to convert and infinite ones. A date-like scalar
(`2024-13-45`) is text: a deck never holds dates. Every complaint carries the file and line.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tutor.content.files import UnreadableFile, read_limited
from tutor.errors import TutorError
from tutor.printable import first_unsafe

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
MAX_NUMBER_CHARS = 40

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_AS_TEXT = {_STR, _CORE + "timestamp"}
_NUMBERS = {_CORE + "int", _CORE + "float"}
_CONSTRUCTED = _NUMBERS | {_CORE + "bool", _CORE + "null"}
_COLLECTIONS = {yaml.MappingNode: _CORE + "map", yaml.SequenceNode: _CORE + "seq"}
# First characters for which one of YAML's implicit types (bool, int, float, null, timestamp,
# merge, value) could apply; any other plain scalar is text. Of those, a letter starts only a
# bool or a null, and then the whole scalar is one of these words (PyYAML's resolver regexes).
_MAYBE_TYPED = frozenset("0123456789-+.~<=nNyYtTfFoO")
_TYPED_WORDS = frozenset({"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
                          "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"})


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader with a fast path for plain text: PyYAML's resolver tries its regexes on
    every scalar, which was half the time of reading a 10,000-card deck (keys such as `title`
    and `front` start with a bool's letter)."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and value:
            first = value[0]
            if first not in _MAYBE_TYPED or (first.isalpha() and value not in _TYPED_WORDS):
                return _STR
        return super().resolve(kind, value, implicit)

    # The composer calls these around every node for path resolvers, which the safe loader has
    # none of; C built-ins that ignore their arguments cost a tenth of PyYAML's Python no-ops
    # (10,000 cards: 20-30 ms).
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)


_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class ContentIssue:
    """One thing wrong with a content file: `FILE:LINE: at KEY.PATH: message`."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: at {self.path or '(top)'}: {self.message}"


class YamlFileError(TutorError):
    def __init__(self, issue: ContentIssue):
        super().__init__(str(issue))
        self.issue = issue


@dataclass
class Document:
    """A parsed file: its value and `lines[path] -> 1-based line` for every key path;
    `flow_plain` holds the paths of unquoted items of `[a, b]` lists (a comma there splits)."""

    file: str
    value: Any
    lines: dict[str, int]
    flow_plain: set[str] = field(default_factory=set)

    def line(self, path: str) -> int:
        while path not in self.lines and path:
            path = path.rpartition(".")[0]
        return self.lines.get(path, 1)

    def lines_under(self, path: str) -> KeyLines:
        """The lines of the key paths inside `path` (an item's), relative to it."""
        return KeyLines(self.lines, f"{path}.")


class KeyLines(Mapping[str, int]):
    """An item's view of its document's `lines` ("front" -> the line of "cards.3.front"):
    made for each of 10,000 items without copying, read only where an issue is placed."""

    __slots__ = ("_lines", "_prefix")

    def __init__(self, lines: dict[str, int], prefix: str):
        self._lines = lines
        self._prefix = prefix

    def __getitem__(self, path: str) -> int:
        return self._lines[self._prefix + path]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._prefix + path in self._lines

    def __iter__(self) -> Iterator[str]:
        prefix = self._prefix
        return (key[len(prefix):] for key in self._lines if key.startswith(prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def read_document(path: Path, display: str | None = None) -> Document:
    name = display or str(path)

    def fail(line: int, message: str, key: str = "") -> YamlFileError:
        return YamlFileError(ContentIssue(name, line, key, message))

    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        raise fail(1, str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(line, "file is not UTF-8 text") from None
    return parse_document(text, name)


def parse_document(text: str, name: str, first_line: int = 1) -> Document:
    """YAML text that starts on line `first_line` of file `name` (front matter starts further down)."""
    offset = first_line - 1

    def fail(line: int, message: str, key: str = "") -> YamlFileError:
        return YamlFileError(ContentIssue(name, line + offset, key, message))

    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        at = text[mark.index:mark.index + 1] if mark and 0 <= mark.index < len(text) else ""
        raise fail(line, f"YAML syntax error: {plain_words(exc.problem or exc.context or '', at)}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise fail(line, f"control character U+{exc.character:04X} is not allowed in YAML") from None
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        raise fail(1, f"YAML error: {type(exc).__name__}") from None
    lines: dict[str, int] = {}
    flow_plain: set[str] = set()
    if node is None:
        return Document(name, None, lines)
    # Only a double-quoted escape can put a character into a value that the file does not hold.
    text_printable = first_unsafe(text) is None
    seen: set[int] = set()
    anchored = "&" in text  # without an anchor there is no alias: every node is met once

    def build(n: yaml.Node, key: str, depth: int) -> Any:
        if anchored:
            if id(n) in seen:
                raise fail(n.start_mark.line + 1, "anchors and aliases are not allowed in decks "
                                                  "(this anchored value is reused)", key)
            seen.add(id(n))
        if depth > MAX_DEPTH:
            raise fail(n.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels", key)
        if key not in lines:
            lines[key] = n.start_mark.line + 1 + offset
        node_type = type(n)
        if node_type is yaml.ScalarNode:
            return scalar(n, key)
        if n.tag != _COLLECTIONS[node_type]:
            raise fail(n.start_mark.line + 1, f"the YAML tag {_shown_tag(n.tag)} is not allowed in decks", key)
        prefix = f"{key}." if key else ""
        if node_type is yaml.MappingNode:
            out: dict[Any, Any] = {}
            for k_node, v_node in n.value:
                if type(k_node) is not yaml.ScalarNode:
                    raise fail(k_node.start_mark.line + 1, "keys must be plain text", key)
                if k_node.style is None and k_node.tag == _STR and text_printable:
                    k = k_node.value  # a plain word, as almost every key: what `scalar` returns for it
                else:
                    k = scalar(k_node, key)
                    if not isinstance(k, (str, int)) or isinstance(k, bool):
                        k = str(k_node.value)
                child = f"{prefix}{k}"
                if k in out:
                    raise fail(k_node.start_mark.line + 1, f"duplicate key {k!r}", child)
                lines[child] = k_node.start_mark.line + 1 + offset
                if type(v_node) is yaml.ScalarNode and not anchored and depth < MAX_DEPTH:
                    out[k] = scalar(v_node, child)  # `build` of it, without a call per field
                else:
                    out[k] = build(v_node, child, depth + 1)
            return out
        if n.flow_style:
            flow_plain.update(f"{prefix}{i}" for i, v in enumerate(n.value)
                              if type(v) is yaml.ScalarNode and not v.style)
        return [build(v, f"{prefix}{i}", depth + 1) for i, v in enumerate(n.value)]

    def scalar(n: yaml.ScalarNode, key: str) -> Any:
        """A plain value; anything PyYAML could make of it beyond text, numbers, bools and null is refused."""
        if n.tag in _AS_TEXT and text_printable and n.style != '"':
            return n.value
        line = n.start_mark.line + 1
        if n.tag in _AS_TEXT:
            unsafe = first_unsafe(n.value)
            if n.style == '"' and "\\" in text[n.start_mark.index:n.end_mark.index]:
                lost = _lost_backslash(n.value, text[n.start_mark.index:n.end_mark.index], unsafe)
                if lost:
                    raise fail(line, lost, key)
            if unsafe is not None:  # written as an escape ("\e[2J"): it would drive the terminal
                raise fail(line, f"control character U+{ord(unsafe):04X} is not allowed in deck text", key)
            return n.value
        if n.tag not in _CONSTRUCTED:
            raise fail(line, f"the YAML tag {_shown_tag(n.tag)} is not allowed in decks", key)
        if n.tag in _NUMBERS and len(n.value) > MAX_NUMBER_CHARS:
            raise fail(line, f"number longer than {MAX_NUMBER_CHARS} characters", key)
        try:
            value = _constructor.construct_object(n)
        except (yaml.YAMLError, ValueError, ArithmeticError):
            raise fail(line, f"{_excerpt(n.value)} is not a valid {_shown_tag(n.tag)}", key) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise fail(line, f"number {_excerpt(n.value)} is not finite (decks need finite numbers)", key)
        return value

    value = build(node, "", 0)
    return Document(name, value, lines, flow_plain)


# What PyYAML's (libyaml's) complaints mean for someone writing a deck, by their first words.
_PLAIN_WORDS = (
    ("mapping values are not allowed", "': ' inside an unquoted value starts a new key; put the whole "
                                       "value in quotes"),
    ("did not find expected '-' indicator", "this line is not lined up with the list items above it "
                                            "(check its indentation)"),
    ("did not find expected key", "this line is not lined up with the keys above it, or text follows "
                                  "a closing quote (check the indentation and the quotes)"),
    ("could not find expected ':'", "a line without 'key:' inside a mapping: a value that goes on over "
                                    "several lines must be indented further, or quoted"),
    ("found unknown escape character", "an unknown backslash escape inside double quotes (LaTeX such "
                                       "as \\sqrt); use single quotes for text with backslashes"),
    ("found unexpected end of stream", "a quote or bracket that is never closed"),
    ("did not find expected ',' or ']'", "a [...] list that is not closed, or an item holding ': ' or "
                                         "'#' (quote such an item)"),
    ("did not find expected ',' or '}'", "a {...} mapping that is not closed, or a value holding ': ' "
                                         "(quote it)"),
    ("found undefined alias", "a value starting with * is read as an alias; put it in quotes"),
    ("did not find expected alphabetic or numeric character", "a value starting with & or * is read as "
                                                              "an anchor or alias; put it in quotes"),
    ("block sequence entries are not allowed", "a '- ' list cannot start on its key's line; put each "
                                               "item on a line of its own, indented"),
)


def plain_words(problem: str, at: str) -> str:
    """PyYAML's complaint said the way a deck author can act on it (its own words otherwise)."""
    if problem.startswith("found a tab character") or ("cannot start any token" in problem and at == "\t"):
        return "a tab: YAML indents with spaces only"
    if "cannot start any token" in problem:
        return f"a value cannot start with {at!r}; put it in quotes" if at.strip() else problem
    return next((words for start, words in _PLAIN_WORDS if problem.startswith(start)), problem)


# The escapes of double-quoted YAML that turn a LaTeX command into a control character
# ("\beta" -> backspace + "eta"), and LaTeX commands that start with \t, \n or \r (which
# become a tab, newline or carriage return without any error).
_ESCAPED = {"\x00": "0", "\x07": "a", "\x08": "b", "\x0b": "v", "\x0c": "f", "\x1b": "e"}
_LATEX_AFTER_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\([tnr](?:heta|au|imes|ext|extbf|ilde|anh|an|op|o|riangle|"
                                 r"abla|u|eq|e|ot|ewline|ho|ight|ightarrow|angle|m)\b)")


def _lost_backslash(value: str, raw: str, unsafe: str | None) -> str | None:
    """Why a double-quoted value lost a LaTeX backslash to a YAML escape, or None."""
    hint = "use single quotes for text with backslashes (LaTeX)"
    if unsafe is not None and unsafe in _ESCAPED:
        letter = _ESCAPED[unsafe]
        shown = _excerpt(value.replace(unsafe, "\\" + letter)).replace("\\\\", "\\")
        return (f'control character U+{ord(unsafe):04X} from "\\{letter}" in a double-quoted string: '
                f"{hint}, e.g. '{shown[1:-1]}'")
    found = _LATEX_AFTER_ESCAPE.search(raw)
    if found:
        command = found.group(1)
        what = {"t": "a tab", "n": "a line break", "r": "a carriage return"}[command[0]]
        return (f'"\\{command}" in a double-quoted string became {what} and "{command[1:]}": {hint}')
    return None


def _shown_tag(tag: str) -> str:
    shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
    return shown[:60]


def _excerpt(text: str, limit: int = 40) -> str:
    """A short, printable quote of a deck's text for a one-line message."""
    shown = repr(text[:limit])
    return shown + ("…" if len(text) > limit else "")
