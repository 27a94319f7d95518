"""Exact minimum training error on small real data sets, against gradient descent and a scikit-learn MLP.

Binary tasks are built from scikit-learn's *bundled* data sets (no download),
with z-scored features rounded to 6 decimals and kept as decimal strings, so
the training sets are exact rationals.  The registry, :func:`datasets` and
:func:`training_set` live in :mod:`solvers.experiments.datasets` (sweeps use
them too) and are re-exported here.
For every data set and number ``k`` of hidden threshold units (AND output),
the table gives

* **exact**: :func:`solvers.exact.trainer.train_exact` with ``min_error=True`` and
  ``--time-limit``: the status, the proved minimum number of misclassified
  points, and the best network's errors and any lower/upper bounds the result
  carries when the optimum is not proved in time;
* **GD**: :func:`solvers.gd.networks.train_gd` on the same architecture (``--gd-restarts``
  restarts of ``--gd-steps`` Adam steps on the sigmoid surrogate); its best
  restart's errors are counted exactly, so they can never beat a proved
  optimum (checked; a violation makes the run exit 1);
* **MLP (learned output)**: scikit-learn's ``MLPClassifier`` with ``k`` hidden
  ReLU units and a learned output unit (L-BFGS, scikit-learn's choice for
  small data), the fewest training errors over ``--mlp-seeds`` seeds.  Another architecture, in floating point: a
  reference, not a bound.

Needs scikit-learn: ``pip install -e '.[examples]'``.

Usage::

    python3 benchmarks/real_data.py --time-limit 60 --k 1 2 3 --threads 1
    python3 benchmarks/real_data.py --time-limit 20 --k 1 2 --datasets iris-petal wine
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reductions.problems import TrainingSet  # noqa: E402
from solvers.experiments.datasets import (  # noqa: E402  (the registry lives in the library; re-exported here)
    DATASETS,
    DECIMALS,
    SKLEARN_MISSING,
    Dataset,
    datasets,
    training_set,
)

__all__ = ["DATASETS", "DECIMALS", "SKLEARN_MISSING", "Dataset", "datasets", "training_set", "main"]


# ---------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------


def _exact(ts: TrainingSet, k: int, time_limit: float, initial: Any = None) -> dict[str, Any]:
    from solvers.exact.trainer import train_exact

    start = time.perf_counter()
    r = train_exact(ts, k, output="and", min_error=True, time_limit=time_limit, initial=initial)
    return {
        "status": r.status.value,
        "errors": r.errors,
        "best_found": r.errors_upper,
        "errors_lower": r.errors_lower,
        "errors_upper": r.errors_upper,
        "warm_start": initial is not None,
        "time_s": time.perf_counter() - start,
        "reason": r.reason,
    }


def _gd(ts: TrainingSet, k: int, restarts: int, steps: int) -> tuple[dict[str, Any], Any]:
    """Gradient descent's best exact error count, and its best network (a warm start for the exact run)."""
    from solvers.gd.networks import GDConfig, train_gd

    start = time.perf_counter()
    run = train_gd(ts, GDConfig(hidden=k, output="and", restarts=restarts, steps=steps, seed=0))
    best = run.instances[0]
    return {"best_errors": best.best_errors, "time_s": time.perf_counter() - start}, best.network or best.best_network


def _mlp(ts: TrainingSet, k: int, seeds: int) -> dict[str, Any]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x, y = ts.to_float(), ts.labels.astype(int)
    start = time.perf_counter()
    errors = []
    for seed in range(seeds):
        model = MLPClassifier(hidden_layer_sizes=(k,), solver="lbfgs", max_iter=5000, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x, y)
        errors.append(int((model.predict(x) != y).sum()))
    return {"errors": min(errors), "time_s": time.perf_counter() - start}


def _cell(value: Any) -> str:
    return "–" if value is None else str(value)


def _exact_cells(e: dict[str, Any]) -> list[str]:
    if e["errors"] is not None:
        found = f"**{e['errors']}** (optimum)"
    elif e["best_found"] is not None:
        found = f"≤ {e['best_found']}"
    else:
        found = "–"
    bounds = f"[{_cell(e['errors_lower'])}, {_cell(e['errors_upper'])}]"
    return [e["status"], found, bounds, f"{e['time_s']:.1f}"]


def _versions() -> str:
    import sklearn
    import torch

    return f"- torch {torch.__version__}, scikit-learn {sklearn.__version__}; torch threads {torch.get_num_threads()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", choices=list(DATASETS), default=list(DATASETS), metavar="NAME",
                        help=f"data sets (default: all): {', '.join(DATASETS)}")
    parser.add_argument("--k", type=int, nargs="+", default=[1, 2, 3], help="hidden units (AND output)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per exact run (default %(default)s)")
    parser.add_argument("--gd-restarts", type=int, default=64)
    parser.add_argument("--gd-steps", type=int, default=2000)
    parser.add_argument("--mlp-seeds", type=int, default=5, help="MLP: the best of this many seeds")
    parser.add_argument("--threads", type=int, default=1, help="torch and BLAS threads (default %(default)s)")
    parser.add_argument("--json", default=None, metavar="FILE", help="also write every row as JSON")
    parser.add_argument("--warm-start", action="store_true",
                        help="start each exact run from gradient descent's best network (its first upper bound)")
    args = parser.parse_args(argv)
    try:
        data = datasets(args.datasets)
    except ImportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    import torch
    from threadpoolctl import threadpool_limits

    from benchmarks._common import command_line, machine

    torch.set_num_threads(args.threads)
    threadpool_limits(args.threads)
    print("\n".join(machine()))
    print(_versions())
    print(command_line("real_data.py", argv))
    print()
    print("| data set | points (positive) | dims | k | exact status | min errors | bounds [lower, upper] | exact s "
          "| GD best errors | GD s | MLP errors (learned output, reference) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rows: list[dict[str, Any]] = []
    violations = []
    for name, (x, y, names) in data.items():
        ts = TrainingSet.from_points(x, y, metadata={"dataset": name, "columns": names, "label": "positive"})
        for k in args.k:
            gd, gd_network = _gd(ts, k, args.gd_restarts, args.gd_steps)
            exact = _exact(ts, k, args.time_limit, gd_network if args.warm_start else None)
            mlp = _mlp(ts, k, args.mlp_seeds)
            if exact["errors"] is not None and gd["best_errors"] < exact["errors"]:
                violations.append(f"{name} k={k}: GD {gd['best_errors']} < proved minimum {exact['errors']}")
            rows.append({"dataset": name, "description": DATASETS[name].description, "features": names,
                         "points": ts.num_points, "positive": int(ts.labels.sum()), "dims": ts.dim, "k": k,
                         "exact": exact, "gd": gd, "mlp": mlp})
            cells = [name, f"{ts.num_points} ({int(ts.labels.sum())})", str(ts.dim), str(k), *_exact_cells(exact),
                     str(gd["best_errors"]), f"{gd['time_s']:.1f}", str(mlp["errors"])]
            print("| " + " | ".join(cells) + " |", flush=True)
    print()
    for name in data:
        print(f"- `{name}`: {DATASETS[name].description} ({', '.join(data[name][2])})")
    if args.json:
        obj = {"machine": machine(), "python": platform.python_version(), "args": vars(args), "rows": rows}
        Path(args.json).write_text(json.dumps(obj, indent=1, default=str) + "\n")
    for line in violations:
        print(f"error: {line}", file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
