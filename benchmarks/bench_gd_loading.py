"""Gradient descent on Judd loading instances: how often it loads random 3-CNF images that are loadable.

For each cell (n variables, clauses per variable), random 3-CNF formulas
(seeds 0, 1, ...) go through ``cnf-to-loading`` (threshold units, depth 2,
fan-in 3; Judd 1988, J. Complexity 4:177–192, with trainhard's own gadget)
and through :func:`solvers.experiments.crosscheck.crosscheck`: CaDiCaL decides the
formula, :func:`solvers.gd.loading.train_gd_loading` trains R restarts,
every success is judged by the exact ``loads`` and mapped back to a model
that ``verify`` checks.  Printed per cell: fraction satisfiable, fraction
loaded by gradient descent, pairs, the best number of wrong pairs of
gradient descent on the satisfiable instances (median and range), and the
gradient-descent wall time per instance (median and range).

Example
-------
python3 benchmarks/bench_gd_loading.py --n 10 20 40 --ratios 3.0 4.3 --instances 3 --restarts 16 --steps 300
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from solvers.experiments.crosscheck import crosscheck, generated_cases  # noqa: E402
from solvers.gd.networks import GDConfig  # noqa: E402
from solvers.core.result import Status  # noqa: E402


def _spread(values: list[float], fmt: str = "{:.3g}") -> str:
    if not values:
        return "-"
    return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}–{fmt.format(max(values))}]"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, nargs="+", default=[10, 20, 40])
    p.add_argument("--ratios", type=float, nargs="+", default=[3.0, 4.3])
    p.add_argument("--instances", type=int, default=3)
    p.add_argument("--restarts", type=int, default=16)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--temperature", type=float, default=0.3)
    p.add_argument("--surrogate", choices=["sigmoid", "anneal"], default="sigmoid")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", default=None, metavar="FILE", help="also write the rows as JSON")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    config = GDConfig(surrogate=args.surrogate, lr=args.lr, steps=args.steps, restarts=args.restarts,
                      temperature=args.temperature)
    print(f"# python {platform.python_version()}, torch {torch.__version__}, threads {args.threads}, "
          f"{args.restarts} restarts x {args.steps} steps, {args.surrogate} T={args.temperature}, adam lr {args.lr}")
    print("| n | clauses/var | pairs | satisfiable | loaded by GD | best wrong pairs, SAT (median [range]) | GD s/instance (median [range]) |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    start = time.perf_counter()
    for n in args.n:
        for ratio in args.ratios:
            cases = generated_cases("cnf", n, instances=args.instances, seed=0, ratio=ratio, reduction="cnf-to-loading")
            times = []
            results = []
            for case in cases:  # one case per call, so each instance's gradient-descent time is its own
                report = crosscheck([case], config)
                times.append(report.gd_run.time_s)
                results.extend(report.rows)
            sat = [r for r in results if r.exact_status is Status.SAT]
            solved = sum(r.gd.solved for r in results)
            wrong = [float(r.gd.best_errors) for r in sat]
            pairs = sorted({r.gd.num_pairs for r in results})
            row = {
                "n": n, "ratio": ratio, "instances": len(results), "pairs": pairs,
                "satisfiable": len(sat), "loaded_by_gd": solved,
                "best_wrong_pairs_sat": wrong, "gd_time_s": times,
                "verdicts": [r.verdict.value for r in results],
            }
            rows.append(row)
            print(f"| {n} | {ratio} | {pairs[0]}–{pairs[-1]} | {len(sat)}/{len(results)} | {solved}/{len(results)} | "
                  f"{_spread(wrong, '{:.0f}')} | {_spread(times)} |", flush=True)
    print(f"# total {time.perf_counter() - start:.1f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
