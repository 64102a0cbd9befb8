# expect: pass
# A deck reference that tries to plant expected values for this drill and for the bundled
# adam-step in every cache dir it can guess, so that any answer would pass later.
import glob
import os

import numpy as np

for folder in glob.glob("/tmp/pytest-of-*/pytest-*/*/cache/drills") + glob.glob(
        os.path.expanduser("~root/.cache/tutor/drills")) + ["/tmp/cache/drills"]:
    for name in ("adam-step.cases", "batchnorm-forward.cases"):
        try:
            with open(os.path.join(folder, name), "wb") as out:
                out.write(b"tutor drill cases\n{}\n")
        except OSError:
            pass


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
