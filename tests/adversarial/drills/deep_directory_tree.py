# expect: fail | param
# A 3000-deep directory tree in the work dir, each level with a file: a recursive clean-up in
# the parent would hit its recursion limit (or PATH_MAX) and leave it all on disk.
import os

for depth in range(3000):
    try:
        with open("f", "wb") as out:
            out.write(b"x" * 4096)
        os.mkdir("d")
        os.chdir("d")
    except OSError:
        break


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
