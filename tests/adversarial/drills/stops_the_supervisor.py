# expect: fail | param or could not be read or before finishing
# Signals the process that reports the results (stop, kill) hoping it sends what it has.
import os
import signal

for pid in {os.getppid(), 1}:
    for sig in (signal.SIGSTOP, signal.SIGCONT, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
