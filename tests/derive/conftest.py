"""Fixtures for the derivation tests: the shipped derivations (through the content loader) and a warm pool."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.content import load_library
from tutor.content.models import Derivation
from tutor.derive import CheckerProcess

DERIVATIONS_FILE = Path(__file__).resolve().parents[2] / "content" / "adam" / "derivations.yaml"


def load_derivations(tmp: Path) -> dict[str, Derivation]:
    """The shipped derivations, loaded by the real loader from a deck of their own."""
    deck = tmp / "derive-test"
    deck.mkdir()
    (deck / "deck.yaml").write_text("id: derive-test\ntitle: Derivations under test\n")
    shutil.copy(DERIVATIONS_FILE, deck / "derivations.yaml")
    library = load_library([tmp])
    assert not library.errors, library.errors
    return {i.id: i for i in library.items.values() if isinstance(i, Derivation)}


@pytest.fixture(scope="session")
def derivations(tmp_path_factory) -> dict[str, Derivation]:
    return load_derivations(tmp_path_factory.mktemp("content"))


@pytest.fixture(scope="session")
def pool():
    with CheckerProcess() as warm:
        yield warm
