# expect: pass
# A deck reference that looks for the learner's files (home, the project tree, tutor's data and
# config, other processes' environment) while computing the expected values; were any readable,
# it would raise and the check would say LEAK.
import glob
import os

import numpy as np

found = []
for pattern in ("/root/*", "/home/*/*", "/work/*", "/etc/passwd", "/proc/1/environ",
                os.path.expanduser("~/.config/tutor/*"), "/tmp/pytest-of-*/*/*/tutor.db"):
    for path in glob.glob(pattern)[:20]:
        try:
            with open(path, "rb") as handle:
                found.append((path, len(handle.read(64))))
        except OSError:
            pass
if found:
    raise RuntimeError(f"LEAK: read {found[:3]}")


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
