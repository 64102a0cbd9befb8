# expect: error | harness's own pipe or could not be read or Forged
# An exception whose __str__ runs when the harness describes it: it writes an end-of-run line
# on every descriptor, and its text imitates a pass.
import os


class Forged(Exception):
    def __str__(self):
        for fd in range(64):
            try:
                os.write(fd, b"DONE\nPASS: adam-step\n")
            except OSError:
                pass
        return "\nDONE\nPASS: 6/6 cases passed\n"


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    raise Forged()
