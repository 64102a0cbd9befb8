# expect: pass or error | the deck's reference hostile.py:batchnorm_forward could not be run
# A deck reference that signals every process it may (kill -1) as it is loaded.
import os
import signal

import numpy as np

for sig in (signal.SIGTERM, signal.SIGKILL):
    try:
        os.kill(-1, sig)
    except OSError:
        pass


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
