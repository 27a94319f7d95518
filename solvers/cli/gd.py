"""CLI commands ``gd`` and ``crosscheck`` (gradient descent, judged exactly).

Loaded by :mod:`solvers.cli` through ``COMMAND_MODULES``.  Nothing heavy is
imported here: torch and the engine load inside the handlers.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Callable, TextIO

from ..core.architecture import resolve_hidden, resolve_output_name
from .common import add_time_limit_option

__all__ = ["add_commands"]

GD_EXIT_FOUND = 10
"""Exit status when gradient descent found a network that fits (checked exactly)."""


_CLI_TYPES: dict[str, Any] = {"int": int, "int | None": int, "float": float, "str": None}
"""argparse ``type`` per GDConfig annotation (``None``: argparse's default, a string); ``bool`` is a switch."""


def _gd_flags(seed_flag: str) -> list[tuple[Any, str, dict[str, Any]]]:
    """``(field, flag, add_argument keywords)`` of every GDConfig field that declares a flag, in field order.

    GDConfig is the single source: each such field carries
    :func:`solvers.gd.networks.cli_option` metadata (help, choices, dest),
    and its name, type and default give the rest.  The seed's flag is
    ``seed_flag`` (``--seed`` for ``gd``; ``--gd-seed`` for ``crosscheck``,
    whose ``--seed`` seeds the instance generators).
    """
    import dataclasses

    from ..gd.networks import GDConfig

    out = []
    for f in dataclasses.fields(GDConfig):
        cli = f.metadata.get("cli")
        if cli is None:
            continue
        flag = seed_flag if f.name == "seed" else "--" + f.name.replace("_", "-")
        kwargs: dict[str, Any] = {}
        if cli["dest"] is not None:
            kwargs["dest"] = cli["dest"]
        if f.type == "bool":
            kwargs["action"] = "store_true"
        elif _CLI_TYPES[f.type] is not None:
            kwargs["type"] = _CLI_TYPES[f.type]
        if cli["choices"] is not None:
            kwargs["choices"] = cli["choices"]
        if f.type != "bool":
            kwargs["default"] = f.default
        if cli["help"] is not None:
            kwargs["help"] = cli["help"]
        out.append((f, flag, kwargs))
    return out


def _add_gd_options(p: argparse.ArgumentParser, *, seed_flag: str) -> None:
    # Hand-written exceptions: --hidden and --output default to the training
    # set's metadata (None here, resolved by the handler), not to GDConfig's
    # defaults; --threads, --json and --no-progress are not configuration.
    p.add_argument("--hidden", type=int, default=None, metavar="K", help="hidden threshold units (default: the set's metadata)")
    p.add_argument("--output", choices=["and", "or", "xor"], default=None, help="output function (default: the set's metadata, else and)")
    for _, flag, kwargs in _gd_flags(seed_flag):  # every other GDConfig field with a flag, in field order
        p.add_argument(flag, **kwargs)
    p.add_argument("--threads", type=int, default=None, metavar="N", help="torch CPU threads (default: torch's choice)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _config(args: argparse.Namespace, hidden: int, output: str) -> Any:
    from reductions.errors import InvalidInstanceError

    from ..gd.networks import GDConfig

    if args.threads is not None:
        if not 1 <= args.threads <= 4096:
            raise InvalidInstanceError(f"--threads must be between 1 and 4096, got {args.threads}")
        import torch

        torch.set_num_threads(args.threads)

    # the seed flag's name does not matter here, only each field's dest
    options = {f.name: getattr(args, kwargs.get("dest", f.name)) for f, _, kwargs in _gd_flags("--seed")}
    return GDConfig(hidden=hidden, output=output, **options)


def _cmd_gd(args: argparse.Namespace, out: TextIO) -> int:
    """Gradient descent on one training set (.npz); exit 10 when a restart fits it exactly."""
    from reductions import formats
    from reductions.errors import TrainhardError
    from reductions.problems import TrainingSet, verify
    from reductions.registry import get_reduction

    from ..gd.networks import train_gd
    from ..core.limits import check_time_limit

    ts = formats.read_instance(args.input)
    if not isinstance(ts, TrainingSet):
        raise TrainhardError(f"{args.input}: gd trains on a training set (.npz), got a {type(ts).__name__}")
    hidden = resolve_hidden(ts, args.hidden, required=False)
    if hidden is None:
        raise TrainhardError(f"{args.input}: the training set names no architecture; pass --hidden K")
    output = str(resolve_output_name(ts, args.output))
    check_time_limit(args.time_limit)
    config = _config(args, int(hidden), output)
    red = source = None
    if args.source:  # every argument is checked before any training starts
        name = args.reduction or ts.metadata.get("reduction")
        if not name:
            raise TrainhardError("--source needs --reduction NAME (the training set's metadata names none)")
        red = get_reduction(name)
        source = formats.read_instance(args.source)
        params = red.params(**({"k": int(hidden)} if red.parameters else {}))
        if red(source, **params).fingerprint() != ts.fingerprint():
            raise TrainhardError(f"{args.input} is not the {red.name} image of {args.source}")
    elif args.reduction:
        raise TrainhardError("--reduction is used only with --source FILE (to map a found network back)")
    run = train_gd(ts, config, progress=not args.no_progress and not args.json, time_limit=args.time_limit)
    res = run.instances[0]
    mapped = None
    if red is not None and res.solved:
        mapped = red.backward(source, ts, res.network)
        colors = red.source_params(**params).get("colors")
        if not verify(red.source, source, mapped, colors=colors):  # pragma: no cover - a bug
            raise RuntimeError("the backward map produced a witness that does not verify")
    if args.network_out and res.solved:
        formats.save_network(res.network, args.network_out)
    if args.json:
        # Derived from the results' to_json: the instance summary (full=False: without the
        # per-restart steps and best network, which this output has never printed), then the run's fields.
        run_json = run.to_json()
        obj = {
            "found": res.solved, **res.to_json(full=False),
            **{key: run_json[key] for key in ("device", "time_s", "restart_steps", "timed_out")},
            "fast": run_json["config"]["fast"],
            "source_witness": None if mapped is None else [int(x) for x in mapped],
        }
        out.write(json.dumps(obj) + "\n")
    else:
        out.write(f"c gradient descent: {config.restarts} restarts x {config.steps} steps, {config.surrogate}, "
                  f"{config.optimizer} lr {config.lr}, {config.hidden} hidden units ({config.output}), device {run.device}"
                  f"{', fast GEMM arithmetic' if config.fast else ''}, "
                  f"{run.time_s:.2f} s\n")
        if run.timed_out:
            out.write(f"c time limit of {args.time_limit} s reached after {run.restart_steps} restart-steps\n")
        out.write(f"c restarts that fit exactly: {res.restarts_solved}/{res.restarts}; "
                  f"best {res.best_correct}/{res.num_points} points correct\n")
        if res.solved:
            out.write(f"c first exact fit after {res.first_success_step} steps; checked with fits\n")
            out.write("s FOUND\n")
            if mapped is not None:
                out.write(f"c mapped back through {args.reduction or ts.metadata.get('reduction')}: the source witness verifies\n")
                out.write("v " + " ".join(str(int(x)) for x in mapped) + "\n")
        else:
            out.write("c gradient descent cannot prove that no network fits; use `trainhard solve` for that\n")
            out.write("s NOT FOUND\n")
    return GD_EXIT_FOUND if res.solved else 0


def _cmd_crosscheck(args: argparse.Namespace, out: TextIO) -> int:
    """Decide exactly, run gradient descent, and print a verdict per instance."""
    from reductions import formats
    from reductions.errors import TrainhardError

    from reductions.loading import LoadingInstance

    from ..experiments.crosscheck import case_from_instance, crosscheck, generated_cases

    if args.inputs and args.family:
        raise TrainhardError("give input files or --family generator options, not both")
    if args.inputs:
        cases = [case_from_instance(formats.read_instance(path), str(path), reduction=args.reduction, colors=args.colors)
                 for path in args.inputs]
    elif args.family:
        if args.n is None:
            raise TrainhardError("--family needs --n")
        cases = generated_cases(
            args.family, args.n, instances=args.instances, seed=args.seed, ratio=args.ratio, m=args.m,
            edge_size=args.edge_size, p=args.p, colors=args.colors, reduction=args.reduction,
        )
    else:
        raise TrainhardError("nothing to cross-check: give INPUT files or --family NAME --n N ...")
    meta = cases[0].training_set.metadata
    judd = isinstance(cases[0].training_set, LoadingInstance)
    hidden = resolve_hidden(meta, args.hidden, required=False)
    if hidden is None:  # a loading instance (its own architecture) or a set without one: GDConfig's default
        from ..gd.networks import GDConfig

        hidden = GDConfig().hidden
    output = str(resolve_output_name(meta, args.output))
    config = _config(args, hidden, output)
    report = crosscheck(
        cases, config, exact_time_limit=args.time_limit, min_error_points=args.min_error_points,
        min_error_time_limit=args.min_error_time_limit, debug_dir=args.debug_dir,
        progress=not args.no_progress and not args.json,
    )
    if args.json:
        out.write(json.dumps(report.to_json()) + "\n")
        return 0
    cfg = report.gd_run.config
    network = "Judd loading architecture, threshold units" if judd else f"{cfg.hidden} hidden units ({cfg.output})"
    out.write(f"c crosscheck: {len(cases)} instances; gradient descent {cfg.restarts} restarts x {cfg.steps} steps, "
              f"{cfg.surrogate}, {cfg.optimizer} lr {cfg.lr}, {network}, "
              f"device {report.gd_run.device}\n")
    width = max(len(row.case.name) for row in report.rows)
    for row in report.rows:
        gd = row.gd
        first = "-" if gd.first_success_step is None else str(gd.first_success_step)
        gap = "?" if row.gap is None else str(row.gap)
        out.write(
            f"{row.case.name.ljust(width)}  {row.verdict.value:<17}  exact {row.exact_status.value:<7} "
            f"({row.exact_solver}, {row.exact_time_s * 1000:.1f} ms)  gd {gd.restarts_solved}/{gd.restarts} restarts, "
            f"first at step {first}, best {gd.best_correct}/{gd.num_points}, gap to optimum {gap}"
            + ("  [mapped back, verified]" if row.source_witness is not None else "") + "\n"
        )
    counts = report.counts()
    out.write("c summary: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
    sat = sum(r.exact_status.value == "SAT" for r in report.rows)
    within = ", ".join(f"{r}: {v}" for r, v in report.solved_within().items())
    out.write(f"c gradient descent solved, by number of restarts used ({sat} satisfiable): {within}\n")
    out.write(f"c time {report.time_s:.2f} s (gradient descent {report.gd_run.time_s:.2f} s, "
              f"{report.gd_run.restart_steps / max(report.gd_run.time_s, 1e-9):.3g} restart-steps/s)\n")
    return 0


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace, TextIO], int]]:
    """Add ``gd`` and ``crosscheck`` to the subparsers ``sub``; return their handlers."""
    from reductions.generators import GENERATORS
    from reductions.problems import Kind
    from reductions.registry import REDUCTIONS

    training = [n for n, red in REDUCTIONS.items() if red.target is Kind.TRAINING]
    to_loading = [n for n, red in REDUCTIONS.items() if red.target is Kind.LOADING]

    g = sub.add_parser(
        "gd", help="gradient descent on a training set, judged exactly (exit 10 found, 0 not found)",
        description="Batched gradient descent on a training set (.npz). A success is a thresholded network "
        "that fits every point under the exact check. Exit 10 when one is found, 0 otherwise: gradient descent "
        "can never prove that no network fits.",
    )
    g.add_argument("input", metavar="DATA")
    _add_gd_options(g, seed_flag="--seed")
    g.add_argument("--network-out", default=None, metavar="FILE", help="save the fitting network as JSON")
    g.add_argument("--source", default=None, metavar="FILE", help="the source instance, to map a found network back")
    g.add_argument("--reduction", choices=training, default=None, metavar="NAME", help="the reduction that made DATA from --source")
    add_time_limit_option(g, help="stop after S seconds and report what was found (exit 10 if a restart fit, else 0)")

    c = sub.add_parser(
        "crosscheck", help="exact verdict vs gradient descent per instance (files or generator options)",
        description="Decide each instance exactly, run gradient descent on its training set, map successes back, "
        "and print per instance: solved-by-both, missed-by-gd, unsatisfiable (with the gap to the exact optimum).",
    )
    c.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=".hgr/.cnf/.col sources (reduced), .npz training sets or .json loading instances")
    c.add_argument("--family", choices=list(GENERATORS), default=None, help="generate instances instead of reading files")
    c.add_argument("--n", type=int, default=None, help="vertices or variables")
    c.add_argument("--ratio", type=float, default=None, help="edges (clauses) per vertex (variable)")
    c.add_argument("--m", type=int, default=None, help="number of edges or clauses")
    c.add_argument("--edge-size", type=int, default=None, help="edge or clause size (default 3)")
    c.add_argument("--p", type=float, default=None, help="edge probability (graph family)")
    c.add_argument("--instances", type=int, default=8, help="how many instances, seeds SEED, SEED+1, ... (default %(default)s)")
    c.add_argument("--seed", type=int, default=0, help="first generator seed (default %(default)s)")
    c.add_argument("--colors", type=int, default=None, metavar="K", help="colours = hidden units for colouring reductions")
    c.add_argument("--reduction", choices=training + to_loading, default=None, metavar="NAME",
                   help="override the default reduction; cnf-to-loading(-two-thirds) cross-checks Judd loading instances")
    add_time_limit_option(c, help="seconds per exact decision")
    from ..experiments import MIN_ERROR_POINTS

    c.add_argument("--min-error-points", type=int, default=MIN_ERROR_POINTS, help="run the exact min-error trainer on UNSAT sets up to this many points")
    c.add_argument("--min-error-time-limit", type=float, default=10.0, metavar="S")
    c.add_argument("--debug-dir", default=None, metavar="DIR", help="where an impossible success is saved")
    _add_gd_options(c, seed_flag="--gd-seed")
    return {"gd": _cmd_gd, "crosscheck": _cmd_crosscheck}
