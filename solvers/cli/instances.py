"""The commands on instances: ``generate``, ``reduce``, ``solve``, ``check``, ``map-back`` and ``demo``."""

from __future__ import annotations

import argparse
import inspect
import json
from typing import Any, Callable, TextIO

from reductions import formats
from reductions.errors import TrainhardError
from reductions.generators import GENERATORS
from reductions.problems import CNF, Graph, Hypergraph, Kind, NAEFormula, ThresholdNetwork, TrainingSet
from reductions.registry import REDUCTIONS, get_reduction

from ..core.result import Status
from .common import add_solver_option, add_time_limit_option, check_output, print_result, write_v_lines

__all__ = ["add_commands", "reductions_table"]


def _cmd_generate(args: argparse.Namespace, out: TextIO) -> int:
    from reductions.generators import instance_type

    gen = GENERATORS[args.family]
    takes = inspect.signature(gen).parameters
    kwargs: dict[str, Any] = {"seed": args.seed}
    for name in _GENERATOR_OPTIONS:
        value = getattr(args, name)
        if value is not None:
            if name not in takes:
                options = ", ".join(f"--{o}" for o in _GENERATOR_OPTIONS if o in takes)
                raise TrainhardError(f"generate {args.family} takes no --{name} (its options: {options})")
            kwargs[name] = value
    kind = instance_type(args.family)
    if args.output:
        check_output(args.output, (kind,), what=f"a {kind.__name__}")
    made = gen(args.n, **kwargs)
    instance, planted = made if isinstance(made, tuple) else (made, None)
    comments = [f"trainhard generate {args.family} --n {args.n} " + " ".join(
        f"--{k} {v}" for k, v in kwargs.items() if k != "seed") + f" --seed {args.seed}"]
    if isinstance(instance, TrainingSet):  # no comment lines: the command and the planted network go in the metadata
        extra = {"command": comments[0]}
        if isinstance(planted, ThresholdNetwork):
            extra["planted_network"] = formats.network_to_json(planted)
        instance = TrainingSet(instance.numerators, instance.labels, instance.denominator, {**instance.metadata, **extra})
        if args.output:
            formats.write_instance(instance, args.output)
            out.write(f"c wrote {args.output}: {_describe(instance)}\n")
        else:
            out.write(formats.format_csv(instance))
        return 0
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


_GENERATOR_OPTIONS = ("m", "ratio", "p", "k", "margin", "dim", "hidden")
"""The generator keywords ``generate`` passes on (each a ``--NAME`` option); a generator refuses those it does not take."""


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
    check_output(args.output, _kind_types(red.target), what=f"a {red.target.value} instance")
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
        check_output(args.network_out, (ThresholdNetwork,), what="a network")
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
    print_result(result, instance, as_json=args.json, out=out, extra={"instance": _describe(instance)})
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
    write_v_lines(out, witness, terminate=isinstance(source, CNF))
    return Status.SAT.exit_code


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from .demo import run_demo

    return run_demo(n=args.n, ratio=args.ratio, seed=args.seed, solver=args.solver, save=args.save, out=out)


def _add_reduction_parameters(p: argparse.ArgumentParser) -> None:
    seen: set[str] = set()
    for red in REDUCTIONS.values():
        for param in red.parameters:
            if param.name not in seen:
                seen.add(param.name)
                p.add_argument(f"--{param.name}", type=param.type, default=None, help=f"{param.help} (for {red.name})")


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace, TextIO], int]]:
    """Add the instance commands to the subparsers ``sub``; return their handlers."""
    g = sub.add_parser("generate", help="write a seeded random instance", description=f"families: {', '.join(GENERATORS)}; "
                       "planted-network writes a training set (.npz, .csv; CSV on standard output)")
    g.add_argument("family", choices=list(GENERATORS))
    g.add_argument("--n", type=int, required=True, help="number of vertices, variables or points")
    g.add_argument("--m", type=int, default=None, help="number of edges or clauses")
    g.add_argument("--ratio", type=float, default=None, help="edges (clauses) per vertex (variable)")
    g.add_argument("--k", type=int, default=None, help="edge or clause size (default 3)")
    g.add_argument("--p", type=float, default=None, help="edge probability (graph only)")
    g.add_argument("--margin", type=float, default=None,
                   help="least distance of a point to a hidden unit's hyperplane (planted-network only)")
    g.add_argument("--dim", type=int, default=None, help="dimension of the points (planted-network only)")
    g.add_argument("--hidden", type=int, default=None, help="hidden units of the planted network (planted-network only)")
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
    add_solver_option(s)
    add_time_limit_option(s)

    c = sub.add_parser("check", help="check a reduction on instances: statuses agree, witnesses map both ways")
    c.add_argument("name", choices=list(REDUCTIONS), metavar="NAME")
    c.add_argument("inputs", nargs="+", metavar="INPUT")
    c.add_argument("--json", action="store_true")
    _add_reduction_parameters(c)
    add_solver_option(c)
    add_time_limit_option(c)

    mb = sub.add_parser("map-back", help="map a network that fits a reduction's training set back to a source witness")
    mb.add_argument("name", choices=[n for n, red in REDUCTIONS.items() if red.target is Kind.TRAINING], metavar="NAME")
    mb.add_argument("source")
    mb.add_argument("network")
    _add_reduction_parameters(mb)

    d = sub.add_parser("demo", help="hypergraph near the splitting threshold -> Blum–Rivest -> exact solve -> map back")
    d.add_argument("--n", type=int, default=60, help="vertices (default %(default)s)")
    d.add_argument("--ratio", type=float, default=2.1, help="edges per vertex (default %(default)s)")
    d.add_argument("--seed", type=int, default=0)
    add_solver_option(d)
    d.add_argument("--save", default=None, metavar="DIR", help="also write the instance, training set and network")
    return {
        "generate": _cmd_generate,
        "reduce": _cmd_reduce,
        "solve": _cmd_solve,
        "check": _cmd_check,
        "map-back": _cmd_map_back,
        "demo": _cmd_demo,
    }
