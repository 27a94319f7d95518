"""Exact fits with and without a warm start: gradient descent first, and solution-guided SAT phases.

For each data set (scikit-learn's bundled ones, as in
:mod:`benchmarks.real_data`) and ``--k`` hidden units (AND output), the
exact *fit* question ``train_exact(ts, k, time_limit=T)`` is answered

* **cold**: no warm start;
* **initial="gd"**: the project's gradient descent first
  (:func:`solvers.exact.trainer.warm_start_config`, at most half the limit); if its
  best network fits (checked exactly) the answer is SAT at once, otherwise
  the search starts next to it;
* **near misses**: gradient descent stopped early (``--near-steps``, 2
  restarts, so the network still makes mistakes), handed to the exact search
  as ``initial=``, once with the solver's phases set from its hidden
  patterns (solution-guided, the default) and once without
  (``solvers.exact.trainer._SOLUTION_GUIDED = False``), alternated within one run.

Every SAT answer carries a network checked exactly by ``fits`` (asserted
here again); a SAT and an UNSAT answer on the same question would exit 1.

Usage::

    python3 benchmarks/bench_warm_start.py --datasets digits-3v8 --k 3 --time-limit 30
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["digits-3v8"], metavar="NAME")
    parser.add_argument("--k", type=int, default=3, help="hidden units (default %(default)s)")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per exact run (default %(default)s)")
    parser.add_argument("--near-steps", type=int, nargs="*", default=[10, 30, 100],
                        help="gradient descent steps for the near-miss warm starts (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the initial='gd' cell (default %(default)s)")
    args = parser.parse_args(argv)
    from benchmarks._common import real_data_header, spread

    training_set = real_data_header("bench_warm_start.py", argv)
    if training_set is None:
        return 2
    import solvers.exact.trainer as trainer
    from reductions.problems import fits
    from solvers.gd.networks import train_gd

    print()
    verdicts: dict[str, set[str]] = {}

    def run(name: str, ts, **kwargs) -> tuple[str, float]:
        start = time.perf_counter()
        r = trainer.train_exact(ts, args.k, time_limit=args.time_limit, **kwargs)
        took = time.perf_counter() - start
        if r.status.value == "SAT":
            assert r.network is not None and fits(r.network, ts), "a SAT answer without a fitting network"
        verdicts.setdefault(name, set()).add(r.status.value)
        gd = r.stats.get("warm_start_gd")
        note = f" (gd {gd['errors']} errors in {gd['time_s']:.1f} s)" if gd else ""
        return f"{r.status.value}{note}", took

    print("| data set | k | warm start | status | exact s |")
    print("|---|---|---|---|---|")
    for name in args.datasets:
        ts = training_set(name)
        status, took = run(name, ts)
        print(f"| {name} | {args.k} | none (cold) | {status} | {took:.1f} |", flush=True)
        times, statuses = [], []
        for _ in range(args.repeats):
            status, took = run(name, ts, initial="gd")
            times.append(took)
            statuses.append(status)
        print(f"| {name} | {args.k} | initial=\"gd\" | {'; '.join(sorted(set(statuses)))} | {spread(times, '{:.1f}')} |",
              flush=True)
        for steps in args.near_steps:
            config = trainer.warm_start_config(args.k, "and", restarts=2, steps=steps)
            inst = train_gd(ts, config).instances[0]
            net = inst.network or inst.best_network
            for guided in (True, False):
                trainer._SOLUTION_GUIDED = guided
                try:
                    status, took = run(name, ts, initial=net)
                finally:
                    trainer._SOLUTION_GUIDED = True
                label = "phases from it" if guided else "bound only, no phases"
                print(f"| {name} | {args.k} | GD {steps} steps: {inst.best_errors} errors, {label} | {status} | "
                      f"{took:.1f} |", flush=True)
    clash = {n for n, v in verdicts.items() if {"SAT", "UNSAT"} <= v}
    if clash:
        print(f"error: SAT and UNSAT on the same question: {sorted(clash)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
