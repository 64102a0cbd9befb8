# expect: fail | param
# A double fork with setsid: the grandchild leaves the process group and execs a shell that
# would sleep on (its command line carries the marker the test looks for); where there is no
# shell to exec (a private root), it sleeps on in Python.
import os
import time


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t == 1 and os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            try:
                os.execv("/bin/sh", ["/bin/sh", "-c", "sleep 60; : tutor-adv-outlives-marker"])
            except OSError:
                time.sleep(60)
        os._exit(0)
    return param + 1.0, m, v
