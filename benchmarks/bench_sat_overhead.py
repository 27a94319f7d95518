"""Overhead of trainhard's ``solve`` over handing the same CNF to PySAT directly.

For random 3-uniform hypergraphs near the set-splitting threshold this times,
interleaved on the same instances:

(a) ``solvers.exact.sat.solve(hypergraph, solver=NAME)`` end to end: encoding,
    solving, decoding and verifying the witness;
(b) the clauses that :func:`solvers.exact.encodings.encode` produces, handed to the
    same backend: ``with Solver(NAME, bootstrap_with=clauses) as s:
    s.solve(); s.get_model()``.

The order of (a) and (b) alternates from one measurement to the next.  The
output is markdown, ready to paste into ``benchmarks/RESULTS.md``::

    python3 benchmarks/bench_sat_overhead.py --n 100 200 400 --ratio 2.1 --instances 8 --repeats 3
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
from pysat.solvers import Solver  # noqa: E402

from benchmarks._common import machine, spread  # noqa: E402
from reductions.generators import make_rng, random_uniform_hypergraph  # noqa: E402
from solvers.exact.encodings import encode  # noqa: E402
from solvers.core.result import Status  # noqa: E402
from solvers.exact.sat import DEFAULT_SOLVER, SOLVERS, solve  # noqa: E402


def bare_pysat(name: str, clauses: Sequence[Sequence[int]]) -> bool:
    """(b): the same clauses straight to PySAT."""
    with Solver(name=name, bootstrap_with=clauses) as s:
        sat = s.solve()
        s.get_model()
    return bool(sat)


def run(n: int, args: argparse.Namespace, rng: np.random.Generator) -> tuple[str, list[str]]:
    """Measure one size; return its summary row and its per-instance rows."""
    instances = [random_uniform_hypergraph(n, k=args.k, ratio=args.ratio, seed=rng) for _ in range(args.instances)]
    clauses = [encode(h).clauses for h in instances]
    ours: list[list[float]] = [[] for _ in instances]
    theirs: list[list[float]] = [[] for _ in instances]
    overhead: list[list[float]] = [[] for _ in instances]
    verdicts: list[bool | None] = [None] * len(instances)
    for r in range(args.repeats):
        for i, h in enumerate(instances):
            for side in ("ab" if (r + i) % 2 == 0 else "ba"):
                start = time.perf_counter()
                if side == "a":
                    result = solve(h, solver=args.solver)
                    ours[i].append(time.perf_counter() - start)
                    overhead[i].append(result.time_s - result.stats["solve_s"])
                    sat = result.status is Status.SAT
                else:
                    sat = bare_pysat(args.solver, clauses[i])
                    theirs[i].append(time.perf_counter() - start)
                if verdicts[i] is None:
                    verdicts[i] = sat
                elif verdicts[i] != sat:
                    raise SystemExit(f"n={n} instance {i}: the two paths disagree")
            print(f"n={n} repeat {r + 1}/{args.repeats} instance {i + 1}/{len(instances)}: "
                  f"{'SAT' if verdicts[i] else 'UNSAT'} {ours[i][-1]:.3f}s / {theirs[i][-1]:.3f}s",
                  file=sys.stderr, flush=True)
    a = [t for ts in ours for t in ts]
    b = [t for ts in theirs for t in ts]
    paired = [statistics.median(x) / statistics.median(y) for x, y in zip(ours, theirs)]
    sat_count = sum(bool(v) for v in verdicts)
    m = instances[0].num_edges
    summary = (
        f"| {n} | {m} | {sat_count} / {len(instances) - sat_count} | {spread(a)} | {spread(b)} "
        f"| {statistics.median(a) / statistics.median(b):.3f} | {spread(paired, '{:.3f}')} | {sum(a) / sum(b):.3f} "
        f"| {statistics.median(t for ts in overhead for t in ts) * 1e3:.2f} |"
    )
    rows = [
        f"| {n} | {i} | {'SAT' if verdicts[i] else 'UNSAT'} | {spread(ours[i])} | {spread(theirs[i])} | {paired[i]:.3f} |"
        for i in range(len(instances))
    ]
    return summary, rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print markdown to stdout (progress goes to stderr)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 200, 400], help="numbers of vertices")
    parser.add_argument("--ratio", type=float, default=2.1, help="edges per vertex (default %(default)s)")
    parser.add_argument("--k", type=int, default=3, help="edge size (default %(default)s)")
    parser.add_argument("--instances", type=int, default=8, help="instances per n (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="timings per instance and side (default %(default)s)")
    parser.add_argument("--solver", default=DEFAULT_SOLVER, choices=sorted(SOLVERS), help="PySAT backend")
    parser.add_argument("--seed", type=int, default=0, help="seed of the instance stream (default %(default)s)")
    args = parser.parse_args(argv)
    rng = make_rng(args.seed)

    print("## SAT overhead: trainhard `solve(hypergraph)` vs the same CNF straight to PySAT\n")
    print("\n".join(machine()))
    print(f"- backend {args.solver}; random {args.k}-uniform hypergraphs, {args.ratio} edges per vertex, "
          f"{args.instances} instances per n, {args.repeats} interleaved repeats, seed {args.seed}")
    print(f"- command: `python3 benchmarks/bench_sat_overhead.py {' '.join(sys.argv[1:] if argv is None else argv)}`")
    print("- (a) trainhard: encode + solve + decode + verify; (b) PySAT: "
          "`with Solver(name, bootstrap_with=clauses) as s: s.solve(); s.get_model()` on the clauses of `encode()`")
    print("- times in seconds, `median [min–max]` over instances × repeats; the paired ratio is per instance, "
          "median(a) / median(b); total ratio is Σa / Σb\n")
    summaries, details = [], []
    for n in args.n:
        summary, rows = run(n, args, rng)
        print(summary, file=sys.stderr, flush=True)
        summaries.append(summary)
        details.extend(rows)
    print("| n | edges | SAT / UNSAT | (a) trainhard s | (b) PySAT s | ratio of medians | paired ratio "
          "| total ratio | encode+verify ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(summaries))
    print("\nPer instance (median [min–max] over repeats):\n")
    print("| n | instance | verdict | (a) trainhard s | (b) PySAT s | ratio |")
    print("|---|---|---|---|---|---|")
    print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
