"""The reference picture: how often gradient descent fits Blum–Rivest sets that are known to be fittable.

For each cell (n vertices, edges per vertex), random 3-uniform hypergraphs
(seeds 0, 1, ...) are decided exactly by CaDiCaL and reduced to the
Blum–Rivest training set (2 hidden threshold units, AND output); gradient
descent then runs R restarts on each (:func:`solvers.experiments.crosscheck.crosscheck`),
and every success is judged by the exact ``fits`` and mapped back to a
splitting that ``is_splitting`` checks.  Because restart r does not depend on
the others, one run with R restarts also says what 16, 64, 256, ... restarts
would have found (the first ones): the columns of the table.

Cells are ``N:RATIO:INSTANCES:RESTARTS``.

Example
-------
python3 benchmarks/bench_gd_crosscheck.py --cells 50:1.8:32:1024 100:1.8:16:256 100:2.0:16:256 --compile --threads 1
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from solvers.experiments.crosscheck import crosscheck, generated_cases, restart_prefixes  # noqa: E402
from solvers.gd.networks import GDConfig  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cells", nargs="+", default=["50:1.8:8:256"], help="N:RATIO:INSTANCES:RESTARTS")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--optimizer", default="adam")
    p.add_argument("--surrogate", default="sigmoid")
    p.add_argument("--seed", type=int, default=0, help="first hypergraph seed")
    p.add_argument("--device", default="cpu")
    p.add_argument("--compile", action="store_true")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--json", default=None, metavar="FILE")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, device {args.device}, compile {args.compile}, "
          f"{args.surrogate}, {args.optimizer} lr {args.lr}, {args.steps} steps; Python {platform.python_version()}")
    rows = []
    for cell in args.cells:
        n, ratio, instances, restarts = cell.split(":")
        n, ratio, instances, restarts = int(n), float(ratio), int(instances), int(restarts)
        start = time.perf_counter()
        cases = generated_cases("hypergraph", n, instances=instances, seed=args.seed, ratio=ratio)
        config = GDConfig(restarts=restarts, steps=args.steps, lr=args.lr, optimizer=args.optimizer,
                          surrogate=args.surrogate, device=args.device, compile=args.compile)
        report = crosscheck(cases, config, progress=sys.stderr.isatty())
        sat = sum(r.exact_status.value == "SAT" for r in report.rows)
        within = {r: sum(row.gd.solved_within(r) for row in report.rows if row.exact_status.value == "SAT")
                  for r in restart_prefixes(restarts)}
        best_missed = [row.gd.best_errors for row in report.rows if row.verdict.value == "missed-by-gd"]
        unsat_best = [row.gd.best_errors for row in report.rows if row.verdict.value == "unsatisfiable"]
        first = [row.gd.first_success_step for row in report.rows if row.gd.solved]
        rows.append({
            "n": n, "ratio": ratio, "edges": cases[0].source.num_edges, "points": cases[0].training_set.num_points,
            "instances": instances, "restarts": restarts, "satisfiable": sat, "solved_within": within,
            "exact_ms_max": max(r.exact_time_s for r in report.rows) * 1000,
            "missed_best_errors": best_missed, "unsat_best_errors": unsat_best, "first_success_steps": first,
            "gd_s": report.gd_run.time_s, "restart_steps_per_s": report.gd_run.restart_steps / report.gd_run.time_s,
            "wall_s": time.perf_counter() - start, "counts": report.counts(),
        })
        print(f"# cell {cell}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    print()
    print("| n | edges/vertex | points | satisfiable (CaDiCaL) | GD solved, by restarts used | GD best errors on missed | CaDiCaL max ms | GD s | restart-steps/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        within = ", ".join(f"{k}: {v}/{r['satisfiable']}" for k, v in r["solved_within"].items())
        missed = sorted(r["missed_best_errors"])
        missed_text = f"{min(missed)}–{max(missed)}" if missed else "-"
        print(f"| {r['n']} | {r['ratio']} | {r['points']} | {r['satisfiable']}/{r['instances']} | {within} | {missed_text} | "
              f"{r['exact_ms_max']:.1f} | {r['gd_s']:.0f} | {r['restart_steps_per_s']:.3g} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
