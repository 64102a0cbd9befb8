"""Derivations: a safe maths parser and a SymPy step checker with counterexamples.

Public API (the CLI and the TUI call exactly these; SymPy is imported lazily, so importing
this package keeps `tutor` start-up fast):

* `check_derivation(derivation, text, *, timeout_s=5.0, checker=None) -> DerivationResult` — the
  derivation result (`tutor.derive.results`); never raises for anything the learner wrote.
* `validate_derivation(derivation) -> list[(key path, message)]` — content issues,
  including a model solution the checker rejects.
* `CheckerProcess` — a warm checker the TUI keeps: `check(derivation, text)`,
  `check_lines(derivation, lines) -> steps`, `validate(derivation)`, `close()`.

The format (symbols schema, mistakes, worker design) is documented in `tutor/derive/README.md`.
"""

from __future__ import annotations

import time
from typing import Any

from tutor.derive.results import DerivationResult, finished
from tutor.derive.worker import (
    DEFAULT_TIMEOUT_S,
    CheckerProcess,
    can_fork_here,
    run_forked,
    spec_of,
    split_lines,
    warm_this_process,
)

__all__ = ["check_derivation", "validate_derivation", "CheckerProcess", "DEFAULT_TIMEOUT_S"]


def check_derivation(derivation: Any, text: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                     checker: CheckerProcess | None = None) -> DerivationResult:
    """Check a learner's chain of equal expressions (one per line) against a Derivation."""
    started = time.monotonic()
    if not isinstance(text, str):
        text = bytes(text).decode("utf-8", errors="replace")
    if checker is not None:
        return checker.check(derivation, text, timeout_s)
    job = {"kind": "check", "spec": spec_of(derivation), "lines": split_lines(text)}
    if can_fork_here():
        import tutor.derive.checker  # noqa: F401  (imported once here, inherited by the child)

        result = run_forked(job, timeout_s)
    else:
        with CheckerProcess(timeout_s) as temporary:
            result = temporary.check_job(job, timeout_s)
    return finished(derivation.id, result, started)


def validate_derivation(derivation: Any, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> list[tuple[str, str]]:
    """Every issue with a derivation's content as (key path inside the item, message)."""
    job = {"kind": "validate", "spec": spec_of(derivation)}
    if can_fork_here():
        warm_this_process()  # validation comes in batches: each forked child starts warm
        return run_forked(job, timeout_s)
    with CheckerProcess(timeout_s) as temporary:
        return temporary.validate(derivation)
