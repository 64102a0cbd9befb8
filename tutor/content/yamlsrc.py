"""Read untrusted YAML into plain values plus the line of every key path.

Decks may come from anyone, so this reader refuses what a deck never needs and an attacker
would use: aliases (billion laughs), huge or non-regular files, absurd nesting, tags other
than the plain YAML types, numbers too long to convert and infinite ones. A date-like scalar
(`2024-13-45`) is text: a deck never holds dates. Every complaint carries the file and line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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
# merge, value) could apply; any other plain scalar is text.
_MAYBE_TYPED = frozenset("0123456789-+.~<=nNyYtTfFoO")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader with a fast path for plain text: PyYAML's resolver tries its regexes on
    every scalar, which was half the time of reading a 10,000-card deck."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and value and value[0] not in _MAYBE_TYPED:
            return _STR
        return super().resolve(kind, value, implicit)


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
    """A parsed file: its value and `lines[path] -> 1-based line` for every key path."""

    file: str
    value: Any
    lines: dict[str, int]

    def line(self, path: str) -> int:
        while path not in self.lines and path:
            path = path.rpartition(".")[0]
        return self.lines.get(path, 1)


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


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
        raise fail(line, f"YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise fail(line, f"control character U+{exc.character:04X} is not allowed in YAML") from None
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        raise fail(1, f"YAML error: {type(exc).__name__}") from None
    lines: dict[str, int] = {}
    if node is None:
        return Document(name, None, lines)
    seen: set[int] = set()

    def build(n: yaml.Node, key: str, depth: int) -> Any:
        line = n.start_mark.line + 1
        if id(n) in seen:
            raise fail(line, "anchors and aliases are not allowed in decks (this anchored value is reused)", key)
        seen.add(id(n))
        if depth > MAX_DEPTH:
            raise fail(line, f"nested deeper than {MAX_DEPTH} levels", key)
        lines.setdefault(key, line + offset)
        if not isinstance(n, yaml.ScalarNode) and n.tag != _COLLECTIONS[type(n)]:
            raise fail(line, f"the YAML tag {_shown_tag(n.tag)} is not allowed in decks", key)
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for k_node, v_node in n.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    raise fail(k_node.start_mark.line + 1, "keys must be plain text", key)
                k = scalar(k_node, key)
                if not isinstance(k, (str, int)) or isinstance(k, bool):
                    k = str(k_node.value)
                child = _join(key, k)
                if k in out:
                    raise fail(k_node.start_mark.line + 1, f"duplicate key {k!r}", child)
                lines[child] = k_node.start_mark.line + 1 + offset
                out[k] = build(v_node, child, depth + 1)
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(v, _join(key, i), depth + 1) for i, v in enumerate(n.value)]
        return scalar(n, key)

    def scalar(n: yaml.ScalarNode, key: str) -> Any:
        """A plain value; anything PyYAML could make of it beyond text, numbers, bools and null is refused."""
        line = n.start_mark.line + 1
        if n.tag in _AS_TEXT:
            unsafe = first_unsafe(n.value)
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

    return Document(name, build(node, "", 0), lines)


def _shown_tag(tag: str) -> str:
    shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
    return shown[:60]


def _excerpt(text: str, limit: int = 40) -> str:
    """A short, printable quote of a deck's text for a one-line message."""
    shown = repr(text[:limit])
    return shown + ("…" if len(text) > limit else "")
