# expect: error | the deck's reference hostile.py:batchnorm_forward could not be run
# A deck reference that writes the harness's end-of-run line on every descriptor it finds.
import os

import numpy as np

for fd in range(3, 20):
    try:
        os.write(fd, b"DONE\n")
    except OSError:
        pass


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
