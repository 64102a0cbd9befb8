# expect: error | syntax error on line 3
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param - lr * (m / (np.sqrt(v) + eps), m, v
