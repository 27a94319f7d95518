"""One unit's certified minimum training error on real data: the pencil sweep against hitting sets and the MILP.

For each data set (scikit-learn's bundled ones, built as in
:mod:`benchmarks.real_data`), ``train_exact(ts, 1, min_error=True)`` is run
with each engine, in one run, so the ratios are paired:

* **pencils**: the exhaustive pencil sweep (:mod:`solvers.exact.pencils`), the
  default for one unit in low dimension, with one process and with every
  core (``--repeats`` times each: median [min-max]);
* **hitting sets**: the implicit-hitting-set engine (the default before),
  forced by setting ``solvers.exact.trainer.PENCILS_MAX_WORK`` to -1;
* **MILP**: the big-M baseline, ``method="milp"``.

The last two run once each, with ``--time-limit``.  Every certified value is
checked against every other engine's, and every upper bound must be at least
the certified minimum (a violation makes the run exit 1).

``--two-units`` runs two units (AND) instead: the lazy method (RC2 with hull
conflicts, ``--repeats`` runs) against the MILP, paired per data set, and
(unless ``--no-affine``) on four affine images of the iris sepal task.

The affine rows run the same iris task on three affine images of the data
(z-scores to 6 decimals, the raw 0.1-cm measurements, and [0, 1]-scaled
raw values to 6 decimals): a rational affine map changes no dichotomy.

Usage::

    python3 benchmarks/bench_min_error.py --time-limit 60 --repeats 3
    python3 benchmarks/bench_min_error.py --two-units --datasets iris-petal iris-sepal iris-all wine --repeats 3 --no-affine
    python3 benchmarks/bench_min_error.py --two-units --affine-only --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reductions.problems import TrainingSet  # noqa: E402

DEFAULT_DATASETS = ["iris-petal", "iris-sepal", "wine", "iris-all", "breast-cancer"]


def _affine_iris(columns: tuple[int, ...] = (0, 1, 2, 3), name: str = "iris-all",
                 offset: bool = False) -> dict[str, TrainingSet]:
    """The iris task (versicolor vs rest) on ``columns`` as raw decimals, [0, 1]-scaled decimals and (``offset``)
    raw values times 1000 plus 100,000: affine images of one another."""
    from fractions import Fraction

    from sklearn.datasets import load_iris

    bunch = load_iris()
    raw = [[Fraction(str(round(float(row[j]), 1))) for j in columns] for row in bunch.data]
    labels = [int(t == 1) for t in bunch.target]
    d = len(columns)
    lo = [min(r[j] for r in raw) for j in range(d)]
    hi = [max(r[j] for r in raw) for j in range(d)]
    unit = [[str(round(float((r[j] - lo[j]) / (hi[j] - lo[j])), 6)) for j in range(d)] for r in raw]
    sets = {f"{name} raw (0.1 cm)": TrainingSet.from_points(raw, labels),
            f"{name} [0, 1] (6 decimals)": TrainingSet.from_points(unit, labels)}
    if offset:
        sets[f"{name} raw x 1000 + 100000"] = TrainingSet.from_points([[v * 1000 + 100000 for v in r] for r in raw], labels)
    return sets


def _run(ts: TrainingSet, limit: float, k: int = 1, **kwargs: Any) -> tuple[Any, float]:
    from solvers.exact.trainer import train_exact

    start = time.perf_counter()
    result = train_exact(ts, k, min_error=True, time_limit=limit, **kwargs)
    return result, time.perf_counter() - start


def _bracket(result: Any) -> str:
    return f"{result.status.value} [{result.errors_lower}, {result.errors_upper}]"


def _two_units(sets: dict[str, TrainingSet], limit: float, repeats: int, problems: list[str]) -> None:
    """Two units (AND): the lazy method (RC2, ``repeats`` runs) against the MILP (one run), paired per data set."""
    from benchmarks._common import spread

    print()
    print("| data set | points | dims | lazy (RC2): status [lower, upper], s (median [min-max]) "
          "| MILP: status [lower, upper], s | MILP s / lazy s |")
    print("|---|---|---|---|---|---|")
    for name, ts in sets.items():
        lazy = [_run(ts, limit, 2) for _ in range(repeats)]
        milp, milp_s = _run(ts, limit, 2, method="milp")
        times = [s for _, s in lazy]
        certified = {r.errors for r, _ in lazy + [(milp, milp_s)] if r.status.value == "SAT"}
        if len(certified) > 1:
            problems.append(f"{name}, k = 2: the methods disagree on the minimum: {sorted(certified)}")
        for r, _ in lazy + [(milp, milp_s)]:
            if certified and r.errors_upper is not None and r.errors_upper < min(certified):
                problems.append(f"{name}, k = 2: an upper bound {r.errors_upper} below the minimum {min(certified)}")
        first = lazy[0][0]
        ratio = milp_s / statistics.median(times)
        unfinished = milp.status.value != "SAT" and milp_s >= limit
        print(f"| {name} | {ts.num_points} | {ts.dim} | {_bracket(first)}, {spread(times, '{:.2f}')} "
              f"| {_bracket(milp)}, {milp_s:.2f} | {'> ' if unfinished else ''}{ratio:.1f}x |",
              flush=True)


def _cell(result: Any, seconds: float) -> str:
    if result.status.value == "SAT":
        return f"{result.errors} in {seconds:.2f} s"
    return f"[{result.errors_lower}, {result.errors_upper}] UNKNOWN at {seconds:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=DEFAULT_DATASETS, metavar="NAME")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per run (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="pencil runs per setting (default %(default)s)")
    parser.add_argument("--no-affine", action="store_true", help="skip the affine-image rows")
    parser.add_argument("--affine-only", action="store_true", help="only the affine-image rows")
    parser.add_argument("--pencils-only", action="store_true", help="skip the hitting-set and MILP runs")
    parser.add_argument("--two-units", action="store_true",
                        help="instead: two units (AND), the lazy method against the MILP on --datasets")
    args = parser.parse_args(argv)
    from benchmarks._common import real_data_header, spread

    training_set = real_data_header("bench_min_error.py", argv)
    if training_set is None:
        return 2
    from solvers.exact import pencils, trainer

    problems: list[str] = []
    if args.two_units:
        sets = {} if args.affine_only else {name: training_set(name) for name in args.datasets}
        if not args.no_affine:
            sets["iris-sepal z-scores (6 decimals)"] = training_set("iris-sepal")
            sets.update(_affine_iris((0, 1), "iris-sepal", offset=True))
        _two_units(sets, args.time_limit, args.repeats, problems)
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        return 1 if problems else 0
    print()
    print("| data set | points | dims | pencils, 1 process (s) | pencils, all cores (s) | min errors "
          "| hitting sets | MILP | MILP s / pencils s |")
    print("|---|---|---|---|---|---|---|---|---|")
    sets = {} if args.affine_only else {name: training_set(name) for name in args.datasets}
    if not args.no_affine:
        sets["iris-all z-scores (6 decimals)"] = training_set("iris-all")
        sets.update(_affine_iris())
    for name, ts in sets.items():
        one, every, values = [], [], set()
        for _ in range(args.repeats):
            for workers, times in ((1, one), (None, every)):
                original = pencils.DEFAULT_WORKERS
                pencils.DEFAULT_WORKERS = workers
                try:
                    result, seconds = _run(ts, args.time_limit)
                finally:
                    pencils.DEFAULT_WORKERS = original
                times.append(seconds)
                if result.status.value == "SAT":
                    values.add(result.errors)
        others = []
        if not args.pencils_only:
            original_work = trainer.PENCILS_MAX_WORK
            trainer.PENCILS_MAX_WORK = -1
            try:
                hit, hit_s = _run(ts, args.time_limit)
            finally:
                trainer.PENCILS_MAX_WORK = original_work
            milp, milp_s = _run(ts, args.time_limit, method="milp")
            others = [hit, milp]
        for other in others:
            if other.status.value == "SAT":
                values.add(other.errors)
        if len(values) > 1:
            problems.append(f"{name}: engines disagree on the minimum: {sorted(values)}")
        best = min(values) if values else None
        for other in others:
            if best is not None and other.errors_upper is not None and other.errors_upper < best:
                problems.append(f"{name}: an upper bound {other.errors_upper} below the minimum {best}")
        if others:
            unfinished = milp.status.value != "SAT" and milp_s >= args.time_limit
            tail = (f"{_cell(hit, hit_s)} | {_cell(milp, milp_s)} | "
                    f"{'> ' if unfinished else ''}{milp_s / statistics.median(every):.0f}x")
        else:
            tail = "– | – | –"
        print(f"| {name} | {ts.num_points} | {ts.dim} | {spread(one, '{:.2f}')} | {spread(every, '{:.2f}')} | {best} | {tail} |",
              flush=True)
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
