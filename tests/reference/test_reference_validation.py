"""tutor.reference refuses malformed calls with one clear ValueError instead of a wrong answer.

A drill whose case generator is misconfigured must fail loudly at `tutor content validate`
time, not grade learners against a broadcast or a step 0.
"""

from __future__ import annotations

import numpy as np
import pytest

import tutor.reference as ref

P = np.ones(3)
Z = np.zeros(3)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: ref.adam_step(P, np.ones(4), Z, Z, 1),
     r"grad has shape \(4,\) but param has shape \(3,\)"),
    (lambda: ref.adam_step(P, P, Z, np.zeros((3, 1)), 1), r"v has shape \(3, 1\)"),
    (lambda: ref.amsgrad_step(P, P, Z, Z, np.zeros(2), 1), r"v_max has shape"),
    (lambda: ref.sgd_torch_step(P, P, np.zeros(1), 1, 0.1), r"buf has shape"),
    (lambda: ref.momentum_step(P, P, np.zeros(2), 0.1), r"m has shape"),
    (lambda: ref.adam_step(P, P, Z, Z, 0), r"t must be >= 1"),
    (lambda: ref.radam_step(P, P, Z, Z, -3), r"t must be >= 1"),
    (lambda: ref.adam_step(P, P, Z, Z, 1.5), r"t must be an integer"),
    (lambda: ref.adam_step(P, P, Z, Z, True), r"t must be an integer"),
    (lambda: ref.adam_step(P, P, Z, Z, "1"), r"t must be an integer"),
    (lambda: ref.adam_step(P, P, Z, Z, 1, lr=-1e-3), r"lr must be >= 0"),
    (lambda: ref.adam_step(P, P, Z, Z, 1, beta1=1.0), r"beta1 must be < 1"),
    (lambda: ref.rmsprop_step(P, P, Z, beta2=-0.1), r"beta2 must be >= 0"),
    (lambda: ref.adam_step(P, P, Z, Z, 1, eps=float("nan")), r"eps must be finite"),
    (lambda: ref.adamw_step(P, P, Z, Z, 1, weight_decay=-0.01), r"weight_decay must be >= 0"),
    (lambda: ref.adam_step(["a", "b", "c"], P, Z, Z, 1), r"param must be an array of real"),
    (lambda: ref.lamb_step(P, P, Z, Z, 1, lr=None), r"lr must be a real number"),
    (lambda: ref.adam_step(P, None, Z, Z, 1), r"grad must be an array of real numbers, got None"),
    (lambda: ref.adam_step(P, P + 1j, Z, Z, 1),
     r"grad must be an array of real numbers, got complex"),
    (lambda: ref.adam_step(P, P, Z, Z, 10**400), r"t must be at most 2\*\*53"),
    (lambda: ref.sgd_torch_step(P, P, Z, 1, 0.1, momentum=0.9, dampening=0.1, nesterov=True),
     r"Nesterov momentum requires a momentum and zero dampening"),
    (lambda: ref.sgd_torch_step(P, P, Z, 1, 0.1, nesterov=True), r"Nesterov"),
    (lambda: ref.warmup_cosine_lr(-1, 5, 10), r"step must be >= 0"),
    (lambda: ref.warmup_cosine_lr(3, 10, 10), r"total_steps \(10\) must be greater than warmup"),
    (lambda: ref.warmup_cosine_lr(3, -1, 10), r"warmup_steps must be >= 0"),
    (lambda: ref.warmup_cosine_lr(float("inf"), 1, 10), r"step must be finite"),
    (lambda: ref.noam_lr(0, 512, 4000), r"step must be >= 1"),
    (lambda: ref.noam_lr(1, 0, 4000), r"d_model must be > 0"),
    (lambda: ref.noam_lr(1, 512, 0), r"warmup_steps must be > 0"),
    (lambda: ref.clip_grad_norm(np.ones(3), 1.0), r"grads must be a list of arrays"),
    (lambda: ref.clip_grad_norm([P], -1.0), r"max_norm must be >= 0"),
    (lambda: ref.clip_grad_norm([P, "x"], 1.0), r"grads\[1\] must be an array of real"),
])
def test_bad_arguments_raise_one_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message) as error:
        call()
    assert "\n" not in str(error.value)


def test_lists_scalars_and_integral_floats_are_accepted():
    param, m, v = ref.adam_step([1.0, 2.0], [0.5, -1], [0, 0], [0, 0], 1.0)
    assert param.dtype == np.float64 and param.shape == (2,)
    scalar_param, _, _ = ref.adam_step(1.0, 0.5, 0.0, 0.0, np.int64(3))
    assert isinstance(scalar_param, np.ndarray) and scalar_param.shape == ()


def test_float32_inputs_are_computed_in_float64():
    grad = np.array([1e-7], dtype=np.float32)
    param, m, v = ref.adam_step(np.ones(1, np.float32), grad, np.zeros(1, np.float32),
                                np.zeros(1, np.float32), 1)
    assert param.dtype == m.dtype == v.dtype == np.float64
    assert v[0] == pytest.approx(0.001 * float(grad[0]) ** 2, rel=1e-12)


def test_empty_gradient_list_clips_to_nothing():
    assert ref.clip_grad_norm([], 1.0) == ([], 0.0)


def test_non_finite_gradients_propagate_like_torch():
    clipped, total = ref.clip_grad_norm([np.array([np.nan, 1.0])], 1.0)
    assert np.isnan(total) and np.isnan(clipped[0]).all()
