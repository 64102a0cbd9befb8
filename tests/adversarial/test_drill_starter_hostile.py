"""A deck's drill starter nested deeper than CPython's parser goes: `tutor content validate`
names the starter at its line in one line instead of ending in a MemoryError or
RecursionError (the parser raises either, without words, depending on the depth)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import TEST_DECKS

STARTER = """    starter: |
      import numpy as np


      def batchnorm_forward(x, gamma, beta, eps):
          raise NotImplementedError
"""


@pytest.mark.parametrize("minuses", [5_000, 7_000], ids=["RecursionError", "MemoryError"])
def test_a_starter_nested_too_deeply_is_one_located_issue(cli, tmp_path, minuses):
    root = tmp_path / "batchnorm"
    shutil.copytree(TEST_DECKS / "batchnorm", root)
    drills = root / "drills.yaml"
    hostile = STARTER.replace("raise NotImplementedError", "return " + "-" * minuses + "x")
    drills.write_text(drills.read_text().replace(STARTER, hostile))
    result = cli("content", "validate", str(root))
    assert result.code == 2 and "Traceback" not in result.err + result.out
    [issue] = [line for line in result.err.splitlines() if "starter" in line]
    assert issue.startswith(f"{drills}:11: at batchnorm-forward.starter: is not valid Python")
    assert "nests too deeply to be parsed" in issue
