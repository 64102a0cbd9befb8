"""The npy members of a drill result frame, read as `harness.npy_bytes` writes them, without
numpy: by the fast path (`check`) and the full grading (`verdict`) alike. A header is matched
by pattern, never parsed as Python: numpy's own reader uses `ast`, which CPython 3.11 cannot
run in two threads at once, and checks run in threads."""

from __future__ import annotations

import math
import re

NPY_MAGIC = b"\x93NUMPY\x01\x00"
NPY_HEADER = re.compile(rb"\{'descr': '(<f8|\|u1)', 'fortran_order': False, 'shape': "
                        rb"\((|\d{1,9},|\d{1,9}(?:, \d{1,9}){1,4})\), \} *\n")


def read_npy(frame: bytes, start: int, end: int):
    """(descr, shape, raw values) of one npy member at frame[start:end], or None."""
    if frame[start:start + len(NPY_MAGIC)] != NPY_MAGIC or end - start < 10:
        return None
    header_size = int.from_bytes(frame[start + 8:start + 10], "little")
    data_start = start + 10 + header_size
    header = NPY_HEADER.fullmatch(frame, start + 10, data_start) if data_start <= end else None
    if header is None:
        return None
    descr = header.group(1).decode()
    shape = tuple(int(n) for n in header.group(2).split(b",") if n.strip())
    if data_start + math.prod(shape) * (8 if descr == "<f8" else 1) != end:
        return None
    return descr, shape, memoryview(frame)[data_start:end]
