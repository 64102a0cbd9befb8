"""Study days across the rollover hour and both daylight-saving changes, in several zones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor import clock

LONDON, NEW_YORK, SYDNEY = ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        # Europe/London springs forward at 01:00 UTC on 2026-03-29 (01:00 -> 02:00 local).
        (LONDON, utc(2026, 3, 29, 2, 59), date(2026, 3, 28)),  # 03:59 BST: before the rollover
        (LONDON, utc(2026, 3, 29, 3, 0), date(2026, 3, 29)),  # 04:00 BST
        # ...and falls back at 01:00 UTC on 2026-10-25 (02:00 -> 01:00 local).
        (LONDON, utc(2026, 10, 25, 3, 59), date(2026, 10, 24)),  # 03:59 GMT
        (LONDON, utc(2026, 10, 25, 4, 0), date(2026, 10, 25)),
        # America/New_York: 2026-03-08 07:00 UTC is 03:00 EDT, 2026-11-01 08:00 UTC is 03:00 EST.
        (NEW_YORK, utc(2026, 3, 8, 7, 59), date(2026, 3, 7)),
        (NEW_YORK, utc(2026, 3, 8, 8, 0), date(2026, 3, 8)),
        (NEW_YORK, utc(2026, 11, 1, 8, 59), date(2026, 10, 31)),
        (NEW_YORK, utc(2026, 11, 1, 9, 0), date(2026, 11, 1)),
        # Australia/Sydney, southern hemisphere: AEDT (+11) ends 2026-04-04 16:00 UTC, starts 2026-10-03 16:00 UTC.
        (SYDNEY, utc(2026, 4, 4, 17, 59), date(2026, 4, 4)),  # 03:59 AEST on the 5th
        (SYDNEY, utc(2026, 4, 4, 18, 0), date(2026, 4, 5)),  # 04:00 AEST
        (SYDNEY, utc(2026, 10, 3, 16, 59), date(2026, 10, 3)),  # 03:59 AEDT on the 4th
        (SYDNEY, utc(2026, 10, 3, 17, 0), date(2026, 10, 4)),  # 04:00 AEDT
    ],
)
def test_study_day_across_dst_and_rollover(zone, instant, expected):
    local = instant.astimezone(zone)
    # The rule itself, stated in local wall time: before 04:00 counts for the day before.
    rule = local.date() if local.hour >= 4 else date.fromordinal(local.date().toordinal() - 1)
    assert clock.study_day(instant, 4, zone) == rule == expected


def test_day_start_is_local_rollover_on_both_sides_of_dst():
    assert clock.day_start(date(2026, 3, 28), 4, LONDON) == utc(2026, 3, 28, 4)
    assert clock.day_start(date(2026, 3, 29), 4, LONDON) == utc(2026, 3, 29, 3)
    assert clock.day_start(date(2026, 11, 1), 4, NEW_YORK) == utc(2026, 11, 1, 9)
    # A study day is 23 or 25 hours long across a change, never a fixed 86,400 seconds.
    spring = clock.day_start(date(2026, 3, 29), 4, LONDON) - clock.day_start(date(2026, 3, 28), 4, LONDON)
    assert spring.total_seconds() == 23 * 3600


def test_tutor_now_pins_the_clock(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    monkeypatch.setenv("TUTOR_NOW", "2026-03-08T03:30:00")
    assert clock.now() == utc(2026, 3, 8, 7, 30)
    assert clock.today() == date(2026, 3, 7)
    monkeypatch.setenv("TUTOR_NOW", "2026-03-08T12:00:00+00:00")
    assert clock.today() == date(2026, 3, 8)


def test_bad_tutor_now_is_a_clear_error(cli):
    result = cli("due", now="yesterday-ish")
    assert result.code == 2
    assert result.err.strip() == "tutor: error: TUTOR_NOW='yesterday-ish' is not an ISO 8601 date or time"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
       st.sampled_from([LONDON, NEW_YORK, SYDNEY, ZoneInfo("Asia/Kolkata")]), st.integers(0, 23))
def test_an_instant_falls_inside_its_study_day(instant, zone, hour):
    day = clock.study_day(instant, hour, zone)
    next_day = date.fromordinal(day.toordinal() + 1)
    assert clock.day_start(day, hour, zone) <= instant < clock.day_start(next_day, hour, zone) or \
        _in_dst_gap(day, hour, zone)


def _in_dst_gap(day: date, hour: int, zone) -> bool:
    """A rollover hour that does not exist on a spring-forward day shifts with the clock."""
    wall = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
    return wall.astimezone(UTC).astimezone(zone).hour != hour
