# expect: pass
# A deck reference that hunts for the grader's case cache (the expected values of every drill)
# with a bounded walk of the places a cache dir could be; it would raise LEAK on finding one.
import os

import numpy as np

leaks = []
seen = 0
for top in ("/root", "/home", "/tmp", "/var"):
    for root, dirs, files in os.walk(top):
        seen += len(files) + len(dirs)
        leaks += [os.path.join(root, f) for f in files if f.endswith(".cases")]
        if seen > 50_000:
            break
if leaks:
    raise RuntimeError(f"LEAK: found the case cache {leaks[:2]}")


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
