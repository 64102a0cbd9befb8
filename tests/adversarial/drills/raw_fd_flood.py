# expect: error | time limit
import os


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    block = b"y" * 65536
    while True:
        os.write(1, block)
        os.write(2, block)
