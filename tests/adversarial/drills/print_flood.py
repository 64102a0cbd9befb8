# expect: fail | truncated
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    for _ in range(2000):
        print("x" * 1000)
    return param, m, v
