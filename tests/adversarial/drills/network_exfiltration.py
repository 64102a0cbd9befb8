# expect: fail | param
# Tries to phone home; there is no network in the sandbox, so every attempt fails.
import socket


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=0.5).close()
        reached = 1.0
    except OSError:
        reached = 0.0
    return param + 10.0 + reached, m, v
