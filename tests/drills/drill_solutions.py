"""Learner-style submissions for the drill tests: correct ones written several ways, and each
known mistake written the way a learner would make it (not by calling the variant)."""

ADAM_HEADER = "import math\n\nimport numpy as np\n\n\n"

ADAM_VECTORISED = ADAM_HEADER + '''
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam update."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    param = param - lr * m_hat / (np.sqrt(v_hat) + eps)
    return param, m, v
'''

ADAM_IN_PLACE = ADAM_HEADER + '''
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    # torch style: update the state tensors in place and return them
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad * grad
    bias_correction1 = 1 - beta1 ** t
    bias_correction2 = 1 - beta2 ** t
    step_size = lr / bias_correction1
    denom = np.sqrt(v) / math.sqrt(bias_correction2) + eps
    param -= step_size * m / denom
    return param, m, v
'''

ADAM_ELEMENT_LOOP = ADAM_HEADER + '''
def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    new_param, new_m, new_v = param.copy(), m.copy(), v.copy()
    for i in np.ndindex(param.shape):
        g = float(grad[i])
        new_m[i] = beta1 * m[i] + (1 - beta1) * g
        new_v[i] = beta2 * v[i] + (1 - beta2) * g * g
        m_hat = new_m[i] / (1 - beta1 ** t)
        v_hat = new_v[i] / (1 - beta2 ** t)
        new_param[i] = param[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
    return new_param, new_m, new_v
'''


def adam_with(moments="", correction="", step="", returns="return param, m, v"):
    """An Adam step with any of its four parts rewritten."""
    moments = moments or ("m = beta1 * m + (1 - beta1) * grad\n"
                          "    v = beta2 * v + (1 - beta2) * grad ** 2")
    correction = correction or ("m_hat = m / (1 - beta1 ** t)\n"
                                "    v_hat = v / (1 - beta2 ** t)")
    step = step or "param = param - lr * m_hat / (np.sqrt(v_hat) + eps)"
    return ADAM_HEADER + (
        "def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
        f"    {moments}\n    {correction}\n    {step}\n    {returns}\n")


ADAM_MISTAKES = {
    "no-bias-correction": adam_with(correction="m_hat, v_hat = m, v"),
    "only-m-corrected": adam_with(correction="m_hat = m / (1 - beta1 ** t)\n    v_hat = v"),
    "only-v-corrected": adam_with(correction="m_hat = m\n    v_hat = v / (1 - beta2 ** t)"),
    "eps-inside-sqrt": adam_with(step="param = param - lr * m_hat / np.sqrt(v_hat + eps)"),
    "eps-hat": adam_with(
        correction="m_hat, v_hat = m, v",
        step="param = param - lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t) "
             "* m / (np.sqrt(v) + eps)"),
    "t-off-by-one": adam_with(correction="m_hat = m / (1 - beta1 ** (t + 1))\n"
                                         "    v_hat = v / (1 - beta2 ** (t + 1))"),
    "v-not-squared": adam_with(moments="m = beta1 * m + (1 - beta1) * grad\n"
                                       "    v = beta2 * v + (1 - beta2) * np.abs(grad)"),
    "swapped-betas": adam_with(moments="m = beta2 * m + (1 - beta2) * grad\n"
                                       "    v = beta1 * v + (1 - beta1) * grad ** 2"),
    "wrong-sign": adam_with(step="param = param + lr * m_hat / (np.sqrt(v_hat) + eps)"),
    "stale-moments": adam_with(
        moments="m_new = beta1 * m + (1 - beta1) * grad\n"
                "    v_new = beta2 * v + (1 - beta2) * grad ** 2",
        correction="m_hat = m_new / (1 - beta1 ** t)\n    v_hat = v_new / (1 - beta2 ** t)"),
    "corrected-state": adam_with(
        correction="m = m / (1 - beta1 ** t)\n    v = v / (1 - beta2 ** t)\n"
                   "    m_hat, v_hat = m, v"),
    # A constant that is not 1e-8, so only the property test (varying eps) can name it.
    "hardcoded-eps": adam_with(step="param = param - lr * m_hat / (np.sqrt(v_hat) + 1e-7)"),
}

# Other ways to make the same mistakes: the other member of a family, or another spelling.
ADAM_MISTAKES_AGAIN = {
    "t-off-by-one": adam_with(correction="m_hat = m / (1 - beta1 ** (t - 1))\n"
                                         "    v_hat = v / (1 - beta2 ** (t - 1))"),
    "v-not-squared": adam_with(moments="m = beta1 * m + (1 - beta1) * grad\n"
                                       "    v = beta2 * v + (1 - beta2) * grad"),
    "swapped-betas": adam_with(
        moments="m = beta2 * m + (1 - beta2) * grad\n    v = beta1 * v + (1 - beta1) * grad ** 2",
        correction="m_hat = m / (1 - beta2 ** t)\n    v_hat = v / (1 - beta1 ** t)"),
    "hardcoded-eps": adam_with(step="param = param - lr * m_hat / (np.sqrt(v_hat) + 1e-8)"),
}

ADAMW_HEADER = ADAM_HEADER + (
    "def adamw_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,\n"
    "               weight_decay=0.01):\n")
ADAMW_TAIL = '''    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    param = param - lr * m_hat / (np.sqrt(v_hat) + eps)
'''
ADAMW_CORRECT = ADAMW_HEADER + "    param = param * (1 - lr * weight_decay)\n" + ADAMW_TAIL + \
    "    return param, m, v\n"
ADAMW_MISTAKES = {
    "l2-instead-of-decoupled": ADAMW_HEADER + "    grad = grad + weight_decay * param\n"
    + ADAMW_TAIL + "    return param, m, v\n",
    "decay-without-lr": ADAMW_HEADER + "    param = param - weight_decay * param\n"
    + ADAMW_TAIL + "    return param, m, v\n",
    "no-decay": ADAMW_HEADER + ADAMW_TAIL + "    return param, m, v\n",
    "decay-after-step": ADAMW_HEADER + ADAMW_TAIL
    + "    param = param - lr * weight_decay * param\n    return param, m, v\n",
}

# One correct answer for every other drill, so each drill is shown to be passable.
CORRECT = {
    "momentum-step": '''
def momentum_step(param, grad, m, lr, beta1=0.9):
    m = beta1 * m + (1 - beta1) * grad
    return param - lr * m, m
''',
    "rmsprop-step": '''
import numpy as np

def rmsprop_step(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    v = beta2 * v + (1 - beta2) * grad ** 2
    return param - lr * grad / (np.sqrt(v) + eps), v
''',
    "adam-step": ADAM_VECTORISED,
    "adamw-step": ADAMW_CORRECT,
    "amsgrad-step": '''
import numpy as np

def amsgrad_step(param, grad, m, v, v_max, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    v_max = np.maximum(v_max, v)
    denom = np.sqrt(v_max / (1 - beta2 ** t)) + eps
    return param - lr * (m / (1 - beta1 ** t)) / denom, m, v, v_max
''',
    "radam-step": '''
import math
import numpy as np

def radam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * t * beta2 ** t / (1 - beta2 ** t)
    if rho_t > 5:
        r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        adaptive = math.sqrt(1 - beta2 ** t) / (np.sqrt(v) + eps)
        return param - lr * m_hat * r * adaptive, m, v
    return param - lr * m_hat, m, v
''',
    "warmup-cosine-schedule": '''
import math

def warmup_cosine_lr(step, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * (1 + math.cos(math.pi * progress))
''',
    "noam-schedule": '''
def noam_lr(step, d_model, warmup_steps):
    return d_model ** -0.5 * min(step ** -0.5, step * warmup_steps ** -1.5)
''',
    "clip-grad-norm": '''
import numpy as np

def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    coef = min(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        g *= coef  # in place, like torch
    return grads, total
''',
    "lamb-step": '''
import numpy as np

def lamb_step(param, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0.01):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    u = (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps) + weight_decay * param
    p_norm, u_norm = np.linalg.norm(param), np.linalg.norm(u)
    ratio = p_norm / u_norm if p_norm > 0 and u_norm > 0 else 1.0
    return param - lr * ratio * u, m, v
''',
}

# Learner-written mistakes of the other drills, one or two each.
OTHER_MISTAKES = {
    ("momentum-step", "no-ema-factor"): '''
def momentum_step(param, grad, m, lr, beta1=0.9):
    m = beta1 * m + grad
    return param - lr * m, m
''',
    ("rmsprop-step", "eps-inside-sqrt"): '''
import numpy as np

def rmsprop_step(param, grad, v, lr=1e-3, beta2=0.999, eps=1e-8):
    v = beta2 * v + (1 - beta2) * grad ** 2
    return param - lr * grad / np.sqrt(v + eps), v
''',
    ("amsgrad-step", "max-of-bias-corrected"): '''
import numpy as np

def amsgrad_step(param, grad, m, v, v_max, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    v_max = np.maximum(v_max, v / (1 - beta2 ** t))
    return param - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v_max) + eps), m, v, v_max
''',
    ("radam-step", "adam-eps-placement"): CORRECT["radam-step"].replace(
        "math.sqrt(1 - beta2 ** t) / (np.sqrt(v) + eps)",
        "1 / (np.sqrt(v / (1 - beta2 ** t)) + eps)"),
    ("warmup-cosine-schedule", "warmup-off-by-one"): CORRECT["warmup-cosine-schedule"].replace(
        "return step / warmup_steps", "return (step + 1) / warmup_steps"),
    ("noam-schedule", "operator-precedence"): CORRECT["noam-schedule"].replace(
        "warmup_steps ** -1.5", "warmup_steps ** -3/2"),
    ("clip-grad-norm", "returns-clipped-norm"): '''
import numpy as np

def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    coef = min(max_norm / (total + 1e-6), 1.0)
    grads = [g * coef for g in grads]
    return grads, float(np.sqrt(sum(np.sum(g * g) for g in grads)))
''',
    ("lamb-step", "no-zero-guard"): CORRECT["lamb-step"].replace(
        "p_norm / u_norm if p_norm > 0 and u_norm > 0 else 1.0", "p_norm / u_norm"),
}
