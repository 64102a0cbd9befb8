"""Services never import Textual; `tutor due` stays free of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import LINALG, REPO, subprocess_env

SERVICES = ["tutor.content", "tutor.schedule", "tutor.store", "tutor.study", "tutor.reference", "tutor.drills",
            "tutor.derive", "tutor.cli", "tutor.clock", "tutor.config", "tutor.interop", "tutor.errors"]


@pytest.mark.parametrize("module", SERVICES)
def test_services_never_import_textual(module):
    code = (f"import importlib, pkgutil, sys\nm = importlib.import_module({module!r})\n"
            "for info in pkgutil.walk_packages(getattr(m, '__path__', []), m.__name__ + '.'):\n"
            "    importlib.import_module(info.name)\n"
            "print('textual' in sys.modules or any(k.startswith('tutor.tui') for k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_the_command_line_imports_no_heavy_library_until_a_command_runs():
    code = ("import importlib, pkgutil, sys\nimport tutor.cli\n"
            "for info in pkgutil.walk_packages(tutor.cli.__path__, 'tutor.cli.'):\n"
            "    importlib.import_module(info.name)\n"
            "print(sorted(m for m in ('textual', 'sympy', 'numpy', 'fsrs_rs_python') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"


def _timed_reviews(home: Path) -> None:
    """Enough timed answers that `tutor due` costs cards at the learner's own median."""
    from datetime import UTC, date, datetime

    from tutor.schedule.ladder import LadderScheduler
    from tutor.store import Store
    from tutor.study.budget import OWN_AFTER

    store = Store.open(home)
    for n in range(OWN_AFTER + 1):
        store.record_review(item_id=f"item-{n}", kind="card", deck="d", at=datetime(2026, 1, 5, 12, tzinfo=UTC),
                            day=date(2026, 1, 5), rating=3, scheduler=LadderScheduler(), duration_ms=4000 + n)
    store.close()


@pytest.mark.parametrize("history", [False, True], ids=["new learner", "own timings"])
def test_due_json_imports_no_heavy_library(tmp_path, history):
    if history:
        _timed_reviews(tmp_path)
    code = ("import sys, runpy\nsys.argv = ['tutor', 'due', '--json', '--content', sys.argv[1]]\n"
            "from tutor.cli import main\ncode = main(sys.argv[1:])\n"
            "heavy = sorted(m for m in ('textual', 'sympy', 'numpy', 'fsrs_rs_python', 'statistics')\n"
            "               if m in sys.modules)\n"
            "print('HEAVY', heavy, file=sys.stderr)\nsys.exit(code)")
    out = subprocess.run([sys.executable, "-c", code, str(LINALG)], capture_output=True, text=True, cwd=REPO,
                         env=subprocess_env(TUTOR_HOME=str(tmp_path)))
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stderr


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed")
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stdout + out.stderr
