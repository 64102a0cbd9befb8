"""A home on a virtual file system (/proc, /sys) is named as such: its statvfs reports no free
blocks, so the store said "no space left on the device", which sends a learner to free disk
space that is not the problem."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import subprocess_env

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self") or not os.path.isdir("/sys/kernel"),
                                reason="needs Linux's /proc and /sys")


@pytest.mark.parametrize("home, folder", [("/proc/self", "/proc/self"),  # exists: tutor.db cannot be made
                                          ("/proc/self/tutor-data", "/proc/self"),  # the data dir cannot be made
                                          ("/sys/kernel", "/sys/kernel")])
def test_a_home_on_a_virtual_file_system_is_named_as_such(home, folder):
    done = subprocess.run([sys.executable, "-m", "tutor", "due"], capture_output=True, text=True, timeout=120,
                          env=subprocess_env(TUTOR_HOME=home))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"{folder} is not a folder a file can be saved in" in done.stderr
    assert "no space" not in done.stderr and "damaged" not in done.stderr
    assert "--home or TUTOR_HOME" in done.stderr
