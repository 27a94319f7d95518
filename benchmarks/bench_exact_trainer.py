"""The exact trainer on Blum–Rivest training sets: lazy SAT + LP against the big-M MILP.

Random 3-uniform hypergraphs near the splitting threshold (seeds 0..I-1 per
cell) go through ``splitting-to-blum-rivest``; each training set (1 + n + m
points in n dimensions, two threshold units, AND output) is decided by

* ``lazy``: :func:`solvers.exact.trainer.train_exact` (decision only: the time to
  a verdict with its certificate, core minimisation off);
* ``milp``: the same with ``method="milp"`` (HiGHS through SciPy), for
  ``n <= --milp-max-n`` and with ``--milp-time-limit``;
* CaDiCaL on the source hypergraph, for reference.

The three run back to back on each instance, so the per-instance ratio
MILP / lazy compares them under the same load.  Every verdict is checked
against CaDiCaL's (a mismatch aborts the run).

Usage::

    python3 benchmarks/bench_exact_trainer.py --n 30 50 100 150 200 300 --ratios 2.0 2.3 --instances 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import machine, spread  # noqa: E402
from reductions.blum_rivest import blum_rivest  # noqa: E402
from reductions.generators import random_uniform_hypergraph  # noqa: E402
from solvers.core.result import Status  # noqa: E402
from solvers.exact.sat import solve  # noqa: E402
from solvers.exact.trainer import train_exact  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[30, 50, 100, 150, 200, 300])
    parser.add_argument("--ratios", type=float, nargs="+", default=[2.0, 2.3])
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--milp-max-n", type=int, default=150, help="run the MILP up to this n")
    parser.add_argument("--milp-time-limit", type=float, default=180.0)
    parser.add_argument("--lazy-time-limit", type=float, default=300.0)
    parser.add_argument("--min-error", action="store_true",
                        help="time the minimum-error mode instead (RC2 vs the MILP with error indicators)")
    args = parser.parse_args(argv)
    if args.min_error:
        return _min_error_table(args, argv)
    train_exact(blum_rivest(random_uniform_hypergraph(5, m=4, seed=0)), method="milp")  # warm up imports
    train_exact(blum_rivest(random_uniform_hypergraph(5, m=4, seed=0)))
    print("\n".join(machine()))
    print(f"command: python3 benchmarks/bench_exact_trainer.py {' '.join(sys.argv[1:] if argv is None else argv)}")
    print()
    print(
        "| n | edges/vertex | points | SAT/UNSAT | lazy s | MILP s | MILP / lazy (paired) | CaDiCaL ms "
        "| lazy LPs | conflicts learned |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in args.n:
        for ratio in args.ratios:
            lazy_t, milp_t, ratios, cad_ms, lps, conflicts, verdicts = [], [], [], [], [], [], []
            milp_unknown = 0
            points = 0
            for seed in range(args.instances):
                h = random_uniform_hypergraph(n, ratio=ratio, seed=seed)
                ts = blum_rivest(h)
                points = ts.num_points
                source = solve(h)
                cad_ms.append(source.time_s * 1000)
                start = time.perf_counter()
                lazy = train_exact(ts, minimize_core=False, time_limit=args.lazy_time_limit)
                t_lazy = time.perf_counter() - start
                if Status.UNKNOWN not in (lazy.status, source.status) and lazy.status is not source.status:
                    raise SystemExit(f"n={n} ratio={ratio} seed={seed}: lazy {lazy.status.value}, CaDiCaL {source.status.value}")
                lazy_t.append(t_lazy)
                lps.append(lazy.stats.get("lp_calls", 0))
                conflicts.append(lazy.stats.get("conflicts", 0))
                verdicts.append(lazy.status.value)
                if n <= args.milp_max_n:
                    start = time.perf_counter()
                    milp = train_exact(ts, method="milp", time_limit=args.milp_time_limit)
                    t_milp = time.perf_counter() - start
                    if milp.status is Status.UNKNOWN:
                        milp_unknown += 1
                    elif milp.status is not source.status and source.status is not Status.UNKNOWN:
                        raise SystemExit(f"n={n} ratio={ratio} seed={seed}: MILP {milp.status.value}, CaDiCaL {source.status.value}")
                    milp_t.append(t_milp)
                    ratios.append(t_milp / t_lazy)
            counts = f"{verdicts.count('SAT')}/{verdicts.count('UNSAT')}"
            if verdicts.count("UNKNOWN"):
                counts += f" (+{verdicts.count('UNKNOWN')} unknown)"
            milp_cell = spread(milp_t, '{:.3g}') + (f" ({milp_unknown} hit the limit)" if milp_unknown else "")
            print(
                f"| {n} | {ratio} | {points} | {counts} | {spread(lazy_t, '{:.3g}')} | {milp_cell} | {spread(ratios, '{:.1f}')} "
                f"| {spread(cad_ms, '{:.1f}')} | {int(statistics.median(lps))} | {int(statistics.median(conflicts))} |",
                flush=True,
            )
    return 0


def _min_error_table(args: argparse.Namespace, argv: list[str] | None) -> int:
    train_exact(blum_rivest(random_uniform_hypergraph(5, m=4, seed=0)), method="milp", min_error=True)
    train_exact(blum_rivest(random_uniform_hypergraph(5, m=4, seed=0)), min_error=True)
    print("\n".join(machine()))
    print(f"command: python3 benchmarks/bench_exact_trainer.py {' '.join(sys.argv[1:] if argv is None else argv)}")
    print()
    print("| n | edges/vertex | points | min errors (per instance) | lazy (RC2) s | MILP s | MILP / lazy (paired) |")
    print("|---|---|---|---|---|---|---|")
    for n in args.n:
        for ratio in args.ratios:
            lazy_t, milp_t, ratios, errors = [], [], [], []
            points, unknown = 0, 0
            for seed in range(args.instances):
                ts = blum_rivest(random_uniform_hypergraph(n, ratio=ratio, seed=seed))
                points = ts.num_points
                start = time.perf_counter()
                lazy = train_exact(ts, min_error=True, time_limit=args.lazy_time_limit)
                t_lazy = time.perf_counter() - start
                lazy_t.append(t_lazy)
                errors.append(str(lazy.errors) if lazy.errors is not None else "?")
                if n <= args.milp_max_n:
                    start = time.perf_counter()
                    milp = train_exact(ts, method="milp", min_error=True, time_limit=args.milp_time_limit)
                    t_milp = time.perf_counter() - start
                    if milp.errors is None:
                        unknown += 1
                    elif lazy.errors is not None and milp.errors != lazy.errors:
                        raise SystemExit(f"n={n} ratio={ratio} seed={seed}: RC2 {lazy.errors}, MILP {milp.errors}")
                    milp_t.append(t_milp)
                    ratios.append(t_milp / t_lazy)
            milp_cell = spread(milp_t, '{:.3g}') + (f" ({unknown} hit the limit)" if unknown else "")
            print(f"| {n} | {ratio} | {points} | {' '.join(errors)} | {spread(lazy_t, '{:.3g}')} | {milp_cell} | {spread(ratios, '{:.1f}')} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
