"""``trainhard load``: decide Judd's loading problem from the command line.

``trainhard load L.json`` decides whether a configuration loads the task
(every pair right, or the instance's ``required`` count); ``--max`` finds the
largest number of pairs any configuration gets right (RC2) with a proof of
optimality; ``--two-thirds`` and ``--at-least K`` decide the approximate
versions.  Output and exit codes follow ``trainhard solve``: ``s
SATISFIABLE`` (10), ``s UNSATISFIABLE`` (20), ``s UNKNOWN`` (0); bad input is
one line ``error: FILE:LINE: ...`` and exit 2.  A configuration is printed as
one ``v`` line per computing node.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Callable, TextIO

from reductions.errors import TrainhardError

__all__ = ["add_commands", "cmd_load"]


def _function_text(fn: Any) -> str:
    from reductions.loading import AndOrFunction, TableFunction

    if isinstance(fn, TableFunction):
        return "table " + "".join("1" if b else "0" for b in fn.table)
    if isinstance(fn, AndOrFunction):
        return f"{fn.op} negated " + ("".join("1" if b else "0" for b in fn.negated) or "-")
    return f"threshold weights {' '.join(map(str, fn.weights)) or '-'} > {fn.threshold}"


def _describe(instance: Any) -> str:
    arch = instance.architecture
    families = sorted({node.family.value for node in arch.nodes})
    return (
        f"loading instance: {arch.num_inputs} inputs, {arch.num_nodes} computing nodes "
        f"({', '.join(families) or 'none'}), {arch.num_outputs} outputs, depth {arch.depth}, "
        f"fan-in <= {arch.max_fan_in}; {instance.num_pairs} pairs, {instance.required} required"
    )


def cmd_load(args: argparse.Namespace, out: TextIO) -> int:
    """Decide loadability of a loading-instance JSON file."""
    from reductions import formats
    from reductions.loading import LoadingInstance, configuration_to_json, parse_loading, two_thirds

    from .common import check_folder
    from ..exact.loading import decide_loading, max_loading
    from ..core.result import Status
    from ..core.limits import check_time_limit

    check_time_limit(args.time_limit)
    if args.config_out:
        check_folder(args.config_out)  # before the search, not after it
    if args.at_least is not None and args.at_least < 0:
        raise TrainhardError(f"--at-least must be >= 0, got {args.at_least}")
    if str(args.input).lower().endswith(".json"):
        # errors speak of loading files, not networks; a binary file is named as such
        text = formats.read_text(args.input, expected="a trainhard-loading JSON file")
        instance = parse_loading(text, source=str(args.input))
    else:
        instance = formats.read_instance(args.input)
    if not isinstance(instance, LoadingInstance):
        raise TrainhardError(
            f"{args.input}: not a loading instance: expected a trainhard-loading JSON file, got a "
            f"{type(instance).__name__}; see trainhard reduce cnf-to-loading"
        )
    arch = instance.architecture
    if args.at_least is not None and not 0 <= args.at_least <= instance.num_pairs:
        raise TrainhardError(f"--at-least must lie in 0..{instance.num_pairs}, got {args.at_least}")
    required = (
        two_thirds(instance.num_pairs) if args.two_thirds else args.at_least if args.at_least is not None else instance.required
    )
    if args.max:
        if required != instance.required:
            instance = LoadingInstance(arch, instance.task, required, instance.metadata)
        m = max_loading(instance, time_limit=args.time_limit, certify_solver=args.solver)
        status, config = m.status, m.configuration
        _save_configuration(args.config_out, arch, config)
        if args.json:
            obj = {
                **m.to_json(),
                "witness": configuration_to_json(arch, config) if config is not None else None,  # nodes named
                "solver": f"rc2 ({m.stats.get('rc2_solver')}), certified by {args.solver}",
                "instance": _describe(instance),
            }
            out.write(json.dumps(obj, default=str) + "\n")
            return status.exit_code
        out.write(f"c {_describe(instance)}\n")
        out.write(f"c solver rc2 ({m.stats.get('rc2_solver')}), {m.time_s:.4f} s\n")
        if m.best is None:
            out.write("c RC2 did not finish in time: the optimum is unknown\n")
        else:
            out.write(f"c best {m.best} of {m.num_pairs} pairs right (optimum found by RC2); {m.required} required\n")
            if m.best == m.num_pairs:
                out.write("c optimality: every pair is right\n")
            elif m.certified is Status.UNSAT:
                out.write(f"c optimality certified: {m.best + 1} pairs right is UNSAT ({args.solver}, cardinality encoding)\n")
            else:
                out.write(f"c optimality not certified by {args.solver} ({m.certified.value})\n")
            out.write(f"o {m.num_pairs - m.best}\n")
    else:
        result = decide_loading(instance, solver=args.solver, time_limit=args.time_limit, at_least=required)
        status, config = result.status, result.witness
        _save_configuration(args.config_out, arch, config)
        if args.json:
            obj = {
                **result.to_json(),
                "witness": configuration_to_json(arch, config) if config is not None else None,  # nodes named
                "at_least": required,
                "num_pairs": instance.num_pairs,
                "correct": result.stats.get("correct"),
                "instance": _describe(instance),
            }
            out.write(json.dumps(obj, default=str) + "\n")
            return status.exit_code
        out.write(f"c {_describe(instance)}\n")
        out.write(f"c solver {result.solver}, {result.time_s:.4f} s; at least {required} of {instance.num_pairs} pairs\n")
    out.write(status.competition_line + "\n")
    if config is not None and (status is Status.SAT or args.max):
        for node, fn in zip(arch.nodes, config.functions):
            out.write(f"v {node.name} {_function_text(fn)}\n")
    return status.exit_code


def _save_configuration(path: str | None, arch: Any, config: Any) -> None:
    from reductions.loading import configuration_to_json

    if path and config is not None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(configuration_to_json(arch, config), f, indent=1)
            f.write("\n")


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace, TextIO], int]]:
    """Add ``load`` to the CLI's subparsers; return its handler."""
    from .common import add_solver_option, add_time_limit_option

    p = sub.add_parser(
        "load",
        help="decide Judd's loading problem for a loading-instance JSON file (.json)",
        description=__doc__.split("\n\n")[1].replace("\n", " ").replace("``", ""),
    )
    p.add_argument("input", help="loading instance (JSON, format trainhard-loading)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--max", action="store_true", help="largest number of pairs any configuration gets right (RC2), with a proof")
    mode.add_argument("--two-thirds", action="store_true", help="decide whether at least two thirds of the pairs can be right")
    mode.add_argument("--at-least", type=int, default=None, metavar="K", help="decide whether at least K pairs can be right")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--config-out", default=None, metavar="FILE", help="save the configuration found as JSON")
    add_solver_option(p, help="PySAT backend (default %(default)s; with --max, the certifying solver)")
    add_time_limit_option(p)
    return {"load": cmd_load}
