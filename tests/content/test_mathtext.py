"""The `$...$` to Unicode converter on the LaTeX the decks actually use, and on hostile input."""

import pytest

from tutor.content.mathtext import expression_to_unicode, latex_to_unicode, render_math


@pytest.mark.parametrize("latex, shown", [
    (r"\hat{m}_t = \frac{m_t}{1-\beta_1^t}", "m̂ₜ = mₜ/(1-β₁ᵗ)"),
    (r"\theta_t = \theta_{t-1} - \eta \hat{m}_t / (\sqrt{\hat{v}_t} + \epsilon)", "θₜ = θₜ₋₁ - η m̂ₜ / (√v̂ₜ + ε)"),
    (r"\eta / \sqrt{\hat{v}_t + \epsilon}", "η / √(v̂ₜ + ε)"),
    (r"m_t = (1-\beta_1) \sum_{i=1}^{t} \beta_1^{t-i} g_i", "mₜ = (1-β₁) ∑ᵢ₌₁ᵗ β₁ᵗ⁻ⁱ gᵢ"),
    (r"\mathbb{E}[g_t^2]", "𝔼[gₜ²]"),
    (r"g_t = \nabla_\theta \mathcal{L}(\theta_t)", "gₜ = ∇_θ ℒ(θₜ)"),
    (r"\frac{\lambda}{2} \|\theta\|^2", "λ/2 ‖θ‖²"),
    (r"\frac{\|\theta_t\|}{\|u_t\|}", "‖θₜ‖/‖uₜ‖"),
    (r"\eta_\text{max} \cdot \min(t^{-0.5}, t \cdot T_\text{warmup}^{-1.5})",
     "ηₘₐₓ · min(t^(-0.5), t · T_warmup^(-1.5))"),
    (r"\max(\hat{v}_{t-1}, v_t)", "max(v̂ₜ₋₁, vₜ)"),
    (r"t \le T \leq U \geq 0 \to \infty", "t ≤ T ≤ U ≥ 0 → ∞"),
    (r"\epsilon = 10^{-8}", "ε = 10⁻⁸"),
    (r"Q^\top", "Qᵀ"),
    (r"\det\begin{pmatrix}1 & 2\\ 3 & 4\end{pmatrix}", "det(1 2; 3 4)"),
    (r"\mathbb{E}\left[\frac{m_t}{1-\beta_1^t}\right]", "𝔼[mₜ/(1-β₁ᵗ)]"),
    (r"\hat m_t", "m̂ₜ"),
    (r"3 \times 10^{-4} \approx \pm 1", "3 × 10⁻⁴ ≈ ± 1"),
])
def test_deck_latex_reads_as_unicode(latex, shown):
    assert latex_to_unicode(latex) == shown


def test_only_dollar_spans_are_converted():
    assert render_math(r"Adam uses $\beta_1 = 0.9$ and costs \$5") == r"Adam uses β₁ = 0.9 and costs \$5"
    assert render_math("no maths here") == "no maths here"
    assert render_math(r"display $$\sqrt{t}$$ too") == "display √t too"


def test_markdown_mode_escapes_what_markdown_would_eat():
    assert render_math(r"$T_\text{warmup} \cdot a*b$", markdown=True) == r"T\_warmup · a\*b"


@pytest.mark.parametrize("hostile", [
    r"\frac{", r"\sqrt", "}}}}", r"\begin{pmatrix}1 & 2", "^_^_", "\\", r"\hat{}", "{" * 5000,
    r"\unknowncommand{x}", "x" * 100_000,
])
def test_hostile_input_gives_text_not_an_exception(hostile):
    assert isinstance(latex_to_unicode(hostile), str)
    assert isinstance(render_math(f"${hostile}$"), str)


def test_unknown_command_shows_its_name():
    assert latex_to_unicode(r"\foo + 1") == "foo + 1"


@pytest.mark.parametrize("nested", [r"\mathrm{" * 3000, r"\begin{pmatrix}" * 3000, r"\sqrt{" * 3000])
def test_deep_nesting_is_bounded(nested):
    assert isinstance(latex_to_unicode(nested), str)


def test_markdown_keeps_arithmetic_stars_literal_but_not_emphasis():
    from tutor.content.mathtext import render_markdown

    assert render_markdown("1*4 - 2*3 = -2") == r"1\*4 - 2\*3 = -2"
    assert render_markdown("**bold** and *it*") == "**bold** and *it*"
    assert render_markdown(r"so $\hat{m}_t$ is **unbiased**") == "so m̂ₜ is **unbiased**"



def test_math_problems_names_what_the_converter_would_hide():
    from tutor.content.mathtext import math_issues

    assert math_issues(r"\hat{m}_t = \frac{m_t}{1 - \beta_1^t}") == []
    assert math_issues(r"\frac{1}{2") == ["1 '{' never closed"]
    assert math_issues(r"a}") == ["a '}' closes nothing"]
    assert math_issues(r"\betta + \gamme") == [r"unknown commands \betta, \gamme"]
    assert math_issues("x^") == ["'^' or '_' with nothing after it"]


@pytest.mark.parametrize("text, markdown", [
    ("(1 - beta1**t)", r"(1 - beta1\*\*t)"),
    ("d_model**-0.5", r"d_model\*\*-0.5"),
    ("call __init__", r"call \_\_init\_\_"),
    ("`beta1**t` and `1*10^-3`", "`beta1**t` and `1*10^-3`"),  # code spans are shown as written
    ("``a ` b**c``", "``a ` b**c``"),
    ("```\nx**2\n```\ny**2", "```\nx**2\n```\ny\\*\\*2"),
    ("`unclosed x**2", r"`unclosed x\*\*2"),
])
def test_code_in_prose_is_never_emphasis(text, markdown):
    from tutor.content.mathtext import render_markdown

    assert render_markdown(text) == markdown


def test_a_code_span_holds_any_text():
    from tutor.content.mathtext import code_span

    assert code_span("1*10^-3") == "`1*10^-3`"
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x") == "`` `x ``"


@pytest.mark.parametrize("written, shown", [
    ("sigma^2", "σ²"), ("E[hat_m_t]", "E[m̂ₜ]"), ("beta1^(t-i) * g_i", "β₁⁽ᵗ⁻ⁱ⁾ · gᵢ"), ("eta_max", "ηₘₐₓ"),
    ("1/sqrt(d*w)", "1/√(d·w)"), ("a**2", "a²"),
    ("d^(-0.5) * min(w, 1)", "d^(-0.5) · min(w, 1)"),  # no small form for the point: as written
    ("fp32_state", "fp₃₂_state"), ("sum(beta^k, k, 0, inf)", "sum(βᵏ, k, 0, inf)"),
])
def test_a_derivation_expression_reads_as_unicode_as_written(written, shown):
    assert expression_to_unicode(written) == shown


@pytest.mark.parametrize("hostile", ["a_" * 5000 + "!", "^(" * 5000, "hat_" * 4000, "\x1b[31m sigma"])
def test_a_hostile_expression_gives_text_back(hostile):
    assert isinstance(expression_to_unicode(hostile), str)
