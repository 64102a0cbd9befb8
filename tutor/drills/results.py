"""The result of a drill check: one shape for every outcome, built here and nowhere else.

Shaped after Exercism's test-runner `results.json` (version 3), plus the sandbox layers:
`{"version": 3, "drill", "status": "pass"|"fail"|"error", "message", "tests": [{"name",
"status", "message", "output", and "details" for a failing case}], "diagnosis": {"id",
"message"}|null, "duration_s", "confinement": [layer names]}`. `error` means the code could
not be loaded or run (or the checker failed); `fail` that it ran and was wrong. Callers get
the document as a dict (`to_dict`), the form the CLI prints and the store keeps; `from_dict`
reads one back, checking its shape.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

VERSION = 3
STATUSES = ("pass", "fail", "error")
OUTPUT_SHOWN = 600  # characters of what a case printed kept in its result


def _text(data: Mapping[str, Any], key: str, optional: bool = False) -> Any:
    value = data.get(key)
    if not (isinstance(value, str) or (optional and value is None)):
        raise ValueError(f"a drill result's {key!r} must be text, got {value!r}")
    return value


@dataclass(frozen=True)
class CaseResult:
    """One reported case; `details` (step, expected, actual, largest error) for a failing one."""

    name: str
    status: str
    message: str | None = None
    output: str = ""
    details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {"name": self.name, "status": self.status, "message": self.message,
                    "output": self.output}
        if self.details is not None:
            document["details"] = self.details
        return document

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseResult:
        details = data.get("details")
        if details is not None and not isinstance(details, dict):
            raise ValueError("a case's details must be a mapping")
        return cls(_text(data, "name"), _status(data), _text(data, "message", True),
                   _text(data, "output"), details)


@dataclass(frozen=True)
class Diagnosis:
    """The known mistake a failing answer matches."""

    id: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "message": self.message}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Diagnosis:
        return cls(_text(data, "id"), _text(data, "message"))


def _status(data: Mapping[str, Any]) -> str:
    status = data.get("status")
    if status not in STATUSES:
        raise ValueError(f"a drill result's status must be one of {STATUSES}, got {status!r}")
    return str(status)


@dataclass(frozen=True)
class DrillResult:
    """The whole result document (shape above); `to_dict` is what is printed and stored."""

    drill: str
    status: str
    message: str | None
    tests: tuple[CaseResult, ...]
    diagnosis: Diagnosis | None
    duration_s: float
    confinement: tuple[str, ...]
    version: int = VERSION

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "drill": self.drill, "status": self.status,
                "message": self.message, "tests": [test.to_dict() for test in self.tests],
                "diagnosis": None if self.diagnosis is None else self.diagnosis.to_dict(),
                "duration_s": self.duration_s, "confinement": list(self.confinement)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DrillResult:
        """A result document read back (e.g. from the store); ValueError if it is not one."""
        if not isinstance(data, Mapping) or data.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} drill result")
        tests, diagnosis = data.get("tests"), data.get("diagnosis")
        confinement, duration = data.get("confinement"), data.get("duration_s")
        if not isinstance(tests, list) or not all(isinstance(t, Mapping) for t in tests):
            raise ValueError("a drill result's tests must be a list of cases")
        if diagnosis is not None and not isinstance(diagnosis, Mapping):
            raise ValueError("a drill result's diagnosis must be a mapping or null")
        if not isinstance(confinement, list) or not all(isinstance(c, str) for c in confinement):
            raise ValueError("a drill result's confinement must be a list of layer names")
        if isinstance(duration, bool) or not isinstance(duration, (int, float)):
            raise ValueError("a drill result's duration_s must be a number")
        return cls(_text(data, "drill"), _status(data), _text(data, "message", True),
                   tuple(CaseResult.from_dict(t) for t in tests),
                   None if diagnosis is None else Diagnosis.from_dict(diagnosis),
                   float(duration), tuple(confinement))


def _elapsed(started: float | None) -> float:
    return 0.0 if started is None else round(time.perf_counter() - started, 4)


def verdict_result(drill_id: str, status: str, message: str | None,
                   tests: Iterable[CaseResult], diagnosis: Diagnosis | None, started: float,
                   confinement: Iterable[str]) -> dict[str, Any]:
    """A pass or a fail: the code ran and every case was compared."""
    return DrillResult(drill_id, status, message, tuple(tests), diagnosis, _elapsed(started),
                       tuple(confinement)).to_dict()


def error_result(drill_id: str, message: str, started: float | None = None,
                 confinement: Iterable[str] = (), tests: Iterable[CaseResult] = ()) -> dict[str, Any]:
    """The one constructor of an error: the code could not be loaded or run, or the checker
    itself failed (then nothing ran, and `confinement` is empty)."""
    return DrillResult(drill_id, "error", message, tuple(tests), None, _elapsed(started),
                       tuple(confinement)).to_dict()
