"""The child side of drill grading: confine itself, run the learner's function, report arrays.

Loaded as a module and its `main()` run, by `python -I -S -B -c ... CONFIG_JSON` from
`tutor.drills.sandbox` (so that its installed bytecode is used); it never imports `tutor`
(the project package is hidden from the child). The parent also imports this module for
`run_case`, so the reference, the mistake variants and the learner's code follow exactly the
same calling rules (copies in, returned state fed back, returns checked).

Protocol. The harness keeps the original stdout as its result channel and points fds 1 and 2
at the parent's output pipe, so nothing the learner prints can mix with results. On the
channel it writes `READY <layers json>`, then, after reading the payload from stdin
(`SOURCE <n>` and n bytes of the learner's file, `INPUTS <m>` and m bytes: one line of JSON,
the plan, whose `arrays` lists [key, shape] in order, then those arrays' float64 values,
little-endian, back to back; stdin then stays open, and its closing ends the child),
`CASE <i>` before each case and
`RESULT <i> <n>` followed by an n-byte npz of plain float64 arrays (one per output, every
call stacked) plus a `meta` JSON array, and finally `DONE` (or `EXIT <code>` when the worker
ended early, `TAMPERED` when its pipe carried something else). The learner's code runs in a
forked worker that never holds the channel (`_worker`, `_relay`; README.md here). Nothing
here is trusted by the parent: it re-validates it all.

Start-up time matters (a cold check should cost little more than importing numpy), so
numpy is imported first, while a thread moves the process into its cgroups (slow in the
kernel), and then the child confines itself; after numpy it imports almost nothing: no
zipfile (the npz is written by hand, in the layout numpy.savez uses), no importlib.abc (it
pulls in pathlib, tempfile, random...).
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
import sys

OUTPUT_LIMIT = 500
TRUNCATED = "\n[Output was truncated. Please limit to 500 chars]"
MEMORY_LIMIT = 640 << 20
RESULT_LIMIT = 8 << 20


class ReturnError(Exception):
    """The learner's function returned something of the wrong kind.

    Not a `TutorError`: this module runs in the sandboxed child, which never imports `tutor`;
    the error becomes a case result there and never leaves the child."""


# --- calling rules shared with the parent ------------------------------------------------------


def _resolve(spec, state, arrays):
    if "s" in spec:
        return state[spec["s"]].copy()
    if "a" in spec:
        array = arrays[spec["a"]].copy()
        return array.astype(spec["t"]) if spec.get("t") in ("float32", "int64") else array
    if "l" in spec:
        return [_resolve(item, state, arrays) for item in spec["l"]]
    return spec["v"]


def _check_array(np, name, value, shape):
    if type(value) is not np.ndarray:
        if isinstance(value, np.ndarray):
            raise ReturnError(f"{name} is a {type(value).__name__} (a subclass of numpy.ndarray); "
                              "return a plain numpy array")
        raise ReturnError(f"{name} is a {type(value).__name__}; expected a numpy array")
    if value.dtype != np.float64:
        raise ReturnError(f"{name} has dtype {value.dtype}; expected float64")
    if tuple(value.shape) != tuple(shape):
        raise ReturnError(f"{name} has shape {tuple(value.shape)}; expected {tuple(shape)}")
    return np.array(value, dtype=np.float64, copy=True)


def _check_scalar(np, name, value):
    if isinstance(value, (bool, np.bool_)):
        raise ReturnError(f"{name} is a bool; expected a number")
    if type(value) in (int, float) or isinstance(value, (np.floating, np.integer)):
        return np.array(float(value))
    if type(value) is np.ndarray and value.shape == () and value.dtype.kind in "fiu":
        return np.array(float(value))
    raise ReturnError(f"{name} is a {type(value).__name__}; expected a number")


def _check_real(np, name, value, shape):
    """An author drill's output: a number, or a plain array of real numbers of the reference's
    shape (`shape` None: the reference's own run, any shape), kept as float64."""
    if shape in (None, []) and type(value) is not np.ndarray:
        return _check_scalar(np, name, value)
    if type(value) is not np.ndarray:
        raise ReturnError(f"{name} is a {type(value).__name__}; expected a numpy array")
    if value.dtype.kind not in "fiu":
        raise ReturnError(f"{name} has dtype {value.dtype}; expected real numbers")
    if shape is not None and tuple(value.shape) != tuple(shape):
        raise ReturnError(f"{name} has shape {tuple(value.shape)}; expected {tuple(shape)}")
    return np.array(value, dtype=np.float64, copy=True)


def _check_returns(np, value, returns):
    """The returned values as {name: plain float64 array or list of arrays}."""
    names = [spec[0] for spec in returns]
    if len(returns) == 1:
        values = [value]
    else:
        if type(value) not in (tuple, list):
            raise ReturnError(f"returned a {type(value).__name__}; expected a tuple "
                              f"({', '.join(names)})")
        if len(value) != len(returns):
            raise ReturnError(f"returned {len(value)} values; expected {len(returns)}: "
                              f"({', '.join(names)})")
        values = list(value)
    checked = {}
    for (name, kind, shape), item in zip(returns, values):
        if kind == "array":
            checked[name] = _check_array(np, name, item, shape)
        elif kind == "scalar":
            checked[name] = _check_scalar(np, name, item)
        elif kind == "real":
            checked[name] = _check_real(np, name, item, shape)
        else:  # a list of arrays, one per shape
            if type(item) not in (tuple, list):
                raise ReturnError(f"{name} is a {type(item).__name__}; expected a list of arrays")
            if len(item) != len(shape):
                raise ReturnError(f"{name} has {len(item)} arrays; expected {len(shape)}")
            checked[name] = [_check_array(np, f"{name}[{i}]", a, s)
                             for i, (a, s) in enumerate(zip(item, shape))]
    return checked


def run_case(np, function, case, arrays, on_call=None):
    """Run one case's calls, feeding returned state back in.

    Returns (outputs, error): outputs maps "k{call}.{name}" (and ".{j}" for lists) to float64
    arrays for every call that completed; error is None or the exception that stopped the case.
    """
    state = {name: arrays[key].copy() for name, key in case["init"].items()}
    outputs = {}
    for index, call in enumerate(case["calls"]):
        if on_call:
            on_call(index)
        try:
            args = [_resolve(spec, state, arrays) for spec in call["args"]]
            returned = _check_returns(np, function(*args), case["returns"])
        except BaseException as exc:  # the learner's code may raise anything, even SystemExit
            return outputs, exc
        for name, value in returned.items():
            if isinstance(value, list):
                for j, item in enumerate(value):
                    outputs[f"k{index}.{name}.{j}"] = item
            else:
                outputs[f"k{index}.{name}"] = value
            state[name] = value
    return outputs, None


def stack_outputs(np, outputs):
    """{"k3.param": a, ...} -> {"param": array of every call's param, call first}: a few big
    arrays decode much faster than hundreds of small ones."""
    groups = {}
    for key, value in outputs.items():
        call, name = key.split(".", 1)
        groups.setdefault(name, []).append((int(call[1:]), value))
    return {name: np.stack([value for _, value in sorted(items, key=lambda item: item[0])])
            for name, items in groups.items()}


# --- the wire formats ---------------------------------------------------------------------------


def read_inputs(np, inputs):
    """(plan, {key: read-only float64 array}) from the INPUTS bytes the parent sent."""
    end = inputs.index(b"\n")
    plan = json.loads(inputs[:end])
    values = memoryview(inputs)[end + 1:]
    arrays, offset = {}, 0
    for key, shape in plan.pop("arrays"):
        count = math.prod(shape)
        arrays[key] = np.frombuffer(values, dtype="<f8", count=count,
                                    offset=offset).reshape(shape)
        offset += 8 * count
    return plan, arrays


def npy_bytes(array):
    """`array` (C-contiguous) in npy format 1.0, header padded to 64 bytes as numpy.save does."""
    shape = tuple(int(n) for n in array.shape)
    header = f"{{'descr': {array.dtype.str!r}, 'fortran_order': False, 'shape': {shape!r}, }}"
    padding = -(10 + len(header) + 1) % 64
    header = (header + " " * padding + "\n").encode("latin1")
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + array.tobytes()


def npz_bytes(members):
    """A zip of uncompressed `<name>.npy` members: what numpy.savez writes, minus zipfile."""
    import binascii

    local, central, offset = [], [], 0
    for name, data in members.items():
        filename = name.encode() + b".npy"
        crc, size = binascii.crc32(data), len(data)
        entry = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0x21, crc, size, size,
                            len(filename), 0) + filename
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, crc,
                                   size, size, len(filename), 0, 0, 0, 0, 0, offset) + filename)
        local += [entry, data]
        offset += len(entry) + size
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                      len(directory), offset, 0)
    return b"".join(local) + directory + end


# --- confinement (runs before any learner code) -------------------------------------------------


def _join_cgroups(config):
    """Start moving this process into the parent's cgroups; return a function that waits
    for that and gives the layers that took hold.

    The kernel takes 10-20 ms over each move (a v1 migration waits for an RCU grace period),
    mostly asleep: a thread does it while the main thread imports numpy. It must be done
    before the file system is made read-only, and long before any learner code runs.
    """
    import threading

    joined = []

    def join():
        for controller, path in config.get("cgroups", {}).items():
            try:
                with open(os.path.join(path, "cgroup.procs"), "w") as procs:
                    procs.write("0")  # 0: this whole process; its children inherit the cgroup
                joined.append(f"{controller}-cgroup")
            except OSError:
                pass

    thread = threading.Thread(target=join)
    thread.start()

    def wait():
        thread.join()
        return joined

    return wait


def _confine(config, layers):
    """Apply the rest of what the parent asked for (after the cgroups: `layers`); return the
    names of the layers actually in force."""
    import resource

    layers = list(layers)
    layers += _confine_namespaces(config)
    wall = config["wall_s"]
    limits = [
        (resource.RLIMIT_CPU, int(wall) + 2, int(wall) + 3),
        (resource.RLIMIT_AS, MEMORY_LIMIT, MEMORY_LIMIT),
        (resource.RLIMIT_FSIZE, 16 << 20, 16 << 20),
        (resource.RLIMIT_CORE, 0, 0),
    ]
    for which, soft, hard in limits:
        resource.setrlimit(which, (soft, hard))
    layers.append("rlimits")
    return layers


def _exit_with_parent():
    """The parent keeps stdin open until it is done with us: end when it closes (or dies)."""
    import threading

    def watch():
        try:
            sys.stdin.buffer.read()
        finally:
            os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _keep_out_of_reach():
    """Make this process (the supervisor) non-dumpable before the worker is forked: without
    capabilities, the worker can then neither ptrace it nor read its memory or descriptors."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
    except (ImportError, OSError):
        pass


def _no_new_processes():
    """Learner code needs neither processes nor threads: refuse them (not enforced for root,
    whom the pids cgroup and the PID namespace hold instead), and cap open files."""
    import resource

    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 32, 4096, 16384, 1 << 18)
NAMESPACE_FLAGS = (("net", 0x40000000), ("ipc", 0x08000000), ("mount", 0x00020000))
WORK_LIMIT = 64 << 20  # the size of the child's /tmp, its only writable place
# Per machine: the audit arch for seccomp, pivot_root's number, and the system calls refused:
# the keyring ones, reading or tracing other processes, new namespaces and mounts, and
# kernel interfaces a drill never needs (bpf, userfaultfd, perf events, io_uring).
SYSCALLS = {
    "x86_64": (0xC000003E, 155, (248, 249, 250, 101, 310, 311, 272, 308, 165, 166, 155, 321,
                                 323, 298, 425)),
    "aarch64": (0xC00000B7, 41, (217, 218, 219, 117, 270, 271, 97, 268, 40, 39, 41, 280, 282,
                                 241, 425)),
}


def _confine_namespaces(config):
    """Namespaces, the private root (or the read-only fallback), the keyring, capabilities
    and seccomp, in that order; returns the names of the layers that took hold."""
    try:
        import ctypes
    except ImportError:
        return []
    libc = ctypes.CDLL(None, use_errno=True)
    layers = []
    have = set(config.get("namespaces", ()))
    if "pid" in have:
        layers.append("pidns")
    for name, flag in NAMESPACE_FLAGS:
        if name not in have and libc.unshare(flag) == 0:
            have.add(name)
    layers += [f"{name}ns" for name, _ in NAMESPACE_FLAGS if name in have and name != "mount"]
    if "mount" in have:
        layers += _private_root(ctypes, libc, config) or _readonly_fs(ctypes, libc, config)
    keyctl = _syscall_numbers()[2][2]
    if keyctl is not None and libc.syscall(keyctl, 1, None) >= 0:  # KEYCTL_JOIN_SESSION_KEYRING
        layers.append("fresh-keyring")
    layers += _drop_capabilities(ctypes, libc)
    layers += _seccomp(ctypes, libc)
    return layers


def _syscall_numbers():
    return SYSCALLS.get(os.uname().machine, (None, None, (None,) * 3))


def _mount(libc, source, target, fstype, flags, data=None):
    enc = [None if s is None else s.encode() for s in (source, target, fstype, data)]
    return libc.mount(enc[0], enc[1], enc[2], flags, enc[3]) == 0


def _mount_setattr(ctypes, libc, path, recursive, attr_set, attr_clr):
    """mount_setattr(2) (Linux 5.12): change a mount's flags without restating the others."""

    class MountAttr(ctypes.Structure):
        _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                    ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]

    attr = MountAttr(attr_set, attr_clr, 0, 0)
    return libc.syscall(442, -100, path.encode(), 0x8000 if recursive else 0,
                        ctypes.byref(attr), ctypes.sizeof(attr)) == 0


def _private_root(ctypes, libc, config):
    """A new root holding only what the parent lists in `show` (the standard library, numpy,
    system libraries, /dev/null and friends; each read-only at its own path, with `empty`
    tmpfs hiding e.g. site-packages), and a size-capped tmpfs /tmp as the work dir.

    Built on a tmpfs over the parent's work dir, then pivoted into, the old root detached:
    home, project, cache, /proc, /run, /dev/shm and host sockets are simply not there, and
    everything written lives in memory that the kernel frees with the namespace.
    Returns [] (the caller falls back) if any step is refused.
    """
    new = config["workdir"]
    if not (_mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
            and _mount(libc, "tmpfs", new, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755")):
        return []
    try:
        # /tmp first: a checkout under /tmp (a CI clone) puts numpy's mount point inside it.
        os.mkdir(new + "/tmp")
        if not _mount(libc, "tmpfs", new + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
                      f"size={WORK_LIMIT},mode=700"):
            raise OSError(ctypes.get_errno(), "cannot mount the work tmpfs")
        for kind, path in sorted(config.get("show", ()), key=lambda entry: entry[1]):
            target = new + path
            if kind == "link":
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.symlink(os.readlink(path), target)
                continue
            if kind == "file":
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
            else:
                os.makedirs(target, exist_ok=True)
            ok = (_mount(libc, "tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k,mode=555")
                  if kind == "empty" else _mount(libc, path, target, None, MS_BIND))
            if not ok:
                raise OSError(ctypes.get_errno(), f"cannot mount {path}")
        if not (_mount_setattr(ctypes, libc, new, True, MS_RDONLY | MS_NOSUID, 0)
                and _mount_setattr(ctypes, libc, new + "/tmp", False, 0, MS_RDONLY)):
            raise OSError(ctypes.get_errno(), "cannot make the new root read-only")
        os.chdir(new)
        pivoted = libc.syscall(_syscall_numbers()[1], b".", b".") == 0  # refused on a rootfs
        if not (libc.umount2(b".", 2) == 0 if pivoted else libc.chroot(b".") == 0):
            raise OSError(ctypes.get_errno(), "neither pivot_root nor chroot took")
    except OSError:
        libc.umount2(new.encode(), 2)  # MNT_DETACH: back to the host's tree for the fallback
        os.chdir("/")
        return []
    os.chdir("/tmp")
    os.environ["HOME"] = os.environ["TMPDIR"] = "/tmp"
    return ["private-root", "readonly-fs", "work-tmpfs", "project-hidden"]


def _cover(libc, path, keep):
    """Cover everything at `path` (an empty tmpfs over a directory, /dev/null over a file)
    except the paths in `keep` and the directories leading to them; True if all took."""
    if path in keep or os.path.islink(path):
        return True
    if not any(kept.startswith(path + "/") for kept in keep):
        if os.path.isdir(path):
            return _mount(libc, "tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
                          "size=4k,mode=555")
        return not os.path.exists(path) or _mount(libc, "/dev/null", path, None, MS_BIND)
    try:
        entries = os.listdir(path)
    except OSError:
        return False
    return all([_cover(libc, os.path.join(path, entry), keep) for entry in entries])


def _readonly_fs(ctypes, libc, config):
    """The fallback without a private root: the host's tree read-only; the project, the data
    dirs and home (but the interpreter and numpy in them), /proc, /run and /dev/shm covered;
    a fresh size-capped tmpfs on /tmp as the work dir (or the parent's, if that fails)."""
    workdir = config["workdir"]
    layers = []
    _mount(libc, "none", "/", None, MS_REC | MS_PRIVATE)
    if not _mount(libc, workdir, workdir, None, MS_BIND):
        return layers
    if _mount_setattr(ctypes, libc, "/", True, MS_RDONLY, 0):
        ok = _mount_setattr(ctypes, libc, workdir, False, 0, MS_RDONLY)
    else:  # kernels before 5.12: remount every mount point read-only, one by one
        ok = True
        with open("/proc/self/mountinfo") as info:
            points = [line.split()[4].replace("\\040", " ") for line in info]
        for point in points:
            if point != workdir and not _mount(libc, None, point, None,
                                               MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID):
                ok = ok and point.startswith(("/proc", "/dev/pts"))
    if ok:
        layers.append("readonly-fs")
    keep = {path for kind, path in config.get("show", ()) if kind == "dir"}
    if all([_cover(libc, path, keep) for path in config.get("hide", ())]):
        layers.append("project-hidden")
    for path in ("/proc", "/run", "/dev/shm"):  # without a PID namespace /proc shows the parent
        _cover(libc, path, ())
    if _mount(libc, "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={WORK_LIMIT},mode=700"):
        os.chdir("/tmp")
        os.environ["HOME"] = os.environ["TMPDIR"] = "/tmp"
        return layers + ["work-tmpfs"]
    os.chdir(workdir)  # the old cwd is the directory under the bind mount, now read-only
    return layers


def _seccomp(ctypes, libc):
    """A seccomp filter refusing SYSCALLS' list with EPERM (and killing a call made through
    another architecture's entry point, which would dodge the numbers)."""
    arch, _, refused = _syscall_numbers()
    if arch is None:
        return []
    ld_abs, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, deny, kill = 0x7FFF0000, 0x00050001, 0x80000000
    count = len(refused)
    program = [(ld_abs, 0, 0, 4), (jeq, 1, 0, arch), (ret, 0, 0, kill), (ld_abs, 0, 0, 0),
               (jge, count + 2, 0, 0x40000000)]  # x32 system calls on x86_64
    program += [(jeq, count - i, 0, number) for i, number in enumerate(refused)]
    program += [(ret, 0, 0, allow), (ret, 0, 0, deny), (ret, 0, 0, kill)]

    class Instruction(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(Instruction))]

    filters = (Instruction * len(program))(*program)
    fprog = Program(len(program), filters)
    return ["seccomp"] if libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) == 0 else []


def _drop_capabilities(ctypes, libc):
    """Empty the bounding set and every capability, so root here cannot undo the above."""
    pr_capbset_drop, pr_cap_ambient, pr_set_no_new_privs = 24, 47, 38
    try:
        with open("/proc/sys/kernel/cap_last_cap") as last:
            last_cap = int(last.read())
    except (OSError, ValueError):
        last_cap = 40
    for cap in range(last_cap + 1):
        libc.prctl(pr_capbset_drop, cap, 0, 0, 0)
    libc.prctl(pr_cap_ambient, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    dropped = libc.capset(header, data) == 0
    libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0)
    return ["no-capabilities"] if dropped else []


# --- the child's main loop ----------------------------------------------------------------------


class _CappedText(io.TextIOBase):
    """What the learner prints during one case, kept up to a bound."""

    def __init__(self):
        self.parts, self.size, self.overflow = [], 0, False

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = OUTPUT_LIMIT - self.size
        if len(text) > room:
            self.overflow = True
            text = text[:max(room, 0)]
        self.parts.append(text)
        self.size += len(text)
        return len(text)

    def getvalue(self):
        return "".join(self.parts) + (TRUNCATED if self.overflow else "")


def _describe(exc, lines):
    """One line for an exception raised by the learner's code, with its line in their file."""
    import traceback

    if isinstance(exc, ReturnError):
        return f"wrong return value: {exc}"
    if isinstance(exc, MemoryError):
        return f"MemoryError: ran out of memory (the limit is {MEMORY_LIMIT >> 20} MB)"
    if isinstance(exc, SystemExit):
        return "called sys.exit(); the drill function must return its results"
    try:
        text = str(exc)
    except BaseException:
        text = "(the exception could not be printed)"
    where = ""
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "solution.py"]
        if frames and 0 < frames[-1].lineno <= len(lines):
            where = f" (line {frames[-1].lineno}: {lines[frames[-1].lineno - 1].strip()[:120]})"
    except BaseException:
        pass
    return f"{type(exc).__name__}: {text[:300]}{where}"


def _load(source, function_name, lines):
    """(function, error message, printed text) for the learner's module."""
    capture = _CappedText()
    sys.stdout = sys.stderr = capture
    try:
        code = compile(source, "solution.py", "exec")
    except SyntaxError as exc:
        return None, f"syntax error on line {exc.lineno}: {exc.msg}", ""
    except (ValueError, MemoryError, RecursionError) as exc:
        return None, f"the file cannot be compiled: {exc}", ""
    namespace = {"__name__": "solution", "__file__": "solution.py"}
    try:
        exec(code, namespace)
    except BaseException as exc:
        message = _describe(exc, lines)
        if isinstance(exc, SystemExit):
            message = "called sys.exit() while loading the file"
        return None, f"the file raised an error while loading: {message}", capture.getvalue()
    function = namespace.get(function_name)
    if function is None:
        return None, f"the file does not define {function_name}()", capture.getvalue()
    if not callable(function):
        return None, f"{function_name} is a {type(function).__name__}, not a function", \
            capture.getvalue()
    return function, None, capture.getvalue()


def _send(channel, data):
    view = memoryview(data)
    while view:
        view = view[os.write(channel, view):]


def _block_project_imports(names):
    """Remove import hooks that could reach the project's package (editable installs)."""

    class Blocker:  # a meta path finder needs only find_spec
        def find_spec(self, fullname, path=None, target=None):
            if fullname.split(".")[0] in names:
                raise ModuleNotFoundError(f"No module named {fullname!r} (not available in drills)")
            return None

    sys.meta_path[:] = [f for f in sys.meta_path
                        if "editable" not in getattr(f, "__module__", "")
                        and "editable" not in type(f).__module__]
    sys.meta_path.insert(0, Blocker())
    for name in list(sys.modules):
        if "editable" in name or name.split(".")[0] in names:
            del sys.modules[name]


def _run_cases(np, pipe, source, plan, arrays):
    """The worker's whole life: load the learner's file and run every case, one frame each."""
    lines = source.splitlines()
    function, error, printed = _load(source, plan["function"], lines)
    stopped = False
    for index, case in enumerate(plan["cases"]):
        capture = _CappedText()
        if index == 0 and printed:
            capture.write(printed)
        sys.stdout = sys.stderr = capture
        if function is None:
            outputs, meta = {}, {"status": "error", "message": error, "load_error": True}
        elif stopped:  # an error is nearly always systematic: don't repeat a slow one
            outputs, meta = {}, {"status": "skipped"}
        else:
            outputs, exc = run_case(np, function, case, arrays)
            meta = {"status": "ok"} if exc is None else {
                "status": "error", "message": _describe(exc, lines),
                "return_error": isinstance(exc, ReturnError),
                "calls_done": len({key.split(".")[0] for key in outputs})}
        stopped = stopped or meta["status"] == "error"
        meta["output"] = capture.getvalue()
        arrays_out = {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                      **stack_outputs(np, outputs)}
        data = npz_bytes({name: npy_bytes(array) for name, array in arrays_out.items()})
        _send(pipe, b"%d\n" % len(data) + data)
        if function is None:
            break


def _worker(np, pipe, source, plan, arrays):
    """Runs in the forked worker: keep only fds 0-2 (stdin on /dev/null, output to the parent)
    and the pipe to the supervisor, so the learner's code cannot reach the result channel."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL: die with the supervisor
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(pipe, 3)
        os.closerange(4, 1 << 16)
        _no_new_processes()
        _run_cases(np, 3, source, plan, arrays)
    finally:
        os._exit(0)


def _read_exact(stream, size):
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def _relay(channel, pipe, count, worker):
    """The supervisor's side: number the worker's frames itself, forward at most `count` of
    them, then end the worker (threads it left included) and say DONE, or say how it ended.
    Nothing the worker writes can become a frame of another case or an early DONE."""
    frames, total = 0, 0
    with os.fdopen(pipe, "rb") as stream:
        while frames < count:
            _send(channel, b"CASE %d\n" % frames)
            header = stream.readline(16)
            size = int(header) if header[:-1].isdigit() and header.endswith(b"\n") else -1
            data = _read_exact(stream, size) if 0 <= size <= RESULT_LIMIT - total else None
            if data is None:
                break
            total += size
            _send(channel, b"RESULT %d %d\n" % (frames, size) + data)
            frames += 1
    if frames == count:
        os.kill(worker, 9)
        os.waitpid(worker, 0)
        _send(channel, b"DONE\n")
        return
    if header and data is None:  # not the worker's framing: the learner's code wrote to the pipe
        os.kill(worker, 9)
        _send(channel, b"TAMPERED\n")
        return
    _, status = os.waitpid(worker, 0)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    _send(channel, b"EXIT %d\n" % code)


def main():
    config = json.loads(sys.argv[1])
    channel = os.dup(1)
    os.dup2(2, 1)
    cgroups_joined = _join_cgroups(config)
    sys.path.extend(config.get("path", ()))  # -S: numpy's directory, nothing else
    import numpy as np  # trusted code: the learner's runs only once all confinement is in place

    layers = _confine(config, cgroups_joined())
    _send(channel, b"READY " + json.dumps(layers).encode() + b"\n")
    _block_project_imports({"tutor"})
    header = sys.stdin.buffer.readline()
    if not header:  # the parent went away before sending anything (a warm child not used)
        os._exit(0)
    source = sys.stdin.buffer.read(int(header.split()[1])).decode("utf-8", errors="replace")
    inputs = sys.stdin.buffer.read(int(sys.stdin.buffer.readline().split()[1]))
    plan, arrays = read_inputs(np, inputs)
    _keep_out_of_reach()
    read_end, write_end = os.pipe()
    worker = os.fork()
    if worker == 0:
        os.close(read_end)
        os.close(channel)
        _worker(np, write_end, source, plan, arrays)
    os.close(write_end)
    _exit_with_parent()
    _relay(channel, read_end, len(plan["cases"]), worker)
    os._exit(0)
