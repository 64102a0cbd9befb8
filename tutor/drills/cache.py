"""A drill's cases and expected outputs kept on disk, so a fresh process needs no numpy to pass.

Building the cases and running the reference on them needs numpy in the parent, which costs
about as much as the whole check is allowed to (ARCHITECTURE.md, Speed budgets). Both depend only on the drill's
definition and on the code that builds them, so they are built once (by `verdict`, with
numpy) and stored here, keyed by a hash of all of that: the drill's id, function, reference,
`cases`, tolerance and mistakes, every source file of `tutor.reference` and `tutor.drills`,
numpy's version file, the Python version and `FORMAT`.

One file per drill, `<cache_dir>/drills/<id>.cases`: the `MAGIC` line, one line of JSON (the
index: key, sizes, case names, output shapes, a SHA-256 of the rest), then the INPUTS bytes
the harness reads, then the expected values (float64, little-endian). The file is untrusted:
anything that does not check out makes `load` return None and the caller rebuilds it. It is
never unpickled or evaluated; it is replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard, cast

FORMAT = 1
MAGIC = b"tutor drill cases\n"
FILE_LIMIT = 16 << 20
INDEX_LIMIT = 1 << 20
MAX_CASES = 1000
MAX_VALUES = 1 << 21
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
_code_digest: bytes | None = None  # the code does not change under a running process


@dataclass(frozen=True)
class CachedCase:
    """One case: its test name (None for a probe case, which is not reported) and the
    reference's outputs, every call stacked: {output name: (shape, values in C order)}."""

    name: str | None
    outputs: dict[str, tuple[tuple[int, ...], list[float]]]


@dataclass(frozen=True)
class CachedCases:
    inputs: bytes  # exactly what the harness reads after `INPUTS <m>`
    cases: list[CachedCase]


def cache_path(drill) -> Path:
    from tutor.config import cache_dir

    name = drill.id if _SAFE_ID.fullmatch(drill.id) else hashlib.sha256(
        drill.id.encode()).hexdigest()[:32]
    return cache_dir() / "drills" / f"{name}.cases"


def _source_digest() -> bytes:
    """A hash of the code the cases and expected values come from, read once per process."""
    global _code_digest
    if _code_digest is None:
        import importlib.util

        package = Path(__file__).resolve().parent.parent
        files = sorted((package / "reference").glob("*.py")) + sorted(
            (package / "drills").glob("*.py"))
        spec = importlib.util.find_spec("numpy")
        if spec is not None and spec.origin:
            files.append(Path(spec.origin).with_name("version.py"))
        digest = hashlib.sha256(repr(sys.version_info[:2]).encode())
        for path in files:
            try:
                data = path.read_bytes()
            except OSError:
                data = b"(unreadable)"
            digest.update(b"%s %d\n" % (path.name.encode(), len(data)) + data)
        _code_digest = digest.digest()
    return _code_digest


def cache_key(drill) -> str:
    """Changes whenever anything the cached cases or expected values depend on changes."""
    tol = drill.tolerance
    described = json.dumps(
        [FORMAT, drill.id, drill.function, drill.reference, drill.cases, [tol.rtol, tol.atol],
         [[m.id, m.variant] for m in drill.mistakes]], sort_keys=True, default=repr)
    return hashlib.sha256(_source_digest() + described.encode()).hexdigest()


def load(drill) -> CachedCases | None:
    """The drill's cached cases, or None when there are none or they cannot be trusted."""
    if sys.byteorder != "little":
        return None  # the values are stored little-endian and read by a native cast
    try:  # a named pipe (or a link to one) would make a plain open wait for a writer forever
        fd = os.open(cache_path(drill), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as cached:
            if not stat.S_ISREG(os.fstat(cached.fileno()).st_mode):
                return None
            data = cached.read(FILE_LIMIT + 1)
    except OSError:
        return None
    try:
        return parse(data, cache_key(drill))
    except (ValueError, TypeError, KeyError, RecursionError):
        return None  # json's errors and any odd shape of the index


def parse(data: bytes, key: str) -> CachedCases | None:
    """Check every size, type and the digest before believing any of it (may raise ValueError
    or TypeError on malformed JSON; `load` treats that as a miss)."""
    if len(data) > FILE_LIMIT or not data.startswith(MAGIC):
        return None
    index_end = data.find(b"\n", len(MAGIC), len(MAGIC) + INDEX_LIMIT)
    if index_end < 0:
        return None
    index = json.loads(data[len(MAGIC):index_end])
    if not isinstance(index, dict) or index.get("format") != FORMAT or index.get("key") != key:
        return None
    body = data[index_end + 1:]
    if hashlib.sha256(body).hexdigest() != index.get("digest"):
        return None
    size, entries = index.get("inputs"), index.get("cases")
    if not _count(size, len(body)) or not isinstance(entries, list) or not (
            0 < len(entries) <= MAX_CASES):
        return None
    layout, total = [], 0
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("outputs"), list):
            return None
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            return None
        shapes: list[tuple[str, tuple[int, ...]]] = []
        for output in entry["outputs"]:
            if (not isinstance(output, list) or len(output) != 2 or not isinstance(output[0], str)
                    or not isinstance(output[1], list)
                    or not all(_count(n, MAX_VALUES) for n in output[1])):
                return None
            shape = tuple(output[1])
            shapes.append((output[0], shape))
            total += math.prod(shape)
            if total > MAX_VALUES:
                return None
        layout.append((name, shapes))
    if len(body) != size + 8 * total:
        return None
    values = cast("list[float]", memoryview(body)[size:].cast("d").tolist())  # format "d": floats
    cases, at = [], 0
    for name, shapes in layout:
        outputs: dict[str, tuple[tuple[int, ...], list[float]]] = {}
        for output, shape in shapes:
            count = math.prod(shape)
            outputs[output] = (shape, values[at:at + count])
            at += count
        cases.append(CachedCase(name, outputs))
    return CachedCases(body[:size], cases)


def _count(value: object, limit: int) -> TypeGuard[int]:
    return type(value) is int and 0 <= value <= limit


def store(drill, inputs: bytes, cases: list[tuple[str | None, dict[str, tuple[tuple[int, ...], bytes]]]]) -> None:
    """Write the drill's cases (values as float64 little-endian bytes), atomically; a cache that
    cannot be written is only slower, so failures are ignored."""
    index = {"format": FORMAT, "key": cache_key(drill), "inputs": len(inputs), "cases": [
        {"name": name, "outputs": [[output, list(shape)] for output, (shape, _) in outputs.items()]}
        for name, outputs in cases]}
    body = inputs + b"".join(values for _, outputs in cases for _, values in outputs.values())
    index["digest"] = hashlib.sha256(body).hexdigest()
    path = cache_path(drill)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as out:
            out.write(MAGIC + json.dumps(index).encode() + b"\n" + body)
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass
