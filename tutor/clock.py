"""The one source of "now" and of study days.

A study day starts at a local rollover hour (4 by default, as in Anki), so a review at
01:30 counts for the day before. `TUTOR_NOW` pins the clock for tests and demos. Day
arithmetic is done on dates, never on 86,400-second spans, so DST changes cannot shift a day.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from tutor.errors import TutorError

DEFAULT_DAY_START_HOUR = 4


class ClockError(TutorError, ValueError):
    """TUTOR_NOW or TZ cannot be understood."""


@lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ClockError(f"TZ={name!r} is not a known time zone") from exc


def local_zone() -> tzinfo | None:
    """The learner's zone when `TZ` names an IANA zone; None means the system's own rules."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return _zone(name)
        except ClockError:
            return None
    return None


def _to_local(instant: datetime, zone: tzinfo | None) -> datetime:
    return instant.astimezone(zone) if zone else instant.astimezone()


def _from_local(wall: datetime, zone: tzinfo | None) -> datetime:
    """A naive local wall time as a UTC instant (DST-aware either way)."""
    aware = wall.replace(tzinfo=zone) if zone else wall.astimezone()
    return aware.astimezone(UTC)


# The years a pinned clock, and so a saved review, may fall in: day arithmetic reaches decades
# either side of now (simulations, interview dates) and Python's dates end at the year 9999; a
# backup restores reviews of these years only (`tutor.interop.backup`).
PINNABLE_YEARS = (2000, 2199)
DATE_ALONE_HOUR = 23  # at or after every rollover hour (0-23), so a date alone is that study day


def _date_or_datetime(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), time(DATE_ALONE_HOUR))
    except ValueError:
        return datetime.fromisoformat(text)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; without a zone it is local wall time. A date alone means that
    study day, whatever the rollover hour: its midnight would count for the day before."""
    try:
        value = _date_or_datetime(text.strip())
    except ValueError as exc:
        raise ClockError(f"TUTOR_NOW={text!r} is not an ISO 8601 date or time") from exc
    if not PINNABLE_YEARS[0] <= value.year <= PINNABLE_YEARS[1]:
        raise ClockError(f"TUTOR_NOW={text!r} is outside the years {PINNABLE_YEARS[0]} to {PINNABLE_YEARS[1]}")
    if value.tzinfo is None:
        return _from_local(value, local_zone())
    return value.astimezone(UTC)


def iso_utc(at: datetime) -> str:
    """An instant as the store and backups write it: UTC, ISO 8601, to the millisecond."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def now() -> datetime:
    """Now, in UTC, honouring `TUTOR_NOW`."""
    pinned = os.environ.get("TUTOR_NOW")
    if pinned:
        return parse_instant(pinned)
    return datetime.now(UTC)


def study_day(instant: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR,
              zone: tzinfo | None = None) -> date:
    """The study day an instant belongs to: local date, shifted back before the rollover."""
    local = _to_local(instant, zone or local_zone())
    day = local.date()
    return day - timedelta(days=1) if local.hour < day_start_hour else day


def day_start(day: date, day_start_hour: int = DEFAULT_DAY_START_HOUR,
              zone: tzinfo | None = None) -> datetime:
    """The UTC instant a study day begins (the local rollover hour on that date)."""
    return _from_local(datetime.combine(day, time(day_start_hour)), zone or local_zone())


def today(day_start_hour: int = DEFAULT_DAY_START_HOUR, zone: tzinfo | None = None) -> date:
    return study_day(now(), day_start_hour, zone)
