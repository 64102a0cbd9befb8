# expect: fail | param
# Writes more than the cap into its work dir and TMPDIR (files each under the file-size
# limit), swallowing the errors: the work dir is size-capped and removed whatever it holds.
import os
import tempfile

chunk = b"x" * (1 << 20)
for directory in (os.getcwd(), tempfile.gettempdir()):
    for index in range(6):  # 90 MB: past the 64 MB cap
        try:
            with open(os.path.join(directory, f"tutor-adv-fill-{index}"), "wb") as out:
                for _ in range(15):
                    out.write(chunk)
        except OSError:
            break


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return param + 1.0, m, v
