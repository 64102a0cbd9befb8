"""Reading the numbers a learner writes in free text, with a small tokenizer and no eval.

Accepted spellings of one value: `0.001`, `.001`, `1e-3`, `1E-03`, `10^-3`, `10^{-3}`,
`10**-3`, `1/1000`, `1*10^-3`, `1×10⁻³`, `1,000`, `50%`, and number words ("ten", "a
thousand", "one hundred"). Words and units around a number are ignored ("about 1000 steps",
"10x", "2×"); digits glued after letters are part of a name (`beta2`, `g1`), not numbers.

Everything is exact (`Fraction`) and bounded: a literal of at most MAX_DIGITS digits, a
power of ten of at most MAX_EXPONENT, no towers of powers. Text past a limit is a
`NumberError` with a one-line reason, never a hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

MAX_TEXT = 2_000
MAX_DIGITS = 40
MAX_EXPONENT = 400
MAX_NUMBERS = 20

SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+"))
MINUS = "-−–"
TIMES = "*×·⋅x"
UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
         "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
WORD_MULTIPLES: dict[str, int | Fraction] = {"twice": 2, "double": 2, "half": Fraction(1, 2), "thrice": 3}


class NumberError(ValueError):
    """Text that cannot be read as numbers within the limits; the message is for the learner."""


@dataclass(frozen=True)
class Found:
    """One number in the text: its exact value and where it was written."""

    value: Fraction
    text: str
    start: int


class _Scanner:
    """Reads numbers from left to right; `pos` only ever moves forward, so time is linear."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def peek(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t"):
            self.pos += 1

    def digits(self) -> str:
        start = self.pos
        while self.peek().isascii() and self.peek().isdigit():
            self.pos += 1
            if self.pos - start > MAX_DIGITS:
                raise NumberError(f"a number longer than {MAX_DIGITS} digits")
        return self.text[start:self.pos]

    def literal(self) -> Fraction | None:
        """`1`, `1.5`, `.5`, `1,000`, `1e-3`; None (and no move) when no literal starts here."""
        start = self.pos
        whole = self.digits()
        while whole and self.peek() == "," and self.text[self.pos + 1:self.pos + 4].isdigit() and (
                not self.text[self.pos + 4:self.pos + 5].isdigit()):
            self.pos += 1
            whole += self.digits()
            if len(whole) > MAX_DIGITS:
                raise NumberError(f"a number longer than {MAX_DIGITS} digits")
        frac = ""
        if self.peek() == "." and self.peek(1).isascii() and self.peek(1).isdigit():
            self.pos += 1
            frac = self.digits()
        elif self.peek() == "." and whole:
            self.pos += 1  # "1." is one
        if not whole and not frac:
            self.pos = start
            return None
        if len(whole) + len(frac) > MAX_DIGITS:
            raise NumberError(f"a number longer than {MAX_DIGITS} digits")
        value = Fraction(int(whole or "0") * 10 ** len(frac) + int(frac or "0"), 10 ** len(frac))
        if self.peek() in "eE":
            mark = self.pos
            self.pos += 1
            sign = self.sign()
            power = self.digits()
            if power:
                value *= _ten_to(sign * int(power))
            else:
                self.pos = mark
        return value

    def sign(self) -> int:
        if self.peek() in MINUS and self.peek():
            self.pos += 1
            return -1
        if self.peek() == "+":
            self.pos += 1
        return 1

    def exponent(self) -> int | None:
        """After `^` or `**`: `-3`, `{-3}`, `(-3)`, `⁻³`; None if no whole-number exponent follows."""
        if self.peek() in SUPERSCRIPTS:
            raw = ""
            while self.peek() in SUPERSCRIPTS:
                raw += SUPERSCRIPTS[self.peek()]
                self.pos += 1
            return _int_exponent(raw)
        if self.peek() == "^" or self.text.startswith("**", self.pos):
            mark = self.pos
            self.pos += 1 if self.peek() == "^" else 2
            self.skip_spaces()
            close = {"{": "}", "(": ")"}.get(self.peek())
            if close:
                self.pos += 1
                self.skip_spaces()
            sign = self.sign()
            power = self.digits()
            if close:
                self.skip_spaces()
                if self.peek() != close:
                    power = ""
                self.pos += 1
            if not power:
                self.pos = mark
                return None
            if self.peek() == "^" or self.text.startswith("**", self.pos) or self.peek() in SUPERSCRIPTS:
                raise NumberError("a power of a power is not a number to check")
            return _int_exponent(str(sign * int(power)))
        return None

    def factor(self) -> Fraction | None:
        """A literal with an optional power: `10^-3`, `10⁻³`, `2**10`."""
        value = self.literal()
        if value is None:
            return None
        power = self.exponent()
        if power is not None:
            if value == 0 and power < 0:
                raise NumberError("zero to a negative power")
            if value not in (0, 1) and abs(power) * max(len(str(value.numerator)), len(str(value.denominator))) > (
                    MAX_EXPONENT):
                raise NumberError(f"a power beyond 10^{MAX_EXPONENT}")
            value = value ** power
        return value

    def number(self) -> Fraction | None:
        """`a`, `a×10^b`, `a/b`, `a%`: one value; None when no number starts here."""
        value = self.factor()
        if value is None:
            return None
        mark = self.pos
        self.skip_spaces()
        if self.peek() in TIMES and self.peek():
            self.pos += 1
            self.skip_spaces()
            right = self.factor()
            if right is not None and (self.peek() == "" or not self.peek().isalnum()):
                return value * right
            self.pos = mark
        elif self.peek() == "/":
            self.pos += 1
            self.skip_spaces()
            right = self.factor()
            if right is not None and right != 0:
                return value / right
            if right == 0:
                raise NumberError("division by zero")
            self.pos = mark
        else:
            self.pos = mark
        if self.peek() == "%":
            self.pos += 1
            return value / 100
        return value


def _ten_to(power: int) -> Fraction:
    if abs(power) > MAX_EXPONENT:
        raise NumberError(f"a power beyond 10^{MAX_EXPONENT}")
    return Fraction(10) ** power


def _int_exponent(raw: str) -> int:
    digits = raw.lstrip("+-")
    if not digits.isdigit():
        raise NumberError("an exponent that is not a whole number")
    if len(digits) > 4 or int(digits) > MAX_EXPONENT:
        raise NumberError(f"a power beyond 10^{MAX_EXPONENT}")
    return int(raw)


def _word_number(words: list[str]) -> Fraction | None:
    """`a thousand`, `one hundred`, `twenty five`, `ten`: the value of a run of number words."""
    total, current, seen = 0, 0, False
    for word in words:
        if word in ("a", "and") and seen is not None:
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in SCALES:
            current = (current or 1) * SCALES[word]
            if SCALES[word] > 100:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return Fraction(total + current) if seen else None


def find_numbers(text: str) -> list[Found]:
    """Every number written in `text`, in order; raises NumberError past the limits."""
    if len(text) > MAX_TEXT:
        raise NumberError(f"an answer longer than {MAX_TEXT} characters")
    scanner = _Scanner(text)
    found: list[Found] = []
    words: list[tuple[str, int]] = []

    def flush_words() -> None:
        while words:
            run = [w for w, _ in words]
            value = _word_number(run)
            if value is not None and any(w not in ("a", "and") for w in run):
                found.append(Found(value, " ".join(run), words[0][1]))
            words.clear()

    while scanner.pos < len(text):
        ch = scanner.peek()
        start = scanner.pos
        if ch.isalpha() or ch == "_":
            while scanner.peek().isalnum() or scanner.peek() == "_":
                scanner.pos += 1
            word = text[start:scanner.pos].lower()
            if word in UNITS or word in SCALES or (word in ("a", "and") and words) or (
                    word == "a" and _starts_word_number(text, scanner.pos)):
                words.append((word, start))
                continue
            flush_words()
            if word in WORD_MULTIPLES:
                found.append(Found(Fraction(WORD_MULTIPLES[word]), word, start))
            continue
        if ch.isspace() or ch == "-" and words:
            scanner.pos += 1
            continue
        flush_words()
        negative = False
        if ch in MINUS and (start == 0 or not text[start - 1].isalnum()):
            scanner.pos += 1
            negative = True
        value = scanner.number()
        if value is None:
            scanner.pos = start + 1
            continue
        found.append(Found(-value if negative else value, text[start:scanner.pos].strip(), start))
        if len(found) > MAX_NUMBERS:
            raise NumberError(f"more than {MAX_NUMBERS} numbers")
    flush_words()
    return found


def _starts_word_number(text: str, pos: int) -> bool:
    rest = text[pos:pos + 12].lstrip().lower()
    return any(rest.startswith(w) for w in (*UNITS, *SCALES))


def close_enough(given: Fraction | float, expected: float, rtol: float, atol: float) -> bool:
    """|given - expected| <= atol + rtol * |expected| (numpy's isclose, without numpy)."""
    try:
        difference = abs(float(given) - expected)
    except OverflowError:
        return False
    return difference <= atol + rtol * abs(expected)


def one_number(text: str) -> Fraction:
    """The single value written in `text`; NumberError when there is none or two that differ."""
    found = find_numbers(text)
    if not found:
        raise NumberError("no number found")
    first = found[0].value
    for other in found[1:]:
        if other.value != first:
            raise NumberError(f"two different numbers ({found[0].text} and {other.text}): give one")
    return first


@dataclass(frozen=True)
class Precision:
    """How precisely a question asks for a number: `digits` decimals, or significant figures."""

    digits: int
    significant: bool


_ASKED = re.compile(r"\b(\d+|[a-z]+)[ -](decimals?|decimal places?|significant figures?)\b", re.IGNORECASE)


def asked_precision(question: str) -> Precision | None:
    """The precision a question asks for ("(three decimals)", "(3 significant figures)"), if any."""
    match = _ASKED.search(question)
    if match is None:
        return None
    count, unit = match.group(1).lower(), match.group(2).lower()
    digits = int(count) if count.isdigit() else UNITS.get(count)
    if not digits or digits > 15:
        return None
    return Precision(digits, unit.startswith("significant"))


def at_precision(value: float, precision: Precision) -> str:
    """`value` written as the question asks for it: 0.410 for three decimals, 2.44 or 1,000 for
    three significant figures (trailing zeros kept: they are part of the precision)."""
    if not precision.significant:
        return f"{value:,.{precision.digits}f}"
    if value == 0:
        return f"{0:.{precision.digits - 1}f}"
    exponent = int(f"{value:.{precision.digits - 1}e}".split("e")[1])  # after rounding: 9.996 -> 1.00e+01
    if exponent < -4:
        return f"{value:.{precision.digits - 1}e}"
    decimals = precision.digits - 1 - exponent
    return f"{value:,.{decimals}f}" if decimals > 0 else f"{round(value, decimals):,.0f}"


def shown_number(value: float, question: str) -> str:
    """A number answer as shown to the learner: at the precision `question` asks for, else `:g`."""
    precision = asked_precision(question)
    return at_precision(value, precision) if precision else f"{value:g}"
