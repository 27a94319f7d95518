"""The frontier: the largest n at which a heuristic fits at least half of the satisfiable instances (issue 15).

For each family at one fixed density, instances are drawn with evaluation
seeds (:func:`solvers.heuristics.tuning.evaluation_seeds`) until
``--instances`` of them are proved satisfiable exactly (CaDiCaL on the
source through :func:`solvers.solve`, the witness verified); unsatisfiable
draws are counted and skipped.  Every heuristic then runs on each at the
reduction's own width with the same budget in restart-steps (and a wall
cap), judged exactly and mapped back.  ``n`` grows along ``--n``; a heuristic
stops at the first ``n`` where it fits fewer than half, and its frontier is
the last ``n`` where it fitted at least half.

* ``br``: set splitting of random 3-uniform hypergraphs at ``--br-ratio``
  edges per vertex -> ``splitting-to-blum-rivest`` (2 threshold units, AND);
* ``col``: 3-colouring of random graphs at ``--col-degree`` average degree
  -> ``coloring-to-halfspaces`` with k = 3 (3 units, AND);
* ``judd``: random 3-CNFs at ``--cnf-ratio`` clauses per variable ->
  ``cnf-to-loading`` (Judd's loading instances; ``gd-loading`` searches
  them, probSAT/WalkSAT the formula);
* ``planted``: ``n`` points in ``--planted-dim`` dimensions labelled by a
  planted AND of 2 threshold units, every point at least ``--margin`` from
  both hyperplanes (:func:`reductions.generators.planted_network_set`):
  every set fits, checked exactly, and there is no source.

With ``--tune``, each heuristic's grid (:func:`solvers.heuristics.tuning.tune`)
is searched first on instances at the smallest ``n`` drawn with tuning seeds,
which no evaluation instance uses; the chosen settings are printed and
written to ``--json`` beside the results.

    python3 benchmarks/bench_frontier.py --families br --n 50 100 200 400 800 --instances 4 \\
        --heuristics pattern-search probsat --budget 10000000 --time-limit 300
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import fix_settings  # noqa: E402
from reductions.generators import planted_network_set, random_graph, random_kcnf, random_uniform_hypergraph
from reductions.problems import fits  # noqa: E402  # noqa: E402
from reductions.registry import get_reduction  # noqa: E402
from solvers import solve  # noqa: E402
from solvers.heuristics.registry import HEURISTICS, Budget, run_heuristic  # noqa: E402
from solvers.heuristics.tuning import TUNING_SEED_BASE, evaluation_seeds, tune, tuning_seeds  # noqa: E402

FAMILIES = {
    "br": ("splitting-to-blum-rivest", 2, "Blum–Rivest sets of random 3-uniform hypergraphs"),
    "col": ("coloring-to-halfspaces", 3, "coloring-to-halfspaces sets of random graphs, 3 colours"),
    "judd": ("cnf-to-loading", None, "Judd loading instances of random 3-CNFs"),
    "planted": (None, None, "planted AND of 2 threshold units with a margin"),
}
"""family -> (reduction, colours the instance must admit (None: a formula), description)."""


def source(family: str, n: int, seed: int, args: argparse.Namespace):
    if family == "br":
        return random_uniform_hypergraph(n, ratio=args.br_ratio, seed=seed)
    if family == "judd":
        return random_kcnf(n, ratio=args.cnf_ratio, seed=seed)
    if family == "planted":
        return planted_network_set(n, dim=args.planted_dim, hidden=2, output="and", margin=args.margin, seed=seed)
    return random_graph(n, m=round(args.col_degree * n / 2), seed=seed)


def satisfiable(family: str, n: int, seeds: range, count: int, args: argparse.Namespace) -> tuple[list, int]:
    """The first ``count`` instances among ``seeds`` proved satisfiable, and how many draws were UNSAT."""
    colours = FAMILIES[family][1]
    found, unsat = [], 0
    for s in seeds:
        src = source(family, n, s, args)
        if family == "planted":  # satisfiable by construction: the planted network is checked to fit
            ts, planted = src
            if not fits(planted, ts):
                raise AssertionError("bug: the planted network does not fit its own set")
            found.append((s, ts))
            if len(found) == count:
                break
            continue
        kwargs = {} if colours is None else {"colors": colours}
        status = solve(src, time_limit=args.exact_time_limit, **kwargs).status.value
        if status == "SAT":
            found.append((s, src))
            if len(found) == count:
                break
        elif status == "UNSAT":
            unsat += 1
    return found, unsat


def kwargs_for(family: str, src) -> dict:
    name, colours, _ = FAMILIES[family]
    if name is None:  # a training set with no source
        return {"problem": src}
    reduction = get_reduction(name)
    params = {"k": colours} if reduction.parameters else {}
    return {"problem": reduction(src, **params), "source": src, "reduction": reduction, "params": params}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--families", nargs="+", default=["br", "col"], choices=sorted(FAMILIES))
    p.add_argument("--n", type=int, nargs="+", default=[20, 50, 100])
    p.add_argument("--instances", type=int, default=4, help="satisfiable instances per n")
    p.add_argument("--budget", type=int, default=10**7, help="restart-steps per instance")
    p.add_argument("--time-limit", type=float, default=300.0, help="wall seconds per instance and heuristic")
    p.add_argument("--exact-time-limit", type=float, default=120.0)
    p.add_argument("--br-ratio", type=float, default=1.8)
    p.add_argument("--col-degree", type=float, default=4.0)
    p.add_argument("--cnf-ratio", type=float, default=3.0)
    p.add_argument("--planted-dim", type=int, default=5)
    p.add_argument("--margin", type=float, default=0.5)
    p.add_argument("--heuristics", nargs="+", default=["pattern-search", "gd-anneal", "probsat"], choices=sorted(HEURISTICS))
    p.add_argument("--keep-going", action="store_true", help="run every n even after a heuristic fell below half")
    p.add_argument("--set", nargs="+", default=[], metavar="NAME:KEY=VALUE",
                   help="fix a heuristic's setting (a JSON value), e.g. gd-anneal:restarts=1024; a fixed setting is not tuned")
    p.add_argument("--tune", action="store_true")
    p.add_argument("--tune-instances", type=int, default=3)
    p.add_argument("--tune-budget", type=int, default=100_000)
    p.add_argument("--json", default=None)
    args = p.parse_args(argv)
    budget = Budget(args.budget, time_s=args.time_limit)
    out: dict = {"args": vars(args), "tuned": {}, "rows": []}
    print(f"# budget {args.budget} restart-steps and {args.time_limit} s per instance; {', '.join(args.heuristics)}")
    for family in args.families:
        settings = {name: dict(HEURISTICS[name].defaults) for name in args.heuristics}
        fixed = fix_settings(args.set, settings, p.error)
        out.setdefault("fixed", {})[family] = fixed
        if args.tune:
            n0 = min(args.n)
            tune_set, _ = satisfiable(family, n0, tuning_seeds(50 * args.tune_instances), args.tune_instances, args)
            by_seed = dict(tune_set)
            for name in args.heuristics:
                t0 = time.perf_counter()
                result = tune(name, lambda s: kwargs_for(family, by_seed[s]), seeds=list(by_seed),
                              budget=Budget(args.tune_budget, time_s=args.time_limit),
                              evaluation=evaluation_seeds(1000))
                settings[name] = {**result.settings, **{k.split("/")[1]: v for k, v in fixed.items() if k.startswith(name + "/")}}
                out["tuned"][f"{family}/{name}"] = result.to_json()
                chosen = {k: v for k, v in result.settings.items() if k in HEURISTICS[name].tuning}
                print(f"# tuned {family}/{name} at n={n0} on {len(by_seed)} instances, "
                      f"{args.tune_budget} restart-steps each, in {time.perf_counter() - t0:.1f} s: {chosen}")
        print(f"\n## {family}: {FAMILIES[family][2]}\n")
        print("| n | satisfiable (UNSAT draws) | " + " | ".join(f"{h}: fitted / s median [max]" for h in args.heuristics) + " |")
        print("|---|---|" + "---|" * len(args.heuristics))
        alive = set(args.heuristics)
        frontier: dict[str, int | None] = {h: None for h in args.heuristics}
        for n in args.n:
            if not alive:
                break
            found, unsat = satisfiable(family, n, evaluation_seeds(50 * args.instances), args.instances, args)
            cells = []
            for name in args.heuristics:
                if name not in alive:
                    cells.append("–")
                    continue
                fitted, times, spent = 0, [], []
                for s, src in found:
                    kw = kwargs_for(family, src)
                    t0 = time.perf_counter()
                    r = run_heuristic(name, kw.pop("problem"), **kw, budget=budget, seed=s % TUNING_SEED_BASE,
                                      **settings[name])
                    times.append(time.perf_counter() - t0)
                    spent.append(r.restart_steps)
                    fitted += r.status.value == "SAT"
                    out["rows"].append({"family": family, "n": n, "seed": s, "result": r.to_json()})
                cells.append(f"{fitted}/{len(found)} / {statistics.median(times):.1f} [{max(times):.1f}]")
                if 2 * fitted >= len(found) and found:
                    frontier[name] = n
                elif not args.keep_going:
                    alive.discard(name)
            print(f"| {n} | {len(found)} ({unsat}) | " + " | ".join(cells) + " |")
            sys.stdout.flush()
        print("\nfrontier (largest n with at least half fitted): "
              + ", ".join(f"{h}: {frontier[h] if frontier[h] is not None else 'none'}" for h in args.heuristics))
        out.setdefault("frontier", {})[family] = frontier
    if args.json:
        Path(args.json).write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
