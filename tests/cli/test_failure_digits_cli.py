"""A failure message shows as many digits as it takes for expected and got to read apart."""

from __future__ import annotations

import ast
import re

import numpy as np
import pytest

ADAM_SLIGHTLY_OFF = '''import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps) * (1 + 1e-5), m, v
'''

COSINE_SLIGHTLY_OFF = '''import math


def warmup_cosine_lr(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps * (1 + 1e-7)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * (1 + math.cos(math.pi * progress)) * (1 + 1e-7)
'''

NUMBER = re.compile(r"[-+]?(?:nan|inf|\d+\.?\d*(?:e[-+]?\d+)?)")


@pytest.mark.parametrize(("drill", "source"), [("adam-step", ADAM_SLIGHTLY_OFF),
                                               ("warmup-cosine-schedule", COSINE_SLIGHTLY_OFF)],
                         ids=["array", "scalar"])
def test_the_wrong_value_reads_differently_from_the_expected_one(cli, tmp_path, drill, source):
    answer = tmp_path / "answer.py"
    answer.write_text(source)
    result = cli("drill", "check", drill, str(answer), "--json")
    assert result.code == 1, result.err
    message = next(t["message"] for t in result.json()["tests"] if t["status"] == "fail")
    expected, got = re.search(r"expected (.*?), got (.*?)(?:; largest error|\. Inputs|$)", message, re.S).groups()
    assert expected != got, message
    index = re.search(r"at index \(([\d, ]+)\)", message)
    want, have = NUMBER.findall(expected), NUMBER.findall(got)
    flat = 0
    if index:
        shape = np.shape(ast.literal_eval(expected.replace("\n", "")))
        flat = int(np.ravel_multi_index(tuple(int(i) for i in index.group(1).split(",")), shape))
    assert want[flat] != have[flat], message
