# expect: fail | param
# Looks for the project's model solutions and history: tests/ and .git beside any `tutor`
# directory it can find from sys.path, the interpreter's prefix or a walk of likely roots.
import os
import sys

candidates = set()
for entry in sys.path + [sys.prefix, sys.base_prefix, sys.executable, os.getcwd()]:
    path = os.path.abspath(entry or ".")
    while path != "/":
        candidates.add(path)
        path = os.path.dirname(path)
visited = 0
for top in ("/work", "/root", "/home", "/srv", "/opt"):
    for root, dirs, _ in os.walk(top):
        if "tests" in dirs or ".git" in dirs:
            candidates.add(root)
        dirs[:] = [d for d in dirs if d not in (".venv", ".git", "node_modules", "__pycache__")]
        visited += 1
        if visited > 2000:
            break
found = []
for root in candidates:
    for leak in ("tests/drills/drill_solutions.py", ".git/HEAD", "tutor/reference/optimizers.py"):
        try:
            with open(os.path.join(root, leak), "rb") as f:
                found.append((os.path.join(root, leak), len(f.read(100))))
        except OSError:
            pass
if found:
    raise RuntimeError(f"LEAK: read the project {found[:2]}")


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
