# expect: error | time limit
# A deck reference that never returns.


def batchnorm_forward(x, gamma, beta, eps):
    while True:
        x = x + 1.0
