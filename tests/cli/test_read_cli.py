"""`tutor read`: a lesson on the terminal, plain text in a pipe, and the list of sections."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import LINALG, REPO, subprocess_env


def test_a_piped_lesson_is_plain_readable_text(cli):
    result = cli("read", "bias-correction")
    assert result.code == 0, result.err
    head = result.out.splitlines()[:10]
    assert head[:2] == ["Bias correction", "==============="]
    assert "m₀ = 0" in head[3] and all(len(line) <= 80 for line in head)
    assert not any(mark in result.out for mark in ("$", "**", "](", "\\beta"))


def test_an_item_id_reads_the_section_that_prepares_it(cli):
    result = cli("read", "adam-update-rule")
    assert result.code == 0 and result.out.startswith("The Adam algorithm\n")


def test_the_list_names_every_section_and_what_it_prepares(cli):
    result = cli("read", "--list")
    assert result.code == 0, result.err
    assert result.out.startswith("adam: 13 sections\n")
    assert "  4  bias-correction    Day 0   Bias correction" in result.out
    assert "prepares 25 items: bias-correction-why," in result.out
    doc = cli("read", "--list", "--json").json()
    sections = doc["decks"][0]["sections"]
    assert [s["part"] for s in sections] == list(range(1, 14))
    assert sections[3]["source"].endswith("04-bias-correction.md:1")


def test_json_of_one_section_carries_its_markdown(cli):
    doc = cli("read", "adamw", "--json").json()
    assert doc["id"] == "adamw" and doc["deck"] == "adam" and doc["part"] == 7
    assert doc["text"].startswith("# AdamW") and "adamw-step" in doc["prepares"]


def test_unknown_sections_and_decks_are_one_line_errors(cli):
    for args in (("read", "nope"), ("read", "bias-correction", "--deck", "linalg", "--content", str(LINALG))):
        result = cli(*args)
        assert result.code == 2
        assert len(result.err.strip().splitlines()) == 1, result.err
    assert "sections: sgd-problems, momentum-rmsprop" in cli("read", "nope").err


def test_read_imports_no_heavy_library(tmp_path):
    code = ("import sys\nfrom tutor.cli import main\ncode = main(['read', 'bias-correction'])\n"
            "heavy = sorted(m for m in ('textual', 'sympy', 'numpy', 'rich') if m in sys.modules)\n"
            "print('HEAVY', heavy, file=sys.stderr)\nsys.exit(code)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         env=subprocess_env(TUTOR_HOME=str(tmp_path)))
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stderr
    assert out.stdout.startswith("Bias correction\n")
