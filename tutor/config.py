"""Where data and content live, and the one settings object.

Precedence for every setting: command-line flag, then `TUTOR_<KEY>`, then `config.yaml`,
then the default. A bad value is a one-line error that names the key and where it came from.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tutor.checks import Field, Invalid, one_of
from tutor.errors import TutorError

APP_NAME = "tutor"
SCHEDULERS = ("ladder", "fsrs")


class ConfigError(TutorError, ValueError):
    """A setting, path or environment value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """Everything a learner can set (`config.yaml`, `TUTOR_<KEY>`, a flag); each field is checked
    by its entry in `FIELDS`."""

    scheduler: str = "ladder"
    """How items are scheduled: `ladder` (fixed rungs, see `tutor.schedule.ladder`) or `fsrs` (adaptive)."""
    day_start_hour: int = 4
    """The hour (0-23, local time) a new study day starts, so a late session counts for the day before."""
    new_per_day: int = 20
    """How many items outside a deck's plan may be introduced per study day (within the daily budget)."""
    daily_minutes: int = 30
    """The study time (1-1440 minutes) each day's queue is planned to fit: due reviews always come,
    new items only while they fit (`tutor.study.budget`)."""
    mock_minutes: int = 30
    """How long a mock interview runs (5-240 minutes) when `m` or the palette opens it;
    `tutor mock --minutes` overrides it."""
    desired_retention: float = 0.9
    """FSRS only: the chance of recall to schedule each review at (0.7-0.99)."""
    theme: str = "textual-dark"
    """The app's Textual theme (ctrl+p in the app changes and saves it)."""
    editor: str = ""
    """The command that opens an answer in an external editor; empty: `$VISUAL`, then `$EDITOR`."""
    interview: Mapping[str, str] = field(default_factory=dict)
    """Deck id (or `*`, every deck) to the ISO date of the interview it must be ready by
    (`tutor plan --interview`, i on the dashboard; `tutor.study.interview`)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def check(raw: Any) -> int:
        if isinstance(raw, bool):
            raise Invalid("must be a whole number")
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise Invalid("must be a whole number") from None
        if not low <= value <= high:
            raise Invalid(f"must be between {low} and {high}")
        return value
    return check


def _retention(raw: Any) -> float:
    try:
        retention = float(str(raw).strip())
    except ValueError:
        raise Invalid("must be a number") from None
    if not 0.7 <= retention <= 0.99:
        raise Invalid("must be between 0.7 and 0.99")
    return retention


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise Invalid("must be text")
    return raw


def _interview_dates(raw: Any) -> dict[str, str]:
    """`{deck: date}` from YAML, or `DATE` / `deck=DATE,deck=DATE` text ("*" or no deck: every deck)."""
    import datetime

    if isinstance(raw, str):
        pairs = [part.strip().rpartition("=") for part in raw.split(",") if part.strip()]
        raw = {deck.strip() or "*": when.strip() for deck, _, when in pairs}
    if not isinstance(raw, Mapping):
        raise Invalid("must map a deck id (or *) to a date, YYYY-MM-DD")
    out = {}
    for deck, when in raw.items():
        if not isinstance(deck, str) or not deck:
            raise Invalid("each key must be a deck id or *")
        try:
            out[deck] = (when if isinstance(when, datetime.date) else datetime.date.fromisoformat(str(when))
                         ).isoformat()
        except ValueError:
            raise Invalid(f"{deck[:40]}: {str(when)[:40]!r} is not a date, YYYY-MM-DD") from None
    return dict(sorted(out.items()))


FIELDS = {"scheduler": Field(one_of(SCHEDULERS)), "day_start_hour": Field(_whole(0, 23)),
          "new_per_day": Field(_whole(0, 10_000)), "daily_minutes": Field(_whole(1, 24 * 60)),
          "mock_minutes": Field(_whole(5, 240)),
          "desired_retention": Field(_retention),
          "theme": Field(_text), "editor": Field(_text), "interview": Field(_interview_dates)}


def check_setting(key: str, raw: Any, origin: str) -> Any:
    """Coerce one raw value (YAML scalar or environment string) to the setting's type."""
    try:
        return FIELDS[key].check(raw)
    except Invalid as exc:
        shown = repr(raw)
        raise ConfigError(f"{origin}: {key}: {exc} (got {shown[:60]}{'...' if len(shown) > 60 else ''})") from None


def home_dir(flag: str | None = None) -> Path:
    """The data dir: `--home`, else `TUTOR_HOME`, else the platform's user data dir."""
    chosen = flag or os.environ.get("TUTOR_HOME")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def config_file(flag_home: str | None = None) -> Path:
    """`config.yaml` in the home when one is given, else in the user config dir."""
    chosen = flag_home or os.environ.get("TUTOR_HOME")
    if chosen:
        return Path(chosen).expanduser() / "config.yaml"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.yaml"


def cache_dir() -> Path:
    """Where derived data that can be rebuilt at any time is kept (e.g. drill cases):
    `$TUTOR_HOME/cache` when TUTOR_HOME is set (the command line sets it for `--home`), else
    the platform's user cache dir."""
    chosen = os.environ.get("TUTOR_HOME")
    if chosen:
        return Path(chosen).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)


MAX_CONFIG_BYTES = 1024 * 1024


def _read_file(path: Path) -> Mapping[str, Any]:
    if not path.exists():
        return {}
    import yaml

    from tutor.content.files import UnreadableFile, read_limited

    try:  # a FIFO would block, a sparse file of gigabytes would fill the memory
        data = yaml.safe_load(read_limited(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except (UnreadableFile, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: settings are not valid YAML") from None
    except ValueError as exc:  # PyYAML's own constructors, e.g. a date like 2026-13-45
        raise ConfigError(f"{path}: settings are not valid YAML ({str(exc)[:80]})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: settings must be a mapping of key: value")
    return data


def load_settings(flags: Mapping[str, Any] | None = None, home: str | None = None) -> Settings:
    path = config_file(home)
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, raw in _read_file(path).items():
        if key not in known:
            raise ConfigError(f"{path}: {key}: unknown setting (known: {', '.join(sorted(known))})")
        values[key] = check_setting(key, raw, str(path))
    for key in known:
        env = os.environ.get(f"TUTOR_{key.upper()}")
        if env is not None and env != "":
            values[key] = check_setting(key, env, f"TUTOR_{key.upper()}")
    for key, raw in (flags or {}).items():
        if raw is not None:
            values[key] = check_setting(key, raw, f"--{key.replace('_', '-')}")
    return replace(Settings(), **values)


def content_dirs(flags: list[str] | None = None) -> list[Path]:
    """The bundled decks, then `TUTOR_CONTENT` dirs, then `--content` dirs."""
    from tutor.content import bundled_content_dir

    dirs = [bundled_content_dir()]
    extra = os.environ.get("TUTOR_CONTENT", "")
    dirs += [Path(p).expanduser() for p in extra.split(os.pathsep) if p]
    dirs += [Path(p).expanduser() for p in flags or []]
    seen: list[Path] = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return seen


def save_setting(path: Path, key: str, value: Any) -> None:
    """Write one setting to `config.yaml`, keeping the others (used for choices made in the app)."""
    import yaml

    if key not in {f.name for f in fields(Settings)}:
        raise ConfigError(f"{path}: {key}: unknown setting")
    data = dict(_read_file(path))
    data[key] = check_setting(key, value, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
