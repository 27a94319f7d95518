"""CLI commands ``sweep`` and ``export`` (the phase-transition atlas).

``trainhard sweep CONFIG.toml --db results.sqlite`` runs every unfinished
task of the grid (see :mod:`solvers.experiments.sweep` for the configuration), one row
committed per finished task; re-running the same command resumes.
``trainhard export results.sqlite -o FILE.csv|FILE.parquet`` writes the rows
for pandas.  Exit status: 0 when every task finished, 1 when some task
failed (ERROR rows, retried on the next run) or the solvers contradict each
other, 2 on bad input, 130 when interrupted (finished rows are kept).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from typing import Any, Callable, TextIO

from .common import add_time_limit_option

__all__ = ["add_commands", "cmd_sweep", "cmd_export"]


_DEFAULT_CONNECT_TIMEOUT_S = 30.0


def _check_sweep_options(args: argparse.Namespace) -> None:
    """Refuse, before anything is generated or run, options that are bad or that the run would ignore."""
    from reductions.errors import InvalidInstanceError

    from ..core.limits import check_time_limit

    check_time_limit(args.time_limit)
    if args.workers is not None and args.workers < 1:
        raise InvalidInstanceError(f"--workers must be >= 1, got {args.workers}")
    if args.connect_timeout is not None:
        if args.scheduler is None:
            raise InvalidInstanceError("--connect-timeout applies with --scheduler only")
        if not 0 < args.connect_timeout < math.inf:
            raise InvalidInstanceError(f"--connect-timeout must be a positive number of seconds, got {args.connect_timeout}")
    if args.workers is not None and args.scheduler is not None:
        raise InvalidInstanceError("--workers sets local worker processes; with --scheduler the cluster's workers run the tasks")


def _plan(args: argparse.Namespace, config: Any, tasks: list[Any]) -> dict[str, Any]:
    """What a run would do: the grid, the solvers, and how many tasks the database already holds."""
    import os
    from pathlib import Path

    from ..experiments.store import ResultsStore
    from ..experiments.sweep import SOLVER_KINDS

    done = 0
    if Path(args.db).exists():  # read-only: a dry run creates nothing
        with ResultsStore(args.db, readonly=True) as store:
            finished = store.finished_keys(retry_unknown=args.retry_unknown)
        done = sum(t.key in finished for t in tasks)
    to_run = len(tasks) - done
    workers = None if args.scheduler else min(args.workers or config.workers or os.cpu_count() or 1, max(1, to_run))
    return {
        "sweep": config.name,
        "config": str(args.config),
        "db": str(args.db),
        "instances": len({t.key[0] for t in tasks}),
        "tasks": len(tasks),
        "done": done,
        "to_run": to_run,
        "retry_unknown": args.retry_unknown,
        "workers": workers,
        "scheduler": args.scheduler,
        "time_limit": args.time_limit if args.time_limit is not None else config.time_limit,
        "families": [
            {"name": fam.name, **{f.name: list(v) if isinstance(v := getattr(fam, f.name), tuple) else v
                                  for f in dataclasses.fields(fam)}}  # every key of the family, new ones too
            for fam in config.families
        ],
        "solvers": [
            {"name": solver.name, "kind": solver.kind, "description": SOLVER_KINDS[solver.kind].description,
             "options": dict(solver.options), "time_limit": solver.time_limit}
            for solver in config.solvers
        ],
    }


def cmd_sweep(args: argparse.Namespace, out: TextIO) -> int:
    """Run a sweep from a TOML grid into an SQLite results database (resumable)."""
    import sys

    from reductions.formats import read_text

    from ..experiments.sweep import expand, parse_config, run_sweep

    _check_sweep_options(args)
    # load_config's reading, with a message that names a binary file's kind (a results database, an .npz)
    config = parse_config(read_text(args.config, expected="a sweep configuration (TOML)"), source=str(args.config))
    if args.dry_run:
        plan = _plan(args, config, expand(config, time_limit=args.time_limit))
        if args.json:
            out.write(json.dumps(plan, sort_keys=False) + "\n")
            return 0
        out.write(f"c sweep {plan['sweep']}: {plan['instances']} instances, {plan['tasks']} tasks\n")
        for fam in plan["families"]:
            out.write(f"c family {fam['name']}: n {fam['n']}, density {fam['density']}, {fam['instances']} per cell\n")
        for solver in plan["solvers"]:
            out.write(f"c solver {solver['name']}: {solver['kind']} ({solver['description']}) "
                      f"{json.dumps(solver['options'], sort_keys=True)}\n")
        where = f"on {plan['workers']} workers" if plan["scheduler"] is None else f"via {plan['scheduler']}"
        out.write(f"c {plan['done']} tasks already in {plan['db']}, {plan['to_run']} to run {where}\n")
        return 0
    summary = run_sweep(
        config, args.db, workers=args.workers, scheduler=args.scheduler, time_limit=args.time_limit,
        retry_unknown=args.retry_unknown, progress=not args.no_progress,
        connect_timeout=_DEFAULT_CONNECT_TIMEOUT_S if args.connect_timeout is None else args.connect_timeout,
    )
    if args.json:
        out.write(json.dumps({"db": str(args.db), **summary.to_json()}) + "\n")
    else:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.statuses.items())) or "nothing new"
        out.write(
            f"c sweep {config.name}: {summary.tasks} tasks, {summary.skipped} already done, {summary.ran} run "
            f"({counts}) in {summary.time_s:.1f} s on {summary.workers} workers"
            f"{' via ' + summary.scheduler if summary.scheduler else ''}; results in {args.db}\n"
        )
        if summary.ran or summary.skipped:
            out.write(f"c next: trainhard report {args.db} -o report.html; trainhard plot {args.db} -o figures/\n")
        for line in summary.errors[:20]:
            out.write(f"c error: {line}\n")
        if len(summary.errors) > 20:
            out.write(f"c ... and {len(summary.errors) - 20} more errors (trainhard report lists them all)\n")
        for line in summary.inconsistencies:
            out.write(f"c INCONSISTENT: {line}\n")
    if summary.interrupted:
        sys.stderr.write(f"interrupted: {summary.ran} finished tasks are committed; run the same command to resume\n")
        return 130
    if summary.inconsistencies:
        sys.stderr.write(f"error: {len(summary.inconsistencies)} instances where solvers contradict each other (a bug)\n")
        return 1
    if summary.errors:
        sys.stderr.write(f"error: {len(summary.errors)} tasks failed; they are retried when the sweep is run again\n")
        return 1
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    """Export a results database to CSV or Parquet (by the output's extension)."""
    from ..experiments.store import export

    count = export(args.db, args.output)
    out.write(f"c exported {count} rows to {args.output}\n")
    return 0


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace, TextIO], int]]:
    """Add ``sweep`` and ``export`` to the CLI's subparsers; return their handlers."""
    p = sub.add_parser("sweep", help="run a sweep from a TOML grid into an SQLite results database (resumable)",
                       description=__doc__.split("\n\n")[1].replace("\n", " ").replace("``", ""))
    p.add_argument("config", help="sweep configuration (TOML; see the README)")
    p.add_argument("--db", default="results.sqlite", help="SQLite results database (default %(default)s)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local worker processes (default: the configuration's, else the CPU count)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run the tasks on this Dask distributed cluster; rows are still written here")
    p.add_argument("--connect-timeout", type=float, default=None, metavar="S",
                   help=f"with --scheduler: seconds to wait for the Dask scheduler (default {_DEFAULT_CONNECT_TIMEOUT_S:g})")
    add_time_limit_option(p, help="hard limit per task in seconds, overriding the configuration (the task is killed; UNKNOWN)")
    p.add_argument("--retry-unknown", action="store_true", help="also re-run tasks recorded as UNKNOWN")
    p.add_argument("--dry-run", action="store_true",
                   help="print the plan (the grid, the tasks, how many the database already holds), run nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object (the summary, or with --dry-run the plan)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")

    e = sub.add_parser("export", help="export a results database to CSV or Parquet (by the extension)")
    e.add_argument("db", help="SQLite results database")
    e.add_argument("-o", "--output", required=True, metavar="FILE.csv|FILE.parquet")
    return {"sweep": cmd_sweep, "export": cmd_export}
