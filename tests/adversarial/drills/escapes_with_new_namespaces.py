# expect: fail | param
# Makes a new user and mount namespace (root again, inside it) to mount a fresh /proc, or
# moves into PID 1's namespaces, to see the host again.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000
done = []
if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0:
    done.append("unshared")
    os.makedirs("/tmp/p", exist_ok=True)
    if libc.mount(b"proc", b"/tmp/p", b"proc", 0, None) == 0:
        done.append("mounted proc")
for kind in ("mnt", "user", "pid"):
    try:
        fd = os.open(f"/proc/1/ns/{kind}", os.O_RDONLY)
        if libc.setns(fd, 0) == 0:
            done.append(f"joined {kind}")
    except OSError:
        pass
if done:
    raise RuntimeError(f"ESCAPED: {done}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
