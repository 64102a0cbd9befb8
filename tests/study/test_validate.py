"""`tutor content validate` never reports a deck as fine because an engine could not be loaded."""

import sys

import pytest

from tests.conftest import REPO
from tutor.content import load_library
from tutor.study.validate import check_engines


@pytest.mark.parametrize("engine", ["tutor.drills", "tutor.derive"])
def test_a_missing_engine_is_an_error_not_a_skip(engine, monkeypatch):
    lib = load_library([REPO / "content"])
    monkeypatch.setitem(sys.modules, engine, None)  # what a broken install looks like to import
    with pytest.raises(ImportError):
        check_engines(lib)
