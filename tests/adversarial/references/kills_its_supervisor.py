# expect: pass or error | the deck's reference hostile.py:batchnorm_forward could not be run
# A deck reference that signals the process reporting its results (stop, kill) and the
# namespace's first process; whatever becomes of them, nothing outside the sandbox is hit.
import os
import signal

import numpy as np


def batchnorm_forward(x, gamma, beta, eps):
    for pid in {os.getppid(), 1}:
        for sig in (signal.SIGSTOP, signal.SIGCONT, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except OSError:
                pass
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
