# expect: fail | param
# Registers an atexit hook and signal handlers that write an end-of-run line on every
# descriptor when the process is ended after the last case.
import atexit
import os
import signal


def forge(*_):
    for fd in range(64):
        try:
            os.write(fd, b"DONE\n")
        except OSError:
            pass


atexit.register(forge)
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1):
    signal.signal(sig, forge)


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
