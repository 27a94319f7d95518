"""Cost of the independent target-side decider on Blum–Rivest training sets.

``solvers.exact.geometry.decide_and_network`` trusts no reduction: it backtracks
over which hidden unit rejects each negative point and checks each unit with
an LP, so it is exponential in the number of negatives (n for Blum–Rivest).
This measures where it stops being practical, against CaDiCaL on the source
hypergraph in the same run.

Usage::

    python3 benchmarks/bench_lp_decider.py --n 8 12 16 20 --instances 10 --ratio 2.0
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reductions.blum_rivest import blum_rivest  # noqa: E402
from reductions.generators import random_uniform_hypergraph  # noqa: E402
from solvers.exact.geometry import decide_and_network  # noqa: E402
from solvers.exact.sat import solve  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[8, 12, 16, 20])
    parser.add_argument("--ratio", type=float, default=2.0)
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args(argv)
    decide_and_network(blum_rivest(random_uniform_hypergraph(4, m=2, seed=0)), 2)  # import scipy first
    print(f"command: python3 benchmarks/bench_lp_decider.py {' '.join(sys.argv[1:])}")
    print()
    print("| n | edges | SAT/UNSAT/UNKNOWN | LP decider median s [min–max] | max search nodes | max LPs | CaDiCaL median ms |")
    print("|---|---|---|---|---|---|---|")
    for n in args.n:
        times, nodes, lps, sat_ms, verdicts = [], [], [], [], []
        for seed in range(args.instances):
            h = random_uniform_hypergraph(n, ratio=args.ratio, seed=seed)
            start = time.perf_counter()
            d = decide_and_network(blum_rivest(h), 2, time_limit=args.time_limit)
            times.append(time.perf_counter() - start)
            nodes.append(d.nodes)
            lps.append(d.lp_calls)
            r = solve(h)
            sat_ms.append(r.time_s * 1000)
            if d.status.value != "UNKNOWN" and d.status.value != r.status.value:  # pragma: no cover - a bug
                raise SystemExit(f"n={n} seed={seed}: LP decider {d.status.value}, CaDiCaL {r.status.value}")
            verdicts.append(d.status.value)
        counts = "/".join(str(verdicts.count(v)) for v in ("SAT", "UNSAT", "UNKNOWN"))
        print(
            f"| {n} | {round(args.ratio * n)} | {counts} | {statistics.median(times):.3f} [{min(times):.3f}–{max(times):.3f}] "
            f"| {max(nodes)} | {max(lps)} | {statistics.median(sat_ms):.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
