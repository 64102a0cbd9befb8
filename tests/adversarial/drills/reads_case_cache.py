# expect: fail | param
# Looks for the grader's case cache (expected values) wherever a user's cache could be: the
# default cache dir, any TUTOR_HOME under /tmp, a bounded walk of /root, /home, /tmp, /var.
import glob
import os

leaks = glob.glob(os.path.expanduser("~root/.cache/tutor/drills/*.cases"))
leaks += glob.glob("/tmp/pytest-of-*/pytest-*/*/cache/drills/*.cases")
seen = 0
for top in ("/root", "/home", "/tmp", "/var"):
    for root, dirs, files in os.walk(top):
        seen += len(files) + len(dirs)
        leaks += [os.path.join(root, f) for f in files if f.endswith(".cases")]
        if seen > 50_000:
            break
readable = []
for path in leaks:
    try:
        with open(path, "rb") as cached:
            readable.append((path, len(cached.read())))
    except OSError:
        pass
if readable:
    raise RuntimeError(f"LEAK: read the case cache {readable[:2]}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
