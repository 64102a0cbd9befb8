"""`--home DIR` keeps the whole command in DIR: its cache folder too, not only its database and
settings. Before, the cache followed `TUTOR_HOME` alone, so a run with `--home` rewrote the plan
kept for the learner's usual home."""

from __future__ import annotations

import os

NOW = "2026-03-02T09:00:00"


def test_the_plan_cache_follows_the_home_flag(cli, home, tmp_path):
    other = tmp_path / "other"
    result = cli("due", "--json", "--home", str(other), now=NOW)
    assert result.code == 0, result.err
    assert (other / "cache" / "plans.json").is_file()
    assert not (home / "cache").exists()
    assert os.environ["TUTOR_HOME"] == str(home)  # the variable is the caller's again afterwards


def test_content_validate_with_the_home_flag_leaves_the_usual_home_alone(cli, home, tmp_path):
    other = tmp_path / "other"
    result = cli("content", "validate", "--home", str(other))
    assert result.code == 0, result.err
    assert (other / "cache").is_dir()
    assert not home.exists()
