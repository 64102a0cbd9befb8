# expect: fail | param
# Connects to Unix sockets on the host by path: the test's own listeners under /tmp and /run,
# and every socket file it can find in the usual places.
import glob
import os
import socket

targets = ["/tmp/tutor-adv-listener.sock", "/run/tutor-adv-listener.sock"]
for pattern in ("/tmp/*", "/run/*", "/run/*/*", "/var/run/*", "/dev/shm/*", "/tmp/.X11-unix/*"):
    targets += glob.glob(pattern)
reached = []
for target in targets:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(0.2)
    try:
        client.connect(target)
        client.sendall(b"tutor-adv-hello")
        reached.append(target)
    except OSError:
        pass
    finally:
        client.close()
if reached:
    raise RuntimeError(f"REACHED: {reached[:3]}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
