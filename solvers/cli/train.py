"""``trainhard train-exact``: the exact trainer on the command line.

A thin layer over :func:`solvers.exact.trainer.train_exact`; see
:data:`solvers.cli.COMMAND_MODULES` for how it is plugged in.  Output follows
the SAT competition (``s SATISFIABLE`` = trainable, ``s UNSATISFIABLE`` = no
network of the architecture fits, ``s UNKNOWN``) and, with ``--min-error``,
the MaxSAT evaluation: ``o ERRORS`` for the best network found, then
``s OPTIMUM FOUND`` when no network makes fewer errors, ``s SATISFIABLE``
when that is not proved (time limit, or a MILP bound not proven sufficient),
``s UNKNOWN`` when no network was found.  Exit codes are those of
``solve``: 10 trainable (or optimum proved), 20 untrainable, 0 unknown
(``s SATISFIABLE`` in min-error mode included), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from reductions import formats
from reductions.errors import TrainhardError
from reductions.problems import TrainingSet

from ..core.architecture import resolve_hidden, resolve_output_name
from .common import add_solver_option, add_time_limit_option, seconds

__all__ = ["add_commands"]


def _cmd_train_exact(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.result import Status
    from ..exact.trainer import train_exact

    if args.warm_start is not None and args.warm_start != "gd" and not str(args.warm_start).endswith(".json"):
        raise TrainhardError(f"--warm-start takes a network file (.json) or 'gd', got {args.warm_start!r}")
    for flag in ("gd_restarts", "gd_steps"):
        value = getattr(args, flag)
        if value is not None and args.warm_start != "gd":
            raise TrainhardError(f"--{flag.replace('_', '-')} applies to --warm-start gd only")
        if value is not None and not 1 <= value <= 10**9:
            raise TrainhardError(f"--{flag.replace('_', '-')} must be between 1 and 1000000000, got {value}")
    ts = formats.read_instance(args.data, label=args.label, columns=args.columns)
    if not isinstance(ts, TrainingSet):
        raise TrainhardError(f"{args.data}: train-exact needs a training set (.npz or .csv), got a {type(ts).__name__}")
    from ..exact.trainer import LEARNED_OUTPUTS

    output: Any = args.output
    if output is not None and output not in ("and", "or", "xor", *LEARNED_OUTPUTS):
        from reductions.problems import OutputFunction

        hidden = resolve_hidden(ts, args.hidden, required=False)
        if hidden is None or not isinstance(hidden, int) or not 1 <= hidden <= 12:
            raise TrainhardError("a truth-table --output needs --hidden K (1..12)")
        if set(output) - {"0", "1"} or len(output) != 2**hidden:
            raise TrainhardError(
                f"--output must be and, or, xor, any, monotone or a truth table of {2**hidden} bits (bit b: the "
                f"output when hidden unit i outputs bit i of b), got {output!r}"
            )
        output = OutputFunction(hidden, tuple(c == "1" for c in output))
    minimize: bool | float = False if args.no_minimize_core else (args.core_budget if args.core_budget is not None else True)
    initial = _warm_start(args, ts, output)
    reported: list[int] = []

    def improved(errors: int) -> None:  # the MaxSAT evaluation's "o" line, as soon as the bound improves
        reported.append(errors)
        if args.min_error and not args.json:
            out.write(f"o {errors}\n")
            out.flush()

    result = train_exact(
        ts, args.hidden, output=output, method=args.method, min_error=args.min_error,
        time_limit=args.time_limit, minimize_core=minimize, solver=args.solver, weight_bound=args.weight_bound,
        progress=args.progress if args.progress is not None else sys.stderr.isatty(),
        initial=initial, on_upper=improved,
    )
    if args.network_out and result.network is not None:
        formats.save_network(result.network, args.network_out)
    if args.core_out and result.core is not None:
        idx = list(result.core)
        meta = {**ts.metadata, "hidden_units": result.hidden, "output": result.output,
                "core_of": str(args.data), "core_indices": idx}
        if result.output == "table":
            meta.pop("output")  # a truth table travels on the command line, not in the metadata
        formats.save_training_set(TrainingSet(ts.numerators[idx], ts.labels[idx], ts.denominator, meta), args.core_out)
    if args.json:
        obj = result.to_json()
        obj["data"] = str(args.data)
        if args.conflicts:
            obj["conflicts"] = [c.to_json() for c in result.conflicts]
        else:
            obj.pop("conflicts", None)
        out.write(json.dumps(obj, default=str) + "\n")
        return result.status.exit_code
    pos = int(ts.labels.sum())
    out.write(
        f"c train-exact {result.method}: {result.hidden} hidden units, {result.output.upper()} output; "
        f"{ts.num_points} points ({pos} positive) in {ts.dim} dimensions\n"
    )
    st = result.stats
    if result.method == "lazy":
        out.write(
            f"c {st.get('rounds', 0)} rounds, {st.get('lp_calls', 0)} LPs, {st.get('conflicts', 0)} hull conflicts, "
            f"{result.time_s:.3f} s\n"
        )
    else:
        out.write(f"c weight bound {st.get('weight_bound')} ({st.get('weight_bound_reason')}), {result.time_s:.3f} s\n")
    gd = st.get("warm_start_gd")
    if gd is not None:
        made = "no network" if gd["errors"] is None else f"best network {gd['errors']} errors (counted exactly)"
        fitted = ", it fits" if st.get("warm_start") == "fits" else ""
        out.write(f"c warm start: gradient descent, {gd['restarts']} restarts x {gd['steps']} steps, {made}{fitted}, "
                  f"{gd['time_s']:.3f} s\n")
    if result.reason:
        out.write(f"c {result.reason}\n")
    if result.output in LEARNED_OUTPUTS and result.network is not None:
        bits = "".join("1" if v else "0" for v in result.network.output.table)
        out.write(f"c learned output table ({result.output}): {bits} (bit b: the output when unit i gives bit i of b)\n")
    if args.min_error:
        upper = result.errors_upper
        if upper is not None and (not reported or reported[-1] != upper):
            out.write(f"o {upper}\n")
        if upper is not None or result.errors_lower is not None:
            shown = "?" if upper is None else upper
            out.write(f"c minimum error in [{result.errors_lower or 0}, {shown}]\n")
        if result.errors is not None:
            out.write("s OPTIMUM FOUND\n")
        elif result.network is not None and result.misclassified is not None:
            out.write("s SATISFIABLE\n")
        else:
            out.write("s UNKNOWN\n")
    else:
        out.write(result.status.competition_line + "\n")
    if result.network is not None:
        if result.misclassified:
            out.write("c misclassified points: " + " ".join(map(str, result.misclassified)) + "\n")
        out.write("c network (JSON):\n")
        out.writelines(f"c {line}\n" for line in json.dumps(formats.network_to_json(result.network), indent=1).splitlines())
    if result.status is Status.UNSAT and result.core is not None:
        what = "minimal" if result.core_minimal else "not minimised"
        out.write(f"c untrainable core ({len(result.core)} points, {what}):\n")
        items = [str(i) for i in result.core]
        out.writelines("c core " + " ".join(items[i : i + 20]) + "\n" for i in range(0, len(items), 20))
    return result.status.exit_code


def _warm_start(args: argparse.Namespace, ts: TrainingSet, output: Any) -> Any:
    """The ``--warm-start`` network (read from a file), or gradient descent's settings for ``train_exact``."""
    if args.warm_start is None:
        return None
    if args.warm_start != "gd":
        return formats.load_network(args.warm_start)
    from ..exact.trainer import learned_output, resolve_output, warm_start_config

    hidden = resolve_hidden(ts, args.hidden, required=False)
    if hidden is None:
        raise TrainhardError(f"{args.data}: the training set names no architecture; pass --hidden K")
    learned = learned_output(resolve_output_name(ts, output))
    name = learned or resolve_output(output, int(hidden), ts.metadata).name  # the run's own default output
    overrides = {key: value for key, value in (("restarts", args.gd_restarts), ("steps", args.gd_steps)) if value}
    return warm_start_config(int(hidden), name, **overrides)


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace, TextIO], int]]:
    """Add ``train-exact`` to the subparsers ``sub``."""
    from ..exact.trainer import METHODS, TIME_LIMIT_GRACE_S, WARM_START_GD

    p = sub.add_parser(
        "train-exact",
        help="decide exactly whether a threshold network fits a training set (or its minimum error)",
        description=(
            "Exact training of k hidden linear threshold units with an AND/OR/XOR output. "
            "SAT: a network that fits every point (checked exactly); UNSAT: a core of points no network fits; "
            "--min-error: the fewest misclassified points, proved optimal."
        ),
    )
    p.add_argument("data", metavar="DATA", help="training set (.npz, or .csv with --label)")
    p.add_argument("--label", default=None, metavar="COLUMN",
                   help="CSV: the label column, by header name or 0-based index (default: the last column)")
    p.add_argument("--columns", nargs="+", default=None, metavar="COLUMN", help="CSV: the feature columns (default: all others)")
    p.add_argument("--warm-start", default=None, metavar="NET.json|gd",
                   help="min-error: start from this network (or gradient descent's best) as the first upper bound; "
                        "consistency: answer at once if it fits")
    p.add_argument("--gd-restarts", type=int, default=None, metavar="N", help=f"--warm-start gd: restarts (default {WARM_START_GD['restarts']})")
    p.add_argument("--gd-steps", type=int, default=None, metavar="N", help=f"--warm-start gd: steps (default {WARM_START_GD['steps']})")
    p.add_argument("--hidden", type=int, default=None, metavar="K", help="hidden units (default: the file's metadata)")
    p.add_argument("--output", default=None, metavar="F",
                   help="and, or, xor, a truth table such as 0110 (bit b: output when unit i gives bit i of b), "
                        "or any / monotone: learn the best (monotone) table too; default: the file's metadata, else and")
    p.add_argument("--method", choices=METHODS, default="lazy", help="lazy SAT+LP (default) or the big-M MILP baseline")
    p.add_argument("--min-error", action="store_true", help="find the minimum number of misclassified points")
    add_time_limit_option(p, help=f"seconds for the whole run (it ends within S + {TIME_LIMIT_GRACE_S:g} s); then the verdict is UNKNOWN")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--conflicts", action="store_true", help="with --json: include the learned hull conflicts (exact certificates)")
    p.add_argument("--network-out", default=None, metavar="FILE", help="save the network as JSON")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="count learned conflicts on standard error (default: when it is a terminal)")
    p.add_argument("--core-out", default=None, metavar="FILE.npz",
                   help="save an untrainable core as a training set of its own, for anyone to re-check")
    p.add_argument("--no-minimize-core", action="store_true", help="report the solver's core without shrinking it")
    p.add_argument("--core-budget", type=seconds, default=None, metavar="S", help="seconds for core minimisation (default 10)")
    add_solver_option(p, incremental=True, help="incremental SAT backend of the lazy method (default %(default)s)")
    p.add_argument("--weight-bound", type=int, default=None, metavar="W",
                   help="MILP only: force |weights| <= W (UNSAT only if W covers the proven bound)")
    return {"train-exact": _cmd_train_exact}
