"""A read-only home, a full disk, no permission: each is said as it is, in one line, never as
"database is damaged", and nothing already saved is lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import LINALG
from tutor.schedule import make_scheduler
from tutor.store import Store, StoreError

AT = datetime(2026, 1, 5, 10, tzinfo=UTC)


def _review(store: Store, item_id: str = "one") -> None:
    store.record_review(item_id=item_id, kind="card", deck="d", at=AT, day=date(2026, 1, 5), rating=3,
                        scheduler=make_scheduler("ladder"))


def _reviews(home: Path) -> int:
    with Store.open(home) as store:
        return store.con.execute("SELECT count(*) FROM reviews").fetchone()[0]


@pytest.mark.parametrize("pragma, words", [("PRAGMA query_only = ON", "read-only"),
                                           ("PRAGMA max_page_count = 1", "no space left")],
                         ids=["sqlite read-only", "sqlite full"])
def test_sqlite_refusing_a_write_says_why(tmp_path, pragma, words):
    home = tmp_path / "home"
    with Store.open(home) as store:
        _review(store)
        store.con.execute(pragma)
        if "max_page_count" in pragma:  # what is there already uses every page allowed
            store.con.execute(f"PRAGMA max_page_count = {store.con.execute('PRAGMA page_count').fetchone()[0]}")
        with pytest.raises(StoreError) as caught:
            for n in range(200):
                _review(store, f"item-{n}")
    message = str(caught.value)
    assert words in message and "damaged" not in message and "\n" not in message
    assert "nothing already saved was lost" in message
    assert _reviews(home) >= 1


class _Statvfs:
    def __init__(self, real, *, read_only=False, free=None):
        self._real, self.f_flag, self.f_frsize, self.f_blocks = real, real.f_flag, real.f_frsize, real.f_blocks
        self.f_bavail = real.f_bavail if free is None else free
        if read_only:
            self.f_flag |= os.ST_RDONLY


@pytest.mark.parametrize("read_only, free, words", [(True, None, "read-only file system"),
                                                    (False, 0, "no space left on the device")],
                         ids=["read-only file system", "full disk"])
def test_a_disk_error_is_explained_by_the_disk(tmp_path, monkeypatch, read_only, free, words):
    home = tmp_path / "home"
    with Store.open(home) as store:
        _review(store)
    real = os.statvfs
    monkeypatch.setattr(os, "statvfs", lambda p: _Statvfs(real(p), read_only=read_only, free=free))
    with Store.open(home) as store:
        store.con.execute("PRAGMA query_only = ON")  # the write fails, as it would on that disk
        with pytest.raises(StoreError) as caught:
            _review(store, "two")
    assert words in str(caught.value) and "damaged" not in str(caught.value)


def test_no_permission_is_said(tmp_path, monkeypatch):
    home = tmp_path / "home"
    with Store.open(home) as store:
        _review(store)
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as root the mode bits do not bite
    with Store.open(home) as store:
        store.con.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError, match="permission denied"):
            _review(store, "two")


def _can_mount() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount(), reason="needs a private mount namespace (root on Linux)")
def test_a_real_full_disk_and_a_real_read_only_home(tmp_path):
    """On a tmpfs of 3 MB: fill it, then remount it read-only; the CLI says each, in one line."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    tutor = [sys.executable, "-m", "tutor", "--home", str(mount / "home")]
    script = f"""
set -u
mount -t tmpfs -o size=3m tmpfs {mount}
run() {{ TUTOR_NOW=2026-01-05T10:00:00 {' '.join(tutor)} "$@"; echo "rc=$?"; }}
run review adam-name --rating good
dd if=/dev/zero of={mount}/fill bs=1k count=4000 2>/dev/null
run review adam-update-rule --rating good
rm {mount}/fill
mount -o remount,ro {mount}
run review adam-update-rule --rating good
run due --json | grep -o "rc=[0-9]*"
"""
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    out = done.stdout + done.stderr
    assert out.count("rc=0") == 2, out  # the first review, and reading on the read-only disk
    assert "no space left on the device" in out and "read-only file system" in out
    assert "damaged" not in out and "internal error" not in out and "Traceback" not in out


@pytest.mark.parametrize("home_path", ["a-file", "/dev/null"], ids=["a file", "a device"])
def test_a_data_dir_that_is_not_a_folder_is_named_as_such(cli, tmp_path, monkeypatch, home_path):
    """It said 'cannot open it: File exists' of a tutor.db that does not exist."""
    home = tmp_path / home_path if home_path == "a-file" else home_path
    if home_path == "a-file":
        home.write_text("my notes")
    monkeypatch.setenv("TUTOR_HOME", str(home))
    result = cli("due", "--content", str(LINALG))
    assert result.code == 2 and result.err.strip().splitlines() == [
        f"tutor: error: {home}: the data dir is not a folder; choose another with --home or TUTOR_HOME"]
