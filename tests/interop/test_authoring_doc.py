"""The examples in docs/authoring.md form a deck that validates, engines included."""

from __future__ import annotations

import re
from pathlib import Path

from tutor.content import load_library
from tutor.study.validate import check_engines

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def test_the_documented_examples_validate(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    deck = tmp_path / "my-optimizers"
    deck.mkdir()
    names = []
    for n, block in enumerate(blocks):
        name = "deck.yaml" if block.lstrip().startswith("#") and "\nid:" in block else f"part-{n}.yaml"
        names.append(name)
        (deck / name).write_text(block, encoding="utf-8")
    assert names.count("deck.yaml") == 1 and len(blocks) == 6
    (lesson,) = re.findall(r"```markdown\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    (deck / "lessons").mkdir()
    (deck / "lessons" / "01-momentum.md").write_text(lesson, encoding="utf-8")
    lib = load_library([deck])
    assert lib.errors == []
    assert [s.id for s in lib.decks[0].lessons] == ["momentum"]
    assert {i.kind for i in lib.items.values()} == {"card", "problem", "drill", "derivation"}
    assert [str(p) for p in check_engines(lib)] == []


def test_every_schema_field_is_documented():
    from tutor.content.schema import COMMON, KIND_FIELDS

    text = DOC.read_text(encoding="utf-8")
    from tutor.content.lessons import FRONT_MATTER

    for key in [*COMMON, *(k for fields in KIND_FIELDS.values() for k in fields), "ladder", "plan", "source",
                *FRONT_MATTER]:
        assert f"`{key}`" in text, key
