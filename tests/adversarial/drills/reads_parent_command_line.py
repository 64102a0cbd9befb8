# expect: fail | param
# Reads the command line and environment of every process it can see (the checker's carries
# the drill id, the answer's path and TUTOR_HOME), and any file in the users' homes (the
# interpreter's own files aside).
import os

found = []
for pid in [str(os.getppid()), "1"] + (os.listdir("/proc") if os.path.isdir("/proc") else []):
    for what in ("cmdline", "environ"):
        try:
            with open(f"/proc/{pid}/{what}", "rb") as f:
                text = f.read()
        except OSError:
            continue
        if b"tutor" in text or b"pytest" in text or b"TUTOR_HOME" in text:
            found.append(f"/proc/{pid}/{what}")
interpreter = os.path.dirname(os.__file__)
for home in ("/root", "/home"):
    for root, dirs, files in os.walk(home):
        if root.startswith(interpreter):
            continue
        for name in files:
            try:
                with open(os.path.join(root, name), "rb") as f:
                    if f.read(1):  # a file covered by /dev/null reads empty
                        found.append(os.path.join(root, name))
            except OSError:
                pass
        if len(found) > 3:
            break
if found:
    raise RuntimeError(f"LEAK: {found[:3]}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
