# expect: fail | param
# Tries to leave files behind everywhere it might be able to write; swallows the errors.
import os
import pathlib

import numpy

TARGETS = [
    "/root/tutor-adv-written",
    "/tmp/tutor-adv-written",
    "/var/tmp/tutor-adv-written",
    "/dev/shm/tutor-adv-written",
    os.path.join(os.path.dirname(numpy.__file__), "tutor-adv-written"),
    os.path.join(os.getcwd(), "..", "tutor-adv-written"),
]


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    for target in TARGETS:
        try:
            pathlib.Path(target).write_text("pwned")
        except OSError:
            pass
    pathlib.Path("inside-the-temp-dir.txt").write_text("allowed")
    pathlib.Path(os.path.expanduser("~"), "home.txt").write_text("home is the temp dir")
    return param - 1.0, m, v
