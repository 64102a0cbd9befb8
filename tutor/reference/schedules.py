"""Reference learning-rate schedules and gradient clipping in numpy (float64).

The schedules are multipliers of the base learning rate as a function of a step counter;
`clip_grad_norm` follows `torch.nn.utils.clip_grad_norm_`. All of them are pure: the inputs
are never modified.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

__all__ = ["clip_grad_norm", "noam_lr", "warmup_cosine_lr"]


def _number(name: str, value: object) -> float:
    """`value` as a finite Python float, or a one-line ValueError."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a real number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def warmup_cosine_lr(step, warmup_steps, total_steps) -> float:
    """The study page's warmup + cosine multiplier at `step` (0-based, as LambdaLR counts).

    step < warmup_steps: step / warmup_steps (linear from 0); afterwards
    0.5 * (1 + cos(pi * progress)) with progress = (step - warmup) / (total - warmup), which
    is 1 at the end of warmup and 0 at total_steps. Past total_steps the page's formula is
    kept as it is: the cosine carries on and the multiplier rises again (reaching 1 at
    2*total - warmup), as in Hugging Face's get_cosine_schedule_with_warmup. It is not
    clamped at 0; a drill that wants a floor must say so. With torch's LambdaLR, optimizer
    step k (1-based) runs at base_lr * warmup_cosine_lr(k - 1, ...), so with warmup the very
    first update has lr 0.
    """
    step = _number("step", step)
    warmup_steps = _number("warmup_steps", warmup_steps)
    total_steps = _number("total_steps", total_steps)
    if step < 0:
        raise ValueError(f"step must be >= 0, got {step:g}")
    if warmup_steps < 0:
        raise ValueError(f"warmup_steps must be >= 0, got {warmup_steps:g}")
    if total_steps <= warmup_steps:
        raise ValueError(
            f"total_steps ({total_steps:g}) must be greater than warmup_steps ({warmup_steps:g})"
        )
    if step < warmup_steps:
        return step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * (1 + math.cos(math.pi * progress))


def noam_lr(step, d_model, warmup_steps) -> float:
    """The Transformer ("Noam") learning rate, Vaswani et al. 2017, section 5.3.

    d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5): linear warmup, peak
    (d_model*warmup_steps)**-0.5 at step == warmup_steps, then inverse-square-root decay.
    This is the learning rate itself, not a multiplier. step counts optimizer steps from 1;
    step 0 would raise 0 to a negative power, so it is refused.
    """
    step = _number("step", step)
    d_model = _number("d_model", d_model)
    warmup_steps = _number("warmup_steps", warmup_steps)
    if step < 1:
        raise ValueError(f"step must be >= 1 (Noam counts steps from 1), got {step:g}")
    if d_model <= 0:
        raise ValueError(f"d_model must be > 0, got {d_model:g}")
    if warmup_steps <= 0:
        raise ValueError(f"warmup_steps must be > 0, got {warmup_steps:g}")
    return d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5)


def clip_grad_norm(grads, max_norm) -> tuple[list[np.ndarray], float]:
    """Scale a list of gradients so that their joint L2 norm is at most about `max_norm`.

    torch semantics: total = L2 norm of all gradients taken as one vector;
    coef = min(max_norm / (total + 1e-6), 1); every gradient is multiplied by coef, even when
    coef is 1. Returns (new gradient arrays, total before clipping as a float). The 1e-6
    leaves a clipped norm slightly below max_norm. A non-finite total propagates (torch's
    default, error_if_nonfinite=False) rather than raising.
    """
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise ValueError("grads must be a list of arrays (one per parameter tensor)")
    max_norm = _number("max_norm", max_norm)
    if max_norm < 0:
        raise ValueError(f"max_norm must be >= 0, got {max_norm:g}")
    arrays = []
    for index, grad in enumerate(grads):
        try:
            arrays.append(np.asarray(grad, dtype=np.float64))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"grads[{index}] must be an array of real numbers: {exc}") from None
    if not arrays:
        return [], 0.0
    tensor_norms = np.array([np.linalg.norm(array.ravel()) for array in arrays])
    total = float(np.linalg.norm(tensor_norms))
    coef = min(max_norm / (total + 1e-6), 1.0)
    return [np.asarray(array * coef, dtype=np.float64) for array in arrays], total
