"""`TUTOR_NOW` at the edges of Python's calendar: day arithmetic around it (a study day's start,
tomorrow, a simulation's months) overflowed into "internal error: OverflowError". It is refused in
one line naming the variable and the years it may take: those a backup restores, so every review
made under it can be restored."""

from __future__ import annotations

import pytest

from tests.conftest import LINALG


@pytest.mark.parametrize("pinned", ["9999-12-31", "0001-01-01T00:00:00+00:00"])
def test_a_clock_pinned_beyond_the_calendar_is_one_line(cli, home, pinned):
    result = cli("due", "--content", str(LINALG), now=pinned)
    assert result.code == 2 and "internal error" not in result.err and "Traceback" not in result.err
    assert result.err.strip().splitlines() == [f"tutor: error: TUTOR_NOW={pinned!r} is outside the years 2000 to 2199"]
    assert not (home / "tutor.db").exists()  # nothing was opened or written


def test_the_last_pinnable_day_still_works(cli, home):
    assert cli("simulate", "--content", str(LINALG), now="2199-12-31").code == 0
