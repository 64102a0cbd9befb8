"""tutor.reference against torch itself, run live when torch is installed (skipped otherwise).

This catches a reference change that the stored vectors might not, and checks that the
stored vectors are still what torch produces.
"""

from __future__ import annotations

import numpy as np
import pytest

import tutor.reference as ref
from tests.reference.reference_replay import (
    RTOL,
    load_golden,
    replay_lamb,
    replay_optimizer,
    schedule_values,
)

pytest.importorskip("torch")

from tests.reference import make_golden


@pytest.fixture(scope="module")
def live():
    return make_golden.generate()


def test_reference_matches_live_torch_for_every_optimizer(live):
    arrays, manifest = live
    for case in manifest["optimizers"]:
        replayed = replay_optimizer(case["torch"], case["kwargs"], arrays["param0"],
                                    arrays["grads"])
        prefix = f"{case['name']}/"
        for key, torch_values in arrays.items():
            if key.startswith(prefix):
                output = key[len(prefix):]
                np.testing.assert_allclose(replayed[output], torch_values, rtol=RTOL, atol=0,
                                           err_msg=f"{case['name']}: {output}")


def test_reference_lamb_matches_live_timm(live):
    arrays, manifest = live
    if not manifest["lamb"]:
        pytest.skip("timm is not installed (pip install --no-deps timm==1.0.31)")
    for case in manifest["lamb"]:
        start = np.zeros_like(arrays["param0"]) if case["zero_init"] else arrays["param0"]
        replayed = replay_lamb(case["kwargs"], start, arrays["grads"])
        for output in ("param", "m", "v"):
            np.testing.assert_allclose(replayed[output], arrays[f"{case['name']}/{output}"],
                                       rtol=RTOL, atol=0, err_msg=f"{case['name']}: {output}")


def test_reference_matches_live_torch_clipping_and_schedules(live):
    arrays, manifest = live
    for case in manifest["clip"]:
        grads = [arrays[f"{case['name']}/grad{index}"] for index in range(case["tensors"])]
        clipped, total = ref.clip_grad_norm(grads, case["max_norm"])
        np.testing.assert_allclose(total, case["total_norm"], rtol=RTOL, atol=0)
        for index, out in enumerate(clipped):
            np.testing.assert_allclose(out, arrays[f"{case['name']}/clipped{index}"],
                                       rtol=RTOL, atol=0)
    for case in manifest["schedules"]:
        np.testing.assert_allclose(schedule_values(case), case["lr_at_optimizer_step"],
                                   rtol=RTOL, atol=0)


def test_stored_vectors_are_what_torch_produces(live):
    arrays, manifest = live
    stored_arrays, stored_manifest = load_golden()
    if not manifest["lamb"]:  # timm absent here: compare the torch part only
        stored_arrays = {key: value for key, value in stored_arrays.items()
                         if not key.startswith("lamb-")}
    assert sorted(stored_arrays) == sorted(arrays)
    for key, value in arrays.items():
        np.testing.assert_allclose(stored_arrays[key], value, rtol=RTOL, atol=0, err_msg=key)
    for section in ("optimizers", "clip", "schedules", "lamb"):
        if section == "lamb" and not manifest["lamb"]:
            continue
        assert [case["name"] for case in stored_manifest[section]] == \
            [case["name"] for case in manifest[section]]


def test_adam_weight_decay_is_l2_and_adamw_is_decoupled_in_torch_too():
    """One hand-sized step, to show which torch knob each reference function mirrors."""
    import torch

    param0, grad = np.array([2.0, -3.0]), np.array([0.5, 0.25])
    for torch_class, reference in (("Adam", ref.adam_l2_step), ("AdamW", ref.adamw_step)):
        param = torch.nn.Parameter(torch.tensor(param0, dtype=torch.float64))
        param.grad = torch.tensor(grad, dtype=torch.float64)
        getattr(torch.optim, torch_class)([param], lr=0.1, weight_decay=0.5, foreach=False).step()
        expected, _, _ = reference(param0, grad, np.zeros(2), np.zeros(2), 1, lr=0.1,
                                   weight_decay=0.5)
        np.testing.assert_allclose(param.detach().numpy(), expected, rtol=RTOL, atol=0)
