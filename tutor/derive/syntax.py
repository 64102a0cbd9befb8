"""Tokeniser and parser for one line of learner maths, producing a small syntax tree.

Pure Python, no SymPy: this is the only code that ever sees raw learner text, and it is
bounded (line length, token count, nesting depth, literal size), so hostile input is
rejected in milliseconds with a column and what was expected.  `tutor.derive.build` turns
the tree into SymPy objects; nothing here is ever passed to eval, sympify or parse_expr.

Grammar (one line):
    line    := ["="] expr ("=" expr)*            # "#" starts a comment
    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary | unary)*    # juxtaposition multiplies: 2 g
    unary   := ("-" | "+") unary | power
    power   := atom [("^" | "**") unary]         # right-associative: a^b^c = a^(b^c)
    atom    := NUMBER | NAME | NAME "(" args ")" | "E" "[" expr "]" | "(" expr ")"
             | NAME_ "{" expr "}" | NAME_ "(" expr ")"  # an index expression: m_{t-1}, g_(t+1)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tutor.errors import TutorError

MAX_LINES = 200  # lines checked per derivation
MAX_LINE_CHARS = 500
MAX_TOKENS = 400
MAX_DEPTH = 40
MAX_LITERAL_CHARS = 30
MAX_LITERAL_EXPONENT = 64


class ParseError(TutorError, ValueError):
    """A line the grammar rejects; `col` is 1-based in the learner's line."""

    def __init__(self, message: str, col: int = 1):
        super().__init__(message)
        self.message = message
        self.col = col

    def __str__(self) -> str:
        return f"col {self.col}: {self.message}"


# A plain record, like the content models: its fields are all the parser hands to `tutor.derive.build`.
@dataclass(frozen=True)
class Node:
    """A syntax-tree node: kind is num|name|neg|add|sub|mul|div|pow|call|expect|index.

    An `index` node is a family member with an index expression, `m_{t-1}`: `value` is the
    family name (`m`), its one child the index."""

    kind: str
    col: int
    value: str = ""
    children: tuple["Node", ...] = ()


@dataclass(frozen=True)
class Token:
    kind: str  # num | name | op | end
    text: str
    col: int


GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda",
    "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Σ": "Sigma", "Φ": "Phi",
    "Ψ": "Psi", "Ω": "Omega",
}
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "0123456789aeoxhklmnpstijruv"))
SUPERSCRIPT_POWERS = {"²": "2", "³": "3"}
OPERATOR_ALIASES = {
    "·": "*", "⋅": "*", "×": "*", "∗": "*", "−": "-", "–": "-", "÷": "/", "∞": "oo",
    "𝔼": "E",
}
COMBINING_HAT = "\u0302"
SINGLE_OPS = set("+-*/^()[]{},=")


def _is_name_start(ch: str) -> bool:
    return ch == "_" or ch in GREEK or (ch.isascii() and ch.isalpha())


def _is_name_char(ch: str) -> bool:
    return _is_name_start(ch) or (ch.isascii() and ch.isdigit()) or ch in SUBSCRIPTS or (
        ch == COMBINING_HAT
    )


def _normalise_name(raw: str) -> str:
    """ASCII spelling of a name: β₁ -> beta_1, m̂ₜ -> hat_m_t, θ -> theta."""
    segments: list[str] = []
    current = ""
    hatted = False
    in_subscript = False
    for ch in raw:
        if ch == COMBINING_HAT:
            hatted = True
            continue
        if ch in SUBSCRIPTS:
            if not in_subscript:
                segments.append(("hat_" if hatted else "") + current)
                current, hatted, in_subscript = "", False, True
            current += SUBSCRIPTS[ch]
            continue
        if ch == "_":
            segments.append(("hat_" if hatted else "") + current)
            current, hatted, in_subscript = "", False, False
            continue
        if in_subscript:
            segments.append(current)
            current, in_subscript = "", False
        current += GREEK.get(ch, ch)
    segments.append(("hat_" if hatted else "") + current)
    return "_".join(segments)


def tokenize(line: str) -> list[Token]:
    """Split one line into tokens, dropping a trailing `#` comment."""
    if len(line) > MAX_LINE_CHARS:
        raise ParseError(f"line too long ({len(line)} characters; at most {MAX_LINE_CHARS})")
    tokens: list[Token] = []
    pos = 0
    n = len(line)
    while pos < n:
        ch = line[pos]
        col = pos + 1
        decomposed = unicodedata.normalize("NFD", ch)
        if ch == "#":
            break
        if ch.isspace():
            pos += 1
            continue
        if ch in OPERATOR_ALIASES:
            alias = OPERATOR_ALIASES[ch]
            tokens.append(Token("name" if alias.isalpha() else "op", alias, col))
            pos += 1
        elif ch in SUPERSCRIPT_POWERS:
            tokens.append(Token("op", "^", col))
            tokens.append(Token("num", SUPERSCRIPT_POWERS[ch], col))
            pos += 1
        elif ch.isascii() and (ch.isdigit() or (ch == "." and pos + 1 < n and line[pos + 1].isdigit())):
            end = pos
            while end < n and line[end].isascii() and line[end].isdigit():
                end += 1
            if end < n and line[end] == ".":
                end += 1
                while end < n and line[end].isascii() and line[end].isdigit():
                    end += 1
            if end < n and line[end] in "eE":
                exp_end = end + 1
                if exp_end < n and line[exp_end] in "+-":
                    exp_end += 1
                if exp_end < n and line[exp_end].isascii() and line[exp_end].isdigit():
                    while exp_end < n and line[exp_end].isascii() and line[exp_end].isdigit():
                        exp_end += 1
                    end = exp_end
            text = line[pos:end]
            if len(text) > MAX_LITERAL_CHARS:
                raise ParseError(f"number too long (at most {MAX_LITERAL_CHARS} characters)", col)
            mantissa, _, exponent = text.lower().partition("e")
            if exponent and abs(int(exponent)) > MAX_LITERAL_EXPONENT:
                raise ParseError(f"exponent of {text} too large (at most {MAX_LITERAL_EXPONENT})", col)
            tokens.append(Token("num", text, col))
            pos = end
        elif _is_name_start(decomposed[0]):
            end = pos
            raw = ""
            while end < n:
                piece = unicodedata.normalize("NFD", line[end])
                if not all(_is_name_char(c) for c in piece):
                    break
                raw += piece
                end += 1
            tokens.append(Token("name", _normalise_name(raw), col))
            pos = end
        elif line.startswith("**", pos):
            tokens.append(Token("op", "^", col))
            pos += 2
        elif ch in SINGLE_OPS:
            tokens.append(Token("op", ch, col))
            pos += 1
        else:
            shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
            raise ParseError(f"unexpected character {shown}", col)
        if len(tokens) > MAX_TOKENS:
            raise ParseError(f"line too complex (more than {MAX_TOKENS} symbols)", col)
    tokens.append(Token("end", "", n + 1))
    return tokens


def _describe(token: Token) -> str:
    return "the end of the line" if token.kind == "end" else repr(token.text)


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, text: str, what: str) -> Token:
        if self.token.kind == "op" and self.token.text == text:
            return self.take()
        raise ParseError(f"expected {what}, found {_describe(self.token)}", self.token.col)

    def is_op(self, *texts: str) -> bool:
        return self.token.kind == "op" and self.token.text in texts

    def enter(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"too deeply nested (at most {MAX_DEPTH} levels)", col)

    def chain(self) -> list[Node]:
        if self.is_op("="):
            self.take()
        parts = [self.expr()]
        while self.is_op("="):
            self.take()
            parts.append(self.expr())
        if self.token.kind != "end":
            raise ParseError(
                f"expected an operator or the end of the line, found {_describe(self.token)}",
                self.token.col,
            )
        return parts

    def expr(self) -> Node:
        node = self.term()
        while self.is_op("+", "-"):
            op = self.take()
            node = Node("add" if op.text == "+" else "sub", op.col, children=(node, self.term()))
        return node

    def starts_atom(self) -> bool:
        return self.token.kind in ("num", "name") or self.is_op("(")

    def term(self) -> Node:
        node = self.unary()
        while self.is_op("*", "/") or self.starts_atom():
            if self.starts_atom():
                node = Node("mul", self.token.col, children=(node, self.unary()))
                continue
            op = self.take()
            node = Node("mul" if op.text == "*" else "div", op.col, children=(node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.is_op("-", "+"):
            op = self.take()
            self.enter(op.col)
            operand = self.unary()
            self.depth -= 1
            return Node("neg", op.col, children=(operand,)) if op.text == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.is_op("^"):
            op = self.take()
            self.enter(op.col)
            exponent = self.unary()
            self.depth -= 1
            return Node("pow", op.col, children=(base, exponent))
        return base

    def atom(self) -> Node:
        token = self.token
        if token.kind == "num":
            self.take()
            return Node("num", token.col, token.text)
        if token.kind == "name":
            self.take()
            if token.text.endswith("_") and len(token.text) > 1 and self.is_op("{", "("):
                return self.index(token)
            if token.text == "E" and self.is_op("["):
                self.enter(token.col)
                self.take()
                inner = self.expr()
                self.expect("]", "']' to close E[")
                self.depth -= 1
                return Node("expect", token.col, children=(inner,))
            if self.is_op("("):
                self.enter(token.col)
                self.take()
                args = [self.expr()]
                while self.is_op(","):
                    self.take()
                    args.append(self.expr())
                self.expect(")", f"',' or ')' in {token.text}(...)")
                self.depth -= 1
                return Node("call", token.col, token.text, tuple(args))
            return Node("name", token.col, token.text)
        if self.is_op("("):
            self.enter(token.col)
            self.take()
            inner = self.expr()
            self.expect(")", "')'")
            self.depth -= 1
            return inner
        raise ParseError(f"expected a number, a name or '(', found {_describe(token)}", token.col)


    def index(self, family: Token) -> Node:
        """m_{t-1} or m_(t-1): a member of the family m at an index expression."""
        close = "}" if self.take().text == "{" else ")"
        self.enter(family.col)
        inner = self.expr()
        self.expect(close, f"'{close}' to close the index of {family.text}")
        self.depth -= 1
        return Node("index", family.col, family.text[:-1], (inner,))


def parse_line(line: str) -> list[Node]:
    """Parse one line into the expressions it chains with '='; raises ParseError."""
    tokens = tokenize(line)
    if tokens[0].kind == "end":
        raise ParseError("empty expression")
    return _Parser(tokens).chain()


def parse_expression(text: str) -> Node:
    """Parse a single expression (author content: definitions, facts, start, goal)."""
    parts = parse_line(text)
    if len(parts) != 1:
        raise ParseError("expected one expression, found '='")
    return parts[0]


def is_blank(line: str) -> bool:
    """True for a line with nothing but spaces and a comment."""
    return not line.split("#", 1)[0].strip()
