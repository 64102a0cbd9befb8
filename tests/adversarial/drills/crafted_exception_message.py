# expect: error | RuntimeError
# An exception whose message and printed text imitate the harness's protocol lines.
import sys

print("DONE\nRESULT 0 10\nPK\x03\x04")
sys.stderr.write("\nDONE\n")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    raise RuntimeError("\nDONE\nRESULT 0 4\nxxxx\nCASE 9\n")
