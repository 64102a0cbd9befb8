"""Derivation checking against its budgets (ARCHITECTURE.md, Speed budgets); prints figures and ratios, not a test.

* cold: checking bias-correction-first-moment's model solution in a fresh process, against
  `python -c "import sympy"` (budget <= 2.5x).  Uses `tutor derive check` when the CLI has it,
  else the same call through `tutor.derive.check_derivation`.
* warm: one step (two lines) through a warm CheckerProcess (budget <= 0.3 s).

Run: /work/venv/bin/python bench/bench_derive.py [--runs N]
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

ROOT = Path(__file__).resolve().parents[1]
ITEM = "bias-correction-first-moment"
COLD_SNIPPET = """
import sys
from tutor.content import load_library
from tutor.derive import check_derivation
item = load_library([sys.argv[1]]).items[sys.argv[2]]
result = check_derivation(item, open(sys.argv[3]).read())
sys.exit(0 if result["status"] == "pass" else 1)
"""


def run_time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def interleaved_medians(first: list[str], second: list[str], runs: int) -> tuple[float, float]:
    """Median wall times of two commands run alternately, so machine load hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        times[0].append(run_time(first))
        times[1].append(run_time(second))
    return statistics.median(times[0]), statistics.median(times[1])


def own_deck(tmp: Path) -> Path:
    """A content dir holding only the derivations, so other decks cannot get in the way."""
    deck = tmp / "content" / "derive-bench"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text("id: derive-bench\ntitle: bench\n")
    shutil.copy(ROOT / "content" / "adam" / "derivations.yaml", deck)
    return deck.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    sys.path.insert(0, str(ROOT))
    from tutor.content import load_library
    from tutor.derive import CheckerProcess

    with tempfile.TemporaryDirectory() as tmp_name:
        content = own_deck(Path(tmp_name))
        item = load_library([content]).items[ITEM]
        solution = Path(tmp_name) / "solution.txt"
        solution.write_text("\n".join(item.solution) + "\n")

        cli = shutil.which("tutor", path=str(Path(sys.executable).parent))
        cli_command = [cli, "--content", str(content), "derive", "check", ITEM, str(solution), "--json"]
        use_cli = cli is not None and subprocess.run(
            cli_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        command = cli_command if use_cli else [sys.executable, "-c", COLD_SNIPPET, str(content), ITEM,
                                               str(solution)]
        baseline, cold = interleaved_medians([sys.executable, "-c", "import sympy"], command, runs)
        label = "tutor derive check" if use_cli else "check_derivation in a fresh process"
        print(f"python -c 'import sympy'            median {baseline:.3f} s  ({runs} runs)")
        print(f"cold: {label:<34} median {cold:.3f} s  ratio {cold / baseline:.2f}x  (budget <= 2.5x)")

        with CheckerProcess() as pool:
            lines = list(item.solution[:2])
            pool.check_lines(item, lines)  # waits for the server to be warm
            warm = []
            for _ in range(max(runs, 10)):
                started = time.perf_counter()
                steps = pool.check_lines(item, lines)
                warm.append(time.perf_counter() - started)
                assert [s["status"] for s in steps] == ["ok", "ok"], steps
            full = []
            for _ in range(runs):
                started = time.perf_counter()
                assert pool.check(item, "\n".join(item.solution))["status"] == "pass"
                full.append(time.perf_counter() - started)
        print(f"warm: one step through the pool      median {statistics.median(warm):.3f} s"
              f"  max {max(warm):.3f} s  (budget <= 0.3 s)")
        print(f"warm: whole model solution (6 lines) median {statistics.median(full):.3f} s")


if __name__ == "__main__":
    main()
