# expect: error | MemoryError or time limit
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    hoard = []
    while True:
        hoard.append(bytearray(8 * 1024**2))
