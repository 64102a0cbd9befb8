"""Hostile lengths for `tutor mock`, from the command line and the environment: nothing, less
than the shortest mock, negative, huge, NaN, a fraction, a number in words or exponent form.
Each is one line naming where it came from, before anything is picked or saved."""

from __future__ import annotations

import pytest

NOW = "2026-03-05T09:00:00"
HOSTILE = ["0", "-5", "4", "241", "9" * 5000, "NaN", "inf", "1e3", "30.5", "thirty", "", "\x1b[31m30"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_bad_mock_length_on_the_command_line_is_one_line(cli, home, value):
    result = cli("mock", "--json", "--minutes", value, now=NOW)
    assert result.code == 2 and "--minutes" in result.err and "from 5 to 240" in result.err
    assert len(result.err.strip().splitlines()) == 1 and len(result.err) < 300 and "\x1b" not in result.err
    assert result.out == "" and not (home / "tutor.db").exists()


@pytest.mark.parametrize("value", [v for v in HOSTILE if v])  # an empty variable is no variable
def test_a_bad_mock_length_in_the_environment_is_one_line(cli, home, monkeypatch, value):
    monkeypatch.setenv("TUTOR_MOCK_MINUTES", value)
    result = cli("mock", "--json", now=NOW)
    assert result.code == 2 and "TUTOR_MOCK_MINUTES" in result.err and "mock_minutes" in result.err
    assert len(result.err.strip().splitlines()) == 1 and len(result.err) < 400 and "\x1b" not in result.err
    assert result.out == ""


@pytest.mark.parametrize("value", ["5", "240"])
def test_the_shortest_and_the_longest_mock_fit_their_length(cli, home, value):
    session = cli("mock", "--json", "--minutes", value, now=NOW).json()
    assert session["minutes"] == int(value) and session["items"]
    assert 0 < session["planned_minutes"] <= int(value)
