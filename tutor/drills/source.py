"""The learner's file read without running it: load errors found early, body lines counted.

Used by every check before the child runs (no numpy here: the fast path stays light).
"""

from __future__ import annotations

import ast
import threading

SOURCE_LIMIT = 100_000

# CPython 3.11 keeps the counter that bounds building a syntax tree per interpreter, not per
# thread (gh-106905): two threads parsing at once can fail with "AST constructor recursion
# depth mismatch" or a spurious RecursionError, and the app checks drills in threads. Textual's
# own parse of action strings takes it too (`tutor.tui.actions`).
PARSE_LOCK = threading.Lock()


PARSE_ERRORS = (SyntaxError, ValueError, MemoryError, RecursionError)


def parse_python(source: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse`, one thread at a time (every parse of learner or deck Python goes here);
    raises one of PARSE_ERRORS, which `unparsable` puts in words."""
    with PARSE_LOCK:
        return ast.parse(source, filename)


def unparsable(exc: BaseException) -> str:
    """Why a text is not Python, in one line: the syntax error and its line, or that it nests
    deeper than the parser goes (CPython gives a MemoryError or RecursionError without words)."""
    if isinstance(exc, (MemoryError, RecursionError)):
        return "it nests too deeply to be parsed"
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"syntax error on line {exc.lineno}: {exc.msg}"
    return f"syntax error: {getattr(exc, 'msg', None) or exc}"


def body_line_count(tree: ast.Module, source: str, name: str) -> int | None:
    """Lines of the function's body, not counting blanks, comments and the docstring."""
    function = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            function = node
    if function is None:
        return None
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    lines = source.splitlines()
    numbers = {n for stmt in body for n in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)}
    return sum(1 for n in numbers
               if n <= len(lines) and lines[n - 1].strip() and not lines[n - 1].strip().startswith("#"))


def _defines(tree: ast.Module, name: str) -> bool:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name) == name for a in node.names):
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)):
                return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and any(
                isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
                for n in ast.walk(node)):
            return True
    return False


def static_error(source: str, function: str) -> tuple[str | None, ast.Module | None]:
    """A load error found without running anything, and the parsed tree."""
    if len(source) > SOURCE_LIMIT:
        return f"the file is too long ({len(source)} characters; the limit is {SOURCE_LIMIT})", None
    try:
        tree = parse_python(source, "solution.py")
    except PARSE_ERRORS as exc:
        return unparsable(exc), None
    if not _defines(tree, function):
        return f"the file does not define {function}()", tree
    return None, tree


NO_DEFAULT = object()  # a parameter without a default (or one that is not a plain number)


def parameters(source: str, name: str) -> list[tuple[str, object]] | str:
    """The parameters of the top-level function `name` in `source`, read from its syntax tree
    (the code is not run): [(name, plain-number default or NO_DEFAULT)], or why not."""
    try:
        tree = parse_python(source)
    except PARSE_ERRORS as exc:
        return f"is not valid Python ({unparsable(exc)})"
    functions = [node for node in tree.body
                 if isinstance(node, ast.FunctionDef) and node.name == name]
    if not functions:
        return f"does not define {name}() at its top level"
    args = functions[-1].args
    if args.vararg or args.kwarg or args.kwonlyargs:
        return f"{name}() takes *args, **kwargs or keyword-only arguments; a drill passes each by position"
    positional = args.posonlyargs + args.args
    defaults = [NO_DEFAULT] * (len(positional) - len(args.defaults)) + [
        _number(node) for node in args.defaults]
    return [(arg.arg, default) for arg, default in zip(positional, defaults)]


def _number(node: ast.expr) -> object:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NO_DEFAULT
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else NO_DEFAULT
