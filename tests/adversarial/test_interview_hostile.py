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
