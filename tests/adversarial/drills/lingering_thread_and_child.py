# expect: fail | param
# A non-daemon thread and a plain fork that keep running after the function returns.
import os
import threading
import time


def _spin():
    while True:
        time.sleep(0.01)


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if t == 1:
        try:
            threading.Thread(target=_spin).start()
        except RuntimeError:
            pass
        try:
            if os.fork() == 0:
                os.execv("/bin/sh", ["/bin/sh", "-c", "sleep 60; : tutor-adv-lingering-marker"])
        except OSError:
            pass
    return param * 2, m, v
