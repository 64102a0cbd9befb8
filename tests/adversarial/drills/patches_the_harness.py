# expect: error | skipped though no earlier case failed
# Monkeypatches the harness's own functions (found on the stack) so that every case it runs
# reports "skipped" with no outputs, hoping the parent counts a run with no compared case.
import sys

frame = sys._getframe()
while frame is not None and "run_case" not in frame.f_globals:
    frame = frame.f_back
harness = frame.f_globals
real_dumps = harness["json"].dumps


class _Json:
    @staticmethod
    def dumps(meta):
        return real_dumps(dict(meta, status="skipped") if isinstance(meta, dict) else meta)


harness["json"] = _Json
harness["run_case"] = lambda np, function, case, arrays, on_call=None: ({}, None)


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param, m, v
