"""Nothing typed is lost when the app dies: a drill and a derivation are typed in two real
app processes under pseudo-terminals, both are SIGKILLed, and on restart both drafts are back."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

from tests.tui.engines_app import ADAM_DRILL, DERIVATION_ID, NOW, REPO, EnginesApp, open_study
from tutor.tui.widgets.code_editor import CodeEditor
from tutor.tui.widgets.step_editor import StepEditor

DRILL_TYPED = "# typed before the kill"
DERIVATION_TYPED = "E[hat_m_t]"


class TerminalApp:
    """The engines test app in a child process on its own 80x24 pseudo-terminal."""

    def __init__(self, home, kind: str, item_id: str):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", TUTOR_NOW=NOW, TUTOR_HOME=str(home),
                   PYTHONPATH=str(REPO))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.tui.engines_app", str(home), kind, item_id],
            stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env, start_new_session=True)
        os.close(slave)
        self.screen = b""

    def read(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                return
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.screen += chunk

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.screen:
            assert time.monotonic() < deadline, f"{text!r} never appeared: {self.screen[-2000:]!r}"
            self.read(0.2)

    def type(self, text: str) -> None:
        for char in text:
            os.write(self.master, char.encode())
            self.read(0.02)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        os.close(self.master)


async def test_drafts_survive_a_killed_app(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("TUTOR_NOW", NOW)
    open_study(home).store.close()  # one process creates the database, as in real use
    drill = TerminalApp(home, "drill", ADAM_DRILL.id)
    derivation = TerminalApp(home, "derivation", DERIVATION_ID)
    try:
        drill.wait_for("Adam step in numpy")
        derivation.wait_for("Bias correction")
        drill.type(DRILL_TYPED)
        derivation.type(DERIVATION_TYPED)
        drill.read(1.0)  # both keep typing-pause saves: 0.5 s after the last key
        derivation.read(0.2)
    finally:
        drill.kill()
        derivation.kill()
    assert drill.process.returncode == -signal.SIGKILL
    assert derivation.process.returncode == -signal.SIGKILL

    app = EnginesApp(home, "drill", ADAM_DRILL.id)
    async with app.run_test(size=(80, 24)):
        text = app.screen.query_one("#drill-editor", CodeEditor).text
        assert text.startswith(DRILL_TYPED) and ADAM_DRILL.starter.strip() in text
    app = EnginesApp(home, "derivation", DERIVATION_ID)
    async with app.run_test(size=(80, 24)):
        assert app.screen.query_one("#derive-editor", StepEditor).text == DERIVATION_TYPED
