# expect: fail | param
# Creates System V shared memory (pinned, never removed), a semaphore set and a message queue
# under keys the test looks for afterwards: an IPC namespace makes them vanish with the run.
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
IPC_CREAT = 0o1000
KEY = 0x74757472  # the test looks for these keys in `ipcs` after the suite
libc.shmget.restype = ctypes.c_int
segment = libc.shmget(KEY, 64 << 20, IPC_CREAT | 0o600)
if segment >= 0:
    libc.shmat.restype = ctypes.c_void_p
    address = libc.shmat(segment, None, 0)
    if address not in (None, ctypes.c_void_p(-1).value):
        ctypes.memset(address, 1, 1 << 20)
libc.semget(KEY + 1, 4, IPC_CREAT | 0o600)
libc.msgget(KEY + 2, IPC_CREAT | 0o600)


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
