"""Deciding 3-CNF through Judd's loading problem vs deciding the formula directly.

For random 3-CNF near the satisfiability threshold (``random_kcnf``, about
4.26 clauses per variable) this times, interleaved on the same formulas:

(a) **loading**: ``cnf_to_loading(f)`` (the reduction, threshold units), then
    ``decide_loading`` end to end: the exact SAT encoding of the loading
    instance (truth tables, support-cone patterns, threshold family),
    solving, decoding the configuration and checking it with the public
    verifier ``loads``;
(b) **direct**: ``solvers.exact.sat.solve(f)``: the formula itself, solved,
    model verified.

Both use the same backend (CaDiCaL 1.9.5 by default).  The verdicts must
agree (the benchmark stops otherwise).  Output is markdown for
``benchmarks/RESULTS.md``; progress goes to standard error::

    python3 benchmarks/bench_loading.py --n 20 50 100 200 --instances 5 --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

import numpy as np  # noqa: E402

from benchmarks._common import machine, spread  # noqa: E402
from reductions.generators import make_rng, random_kcnf  # noqa: E402
from reductions.judd import cnf_to_loading  # noqa: E402
from solvers.exact.loading import decide_loading  # noqa: E402
from solvers.core.result import Status  # noqa: E402
from solvers.exact.sat import DEFAULT_SOLVER, SOLVERS, solve  # noqa: E402


def loading_path(f, solver: str, time_limit: float | None) -> tuple[Status, float, float, dict]:
    """(a): reduce, then decide the loading instance; returns (status, total s, reduce s, stats)."""
    start = time.perf_counter()
    instance = cnf_to_loading(f)
    reduced = time.perf_counter()
    result = decide_loading(instance, solver=solver, time_limit=time_limit)
    end = time.perf_counter()
    stats = {**result.stats, "nodes": instance.num_nodes, "pairs": instance.num_pairs}
    return result.status, end - start, reduced - start, stats


def run(n: int, args: argparse.Namespace, rng: np.random.Generator) -> tuple[str, list[str]]:
    """Measure one size; return its summary row and its per-instance rows."""
    formulas = [random_kcnf(n, k=3, ratio=args.ratio, seed=rng) for _ in range(args.instances)]
    ours: list[list[float]] = [[] for _ in formulas]
    reduce_s: list[list[float]] = [[] for _ in formulas]
    theirs: list[list[float]] = [[] for _ in formulas]
    verdicts: list[Status | None] = [None] * len(formulas)
    sizes: list[dict] = [{} for _ in formulas]
    for r in range(args.repeats):
        for i, f in enumerate(formulas):
            for side in ("ab" if (r + i) % 2 == 0 else "ba"):
                if side == "a":
                    status, total, red, stats = loading_path(f, args.solver, args.time_limit)
                    ours[i].append(total)
                    reduce_s[i].append(red)
                    sizes[i] = stats
                else:
                    start = time.perf_counter()
                    status = solve(f, solver=args.solver, time_limit=args.time_limit).status
                    theirs[i].append(time.perf_counter() - start)
                if status is Status.UNKNOWN:
                    raise SystemExit(f"n={n} instance {i}: UNKNOWN within {args.time_limit} s; stop this size")
                if verdicts[i] is None:
                    verdicts[i] = status
                elif verdicts[i] is not status:
                    raise SystemExit(f"n={n} instance {i}: the two paths disagree ({verdicts[i]} vs {status})")
            print(f"n={n} repeat {r + 1}/{args.repeats} instance {i + 1}/{len(formulas)}: {verdicts[i].value} "
                  f"{ours[i][-1]:.3f}s / {theirs[i][-1]:.3f}s", file=sys.stderr, flush=True)
    a = [t for ts in ours for t in ts]
    b = [t for ts in theirs for t in ts]
    red = [t for ts in reduce_s for t in ts]
    paired = [statistics.median(x) / statistics.median(y) for x, y in zip(ours, theirs)]
    sat = sum(v is Status.SAT for v in verdicts)
    m = formulas[0].num_clauses
    size = sizes[0]
    summary = (
        f"| {n} | {m} | {sat} / {len(formulas) - sat} | {size['nodes']} / {size['pairs']} "
        f"| {size['variables']} / {size['clauses']} | {spread(a)} | {spread(red)} | {spread(b)} "
        f"| {statistics.median(a) / statistics.median(b):.2f} | {spread(paired, '{:.2f}')} |"
    )
    rows = [
        f"| {n} | {i} | {verdicts[i].value} | {spread(ours[i])} | {spread(theirs[i])} | {paired[i]:.2f} |"
        for i in range(len(formulas))
    ]
    return summary, rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print markdown to stdout (progress goes to stderr)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[20, 50, 100, 200], help="numbers of variables")
    parser.add_argument("--ratio", type=float, default=4.26, help="clauses per variable (default %(default)s)")
    parser.add_argument("--instances", type=int, default=5, help="formulas per n (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="timings per formula and path (default %(default)s)")
    parser.add_argument("--solver", default=DEFAULT_SOLVER, choices=sorted(SOLVERS), help="PySAT backend")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per decision (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the formula stream (default %(default)s)")
    args = parser.parse_args(argv)
    rng = make_rng(args.seed)

    print("## Judd's loading problem: deciding 3-CNF through `cnf-to-loading` vs directly\n")
    print("\n".join(machine()))
    print(f"- backend {args.solver}; random 3-CNF (`random_kcnf`), {args.ratio} clauses per variable, "
          f"{args.instances} formulas per n, {args.repeats} interleaved repeats, seed {args.seed}")
    print(f"- command: `python3 benchmarks/bench_loading.py {' '.join(sys.argv[1:] if argv is None else argv)}`")
    print("- (a) loading: `cnf_to_loading(f)` + `decide_loading` (encode, solve, decode, verify the configuration); "
          "(b) direct: `solve(f)` (solve, verify the model)")
    print("- times in seconds, `median [min–max]` over formulas × repeats; the paired ratio is per formula, "
          "median(a) / median(b)\n")
    summaries, details = [], []
    for n in args.n:
        summary, rows = run(n, args, rng)
        print(summary, file=sys.stderr, flush=True)
        summaries.append(summary)
        details.extend(rows)
    print("| n | clauses | SAT / UNSAT | nodes / pairs | SAT vars / clauses (loading) | (a) loading s "
          "| of which reduction s | (b) direct s | ratio of medians | paired ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(summaries))
    print("\nPer formula (median [min–max] over repeats):\n")
    print("| n | formula | verdict | (a) loading s | (b) direct s | ratio |")
    print("|---|---|---|---|---|---|")
    print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
