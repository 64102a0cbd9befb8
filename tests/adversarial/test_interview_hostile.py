"""Hostile interview dates, from config.yaml, the environment and the command line: each is one
clear line naming where it came from, and nothing is saved."""

from __future__ import annotations

import pytest

NOW = "2026-03-02T09:00:00"


@pytest.mark.parametrize("value", ["[2026-03-16]", "{adam: {nested: 1}}", "{adam: 2026-13-45}", "'x' ", "42"])
def test_a_bad_interview_in_config_yaml_is_one_line_naming_the_file(cli, home, value):
    home.mkdir(parents=True)
    (home / "config.yaml").write_text(f"interview: {value}\n")
    result = cli("plan", now=NOW)
    assert result.code == 2 and "config.yaml" in result.err
    said = result.err.split("config.yaml", 1)[1]  # the path itself names the test
    assert "interview" in said or "not valid YAML" in said
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


@pytest.mark.parametrize("value", ["adam=tomorrow", "=" * 5000, "adam=2026-03-16=x"])
def test_a_bad_interview_in_the_environment_is_one_line(cli, monkeypatch, value):
    monkeypatch.setenv("TUTOR_INTERVIEW", value)
    result = cli("plan", now=NOW)
    assert result.code == 2 and "TUTOR_INTERVIEW" in result.err and len(result.err.strip().splitlines()) == 1
    assert len(result.err) < 400  # a huge value is cut, not echoed whole


@pytest.mark.parametrize("deck", ["no-such-deck", "../etc"])
def test_an_unknown_deck_saves_no_date(cli, home, deck):
    result = cli("plan", "--interview", "2026-03-16", "--deck", deck, now=NOW)
    assert result.code == 2 and "unknown deck" in result.err
    assert not (home / "config.yaml").exists()


@pytest.mark.parametrize("value", ["2026-03-01", "0001-01-01", "10000-01-01", "2026-02-30", "2026-03-16T09:00",
                                   "2026-03-16\x1b[31m", "9" * 10_000])
def test_a_bad_interview_on_the_command_line_is_one_line_and_saves_nothing(cli, home, value):
    """In the past (the day before today, year 1), beyond year 9999, no such day, a time, a
    terminal escape, ten thousand digits."""
    result = cli("plan", "--interview", value, now=NOW)
    assert result.code == 2 and result.err.startswith("tutor: error: --interview: ")
    assert len(result.err.strip().splitlines()) == 1 and len(result.err) < 400 and "\x1b" not in result.err
    assert not (home / "config.yaml").exists()


@pytest.mark.parametrize("value", ["9999-12-31", "2026-03-02"])
def test_the_farthest_and_the_nearest_interview_leave_every_command_working(cli, home, value):
    """The last day a date can name, and today (nothing left to bring forward into)."""
    assert cli("plan", "--interview", value, now=NOW).code == 0
    for command in [("review", "adam-update-rule", "--rating", "good"), ("review", "adam-name", "--rating", "again"),
                    ("due", "--json"), ("plan", "--json"), ("stats",), ("mock", "--json"), ("doctor",)]:
        for now in (NOW, "2026-03-20T09:00:00"):  # and once the date has passed
            run = cli(*command, now=now)
            assert run.code == 0 and "Traceback" not in run.err, (command, now, run.err)
    assert cli("plan", "--json", now=NOW).json()["interview"]["date"] == value
