"""Drill-check timings against DESIGN §9: cold <= 1.5 x `python -I -c "import numpy"`, warm <= 0.1 s.

Prints medians over several runs:
- baseline: a fresh `python -I -c "import numpy"`;
- cold process: a fresh interpreter that loads the bundled content and checks a correct
  adam-step (what `tutor drill check adam-step FILE` does), and the CLI itself when wired;
- cold call: `check_drill` in a process that is already running (a new sandboxed child);
- warm: `WarmRunner.check` with its child already started (numpy imported).

Run: /work/venv/bin/python bench/bench_drill.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.drills.drill_solutions import ADAM_VECTORISED  # noqa: E402

COLD_SCRIPT = """
import sys
from tutor.content import bundled_content_dir, load_library
from tutor.drills import check_drill
drill = load_library([bundled_content_dir()]).items["adam-step"]
result = check_drill(drill, open(sys.argv[1]).read())
assert result["status"] == "pass", result
"""

# The same with the child started before the content is loaded, as a one-shot CLI can do.
PRESTART_SCRIPT = """
import sys
from tutor.drills import WarmRunner
runner = WarmRunner(keep_warm=False)
runner.start()
from tutor.content import bundled_content_dir, load_library
drill = load_library([bundled_content_dir()]).items["adam-step"]
result = runner.check(drill, open(sys.argv[1]).read())
runner.close()
assert result["status"] == "pass", result
"""


def _seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        solution = Path(tmp, "adam_step.py")
        solution.write_text(ADAM_VECTORISED)
        tutor = shutil.which("tutor") or str(Path(python).with_name("tutor"))
        commands = {
            "baseline": [python, "-I", "-c", "import numpy"],
            "cold": [python, "-c", COLD_SCRIPT, str(solution)],
            "prestart": [python, "-c", PRESTART_SCRIPT, str(solution)],
            "cli": [tutor, "drill", "check", "adam-step", str(solution), "--json"],
        }
        if subprocess.run(commands["cli"], capture_output=True).returncode != 0:
            del commands["cli"]
        for argv in commands.values():  # warm the OS file cache
            _seconds(argv)
        # Interleaved rounds, so that a busy machine slows every command alike; the ratios
        # are medians of per-round ratios.
        times = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                times[name].append(_seconds(argv))
    ratio = {name: statistics.median(t / b for t, b in zip(times[name], times["baseline"]))
             for name in commands}
    seconds = {name: statistics.median(values) for name, values in times.items()}
    baseline = seconds["baseline"]

    from tutor.content import bundled_content_dir, load_library
    from tutor.drills import WarmRunner, check_drill

    drill = load_library([bundled_content_dir()]).items["adam-step"]
    check_drill(drill, ADAM_VECTORISED)  # import the grader in this process
    cold_call, warm, layers = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        result = check_drill(drill, ADAM_VECTORISED)
        cold_call.append(time.perf_counter() - started)
        layers = result["confinement"]
    with WarmRunner() as runner:
        for _ in range(runs):
            time.sleep(0.6)  # let the next child finish importing numpy, as the TUI would
            started = time.perf_counter()
            result = runner.check(drill, ADAM_VECTORISED)
            warm.append(time.perf_counter() - started)
            assert result["status"] == "pass"

    print(f"confinement: {', '.join(layers)}")
    print(f"baseline  python -I -c 'import numpy'        {baseline:.3f} s")
    print(f"cold      fresh process: load deck + check  {seconds['cold']:.3f} s  "
          f"ratio {ratio['cold']:.2f} (budget <= 1.5)")
    print(f"cold      same, child started first       {seconds['prestart']:.3f} s  "
          f"ratio {ratio['prestart']:.2f}")
    if "cli" in commands:
        print(f"cold      tutor drill check adam-step     {seconds['cli']:.3f} s  "
              f"ratio {ratio['cli']:.2f} (budget <= 1.5)")
    else:
        print("cold      tutor drill check adam-step     (CLI not wired yet)")
    print(f"cold call check_drill in a running process  {statistics.median(cold_call):.3f} s  "
          f"ratio {statistics.median(cold_call) / baseline:.2f}")
    print(f"warm      WarmRunner.check                  {statistics.median(warm):.3f} s  "
          "(budget <= 0.1 s)")


if __name__ == "__main__":
    main()
