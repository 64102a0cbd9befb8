# expect: fail | param
# Connects to abstract-namespace Unix sockets (no file to hide: only the network namespace
# separates them): the test's own listener, and every name the host lists in /proc/net/unix.
import socket

targets = ["\0tutor-adv-listener"]
try:
    with open("/proc/net/unix") as table:
        targets += ["\0" + line.split()[-1][1:] for line in table if line.split()[-1:]
                    and line.split()[-1].startswith("@")]
except OSError:
    pass
reached = []
for target in targets[:200]:
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        client = socket.socket(socket.AF_UNIX, kind)
        client.settimeout(0.2)
        try:
            client.connect(target)
            client.send(b"tutor-adv-hello")
            reached.append(target)
        except OSError:
            pass
        finally:
            client.close()
if reached:
    raise RuntimeError(f"REACHED: {reached[:3]}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
