"""Where SymPy runs: a forked child per check, killed when a line takes too long.

SymPy has no time-out of its own and a learner line can make it work forever, so every check
runs in a child forked from a process that already imported SymPy (a fork then costs a few
milliseconds instead of the half second of a fresh interpreter).  The parent reads one JSON
message per line from a pipe; when a line is not decided within `timeout_s` it kills the
child with SIGKILL, marks that line `timeout` and the rest unchecked.

Two parents exist:
* the CLI process itself (`run_forked`), single-threaded, so forking it is safe;
* `CheckerProcess`, for the TUI: the TUI runs threads, and forking a threaded process is not
  safe, so it starts one *server*, a fresh interpreter (`python -m tutor.derive.server`,
  the equivalent of the "spawn" start method without multiprocessing's re-import of the
  caller's `__main__`); the server imports SymPy once, warms it up, and forks a fresh child
  per check.  A check through it therefore costs one fork plus the SymPy work, and a
  runaway line only ever kills a child: the server stays warm for the next check.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

from tutor.derive import results
from tutor.derive.results import DerivationResult, Step, StepStatus, Summary
from tutor.derive.syntax import MAX_LINES, is_blank

DEFAULT_TIMEOUT_S = 5.0
STARTUP_TIMEOUT_S = 60.0
SERVER_GRACE_S = 10.0
CLOSE_WAIT_S = 0.5
MAX_TEXT_CHARS = 4_000_000  # far beyond 200 lines of 500 characters
TOTAL_BUDGET_LINES = 6  # a whole check may take this many per-line time-outs
# A time limit counts the child's processor time (`_Work`), and the wall clock ends it at this
# many times the limit (a stopped or starved child). A line blamed wrongly is one that needs
# more than 1/WALL_FACTOR of its limit on a machine slower than WALL_FACTOR: the flaky verdict
# came at load 10 on 2 cores (a fifth of a processor each), when the start line of a cold
# child, a few tenths of a second of work, used up its 1 s limit waiting for a processor.
WALL_FACTOR = 3
MEMORY_HEADROOM_BYTES = 1 << 30
MAX_INHERITED_FD = 65536
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WARMUP_SPEC = {
    "id": "warmup",
    "symbols": {"b": {"interval": [0, 1]}, "t": {"integer": True, "positive": True},
                "i": {"integer": True}, "c": {}, "x_i": {"random": True}},
    "definitions": {"s": "(1 - b) * sum(b^(t-i) * x_i, i, 1, t)"},
    "facts": {"E[x_i]": "c"},
    "start": "E[s]",
    "goal": "c*(1 - b^t)",
    "mistakes": [{"line": "c", "message": "warm-up"}],
}
WARMUP_LINES = ["E[s]", "= (1-b)*c*sum(b^(t-i), i, 1, t)", "= c*(1 - b^t)", "= sqrt(c^2)*min(1, 2)"]

OnStep = Callable[[Step], None]


def spec_of(derivation: Any) -> dict:
    """The plain, picklable description of a Derivation that the checker process needs."""
    return {
        "id": derivation.id,
        # Malformed assumptions pass through as they are: the checker reports them.
        "symbols": {str(k): (dict(v) if isinstance(v, Mapping) else v if v is not None else {})
                    for k, v in dict(derivation.symbols or {}).items()},
        "definitions": {str(k): str(v) for k, v in dict(derivation.definitions or {}).items()},
        "facts": {str(k): str(v) for k, v in dict(derivation.facts or {}).items()},
        "functions": {str(k): str(v) for k, v in dict(getattr(derivation, "functions", None) or {}).items()},
        "start": str(derivation.start),
        "goal": str(derivation.goal),
        "solution": [str(line) for line in derivation.solution],
        "mistakes": [{"line": str(m.line), "message": str(m.message)}
                     for m in derivation.mistakes],
        "key_steps": [{"name": str(k.name), "form": str(k.form)} for k in getattr(derivation, "key_steps", ())],
    }


def split_lines(text: str) -> list[str]:
    """The learner's text as lines (any newline convention), cut at MAX_TEXT_CHARS."""
    return text[:MAX_TEXT_CHARS].splitlines() if text else []


def _job_lines(job: dict) -> list[tuple[int, str]]:
    lines = job.get("lines") or list(job["spec"].get("solution") or ())
    return [(n, text) for n, text in enumerate(lines, 1) if not is_blank(text)][:MAX_LINES + 1]


def _limit_memory() -> None:
    """Backstop for the wall-clock kill: cap the child's address space near its current size."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + MEMORY_HEADROOM_BYTES
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, ImportError):
        pass


def _isolate_child(write_fd: int, budget_s: float, parent: int) -> None:
    """Make a forked child unable to outlive its purpose or hold its parent's pipes open.

    It keeps only the pipe it answers on (every other inherited descriptor is closed, so a
    killed server's pipes reach end-of-file), gets a CPU-time limit the kernel enforces even
    if no parent is left to kill it, and on Linux dies with its parent.
    """
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, write_fd)
    os.closerange(write_fd + 1, MAX_INHERITED_FD)
    try:
        import resource

        seconds = int(budget_s) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    except (ImportError, OSError, ValueError):
        pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(0)


def _skip_units_import() -> None:
    """Spare a cold child SymPy's import of its units package (about 0.1-0.2 s).

    SymPy's pretty printer and simplify import `sympy.physics.units` only to recognise
    unit quantities, which a derivation never contains.  When the package is not loaded yet,
    this child (and only this child) gets a stand-in module whose classes nothing is an
    instance of.
    """
    if "sympy.physics.units" in sys.modules:
        return
    import types

    stand_in = types.ModuleType("sympy.physics.units", "stand-in: no units in derivations")
    vars(stand_in).update(Quantity=type("Quantity", (), {}), Unit=type("Unit", (), {}))
    sys.modules["sympy.physics.units"] = stand_in


def _child_main(job: dict, write_fd: int) -> None:
    """Body of the forked child: run the job, one JSON line per message, then exit."""

    def send(kind: str, payload: Any) -> None:
        data = (json.dumps({"kind": kind, "payload": payload}) + "\n").encode()
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view):]

    try:
        _limit_memory()
        _skip_units_import()
        from tutor.derive.checker import Checker, validate_spec

        if job["kind"] == "validate":
            send("done", validate_spec(job["spec"]))
            return
        checker = Checker(job["spec"])
        send("ready", checker.errors)
        lines = job.get("lines") or []
        result = checker.check(lines, lambda step: send("step", step))
        send("done", result)
    except MemoryError:
        send("crash", "ran out of memory")
    except RecursionError:
        send("crash", "expression too deeply nested")
    except BaseException as exc:  # the parent must get an answer, never a hang
        send("crash", f"internal error: {type(exc).__name__}: {str(exc)[:200]}")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


class _Reader:
    """Newline-delimited JSON messages from a pipe, with a deadline per message."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = b""

    def next(self, timeout_s: float) -> dict | None:
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return {"kind": "crash", "payload": "the checker process died"}
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)


class _Work:
    """How many seconds of processor time a child has had, from Linux's /proc/PID/stat, else
    the wall clock. A limit counted in work gives a line the same verdict on a loaded machine,
    where the child waits for a processor, as on an idle one: counted on the wall clock, a line
    before a runaway one could use up its limit waiting, be marked `timeout`, and leave the
    runaway line `undecided`."""

    def __init__(self, pid: int | None):
        """`pid` None: the wall clock (a stand-in child in a test)."""
        self.path = f"/proc/{pid}/stat"
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self.last = 0.0
        self.counted = pid is not None and self._read() is not None

    def _read(self) -> float | None:
        try:
            with open(self.path, "rb") as stat:
                fields = stat.read().rpartition(b")")[2].split()  # the command's name may hold spaces
            return (int(fields[11]) + int(fields[12])) / self.tick  # utime and stime
        except (OSError, ValueError, IndexError):
            return None

    def seconds(self) -> float:
        if not self.counted:
            return time.monotonic()
        self.last = self._read() or self.last  # a child that ended works no more
        return self.last


def _next_within(reader: _Reader, work: _Work, limit_s: float, wall_deadline: float) -> dict | None:
    """The child's next message, or None once it has worked `limit_s` seconds without sending
    one, or at `wall_deadline`."""
    start = work.seconds()
    while True:
        left = min(limit_s - (work.seconds() - start), wall_deadline - time.monotonic())
        if left <= 0:
            return None
        message = reader.next(left)
        if message is not None:
            return message


def longest_check_s(timeout_s: float) -> float:
    """The longest a forked check takes on the wall clock: its preparation and its lines, each
    budget ended at WALL_FACTOR times itself."""
    return 2 * WALL_FACTOR * timeout_s * TOTAL_BUDGET_LINES


def run_forked(job: dict, timeout_s: float = DEFAULT_TIMEOUT_S,
               on_step: OnStep | None = None) -> Any:
    """Run a check or validate job in a forked child with a per-line time-out.

    The calling process must be single-threaded and should already have imported
    `tutor.derive.checker` (so the child starts warm).  Returns the checker's summary dict
    for a check job (steps and status, timeouts filled in), or the error list of a
    validate job.
    """
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # child
        try:
            _isolate_child(write_fd, 2 * timeout_s * TOTAL_BUDGET_LINES, parent)  # start-up and check
            _child_main(job, write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    reader = _Reader(read_fd)
    try:
        if job["kind"] == "validate":
            message = reader.next(timeout_s * (1 + len(_job_lines(job))))
            if message is None or message["kind"] != "done":
                why = "timed out" if message is None else message["payload"]
                return [("solution", f"checking the model solution failed: {why}")]
            return [tuple(error) for error in message["payload"]]
        return _collect(job, reader, _Work(pid), timeout_s, on_step)
    finally:
        os.close(read_fd)
        _kill(pid)


def _collect(job: dict, reader: _Reader, work: _Work, timeout_s: float, on_step: OnStep | None) -> Summary:
    """The child's messages, each line within `timeout_s` of the child's work and all of them
    within TOTAL_BUDGET_LINES of it, counted from "ready": the child's start-up (SymPy's caches
    when cold, the derivation's own values built) is not the learner's work and has a budget
    of its own, the whole check's. Each limit is the child's work (`_Work`) and ends at
    WALL_FACTOR times itself on the wall clock."""
    pending = _job_lines({"lines": job.get("lines") or [""], "spec": job["spec"]})
    steps: list[Step] = []
    budget_s = timeout_s * TOTAL_BUDGET_LINES
    message = _next_within(reader, work, budget_s, time.monotonic() + WALL_FACTOR * budget_s)
    started = message is not None
    ready_at, wall_deadline = work.seconds(), time.monotonic() + WALL_FACTOR * budget_s

    def whole_check_over() -> bool:
        return work.seconds() - ready_at >= budget_s or time.monotonic() >= wall_deadline

    def next_message() -> dict | None:
        return _next_within(reader, work, min(timeout_s, budget_s - (work.seconds() - ready_at)),
                            min(time.monotonic() + WALL_FACTOR * timeout_s, wall_deadline))

    if message is not None and message["kind"] == "ready":  # the spec's own errors: validation reports them
        message = next_message()
    while message is not None and message["kind"] == "step":
        checked: Step = message["payload"]
        steps.append(checked)
        if on_step:
            on_step(checked)
        pending = [(n, t) for n, t in pending if n > checked["line"]]
        message = next_message()
    if message is not None and message["kind"] == "done":
        result: Summary = message["payload"]
    else:
        timed_out = message is None
        status: StepStatus
        for index, (number, text) in enumerate(pending):
            if index:
                status, why = "undecided", "not checked: an earlier line did not finish"
            elif not started:
                status, why = "timeout", (f"the checker took more than {budget_s:g} s to prepare this"
                                          " derivation; try again")
            elif timed_out and whole_check_over():
                status, why = "timeout", f"the whole check took more than {budget_s:g} s; check fewer lines"
            elif timed_out:
                status, why = "timeout", (f"checking this line took more than {timeout_s:g} s;"
                                          " simplify it or split it into smaller steps")
            else:
                assert message is not None  # a message that is not a step or the end
                status, why = "undecided", f"could not check this line: {message['payload']}"
            steps.append(results.step(number, text, status, why))
            if on_step:
                on_step(steps[-1])
        result = results.summarise(steps, False, job["spec"].get("goal", ""))
        if not timed_out and result["status"] != "fail":
            result["status"] = "error"
    return result


_warmed = False


def warm_this_process() -> None:
    """Import SymPy and run a small trusted check here once, so forked children start warm."""
    global _warmed
    if not _warmed:
        from tutor.derive.checker import Checker

        Checker(WARMUP_SPEC).check(WARMUP_LINES, lambda step: None)
        _warmed = True


def can_fork_here() -> bool:
    """Forking is safe only from a single-threaded process on a platform that has fork."""
    return hasattr(os, "fork") and threading.active_count() == 1


# -- the checker process the TUI keeps warm ----------------------------------------------


def serve(requests, replies) -> None:
    """Server loop: import SymPy once, warm it, then fork one child per request.

    Requests and replies are JSON lines: {"job", "timeout_s"} in; {"kind": "ready" | "step" |
    "done", "payload"} out.  Runs in its own single-threaded interpreter, so forking is safe.
    """
    def reply(kind: str, payload: Any) -> None:
        replies.write(json.dumps({"kind": kind, "payload": payload}) + "\n")
        replies.flush()

    warm_this_process()
    reply("ready", None)
    for line in requests:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            job, timeout_s = request["job"], float(request["timeout_s"])
        except (ValueError, KeyError, TypeError):
            reply("done", {"crash": "malformed request"})
            continue
        try:
            answer = run_forked(job, timeout_s, lambda step: reply("step", step))
        except OSError as exc:  # fork failed (out of processes or memory)
            answer = {"crash": f"could not start the checker: {exc}"}
        reply("done", answer)


class CheckerProcess:
    """A warm SymPy server for the TUI: `check`, `check_lines`, `validate`, `close`.

    The server is a fresh interpreter (`python -m tutor.derive.server`, the equivalent of the
    "spawn" start method, chosen because the TUI parent runs threads and must not fork); it
    imports SymPy once and forks a child per check.  Thread-safe, one check at a time.
    `start()` returns at once; the server warms in the background (about 1 s) and the first
    check waits for it if needed.
    """

    def __init__(self, timeout_s: float = DEFAULT_TIMEOUT_S):
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: _Reader | None = None
        self._ready = False

    def start(self) -> "CheckerProcess":
        with self._lock:
            self._ensure_started()
        return self

    def _ensure_started(self) -> tuple[subprocess.Popen[bytes], _Reader]:
        """The running server and its reader, started if need be."""
        if self._process is None or self._reader is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tutor.derive.server"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=False, close_fds=True,
            )
            assert self._process.stdout is not None  # stdout=PIPE
            self._reader = _Reader(self._process.stdout.fileno())
            self._ready = False
        return self._process, self._reader

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait(5)
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
        self._process = None
        self._reader = None

    def request(self, job: dict, timeout_s: float | None = None,
                on_step: OnStep | None = None) -> Any:
        """Send one job to the server; on_step sees each line's result as it is decided."""
        timeout_s = self.timeout_s if timeout_s is None else timeout_s
        with self._lock:
            process, reader = self._ensure_started()
            assert process.stdin is not None  # stdin=PIPE
            try:
                if not self._ready:
                    message = reader.next(STARTUP_TIMEOUT_S)
                    if message is None or message["kind"] != "ready":
                        raise OSError("the checker server did not start")
                    self._ready = True
                data = json.dumps({"job": job, "timeout_s": timeout_s}) + "\n"
                process.stdin.write(data.encode())
                process.stdin.flush()
                # The server enforces the time limits; this guards against the server itself.
                while (message := reader.next(longest_check_s(timeout_s) + SERVER_GRACE_S)) is not None:
                    if message["kind"] == "step":
                        if on_step:
                            on_step(message["payload"])
                        continue
                    if message["kind"] == "crash":
                        break
                    return message["payload"]
            except (OSError, ValueError):
                pass
            self._stop()
            return None

    def check_job(self, job: dict, timeout_s: float | None = None,
                  on_step: OnStep | None = None) -> Summary:
        answer = self.request(job, timeout_s, on_step)
        if not isinstance(answer, dict) or "crash" in answer:
            why = answer["crash"] if isinstance(answer, dict) else "the checker stopped"
            return results.error_summary(why, [
                results.step(n, t, "timeout", why) if k == 0 else results.step(n, t, "undecided", "not checked")
                for k, (n, t) in enumerate(_job_lines(job))])
        return cast(Summary, answer)  # the server's answer to a check job

    def check(self, derivation: Any, text: str, timeout_s: float | None = None,
              on_step: OnStep | None = None) -> DerivationResult:
        """The result of a whole derivation, like `tutor.derive.check_derivation`."""
        return self.check_lines(derivation, split_lines(text), timeout_s, on_step,
                                whole=True)

    def check_lines(self, derivation: Any, lines: list[str], timeout_s: float | None = None,
                    on_step: OnStep | None = None, whole: bool = False) -> Any:
        """The steps list for the given lines (for a live ✓/✗ editor); the full result if whole."""
        started = time.monotonic()
        job = {"kind": "check", "spec": spec_of(derivation), "lines": list(lines)}
        result = self.check_job(job, timeout_s, on_step)
        if not whole:
            return result["steps"]
        return results.finished(derivation.id, result, started)

    def validate(self, derivation: Any) -> list[tuple[str, str]]:
        answer = self.request({"kind": "validate", "spec": spec_of(derivation)})
        if not isinstance(answer, list):
            return [("solution", "checking the model solution failed: the checker stopped")]
        return [tuple(error) for error in answer]

    def close(self) -> None:
        """Stop the server; a check still running (in another thread) ends with an error."""
        if not self._lock.acquire(timeout=CLOSE_WAIT_S):
            process = self._process
            if process is not None:
                process.kill()  # the running request sees the pipe close and gives up
            self._lock.acquire()
        try:
            if self._process is not None and self._process.poll() is None and self._process.stdin is not None:
                try:
                    self._process.stdin.close()  # end of requests: the server exits
                    self._process.wait(2)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._stop()
        finally:
            self._lock.release()

    def __enter__(self) -> "CheckerProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

