"""`tutor content validate` never reports a deck as fine because an engine could not be loaded."""

import sys

import pytest

from tests.conftest import REPO
from tutor.content import load_library
from tutor.study.validate import EngineMissing, check_engines


@pytest.mark.parametrize("engine", ["tutor.drills", "tutor.derive"])
def test_a_missing_engine_is_an_error_not_a_skip(engine, monkeypatch):
    lib = load_library([REPO / "content"])
    monkeypatch.setitem(sys.modules, engine, None)  # what a broken install looks like to import
    with pytest.raises(EngineMissing, match="an engine does not load"):
        check_engines(lib)


@pytest.mark.parametrize("engine", ["tutor.drills", "tutor.derive"])
def test_validate_with_a_missing_engine_fails_in_one_line(engine, monkeypatch, cli):
    monkeypatch.setitem(sys.modules, engine, None)
    result = cli("content", "validate")
    assert result.code != 0 and "ok:" not in result.out
    assert result.err.count("\n") == 1 and "an engine does not load" in result.err
    assert "internal error" not in result.err
