"""Properties of tutor.reference that hold for any input: the facts a learner is taught.

Hypothesis draws the arrays; each test states one rule (Adam's first step is about -lr*sign(g),
AdamW without decay is Adam, LAMB's step has length lr*||param||, clipping never grows a
gradient, ...), plus purity: no function ever writes into the arrays it was given.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tutor.reference as ref

# Per-test settings rather than a global profile, so other test modules are unaffected.
PROPERTY = settings(max_examples=60, deadline=None)

SHAPES = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=5)
VALUES = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
POSITIVE = st.floats(0.0, 1e3, allow_nan=False, allow_infinity=False)
BETA = st.floats(0.0, 0.999)
STEP = st.integers(1, 10_000)


@st.composite
def same_shape(draw, count, elements=VALUES):
    shape = draw(SHAPES)
    return [draw(hnp.arrays(np.float64, shape, elements=elements)) for _ in range(count)]


@st.composite
def adam_state(draw):
    """(param, grad, m, v) with v >= 0, as a real Adam state always has."""
    param, grad, m = draw(same_shape(3))
    v = draw(hnp.arrays(np.float64, param.shape, elements=POSITIVE))
    return param, grad, m, v


def assert_pure(function, *args, **kwargs):
    """Call function; its array arguments must be unchanged and share no memory with outputs."""
    arrays = [arg for arg in args if isinstance(arg, np.ndarray)]
    copies = [array.copy() for array in arrays]
    outputs = function(*args, **kwargs)
    for before, after in zip(copies, arrays):
        np.testing.assert_array_equal(after, before)
    for output in outputs:
        if isinstance(output, np.ndarray):
            assert output.dtype == np.float64
            assert not any(np.shares_memory(output, array) for array in arrays)
    return outputs


@PROPERTY
@given(adam_state(), STEP)
def test_no_step_function_modifies_its_inputs(state, t):
    param, grad, m, v = state
    assert_pure(ref.momentum_step, param, grad, m, 0.1)
    assert_pure(ref.rmsprop_step, param, grad, v)
    assert_pure(ref.adam_step, param, grad, m, v, t)
    assert_pure(ref.adam_l2_step, param, grad, m, v, t, weight_decay=0.1)
    assert_pure(ref.adamw_step, param, grad, m, v, t)
    assert_pure(ref.amsgrad_step, param, grad, m, v, v.copy(), t)
    assert_pure(ref.radam_step, param, grad, m, v, t)
    assert_pure(ref.lamb_step, param, grad, m, v, t, 0.01)
    assert_pure(ref.sgd_torch_step, param, grad, m, t, 0.1)
    assert_pure(ref.sgd_torch_step, param, grad, m, t, 0.1, momentum=0.9, nesterov=True)
    clipped, _ = assert_pure(ref.clip_grad_norm, [grad, m], 1.0)
    assert not np.shares_memory(clipped[0], grad)


@PROPERTY
@given(same_shape(1, elements=st.one_of(st.just(0.0), st.floats(1e-3, 1e3),
                                        st.floats(-1e3, -1e-3))),
       st.floats(1e-5, 1.0))
def test_adam_first_step_moves_each_weight_by_lr_against_its_gradient_sign(arrays, lr):
    """With m = v = 0, step 1 is -lr*g/(|g|+eps): about -lr*sign(g) whatever |g| is."""
    (grad,) = arrays
    param = np.ones_like(grad)
    new_param, m, v = ref.adam_step(param, grad, np.zeros_like(grad), np.zeros_like(grad), 1,
                                    lr=lr)
    np.testing.assert_allclose((new_param - param) / lr, -np.sign(grad), rtol=0, atol=1e-4)


@PROPERTY
@given(adam_state(), STEP, st.floats(1e-4, 1.0), BETA, BETA)
def test_without_decay_adamw_and_adam_l2_are_adam(state, t, lr, beta1, beta2):
    adam = ref.adam_step(*state, t, lr=lr, beta1=beta1, beta2=beta2)
    for variant in (ref.adamw_step, ref.adam_l2_step):
        out = variant(*state, t, lr=lr, beta1=beta1, beta2=beta2, weight_decay=0.0)
        for got, expected in zip(out, adam):
            np.testing.assert_array_equal(got, expected)


@PROPERTY
@given(adam_state(), STEP, st.floats(1e-3, 0.5))
def test_adamw_decay_never_touches_the_moments_but_l2_decay_does(state, t, weight_decay):
    param, grad, m, v = state
    _, adam_m, adam_v = ref.adam_step(param, grad, m, v, t)
    _, adamw_m, adamw_v = ref.adamw_step(param, grad, m, v, t, weight_decay=weight_decay)
    np.testing.assert_array_equal(adamw_m, adam_m)
    np.testing.assert_array_equal(adamw_v, adam_v)
    _, l2_m, _ = ref.adam_l2_step(param, grad, m, v, t, weight_decay=weight_decay)
    np.testing.assert_allclose(l2_m, adam_m + (1 - 0.9) * weight_decay * param,
                               rtol=1e-9, atol=1e-9)


@PROPERTY
@given(adam_state(), STEP)
def test_amsgrad_keeps_a_running_max_of_raw_v_and_equals_adam_from_zero(state, t):
    param, grad, m, v = state
    adam = ref.adam_step(param, grad, m, v, t)
    new_param, new_m, new_v, v_max = ref.amsgrad_step(param, grad, m, v, np.zeros_like(v), t)
    np.testing.assert_array_equal(v_max, new_v)
    for got, expected in zip((new_param, new_m, new_v), adam):
        np.testing.assert_array_equal(got, expected)
    bigger = v + 1.0
    *_, kept = ref.amsgrad_step(param, grad, m, v, bigger, t)
    assert np.all(kept >= bigger) and np.all(kept >= new_v)


@PROPERTY
@given(adam_state(), st.integers(1, 5), st.floats(1e-10, 1.0))
def test_radam_first_five_steps_are_momentum_without_v_or_eps(state, t, eps):
    param, grad, m, v = state
    new_param, new_m, _ = ref.radam_step(param, grad, m, v, t, lr=0.01, eps=eps)
    other_param, _, _ = ref.radam_step(param, grad, m, v * 7 + 1, t, lr=0.01, eps=1e-8)
    np.testing.assert_array_equal(new_param, other_param)
    np.testing.assert_allclose(new_param, param - 0.01 * new_m / (1 - 0.9**t),
                               rtol=1e-12, atol=1e-12)


def test_radam_rectified_steps_use_eps_on_the_raw_root():
    param, grad, m, v = np.array([1.0]), np.array([1e-6]), np.array([0.0]), np.array([0.0])
    small, *_ = ref.radam_step(param, grad, m, v, 6, eps=1e-12)
    large, *_ = ref.radam_step(param, grad, m, v, 6, eps=1e-4)
    assert small[0] != large[0]


@PROPERTY
@given(same_shape(3), STEP, st.floats(0.0, 1.0), st.floats(0.0, 0.5))
def test_sgd_without_momentum_is_plain_gradient_descent_and_keeps_buf(arrays, t, lr, decay):
    param, grad, buf = arrays
    new_param, new_buf = ref.sgd_torch_step(param, grad, buf, t, lr, weight_decay=decay)
    np.testing.assert_allclose(new_param, param - lr * (grad + decay * param),
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(new_buf, buf)


@PROPERTY
@given(same_shape(3), st.floats(0.1, 0.99), st.floats(0.0, 0.9))
def test_sgd_momentum_buffer_starts_as_the_gradient_whatever_buf_holds(arrays, momentum, damp):
    param, grad, stale = arrays
    _, buf = ref.sgd_torch_step(param, grad, stale, 1, 0.1, momentum=momentum, dampening=damp)
    np.testing.assert_array_equal(buf, grad)
    _, buf2 = ref.sgd_torch_step(param, grad, buf, 2, 0.1, momentum=momentum, dampening=damp)
    np.testing.assert_allclose(buf2, momentum * grad + (1 - damp) * grad, rtol=1e-12,
                               atol=1e-12)


@PROPERTY
@given(adam_state(), STEP, st.floats(1e-4, 0.1), st.floats(0.0, 0.1))
def test_lamb_step_length_is_lr_times_the_weight_norm(state, t, lr, weight_decay):
    """The trust ratio ||param||/||u|| rescales u so that ||step|| = lr * ||param||."""
    param, grad, m, v = state
    new_param, new_m, new_v = ref.lamb_step(param, grad, m, v, t, lr, weight_decay=weight_decay)
    m_hat, v_hat = new_m / (1 - 0.9**t), new_v / (1 - 0.999**t)
    update = m_hat / (np.sqrt(v_hat) + 1e-6) + weight_decay * param
    param_norm, update_norm = np.linalg.norm(param), np.linalg.norm(update)
    # Norms of vectors below ~1e-154 lose digits to underflow in sum-of-squares (in torch too).
    assume(all(norm == 0 or norm > 1e-150 for norm in (param_norm, update_norm)))
    step_norm = np.linalg.norm(new_param - param)
    if param_norm > 0 and update_norm > 0:
        assert math.isclose(step_norm, lr * param_norm, rel_tol=1e-9, abs_tol=1e-12)
    else:  # ratio 1: a zero-initialised tensor still moves, by lr * u
        np.testing.assert_allclose(new_param, param - lr * update, rtol=1e-12, atol=1e-15)


def test_lamb_moves_a_zero_initialised_tensor():
    new_param, _, _ = ref.lamb_step(np.zeros(3), np.array([1.0, -2.0, 0.0]), np.zeros(3),
                                    np.zeros(3), 1, lr=0.1)
    np.testing.assert_allclose(new_param, [-0.1, 0.1, 0.0], rtol=1e-5)


@PROPERTY
@given(st.lists(hnp.arrays(np.float64, SHAPES, elements=VALUES), min_size=1, max_size=4),
       st.floats(1e-3, 1e3))
def test_clipping_never_grows_and_keeps_direction(grads, max_norm):
    clipped, total = ref.clip_grad_norm(grads, max_norm)
    joint = np.concatenate([grad.ravel() for grad in grads])
    clipped_joint = np.concatenate([grad.ravel() for grad in clipped])
    assert math.isclose(total, np.linalg.norm(joint), rel_tol=1e-12)
    assert np.linalg.norm(clipped_joint) <= max_norm * (1 + 1e-12)
    if total + 1e-6 <= max_norm:
        np.testing.assert_array_equal(clipped_joint, joint)
    else:
        coef = max_norm / (total + 1e-6)
        np.testing.assert_allclose(clipped_joint, joint * coef, rtol=1e-12, atol=0)


def test_clipping_at_exactly_max_norm_still_shrinks_a_hair():
    (clipped,), total = ref.clip_grad_norm([np.array([3.0, 4.0])], 5.0)
    assert total == 5.0
    assert 5.0 - 1e-5 < np.linalg.norm(clipped) < 5.0


@PROPERTY
@given(st.integers(0, 500), st.integers(1, 500))
def test_warmup_cosine_is_a_ramp_then_a_half_cosine(warmup, length):
    total = warmup + length
    values = [ref.warmup_cosine_lr(step, warmup, total) for step in range(total + 1)]
    assert values[0] == (0.0 if warmup else 1.0)
    assert values[warmup] == 1.0 and values[total] == 0.0
    assert all(0.0 <= value <= 1.0 for value in values)
    after_warmup = values[warmup:]
    assert all(a >= b for a, b in zip(after_warmup, after_warmup[1:]))


@PROPERTY
@given(st.integers(0, 100), st.integers(1, 100))
def test_warmup_cosine_past_total_mirrors_the_decay(warmup, length):
    """The page's formula is kept past total_steps: the cosine rises again symmetrically."""
    total = warmup + length
    for beyond in range(1, length + 1):
        assert math.isclose(ref.warmup_cosine_lr(total + beyond, warmup, total),
                            ref.warmup_cosine_lr(total - beyond, warmup, total), abs_tol=1e-12)


def test_warmup_cosine_rises_again_after_total_steps():
    assert ref.warmup_cosine_lr(20, 5, 20) == 0.0
    assert 0.0 < ref.warmup_cosine_lr(25, 5, 20) < ref.warmup_cosine_lr(30, 5, 20)
    assert math.isclose(ref.warmup_cosine_lr(35, 5, 20), 1.0)


@PROPERTY
@given(st.integers(1, 4096), st.integers(1, 300))
def test_noam_peaks_at_the_end_of_warmup(d_model, warmup):
    peak = ref.noam_lr(warmup, d_model, warmup)
    assert math.isclose(peak, (d_model * warmup) ** -0.5, rel_tol=1e-12)
    for step in (1, max(1, warmup - 1), warmup + 1, 3 * warmup):
        assert ref.noam_lr(step, d_model, warmup) <= peak * (1 + 1e-12)


def test_noam_paper_values():
    assert math.isclose(ref.noam_lr(4000, 512, 4000), (512 * 4000) ** -0.5)
    assert math.isclose(ref.noam_lr(16000, 512, 4000), 512**-0.5 * 16000**-0.5)
    assert math.isclose(ref.noam_lr(1, 512, 4000), 512**-0.5 * 4000**-1.5)
