# expect: error | raised an error while loading or harness's own pipe
# Reopens every descriptor of this process and of PID 1 and of the parent through /proc, and
# writes an end-of-run line on each; a sandbox without /proc makes the first open fail.
import os

written = 0
for pid in ("self", "1", str(os.getppid())):
    for name in os.listdir(f"/proc/{pid}/fd"):
        try:
            fd = os.open(f"/proc/{pid}/fd/{name}", os.O_WRONLY)
            os.write(fd, b"DONE\n")
            written += 1
        except OSError:
            pass


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param, m, v
