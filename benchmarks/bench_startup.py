"""Start-up cost of the command line and of the library's lazy public API.

``import solvers`` loads nothing heavy (PySAT, SciPy and torch come only
with the first name that needs them), and ``trainhard --help`` builds every
subcommand's parser from the registries.  Both run in a fresh interpreter
each time, so the figures include Python's own start-up.

    python3 benchmarks/bench_startup.py                      # this checkout
    python3 benchmarks/bench_startup.py --against ../old     # paired with another checkout, alternating

With ``--against``, each repetition runs both checkouts back to back (the
order alternating), so the ratio is paired within one run on one machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "trainhard --help": [sys.executable, "-m", "solvers", "--help"],
    "import solvers": [sys.executable, "-c", "import solvers"],
    "import solvers; solvers.solve": [sys.executable, "-c", "import solvers; solvers.solve"],
    "import solvers; solvers.train_gd": [sys.executable, "-c", "import solvers; solvers.train_gd"],
}


def _time(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--against", type=Path, default=None, metavar="DIR", help="another checkout, measured alternately")
    args = parser.parse_args(argv)
    trees = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})
    print(f"# {sys.executable}, {args.repeats} repetitions, median [min-max] in ms")
    for case, command in CASES.items():
        if "train_gd" in case and args.against and "train_gd" not in (args.against / "solvers" / "__init__.py").read_text():
            continue  # the other checkout does not export it
        times: dict[str, list[float]] = {name: [] for name in trees}
        for rep in range(args.repeats):
            order = list(trees) if rep % 2 == 0 else list(reversed(trees))
            for name in order:
                times[name].append(_time(command, trees[name]))
        cells = [f"{name} {1e3 * statistics.median(t):.0f} [{1e3 * min(t):.0f}-{1e3 * max(t):.0f}]"
                 for name, t in times.items()]
        ratio = ""
        if args.against:
            ratio = f", ratio this/against {statistics.median(times['this']) / statistics.median(times['against']):.2f}"
        print(f"{case}: {'; '.join(cells)}{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
