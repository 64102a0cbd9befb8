"""Numpy reference implementations (float64) of the optimizers and schedules the drills grade.

Imports numpy and the standard library only, so the grader can compute expected outputs
cheaply and the reference can never depend on the rest of `tutor`.
"""

from tutor.reference.optimizers import (
    adam_l2_step,
    adam_step,
    adamw_step,
    amsgrad_step,
    lamb_step,
    momentum_step,
    radam_step,
    rmsprop_step,
    sgd_torch_step,
)
from tutor.reference.schedules import clip_grad_norm, noam_lr, warmup_cosine_lr

__all__ = [
    "adam_l2_step",
    "adam_step",
    "adamw_step",
    "amsgrad_step",
    "clip_grad_norm",
    "lamb_step",
    "momentum_step",
    "noam_lr",
    "radam_step",
    "rmsprop_step",
    "sgd_torch_step",
    "warmup_cosine_lr",
]
