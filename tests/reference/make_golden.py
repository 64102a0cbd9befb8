"""Make the torch golden vectors that pin `tutor.reference` to torch.optim (run by hand).

torch is not a dependency of tutor: install it into the venv only to regenerate, then run
    /work/venv/bin/python tests/reference/make_golden.py
which rewrites tests/reference/golden/{torch_vectors.npz,manifest.json}. The LAMB vectors
come from timm's `Lamb` (`pip install --no-deps timm==1.0.31`; loaded without timm's package
__init__, which would need torchvision); without timm they are left out. Everything runs in
float64 (torch.set_default_dtype, so even torch's step counter is float64) on the
single-tensor code path (foreach=False). The same `generate()` feeds the live comparison
test when torch is importable. Nothing here imports tutor: the vectors come from torch
(and timm) alone. Regenerating with the same versions rewrites identical bytes.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from pathlib import Path

import numpy as np

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
STEPS = 25
SHAPE = (3, 4)
SEED = 20260611
ZERO_GRADIENT_STEP = 4  # 1-based: every component of g is 0 at this step
LARGE_GRADIENT_STEP = 8  # g of magnitude ~10 everywhere, followed by tiny ones (AMSGrad)
TINY_GRADIENT_STEPS = (9, 10, 11, 12)

# (name, torch optimizer class name, keyword arguments). "stress" cases use a large lr,
# short betas and a large eps so that eps placement and bias correction show up clearly.
OPTIMIZER_CASES = [
    ("adam-default", "Adam", {}),
    ("adam-stress", "Adam", {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-4}),
    ("adam-l2", "Adam", {"weight_decay": 0.1}),
    ("adam-l2-stress", "Adam",
     {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-4, "weight_decay": 0.5}),
    ("adamw-default", "AdamW", {}),
    ("adamw-stress", "AdamW",
     {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-4, "weight_decay": 0.5}),
    ("amsgrad-default", "Adam", {"amsgrad": True}),
    ("amsgrad-stress", "Adam", {"amsgrad": True, "lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-4}),
    ("radam-default", "RAdam", {}),
    ("radam-stress", "RAdam", {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-4}),
    ("rmsprop-page", "RMSprop", {"lr": 1e-3, "alpha": 0.999, "eps": 1e-8}),
    ("rmsprop-stress", "RMSprop", {"lr": 0.05, "alpha": 0.9, "eps": 1e-4}),
    ("sgd-plain", "SGD", {"lr": 0.1}),
    ("sgd-momentum", "SGD", {"lr": 0.1, "momentum": 0.9}),
    ("sgd-dampening", "SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    ("sgd-nesterov", "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("sgd-weight-decay", "SGD", {"lr": 0.1, "weight_decay": 0.1}),
    ("sgd-all", "SGD", {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.01, "nesterov": True}),
]

# timm.optim.Lamb settings matching tutor.reference.lamb_step's pinned variant: bias
# correction, weight decay added to the update inside the trust ratio (decoupled_decay=False),
# no global clipping (max_grad_norm=None), no ratio clamp, adapted even without decay.
LAMB_VARIANT = {"max_grad_norm": None, "always_adapt": True, "trust_clip": False,
                "decoupled_decay": False, "bias_correction": True, "grad_averaging": True}
LAMB_CASES = [  # (name, Lamb keyword arguments on top of LAMB_VARIANT, zero initial param?)
    ("lamb-default", {"lr": 0.01}, False),
    ("lamb-stress", {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-4, "weight_decay": 0.1}, False),
    ("lamb-no-decay-zero-init", {"lr": 0.01, "weight_decay": 0.0}, True),
]

# torch state key -> the name the reference functions use for it.
STATE_NAMES = {"exp_avg": "m", "exp_avg_sq": "v", "max_exp_avg_sq": "v_max",
               "momentum_buffer": "buf", "square_avg": "v"}

WARMUP_COSINE_CASES = [  # (name, warmup_steps, total_steps, optimizer steps recorded)
    ("warmup-cosine-5-20", 5, 20, 32),  # runs past total_steps on purpose
    ("warmup-cosine-0-10", 0, 10, 12),
    ("warmup-cosine-3-4", 3, 4, 8),
]
NOAM_CASES = [  # (name, d_model, warmup_steps, optimizer steps recorded)
    ("noam-512-10", 512, 10, 30),
    ("noam-64-4", 64, 4, 12),
]
SCHEDULE_BASE_LR = 3e-4


def mixed_gradients(rng: np.random.Generator) -> np.ndarray:
    """STEPS gradients of SHAPE: random signs, magnitudes 1e-6..10, one all-zero step."""
    signs = rng.choice([-1.0, 1.0], size=(STEPS, *SHAPE))
    grads = signs * 10.0 ** rng.uniform(-6, 1, size=(STEPS, *SHAPE))
    grads[ZERO_GRADIENT_STEP - 1] = 0.0
    grads[LARGE_GRADIENT_STEP - 1] = signs[LARGE_GRADIENT_STEP - 1] * rng.uniform(5, 10, SHAPE)
    for step in TINY_GRADIENT_STEPS:
        grads[step - 1] = signs[step - 1] * 10.0 ** rng.uniform(-6, -4, SHAPE)
    return grads


def initial_param(rng: np.random.Generator) -> np.ndarray:
    """Mixed-sign parameters whose magnitudes span 1e-3..3."""
    return rng.choice([-1.0, 1.0], size=SHAPE) * 10.0 ** rng.uniform(-3, 0.5, SHAPE)


def run_optimizer(torch, optimizer_class, kwargs: dict, param0: np.ndarray,
                  grads: np.ndarray) -> dict[str, np.ndarray]:
    """The parameter and optimizer state after each step, stacked along axis 0."""
    param = torch.nn.Parameter(torch.tensor(param0, dtype=torch.float64))
    optimizer = optimizer_class([param], foreach=False, **kwargs)
    history: dict[str, list[np.ndarray]] = {"param": []}
    for grad in grads:
        param.grad = torch.tensor(grad, dtype=torch.float64)
        optimizer.step()
        history["param"].append(param.detach().numpy().copy())
        for key, value in optimizer.state[param].items():
            if key in STATE_NAMES and value is not None:
                history.setdefault(STATE_NAMES[key], []).append(value.numpy().copy())
    return {name: np.stack(values) for name, values in history.items()}


def load_timm_lamb():
    """timm's Lamb class, or None when timm is not installed.

    Imports only timm.optim.lamb (and its two helper modules) by standing in empty package
    modules for `timm` and `timm.optim`, whose real __init__ files import torchvision.
    """
    import importlib
    import importlib.util
    import types

    spec = importlib.util.find_spec("timm")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0])
    saved = {name: module for name, module in sys.modules.items()
             if name == "timm" or name.startswith("timm.")}
    try:
        for name, folder in (("timm", root), ("timm.optim", root / "optim")):
            stub = types.ModuleType(name)
            stub.__path__ = [str(folder)]
            sys.modules[name] = stub
        return importlib.import_module("timm.optim.lamb").Lamb
    finally:
        for name in [name for name in sys.modules if name == "timm" or name.startswith("timm.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def clip_cases(rng: np.random.Generator) -> list[tuple[str, float, list[np.ndarray]]]:
    """(name, max_norm, gradient list) covering clipped, unclipped and edge cases."""
    def mixed(shape):
        return rng.choice([-1.0, 1.0], size=shape) * 10.0 ** rng.uniform(-6, 1, shape)

    return [
        ("clip-over", 1.0, [mixed((5,)), mixed((3, 4)), mixed((2, 2, 2))]),
        ("clip-under", 10.0, [rng.uniform(-0.1, 0.1, (4,)), rng.uniform(-0.1, 0.1, (2, 3))]),
        ("clip-tight", 0.5, [mixed((7,))]),
        ("clip-at-max", 5.0, [np.array([3.0, 4.0])]),  # total == max: still shrinks a hair
        ("clip-zero", 1.0, [np.zeros(3), np.zeros((2, 2))]),
        ("clip-tiny-max", 1e-3, [mixed((6,)), np.array([1e-6, -2e-6])]),
    ]


def run_clip(torch, max_norm: float, grads: list[np.ndarray]) -> tuple[list[np.ndarray], float]:
    params = []
    for grad in grads:
        param = torch.nn.Parameter(torch.zeros(grad.shape, dtype=torch.float64))
        param.grad = torch.tensor(grad, dtype=torch.float64)
        params.append(param)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, foreach=False)
    return [param.grad.numpy().copy() for param in params], float(total)


def page_warmup_cosine(warmup_steps: int, total_steps: int):
    """The study page's lr_lambda, written out independently of tutor.reference."""
    def lr_lambda(step):
        if step < warmup_steps:
            return step / warmup_steps
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        return 0.5 * (1 + math.cos(math.pi * progress))
    return lr_lambda


def noam_lambda(d_model: int, warmup_steps: int):
    """LambdaLR calls its lambda with 0, 1, 2, ...; optimizer step k is lambda(k-1) = noam(k)."""
    def lr_lambda(epoch):
        step = epoch + 1
        return d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5)
    return lr_lambda


def lambda_lr_trace(torch, base_lr: float, lr_lambda, optimizer_steps: int) -> list[float]:
    """The lr each of `optimizer_steps` optimizer steps runs at under LambdaLR."""
    param = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    optimizer = torch.optim.SGD([param], lr=base_lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
    used = []
    for _ in range(optimizer_steps):
        used.append(optimizer.param_groups[0]["lr"])
        param.grad = torch.zeros_like(param)
        optimizer.step()
        scheduler.step()
    return used


def generate() -> tuple[dict[str, np.ndarray], dict]:
    """All golden data: (arrays keyed "case/name", JSON-ready manifest)."""
    import torch

    previous_dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return _generate(torch)
    finally:
        torch.set_default_dtype(previous_dtype)


def _generate(torch) -> tuple[dict[str, np.ndarray], dict]:
    rng = np.random.default_rng(SEED)
    param0, grads = initial_param(rng), mixed_gradients(rng)
    arrays: dict[str, np.ndarray] = {"param0": param0, "grads": grads}
    manifest: dict = {
        "generated_by": "tests/reference/make_golden.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "dtype": "float64",
        "steps": STEPS,
        "zero_gradient_step": ZERO_GRADIENT_STEP,
        "optimizers": [],
        "lamb": [],
        "clip": [],
        "schedules": [],
    }
    for name, class_name, kwargs in OPTIMIZER_CASES:
        optimizer_class = getattr(torch.optim, class_name)
        for key, value in run_optimizer(torch, optimizer_class, kwargs, param0, grads).items():
            arrays[f"{name}/{key}"] = value
        manifest["optimizers"].append({"name": name, "torch": class_name, "kwargs": kwargs})
    lamb_class = load_timm_lamb()
    if lamb_class is not None:
        from importlib.metadata import version

        manifest["timm"] = version("timm")
        for name, kwargs, zero_init in LAMB_CASES:
            start = np.zeros_like(param0) if zero_init else param0
            history = run_optimizer(torch, lamb_class, {**LAMB_VARIANT, **kwargs}, start, grads)
            for key, value in history.items():
                arrays[f"{name}/{key}"] = value
            manifest["lamb"].append({"name": name, "kwargs": kwargs, "zero_init": zero_init})
    for name, max_norm, grad_list in clip_cases(rng):
        clipped, total = run_clip(torch, max_norm, grad_list)
        for index, (grad, out) in enumerate(zip(grad_list, clipped)):
            arrays[f"{name}/grad{index}"] = grad
            arrays[f"{name}/clipped{index}"] = out
        manifest["clip"].append({"name": name, "max_norm": max_norm,
                                 "tensors": len(grad_list), "total_norm": total})
    for name, warmup, total, steps in WARMUP_COSINE_CASES:
        trace = lambda_lr_trace(torch, SCHEDULE_BASE_LR, page_warmup_cosine(warmup, total), steps)
        manifest["schedules"].append({"name": name, "kind": "warmup_cosine", "base_lr":
                                      SCHEDULE_BASE_LR, "warmup_steps": warmup,
                                      "total_steps": total, "lr_at_optimizer_step": trace})
    for name, d_model, warmup, steps in NOAM_CASES:
        trace = lambda_lr_trace(torch, 1.0, noam_lambda(d_model, warmup), steps)
        manifest["schedules"].append({"name": name, "kind": "noam", "base_lr": 1.0,
                                      "d_model": d_model, "warmup_steps": warmup,
                                      "lr_at_optimizer_step": trace})
    return arrays, manifest


def main() -> int:
    arrays, manifest = generate()
    GOLDEN_DIR.mkdir(exist_ok=True)
    np.savez_compressed(GOLDEN_DIR / "torch_vectors.npz", **arrays)
    (GOLDEN_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    for path in sorted(GOLDEN_DIR.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
