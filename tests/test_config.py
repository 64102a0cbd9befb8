"""Settings: one object, a docstring per field, every field checked by the shared field helper."""

from __future__ import annotations

import ast
from dataclasses import fields

import pytest

from tests.conftest import REPO
from tutor.config import FIELDS, ConfigError, Settings, check_setting


def test_every_setting_has_a_docstring_and_a_check():
    tree = ast.parse((REPO / "tutor" / "config.py").read_text(encoding="utf-8"))
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Settings").body
    documented = {node.target.id for node, after in zip(body, body[1:])
                  if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                  and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                  and isinstance(after.value.value, str)}
    names = {f.name for f in fields(Settings)}
    assert documented == names
    assert FIELDS.keys() == names


@pytest.mark.parametrize(("key", "raw", "words"), [
    ("scheduler", "sm2", "must be one of ladder, fsrs"),
    ("day_start_hour", "24", "must be between 0 and 23"),
    ("new_per_day", True, "must be a whole number"),
    ("desired_retention", "high", "must be a number"),
    ("theme", 5, "must be text"),
])
def test_a_bad_setting_is_one_line_naming_where_and_what(key, raw, words):
    with pytest.raises(ConfigError) as caught:
        check_setting(key, raw, "config.yaml")
    assert str(caught.value) == f"config.yaml: {key}: {words} (got {raw!r})"


def test_good_settings_are_coerced():
    assert check_setting("day_start_hour", " 5 ", "TUTOR_DAY_START_HOUR") == 5
    assert check_setting("desired_retention", "0.85", "--desired-retention") == 0.85
