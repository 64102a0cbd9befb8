"""The parent side of the drill sandbox: start a confined child, talk to it, kill it whole.

The layers, what each stops and how each falls back are in README.md beside this module:
`unshare --fork --pid --mount-proc --net --ipc --mount` (`--user --map-root-user` added for an
ordinary user), cgroups (v1) where writable, and what the harness then does itself (a private
read-only root with a size-capped /tmp, a fresh keyring, no capabilities, seccomp, rlimits,
and a forked worker for the learner's code). The child reports which layers took hold;
`Exchange.layers` says so, and `warn_if_weaker` warns about any the kernel refused.

No thread is started and no `preexec_fn` is used, so this is safe to call from a TUI worker.
"""

from __future__ import annotations

import importlib.util
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Callable
from typing import Any

from tutor.errors import TutorError

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "harness.py")
# The harness is loaded as a module, not run as a script, so that its bytecode (written when
# tutor is installed) is used: compiling it costs the child ~4 ms before numpy.
HARNESS_BOOT = ("import importlib.machinery as m; harness = type(m)('harness'); "
                f"m.SourceFileLoader('harness', {HARNESS!r}).exec_module(harness); harness.main()")
PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
CGROUP_ROOT = "/sys/fs/cgroup"
CGROUP_LIMITS = {"pids": ("pids.max", "32"), "memory": ("memory.limit_in_bytes", str(1 << 30))}
UNSHARE = "unshare"  # util-linux; Python 3.11 has no os.unshare
RESULT_LIMIT = 8 << 20
OUTPUT_KEEP = 4000

_unshare_works: bool | None = None  # learned on first use, per process
_swept = False
PREFIX = "tutor-drill-"


# Every layer the child can put in place (see README.md here); any missing is warned about.
FULL_CONFINEMENT = ("pidns", "netns", "ipcns", "private-root", "readonly-fs", "work-tmpfs",
                    "project-hidden", "fresh-keyring", "no-capabilities", "seccomp", "rlimits")
_warned: set[tuple[str, ...]] = set()


class SandboxUnavailable(TutorError, RuntimeError):
    """Even the plain child process could not be started."""


class WeakerSandbox(RuntimeWarning):
    """The kernel refused some confinement layers; drills still run with the others."""


def warn_if_weaker(layers: list[str]) -> None:
    """Warn (once per process and set) about layers the kernel refused here."""
    import warnings

    missing = tuple(layer for layer in FULL_CONFINEMENT if layer not in layers)
    if missing and missing not in _warned:
        _warned.add(missing)
        warnings.warn(WeakerSandbox(
            f"the drill sandbox runs without {', '.join(missing)} on this machine (refused by "
            "the kernel); the other layers still apply"), stacklevel=2)


def _environment(workdir: str) -> dict[str, str]:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir,
           "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                 "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        env[name] = "1"
    return env


def _make_cgroups() -> dict[str, str]:
    """A fresh cgroup with its limit in each writable v1 controller: {controller: path}."""
    name = f"{PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    made = {}
    for controller, (limit_file, limit) in CGROUP_LIMITS.items():
        root = os.path.join(CGROUP_ROOT, controller)
        if not os.access(root, os.W_OK):
            continue
        path = os.path.join(root, name)
        try:
            os.mkdir(path)
            with open(os.path.join(path, limit_file), "w") as limit_out:
                limit_out.write(limit)
        except OSError:
            _remove_cgroup(path)
            continue
        made[controller] = path
    return made


def _sweep_stale() -> None:
    """Remove cgroups and temp dirs left by checkers that died without cleaning up.

    Both are named tutor-drill-<pid>-...; a dead pid's leftovers are removed, once per process.
    """
    global _swept
    if _swept:
        return
    _swept = True
    roots: list[tuple[str, Callable[[str], None]]] = [(os.path.join(CGROUP_ROOT, c), _remove_cgroup)
                                                      for c in CGROUP_LIMITS]
    roots.append((tempfile.gettempdir(), remove_tree))
    for root, remove in roots:
        try:
            names = [n for n in os.listdir(root) if n.startswith(PREFIX)]
        except OSError:
            continue
        for name in names:
            pid = name[len(PREFIX):].split("-", 1)[0]
            path = os.path.join(root, name)
            if not pid.isdigit() or _alive(int(pid)):
                continue
            try:
                if os.stat(path).st_uid == os.getuid():
                    remove(path)
            except OSError:
                pass


def _ordinary_user() -> bool:
    """Without root, namespaces need a user namespace of their own (--map-root-user)."""
    return os.geteuid() != 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _release(resources: dict) -> None:
    """Kill the child's process group, then remove its cgroup and temp dir (idempotent).

    Never raises: whatever the learner's code left behind, the caller still gets its verdict.
    """
    proc = resources.pop("proc", None)
    if proc is not None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            try:
                stream.close()
            except (OSError, AttributeError):
                pass
    for path in resources.pop("cgroups", {}).values():
        _remove_cgroup(path)
    workdir = resources.pop("workdir", None)
    if workdir:
        remove_tree(workdir)


_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _empty_files(fd: int) -> list[str]:
    """Unlink everything but directories in the directory open at `fd`; return the directories."""
    directories = []
    with os.scandir(fd) as entries:
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    directories.append(entry.name)
                else:
                    os.unlink(entry.name, dir_fd=fd)
            except OSError:
                continue
    return directories


def remove_tree(path: str, budget: int = 1_000_000) -> None:
    """Remove the tree at `path` without recursion or long paths: one open directory at a
    time, relative names only (a 3000-deep tree defeats shutil.rmtree's recursion and
    PATH_MAX). Bounded by `budget` directories; never raises."""
    try:
        fd = os.open(path, _DIRECTORY)
    except OSError:
        return
    pending = [("", _empty_files(fd))]  # (name in its parent, subdirectories left to remove)
    try:
        while pending and budget > 0:
            budget -= 1
            name, subdirectories = pending[-1]
            if subdirectories:
                sub = subdirectories.pop()
                try:
                    child = os.open(sub, _DIRECTORY, dir_fd=fd)
                except OSError:
                    continue
                os.close(fd)
                fd = child
                pending.append((sub, _empty_files(fd)))
                continue
            pending.pop()
            if not pending:
                break
            parent = os.open("..", _DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = parent
            try:
                os.rmdir(name, dir_fd=fd)
            except OSError:
                pass
    except Exception:  # clean-up is best effort: the verdict matters more
        pass
    finally:
        os.close(fd)
    try:
        os.rmdir(path)
    except OSError:
        pass


def _remove_cgroup(path: str | None) -> None:
    """Kill whatever is still in the cgroup, then remove it (bounded wait)."""
    if not path or not os.path.isdir(path):
        return
    deadline = time.monotonic() + 2.0
    pause = 0.0002  # the killed processes are usually gone within a millisecond
    while True:
        try:
            with open(os.path.join(path, "cgroup.procs")) as procs:
                pids = [int(p) for p in procs.read().split()]
        except (OSError, ValueError):
            pids = []
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(pause)
            pause = min(2 * pause, 0.01)


def payload(source: str, inputs: bytes) -> bytes:
    """What the child reads on stdin (see the harness's protocol)."""
    encoded = source.encode("utf-8", errors="replace")
    return b"SOURCE %d\n%sINPUTS %d\n%s" % (len(encoded), encoded, len(inputs), inputs)


class Exchange:
    """What came back from one run of the child."""

    def __init__(self) -> None:
        self.layers: list[str] = []
        self.frames: dict[int, bytes] = {}
        self.current_case: int | None = None
        self.done = False
        self.worker_exit: int | None = None  # how the worker ended, when it did before DONE
        self.timed_out = False
        self.returncode: int | None = None
        self.output = ""  # what the child wrote to fds 1/2 itself (not the captured prints)
        self.protocol_error: str | None = None
        self.limits_hit: list[str] = []  # "memory", "processes": cgroup limits that refused


def _numpy_dir() -> str | None:
    spec = importlib.util.find_spec("numpy")
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def _numpy_path() -> list[str]:
    """The directory numpy is installed in: the child runs with -S and gets only that."""
    numpy_dir = _numpy_dir()
    return [os.path.dirname(numpy_dir)] if numpy_dir else []


SYSTEM_LIBRARIES = ("/lib", "/lib64", "/lib32", "/libx32", "/usr/lib", "/usr/lib64", "/usr/lib32")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")


def _visible_paths() -> list[tuple[str, str]]:
    """What the child's private root shows, read-only at the same paths, as (kind, path):
    the standard library (its site-packages hidden), numpy, the system libraries a lazily
    imported extension module may load, and a few devices. Nothing else of the host."""
    stdlib = os.path.dirname(os.__file__)
    shown = [("dir", stdlib), ("file", "/etc/ld.so.cache")]
    shown += [("file", device) for device in DEVICES]
    if os.path.isdir(os.path.join(stdlib, "site-packages")):
        shown.append(("empty", os.path.join(stdlib, "site-packages")))
    numpy_dir = _numpy_dir()
    if numpy_dir:
        shown += [("dir", numpy_dir), ("dir", numpy_dir + ".libs")]  # wheels' bundled libraries
    shown += [("link" if os.path.islink(path) else "dir", path) for path in SYSTEM_LIBRARIES]
    return [(kind, os.path.realpath(path) if kind in ("dir", "file") else path)
            for kind, path in shown if os.path.lexists(path)]


def _hidden_paths() -> list[str]:
    """What the fallback without a private root covers (all but the interpreter and numpy in
    them): the directory holding the project (its checkout, or site-packages), tutor's data
    dir, every home (the user's cache, data and config dirs with it) and the XDG dirs."""
    hidden = [os.path.dirname(PROJECT_DIR), os.environ.get("TUTOR_HOME", ""),
              os.path.expanduser("~"), "/home", "/root"]
    hidden += [os.environ.get(var, "") for var in (
        "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")]
    return sorted({os.path.realpath(path) for path in hidden if path and os.path.isdir(path)})


class Child:
    """One confined child process, used for exactly one submission."""

    def __init__(self, wall_s: float, run_id: str | None = None):
        self.wall_s = wall_s
        self.workdir = os.path.realpath(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        self.cgroups = _make_cgroups()
        # Released on close(), or when the object is collected or the interpreter exits.
        self._resources: dict[str, Any] = {"workdir": self.workdir, "cgroups": self.cgroups}
        self._finalizer = weakref.finalize(self, _release, self._resources)
        self.layers: list[str] = []
        self._buffer = b""
        self._output = bytearray()
        self.exchange = Exchange()
        self.run_id = run_id or os.urandom(6).hex()
        self.use_unshare = _unshare_works is not False and shutil.which(UNSHARE) is not None
        self.proc = self._spawn(self.use_unshare)
        self._resources["proc"] = self.proc
        _sweep_stale()  # housekeeping: after the spawn, so that the child starts at once

    def _spawn(self, use_unshare: bool) -> subprocess.Popen:
        namespaces = []
        argv = [sys.executable, "-I", "-S", "-B", "-c", HARNESS_BOOT]
        if use_unshare:
            prefix = [shutil.which(UNSHARE) or UNSHARE, "--fork", "--pid", "--mount-proc", "--net", "--ipc",
                      "--mount"]
            if _ordinary_user():
                prefix[1:1] = ["--user", "--map-root-user"]
            argv = prefix + argv
            namespaces = ["pid", "net", "ipc", "mount"]
        config = {"wall_s": self.wall_s, "workdir": self.workdir, "cgroups": self.cgroups,
                  "namespaces": namespaces, "show": _visible_paths(), "hide": _hidden_paths(),
                  "path": _numpy_path(), "run": self.run_id}
        try:
            return subprocess.Popen(
                argv + [json.dumps(config)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, cwd=self.workdir, env=_environment(self.workdir),
                process_group=0, close_fds=True)
        except OSError as exc:
            self.close()
            raise SandboxUnavailable(f"cannot start the grading process: {exc}") from None

    # --- talking -----------------------------------------------------------------------------

    def run(self, payload: bytes, deadline: float) -> Exchange:
        """Send the payload, collect frames until DONE, exit or the deadline; then kill all.

        When `unshare` turns out to be unusable here (it fails before the harness starts),
        remember that for this process and run again without it.
        """
        global _unshare_works
        self._talk_and_wait(payload, deadline)
        unshare_failed = (self.use_unshare and not self.exchange.layers
                          and self.proc.poll() is not None
                          and self._output.startswith(b"unshare:"))
        if unshare_failed:
            _unshare_works = False
            self._reap()
            self._output.clear()
            self.exchange = Exchange()
            self.use_unshare = False
            self.proc = self._spawn(False)
            self._resources["proc"] = self.proc
            self._talk_and_wait(payload, deadline)
        elif self.use_unshare and self.exchange.layers:
            _unshare_works = True
        if self.exchange.layers:
            warn_if_weaker(self.exchange.layers)
        self.exchange.limits_hit = self._limits_hit()
        if not (self.exchange.done or self.exchange.protocol_error
                or self.exchange.worker_exit is not None):
            self.exchange.timed_out = self.proc.poll() is None
        if self.exchange.done:
            self.stop()  # the reaping and clean-up can wait for close(), off the critical path
        else:
            self.close()
        self.exchange.returncode = self.proc.returncode  # None when stopped and not yet reaped
        if self.exchange.worker_exit is not None:
            self.exchange.returncode = self.exchange.worker_exit
        self.exchange.output = self._output.decode("utf-8", errors="replace")
        return self.exchange

    def _talk_and_wait(self, payload: bytes, deadline: float) -> None:
        self._talk(payload, deadline)
        if not (self.exchange.done or self.exchange.protocol_error
                or self.exchange.worker_exit is not None):
            try:  # the pipes can close a moment before the process is reaped
                self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass

    def _limits_hit(self) -> list[str]:
        """Which cgroup limits refused the child something (read before the cgroups go)."""
        checks = {"memory": ("memory.oom_control", "oom_kill"), "pids": ("pids.events", "max")}
        hit = []
        for controller, path in self.cgroups.items():
            stats_file, counter = checks[controller]
            try:
                with open(os.path.join(path, stats_file)) as stats:
                    counts = dict(line.split()[:2] for line in stats if len(line.split()) >= 2)
                if int(counts.get(counter, "0")) > 0:
                    hit.append("memory" if controller == "memory" else "processes")
            except (OSError, ValueError):
                continue
        return hit

    def _talk(self, payload: bytes, deadline: float) -> None:
        """Write the payload and read both pipes together, all within the deadline."""
        assert self.proc.stdin and self.proc.stdout and self.proc.stderr  # all pipes (_spawn)
        streams = {self.proc.stdout.fileno(): self._on_result_bytes,
                   self.proc.stderr.fileno(): self._on_output_bytes}
        pending = memoryview(payload)
        stdin = self.proc.stdin.fileno()
        with selectors.DefaultSelector() as selector:
            for fd in streams:
                os.set_blocking(fd, False)
                selector.register(fd, selectors.EVENT_READ)
            os.set_blocking(stdin, False)
            selector.register(stdin, selectors.EVENT_WRITE)
            open_fds = set(streams)
            while open_fds and not (self.exchange.done or self.exchange.protocol_error
                                    or self.exchange.worker_exit is not None):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                for key, _ in selector.select(min(remaining, 0.5)):
                    if key.fd == stdin:
                        try:
                            pending = pending[os.write(stdin, pending[:65536]):]
                        except BlockingIOError:
                            continue
                        except OSError:  # the child is gone; its exit is reported below
                            pending = pending[:0]
                        if not pending:  # stdin stays open: closing it ends the child
                            selector.unregister(stdin)
                        continue
                    try:
                        chunk = os.read(key.fd, 65536)
                    except BlockingIOError:
                        continue
                    if not chunk:
                        selector.unregister(key.fd)
                        open_fds.discard(key.fd)
                    else:
                        streams[key.fd](chunk)
                if self.proc.poll() is not None and not selector.select(0):
                    break

    def _on_output_bytes(self, chunk: bytes) -> None:
        room = OUTPUT_KEEP - len(self._output)
        if room > 0:
            self._output += chunk[:room]

    def _on_result_bytes(self, chunk: bytes) -> None:
        self._buffer += chunk
        ex = self.exchange
        if len(self._buffer) > RESULT_LIMIT:
            ex.protocol_error = "the grading process sent too much data"
            return
        while not (ex.done or ex.protocol_error or ex.worker_exit is not None):
            line_end = self._buffer.find(b"\n")
            if line_end < 0:
                return
            words = self._buffer[:line_end].split()
            if words[:1] == [b"RESULT"] and len(words) == 3:
                try:
                    index, size = int(words[1]), int(words[2])
                except ValueError:
                    ex.protocol_error = "malformed result header"
                    return
                if len(self._buffer) < line_end + 1 + size:
                    return
                ex.frames[index] = self._buffer[line_end + 1:line_end + 1 + size]
                self._buffer = self._buffer[line_end + 1 + size:]
                continue
            self._buffer = self._buffer[line_end + 1:]
            if words[:1] == [b"READY"]:
                try:
                    layers = json.loads(b" ".join(words[1:]))
                    ex.layers = [str(x) for x in layers] if isinstance(layers, list) else []
                except ValueError:
                    ex.protocol_error = "malformed READY line"
            elif words[:1] == [b"CASE"] and len(words) == 2 and words[1].isdigit():
                ex.current_case = int(words[1])
            elif words == [b"DONE"]:
                ex.done = True
            elif words == [b"TAMPERED"]:
                ex.protocol_error = "the code wrote to the harness's own pipe"
            elif words[:1] == [b"EXIT"] and len(words) == 2 and words[1].lstrip(b"-").isdigit():
                ex.worker_exit = int(words[1])
            else:
                ex.protocol_error = "unexpected data on the result channel"

    # --- ending --------------------------------------------------------------------------------

    def _reap(self) -> None:
        """Kill and reap the current process only (before a respawn)."""
        _release({"proc": self._resources.pop("proc", None)})

    def stop(self) -> None:
        """Kill the process group (and with it the PID namespace) without waiting for it."""
        proc = self._resources.get("proc")
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass

    def close(self) -> None:
        """Kill the process group (and with it the PID namespace), the cgroups, the temp dir;
        never raises, so the caller always gets its verdict."""
        try:
            self._finalizer()
        except Exception:  # clean-up is best effort: the verdict matters more
            pass

    @property
    def base_layers(self) -> list[str]:
        """Layers set up on this side: they hold whatever the child reports."""
        return ["isolated-python", "process-group", "scrubbed-env", "tempdir"]
