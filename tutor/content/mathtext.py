"""Inline LaTeX (`$...$`) to one line of Unicode, for showing deck text in a terminal.

Covers the subset the decks use: Greek letters, sub/superscripts (Unicode when every character
has a small form, else `_x` / `^(…)`), accents (\\hat, \\bar, \\tilde), \\frac, \\sqrt, \\sum,
\\mathbb, \\mathcal, \\text, \\left/\\right, matrices, \\|x\\| and the usual relations. Deck
text is untrusted: any input gives some text back in linear time, never an exception.
Textual-free, so it is cheap to import and easy to test.
"""

from __future__ import annotations

import re

SYMBOLS = {
    # lower-case Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    # upper-case Greek
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # operators and relations
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆",
    "circ": "∘", "odot": "⊙", "otimes": "⊗", "oplus": "⊕",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "iff": "⇔", "implies": "⇒", "mapsto": "↦",
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩",
    "forall": "∀", "exists": "∃", "emptyset": "∅", "infty": "∞", "nabla": "∇", "partial": "∂",
    "sum": "∑", "prod": "∏", "int": "∫", "ell": "ℓ", "top": "⊤", "perp": "⊥", "prime": "′",
    "dots": "…", "ldots": "…", "cdots": "⋯", "vdots": "⋮", "langle": "⟨", "rangle": "⟩",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "mid": "|", "vert": "|",
    "Vert": "‖", "|": "‖", "{": "{", "}": "}", "$": "$", "%": "%", "&": "&", "#": "#", "_": "_",
    # spacing
    ",": " ", ";": " ", ":": " ", " ": " ", "quad": "  ", "qquad": "  ", "!": "",
}
FUNCTIONS = {"log", "ln", "exp", "min", "max", "sin", "cos", "tan", "det", "arg", "argmin", "argmax",
             "lim", "sup", "inf", "tr", "diag", "sign", "softmax", "var", "Var", "Cov", "E"}
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304",
           "tilde": "\u0303", "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308"}
TEXT_COMMANDS = {"text", "textrm", "textit", "textbf", "mathrm", "mathit", "mathbf", "operatorname",
                 "boldsymbol", "mathsf", "mathtt", "bm"}
IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "displaystyle", "limits"}

_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ", "1": "𝟙"}
_SCRIPT_EXCEPTIONS = {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ"}

_SUPER = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθιφχ⊤−",
                  "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᶥᵠᵡᵀ⁻"))
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvxβγρφχ−",
                "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ₋"))

_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$", re.S)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_MAX_INPUT = 20_000
_MAX_DEPTH = 40


def script_form(text: str, table: dict[str, str]) -> str | None:
    """`text` in small (super/subscript) characters, or None when one has no small form."""
    if not text:
        return None
    out = []
    for ch in text:
        if ch == " ":
            continue
        if ch not in table:
            return None
        out.append(table[ch])
    return "".join(out)


def _needs_parens(text: str) -> bool:
    """Whether a fraction side or script needs brackets to read unambiguously in one line."""
    text = text.strip()
    if len(text) <= 1 or (text.startswith("(") and text.endswith(")") and text.count("(") == 1):
        return False
    if text.startswith("‖") and text.endswith("‖") and text.count("‖") == 2 and " " not in text:
        return False
    return not re.fullmatch(r"[\w.\u0300-\u036f\u20d7′]+", text)


def _wrap(text: str) -> str:
    text = text.strip()
    return f"({text})" if _needs_parens(text) else text


class _Parser:
    """A forgiving recursive-descent reader of LaTeX maths, with bounded nesting."""

    def __init__(self, src: str, depth: int = 0):
        self.src = src
        self.pos = 0
        self.depth = depth

    def sub(self, text: str) -> str:
        """Convert a piece of text at one more level of nesting."""
        return _Parser(text, self.depth + 1).sequence()

    def peek(self) -> str:
        return self.src[self.pos] if self.pos < len(self.src) else ""

    def skip_spaces(self) -> None:
        while self.peek().isspace():
            self.pos += 1

    def command(self) -> str:
        """The name after a backslash (letters, or one other character)."""
        start = self.pos
        while self.pos < len(self.src) and self.src[self.pos].isalpha():
            self.pos += 1
        if self.pos == start and self.pos < len(self.src):
            self.pos += 1
        return self.src[start:self.pos]

    def argument(self) -> str:
        """A braced group or a single atom, converted."""
        self.skip_spaces()
        if self.peek() == "{":
            self.pos += 1
            inner = self.sequence(stop="}")
            if self.peek() == "}":
                self.pos += 1
            return inner
        return self.atom()

    def raw_argument(self) -> str:
        """A braced group kept as text (for \\text and environment names)."""
        self.skip_spaces()
        if self.peek() != "{":
            return self.atom()
        depth, start = 0, self.pos
        while self.pos < len(self.src):
            ch = self.src[self.pos]
            depth += ch == "{"
            depth -= ch == "}"
            self.pos += 1
            if depth == 0:
                return self.src[start + 1:self.pos - 1]
        return self.src[start + 1:]

    def sequence(self, stop: str = "") -> str:
        if self.depth >= _MAX_DEPTH:  # absurd nesting: show the rest as typed
            rest, self.pos = self.src[self.pos:], len(self.src)
            return rest
        self.depth += 1
        try:
            return self._sequence(stop)
        finally:
            self.depth -= 1

    def _sequence(self, stop: str) -> str:
        out: list[str] = []
        while self.pos < len(self.src) and self.peek() not in stop:
            ch = self.peek()
            if ch in "^_":
                self.pos += 1
                out.append(self.script(ch, self.argument()))
            elif ch == "}":  # unbalanced close: drop it
                self.pos += 1
            elif ch.isspace():
                self.skip_spaces()
                out.append(" ")
            else:
                out.append(self.atom())
        return re.sub(r" {2,}", " ", "".join(out))

    @staticmethod
    def script(kind: str, body: str) -> str:
        body = body.strip()
        small = script_form(body, _SUPER if kind == "^" else _SUB)
        if small is not None:
            return small
        if kind == "^" and body in ("′", "'"):
            return "′"
        return kind + (f"({body})" if len(body) > 1 and _needs_parens(body) else body)

    def atom(self) -> str:
        ch = self.peek()
        if not ch:
            return ""
        if ch == "{":
            self.pos += 1
            inner = self.sequence(stop="}")
            if self.peek() == "}":
                self.pos += 1
            return inner
        if ch == "'":
            self.pos += 1
            return "′"
        if ch == "~":
            self.pos += 1
            return " "
        if ch != "\\":
            self.pos += 1
            return ch
        self.pos += 1
        return self.expand(self.command())

    def expand(self, name: str) -> str:
        if name == "\\":
            return "; "
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in IGNORED:
            return ""
        if name == "frac" or name == "dfrac" or name == "tfrac":
            top, bottom = self.argument(), self.argument()
            return f"{_wrap(top)}/{_wrap(bottom)}"
        if name == "sqrt":
            self.skip_spaces()
            index = ""
            if self.peek() == "[":
                end = self.src.find("]", self.pos)
                if end != -1:
                    index = script_form(self.src[self.pos + 1:end], _SUPER) or ""
                    self.pos = end + 1
            return f"{index}√{_wrap(self.argument())}"
        if name in ACCENTS:
            body = self.argument().strip()
            if len(body) == 1:
                return body + ACCENTS[name]
            return f"{name}({body})"
        if name in TEXT_COMMANDS:
            text = self.raw_argument()
            return text if name in ("text", "textrm", "textit", "textbf") else self.sub(text)
        if name == "mathbb":
            body = self.argument().strip()
            return "".join(_BLACKBOARD.get(c, c) for c in body)
        if name == "mathcal" or name == "mathscr":
            body = self.argument().strip()
            return "".join(_script_letter(c) for c in body)
        if name == "begin":
            return self.environment(self.raw_argument())
        if name == "end":
            self.raw_argument()
            return ""
        if name in FUNCTIONS:
            return name
        return name  # unknown command: its name reads better than a backslash

    def environment(self, env: str) -> str:
        """A matrix-like environment as `(a b; c d)`."""
        end = self.src.find(f"\\end{{{env}}}", self.pos)
        body = self.src[self.pos:end if end != -1 else len(self.src)]
        self.pos = end + len(f"\\end{{{env}}}") if end != -1 else len(self.src)
        rows = [r for r in re.split(r"\\\\", body) if r.strip()]
        cells = ["  ".join(self.sub(c).strip() for c in row.split("&")) for row in rows]
        brackets = {"pmatrix": "()", "bmatrix": "[]", "vmatrix": "||", "Bmatrix": "{}"}.get(env, "[]")
        open_, close = brackets[0], brackets[1]
        return open_ + "; ".join(cells) + close


def _script_letter(ch: str) -> str:
    if ch in _SCRIPT_EXCEPTIONS:
        return _SCRIPT_EXCEPTIONS[ch]
    if "A" <= ch <= "Z":
        return chr(0x1D49C + ord(ch) - ord("A"))
    return ch


def latex_to_unicode(src: str) -> str:
    """One LaTeX maths expression (without the dollars) as Unicode text."""
    return _Parser(src[:_MAX_INPUT]).sequence().strip()


# Stars between two operands (`1*4`, `beta1**t`, `2**-0.5`) and double underscores touching a
# name (`__init__`) are code, not emphasis; a fenced block or a `code span` is kept as written.
_CODE_STARS = re.compile(r"(?<=[\w)\]])\*+(?=[\w(\[+-])|__+(?=\w)|(?<=\w)__+")
_CODE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$|(`+)(?!`).*?[^`]\2(?!`)", re.S | re.M)


def render_markdown(text: str) -> str:
    """Deck Markdown ready for a Markdown widget: maths in Unicode and code-like `*` and `__`
    kept literal, outside code spans (whose text Markdown already shows exactly)."""
    text = text or ""
    out, done = [], 0
    for code in _CODE.finditer(text):
        out += [_prose(text[done:code.start()]), code.group(0)]
        done = code.end()
    out.append(_prose(text[done:]))
    return "".join(out)


def code_span(text: str) -> str:
    """`text` as a Markdown code span shown exactly, whatever backticks it holds."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _prose(text: str) -> str:
    """Text outside code: maths converted (and escaped), code-like stars and underscores escaped."""
    out, done = [], 0
    for maths in _MATH.finditer(text):
        out += [_escape_code_marks(text[done:maths.start()]), render_math(maths.group(0), markdown=True)]
        done = maths.end()
    out.append(_escape_code_marks(text[done:]))
    return "".join(out)


def _escape_code_marks(text: str) -> str:
    return _CODE_STARS.sub(lambda mark: "".join("\\" + ch for ch in mark.group(0)), text)


def render_math(text: str, *, markdown: bool = False) -> str:
    """Replace every `$...$` (and `$$...$$`) in `text` by its Unicode form.

    With `markdown=True` the converted maths is escaped, so `*` or `_` in it stay literal
    when the result goes through a Markdown renderer.
    """
    def convert(match: re.Match) -> str:
        out = latex_to_unicode(match.group(1) or match.group(2))
        return _MARKDOWN_SPECIAL.sub(r"\\\1", out) if markdown else out

    return _MATH.sub(convert, text)


_KNOWN_COMMANDS = (set(SYMBOLS) | FUNCTIONS | set(ACCENTS) | TEXT_COMMANDS | IGNORED
                   | {"\\", "frac", "dfrac", "tfrac", "sqrt", "mathbb", "mathcal", "mathscr", "begin", "end"})
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def math_issues(src: str) -> list[str]:
    """What the forgiving converter would paper over in one `$...$` body: unbalanced braces,
    commands it does not know, a script with nothing to raise or lower. For validating decks."""
    issues = []
    depth = 0
    for ch in re.sub(r"\\[{}]", "", src):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            issues.append("a '}' closes nothing")
            depth = 0
    if depth > 0:
        issues.append(f"{depth} '{{' never closed")
    unknown = sorted({m.group(1) for m in _COMMAND.finditer(src)} - _KNOWN_COMMANDS - {""})
    if unknown:
        shown = ", ".join(f"\\{name}" for name in unknown[:5]) + (", ..." if len(unknown) > 5 else "")
        issues.append("unknown command" + ("s " if len(unknown) > 1 else " ") + shown)
    if re.search(r"[\^_]\s*(?:$|[}^_])", src):
        issues.append("'^' or '_' with nothing after it")
    return issues


_CARET = re.compile(r"\^(\(([^()]*)\)|[A-Za-z0-9.]+|[^\W\d_])")
_NAME = re.compile(r"\b(hat_)?([A-Za-z]+?)(\d*)((?:_[A-Za-z0-9]+)*)\b")
_GREEK = {name: letter for name, letter in SYMBOLS.items() if "\u0370" <= letter <= "\u03ff"}
_SMALL_SUBSCRIPT = 3  # longer subscripts (`_state`) stay as written: small letters that long are hard to read


def _unicode_name(match: re.Match) -> str:
    hat, head, digits, subscripts = match.groups()
    if head == "sqrt" and not digits and not subscripts and match.string[match.end():match.end() + 1] == "(":
        return "√"
    out = _GREEK.get(head, head) + ("\u0302" if hat else "")
    parts = [part for part in subscripts.split("_") if part]
    small = script_form(digits + "".join(parts), _SUB) if len("".join(parts)) <= _SMALL_SUBSCRIPT else None
    if small is not None or not (digits or parts):
        return out + (small or "")
    return out + (script_form(digits, _SUB) or "") + "".join("_" + _GREEK.get(part, part) for part in parts)


def expression_to_unicode(text: str) -> str:
    """A derivation's plain-text expression (`sigma^2`, `E[hat_m_t]`, `beta1^t`) as written, in
    Unicode (σ², E[m̂ₜ], β₁ᵗ): names and powers only, never simplified, so it gives nothing away."""
    text = _NAME.sub(_unicode_name, text[:_MAX_INPUT].replace("**", "^"))
    return _CARET.sub(lambda m: script_form(m.group(1), _SUPER) or m.group(0), text).replace("*", "·")
