"""Every interop failure is one InteropError line; the module stays free of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import LINALG, REPO
from tutor.content import load_library
from tutor.interop import ExportError, InteropError, export_anki, export_csv, write_backup


@pytest.mark.parametrize("export", [
    lambda lib, out: export_anki(lib, out),
    lambda lib, out: export_csv(lib, out),
    lambda lib, out: write_backup({"format": "tutor-backup"}, out),
])
def test_an_unwritable_output_is_one_line(tmp_path, export):
    lib = load_library([LINALG])
    out = tmp_path / "no" / "such" / "dir" / "out.file"
    with pytest.raises(ExportError) as caught:
        export(lib, out)
    assert isinstance(caught.value, InteropError)
    assert str(caught.value).startswith(str(out)) and "cannot write" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_interop_imports_no_heavy_library_even_while_working(tmp_path):
    code = f"""
import sys
from pathlib import Path
from tutor.content import load_library
from tutor.interop import export_anki, export_csv, import_csv, new_deck
lib = load_library([Path({str(LINALG)!r})])
out = Path({str(tmp_path)!r})
export_anki(lib, out / "a.apkg")
export_csv(lib, out / "a.csv")
import_csv(out / "a.csv", out / "deck", "copy", "Copy")
new_deck("fresh", out)
print(sorted(m for m in ("numpy", "sympy", "textual") if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
