"""`tutor drill references`: the names a drill's `reference:` and `variant:` may use, with signatures."""

from __future__ import annotations

import inspect

from tutor.reference import REFERENCES
from tutor.reference.mistakes import MISTAKES


def test_json_lists_every_builtin_reference_and_mistake_with_its_signature(cli):
    result = cli("drill", "references", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    references = {r["name"]: r["signature"] for r in doc["references"]}
    assert references.keys() == REFERENCES.keys()
    assert references["adam_step"] == "adam_step(param, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert references["noam_lr"] == "noam_lr(step, d_model, warmup_steps) -> float"
    mistakes = {m["name"]: m for m in doc["mistakes"]}
    assert mistakes.keys() == MISTAKES.keys()
    for name, functions in MISTAKES.items():
        listed = mistakes[name]["functions"]
        assert [f["name"] for f in listed] == [f.__name__ for f in functions]
        for entry, function in zip(listed, functions):
            assert entry["signature"].startswith(f"{function.__name__}(")
            assert str(inspect.signature(function)).split(" ->")[0].strip("()") in entry["signature"]
    assert mistakes["adam_hardcoded_eps"]["ignores"] == "eps"
    assert [f["name"] for f in mistakes["adam_t_off_by_one"]["functions"]] == ["adam_t_plus_one",
                                                                               "adam_t_minus_one"]


def test_text_lists_families_with_their_members(cli):
    result = cli("drill", "references")
    assert result.code == 0, result.err
    assert "  momentum_step(param, grad, m, lr, beta1=0.9)\n" in result.out
    assert "  adam_t_off_by_one: any of\n      adam_t_plus_one(param, grad, m, v, t," in result.out
    assert "[property: ignores eps]" in result.out
