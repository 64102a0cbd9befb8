# expect: error | time limit
import time


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    time.sleep(1000)  # uses no CPU: only the wall clock stops it
