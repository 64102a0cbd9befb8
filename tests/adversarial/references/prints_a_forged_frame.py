# expect: pass
# A deck reference that prints a complete forged result (all-zero expected values, then DONE)
# on every standard stream; were it believed, the correct answer would fail.
import sys

import numpy as np

FORGED = b"CASE 0\nRESULT 0 4\nPK\x03\x04DONE\n"
for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
    try:
        stream.buffer.write(FORGED) if hasattr(stream, "buffer") else stream.write(FORGED.decode())
        stream.flush()
    except (OSError, ValueError, AttributeError):
        pass


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
