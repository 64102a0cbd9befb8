"""The `tutor` command line: argument parsing and output only; the work is in the services.

Exit status: 0 done or passed, 1 the checked answer is wrong, 2 bad input (`tutor.errors`).
Errors are one line on stderr, never a traceback; `--json` prints exactly one JSON document.

Modules: `parser` (the arguments), `wiring` (options to settings, store and study; output),
`render` (documents to text), and the commands by group: `study`, `content`, `engines`
(drills and derivations), `interop` (export, import, new decks).

Start-up is most of what a command costs (`bench/bench_due.py`), so:
- this package imports no heavy module (Textual, SymPy, numpy) at module level; each command
  imports what it needs when it runs (an import-linter contract and a test hold this);
- `drill check` starts its sandboxed child first, so the child's numpy import overlaps with
  parsing and reading the drill here (`_early_drill_runner`);
- only the named command's parser is built (`parser.build_parser`);
- `answer` on a number or text card reads its answer key from the content catalog, not the
  YAML (`tutor.study.catalog.answer_key`);
- the help formatter measures the terminal itself (`parser._Formatter`), and JSON is written
  without indent when piped (the C encoder only runs without indent).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tutor.errors import EXIT_BAD_INPUT, EXIT_OK, TutorError
from tutor.printable import printable

if TYPE_CHECKING:
    from tutor.drills import OneShotRunner

QUOTES = "'\""  # a LookupError's message comes quoted

def main(argv: Sequence[str] | None = None) -> int:
    """The console script and `python -m tutor`: run one command, return its exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    runner = _early_drill_runner(args)
    try:
        return _run(args, runner)
    finally:
        if runner is not None:
            runner.close()


def _run(argv: list[str], drill_runner: OneShotRunner | None) -> int:
    try:
        from tutor.cli.parser import parse

        args = parse(argv)
        args.drill_runner = drill_runner
        from tutor.clock import now

        now()  # a bad TUTOR_NOW is reported before anything else happens
        with _home_in_environment(args.home):
            code: int = args.func(args)
        sys.stdout.flush()
        return code
    except TutorError as exc:
        print(f"tutor: error: {printable(str(exc).strip(QUOTES))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tutor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("TUTOR_DEBUG"):
            raise
        print(printable(f"tutor: error: internal error: {type(exc).__name__}: {exc} (set TUTOR_DEBUG=1 for details)"),
              file=sys.stderr)
        return EXIT_BAD_INPUT


@contextmanager
def _home_in_environment(home: str | None) -> Iterator[None]:
    """`--home DIR` is `TUTOR_HOME=DIR` while the command runs, as git's `--git-dir` is
    `GIT_DIR`: whatever finds the home through the variable (the cache folder,
    `tutor.config.cache_dir`) then follows the flag, not the home the variable names."""
    if home is None:
        yield
        return
    before = os.environ.get("TUTOR_HOME")
    os.environ["TUTOR_HOME"] = home
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TUTOR_HOME", None)
        else:
            os.environ["TUTOR_HOME"] = before


def _early_drill_runner(argv: Sequence[str]) -> OneShotRunner | None:
    """For `drill check`, a sandboxed child started before anything else, so its numpy import
    overlaps with parsing, settings and reading the drill here. None when it cannot start:
    the check then starts its own child and reports what went wrong."""
    if list(argv[:2]) != ["drill", "check"]:
        return None
    from tutor.drills import OneShotRunner

    runner = OneShotRunner()
    try:
        runner.start()
    except Exception:  # the check itself will report the sandbox's failure
        runner.close()
        return None
    return runner
