"""Sweep throughput: the 2,000-instance atlas, and how it scales with workers.

Three measurements, each in fresh databases (nothing is resumed):

1. **Per-task overhead** of the sweep machinery (a worker process per
   worker, JSON over a pipe, one committed SQLite row per task, WAL with
   ``synchronous=FULL``): the atlas's exact-SAT tasks alone (milliseconds
   each) through ``run_sweep`` with one worker, against the same tasks run
   in this process by :func:`solvers.experiments.sweep.execute_task` with no store.
2. **Scaling** on a slice of the atlas (``--slice`` instances per cell,
   every solver), repeated ``--repeats`` times, interleaved: 1 and 2 local
   workers (and a Dask LocalCluster with ``--dask``).  Ratios are against
   one local worker in the same run.
3. **The whole atlas** (``--full``): 2,000 instances, exact SAT and a small
   gradient-descent budget, once per worker setting; its database is kept
   (``--out``) for ``trainhard plot`` / ``trainhard report``.

Example
-------
python3 benchmarks/bench_sweep.py --repeats 3 --dask --full --out benchmarks/out
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import machine, spread  # noqa: E402
from solvers.experiments.store import read_rows  # noqa: E402
from solvers.experiments.sweep import execute_task, expand, load_config, run_sweep  # noqa: E402

ATLAS = Path(__file__).resolve().parent / "sweeps" / "atlas.toml"


def _timed_sweep(config, db: Path, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    summary = run_sweep(config, db, **kwargs)
    elapsed = time.perf_counter() - start
    if summary.errors or summary.inconsistencies or summary.ran != summary.tasks:
        raise SystemExit(f"benchmark sweep went wrong: {summary}")
    return elapsed, summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", default=str(ATLAS))
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--slice", type=int, default=2, help="instances per cell in the scaling slice")
    p.add_argument("--dask", action="store_true", help="also run on a Dask LocalCluster (2 worker processes)")
    p.add_argument("--full", action="store_true", help="also run the whole configuration once per worker setting")
    p.add_argument("--out", default=None, help="keep the full run's databases here")
    args = p.parse_args(argv)

    config = load_config(args.config)
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    out = Path(args.out) if args.out else tmp
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"## Sweep throughput (`benchmarks/bench_sweep.py`, {Path(args.config).name})", "", *machine(), ""]
    lines.append(f"- command: `python3 benchmarks/bench_sweep.py {' '.join(argv if argv is not None else sys.argv[1:])}`")

    # 1. overhead per task: SAT-only tasks, run_sweep (1 worker) vs in-process execute_task
    sat_only = replace(config, solvers=tuple(s for s in config.solvers if s.kind == "sat"))
    tasks = expand(sat_only)
    in_process, swept = [], []
    for r in range(args.repeats):
        start = time.perf_counter()
        for task in tasks:
            execute_task(task.payload)
        in_process.append(time.perf_counter() - start)
        elapsed, _ = _timed_sweep(sat_only, tmp / f"sat-{r}.sqlite", workers=1)
        swept.append(elapsed)
    per_task = [(s - i) / len(tasks) * 1e3 for s, i in zip(swept, in_process)]
    lines += [
        "",
        f"**Overhead per task** ({len(tasks)} exact-SAT tasks, {args.repeats} interleaved repeats, median [min–max]):",
        "",
        "| run | wall time (s) | per task (ms) |",
        "|---|---|---|",
        f"| in this process, no store (`execute_task` loop) | {spread(in_process, '{:.2f}')} | {spread([t / len(tasks) * 1e3 for t in in_process], '{:.2f}')} |",
        f"| `run_sweep`, 1 worker process, a committed row per task | {spread(swept, '{:.2f}')} | {spread([t / len(tasks) * 1e3 for t in swept], '{:.2f}')} |",
        f"| difference: isolation + IPC + commit (incl. worker start) | | {spread(per_task, '{:.2f}')} |",
    ]

    # 2. scaling on a slice
    sliced = replace(config, families=tuple(replace(f, instances=min(f.instances, args.slice)) for f in config.families))
    n_tasks = len(expand(sliced))
    settings = [(f"local, {w} worker{'s' * (w > 1)}", {"workers": w}) for w in args.workers]
    cluster = None
    if args.dask:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        settings.append(("Dask LocalCluster, 2 worker processes", {"scheduler": cluster.scheduler_address}))
    times: dict[str, list[float]] = {name: [] for name, _ in settings}
    for r in range(args.repeats):
        for name, kwargs in settings:
            elapsed, _ = _timed_sweep(sliced, tmp / f"slice-{r}-{len(times[name])}-{hash(name)}.sqlite", **kwargs)
            times[name].append(elapsed)
    base = statistics.median(times[settings[0][0]])
    lines += [
        "",
        f"**Scaling** (slice: {args.slice} instances per cell, {n_tasks} tasks, every solver; {args.repeats} interleaved repeats):",
        "",
        "| setting | wall time (s) | tasks/s | speed-up vs 1 local worker |",
        "|---|---|---|---|",
    ]
    for name, _ in settings:
        med = statistics.median(times[name])
        lines.append(f"| {name} | {spread(times[name], '{:.1f}')} | {n_tasks / med:.1f} | {base / med:.2f}× |")

    # 3. the whole configuration
    if args.full:
        full_tasks = len(expand(config))
        instances = len({t.key[0] for t in expand(config)})
        lines += [
            "",
            f"**Whole sweep** ({instances} instances, {full_tasks} tasks, once per setting):",
            "",
            "| setting | wall time (s) | tasks/s | speed-up vs 1 local worker | SAT / UNSAT / GD solved |",
            "|---|---|---|---|---|",
        ]
        first = None
        for name, kwargs in settings:
            db = out / f"{config.name}-{name.split(',')[0].split()[0].lower()}-{kwargs.get('workers', 2)}.sqlite"
            for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                stale.unlink(missing_ok=True)
            elapsed, summary = _timed_sweep(config, db, **kwargs)
            first = first or elapsed
            rows = read_rows(db)
            sat = sum(r["status"] == "SAT" for r in rows if r["solver_kind"] == "sat")
            unsat = sum(r["status"] == "UNSAT" for r in rows if r["solver_kind"] == "sat")
            gd = sum(r["status"] == "SAT" for r in rows if r["solver_kind"] == "gd")
            lines.append(f"| {name} | {elapsed:.0f} | {full_tasks / elapsed:.1f} | {first / elapsed:.2f}× | {sat} / {unsat} / {gd} |")
            print(f"# {name}: {elapsed:.1f} s -> {db}", file=sys.stderr, flush=True)
    if cluster is not None:
        cluster.close()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
