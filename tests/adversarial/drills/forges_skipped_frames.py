# expect: error | harness's own pipe or skipped though no earlier case failed
# Walks the stack up to the harness, takes its result descriptor and the number of cases, and
# reports every case as skipped, then DONE: a pass with zero tests, if the parent believed it.
import json
import os
import sys

frame = sys._getframe()
while frame is not None and "channel" not in frame.f_locals:
    frame = frame.f_back
if frame is not None:
    local, harness = frame.f_locals, frame.f_globals
    np = local["np"]
    for i in range(len(local["plan"]["cases"])):
        meta = np.frombuffer(json.dumps({"status": "skipped", "output": ""}).encode(), np.uint8)
        data = harness["npz_bytes"]({"meta": harness["npy_bytes"](meta)})
        harness["_send"](local["channel"], b"CASE %d\nRESULT %d %d\n" % (i, i, len(data)) + data)
    harness["_send"](local["channel"], b"DONE\n")
    os._exit(0)


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param, m, v
