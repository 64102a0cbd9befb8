"""Text rules shared by grading and validation: typed answers, cloze markup and key points.

Typed text answers compare after folding case, Unicode, spaces and punctuation, and a long
answer may be a few letters off (`allowed_edits`; its digits must be exact). Key points match by meaning: words are
stemmed, small words and number spellings fold, and a phrase must appear in order with at
most one other word between its words (never a negation).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from fractions import Fraction

_SPACE = re.compile(r"\s+")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
_ASIDE = re.compile(r"\([^()]*\)")
_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?|[a-z]+")

MATH_WORDS = {"∑": " sum ", "Σ": " sum ", "√": " sqrt ", "∞": " inf ", "≈": " approx ", "&": " and ",
              "→": " to ", "∝": " proportional ", "−": "-", "×": "*", "·": "*", "⋅": "*"}
STOPWORDS = frozenset({
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these",
    "those", "of", "to", "at", "in", "on", "by", "for", "with", "and", "or", "so", "as", "very", "just", "then",
    "there", "which", "will", "would", "can", "could", "should", "has", "have", "had", "does", "do"})
NEGATIONS = frozenset({"not", "no", "never", "without", "don", "doesn", "isn", "aren", "wasn", "cannot", "nor",
                       "neither"})
SYNONYMS = {"start": "init", "begin": "init", "initializ": "init", "initial": "init", "lr": "learn rate",
            "wd": "weight decay"}
NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))}
MAX_KEY_POINT_TEXT = 20_000


def fold(text: str) -> str:
    """Case, accents, Greek letters (β -> beta), maths signs and compatibility forms folded."""
    text = "".join(MATH_WORDS.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text)
    out = []
    for ch in text:
        if unicodedata.combining(ch):
            continue
        if "\u0370" <= ch <= "\u03ff":
            name = unicodedata.name(ch, "")
            if "LETTER" in name:
                ch = f" {name.rsplit(' ', 1)[-1].lower()} "
        out.append(ch)
    return "".join(out).casefold()


def normalize_answer(text: str) -> str:
    """A typed text answer as compared: folded, with every space and punctuation mark gone."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def allowed_edits(expected: str) -> int:
    """Typos forgiven in a text answer: none under 8 letters and digits, 1 up to 15, then 2."""
    n = len(expected)
    return 0 if n < 8 else 1 if n < 16 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from a to b, giving up with
    limit + 1 once more are needed; the cost is bounded by len(a) * len(b) of short answers."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def text_matches(given: str, expected: str) -> bool:
    """A typed text answer against one accepted answer, a parenthesised aside ignored."""
    want = normalize_answer(expected)
    for candidate in (given, _ASIDE.sub(" ", given)):
        got = normalize_answer(candidate)
        if got == want:
            return True
        if got and _DIGITS.findall(got) == _DIGITS.findall(want) and (
                edit_distance(got, want, allowed_edits(want)) <= allowed_edits(want)):
            return True  # a typo in a word, never in a number: 2016 is not 2015
    return False


def typed_answer_matches(given: str, accept: Sequence[str]) -> bool:
    return any(text_matches(given, a) for a in accept)


def char_diff(given: str, expected: str) -> str:
    """Anki-style comparison: the typed text with `[-x]` for extra and `[+y]` for missing characters."""
    from difflib import SequenceMatcher

    out = []
    same_case = len(given.lower()) == len(given) and len(expected.lower()) == len(expected)
    a, b = (given.lower(), expected.lower()) if same_case else (given, expected)  # case is not an error
    for op, a1, a2, b1, b2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(given[a1:a2])
            continue
        if a2 > a1:
            out.append(f"[-{given[a1:a2]}]")
        if b2 > b1:
            out.append(f"[+{expected[b1:b2]}]")
    return "".join(out)


# -- key points ------------------------------------------------------------------------------

def _stem(word: str) -> str:
    """A small suffix stripper, the same on both sides: oscillations, oscillating, oscillate -> oscillat."""
    for _ in range(3):
        before = word
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif re.search(r"i[sz](e|ed|es|ing|ation|ations)$", word) and len(word) > 5:
            word = re.sub(r"i[sz](e|ed|es|ing|ation|ations)$", "iz", word)
        elif len(word) > 6 and word.endswith(("ion", "ions")):
            word = word[:word.rindex("ion")]
        elif len(word) > 5 and word.endswith("ing"):
            word = word[:-3]
        elif len(word) > 4 and (word.endswith("ed") or re.search(r"(s|x|z|ch|sh)es$", word)):
            word = word[:-2]
        elif (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))) or (
                len(word) > 4 and word.endswith("e")):
            word = word[:-1]
        if word == before:
            break
    return word


def _number_token(token: str) -> str:
    try:
        value = Fraction(token)
    except (ValueError, ZeroDivisionError):
        return token
    return str(value)


def meaning_tokens(text: str) -> list[str]:
    """The words that carry meaning, stemmed, with numbers by value (`8-bit` -> 8, bit)."""
    tokens: list[str] = []
    for token in _TOKEN.findall(fold(text[:MAX_KEY_POINT_TEXT])):
        if token[0].isdigit():
            tokens.append(_number_token(token))
            continue
        if token in NUMBER_WORDS:
            tokens.append(NUMBER_WORDS[token])
            continue
        if token in STOPWORDS:
            continue
        stem = _stem(token)
        tokens.extend(SYNONYMS.get(stem, stem).split())
    return tokens


def phrase_found(phrase: str, answer_tokens: Sequence[str]) -> bool:
    """Every word of the phrase in order, at most one other word between two of them, no negation."""
    wanted = meaning_tokens(phrase)
    if not wanted:
        return False
    for start, token in enumerate(answer_tokens):
        if token != wanted[0]:
            continue
        pos, ok = start, True
        for word in wanted[1:]:
            window = answer_tokens[pos + 1:pos + 3]
            if word in window[:1]:
                pos += 1
            elif len(window) == 2 and window[1] == word and window[0] not in NEGATIONS:
                pos += 2
            else:
                ok = False
                break
        if ok and (start == 0 or answer_tokens[start - 1] not in NEGATIONS):
            return True
    return False


def key_point_covered(match: Sequence[str], answer: str, phrases: Sequence[str] = ()) -> bool:
    """A key point is covered when a match pattern (case-insensitive regex) occurs in the
    answer, or one of its phrases is found by meaning (`phrase_found`)."""
    if any(re.search(pattern, answer[:MAX_KEY_POINT_TEXT], re.I) for pattern in match):
        return True
    if not phrases:
        return False
    tokens = meaning_tokens(answer)
    return any(phrase_found(phrase, tokens) for phrase in phrases)


# -- cloze -----------------------------------------------------------------------------------

def cloze_parts(text: str) -> list[tuple[int, str, str | None]]:
    """The `{{cN::answer::hint}}` deletions of a cloze text as (N, answer, hint)."""
    return [(int(n), ans, hint) for n, ans, hint in _CLOZE.findall(text)]


_MATH = re.compile(r"\$\$.*?\$\$|(?<!\\)\$.*?(?<!\\)\$", re.S)
CLOZE_FORM = "write {{c1::answer}} or {{c1::answer::hint}}"
# An answer the learner types from memory: an accepted text or a cloze deletion longer than
# this is refused at its line (comparing a typed answer with it costs time as the product of
# the two lengths), and so are more accepted texts than MAX_ACCEPTED.
MAX_ANSWER_TEXT = 300
MAX_ACCEPTED = 20


def cloze_problem(text: str) -> str | None:
    """What is wrong with a cloze text's deletions, naming the deletion (1 = the first), or None."""
    found: list[re.Match] = []
    at = text.find("{{")
    if at < 0:
        return "a cloze card needs at least one {{c1::...}} deletion"
    while at >= 0:
        match = _CLOZE.match(text, at)
        number = len(found) + 1
        if match is None:
            return f"deletion {number} ({_shown(text[at:at + 40])}) is malformed: {CLOZE_FORM}"
        shown = _shown(match.group(0) + text[match.end():match.end() + 1])
        if not match.group(2).strip():
            return f"deletion {number} ({shown}) has an empty answer: {CLOZE_FORM}"
        if len(match.group(2)) > MAX_ANSWER_TEXT:
            return (f"deletion {number} ({_shown(match.group(0)[:40])}) is longer than {MAX_ANSWER_TEXT} "
                    "characters: a deletion is an answer typed from memory")
        if text.startswith("}", match.end()):
            return (f"deletion {number} ({shown}) ends in }}}}}}: its answer's closing brace ends the "
                    "deletion early; put a space before the final }}")
        found.append(match)
        at = text.find("{{", match.end())
    blanked = _CLOZE.sub(lambda m: "#" * len(m.group(0)), text)
    spans = [m.span() for m in _MATH.finditer(blanked)]
    for number, match in enumerate(found, 1):
        if any(start < match.start() < end for start, end in spans):
            return (f"deletion {number} ({_shown(match.group(0))}) is inside $...$, where the maths "
                    "is shown whole: put the whole formula in the deletion ({{c1::$...$}}) or the "
                    "deletion outside the dollars")
    return None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")


def cloze_indices(text: str) -> list[int]:
    """The distinct deletion numbers of a cloze text, ascending: each is one review item."""
    return sorted({n for n, _, _ in cloze_parts(text)})


def cloze_front(text: str, index: int | None = None) -> str:
    """The cloze text with deletion `index` hidden as `[...]` (or `[hint]`) and the others shown;
    every deletion hidden when `index` is None."""
    def hide(m: re.Match) -> str:
        if index is None or int(m.group(1)) == index:
            return f"[{m.group(3) or '...'}]"
        return m.group(2)

    return _CLOZE.sub(hide, text)


def cloze_back(text: str, index: int | None = None) -> str:
    """The cloze text with deletion `index` (every deletion when None) shown in bold."""
    def show(m: re.Match) -> str:
        return f"**{m.group(2)}**" if index is None or int(m.group(1)) == index else m.group(2)

    return _CLOZE.sub(show, text)
