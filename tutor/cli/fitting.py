"""`tutor optimize` and `tutor simulate`: FSRS fitted to the learner's log, and what each
desired retention costs. The engine (fsrs-rs, numpy-free) is imported only when they run."""

from __future__ import annotations

import argparse

from tutor.cli import render
from tutor.cli.wiring import emit, open_study
from tutor.errors import EXIT_OK, UsageError


def cmd_optimize(args: argparse.Namespace) -> int:
    from tutor.study.optimize import optimize, reset

    with open_study(args) as study:
        document = reset(study, args.deck) if args.reset else optimize(study, args.deck)
    emit(args, document, render.optimized(document))
    return EXIT_OK


def retentions(text: str) -> list[float]:
    """`--retention 0.80,0.85,...`: desired retentions as fractions."""
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"--retention {text!r}: give fractions separated by commas, e.g. 0.85,0.9") from None


def cmd_simulate(args: argparse.Namespace) -> int:
    from tutor.study.optimize import simulate

    with open_study(args) as study:
        document = simulate(study, retentions(args.retention), args.days, args.deck)
    emit(args, document, render.simulated(document))
    return EXIT_OK
