"""Minimum error with a fixed AND output against learned output tables (monotone, any) on real data.

For each data set (scikit-learn's bundled ones, as in
:mod:`benchmarks.real_data`) and ``--k`` hidden units,
``train_exact(ts, k, output=O, min_error=True, time_limit=...)`` for O in
``and``, ``monotone`` and ``any``; the table learned is printed as bits (bit
b: the output when unit i gives bit i of b).  A learned family contains AND,
so its minimum can never exceed AND's (checked; a violation exits 1).

Usage::

    python3 benchmarks/bench_learned_output.py --k 2 --time-limit 60
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_DATASETS = ["iris-petal", "iris-sepal", "iris-all", "wine"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=DEFAULT_DATASETS, metavar="NAME")
    parser.add_argument("--k", type=int, default=2, help="hidden units (default %(default)s)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per run (default %(default)s)")
    args = parser.parse_args(argv)
    from benchmarks._common import real_data_header

    training_set = real_data_header("bench_learned_output.py", argv)
    if training_set is None:
        return 2
    from solvers.exact.trainer import train_exact

    print()
    print("| data set | k | AND | monotone (learned) | any (learned) |")
    print("|---|---|---|---|---|")
    problems = []
    for name in args.datasets:
        ts = training_set(name)
        cells, optima = [], {}
        for output in ("and", "monotone", "any"):
            start = time.perf_counter()
            r = train_exact(ts, args.k, output=output, min_error=True, time_limit=args.time_limit)
            table = "" if output == "and" or r.network is None else " table " + "".join(
                "1" if v else "0" for v in r.network.output.table)
            cells.append(f"{r.status.value} [{r.errors_lower}, {r.errors_upper}]{table}, "
                         f"{time.perf_counter() - start:.1f} s")
            if r.status.value == "SAT":
                optima[output] = r.errors
        for family in ("monotone", "any"):
            if family in optima and "and" in optima and optima[family] > optima["and"]:
                problems.append(f"{name}: the {family} minimum {optima[family]} exceeds AND's {optima['and']}")
        print(f"| {name} | {args.k} | " + " | ".join(cells) + " |", flush=True)
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
