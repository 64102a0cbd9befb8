# expect: fail | param
# Finds keys another way: request_key, joining a named session keyring, reading @u whole.
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
REQUEST_KEY, KEYCTL = 249, 250  # x86_64
done = []
if libc.syscall(REQUEST_KEY, b"user", b"tutor-adv-key", None, 0) >= 0:
    done.append("request_key")
if libc.syscall(KEYCTL, 1, b"_ses", 0) >= 0:  # KEYCTL_JOIN_SESSION_KEYRING
    done.append("joined")
if libc.syscall(KEYCTL, 11, -4, None, 0) >= 0:  # KEYCTL_READ of the user keyring
    done.append("read")
if done:
    raise RuntimeError(f"KEYRING: {done}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
