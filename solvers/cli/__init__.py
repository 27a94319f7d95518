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
import inspect
import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn, Sequence, TextIO

from reductions import formats
from reductions.errors import TrainhardError
from reductions.generators import GENERATORS
from reductions.problems import CNF, Graph, Hypergraph, Kind, NAEFormula, ThresholdNetwork, TrainingSet
from reductions.registry import REDUCTIONS, get_reduction

from ..core.result import Result, Status

__all__ = ["main", "build_parser", "reductions_table", "UsageError", "COMMANDS", "COMMAND_MODULES"]

COMMON_TIME_LIMIT = "wall-clock limit in seconds; the solver is interrupted and the verdict is UNKNOWN"


# ---------------------------------------------------------------------------
# output helpers
# ---------------------------------------------------------------------------


def _v_lines(values: Sequence[int], *, terminate: bool, width: int = 20) -> Iterator[str]:
    """SAT-competition ``v`` lines, ``width`` values per line, ending in 0 for models (one at a time)."""
    items = itertools.chain(map(str, map(int, values)), ["0"] if terminate else [])
    empty = True
    while chunk := list(itertools.islice(items, width)):
        empty = False
        yield "v " + " ".join(chunk)
    if empty:
        yield "v"


def _write_v_lines(out: TextIO, values: Sequence[int], *, terminate: bool) -> None:
    out.writelines(line + "\n" for line in _v_lines(values, terminate=terminate))


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
            _write_v_lines(out, result.witness, terminate=terminate)


# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------


def _check_output(path: str, types: tuple[type, ...], *, what: str) -> None:
    """Refuse, before any work, an output file whose extension cannot hold ``what`` or whose folder is missing."""
    ext, fmt = formats.format_of(path)
    if not any(issubclass(t, fmt.types) for t in types):
        fits = [e for e, f in formats.FORMATS.items() if any(issubclass(t, f.types) for t in types)]
        raise TrainhardError(f"{path}: {ext} holds a {fmt.description}, not {what}; use {', '.join(fits)}")
    _check_folder(path)


def _check_folder(path: str) -> None:
    """Refuse an output path whose folder does not exist or cannot be written (found before the work, not after)."""
    folder = Path(path).parent
    if Path(path).is_dir():
        raise TrainhardError(f"{path}: is a folder, not a file")
    if not folder.is_dir():
        raise TrainhardError(f"{path}: no such folder {str(folder)!r}")
    if not os.access(folder, os.W_OK):
        raise TrainhardError(f"{path}: the folder {str(folder)!r} is not writable")


def _cmd_generate(args: argparse.Namespace, out: TextIO) -> int:
    from reductions.generators import instance_type

    gen = GENERATORS[args.family]
    takes = inspect.signature(gen).parameters
    kwargs: dict[str, Any] = {"seed": args.seed}
    for name in ("m", "ratio", "p", "k"):
        value = getattr(args, name)
        if value is not None:
            if name not in takes:
                options = ", ".join(f"--{o}" for o in ("m", "ratio", "p", "k") if o in takes)
                raise TrainhardError(f"generate {args.family} takes no --{name} (its options: {options})")
            kwargs[name] = value
    kind = instance_type(args.family)
    if args.output:
        _check_output(args.output, (kind,), what=f"a {kind.__name__}")
    made = gen(args.n, **kwargs)
    instance, planted = made if isinstance(made, tuple) else (made, None)
    comments = [f"trainhard generate {args.family} --n {args.n} " + " ".join(
        f"--{k} {v}" for k, v in kwargs.items() if k != "seed") + f" --seed {args.seed}"]
    if planted is not None:
        what = "model" if isinstance(instance, CNF) else "colouring"
        comments.append(f"planted {what}: " + " ".join(str(int(x)) for x in planted))
    if args.output:
        formats.format_of(args.output)[1].writer(instance, args.output, comments=comments)
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


def _reduction_params(args: argparse.Namespace) -> dict[str, Any]:
    """The reduction parameters given on the command line; the reduction refuses those it does not take.

    An integer above :data:`~reductions.formats.MAX_DECLARED_SIZE` (a number of colours or hidden
    units no instance could use) is refused here, before any file is read.
    """
    names = {p.name for red in REDUCTIONS.values() for p in red.parameters}
    given = {name: getattr(args, name) for name in sorted(names) if getattr(args, name, None) is not None}
    for name, value in given.items():
        if isinstance(value, int):
            formats.check_declared_size(value, f"(--{name})")
    return given


def reductions_table() -> str:
    """The README's reductions table, generated from the registry."""
    rows = ["| name | source -> target | parameters | what it does |", "|---|---|---|---|"]
    for name, red in REDUCTIONS.items():
        params = ", ".join(f"`--{p.name}`" for p in red.parameters) or "-"
        rows.append(f"| `{name}` | {red.source.value} -> {red.target.value} | {params} | {red.summary} |")
    return "\n".join(rows) + "\n"


def _kind_types(kind: Kind) -> tuple[type, ...]:
    """The instance types of a problem kind (the inverse of :func:`reductions.problems.kind_of`)."""
    from reductions.loading import LoadingInstance

    return {
        Kind.SAT: (CNF,), Kind.NAE_SAT: (NAEFormula,), Kind.SET_SPLITTING: (Hypergraph,),
        Kind.COLORING: (Hypergraph, Graph), Kind.TRAINING: (TrainingSet,), Kind.LOADING: (LoadingInstance,),
    }[kind]


def _cmd_reduce(args: argparse.Namespace, out: TextIO) -> int:
    usage = "usage: trainhard reduce NAME INPUT -o OUTPUT (see trainhard reduce --list)"
    given = _reduction_params(args)
    if args.list or not args.name:
        others = [args.name, args.input, args.output, *(f"--{name}" for name in given)]
        if any(others):
            raise TrainhardError("reduce --list takes no other arguments" if args.list else usage)
        width = max(len(n) for n in REDUCTIONS)
        for name, red in REDUCTIONS.items():
            params = "".join(f" --{p.name} {p.name.upper()}" for p in red.parameters)
            out.write(f"{name.ljust(width)}  {red.source.value} -> {red.target.value}{params}: {red.summary}\n")
        return 0
    if not args.input or not args.output:
        raise TrainhardError(usage)
    from ..experiments.karp import check_target_size

    red = get_reduction(args.name)
    red.params(**given)
    _check_output(args.output, _kind_types(red.target), what=f"a {red.target.value} instance")
    source = formats.read_instance(args.input)
    check_target_size(red, source, **given)
    target = red(source, **given)
    if isinstance(target, TrainingSet):
        target = TrainingSet(
            target.numerators, target.labels, target.denominator, {**target.metadata, "reduction": red.name}
        )
    formats.write_instance(target, args.output)
    out.write(f"c {red.name}: {_describe(source)} -> {_describe(target)}\n")
    out.write(f"c wrote {args.output}\n")
    return 0


def _cmd_solve(args: argparse.Namespace, out: TextIO) -> int:
    from reductions.loading import LoadingInstance

    from ..exact.front import solve

    if args.network_out:
        _check_output(args.network_out, (ThresholdNetwork,), what="a network")
    instance = formats.read_instance(args.input)
    if isinstance(instance, ThresholdNetwork):
        raise TrainhardError(f"{args.input}: a network is a witness, not an instance to solve")
    if isinstance(instance, LoadingInstance):
        raise TrainhardError(f"{args.input}: a loading instance; decide it with trainhard load {args.input}")
    if args.network_out and not isinstance(instance, TrainingSet):
        raise TrainhardError(f"--network-out applies to training sets (.npz), not to a {type(instance).__name__}")
    result = solve(
        instance, solver=args.solver, time_limit=args.time_limit, colors=args.colors, hidden_units=args.hidden
    )
    if args.network_out and isinstance(result.witness, ThresholdNetwork):
        formats.save_network(result.witness, args.network_out)
    _print_result(result, instance, as_json=args.json, out=out, extra={"instance": _describe(instance)})
    return result.status.exit_code


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from ..experiments.karp import check_reduction

    red = get_reduction(args.name)
    given = _reduction_params(args)
    red.params(**given)
    instances = [formats.read_instance(path) for path in args.inputs]
    report = check_reduction(
        red, instances, solver=args.solver, time_limit=args.time_limit, progress=len(instances) > 1, **given,
    )
    if args.json:
        out.write(json.dumps({"reduction": red.name, "instances": len(report.checks), **report.counts}) + "\n")
    else:
        out.write(f"c {report}\n")
    return 0


def _cmd_map_back(args: argparse.Namespace, out: TextIO) -> int:
    from reductions.problems import verify

    from ..experiments.karp import check_target_size

    red = get_reduction(args.name)
    if red.target is not Kind.TRAINING:
        raise TrainhardError(f"map-back takes a network; {red.name} does not produce a training set")
    given = _reduction_params(args)
    red.params(**given)
    source = formats.read_instance(args.source)
    if not isinstance(source, red.source_types):
        names = " or ".join(t.__name__ for t in red.source_types)
        raise TrainhardError(
            f"{args.source}: {red.name} maps back to a {names}, got a {type(source).__name__} "
            "(map-back takes NAME SOURCE NETWORK)"
        )
    network = formats.load_network(args.network)
    check_target_size(red, source, **given)
    target = red(source, **given)
    witness = red.backward(source, target, network)
    params = red.source_params(**red.params(**given))
    if not verify(red.source, source, witness, colors=params.get("colors")):  # pragma: no cover - a bug
        raise RuntimeError("the backward map produced a witness that does not verify")
    out.write(f"c the network fits the {red.name} training set; its {red.source.value} witness verifies\n")
    out.write(Status.SAT.competition_line + "\n")
    _write_v_lines(out, witness, terminate=isinstance(source, CNF))
    return Status.SAT.exit_code


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from .demo import run_demo

    return run_demo(n=args.n, ratio=args.ratio, seed=args.seed, solver=args.solver, save=args.save, out=out)


# ---------------------------------------------------------------------------
# parser
# ---------------------------------------------------------------------------


def _solver_choices() -> list[str]:
    from ..exact.sat import SOLVERS

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


class UsageError(TrainhardError, ValueError):
    """A command line argparse refuses: a missing, unknown or malformed argument."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line ``error: ...`` and exit status 2, like every other."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; subcommands and choices come from the registries."""
    parser = _Parser(
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
    "solvers.cli.train", "solvers.cli.loading", "solvers.cli.gd", "solvers.cli.sweep", "solvers.cli.report",
)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; return the exit status instead of exiting."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help printed (on sys.stdout, as argparse does)
        return int(exc.code or 0)
    except UsageError as exc:  # one line on sys.stderr, where argparse writes its messages
        sys.stderr.write(f"error: {exc}\n")
        return 2
    try:
        with contextlib.redirect_stderr(err):  # warnings and progress bars of a handler go to ``err`` too
            return COMMANDS[args.command](args, out)
    except TrainhardError as exc:
        err.write(f"error: {exc}\n")
        return 2
    except MemoryError:  # a last resort: sizes are checked up front, so this is a size no check foresaw
        err.write(f"error: out of memory running trainhard {args.command} (see MAX_DECLARED_SIZE in the README)\n")
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
