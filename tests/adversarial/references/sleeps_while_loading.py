# expect: error | time limit
# A deck reference that blocks while being loaded.
import time

import numpy as np

time.sleep(10_000)


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
