"""The one base of tutor's errors, and the command line's exit codes.

Every error that tutor raises on purpose derives from `TutorError`: its message is one line
a learner can act on, and `exit_code` is what `tutor` exits with. The command line catches
`TutorError` once, so a new error class can never fall through as "internal error".
Classes that other code also catches by a built-in type (a `ValueError`, a `LookupError`)
keep that type as a second base.
"""

from __future__ import annotations

EXIT_OK, EXIT_WRONG, EXIT_BAD_INPUT = 0, 1, 2


class TutorError(Exception):
    """Something the learner can fix: `str(error)` is one line; the CLI prints it after
    `tutor: error:` and exits with `exit_code`."""

    exit_code = EXIT_BAD_INPUT


class UsageError(TutorError):
    """Bad input from the command line: an unknown id, an unreadable file, a bad option."""
