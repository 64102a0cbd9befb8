# expect: fail | param
# Reads and writes the kernel keyrings (user, session, process) through the raw system calls.
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
ADD_KEY, KEYCTL = 248, 250  # x86_64
KEYCTL_GET_KEYRING_ID, KEYCTL_DESCRIBE = 0, 6
done = []
for ring, name in ((-4, "user"), (-3, "session"), (-5, "user-session")):
    if libc.syscall(KEYCTL, KEYCTL_GET_KEYRING_ID, ring, 0) >= 0:
        done.append(f"read {name}")
    key = libc.syscall(ADD_KEY, b"user", b"tutor-adv-key", b"secret", 6, ring)
    if key >= 0:
        done.append(f"wrote {name}")
if done:
    raise RuntimeError(f"KEYRING: {done}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
