"""The heuristic portfolio at equal budgets: success against n, and the width price (issue 15).

Every registered heuristic acting on the network (``solvers.heuristics.registry.HEURISTICS``)
runs on the same instances with the same budget in restart-steps, judged
exactly.  Two families:

* ``br``: Blum–Rivest training sets of random 3-uniform hypergraphs at
  ``--br-ratio`` edges per vertex (the exact minimum width is the
  hypergraph's chromatic number: 2 when it splits);
* ``col``: ``coloring-to-halfspaces`` sets of random graphs with
  ``--col-degree`` average degree (3-colouring's threshold is about 4.69).

For each instance the chromatic number is decided exactly (SAT on the
source); each heuristic then tries ``chi, chi + 1, ...`` hidden units (an AND
of ``k'`` units fitting the set is a checked ``k'``-colouring) until it fits
within the budget.  With ``--tune``, each heuristic's grid is first searched
on tuning instances whose seeds no evaluation instance uses.

    python3 benchmarks/bench_heuristics.py --n 20 40 --instances 5 --budget 100000 --tune
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
from reductions.problems import Kind  # noqa: E402
from reductions.generators import random_graph, random_uniform_hypergraph  # noqa: E402
from reductions.registry import get_reduction  # noqa: E402
from solvers.heuristics.registry import HEURISTICS, Budget  # noqa: E402
from solvers.heuristics.tuning import evaluation_seeds, tune, tuning_seeds  # noqa: E402
from solvers.heuristics.width import chromatic_number, width_price  # noqa: E402


def instance(family: str, n: int, seed: int, args: argparse.Namespace):
    if family == "br":
        return random_uniform_hypergraph(n, ratio=args.br_ratio, seed=seed)
    return random_graph(n, m=round(args.col_degree * n / 2), seed=seed)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--families", nargs="+", default=["br", "col"], choices=["br", "col"])
    p.add_argument("--n", type=int, nargs="+", default=[20, 40])
    p.add_argument("--instances", type=int, default=5)
    p.add_argument("--budget", type=int, default=100_000, help="restart-steps per instance and width")
    p.add_argument("--time-limit", type=float, default=None, help="seconds per instance and width")
    p.add_argument("--br-ratio", type=float, default=1.8)
    p.add_argument("--col-degree", type=float, default=4.0)
    p.add_argument("--max-extra", type=int, default=2)
    p.add_argument("--heuristics", nargs="+", default=None)
    p.add_argument("--tune", action="store_true", help="search each heuristic's grid on tuning instances first")
    p.add_argument("--tune-instances", type=int, default=3)
    p.add_argument("--set", nargs="+", default=[], metavar="NAME:KEY=VALUE",
                   help="fix a heuristic's setting instead of tuning it, e.g. gd-anneal:restarts=1024 (a JSON value)")
    p.add_argument("--json", default=None, help="also write every result here")
    args = p.parse_args(argv)
    # The width price asks for an AND of k' units; the MLP learns its output table instead, and a learned
    # OR of two units fits every Blum–Rivest set, so it has no width price (its fits are 'relaxed').
    names = args.heuristics or [n for n, h in HEURISTICS.items()
                                if h.acts_on == "target" and Kind.TRAINING in h.targets and n != "mlp"]
    budget = Budget(args.budget, time_s=args.time_limit)
    reduction = get_reduction("coloring-to-halfspaces")
    print(f"# budget {args.budget} restart-steps per width; heuristics {', '.join(names)}")
    out: dict = {"args": vars(args), "tuned": {}, "rows": []}
    for family in args.families:
        tuned = {name: dict(HEURISTICS[name].defaults) for name in names}
        out["fixed"] = fix_settings(args.set, tuned, p.error)
        if args.tune:
            for name in names:
                def make(seed: int, family=family):
                    g = instance(family, min(args.n), seed, args)
                    chi = chromatic_number(g) or 2
                    return {"problem": reduction(g, k=chi), "source": g, "reduction": reduction, "params": {"k": chi},
                            "hidden": chi, "output": "and"}
                t0 = time.perf_counter()
                result = tune(name, make, seeds=tuning_seeds(args.tune_instances),
                              budget=Budget(max(1, args.budget // 4), time_s=args.time_limit),
                              evaluation=evaluation_seeds(args.instances))
                tuned[name] = dict(result.settings)
                out["tuned"][f"{family}/{name}"] = result.to_json()
                print(f"# tuned {family}/{name} in {time.perf_counter() - t0:.1f} s: "
                      f"{ {k: v for k, v in result.settings.items() if k in HEURISTICS[name].tuning} }")
        print(f"\n## {family}\n")
        print("| n | chi (instances) | " + " | ".join(f"{n}: fit at chi / extra units, median [max] / s" for n in names) + " |")
        print("|---|---|" + "---|" * len(names))
        for n in args.n:
            graphs = [instance(family, n, s, args) for s in evaluation_seeds(args.instances)]
            chis = [chromatic_number(g) for g in graphs]
            cells = []
            for name in names:
                extras, at_chi, times = [], 0, []
                for seed, (g, chi) in enumerate(zip(graphs, chis)):
                    settings = {k: v for k, v in tuned[name].items() if k != "extra_units"}
                    t0 = time.perf_counter()
                    price = width_price(name, g, budget=budget, max_extra=args.max_extra, seed=seed, chromatic=chi,
                                        **settings)
                    times.append(time.perf_counter() - t0)
                    at_chi += price.extra == 0
                    extras.append(price.extra if price.extra is not None else float("inf"))
                    out["rows"].append({"family": family, "n": n, "seed": seed, **price.to_json()})
                finite = [e for e in extras if e != float("inf")]
                worst = "none" if len(finite) < len(extras) else max(finite)
                med = statistics.median(extras)
                cells.append(f"{at_chi}/{len(graphs)} / {med if med != float('inf') else '>' + str(args.max_extra)} "
                             f"[{worst if worst != 'none' else '>' + str(args.max_extra)}] / {statistics.median(times):.1f}")
            chi_text = ", ".join(f"{c}: {chis.count(c)}" for c in sorted(set(chis), key=lambda c: (c is None, c)))
            print(f"| {n} | {chi_text} | " + " | ".join(cells) + " |")
            sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
