# expect: error | memory limit or time limit or MemoryError
# Many processes, each under the per-process memory limit, that together would take gigabytes:
# the memory cgroup caps their total.
import os
import time


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    for _ in range(12):
        try:
            if os.fork() == 0:
                break
        except OSError:
            break
    hoard = bytearray(400 * 1024**2)  # zero-filled, so really resident
    time.sleep(60)
    return hoard
