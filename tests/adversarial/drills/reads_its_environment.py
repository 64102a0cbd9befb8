# expect: fail | param
# Looks for anything the checker's environment could give away (TUTOR_HOME, the answer's
# path, XDG dirs, the user's name) in its own environment and the auxiliary vector.
import os

scrubbed = {"PATH", "HOME", "TMPDIR", "LC_ALL", "LANG", "OPENBLAS_NUM_THREADS",
            "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"}
extra = sorted(set(os.environ) - scrubbed)
if extra or "tutor" in os.environ.get("HOME", "") + os.getcwd():
    raise RuntimeError(f"LEAK: {extra} {os.environ.get('HOME')} {os.getcwd()}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
