# expect: error | harness's own pipe or skipped though no earlier case failed or could not be read
# Finds the harness's functions and its plan among all live objects (no stack walk) and writes
# well-formed "skipped" frames with them on every descriptor that accepts a write.
import gc
import json
import os

harness = next((f.__globals__ for f in gc.get_objects()
                if callable(f) and getattr(f, "__name__", "") == "npz_bytes"), None)
plan = next((o for o in gc.get_objects() if isinstance(o, dict) and "cases" in o
             and "function" in o), None)
if harness and plan:
    import numpy as np

    frames = b""
    for i in range(len(plan["cases"])):
        meta = np.frombuffer(json.dumps({"status": "skipped", "output": ""}).encode(), np.uint8)
        data = harness["npz_bytes"]({"meta": harness["npy_bytes"](meta)})
        frames += b"%d\n" % len(data) + data
    for fd in range(64):
        try:
            os.write(fd, frames + b"DONE\n")
        except OSError:
            pass
    os._exit(0)


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param, m, v
