"""The numbers and code of the adam deck's lessons, recomputed: a lesson that drifts from the
reference optimizers (which match torch.optim) fails here."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from tests.conftest import REPO
from tutor.content import load_library
from tutor.reference.optimizers import adam_l2_step, adam_step, adamw_step, amsgrad_step, rmsprop_step
from tutor.reference.schedules import noam_lr, warmup_cosine_lr


@pytest.fixture(scope="module")
def deck():
    (found,) = load_library([REPO / "content" / "adam"]).decks
    return found


def text(deck, section: str) -> str:
    return deck.lesson(section).text


def code_blocks(deck, section: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text(deck, section), re.S)


def test_the_numpy_adam_and_adamw_in_the_lessons_match_the_reference(deck):
    scope: dict = {}
    exec(code_blocks(deck, "adam-from-scratch")[0], scope)  # the function
    exec(code_blocks(deck, "adam-from-scratch")[1], scope)  # the class
    exec(next(b for b in code_blocks(deck, "adamw") if "def adamw_step" in b), scope)
    rng = np.random.default_rng(7)
    params = [rng.normal(size=3), rng.normal(size=(2, 2))]
    expected = [p.copy() for p in params]
    state = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    optimizer = scope["Adam"](params, lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    p, m, v = rng.normal(size=4), np.zeros(4), np.zeros(4)
    q, mq, vq = p.copy(), m.copy(), v.copy()
    for t in range(1, 25):
        grads = [rng.normal(size=x.shape) * 10.0 ** rng.uniform(-4, 2) for x in params]
        optimizer.step(grads)
        for i, g in enumerate(grads):
            expected[i], state[i][0], state[i][1] = adam_step(expected[i], g, *state[i], t, lr=0.01, beta1=0.8,
                                                              beta2=0.99, eps=1e-6)
        g = rng.normal(size=4)
        p, m, v = scope["adamw_step"](p, g, m, v, t, lr=0.01, weight_decay=0.1)
        q, mq, vq = adamw_step(q, g, mq, vq, t, lr=0.01, weight_decay=0.1)
    for got, want in zip(params, expected):  # same maths, operations in another order: rounding only
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(p, q, rtol=1e-13, atol=1e-16)


def test_the_bias_correction_table(deck):
    lesson = text(deck, "bias-correction")
    for t, digits in ((1, 0), (2, 1), (10, 1), (100, 2), (1000, 2), (5000, 4)):
        assert f"| {1 / (1 - 0.999**t):.{digits}f} |" in lesson, t
    assert f"{1 / (1 - 0.9**10):.4g}" in lesson  # 1.535
    assert f"{1 - 0.9**10:.4f}" in lesson  # 0.6513
    assert f"{1 - 0.999**10:.6f}" in lesson  # 0.009955
    assert f"{math.sqrt(1 / (1 - 0.999**1000)):.2f}" in lesson  # 1.26
    assert next(t for t in range(1, 10_000) if 1 / (1 - 0.999**t) <= 1.01) == 4613
    assert next(t for t in range(1, 100) if 1 / (1 - 0.9**t) <= 1.01) == 44
    uncorrected = 0.1 / math.sqrt(0.001)
    assert f"{uncorrected:.2f}" in lesson and f"{0.28 / math.sqrt(0.004996):.2f}" in lesson


def test_the_first_two_adam_steps_by_hand(deck):
    lesson = text(deck, "adam-algorithm")
    theta, m, v = np.array([1.0]), np.zeros(1), np.zeros(1)
    theta1, m, v = adam_step(theta, np.array([2.0]), m, v, 1)
    theta2, m, v = adam_step(theta1, np.array([1.0]), m, v, 2)
    assert f"{theta1[0]:.12f}" in lesson and f"{theta2[0]:.8f}" in lesson
    assert f"{(theta1[0] - theta2[0]) / 1e-3:.5f}" in lesson  # 0.93218
    assert f"{0.28 / 0.19:.5f}" in lesson and f"{0.004996 / 0.001999:.5f}" in lesson
    quiet = np.zeros(1), np.zeros(1), np.zeros(1)
    p, qm, qv = quiet
    for t in range(1, 1001):
        p, qm, qv = adam_step(p, np.array([0.01]), qm, qv, t)
    jumped, _, _ = adam_step(p, np.array([1.0]), qm, qv, 1001)
    assert f"{(p - jumped)[0] / 1e-3:.2f}" in lesson  # 2.66


def test_adam_l2_against_adamw_in_numbers(deck):
    lesson = text(deck, "adamw")
    g = np.array([10.0, 0.0])
    moved = {}
    for name, step in (("l2", adam_l2_step), ("w", adamw_step)):
        p, m, v = np.ones(2), np.zeros(2), np.zeros(2)
        q, mq, vq = np.ones(2), np.zeros(2), np.zeros(2)
        for t in range(1, 101):
            p, m, v = step(p, g, m, v, t, weight_decay=0.01)
            q, mq, vq = adam_step(q, g, mq, vq, t)
        moved[name] = q - p
    assert moved["l2"][0] < 0 and f"{-moved['l2'][0]:.7f}" in lesson and f"{moved['l2'][1]:.3f}" in lesson
    assert f"{moved['w'][0]:.5f}" in lesson and f"{moved['w'][1]:.5f}" in lesson


def test_schedules_and_variants(deck):
    warmup = text(deck, "warmup-schedules")
    assert warmup_cosine_lr(1000, 2000, 100_000) == 0.5 and warmup_cosine_lr(51_000, 2000, 100_000) == 0.5
    assert warmup_cosine_lr(0, 2000, 100_000) == 0.0  # the first optimizer step runs at lr 0
    beyond = 0.5 * (1 + math.cos(math.pi * (150_000 - 2000) / 98_000))
    assert f"{beyond:.2f}" in warmup
    assert f"{noam_lr(4000, 512, 4000) * 1e4:.2f}" in warmup and f"{noam_lr(16_000, 512, 4000) * 1e4:.2f}" in warmup
    variants = text(deck, "variants")
    grad = np.array([10.0])
    state = [np.zeros(1)] * 4
    squares = []
    for t in range(1, 5):
        _, *state = amsgrad_step(state[0], grad if t == 1 else np.zeros(1), *state[1:], t)
        state = [np.zeros(1), *state]
        squares.append(state[3][0] / (1 - 0.999**t))
    assert [f"{s:.3g}" for s in squares] == ["100", "50", "33.4", "25"]
    rho_inf = 2 / (1 - 0.999) - 1

    def rectifier(t):
        rho = rho_inf - 2 * t * 0.999**t / (1 - 0.999**t)
        return math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))

    assert f"{rectifier(6):.3f}" in variants and f"{rectifier(10):.3f}" in variants
    assert f"{2 * (1 + 4 / 256):.2f}" in variants and f"{1 - 2 * (1 + 4 / 256) / 8:.1%}" in variants


def test_plain_rmsprop_first_step(deck):
    lesson = text(deck, "momentum-rmsprop")
    for alpha in (0.99, 0.999):
        p, _ = rmsprop_step(np.zeros(1), np.array([0.5]), np.zeros(1), lr=1.0, beta2=alpha, eps=1e-8)
        assert f"${-p[0]:.3g}\\eta$" in lesson


def test_code_fits_an_80_column_reading_screen(deck):
    for lesson in deck.lessons:
        for block in re.findall(r"```\w*\n(.*?)```", lesson.text, re.S):
            for line in block.splitlines():
                assert len(line) <= 70, f"{lesson.id}: {line}"
