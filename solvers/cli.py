"""The ``trainhard`` command line: a thin layer over the library.

``main(argv) -> int`` runs in-process, so the tests compare it with the
library directly.  Exit codes follow the SAT competition: 10 satisfiable,
20 unsatisfiable, 0 unknown or plain success, 2 bad input (one line
``error: FILE:LINE: what is wrong`` on standard error, never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from reductions import formats
from reductions.errors import TrainhardError
from reductions.generators import GENERATORS
from reductions.problems import CNF, Graph, Hypergraph, Kind, NAEFormula, ThresholdNetwork, TrainingSet
from reductions.registry import REDUCTIONS, get_reduction

from .result import Result, Status

__all__ = ["main", "build_parser", "reductions_table", "COMMANDS", "COMMAND_MODULES"]

COMMON_TIME_LIMIT = "wall-clock limit in seconds; the solver is interrupted and the verdict is UNKNOWN"


# ---------------------------------------------------------------------------
# output helpers
# ---------------------------------------------------------------------------


def _v_lines(values: Sequence[int], *, terminate: bool, width: int = 20) -> list[str]:
    """SAT-competition ``v`` lines, ``width`` values per line, ending in 0 for models."""
    items = [str(int(v)) for v in values] + (["0"] if terminate else [])
    return ["v " + " ".join(items[i : i + width]) for i in range(0, len(items), width)] or ["v"]


def _witness_json(witness: Any) -> Any:
    if isinstance(witness, ThresholdNetwork):
        return formats.network_to_json(witness)
    if witness is None:
        return None
    return [int(x) for x in witness]


def _print_result(result: Result, instance: Any, *, as_json: bool, out: TextIO, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        obj = {
            "status": result.status.value,
            "witness": _witness_json(result.witness),
            "solver": result.solver,
            "time_s": result.time_s,
            "stats": dict(result.stats),
        }
        if result.proof is not None:
            obj["core"] = [int(i) for i in result.proof]
        obj.update(extra or {})
        out.write(json.dumps(obj, default=str) + "\n")
        return
    out.write(f"c solver {result.solver}, {result.time_s:.4f} s\n")
    out.write(result.status.competition_line + "\n")
    if result.status is Status.SAT:
        if isinstance(result.witness, ThresholdNetwork):
            out.write("c network (JSON):\n")
            for line in json.dumps(formats.network_to_json(result.witness), indent=1).splitlines():
                out.write(f"c {line}\n")
        else:
            terminate = isinstance(instance, (CNF, NAEFormula))
            out.write("\n".join(_v_lines(result.witness, terminate=terminate)) + "\n")


# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------


def _cmd_generate(args: argparse.Namespace, out: TextIO) -> int:
    gen = GENERATORS[args.family]
    kwargs: dict[str, Any] = {"seed": args.seed}
    for name in ("m", "ratio", "p", "k"):
        value = getattr(args, name)
        if value is not None:
            kwargs[name] = value
    if args.family == "graph" and "k" in kwargs:
        raise TrainhardError("graph generators take no edge size k")
    made = gen(args.n, **kwargs)
    instance, planted = made if isinstance(made, tuple) else (made, None)
    comments = [f"trainhard generate {args.family} --n {args.n} " + " ".join(
        f"--{k} {v}" for k, v in kwargs.items() if k != "seed") + f" --seed {args.seed}"]
    if planted is not None:
        what = "model" if isinstance(instance, CNF) else "colouring"
        comments.append(f"planted {what}: " + " ".join(str(int(x)) for x in planted))
    if args.output:
        fmt = formats.format_of(args.output)[1]
        if isinstance(instance, fmt.types) and not str(args.output).endswith(".gz"):
            Path(args.output).write_text(formats.format_instance(instance, comments=comments))
        else:
            formats.write_instance(instance, args.output)
        out.write(f"c wrote {args.output}: {_describe(instance)}\n")
        for line in comments[1:]:
            out.write(f"c {line}\n")
    else:
        out.write(formats.format_instance(instance, comments=comments))
    return 0


def _describe(instance: Any) -> str:
    if isinstance(instance, CNF):
        return f"CNF with {instance.num_vars} variables and {instance.num_clauses} clauses"
    if isinstance(instance, NAEFormula):
        return f"NAE formula with {instance.num_vars} variables and {len(instance.clauses)} clauses"
    if isinstance(instance, (Hypergraph, Graph)):
        what = "hypergraph" if isinstance(instance, Hypergraph) else "graph"
        return f"{what} with {instance.num_vertices} vertices and {instance.num_edges} edges"
    if isinstance(instance, TrainingSet):
        pos = int(instance.labels.sum())
        return (
            f"training set of {instance.num_points} points in {instance.dim} dimensions "
            f"({pos} positive, {instance.num_points - pos} negative)"
        )
    return type(instance).__name__


def _reduction_params(args: argparse.Namespace, reduction: Any) -> dict[str, Any]:
    """The reduction parameters given on the command line; the reduction refuses those it does not take."""
    names = {p.name for red in REDUCTIONS.values() for p in red.parameters}
    return {name: getattr(args, name) for name in sorted(names) if getattr(args, name, None) is not None}


def reductions_table() -> str:
    """The README's reductions table, generated from the registry."""
    rows = ["| name | source -> target | parameters | what it does |", "|---|---|---|---|"]
    for name, red in REDUCTIONS.items():
        params = ", ".join(f"`--{p.name}`" for p in red.parameters) or "-"
        rows.append(f"| `{name}` | {red.source.value} -> {red.target.value} | {params} | {red.summary} |")
    return "\n".join(rows) + "\n"


def _cmd_reduce(args: argparse.Namespace, out: TextIO) -> int:
    if args.list or not args.name:
        width = max(len(n) for n in REDUCTIONS)
        for name, red in REDUCTIONS.items():
            params = "".join(f" --{p.name} {p.name.upper()}" for p in red.parameters)
            out.write(f"{name.ljust(width)}  {red.source.value} -> {red.target.value}{params}: {red.summary}\n")
        return 0
    if not args.input or not args.output:
        raise TrainhardError("usage: trainhard reduce NAME INPUT -o OUTPUT (see trainhard reduce --list)")
    red = get_reduction(args.name)
    source = formats.read_instance(args.input)
    target = red(source, **_reduction_params(args, red))
    if isinstance(target, TrainingSet):
        target = TrainingSet(
            target.numerators, target.labels, target.denominator, {**target.metadata, "reduction": red.name}
        )
    formats.write_instance(target, args.output)
    out.write(f"c {red.name}: {_describe(source)} -> {_describe(target)}\n")
    out.write(f"c wrote {args.output}\n")
    return 0


def _cmd_solve(args: argparse.Namespace, out: TextIO) -> int:
    from .front import solve

    instance = formats.read_instance(args.input)
    if isinstance(instance, ThresholdNetwork):
        raise TrainhardError(f"{args.input}: a network is a witness, not an instance to solve")
    result = solve(
        instance, solver=args.solver, time_limit=args.time_limit, colors=args.colors, hidden_units=args.hidden
    )
    if args.network_out and isinstance(result.witness, ThresholdNetwork):
        formats.save_network(result.witness, args.network_out)
    _print_result(result, instance, as_json=args.json, out=out, extra={"instance": _describe(instance)})
    return result.status.exit_code


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from .karp import check_reduction

    red = get_reduction(args.name)
    instances = [formats.read_instance(path) for path in args.inputs]
    report = check_reduction(
        red, instances, solver=args.solver, time_limit=args.time_limit, progress=len(instances) > 1,
        **_reduction_params(args, red),
    )
    if args.json:
        out.write(json.dumps({"reduction": red.name, "instances": len(report.checks), **report.counts}) + "\n")
    else:
        out.write(f"c {report}\n")
    return 0


def _cmd_map_back(args: argparse.Namespace, out: TextIO) -> int:
    from reductions.problems import verify

    red = get_reduction(args.name)
    if red.target is not Kind.TRAINING:
        raise TrainhardError(f"map-back takes a network; {red.name} does not produce a training set")
    source = formats.read_instance(args.source)
    network = formats.load_network(args.network)
    target = red(source, **_reduction_params(args, red))
    witness = red.backward(source, target, network)
    params = red.source_params(**red.params(**_reduction_params(args, red)))
    if not verify(red.source, source, witness, colors=params.get("colors")):  # pragma: no cover - a bug
        raise RuntimeError("the backward map produced a witness that does not verify")
    out.write(f"c the network fits the {red.name} training set; its {red.source.value} witness verifies\n")
    out.write(Status.SAT.competition_line + "\n")
    out.write("\n".join(_v_lines(witness, terminate=isinstance(source, CNF))) + "\n")
    return Status.SAT.exit_code


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from .demo import run_demo

    return run_demo(n=args.n, ratio=args.ratio, seed=args.seed, solver=args.solver, save=args.save, out=out)


# ---------------------------------------------------------------------------
# parser
# ---------------------------------------------------------------------------


def _solver_choices() -> list[str]:
    from .sat import SOLVERS

    return sorted(SOLVERS)


def _add_solver_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--solver", default="cadical195", choices=_solver_choices(), help="PySAT backend (default %(default)s)")
    p.add_argument("--time-limit", type=float, default=None, metavar="S", help=COMMON_TIME_LIMIT)


def _add_reduction_parameters(p: argparse.ArgumentParser) -> None:
    seen: set[str] = set()
    for red in REDUCTIONS.values():
        for param in red.parameters:
            if param.name not in seen:
                seen.add(param.name)
                p.add_argument(f"--{param.name}", type=param.type, default=None, help=f"{param.help} (for {red.name})")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; subcommands and choices come from the registries."""
    parser = argparse.ArgumentParser(
        prog="trainhard",
        description="Reductions from NP-hard problems to neural-network training, decided exactly.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    g = sub.add_parser("generate", help="write a seeded random instance", description=f"families: {', '.join(GENERATORS)}")
    g.add_argument("family", choices=list(GENERATORS))
    g.add_argument("--n", type=int, required=True, help="number of vertices or variables")
    g.add_argument("--m", type=int, default=None, help="number of edges or clauses")
    g.add_argument("--ratio", type=float, default=None, help="edges (clauses) per vertex (variable)")
    g.add_argument("--k", type=int, default=None, help="edge or clause size (default 3)")
    g.add_argument("--p", type=float, default=None, help="edge probability (graph only)")
    g.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    g.add_argument("-o", "--output", default=None, help="file to write; the format follows the extension")

    r = sub.add_parser("reduce", help="map an instance through a registered reduction")
    r.add_argument("name", nargs="?", choices=list(REDUCTIONS), metavar="NAME", help="see --list")
    r.add_argument("input", nargs="?")
    r.add_argument("-o", "--output", default=None)
    r.add_argument("--list", action="store_true", help="list the registered reductions")
    _add_reduction_parameters(r)

    s = sub.add_parser("solve", help="decide an instance exactly (.cnf, .hgr, .col, .npz)")
    s.add_argument("input")
    s.add_argument("--colors", type=int, default=None, metavar="K", help="number of colours (hypergraphs, graphs)")
    s.add_argument("--hidden", type=int, default=None, metavar="K", help="hidden threshold units (training sets)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument("--network-out", default=None, metavar="FILE", help="save a found network as JSON")
    _add_solver_options(s)

    c = sub.add_parser("check", help="check a reduction on instances: statuses agree, witnesses map both ways")
    c.add_argument("name", choices=list(REDUCTIONS), metavar="NAME")
    c.add_argument("inputs", nargs="+", metavar="INPUT")
    c.add_argument("--json", action="store_true")
    _add_reduction_parameters(c)
    _add_solver_options(c)

    mb = sub.add_parser("map-back", help="map a network that fits a reduction's training set back to a source witness")
    mb.add_argument("name", choices=[n for n, red in REDUCTIONS.items() if red.target is Kind.TRAINING], metavar="NAME")
    mb.add_argument("source")
    mb.add_argument("network")
    _add_reduction_parameters(mb)

    d = sub.add_parser("demo", help="hypergraph near the splitting threshold -> Blum–Rivest -> exact solve -> map back")
    d.add_argument("--n", type=int, default=60, help="vertices (default %(default)s)")
    d.add_argument("--ratio", type=float, default=2.1, help="edges per vertex (default %(default)s)")
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--solver", default="cadical195", choices=_solver_choices())
    d.add_argument("--save", default=None, metavar="DIR", help="also write the instance, training set and network")

    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        for name, handler in module.add_commands(sub).items():
            if name in COMMANDS and COMMANDS[name] is not handler:
                raise RuntimeError(f"bug: two handlers for the command {name!r}")
            COMMANDS[name] = handler
    return parser


Handler = Callable[[argparse.Namespace, TextIO], int]

COMMANDS: dict[str, Handler] = {
    "generate": _cmd_generate,
    "reduce": _cmd_reduce,
    "solve": _cmd_solve,
    "check": _cmd_check,
    "map-back": _cmd_map_back,
    "demo": _cmd_demo,
}

# Modules that contribute subcommands.  Each defines
# ``add_commands(sub) -> dict[str, Handler]``: it adds its parsers to the
# subparsers object ``sub`` and returns the handlers by command name.  Heavy
# imports (torch, pysat) belong inside the handlers, not at module level.
COMMAND_MODULES: tuple[str, ...] = (
    "solvers.train_cli", "solvers.loading_cli", "solvers.gd_cli", "solvers.sweep_cli", "solvers.report_cli",
)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; return the exit status instead of exiting."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its usage message
        return int(exc.code or 0)
    try:
        with contextlib.redirect_stderr(err):  # warnings and progress bars of a handler go to ``err`` too
            return COMMANDS[args.command](args, out)
    except TrainhardError as exc:
        err.write(f"error: {exc}\n")
        return 2
    except BrokenPipeError:  # the reader went away (``trainhard ... | head``): not an input error
        return 0
    except OSError as exc:
        where = exc.filename if exc.filename is not None else ""
        err.write(f"error: {where}: {exc.strerror or exc}\n")
        return 2
    except KeyboardInterrupt:
        err.write("error: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
