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
    p.add_argument("--plot", default=None, help="also draw the width price against n here (PNG or SVG)")
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
    if args.plot:
        plot_width_price(out, args.plot)
    return 0


def plot_width_price(out: dict, path: str) -> None:
    """Extra hidden units each heuristic needed against n, one panel per family (median, bars to min and max).

    An instance with no fit up to ``chi + max_extra`` is drawn at ``max_extra + 1`` (marked "> max").
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    args = out["args"]
    families = list(dict.fromkeys(r["family"] for r in out["rows"]))
    fig, axes = plt.subplots(1, len(families), figsize=(5.5 * len(families), 4), squeeze=False, sharey=True)
    none = args["max_extra"] + 1
    density = {"br": f"{args['br_ratio']} edges per vertex", "col": f"average degree {args['col_degree']}"}
    for ax, family in zip(axes[0], families):
        rows = [r for r in out["rows"] if r["family"] == family]
        for i, name in enumerate(dict.fromkeys(r["heuristic"] for r in rows)):
            ns = sorted({r["n"] for r in rows if r["heuristic"] == name})
            extras = [[none if r["extra"] is None else r["extra"] for r in rows if r["heuristic"] == name and r["n"] == n]
                      for n in ns]
            med = [statistics.median(e) for e in extras]
            shift = [n * (1 + 0.03 * i) for n in ns]  # side by side, not on top of each other
            ax.errorbar(shift, med, yerr=[[m - min(e) for m, e in zip(med, extras)], [max(e) - m for m, e in zip(med, extras)]],
                        marker="o", capsize=3, label=name)
        ax.axhline(none, color="grey", linestyle=":", linewidth=1)
        ax.set_xscale("log")
        ax.minorticks_off()
        ax.set_xticks(sorted({r["n"] for r in rows}), [str(n) for n in sorted({r["n"] for r in rows})])
        ax.set_yticks(range(none + 1), [str(k) for k in range(none)] + [f"> {none - 1}"])
        ax.set_xlabel("n (vertices)")
        ax.set_title(f"{family}: {density.get(family, '')}", fontsize=10)
        ax.grid(True, alpha=0.3)
    axes[0][0].set_ylabel("extra units beyond chi\n(median; bars: min to max)")
    axes[0][-1].legend(fontsize=8)
    fig.suptitle(f"The width price: {args['budget']:,} restart-steps per width, judged exactly", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    raise SystemExit(main())
