# expect: pass
# A deck reference that tries to leave files wherever it might write; swallows the errors.
import os

import numpy as np

for target in ("/root/tutor-adv-ref-written", "/tmp/tutor-adv-ref-written",
               "/var/tmp/tutor-adv-ref-written", "/dev/shm/tutor-adv-ref-written",
               os.path.join(os.path.dirname(np.__file__), "tutor-adv-ref-written")):
    try:
        with open(target, "w") as out:
            out.write("pwned")
    except OSError:
        pass


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
