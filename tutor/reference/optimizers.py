"""Reference optimizer steps in numpy (float64) that drills grade learners against.

Each function performs one update for one parameter tensor and returns fresh arrays: the
inputs are never modified, so a grader can feed the same state to the learner and to the
reference. The Adam family and SGD follow `torch.optim` (single-tensor path) operation by
operation, so they agree with torch in float64 to rounding; the golden vectors under
`tests/reference/golden/` pin that down. `t` is always the 1-based number of the step being
taken (torch increments its step counter before using it).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = [
    "adam_l2_step",
    "adam_step",
    "adamw_step",
    "amsgrad_step",
    "lamb_step",
    "momentum_step",
    "radam_step",
    "rmsprop_step",
    "sgd_torch_step",
]


# --- argument checks -------------------------------------------------------------------------
# Cheap and explicit, so a malformed drill case or a wrong call fails with one clear line
# instead of a numpy broadcasting surprise deep inside an update.


def _as_float_array(name: str, value: Any) -> np.ndarray:
    """`value` as a float64 array (a new array whenever conversion is needed)."""
    if value is None or np.iscomplexobj(value):
        kind = "None" if value is None else "complex"
        raise ValueError(f"{name} must be an array of real numbers, got {kind}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of real numbers: {exc}") from None
    return array


def _arrays(**named: object) -> list[np.ndarray]:
    """Convert the named arrays and require them all to have the first one's shape."""
    arrays = [_as_float_array(name, value) for name, value in named.items()]
    names = list(named)
    for name, array in zip(names[1:], arrays[1:]):
        if array.shape != arrays[0].shape:
            raise ValueError(
                f"{name} has shape {array.shape} but {names[0]} has shape {arrays[0].shape}"
            )
    return arrays


def _real(name: str, value: object, *, low: float | None = None, high: float | None = None,
          high_inclusive: bool = True) -> float:
    """`value` as a finite Python float within [low, high] (or [low, high) when exclusive)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a real number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    if low is not None and number < low:
        raise ValueError(f"{name} must be >= {low}, got {number}")
    if high is not None and (number > high or (not high_inclusive and number == high)):
        bound = "<=" if high_inclusive else "<"
        raise ValueError(f"{name} must be {bound} {high}, got {number}")
    return number


def _beta(name: str, value: object) -> float:
    return _real(name, value, low=0.0, high=1.0, high_inclusive=False)


_LARGEST_STEP = 2**53  # beyond this beta**t overflows converting t, and t+1 == t in float


def _step_number(t: object) -> int:
    """The 1-based step counter as an int (an integral float such as 3.0 is accepted)."""
    if isinstance(t, bool):
        raise ValueError("t must be an integer >= 1, got a bool")
    if isinstance(t, Integral):
        step = int(t)
    elif isinstance(t, Real) and float(t).is_integer():
        step = int(float(t))
    else:
        raise ValueError(f"t must be an integer >= 1 (the 1-based step), got {t!r}")
    if step < 1:
        raise ValueError(f"t must be >= 1 (the 1-based step), got {step}")
    if step > _LARGEST_STEP:
        raise ValueError(f"t must be at most 2**53, got {step}")
    return step


def _result(*arrays) -> tuple[np.ndarray, ...]:
    """The outputs as float64 ndarrays (0-d arithmetic yields numpy scalars otherwise)."""
    return tuple(np.asarray(array, dtype=np.float64) for array in arrays)


# --- the page's simple forms -----------------------------------------------------------------


def momentum_step(param, grad, m, lr, beta1=0.9):
    """One step of momentum in the study page's EMA form. Returns (param, m).

    m = beta1*m + (1-beta1)*g; param -= lr*m. (torch's SGD momentum is different: see
    `sgd_torch_step`.)
    """
    param, grad, m = _arrays(param=param, grad=grad, m=m)
    lr = _real("lr", lr, low=0.0)
    beta1 = _beta("beta1", beta1)
    m = beta1 * m + (1 - beta1) * grad
    return _result(param - lr * m, m)


def rmsprop_step(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    """One RMSprop step in the study page's form. Returns (param, v).

    v = beta2*v + (1-beta2)*g**2; param -= lr*g/(sqrt(v)+eps): eps outside the root and no
    bias correction, as in torch's RMSprop with alpha = beta2.
    """
    param, grad, v = _arrays(param=param, grad=grad, v=v)
    lr = _real("lr", lr, low=0.0)
    beta2 = _beta("beta2", beta2)
    eps = _real("eps", eps, low=0.0)
    v = beta2 * v + (1 - beta2) * grad * grad
    return _result(param - lr * grad / (np.sqrt(v) + eps), v)


# --- the Adam family, as torch.optim computes it ---------------------------------------------


def _adam_hyper(t, lr, beta1, beta2, eps):
    return (_step_number(t), _real("lr", lr, low=0.0), _beta("beta1", beta1),
            _beta("beta2", beta2), _real("eps", eps, low=0.0))


def _moments(grad, m, v, beta1, beta2):
    """Adam's running averages of g and g**2 (new arrays).

    m = beta1*m + (1-beta1)*g, evaluated as torch's `lerp_` does (its two branches keep the
    rounding close to bit-exact with torch, which the golden tests check at 1e-12).
    """
    weight = 1 - beta1
    if weight < 0.5:
        m = m + weight * (grad - m)
    else:
        m = grad - (grad - m) * (1 - weight)
    return m, beta2 * v + (1 - beta2) * grad * grad


def _adam_update(param, m, second_moment, t, lr, beta1, beta2, eps):
    """param - lr * m_hat / (sqrt(v_hat) + eps), with torch's order of operations.

    eps is added after the bias-corrected square root (torch since PR #22628), not to the raw
    sqrt(v) as in TensorFlow's "epsilon hat" form.
    """
    bias_correction1 = 1 - beta1**t
    bias_correction2 = 1 - beta2**t
    denom = np.sqrt(second_moment) / bias_correction2**0.5 + eps
    return param + -(lr / bias_correction1) * m / denom


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step exactly as torch.optim.Adam takes it. Returns (param, m, v)."""
    param, grad, m, v = _arrays(param=param, grad=grad, m=m, v=v)
    t, lr, beta1, beta2, eps = _adam_hyper(t, lr, beta1, beta2, eps)
    m, v = _moments(grad, m, v, beta1, beta2)
    return _result(_adam_update(param, m, v, t, lr, beta1, beta2, eps), m, v)


def adam_l2_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 weight_decay=0.0):
    """Adam with L2 regularisation (torch.optim.Adam's weight_decay). Returns (param, m, v).

    The decay is added to the gradient (g + weight_decay*param) before the moments, so it is
    rescaled by the adaptive denominator: the "coupled" form AdamW was invented to fix.
    """
    param, grad, m, v = _arrays(param=param, grad=grad, m=m, v=v)
    t, lr, beta1, beta2, eps = _adam_hyper(t, lr, beta1, beta2, eps)
    weight_decay = _real("weight_decay", weight_decay, low=0.0)
    grad = grad + weight_decay * param
    m, v = _moments(grad, m, v, beta1, beta2)
    return _result(_adam_update(param, m, v, t, lr, beta1, beta2, eps), m, v)


def adamw_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
               weight_decay=0.01):
    """One torch.optim.AdamW step (decoupled weight decay). Returns (param, m, v).

    The parameter is first shrunk by (1 - lr*weight_decay), on the value before this step;
    the gradient and the moments never see the decay. Then the plain Adam step follows.
    """
    param, grad, m, v = _arrays(param=param, grad=grad, m=m, v=v)
    t, lr, beta1, beta2, eps = _adam_hyper(t, lr, beta1, beta2, eps)
    weight_decay = _real("weight_decay", weight_decay, low=0.0)
    param = param * (1 - lr * weight_decay)
    m, v = _moments(grad, m, v, beta1, beta2)
    return _result(_adam_update(param, m, v, t, lr, beta1, beta2, eps), m, v)


def amsgrad_step(param, grad, m, v, v_max, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One torch.optim.Adam(amsgrad=True) step. Returns (param, m, v, v_max).

    v_max is the running maximum of the raw (not bias-corrected) v; start it at zeros. The
    denominator bias-corrects v_max with the current t, as torch does (its docs said
    otherwise until PR #142351).
    """
    param, grad, m, v, v_max = _arrays(param=param, grad=grad, m=m, v=v, v_max=v_max)
    t, lr, beta1, beta2, eps = _adam_hyper(t, lr, beta1, beta2, eps)
    m, v = _moments(grad, m, v, beta1, beta2)
    v_max = np.maximum(v_max, v)
    return _result(_adam_update(param, m, v_max, t, lr, beta1, beta2, eps), m, v, v_max)


def radam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One torch.optim.RAdam step. Returns (param, m, v).

    While the approximated SMA length rho_t is <= 5 (steps 1-5 for beta2 = 0.999) the step is
    plain bias-corrected momentum, lr*m_hat, with no v and no eps. Afterwards it is rectified:
    lr * m_hat * r_t * sqrt(1-beta2**t) / (sqrt(v) + eps), eps added to the raw sqrt(v) before
    the bias correction, unlike Adam.
    """
    param, grad, m, v = _arrays(param=param, grad=grad, m=m, v=v)
    t, lr, beta1, beta2, eps = _adam_hyper(t, lr, beta1, beta2, eps)
    m, v = _moments(grad, m, v, beta1, beta2)
    bias_correction1 = 1 - beta1**t
    bias_correction2 = 1 - beta2**t
    m_hat = m / bias_correction1
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * beta2**t / bias_correction2
    if rho_t > 5.0:
        rectification = ((rho_t - 4) * (rho_t - 2) * rho_inf
                         / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
        adaptive_lr = bias_correction2**0.5 / (np.sqrt(v) + eps)
        return _result(param - m_hat * lr * adaptive_lr * rectification, m, v)
    return _result(param - m_hat * lr, m, v)


# --- SGD and LAMB ----------------------------------------------------------------------------


def sgd_torch_step(param, grad, buf, t, lr, momentum=0.0, dampening=0.0, weight_decay=0.0,
                   nesterov=False):
    """One torch.optim.SGD step. Returns (param, buf).

    Weight decay enters the gradient first. With momentum the buffer starts as a copy of
    that gradient at t == 1 (whatever `buf` holds then, and without the (1-dampening)
    factor); afterwards buf = momentum*buf + (1-dampening)*g. Nesterov steps along
    g + momentum*buf. With momentum == 0 the buffer is unused and returned unchanged.
    """
    param, grad, buf = _arrays(param=param, grad=grad, buf=buf)
    t = _step_number(t)
    lr = _real("lr", lr, low=0.0)
    momentum = _real("momentum", momentum, low=0.0)
    dampening = _real("dampening", dampening)
    weight_decay = _real("weight_decay", weight_decay, low=0.0)
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    if weight_decay != 0:
        grad = grad + weight_decay * param
    if momentum == 0:
        return _result(param - lr * grad, buf.copy())
    if t == 1:
        buf = grad.copy()
    else:
        buf = momentum * buf + (1 - dampening) * grad
    direction = grad + momentum * buf if nesterov else buf
    return _result(param - lr * direction, buf)


def lamb_step(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0.01):
    """One LAMB step for one layer (one tensor). Returns (param, m, v).

    Variant pinned here (You et al. 2019, Algorithm 2, as NVIDIA apex FusedLAMB and timm
    `Lamb` implement it): bias correction on; weight decay added to the update inside the
    trust ratio (apex adam_w_mode=True, timm decoupled_decay=False); no global gradient
    clipping (apex max_grad_norm=0, timm max_grad_norm=None); no clamp on the ratio; and the
    ratio applied whatever weight_decay is (apex use_nvlamb=True, timm always_adapt=True):
        u = m_hat / (sqrt(v_hat) + eps) + weight_decay * param
        ratio = ||param|| / ||u|| if both norms are non-zero, else 1
        param -= lr * ratio * u
    The golden tests check it against timm 1.0.31 `Lamb` with exactly those settings.
    """
    param, grad, m, v = _arrays(param=param, grad=grad, m=m, v=v)
    t, lr, beta1, beta2, eps = _adam_hyper(t, lr, beta1, beta2, eps)
    weight_decay = _real("weight_decay", weight_decay, low=0.0)
    m, v = _moments(grad, m, v, beta1, beta2)
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    update = m_hat / (np.sqrt(v_hat) + eps) + weight_decay * param
    param_norm = float(np.linalg.norm(param))
    update_norm = float(np.linalg.norm(update))
    trust_ratio = param_norm / update_norm if param_norm > 0 and update_norm > 0 else 1.0
    return _result(param - lr * trust_ratio * update, m, v)
