# expect: fail | param
# Attaches to the process that reports the results (the parent in the sandbox) with ptrace,
# and reads its memory with process_vm_readv, to take its descriptors or its plan.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206
done = []
for pid in {os.getppid(), 1}:
    if libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
        done.append(f"attached {pid}")
    if libc.ptrace(PTRACE_SEIZE, pid, None, None) == 0:
        done.append(f"seized {pid}")

    class IoVec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    buffer = ctypes.create_string_buffer(16)
    local = IoVec(ctypes.cast(buffer, ctypes.c_void_p), 16)
    remote = IoVec(0x400000, 16)
    if libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) > 0:
        done.append(f"read {pid}")
if done:
    raise RuntimeError(f"REACHED: {done}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
