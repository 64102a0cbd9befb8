"""tutor.reference against the stored torch golden vectors (no torch needed).

The vectors were made by make_golden.py with torch.optim in float64; agreement to 1e-12
relative means the reference takes the same steps as torch, not merely similar ones.
"""

from __future__ import annotations

import numpy as np
import pytest

import tutor.reference as ref
from tests.reference.reference_replay import (
    RTOL,
    load_golden,
    relative_error,
    replay_lamb,
    replay_optimizer,
    schedule_values,
)

ARRAYS, MANIFEST = load_golden()
OPTIMIZER_CASES = {case["name"]: case for case in MANIFEST["optimizers"]}
LAMB_CASES = {case["name"]: case for case in MANIFEST["lamb"]}
CLIP_CASES = {case["name"]: case for case in MANIFEST["clip"]}
SCHEDULE_CASES = {case["name"]: case for case in MANIFEST["schedules"]}


def golden_outputs(name: str) -> dict[str, np.ndarray]:
    prefix = f"{name}/"
    return {key[len(prefix):]: value for key, value in ARRAYS.items() if key.startswith(prefix)}


@pytest.mark.parametrize("name", sorted(OPTIMIZER_CASES))
def test_optimizer_matches_torch_at_every_step(name):
    case = OPTIMIZER_CASES[name]
    replayed = replay_optimizer(case["torch"], case["kwargs"], ARRAYS["param0"], ARRAYS["grads"])
    expected = golden_outputs(name)
    assert "param" in expected
    for output, torch_values in expected.items():
        np.testing.assert_allclose(replayed[output], torch_values, rtol=RTOL, atol=0,
                                   err_msg=f"{name}: {output} differs from torch")


@pytest.mark.parametrize("name", sorted(LAMB_CASES))
def test_lamb_matches_timm_lamb_with_the_pinned_settings(name):
    case = LAMB_CASES[name]
    start = np.zeros_like(ARRAYS["param0"]) if case["zero_init"] else ARRAYS["param0"]
    replayed = replay_lamb(case["kwargs"], start, ARRAYS["grads"])
    for output, expected in golden_outputs(name).items():
        np.testing.assert_allclose(replayed[output], expected, rtol=RTOL, atol=0,
                                   err_msg=f"{name}: {output} differs from timm")


def test_lamb_golden_covers_no_decay_and_a_zero_initialised_tensor():
    assert MANIFEST["timm"] == "1.0.31"
    assert any(case["kwargs"].get("weight_decay") == 0.0 and case["zero_init"]
               for case in LAMB_CASES.values())


def test_golden_trajectory_exercises_the_hard_cases():
    grads = ARRAYS["grads"]
    magnitudes = np.abs(grads[grads != 0])
    assert len(grads) >= 20
    assert not grads[MANIFEST["zero_gradient_step"] - 1].any()
    assert magnitudes.min() < 1e-5 and magnitudes.max() > 5
    assert (grads > 0).any() and (grads < 0).any()


@pytest.mark.parametrize("name", ["radam-default", "radam-stress"])
def test_radam_golden_cases_cover_both_branches(name):
    beta2 = OPTIMIZER_CASES[name]["kwargs"].get("betas", (0.9, 0.999))[1]
    rho_inf = 2 / (1 - beta2) - 1
    rho = [rho_inf - 2 * t * beta2**t / (1 - beta2**t) for t in range(1, MANIFEST["steps"] + 1)]
    assert min(rho) <= 5 < max(rho)


# Plausible but wrong variants: if any of them matched the vectors, the vectors would not be
# able to tell torch's rules apart from the common misreadings they are meant to pin down.
def tf_epsilon_hat_adam(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    step = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return param - step * m / (np.sqrt(v) + eps), m, v


def amsgrad_max_of_corrected(param, grad, m, v, v_max, t, lr=1e-3, beta1=0.9, beta2=0.999,
                             eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    v_max = np.maximum(v_max, v / (1 - beta2**t))
    return param - lr * m / (1 - beta1**t) / (np.sqrt(v_max) + eps), m, v, v_max


def radam_with_adam_eps(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
    if rho_t <= 5:
        return param - lr * m_hat, m, v
    rect = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
    return param - lr * m_hat * rect / (np.sqrt(v / (1 - beta2**t)) + eps), m, v


@pytest.mark.parametrize(("name", "wrong_step"), [
    ("adam-stress", tf_epsilon_hat_adam),
    ("amsgrad-default", amsgrad_max_of_corrected),
    ("radam-stress", radam_with_adam_eps),
])
def test_golden_vectors_reject_common_misreadings(name, wrong_step, monkeypatch):
    case = OPTIMIZER_CASES[name]
    torch_class = case["torch"]
    patched = {"Adam": "amsgrad_step" if case["kwargs"].get("amsgrad") else "adam_step",
               "RAdam": "radam_step"}[torch_class]
    monkeypatch.setattr(ref, patched, wrong_step)
    replayed = replay_optimizer(torch_class, case["kwargs"], ARRAYS["param0"], ARRAYS["grads"])
    assert relative_error(replayed["param"], ARRAYS[f"{name}/param"]) > 1e-9


def test_sgd_buffer_starting_at_zero_is_rejected():
    """torch starts the momentum buffer at g; starting at 0 (a common port) must not match."""
    case = OPTIMIZER_CASES["sgd-dampening"]
    param, buf = ARRAYS["param0"], np.zeros_like(ARRAYS["param0"])
    for grad in ARRAYS["grads"][:2]:
        buf = 0.9 * buf + 0.5 * grad
        param = param - case["kwargs"]["lr"] * buf
    assert relative_error(param, ARRAYS["sgd-dampening/param"][1]) > 1e-3


@pytest.mark.parametrize("name", sorted(CLIP_CASES))
def test_clip_grad_norm_matches_torch(name):
    case = CLIP_CASES[name]
    grads = [ARRAYS[f"{name}/grad{index}"] for index in range(case["tensors"])]
    clipped, total = ref.clip_grad_norm(grads, case["max_norm"])
    assert isinstance(total, float)
    np.testing.assert_allclose(total, case["total_norm"], rtol=RTOL, atol=0)
    for index, out in enumerate(clipped):
        np.testing.assert_allclose(out, ARRAYS[f"{name}/clipped{index}"], rtol=RTOL, atol=0)


def test_clip_golden_cases_include_one_under_the_max():
    assert any(case["total_norm"] < case["max_norm"] for case in CLIP_CASES.values())


@pytest.mark.parametrize("name", sorted(SCHEDULE_CASES))
def test_schedule_matches_torch_lambda_lr(name):
    case = SCHEDULE_CASES[name]
    np.testing.assert_allclose(schedule_values(case), case["lr_at_optimizer_step"],
                               rtol=RTOL, atol=0)


def test_warmup_cosine_golden_runs_past_total_steps():
    case = SCHEDULE_CASES["warmup-cosine-5-20"]
    assert len(case["lr_at_optimizer_step"]) > case["total_steps"] + 1
