"""Author drills: a deck's own reference and mistake variants (tests/decks/batchnorm), run only
in the sandbox, grade a learner's batch-norm forward pass and name its mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import TEST_DECKS
from tutor.content import load_library
from tutor.drills import check_drill, validate_drill

BATCHNORM = TEST_DECKS / "batchnorm"

CORRECT = """
import numpy as np


def batchnorm_forward(x, gamma, beta, eps):
    mu = np.mean(x, axis=0)
    var = np.mean((x - mu) ** 2, axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta
"""
UNBIASED = CORRECT.replace("np.mean((x - mu) ** 2, axis=0)", "np.var(x, axis=0, ddof=1)")
OVER_FEATURES = """
import numpy as np


def batchnorm_forward(x, gamma, beta, eps):
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta
"""
NO_SHIFT = CORRECT.replace(" + beta", "")


def _drill(root: Path = BATCHNORM):
    lib = load_library([root])
    assert lib.issues == [], lib.errors
    return lib.items["batchnorm-forward"]


def test_the_deck_loads_with_its_code_read_from_the_folder():
    drill = _drill()
    assert str(drill.reference) == "reference.py:batchnorm_forward"
    assert "def batchnorm_forward" in drill.reference.source
    assert [str(m.variant) for m in drill.mistakes] == ["reference.py:unbiased_variance",
                                                       "reference.py:over_features"]


def test_a_correct_forward_pass_passes_every_array_case():
    result = check_drill(_drill(), CORRECT)
    assert result["status"] == "pass", result["message"]
    assert len(result["tests"]) == 6
    assert result["tests"][0]["name"].startswith("case 1: x (")
    assert "seccomp" in result["confinement"] or result["confinement"]


@pytest.mark.parametrize(("source", "mistake", "words"), [
    (UNBIASED, "unbiased-variance", "Matches the unbiased variance"),
    (OVER_FEATURES, "normalized-over-features", "Matches normalizing each example over its features"),
], ids=["unbiased-variance", "over-features"])
def test_a_known_mistake_fails_and_is_named(source, mistake, words):
    result = check_drill(_drill(), source)
    assert result["status"] == "fail"
    assert result["diagnosis"]["id"] == mistake
    assert result["message"].startswith(words)


def test_an_unknown_mistake_fails_with_the_first_wrong_value_and_no_name():
    result = check_drill(_drill(), NO_SHIFT)
    assert result["status"] == "fail" and result["diagnosis"] is None
    assert "y is wrong" in result["tests"][0]["message"]
    assert "Inputs: x=[[" in result["tests"][0]["message"]


def test_an_output_of_another_shape_is_a_wrong_return_value():
    result = check_drill(_drill(), CORRECT.replace("+ beta", "+ beta[None, :].T.T.sum()"))
    assert result["status"] == "fail" or result["status"] == "error"
    wrong_shape = CORRECT.replace("return gamma", "return (gamma").replace("+ beta\n", "+ beta).sum(axis=0)\n")
    result = check_drill(_drill(), wrong_shape)
    assert result["status"] == "error"
    assert "y has shape" in result["message"] and "expected (" in result["message"]


def test_the_validator_runs_reference_and_variants_in_the_sandbox_and_finds_them_sound():
    assert validate_drill(_drill()) == []


def _copy(tmp_path, edit) -> Path:
    root = tmp_path / "batchnorm"
    shutil.copytree(BATCHNORM, root)
    for name, (old, new) in edit.items():
        path = root / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))
    return root


def test_a_variant_that_passes_the_cases_and_a_starter_of_another_signature_are_reported(tmp_path):
    root = _copy(tmp_path, {
        "reference.py": ("var = x.var(axis=0, ddof=1)", "var = x.var(axis=0)"),
        "drills.yaml": ("def batchnorm_forward(x, gamma, beta, eps):\n          raise",
                        "def batchnorm_forward(x, gamma, beta):\n          raise"),
    })
    found = dict(validate_drill(_drill(root)))
    assert found["mistakes.0.variant"] == ("reference.py:unbiased_variance passes the cases, so "
                                           "they cannot catch this mistake")
    assert found["starter"] == ("defines batchnorm_forward(x, gamma, beta) but the reference "
                                "takes (x, gamma, beta, eps)")


@pytest.mark.parametrize(("file", "message"), [
    ("../batchnorm/reference.py", "'../batchnorm/reference.py' must be the name of a .py file "
                                  "beside deck.yaml, e.g. reference.py"),
    ("missing.py", "missing.py: cannot read file: No such file or directory"),
    ("/etc/passwd", "'/etc/passwd' must be the name of a .py file beside deck.yaml, e.g. reference.py"),
])
def test_a_reference_file_outside_the_folder_or_missing_is_a_content_error(tmp_path, file, message):
    root = _copy(tmp_path, {"drills.yaml": ("reference: {file: reference.py,",
                                            f"reference: {{file: '{file}',")})
    lib = load_library([root])
    assert [i.message for i in lib.issues] == [message]
    assert lib.issues[0].path == "drills.0.reference.file"


def test_a_reference_that_is_a_link_out_of_the_folder_is_refused(tmp_path):
    root = _copy(tmp_path, {})
    outside = tmp_path / "outside.py"
    outside.write_text((root / "reference.py").read_text())
    (root / "reference.py").unlink()
    (root / "reference.py").symlink_to(outside)
    lib = load_library([root])
    assert [i.message for i in lib.issues][0] == ("reference.py is a symbolic link; put the code "
                                                  "itself in the deck's folder")


def test_arrays_cases_draw_dtypes_scalars_and_fixed_values_and_compare_named_outputs(tmp_path):
    root = tmp_path / "deck"
    shutil.copytree(BATCHNORM, root)
    (root / "reference.py").write_text(
        "import numpy as np\n\n\n"
        "def scale_and_count(x, k, w, lr, n):\n"
        "    assert x.dtype == np.float32 and k.dtype == np.int64\n"
        "    return (x * lr + w).astype(np.float32), float(k.sum() * n)\n")
    drills = (root / "drills.yaml").read_text()
    start = drills.index("    reference:")
    end = drills.index("    tolerance:")
    drills = drills[:start] + """\
    reference: {file: reference.py, function: scale_and_count}
    cases:
      kind: arrays
      seed: 3
      count: 4
      dims: {N: {int: [1, 5]}}
      args:
        x: {shape: [N, 2], range: [-1, 1], dtype: float32}
        k: {shape: [3], range: [0, 9], dtype: int64}
        w: {value: [[1.0, 2.0]]}
        lr: {range: [1.0e-4, 1.0e-1]}
        n: {int: [1, 3]}
      outputs: [y, total]
""" + drills[end:]
    drills = drills[:drills.index("    mistakes:")] + drills[drills.index("    hints:"):]
    drills = drills.replace("function: batchnorm_forward", "function: scale_and_count")
    (root / "drills.yaml").write_text(drills.replace(
        "def batchnorm_forward(x, gamma, beta, eps):", "def scale_and_count(x, k, w, lr, n):"))
    drill = _drill(root)
    right = ("import numpy as np\n\n\ndef scale_and_count(x, k, w, lr, n):\n"
             "    return x * lr + w, int(k.sum()) * n\n")
    result = check_drill(drill, right)
    assert result["status"] == "pass", result["message"]
    assert result["tests"][0]["name"].startswith("case 1: x (")
    assert " float32, k (3,) int64, w (1, 2), lr=" in result["tests"][0]["name"]
    result = check_drill(drill, right.replace("int(k.sum()) * n", "int(k.sum())"))
    assert result["status"] == "fail" and "total is wrong" in result["message"]



def test_wrong_arrays_settings_are_reported_at_their_keys(tmp_path):
    root = _copy(tmp_path, {"drills.yaml": ("      kind: arrays\n", "      kind: optimizer\n")})
    assert validate_drill(_drill(root)) == [
        ("cases.kind", "an author drill's cases are kind arrays, got 'optimizer'")]
    shutil.rmtree(root)
    root = _copy(tmp_path, {"drills.yaml": ("        eps: {value: 1.0e-5}\n",
                                            "        epsilon: {value: 1.0e-5}\n"
                                            "        beta: {shape: [M], range: [1, 0]}\n")})
    root_drills = root / "drills.yaml"
    root_drills.write_text(root_drills.read_text().replace(
        "        beta: {shape: [D], range: [-1.0, 1.0]}\n", ""))
    assert validate_drill(_drill(root)) == [
        ("cases.args.epsilon", "the reference has no argument 'epsilon' (it has: x, gamma, beta, eps)"),
        ("cases.args.beta.shape", "must list up to 4 sizes, each a whole number >= 1 or a name from "
                                  "dims (N, D), got ['M']"),
        ("cases.args.eps", "needs a spec: eps has no plain-number default (e.g. {shape: [N, D], "
                           "range: [-1, 1]} or {value: 0.5})"),
    ]
