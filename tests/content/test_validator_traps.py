"""The traps deck authors fell into, each caught with FILE:LINE, the key path and a message
that says how to fix it (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.content import load_library

DECK = """\
id: traps
title: Traps
plan:
  - day: 0
    goal: start
    items: [one, two, three]
"""
CARDS = """\
cards:
  - id: one
    type: basic
    title: One
    front: Question?
    back: Answer.
  - id: two
    type: basic
    title: Two
    front: Question two?
    back: Answer two.
  - id: three
    type: basic
    title: Three
    front: Question three?
    back: Answer three.
"""
PROBLEM = """\
problems:
  - id: p
    title: P
    prompt: Why did the loss explode?
    time_limit_min: {limit}
    target_min: 3
    answer: The learning rate is too high.
    rubric:
      strong_hire: {strong}
      lean_hire: [Names the learning rate]
      no_hire: [Blames the data]
    key_points:
      - point: Names the learning rate
        phrases: [learning rate]
"""


def _deck(root: Path, files: dict[str, str]) -> Path:
    folder = root / "traps"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deck.yaml").write_text(files.pop("deck.yaml", DECK))
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def _issues(tmp_path, files) -> list[str]:
    folder = _deck(tmp_path, dict(files))
    return [str(issue).removeprefix(str(folder) + "/") for issue in load_library([folder]).issues]


def _cloze(front: str) -> str:
    return CARDS + f"""\
  - id: four
    type: cloze
    title: Four
    front: '{front}'
"""


def _problem(limit="5", strong="[Names the learning rate]") -> dict[str, str]:
    return {"cards.yaml": CARDS, "problems.yaml": PROBLEM.format(limit=limit, strong=strong)}


@pytest.mark.parametrize(("files", "expected"), [
    # A file that does not parse is one line, and the plan that names its items one more.
    ({"cards.yaml": CARDS.replace("front: Question?", "front: What is x: y?")},
     ["cards.yaml:5: at (top): YAML syntax error: ': ' inside an unquoted value starts a new key; "
      "put the whole value in quotes",
      "deck.yaml:3: at plan: 3 plan entries skipped: cards.yaml did not parse"]),
    # PyYAML's words for a tab, in plain ones.
    ({"cards.yaml": CARDS.replace("  - id: two", "\t- id: two")},
     ["cards.yaml:7: at (top): YAML syntax error: a tab: YAML indents with spaces only",
      "deck.yaml:3: at plan: 3 plan entries skipped: cards.yaml did not parse"]),
    ({"cards.yaml": CARDS.replace("front: Question?", 'front: "$\\sqrt{x}$"')},
     ["cards.yaml:5: at (top): YAML syntax error: an unknown backslash escape inside double quotes "
      "(LaTeX such as \\sqrt); use single quotes for text with backslashes",
      "deck.yaml:3: at plan: 3 plan entries skipped: cards.yaml did not parse"]),
    # An item left out for its own issue is not named again by the plan.
    ({"cards.yaml": CARDS.replace("    back: Answer.\n", "    bakc: Answer.\n")},
     ["cards.yaml:6: at cards.0.bakc: unknown key 'bakc' (did you mean 'back'?)"]),
    ({"cards.yaml": CARDS.replace("    back: Answer two.\n", "    anwser: Answer two.\n")},
     ["cards.yaml:11: at cards.1.anwser: unknown key 'anwser' (did you mean 'answer'?)"]),
    # Double-quoted LaTeX: \b became a backspace, \t a tab.
    ({"cards.yaml": CARDS.replace("front: Question?", 'front: "What is $\\beta$?"')},
     ["cards.yaml:5: at cards.0.front: control character U+0008 from \"\\b\" in a double-quoted "
      "string: use single quotes for text with backslashes (LaTeX), e.g. 'What is $\\beta$?'",
      "deck.yaml:3: at plan: 3 plan entries skipped: cards.yaml did not parse"]),
    ({"cards.yaml": CARDS.replace("front: Question?", 'front: "What is $\\theta$?"')},
     ["cards.yaml:5: at cards.0.front: \"\\theta\" in a double-quoted string became a tab and "
      "\"heta\": use single quotes for text with backslashes (LaTeX)",
      "deck.yaml:3: at plan: 3 plan entries skipped: cards.yaml did not parse"]),
    # Cloze deletions: inside $...$, ending in }}}, and which one is malformed.
    ({"cards.yaml": _cloze("The step is $\\eta \\cdot {{c1::m_t}}$.")},
     ["cards.yaml:20: at cards.3.front: deletion 1 ('{{c1::m_t}}') is inside $...$, where the "
      "maths is shown whole: put the whole formula in the deletion ({{c1::$...$}}) or the "
      "deletion outside the dollars"]),
    ({"cards.yaml": _cloze("A half is {{c1::\\frac{1}{2}}}.")},
     ["cards.yaml:20: at cards.3.front: deletion 1 ('{{c1::\\\\frac{1}{2}}}') ends in }}}: its "
      "answer's closing brace ends the deletion early; put a space before the final }}"]),
    ({"cards.yaml": _cloze("Adam has {{c1::two}} moments and {{c2:bias}} correction.")},
     ["cards.yaml:20: at cards.3.front: deletion 2 ('{{c2:bias}} correction.') is malformed: "
      "write {{c1::answer}} or {{c1::answer::hint}}"]),
    # A criterion split on its comma by a [...] list; quoted, it is one criterion.
    (_problem(strong="[Explains bias correction, including why m starts at 0]"),
     ["problems.yaml:9: at problems.0.rubric.strong_hire: the [...] list was split at its commas "
      "into 2 criteria; if 'Explains bias correction, including why m starts at 0' is one "
      "criterion, quote it or write one criterion per line with '- '"]),
    (_problem(strong="['Explains bias correction, including why m starts at 0', Names the fix]"), []),
    # Text where a number belongs is an error; YAML 1.1's `1e1` (text to PyYAML) is a number.
    (_problem(limit='"5"'),
     ["problems.yaml:5: at problems.0.time_limit_min: must be a number, not the text '5': "
      "remove the quotes"]),
    (_problem(limit="five"), ["problems.yaml:5: at problems.0.time_limit_min: must be a number, not 'five'"]),
    (_problem(limit="1e1"), []),
], ids=["does-not-parse", "tab", "unknown-escape", "misspelt-back", "misspelt-answer",
        "beta-backspace", "theta-tab", "cloze-in-math", "cloze-triple-brace", "cloze-malformed-second",
        "criterion-split", "criterion-quoted", "quoted-number", "word-for-number", "exponent-number"])
def test_each_trap_is_one_exact_message(tmp_path, files, expected):
    assert _issues(tmp_path, files) == expected


def test_validating_one_folder_reports_ids_used_by_decks_on_the_content_path(tmp_path, cli):
    taken = "adam-vs-sgd-architecture"  # a bundled card
    folder = _deck(tmp_path, {"deck.yaml": DECK.replace("items: [one,", f"items: [{taken},"),
                              "cards.yaml": CARDS.replace("id: one", f"id: {taken}")})
    result = cli("content", "validate", "--quick", str(folder))
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"{folder}/cards.yaml:2: at {taken}.id: id '{taken}' is also used by deck 'adam' at "
        "content/adam/cards-adam-vs-sgd.yaml:3: ids are unique across every deck on the content "
        "path; rename one")


def test_json_gives_file_line_key_path_message_and_severity(tmp_path, cli):
    folder = _deck(tmp_path, {"cards.yaml": CARDS.replace("    back: Answer.\n", "    bakc: Answer.\n")})
    result = cli("content", "validate", "--quick", "--json", str(folder))
    assert result.code == 2
    entries = result.json()["entries"]
    assert entries == [{"file": str(folder / "cards.yaml"), "line": 6, "path": "cards.0.bakc",
                        "message": "unknown key 'bakc' (did you mean 'back'?)", "severity": "error"}]
