"""Drill-check timings (ARCHITECTURE.md, Speed budgets): cold <= 1.5 x `python -I -c "import numpy"`, warm <= 0.1 s.

Prints medians over several runs:
- baseline: a fresh `python -I -c "import numpy"`;
- cold process: a fresh interpreter that loads the bundled content and checks a correct
  adam-step (what `tutor drill check adam-step FILE` does), and the CLI itself;
- the CLI with no usable case cache (its cache dir cannot be created), as on a first check:
  the checking process then imports numpy to build the cases;
- cold call: `check_drill` in a process that is already running (a new sandboxed child);
- warm: `WarmRunner.check` with its child already started (numpy imported).

Every command runs with a temporary TUTOR_HOME (its attempts and case cache; one warm-up run
fills it) and with tutor's bytecode written, as an installed tutor runs (common.precompile).

Run: /work/venv/bin/python bench/bench_drill.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from common import precompile  # noqa: E402

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
from tutor.drills import OneShotRunner
runner = OneShotRunner()
runner.start()
from tutor.content import bundled_content_dir, load_library
drill = load_library([bundled_content_dir()]).items["adam-step"]
result = runner.check(drill, open(sys.argv[1]).read())
runner.close()
assert result["status"] == "pass", result
"""


# Whether the CLI's own process imported numpy (it should not, for a pass from the cache).
NUMPY_PROBE = """
import sys
from tutor.cli import main
code = main(sys.argv[1:])
print("numpy" in sys.modules, code)
"""


def _seconds(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env)
    return time.perf_counter() - started


def _in_process(runs: int) -> tuple[list[float], list[float], list[str]]:
    """(cold call times, warm check times, confinement layers) in this process."""
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
    return cold_call, warm, layers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    python = sys.executable
    precompile()
    with tempfile.TemporaryDirectory() as tmp:
        solution = Path(tmp, "adam_step.py")
        solution.write_text(ADAM_VECTORISED)
        env = {**os.environ, "TUTOR_HOME": str(Path(tmp, "home"))}
        no_cache_env = {**os.environ, "TUTOR_HOME": str(Path(tmp, "home-no-cache"))}
        Path(tmp, "home-no-cache").mkdir()
        Path(tmp, "home-no-cache", "cache").write_text("a file where the cache dir would go\n")
        tutor = shutil.which("tutor") or str(Path(python).with_name("tutor"))
        cli = [tutor, "drill", "check", "adam-step", str(solution), "--json"]
        commands = {
            "baseline": ([python, "-I", "-c", "import numpy"], env),
            "cold": ([python, "-c", COLD_SCRIPT, str(solution)], env),
            "prestart": ([python, "-c", PRESTART_SCRIPT, str(solution)], env),
            "cli": (cli, env),
            "cli-no-cache": (cli, no_cache_env),
        }
        for argv, command_env in commands.values():  # warm the OS file cache and the case cache
            _seconds(argv, command_env)
        probe = subprocess.run([python, "-c", NUMPY_PROBE, *cli[1:]], env=env, text=True,
                               capture_output=True, check=True).stdout.split()[-2:]
        # Interleaved rounds, so that a busy machine slows every command alike; the ratios
        # are medians of per-round ratios.
        times = {name: [] for name in commands}
        for _ in range(runs):
            for name, (argv, command_env) in commands.items():
                times[name].append(_seconds(argv, command_env))
        os.environ["TUTOR_HOME"] = env["TUTOR_HOME"]  # the calls below, in this process
        cold_call, warm, layers = _in_process(runs)
    ratio = {name: statistics.median(t / b for t, b in zip(times[name], times["baseline"]))
             for name in commands}
    seconds = {name: statistics.median(values) for name, values in times.items()}
    baseline = seconds["baseline"]

    print(f"confinement: {', '.join(layers)}")
    print(f"baseline  python -I -c 'import numpy'        {baseline:.3f} s")
    print(f"cold      fresh process: load deck + check  {seconds['cold']:.3f} s  "
          f"ratio {ratio['cold']:.2f} (budget <= 1.5)")
    print(f"cold      same, child started first       {seconds['prestart']:.3f} s  "
          f"ratio {ratio['prestart']:.2f}")
    print(f"cold      tutor drill check adam-step     {seconds['cli']:.3f} s  "
          f"ratio {ratio['cli']:.2f} (budget <= 1.5); numpy imported by the CLI process: "
          f"{'yes' if probe[0] == 'True' else 'no'}, exit {probe[1]}")
    print(f"cold      same, no case cache (first run)  {seconds['cli-no-cache']:.3f} s  "
          f"ratio {ratio['cli-no-cache']:.2f}")
    print(f"cold call check_drill in a running process  {statistics.median(cold_call):.3f} s  "
          f"ratio {statistics.median(cold_call) / baseline:.2f}")
    print(f"warm      WarmRunner.check                  {statistics.median(warm):.3f} s  "
          "(budget <= 0.1 s)")


if __name__ == "__main__":
    main()
