"""Read untrusted YAML into plain values plus the line of every key path.

Decks may come from anyone, so this reader refuses what a deck never needs and an attacker
would use: aliases (billion laughs), huge files and absurd nesting. Every complaint carries
the file and line it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tutor.errors import TutorError

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40

_STR = "tag:yaml.org,2002:str"
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
    def __init__(self, problem: ContentIssue):
        super().__init__(str(problem))
        self.problem = problem


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
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(1, f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8")
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
    except yaml.YAMLError as exc:
        raise fail(1, f"YAML error: {exc}") from None
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
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for k_node, v_node in n.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    raise fail(k_node.start_mark.line + 1, "keys must be plain text", key)
                k = _constructor.construct_object(k_node)
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
        if n.tag == _STR:
            return n.value
        try:
            return _constructor.construct_object(n)
        except yaml.constructor.ConstructorError as exc:
            raise fail(line, f"cannot read value: {exc.problem}", key) from None

    return Document(name, build(node, "", 0), lines)
