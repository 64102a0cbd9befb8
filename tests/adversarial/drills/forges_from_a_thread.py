# expect: fail or error | param or harness's own pipe
# A thread started by the first call waits for the function to return and then writes
# "skipped" frames for the remaining cases onto the harness's pipe, racing the real frames.
# Which comes first depends on the machine's load: the wrong step's failure, or the harness
# catching the foreign write (an error). Either way nothing forged is read as a pass.
import os
import threading
import time


def _forge():
    time.sleep(0.05)
    for _ in range(200):
        for fd in range(3, 16):
            try:
                os.write(fd, b"2\nxx")
            except OSError:
                pass
        time.sleep(0.001)


started = []


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    if not started:
        started.append(threading.Thread(target=_forge, daemon=True))
        started[0].start()
    return param + 1.0, m, v
