"""The YAML reader's fast path for plain text must not change what any scalar means."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from tutor.content.yamlsrc import read_document


def test_plain_text_and_typed_scalars(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: basic\nb: 0.9\nc: 1e-8\nd: yes\ne: No hire\nf: ~\ng: 12\nh: -3\ni: off\nj: 2026-01-05\n")
    expected = yaml.safe_load(path.read_text())
    expected["j"] = "2026-01-05"  # a deck never holds dates: a date-like scalar is its text
    assert read_document(path).value == expected


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20))
def test_any_plain_scalar_reads_as_the_safe_loader_reads_it(tmp_path_factory, text):
    dumped = yaml.safe_dump({"k": text})
    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_text(dumped, encoding="utf-8")
    assert read_document(path).value == yaml.safe_load(dumped)
