"""Text from a learner or a deck made safe to print on a terminal.

Learner output, exception messages, derivation lines and deck text may hold escape sequences
that clear the screen, move the cursor over a verdict ("FAIL\\rPASS"), set the clipboard
(OSC 52) or reverse what follows (bidi overrides). Everything the CLI prints goes through
`printable`; JSON documents through `json_printable`. Newlines and tabs are kept.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the
# bidirectional overrides and isolates that reorder what a terminal shows.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# json.dumps already escapes C0; these are the rest, escaped the JSON way.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def first_unsafe(text: str) -> str | None:
    """The first control character of `text` that `printable` would escape, if any."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


def printable(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), newlines kept."""
    return _UNSAFE.sub(_escaped, text)


def json_printable(encoded: str) -> str:
    """A JSON document (from json.dumps) with the characters it leaves raw escaped as \\uXXXX.

    Those characters only ever occur inside JSON strings, so the result is the same document.
    None of them is ASCII, and `isascii` costs nothing (a flag of the string): a 1 MB document
    of `tutor due` is not scanned.
    """
    if encoded.isascii():
        return encoded
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
