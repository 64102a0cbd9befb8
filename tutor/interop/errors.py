"""The one error family of tutor.interop, so the CLI turns any of them into one line and exit 2."""

from __future__ import annotations

from pathlib import Path

from tutor.errors import TutorError


class InteropError(TutorError, ValueError):
    """Bad input or an unwritable output; the message is one line for the learner."""


class ExportError(InteropError):
    """An export that cannot be written."""


def write_failure(path: Path, exc: OSError) -> ExportError:
    return ExportError(f"{path}: cannot write: {exc.strerror or exc}")
