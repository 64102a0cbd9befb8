"""The YAML reader's fast path for plain text must not change what any scalar means."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tutor.content.yamlsrc import YamlFileError, read_document


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


WORDS = ["yes", "Yes", "YES", "yEs", "no", "No", "NO", "nO", "true", "True", "TRUE", "tRUE", "false", "FALSE", "on",
         "On", "ON", "oN", "off", "Off", "OFF", "null", "Null", "NULL", "nULL", "Nothing", "yess", "offset", "n", "y"]


@given(st.one_of(st.sampled_from(WORDS), st.from_regex(r"[nNyYtTfFoO][A-Za-z]{0,6}( [a-z]{1,4})?", fullmatch=True)))
def test_a_plain_word_that_could_be_a_bool_or_null_reads_as_the_safe_loader_reads_it(tmp_path_factory, word):
    """Written unquoted, alone and in a list: the fast path for words decides without PyYAML's regexes."""
    text = f"k: {word}\nlist: [{word}, x]\n"
    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_document(path).value == yaml.safe_load(text)


def test_a_control_character_from_an_escape_is_refused_when_the_rest_of_the_file_is_clean(tmp_path):
    """The reader skips checking each value of a file holding no control character; an escape
    in double quotes makes one that the file does not hold."""
    path = tmp_path / "x.yaml"
    path.write_text('a: plain\nb: \'single\'\nc: "bell \\a here"\n')
    with pytest.raises(YamlFileError, match="line 3|:3:"):
        read_document(path)
