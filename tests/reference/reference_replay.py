"""Replays the golden torch cases through tutor.reference so tests can compare the two.

Shared by the stored-vector tests and the live torch comparison; it knows how a torch
optimizer's constructor arguments map onto the reference functions' arguments.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import tutor.reference as ref

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
RTOL = 1e-12


def load_golden() -> tuple[dict[str, np.ndarray], dict]:
    with np.load(GOLDEN_DIR / "torch_vectors.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    manifest = json.loads((GOLDEN_DIR / "manifest.json").read_text())
    return arrays, manifest


def _step_function(torch_class: str, kwargs: dict):
    """(reference step, its keyword arguments, state names it threads) for one torch case."""
    lr = kwargs.get("lr", 1e-3)
    beta1, beta2 = kwargs.get("betas", (0.9, 0.999))
    adam_like = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": kwargs.get("eps", 1e-8)}
    if torch_class == "Adam" and kwargs.get("amsgrad"):
        return ref.amsgrad_step, adam_like, ("m", "v", "v_max")
    if torch_class == "Adam" and kwargs.get("weight_decay"):
        return ref.adam_l2_step, {**adam_like, "weight_decay": kwargs["weight_decay"]}, ("m", "v")
    if torch_class == "Adam":
        return ref.adam_step, adam_like, ("m", "v")
    if torch_class == "AdamW":
        decay = kwargs.get("weight_decay", 0.01)
        return ref.adamw_step, {**adam_like, "weight_decay": decay}, ("m", "v")
    if torch_class == "RAdam":
        return ref.radam_step, adam_like, ("m", "v")
    if torch_class == "RMSprop":  # the page's form is torch's with alpha = beta2
        hyper = {"lr": lr, "beta2": kwargs.get("alpha", 0.99), "eps": kwargs.get("eps", 1e-8)}
        def rmsprop_ignoring_t(param, grad, v, t, **hyper):  # no bias correction, no t
            return ref.rmsprop_step(param, grad, v, **hyper)
        return rmsprop_ignoring_t, hyper, ("v",)
    if torch_class == "SGD":
        sgd = {key: kwargs[key] for key in ("momentum", "dampening", "weight_decay", "nesterov")
               if key in kwargs}
        return ref.sgd_torch_step, {"lr": lr, **sgd}, ("buf",)
    raise ValueError(f"no reference for torch.optim.{torch_class}")


def replay_optimizer(torch_class: str, kwargs: dict, param0: np.ndarray,
                     grads: np.ndarray) -> dict[str, np.ndarray]:
    """The reference's parameter and state after each step, stacked like the golden data."""
    return _replay(*_step_function(torch_class, kwargs), param0, grads)


def replay_lamb(kwargs: dict, param0: np.ndarray, grads: np.ndarray) -> dict[str, np.ndarray]:
    """lamb_step over a golden LAMB case (timm.optim.Lamb keyword arguments; same defaults)."""
    beta1, beta2 = kwargs.get("betas", (0.9, 0.999))
    hyper = {"lr": kwargs["lr"], "beta1": beta1, "beta2": beta2,
             "eps": kwargs.get("eps", 1e-6), "weight_decay": kwargs.get("weight_decay", 0.01)}
    return _replay(ref.lamb_step, hyper, ("m", "v"), param0, grads)


def _replay(step, hyper: dict, state_names: tuple[str, ...], param0: np.ndarray,
            grads: np.ndarray) -> dict[str, np.ndarray]:
    param = param0
    state = {name: np.zeros_like(param0) for name in state_names}
    history: dict[str, list[np.ndarray]] = {"param": [], **{name: [] for name in state_names}}
    for t, grad in enumerate(grads, start=1):
        outputs = step(param, grad, *state.values(), t, **hyper)
        param, state = outputs[0], dict(zip(state_names, outputs[1:]))
        history["param"].append(param)
        for name in state_names:
            history[name].append(state[name])
    return {name: np.stack(values) for name, values in history.items()}


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """Largest |actual - expected| / |expected|; where expected is 0, any difference is inf."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    difference = np.abs(actual - expected)
    scale = np.abs(expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(difference == 0, 0.0, difference / scale)
    return float(ratios.max()) if ratios.size else 0.0


def schedule_values(entry: dict) -> list[float]:
    """What the reference says the lr is at optimizer steps 1..N of a golden schedule entry.

    LambdaLR runs optimizer step k at base_lr * lambda(k - 1); the Noam golden lambda maps
    that to noam_lr(k).
    """
    steps = range(1, len(entry["lr_at_optimizer_step"]) + 1)
    if entry["kind"] == "warmup_cosine":
        return [entry["base_lr"] * ref.warmup_cosine_lr(k - 1, entry["warmup_steps"],
                                                        entry["total_steps"]) for k in steps]
    if entry["kind"] == "noam":
        return [entry["base_lr"] * ref.noam_lr(k, entry["d_model"], entry["warmup_steps"])
                for k in steps]
    raise ValueError(f"unknown schedule kind {entry['kind']!r}")
