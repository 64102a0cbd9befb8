# expect: error | segmentation fault
import ctypes


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    ctypes.string_at(0)  # reads address 0: the interpreter itself crashes
