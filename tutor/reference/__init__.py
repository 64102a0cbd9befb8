"""Numpy reference implementations (float64) of the optimizers and schedules the drills grade.

Imports numpy and the standard library only, so the grader can compute expected outputs
cheaply and the reference can never depend on the rest of `tutor`.

A drill names its reference and its mistake variants by plain name, looked up only in the
registries below (`REFERENCES` here, `MISTAKES` in `tutor.reference.mistakes`): a deck can
never reach any other object (no attribute walk, no import by name), since a deck may come
from someone else and these functions run unsandboxed in the grading process.
"""

import inspect
from collections.abc import Callable, Mapping
from types import MappingProxyType

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

REFERENCES: Mapping[str, Callable] = MappingProxyType({f.__name__: f for f in (
    adam_l2_step, adam_step, adamw_step, amsgrad_step, lamb_step, momentum_step, radam_step,
    rmsprop_step, sgd_torch_step, clip_grad_norm, noam_lr, warmup_cosine_lr)})


class UnknownName(LookupError):
    """A drill names a reference or mistake variant that is not in the registry."""


def _lookup(registry: Mapping, name, what: str):
    if not isinstance(name, str) or name not in registry:
        known = ", ".join(sorted(registry)[:8])
        raise UnknownName(f"{name!r} is not a {what} listed in tutor.reference "
                          f"(known: {known}, ...)")
    return registry[name]


def reference_function(name: str) -> Callable:
    """The reference a drill names (raises UnknownName for anything not registered)."""
    return _lookup(REFERENCES, name, "reference function")


def mistake_variants(name: str) -> tuple[Callable, ...]:
    """A mistake variant as a tuple of functions (a family lists several)."""
    from tutor.reference.mistakes import MISTAKES

    return _lookup(MISTAKES, name, "mistake variant")


def _described(function: Callable) -> dict:
    signature = inspect.signature(function)
    returns = signature.return_annotation  # text: the modules use postponed annotations
    shown = str(signature.replace(return_annotation=inspect.Signature.empty))
    if returns is not inspect.Signature.empty:
        shown += f" -> {returns}"
    return {"name": function.__name__, "signature": function.__name__ + shown,
            "summary": (inspect.getdoc(function) or "").split("\n", 1)[0]}


def catalog() -> dict[str, list[dict]]:
    """Every built-in reference and mistake variant with its signature, for `tutor drill
    references`: a drill names them by these names."""
    from tutor.reference.mistakes import MISTAKES

    mistakes = []
    for name, functions in sorted(MISTAKES.items()):
        ignored = [getattr(f, "ignores", None) for f in functions]
        mistakes.append({"name": name, "functions": [_described(f) for f in functions],
                         "ignores": next((i for i in ignored if i), None)})
    return {"references": [_described(REFERENCES[name]) for name in sorted(REFERENCES)],
            "mistakes": mistakes}


__all__ = [
    "REFERENCES",
    "UnknownName",
    "adam_l2_step",
    "adam_step",
    "adamw_step",
    "amsgrad_step",
    "catalog",
    "clip_grad_norm",
    "lamb_step",
    "momentum_step",
    "mistake_variants",
    "noam_lr",
    "radam_step",
    "reference_function",
    "rmsprop_step",
    "sgd_torch_step",
    "warmup_cosine_lr",
]
