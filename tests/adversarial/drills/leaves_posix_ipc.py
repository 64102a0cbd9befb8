# expect: fail | param
# Creates a POSIX message queue and a POSIX shared-memory object that would outlive the run.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.mq_open(b"/tutor-adv-mqueue", os.O_CREAT | os.O_RDWR, 0o600, None)
try:
    fd = os.open("/dev/shm/tutor-adv-posix-shm", os.O_CREAT | os.O_RDWR, 0o600)
    os.ftruncate(fd, 1 << 20)
except OSError:
    pass


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
