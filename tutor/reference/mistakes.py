"""Known wrong implementations ("mistake variants") of the drilled optimizers and schedules.

The grader runs a failing submission's cases through these too: a variant whose outputs match
the learner's on every case names the mistake (ARCHITECTURE.md, A drill check). `tutor content validate` checks
that each variant a drill lists really fails that drill's cases and that no two listed
mistakes look alike. Each variant is written the way a learner would get it wrong, in numpy
float64, with the reference's signature.

A drill's `variant` may name a function or a tuple of functions (a family: "any of these",
e.g. t+1 or t-1). A function marked `@ignores("eps")` also stands for a property: a
submission whose outputs do not move when that argument changes has the mistake, whatever
constant it used instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np

from tutor.reference import adam_l2_step, adam_step, adamw_step


def ignores(argument: str):
    """Mark a variant as "the result does not depend on `argument`" (a property test)."""

    def mark(function):
        function.ignores = argument
        return function

    return mark


# --- Adam and AdamW ----------------------------------------------------------------------------


def _adam(param, grad, m, v, t, lr, beta1, beta2, eps, *, correct_m=True, correct_v=True,
          eps_inside_sqrt=False, eps_hat=False, t_shift=0, second=np.square, sign=-1.0,
          return_old_moments=False, store_corrected=False, swap_in_moments=False,
          swap_in_corrections=False):
    """Adam with one or more knobs turned the wrong way."""
    moment_b1, moment_b2 = (beta2, beta1) if swap_in_moments else (beta1, beta2)
    corr_b1, corr_b2 = (beta2, beta1) if swap_in_corrections else (beta1, beta2)
    new_m = moment_b1 * m + (1 - moment_b1) * grad
    new_v = moment_b2 * v + (1 - moment_b2) * second(grad)
    step = t + t_shift
    bc1 = 1 - corr_b1**step
    bc2 = 1 - corr_b2**step
    with np.errstate(divide="ignore", invalid="ignore"):
        if eps_hat:
            update = lr * math.sqrt(bc2) / bc1 * new_m / (np.sqrt(new_v) + eps)
        else:
            m_hat = new_m / bc1 if correct_m else new_m
            v_hat = new_v / bc2 if correct_v else new_v
            denom = np.sqrt(v_hat + eps) if eps_inside_sqrt else np.sqrt(v_hat) + eps
            update = lr * m_hat / denom
        new_param = param + sign * update
        if return_old_moments:
            return new_param, np.array(m, dtype=float), np.array(v, dtype=float)
        if store_corrected:
            return new_param, new_m / bc1, new_v / bc2
    return new_param, new_m, new_v


def adam_no_bias_correction(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, correct_m=False, correct_v=False)


# Each variant below is a full function with the reference's signature, not a partial of `_adam`
# or `_radam`: the registry lists them by name and the drill harness calls them exactly as it
# calls the learner's function, so the repeated one-line bodies are the point.
def adam_only_m_corrected(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, correct_v=False)


def adam_only_v_corrected(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, correct_m=False)


def adam_eps_inside_sqrt(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """sqrt(v_hat + eps) instead of sqrt(v_hat) + eps."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, eps_inside_sqrt=True)


def adam_eps_hat(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """TensorFlow's "epsilon hat" form: lr*sqrt(bc2)/bc1 * m / (sqrt(v) + eps)."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, eps_hat=True)


def adam_t_plus_one(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, t_shift=1)


def adam_t_minus_one(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Treats t as 0-based: 1 - beta**0 = 0 at the first step, so it divides by zero."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, t_shift=-1)


adam_t_off_by_one = (adam_t_plus_one, adam_t_minus_one)


def adam_v_of_grad(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """v averages g instead of g**2 (sqrt of a negative v gives NaN)."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, second=lambda g: g)


def adam_v_of_abs_grad(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, second=np.abs)


adam_v_not_squared = (adam_v_of_grad, adam_v_of_abs_grad)


def adam_swapped_betas_everywhere(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999,
                                  eps=1e-8):
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, swap_in_moments=True,
                 swap_in_corrections=True)


def adam_swapped_betas_in_moments(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999,
                                  eps=1e-8):
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, swap_in_moments=True)


adam_swapped_betas = (adam_swapped_betas_everywhere, adam_swapped_betas_in_moments)


def adam_wrong_sign(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adds the step: gradient ascent."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, sign=1.0)


def adam_stale_moments(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Updates the parameter correctly but returns the m and v it was given."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, return_old_moments=True)


def adam_corrected_state(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Returns the bias-corrected m_hat and v_hat as the new state, so corrections compound."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, eps, store_corrected=True)


@ignores("eps")
def adam_hardcoded_eps(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Uses 1e-8 whatever eps it is given."""
    return _adam(param, grad, m, v, t, lr, beta1, beta2, 1e-8)


def adamw_l2_instead_of_decoupled(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999,
                                  eps=1e-8, weight_decay=0.01):
    """Adds weight_decay*param to the gradient (Adam + L2), so the decay is rescaled by v."""
    return adam_l2_step(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay)


def adamw_decay_without_lr(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                           weight_decay=0.01):
    """Shrinks by weight_decay*param instead of lr*weight_decay*param."""
    return adam_step(param - weight_decay * param, grad, m, v, t, lr, beta1, beta2, eps)


def adamw_no_decay(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                   weight_decay=0.01):
    return adam_step(param, grad, m, v, t, lr, beta1, beta2, eps)


def adamw_decay_after_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                           weight_decay=0.01):
    """Decays the already-updated parameter instead of the one the step started from."""
    new_param, new_m, new_v = adam_step(param, grad, m, v, t, lr, beta1, beta2, eps)
    return new_param * (1 - lr * weight_decay), new_m, new_v


def adamw_no_bias_correction(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                             weight_decay=0.01):
    return adam_no_bias_correction(param * (1 - lr * weight_decay), grad, m, v, t, lr, beta1,
                                   beta2, eps)


@ignores("eps")
def adamw_hardcoded_eps(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                        weight_decay=0.01):
    return adam_step(param * (1 - lr * weight_decay), grad, m, v, t, lr, beta1, beta2, 1e-8)


# --- Adam + L2 (torch.optim.Adam's weight_decay) ------------------------------------------------


def adam_l2_decoupled(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                      weight_decay=0.0):
    """AdamW's decoupled decay where Adam's weight_decay is coupled L2."""
    return adamw_step(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay)


def adam_l2_decay_after_moments(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                                weight_decay=0.0):
    """Adds weight_decay*param to m_hat after the moments, so it is divided by sqrt(v_hat) but
    never averaged into m or squared into v (the idealised Adam + L2 of a textbook derivation)."""
    _, new_m, new_v = adam_step(param, grad, m, v, t, lr, beta1, beta2, eps)
    m_hat = new_m / (1 - beta1**t) + weight_decay * param
    v_hat = new_v / (1 - beta2**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v


def adam_l2_decay_only_in_m(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                            weight_decay=0.0):
    """Adds the decay to the gradient for m but squares the raw gradient for v."""
    l2_grad = grad + weight_decay * param
    new_m = beta1 * m + (1 - beta1) * l2_grad
    new_v = beta2 * v + (1 - beta2) * grad * grad
    denom = np.sqrt(new_v / (1 - beta2**t)) + eps
    return param - lr * new_m / (1 - beta1**t) / denom, new_m, new_v


@ignores("weight_decay")
def adam_l2_no_decay(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                     weight_decay=0.0):
    """Plain Adam: weight_decay is accepted and ignored."""
    return adam_step(param, grad, m, v, t, lr, beta1, beta2, eps)


# --- momentum and RMSprop (the page's forms) ----------------------------------------------------


def momentum_no_ema_factor(param, grad, m, lr, beta1=0.9):
    """Heavy-ball m = beta1*m + g instead of the EMA beta1*m + (1-beta1)*g."""
    new_m = beta1 * m + grad
    return param - lr * new_m, new_m


def momentum_step_before_update(param, grad, m, lr, beta1=0.9):
    """Moves the parameter with the old m, then updates m."""
    new_m = beta1 * m + (1 - beta1) * grad
    return param - lr * m, new_m


def momentum_swapped_weights(param, grad, m, lr, beta1=0.9):
    new_m = (1 - beta1) * m + beta1 * grad
    return param - lr * new_m, new_m


def momentum_wrong_sign(param, grad, m, lr, beta1=0.9):
    new_m = beta1 * m + (1 - beta1) * grad
    return param + lr * new_m, new_m


def momentum_stale_state(param, grad, m, lr, beta1=0.9):
    new_m = beta1 * m + (1 - beta1) * grad
    return param - lr * new_m, np.array(m, dtype=float)


def _rmsprop(param, grad, v, lr, beta2, eps, *, second=np.square, eps_inside_sqrt=False,
             sqrt=True, old_v_in_step=False, return_old_v=False):
    new_v = beta2 * v + (1 - beta2) * second(grad)
    in_step = v if old_v_in_step else new_v
    with np.errstate(divide="ignore", invalid="ignore"):
        if not sqrt:
            denom = in_step + eps
        elif eps_inside_sqrt:
            denom = np.sqrt(in_step + eps)
        else:
            denom = np.sqrt(in_step) + eps
        new_param = param - lr * grad / denom
    return new_param, (np.array(v, dtype=float) if return_old_v else new_v)


def rmsprop_eps_inside_sqrt(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    return _rmsprop(param, grad, v, lr, beta2, eps, eps_inside_sqrt=True)


def rmsprop_v_of_grad(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    return _rmsprop(param, grad, v, lr, beta2, eps, second=lambda g: g)


def rmsprop_v_of_abs_grad(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    return _rmsprop(param, grad, v, lr, beta2, eps, second=np.abs)


rmsprop_v_not_squared = (rmsprop_v_of_grad, rmsprop_v_of_abs_grad)


def rmsprop_missing_sqrt(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    return _rmsprop(param, grad, v, lr, beta2, eps, sqrt=False)


def rmsprop_old_v_in_step(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    """Divides by the previous v (0 at the first step) and only then updates it."""
    return _rmsprop(param, grad, v, lr, beta2, eps, old_v_in_step=True)


def rmsprop_stale_v(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    return _rmsprop(param, grad, v, lr, beta2, eps, return_old_v=True)


@ignores("eps")
def rmsprop_hardcoded_eps(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    return _rmsprop(param, grad, v, lr, beta2, 1e-8)


# --- AMSGrad and RAdam --------------------------------------------------------------------------


def _amsgrad(param, grad, m, v, v_max, t, lr, beta1, beta2, eps, *, max_of_corrected=False,
             use_max=True, return_old_max=False):
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad * grad
    bc1, bc2 = 1 - beta1**t, 1 - beta2**t
    if max_of_corrected:
        new_max = np.maximum(v_max, new_v / bc2)
        denom = np.sqrt(new_max) + eps
    else:
        new_max = np.maximum(v_max, new_v)
        denom = np.sqrt((new_max if use_max else new_v) / bc2) + eps
    new_param = param - lr * (new_m / bc1) / denom
    return new_param, new_m, new_v, (np.array(v_max, dtype=float) if return_old_max else new_max)


def amsgrad_max_of_corrected(param, grad, m, v, v_max, t, lr=1e-3, beta1=0.9, beta2=0.999,
                             eps=1e-8):
    """Keeps the max of the bias-corrected v_hat (the old torch docs, optax before #1423)."""
    return _amsgrad(param, grad, m, v, v_max, t, lr, beta1, beta2, eps, max_of_corrected=True)


def amsgrad_without_max(param, grad, m, v, v_max, t, lr=1e-3, beta1=0.9, beta2=0.999,
                        eps=1e-8):
    """Tracks v_max but divides by the current v: plain Adam."""
    return _amsgrad(param, grad, m, v, v_max, t, lr, beta1, beta2, eps, use_max=False)


def amsgrad_max_not_returned(param, grad, m, v, v_max, t, lr=1e-3, beta1=0.9, beta2=0.999,
                             eps=1e-8):
    """Uses max(v_max, v) in the step but returns the v_max it was given."""
    return _amsgrad(param, grad, m, v, v_max, t, lr, beta1, beta2, eps, return_old_max=True)


@ignores("eps")
def amsgrad_hardcoded_eps(param, grad, m, v, v_max, t, lr=1e-3, beta1=0.9, beta2=0.999,
                          eps=1e-8):
    return _amsgrad(param, grad, m, v, v_max, t, lr, beta1, beta2, 1e-8)


def _radam(param, grad, m, v, t, lr, beta1, beta2, eps, *, adam_eps=False, threshold=5.0,
           rectify=True, adaptive=True, correct_m_in_warmup=True):
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad * grad
    bc1, bc2 = 1 - beta1**t, 1 - beta2**t
    m_hat = new_m / bc1
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * beta2**t / bc2
    if adaptive and (rho_t > threshold or not rectify):
        r = 1.0
        if rectify:
            r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                          / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        if adam_eps:
            scale = 1 / (np.sqrt(new_v / bc2) + eps)
        else:
            scale = math.sqrt(bc2) / (np.sqrt(new_v) + eps)
        return param - lr * m_hat * r * scale, new_m, new_v
    return param - lr * (m_hat if correct_m_in_warmup else new_m), new_m, new_v


# Spelled out one by one like the Adam variants above (the registry and the harness need them so).
def radam_adam_eps_placement(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """eps after the bias-corrected sqrt, as in Adam (RAdam adds it to the raw sqrt(v))."""
    return _radam(param, grad, m, v, t, lr, beta1, beta2, eps, adam_eps=True)


def radam_never_rectified(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Always takes the plain Adam step, without the rectification term."""
    return _radam(param, grad, m, v, t, lr, beta1, beta2, eps, rectify=False)


def radam_never_adaptive(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Always takes the warm-up step lr*m_hat, never switching to the adaptive one."""
    return _radam(param, grad, m, v, t, lr, beta1, beta2, eps, adaptive=False)


def radam_threshold_four(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Switches on rho_t > 4 instead of rho_t > 5."""
    return _radam(param, grad, m, v, t, lr, beta1, beta2, eps, threshold=4.0)


def radam_uncorrected_warmup(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Warm-up steps use the raw m instead of the bias-corrected m_hat."""
    return _radam(param, grad, m, v, t, lr, beta1, beta2, eps, correct_m_in_warmup=False)


@ignores("eps")
def radam_hardcoded_eps(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _radam(param, grad, m, v, t, lr, beta1, beta2, 1e-8)


# --- LAMB ---------------------------------------------------------------------------------------


def _lamb(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay, *, trust=True,
          inverted=False, decay_outside=False, bias_correction=True, zero_guard=True):
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad * grad
    m_hat, v_hat = new_m, new_v
    if bias_correction:
        m_hat, v_hat = new_m / (1 - beta1**t), new_v / (1 - beta2**t)
    adam_part = m_hat / (np.sqrt(v_hat) + eps)
    update = adam_part if decay_outside else adam_part + weight_decay * param
    param_norm, update_norm = float(np.linalg.norm(param)), float(np.linalg.norm(update))
    ratio = 1.0
    if trust:
        top, bottom = (update_norm, param_norm) if inverted else (param_norm, update_norm)
        if not zero_guard:
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = float(np.float64(top) / np.float64(bottom))
        elif top > 0 and bottom > 0:
            ratio = top / bottom
    new_param = param - lr * ratio * update
    if decay_outside:
        new_param = new_param - lr * weight_decay * param
    return new_param, new_m, new_v


def lamb_no_trust_ratio(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-6,
                        weight_decay=0.01):
    return _lamb(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay, trust=False)


def lamb_inverted_trust_ratio(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-6,
                              weight_decay=0.01):
    return _lamb(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay, inverted=True)


def lamb_decay_outside_ratio(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-6,
                             weight_decay=0.01):
    """Trust ratio from the Adam part alone, decay applied separately."""
    return _lamb(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay, decay_outside=True)


def lamb_no_bias_correction(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-6,
                            weight_decay=0.01):
    return _lamb(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay,
                 bias_correction=False)


def lamb_no_zero_guard(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-6,
                       weight_decay=0.01):
    """ratio = ||param||/||u|| even when ||param|| is 0, so a zero tensor never moves."""
    return _lamb(param, grad, m, v, t, lr, beta1, beta2, eps, weight_decay, zero_guard=False)


# --- schedules and clipping ---------------------------------------------------------------------


def cosine_warmup_off_by_one(step, warmup_steps, total_steps):
    """(step + 1) / warmup during warm-up."""
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * (1 + math.cos(math.pi * progress))


def cosine_progress_not_shifted(step, warmup_steps, total_steps):
    """progress = step / total_steps, ignoring that the decay starts after warm-up."""
    if step < warmup_steps:
        return step / warmup_steps
    return 0.5 * (1 + math.cos(math.pi * step / total_steps))


def cosine_not_rescaled(step, warmup_steps, total_steps):
    """cos(pi * progress), which goes down to -1, instead of 0.5 * (1 + cos(...))."""
    if step < warmup_steps:
        return step / warmup_steps
    return math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps))


def cosine_full_period(step, warmup_steps, total_steps):
    """cos(2 pi progress): decays to 0 half-way and climbs back to 1 at total_steps."""
    if step < warmup_steps:
        return step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * (1 + math.cos(2 * math.pi * progress))


def noam_missing_d_model_factor(step, d_model, warmup_steps):
    return min(step**-0.5, step * warmup_steps**-1.5)


def noam_max_instead_of_min(step, d_model, warmup_steps):
    return d_model**-0.5 * max(step**-0.5, step * warmup_steps**-1.5)


def noam_warmup_power_precedence(step, d_model, warmup_steps):
    """warmup_steps ** -3/2 parses as (warmup_steps ** -3) / 2."""
    return d_model**-0.5 * min(step**-0.5, step * warmup_steps**-3 / 2)


def noam_step_power_precedence(step, d_model, warmup_steps):
    """step ** -1/2 parses as (step ** -1) / 2."""
    return d_model**-0.5 * min(step**-1 / 2, step * warmup_steps**-1.5)


noam_operator_precedence = (noam_warmup_power_precedence, noam_step_power_precedence)


def noam_d_model_exponent_sign(step, d_model, warmup_steps):
    return d_model**0.5 * min(step**-0.5, step * warmup_steps**-1.5)


def _clip(grads, max_norm, *, norm=None, eps=1e-6, clamp=True, report_clipped=False):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = np.float64(norm(arrays) if norm else
                       math.sqrt(sum(float(np.sum(a * a)) for a in arrays)))
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.float64(max_norm) / (total + eps)
    if clamp:
        coef = min(coef, 1.0)
    clipped = [a * coef for a in arrays]
    if report_clipped:
        total = math.sqrt(sum(float(np.sum(a * a)) for a in clipped))
    return clipped, float(total)


def clip_per_tensor(grads, max_norm):
    """Clips every tensor by its own norm instead of by the norm of all of them together."""
    out = []
    for g in grads:
        g = np.asarray(g, dtype=np.float64)
        norm = float(np.linalg.norm(g))
        out.append(g * min(max_norm / (norm + 1e-6), 1.0))
    total = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
    return out, total


def clip_scales_up(grads, max_norm):
    """No min(coef, 1): gradients below max_norm are scaled up to it."""
    return _clip(grads, max_norm, clamp=False)


def clip_missing_epsilon(grads, max_norm):
    return _clip(grads, max_norm, eps=0.0)


def clip_returns_clipped_norm(grads, max_norm):
    return _clip(grads, max_norm, report_clipped=True)


def clip_sum_of_norms(grads, max_norm):
    return _clip(grads, max_norm, norm=lambda arrays: sum(float(np.linalg.norm(a)) for a in arrays))


def clip_missing_sqrt(grads, max_norm):
    return _clip(grads, max_norm, norm=lambda arrays: sum(float(np.sum(a * a)) for a in arrays))


# The variants a drill may name (`tutor.reference.mistake_variants`): a family is a tuple.
MISTAKES: Mapping[str, tuple[Callable, ...]] = MappingProxyType({
    "adam_no_bias_correction": (adam_no_bias_correction,),
    "adam_only_m_corrected": (adam_only_m_corrected,),
    "adam_only_v_corrected": (adam_only_v_corrected,),
    "adam_eps_inside_sqrt": (adam_eps_inside_sqrt,),
    "adam_eps_hat": (adam_eps_hat,),
    "adam_t_plus_one": (adam_t_plus_one,),
    "adam_t_minus_one": (adam_t_minus_one,),
    "adam_t_off_by_one": adam_t_off_by_one,
    "adam_v_of_grad": (adam_v_of_grad,),
    "adam_v_of_abs_grad": (adam_v_of_abs_grad,),
    "adam_v_not_squared": adam_v_not_squared,
    "adam_swapped_betas_everywhere": (adam_swapped_betas_everywhere,),
    "adam_swapped_betas_in_moments": (adam_swapped_betas_in_moments,),
    "adam_swapped_betas": adam_swapped_betas,
    "adam_wrong_sign": (adam_wrong_sign,),
    "adam_stale_moments": (adam_stale_moments,),
    "adam_corrected_state": (adam_corrected_state,),
    "adam_hardcoded_eps": (adam_hardcoded_eps,),
    "adamw_l2_instead_of_decoupled": (adamw_l2_instead_of_decoupled,),
    "adamw_decay_without_lr": (adamw_decay_without_lr,),
    "adamw_no_decay": (adamw_no_decay,),
    "adamw_decay_after_step": (adamw_decay_after_step,),
    "adamw_no_bias_correction": (adamw_no_bias_correction,),
    "adamw_hardcoded_eps": (adamw_hardcoded_eps,),
    "adam_l2_decoupled": (adam_l2_decoupled,),
    "adam_l2_decay_after_moments": (adam_l2_decay_after_moments,),
    "adam_l2_decay_only_in_m": (adam_l2_decay_only_in_m,),
    "adam_l2_no_decay": (adam_l2_no_decay,),
    "momentum_no_ema_factor": (momentum_no_ema_factor,),
    "momentum_step_before_update": (momentum_step_before_update,),
    "momentum_swapped_weights": (momentum_swapped_weights,),
    "momentum_wrong_sign": (momentum_wrong_sign,),
    "momentum_stale_state": (momentum_stale_state,),
    "rmsprop_eps_inside_sqrt": (rmsprop_eps_inside_sqrt,),
    "rmsprop_v_of_grad": (rmsprop_v_of_grad,),
    "rmsprop_v_of_abs_grad": (rmsprop_v_of_abs_grad,),
    "rmsprop_v_not_squared": rmsprop_v_not_squared,
    "rmsprop_missing_sqrt": (rmsprop_missing_sqrt,),
    "rmsprop_old_v_in_step": (rmsprop_old_v_in_step,),
    "rmsprop_stale_v": (rmsprop_stale_v,),
    "rmsprop_hardcoded_eps": (rmsprop_hardcoded_eps,),
    "amsgrad_max_of_corrected": (amsgrad_max_of_corrected,),
    "amsgrad_without_max": (amsgrad_without_max,),
    "amsgrad_max_not_returned": (amsgrad_max_not_returned,),
    "amsgrad_hardcoded_eps": (amsgrad_hardcoded_eps,),
    "radam_adam_eps_placement": (radam_adam_eps_placement,),
    "radam_never_rectified": (radam_never_rectified,),
    "radam_never_adaptive": (radam_never_adaptive,),
    "radam_threshold_four": (radam_threshold_four,),
    "radam_uncorrected_warmup": (radam_uncorrected_warmup,),
    "radam_hardcoded_eps": (radam_hardcoded_eps,),
    "lamb_no_trust_ratio": (lamb_no_trust_ratio,),
    "lamb_inverted_trust_ratio": (lamb_inverted_trust_ratio,),
    "lamb_decay_outside_ratio": (lamb_decay_outside_ratio,),
    "lamb_no_bias_correction": (lamb_no_bias_correction,),
    "lamb_no_zero_guard": (lamb_no_zero_guard,),
    "cosine_warmup_off_by_one": (cosine_warmup_off_by_one,),
    "cosine_progress_not_shifted": (cosine_progress_not_shifted,),
    "cosine_not_rescaled": (cosine_not_rescaled,),
    "cosine_full_period": (cosine_full_period,),
    "noam_missing_d_model_factor": (noam_missing_d_model_factor,),
    "noam_max_instead_of_min": (noam_max_instead_of_min,),
    "noam_warmup_power_precedence": (noam_warmup_power_precedence,),
    "noam_step_power_precedence": (noam_step_power_precedence,),
    "noam_operator_precedence": noam_operator_precedence,
    "noam_d_model_exponent_sign": (noam_d_model_exponent_sign,),
    "clip_per_tensor": (clip_per_tensor,),
    "clip_scales_up": (clip_scales_up,),
    "clip_missing_epsilon": (clip_missing_epsilon,),
    "clip_returns_clipped_norm": (clip_returns_clipped_norm,),
    "clip_sum_of_norms": (clip_sum_of_norms,),
    "clip_missing_sqrt": (clip_missing_sqrt,),
})
