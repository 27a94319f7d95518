"""Hypothesis strategies for trainhard's problems, training sets and networks.

Property-based tests of a reduction, a solver or a file format need random
*small* instances of the library's types.  This module draws them with
`Hypothesis <https://hypothesis.readthedocs.io>`_; trainhard's own test
suite uses exactly these strategies, so a property you write against them
runs over the instances the library is tested on.

It is imported explicitly (``import reductions`` does not import it) and
needs Hypothesis, a test dependency: ``pip install 'trainhard[test]'``.
Like the rest of :mod:`reductions` it imports neither torch, pysat nor
scipy.

Every strategy draws small instances by default, so that a property test
stays fast (an exact decider on the far side of a reduction is exponential);
the sizes are keyword-only options.  Each name below is a function that
returns a ``SearchStrategy``: call it (``cnfs()``, not ``cnfs``) before
handing it to ``@given``.

Problems

- :func:`cnfs` -- :class:`~reductions.problems.CNF` formulas; repeated
  literals, tautologies and empty clauses occur.  Sizes: ``max_vars``,
  ``max_clauses``, ``max_width``.
- :func:`nae_formulas` -- :class:`~reductions.problems.NAEFormula` over
  :func:`cnfs` (same keywords).
- :func:`hypergraphs` -- :class:`~reductions.problems.Hypergraph` with
  non-empty edges of distinct vertices (set splitting, Blum--Rivest).
  Sizes: ``max_vertices``, ``max_edges``.
- :func:`graphs` -- :class:`~reductions.problems.Graph` without self-loops
  (colouring).  Sizes: ``max_vertices``, ``max_edges``.
- :func:`set_families` -- ``(n, sets)``: non-empty subsets of ``range(n)``.
  Sizes: ``max_points``, ``max_sets``.
- :func:`loading_instances` -- Judd's loading problem
  (:class:`~reductions.loading.LoadingInstance`).  Sizes: ``max_inputs``,
  ``max_nodes``, ``max_fan_in``, ``max_pairs``; ``families`` restricts the
  node families.

Data and networks

- :func:`training_sets` -- :class:`~reductions.problems.TrainingSet` with
  integer, rational or beyond-int64 coordinates (``kind``).  Sizes:
  ``max_points``, ``max_dim``.
- :func:`networks` -- one-hidden-layer
  :class:`~reductions.problems.ThresholdNetwork` with exact weights.
  Sizes: ``max_hidden``, ``max_dim``.
- :func:`output_functions` -- an :class:`~reductions.problems.OutputFunction`
  of a given ``arity`` (required).
- :func:`fractions` -- exact weights, now and then a huge one
  (``max_denominator``).
- :func:`json_metadata` -- small JSON objects, as attached to training sets.

Cases for solvers and reductions

- :func:`reduction_cases` -- ``(source, params)`` for a registered reduction
  (required argument: the reduction or its name).  Sizes: ``max_parameter``,
  ``max_training_dim``.
- :func:`trainer_cases`, :func:`float_trainer_cases` -- ``(training set,
  hidden units, output function)`` for the exact trainer.  Sizes:
  ``max_points``, ``max_dim``, ``max_hidden``.
- :func:`halfspace_cases` -- ``(integer points, 0/1 labels)`` for one unit's
  minimum error.  Sizes: ``max_points``, ``max_dim``.
- :func:`integer_systems` -- ``(rows, rhs)`` integer linear systems.
  Sizes: ``max_rows``, ``max_cols``.
- :func:`sweep_configs` -- TOML text of a tiny sweep.  Sizes: ``max_n``,
  ``max_instances``.
- :func:`planted_network_args` -- ``(n, keywords)`` for
  :func:`~reductions.generators.planted_network_set` that it can always
  fill.  Sizes: ``max_points``, ``max_dim``, ``max_hidden``.

Every drawn instance is valid by construction (the types validate
themselves); shrinking goes towards fewer vertices, variables, points and
edges.

Examples
--------
Strategies are lazy: building one draws nothing.

>>> from reductions.strategies import hypergraphs
>>> hypergraphs(max_vertices=5)
hypergraphs(max_vertices=5)

A property test over them, as you would write it in a test module (pytest
runs it; it is skipped here because it draws):

>>> from hypothesis import given, settings
>>> from reductions import REDUCTIONS, fits
>>> from solvers import Status, solve  # doctest: +SKIP
>>> br = REDUCTIONS["splitting-to-blum-rivest"]
>>> @settings(max_examples=50)  # doctest: +SKIP
... @given(hypergraphs(max_vertices=6))
... def test_splittings_give_fitting_networks(h):
...     ts, result = br(h), solve(h)
...     if result.status is Status.SAT:
...         assert fits(br.forward(h, ts, result.witness), ts)
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping

import numpy as np

try:
    from hypothesis import assume
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised in a subprocess by tests/test_strategies.py
    raise ImportError("reductions.strategies needs hypothesis: pip install 'trainhard[test]'") from error

from reductions.problems import CNF, Graph, Hypergraph, Kind, NAEFormula, OutputFunction, ThresholdNetwork, TrainingSet
from reductions.registry import Reduction, get_reduction


__all__ = [
    "cnfs",
    "nae_formulas",
    "hypergraphs",
    "graphs",
    "training_sets",
    "networks",
    "output_functions",
    "fractions",
    "json_metadata",
    "reduction_cases",
    "loading_instances",
    "trainer_cases",
    "sweep_configs",
    "set_families",
    "float_trainer_cases",
    "halfspace_cases",
    "integer_systems",
    "planted_network_args",
]


@st.composite
def cnfs(draw: st.DrawFn, *, max_vars: int = 6, max_clauses: int = 8, max_width: int = 4) -> CNF:
    """CNF formulas, with repeated literals, tautologies and empty clauses allowed.

    Parameters
    ----------
    max_vars : int
        At most this many variables (0 occurs: then every clause is empty).
    max_clauses : int
        At most this many clauses (0 occurs: the empty, satisfiable formula).
    max_width : int
        At most this many literals per clause (0 occurs: an empty clause).

    Returns
    -------
    SearchStrategy[CNF]

    Examples
    --------
    >>> from hypothesis import given
    >>> from reductions import REDUCTIONS, satisfies
    >>> @given(cnfs(max_vars=4))  # doctest: +SKIP
    ... def test_3cnf_keeps_models(f):
    ...     g = REDUCTIONS["cnf-to-3cnf"](f)
    ...     assert all(len(c) <= 3 for c in g.clauses)
    """
    n = draw(st.integers(0, max_vars))
    literal = st.integers(1, max(n, 1)).flatmap(lambda v: st.sampled_from((v, -v)))
    width = max_width if n else 0
    clauses = draw(st.lists(st.lists(literal, max_size=width).map(tuple), max_size=max_clauses))
    return CNF(n, tuple(clauses))


@st.composite
def nae_formulas(draw: st.DrawFn, **kwargs: Any) -> NAEFormula:
    """NAE formulas over :func:`cnfs`; keywords as for :func:`cnfs` (``max_vars``, ``max_clauses``, ``max_width``)."""
    return NAEFormula(draw(cnfs(**kwargs)))


@st.composite
def hypergraphs(draw: st.DrawFn, *, max_vertices: int = 8, max_edges: int = 8) -> Hypergraph:
    """Hypergraphs with non-empty edges of distinct vertices (repeated edges allowed).

    The set-splitting (2-colouring) instances of Blum and Rivest.  Edges of
    one vertex occur, so unsplittable hypergraphs are common.

    Parameters
    ----------
    max_vertices : int
        At most this many vertices, ``0 .. max_vertices - 1`` (0 occurs).
    max_edges : int
        At most this many edges, each of 1 to ``num_vertices`` vertices.

    Returns
    -------
    SearchStrategy[Hypergraph]

    Examples
    --------
    >>> from hypothesis import given
    >>> from reductions import REDUCTIONS
    >>> br = REDUCTIONS["splitting-to-blum-rivest"]
    >>> @given(hypergraphs(max_vertices=6, max_edges=5))  # doctest: +SKIP
    ... def test_documented_size(h):
    ...     ts = br(h)
    ...     assert ts.num_points == 1 + h.num_vertices + len(h.edges)
    """
    n = draw(st.integers(0, max_vertices))
    if n == 0:
        return Hypergraph(0, ())
    edge = st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True).map(tuple)
    return Hypergraph(n, tuple(draw(st.lists(edge, max_size=max_edges))))


@st.composite
def graphs(draw: st.DrawFn, *, max_vertices: int = 8, max_edges: int = 10) -> Graph:
    """Graphs without self-loops (parallel edges allowed), for colouring.

    Parameters
    ----------
    max_vertices : int
        At most this many vertices (0 and 1 occur: then there is no edge).
    max_edges : int
        At most this many edges.

    Returns
    -------
    SearchStrategy[Graph]

    Examples
    --------
    >>> from hypothesis import given
    >>> from reductions import is_coloring
    >>> @given(graphs(max_vertices=5))  # doctest: +SKIP
    ... def test_distinct_colours_are_a_colouring(g):
    ...     assert is_coloring(g, list(range(g.num_vertices)), g.num_vertices)
    """
    n = draw(st.integers(0, max_vertices))
    if n < 2:
        return Graph(n, ())
    edge = st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True).map(tuple)
    return Graph(n, tuple(draw(st.lists(edge, max_size=max_edges))))


def json_metadata() -> st.SearchStrategy[dict[str, Any]]:
    """Small JSON objects like the metadata reductions attach to training sets."""
    scalar = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=5)
    value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3), max_leaves=5)
    return st.dictionaries(st.text(max_size=6), value, max_size=3)


@st.composite
def training_sets(
    draw: st.DrawFn, *, kind: str | None = None, max_points: int = 6, max_dim: int = 4
) -> TrainingSet:
    """Training sets with 0/1 labels and exact (rational) coordinates.

    Points may repeat and contradict each other; 0 points or 0 dimensions
    occur.  The metadata is drawn by :func:`json_metadata`.

    Parameters
    ----------
    kind : {"integer", "rational", "bigint"} or None
        ``"integer"`` (denominator 1), ``"rational"`` (a common denominator
        > 1 may occur) or ``"bigint"`` (numerators beyond int64, stored as
        Python ints).  Drawn when ``None``.
    max_points : int
        At most this many points.
    max_dim : int
        At most this many coordinates per point.

    Returns
    -------
    SearchStrategy[TrainingSet]

    Examples
    --------
    >>> from hypothesis import given
    >>> from reductions import formats
    >>> @given(training_sets(kind="bigint"))  # doctest: +SKIP
    ... def test_npz_round_trip(ts, tmp_path_factory):
    ...     path = tmp_path_factory.mktemp("ts") / "ts.npz"
    ...     formats.save_training_set(ts, path)
    ...     assert formats.load_training_set(path) == ts
    """
    kind = kind or draw(st.sampled_from(("integer", "rational", "bigint")))
    points = draw(st.integers(0, max_points))
    dim = draw(st.integers(0, max_dim))
    if kind == "bigint":
        big = st.integers(-(2**62), 2**62) | st.integers(2**62, 2**130).flatmap(lambda v: st.sampled_from((v, -v)))
        values = draw(st.lists(big, min_size=points * dim, max_size=points * dim))
        values[:1] = [2**100] if values else []  # at least one big numerator when there is a coordinate
        numerators = np.array(values, dtype=object).reshape(points, dim)
        denominator = draw(st.integers(1, 2**80))
    else:
        values = draw(st.lists(st.integers(-1000, 1000), min_size=points * dim, max_size=points * dim))
        numerators = np.array(values, dtype=np.int64).reshape(points, dim)
        denominator = 1 if kind == "integer" else draw(st.integers(1, 10**6))
    labels = np.array(draw(st.lists(st.integers(0, 1), min_size=points, max_size=points)), dtype=np.uint8)
    return TrainingSet(numerators, labels, denominator, draw(json_metadata()))


def fractions(*, max_denominator: int = 10**6) -> st.SearchStrategy[Fraction]:
    """Exact weights: small fractions, and now and then a huge one."""
    return st.fractions(max_denominator=max_denominator) | st.integers(-(2**100), 2**100).map(Fraction)


@st.composite
def output_functions(draw: st.DrawFn, arity: int) -> OutputFunction:
    """A named output function (``and``, ``or``, ``xor``) or an arbitrary truth table of ``arity`` inputs (required)."""
    if draw(st.booleans()):
        return OutputFunction.named(draw(st.sampled_from(OutputFunction.NAMES)), arity)
    table = draw(st.lists(st.booleans(), min_size=2**arity, max_size=2**arity))
    return OutputFunction(arity, tuple(table))


@st.composite
def networks(draw: st.DrawFn, *, max_hidden: int = 3, max_dim: int = 4) -> ThresholdNetwork:
    """One-hidden-layer threshold networks with exact weights.

    Weights and thresholds come from :func:`fractions` (small fractions and
    now and then a huge integer); the output unit from
    :func:`output_functions`.  A network of 0 hidden units (a constant) or
    0 inputs occurs.

    Parameters
    ----------
    max_hidden : int
        At most this many hidden units.
    max_dim : int
        At most this many inputs.

    Returns
    -------
    SearchStrategy[ThresholdNetwork]

    Examples
    --------
    >>> from hypothesis import given
    >>> from reductions import formats
    >>> @given(networks(max_hidden=2))  # doctest: +SKIP
    ... def test_json_round_trip(net, tmp_path_factory):
    ...     path = tmp_path_factory.mktemp("net") / "net.json"
    ...     formats.save_network(net, path)
    ...     assert formats.load_network(path) == net
    """
    k = draw(st.integers(0, max_hidden))
    dim = draw(st.integers(0, max_dim))
    weights = tuple(tuple(draw(st.lists(fractions(), min_size=dim, max_size=dim))) for _ in range(k))
    thresholds = tuple(draw(st.lists(fractions(), min_size=k, max_size=k)))
    return ThresholdNetwork(weights, thresholds, draw(output_functions(k)))


def _small_sources() -> Mapping[type, st.SearchStrategy[Any]]:
    """Sources small enough for an exact decider on the far side of a reduction chain."""
    return {
        CNF: cnfs(max_vars=3, max_clauses=4, max_width=3),
        NAEFormula: nae_formulas(max_vars=3, max_clauses=4, max_width=3),
        Hypergraph: hypergraphs(max_vertices=5, max_edges=5),
        Graph: graphs(max_vertices=5, max_edges=6),
    }


@st.composite
def reduction_cases(
    draw: st.DrawFn, reduction: Reduction | str, *, max_parameter: int = 3, max_training_dim: int = 10
) -> tuple[Any, dict[str, Any]]:
    """``(source, params)`` for a registered reduction.

    A small instance of one of the reduction's ``source_types`` (CNF, NAE
    formula, hypergraph or graph; small enough that an exact decider on the
    far side of a chain of reductions stays fast) and a value for each of its
    ``parameters`` (integers from the parameter's minimum up to
    ``max_parameter``).  This is what trainhard's conformance suite
    (``tests/test_reductions.py``) runs every registered reduction on.

    Parameters
    ----------
    reduction : Reduction or str
        A :class:`~reductions.registry.Reduction` or its name in
        :data:`~reductions.REDUCTIONS`.
    max_parameter : int
        Largest value drawn for an integer parameter (e.g. the colours ``k``).
    max_training_dim : int
        For reductions to training sets: cases whose target would have more
        dimensions are rejected (an exact decider's cost grows with it).

    Returns
    -------
    SearchStrategy[tuple[object, dict[str, int]]]

    Raises
    ------
    ValueError
        When drawing, if no strategy here draws the reduction's sources or a
        parameter is not an integer.

    Examples
    --------
    >>> from hypothesis import given
    >>> from reductions import REDUCTIONS
    >>> red = REDUCTIONS["coloring-to-halfspaces"]
    >>> @given(reduction_cases(red))  # doctest: +SKIP
    ... def test_deterministic(case):
    ...     source, params = case
    ...     assert red(source, **params) == red(source, **params)
    """
    reduction = get_reduction(reduction)
    sources = _small_sources()
    if reduction.target is Kind.TRAINING:
        # the LP decider on the far side is exponential in the number of
        # negative points (the dimension): keep chains from CNF short
        sources = {**sources, CNF: cnfs(max_vars=2, max_clauses=3, max_width=3)}
    kinds = [t for t in reduction.source_types if t in sources]
    if not kinds:
        raise ValueError(f"no strategy for the sources of {reduction.name}: {reduction.source_types}")
    source = draw(st.sampled_from(kinds).flatmap(lambda t: sources[t]))
    params: dict[str, Any] = {}
    for parameter in reduction.parameters:
        if parameter.type is not int:
            raise ValueError(f"no strategy for parameter {parameter.name!r} of type {parameter.type.__name__}")
        low = parameter.minimum if parameter.minimum is not None else 1
        params[parameter.name] = draw(st.integers(low, max(low, max_parameter)))
    if reduction.target is Kind.TRAINING:
        assume(reduction.size(source, **params).get("dim", 0) <= max_training_dim)
    return source, params


@st.composite
def trainer_cases(
    draw: st.DrawFn, *, max_points: int = 7, max_dim: int = 3, max_hidden: int = 3
) -> tuple[TrainingSet, int, OutputFunction]:
    """``(training set, hidden units, output function)`` for the exact trainer.

    Families: ``"box"`` (small integer points, duplicates and contradictory
    labels possible), ``"general"`` (distinct points with a common rational
    denominator, usually in general position), ``"cube"`` (0/1 vectors with
    parity labels, XOR-like data no single halfspace fits, a label flipped
    now and then) and ``"blum-rivest"`` (the reduction's output for a small
    hypergraph, with its points shuffled).
    """
    family = draw(st.sampled_from(("box", "general", "cube", "blum-rivest")))
    k = draw(st.integers(1, max_hidden))
    output = draw(output_functions(k))
    if family == "blum-rivest":
        from reductions.blum_rivest import coloring_to_halfspaces

        h = draw(hypergraphs(max_vertices=4, max_edges=4))
        assume(h.num_vertices >= 1)
        ts = coloring_to_halfspaces(h, k)
        order = draw(st.permutations(range(ts.num_points)))
        ts = TrainingSet(ts.numerators[list(order)], ts.labels[list(order)], 1, {})
        return ts, k, OutputFunction.named("and", k) if draw(st.booleans()) else output
    dim = draw(st.integers(1, max_dim))
    if family == "cube":
        dim = max(dim, 2)
        cube = [tuple((b >> i) & 1 for i in range(dim)) for b in range(2**dim)]
        points = draw(st.lists(st.sampled_from(cube), min_size=1, max_size=min(max_points, 2**dim), unique=True))
        labels = [sum(p) % 2 for p in points]
        flip = draw(st.integers(-1, len(points) - 1))
        if flip >= 0:
            labels[flip] ^= 1
        return TrainingSet.from_points(points, labels), k, output
    n = draw(st.integers(1, max_points))
    coordinate = st.integers(-3, 3) if family == "box" else st.integers(-20, 20)
    point = st.lists(coordinate, min_size=dim, max_size=dim).map(tuple)
    points = draw(st.lists(point, min_size=n, max_size=n, unique=family == "general"))
    labels = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    denominator = 1 if family == "box" else draw(st.integers(1, 7))
    return TrainingSet(np.array(points, dtype=np.int64).reshape(n, dim), np.array(labels, dtype=np.uint8), denominator, {}), k, output


@st.composite
def loading_instances(
    draw: st.DrawFn,
    *,
    max_inputs: int = 3,
    max_nodes: int = 3,
    max_fan_in: int = 2,
    max_pairs: int = 5,
    families: Any = None,
) -> Any:
    """Tiny loading instances (Judd): random DAGs of table / threshold / AND-OR
    nodes, stimuli drawn from a few patterns (so stimuli repeat), responses
    with don't cares, and now and then a ``required`` below the number of pairs."""
    from reductions.loading import Architecture, Family, LoadingInstance, Node, Task

    n_in = draw(st.integers(0, max_inputs))
    nodes = []
    for k in range(draw(st.integers(1, max_nodes))):
        avail = n_in + k
        field = draw(st.lists(st.integers(0, avail - 1), unique=True, max_size=min(max_fan_in, avail))) if avail else []
        nodes.append(Node(f"n{k}", tuple(field), draw(st.sampled_from(families or list(Family)))))
    outputs = draw(st.lists(st.integers(n_in, n_in + len(nodes) - 1), unique=True, min_size=1))
    bits = st.lists(st.sampled_from("01"), min_size=n_in, max_size=n_in).map("".join)
    pool = draw(st.lists(bits, min_size=1, max_size=3))
    response = st.lists(st.sampled_from("01*"), min_size=len(outputs), max_size=len(outputs)).map("".join)
    pairs = draw(st.lists(st.tuples(st.sampled_from(pool), response), max_size=max_pairs))
    required = draw(st.none() | st.integers(0, len(pairs)))
    inputs = tuple(f"x{i}" for i in range(n_in))
    return LoadingInstance(Architecture(inputs, tuple(nodes), tuple(outputs)), Task(tuple(pairs)), required)


@st.composite
def sweep_configs(draw: st.DrawFn, *, max_n: int = 8, max_instances: int = 2) -> str:
    """TOML text of a tiny sweep: one generator family, small n and densities, every solver kind
    (the heuristic kind with pattern search or probSAT).

    Families and reductions: hypergraphs (Blum–Rivest), k-CNF through the
    chain or Judd's loading construction, graphs for 3-colouring.  Small
    enough that brute force decides every instance.
    """
    family, extra = draw(st.sampled_from([
        ("hypergraph", ""),
        ("planted-hypergraph", ""),
        ("cnf", ""),
        ("cnf", 'reduction = "cnf-to-loading"'),
        ("graph", "colors = 3"),
    ]))
    n = draw(st.lists(st.integers(4, max_n), min_size=1, max_size=2, unique=True))
    top = {"cnf": 6.0, "graph": 1.5}.get(family, 3.0)  # a simple graph on 4 vertices has at most 6 edges
    density = draw(st.lists(st.integers(0, int(top * 4)).map(lambda q: q / 4), min_size=1, max_size=2, unique=True))
    seed = draw(st.integers(0, 2**20))
    instances = draw(st.integers(1, max_instances))
    restarts = draw(st.integers(1, 4))
    return f"""
seed = {seed}
instances = {instances}
time_limit = 60

[[families]]
family = "{family}"
n = {n}
density = {density}
{extra}

[[solvers]]
name = "sat"
kind = "sat"
backend = "{draw(st.sampled_from(["cadical195", "glucose4", "minisat22"]))}"

[[solvers]]
name = "exact"
kind = "exact"

[[solvers]]
name = "gd"
kind = "gd"
restarts = {restarts}
steps = 60
check_every = 10

[[solvers]]
name = "heuristic"
kind = "heuristic"
heuristic = "{draw(st.sampled_from(["pattern-search", "probsat"]))}"
restart_steps = 300
"""


@st.composite
def set_families(draw: st.DrawFn, *, max_points: int = 10, max_sets: int = 8) -> tuple[int, list[frozenset[int]]]:
    """``(n, sets)``: non-empty subsets of ``range(n)``, the hidden "forbidden" sets of a hitting-set search."""
    n = draw(st.integers(1, max_points))
    sets = draw(st.lists(st.frozensets(st.integers(0, n - 1), min_size=1, max_size=min(n, 4)), max_size=max_sets))
    return n, sets


@st.composite
def float_trainer_cases(
    draw: st.DrawFn, *, max_points: int = 5, max_dim: int = 2, max_hidden: int = 2
) -> tuple[TrainingSet, int, OutputFunction]:
    """``(training set, hidden units, output function)`` on float data, taken at its exact binary value.

    Coordinates are one-decimal numbers as in real data sets (0.1 is
    3602879701896397 / 2**55: huge numerators, so the MILP's proven weight
    bound is astronomic), quarters (dyadic: small numerators, a provable
    MILP) or any float in [-4, 4].  Duplicates and contradictory labels occur.
    """
    k = draw(st.integers(1, max_hidden))
    output = draw(output_functions(k))
    dim = draw(st.integers(1, max_dim))
    n = draw(st.integers(1, max_points))
    coordinate = draw(st.sampled_from((
        st.integers(-30, 30).map(lambda i: i / 10),
        st.integers(-12, 12).map(lambda i: i / 4),
        st.floats(-4, 4, allow_nan=False, allow_infinity=False),
    )))
    points = draw(st.lists(st.lists(coordinate, min_size=dim, max_size=dim), min_size=n, max_size=n))
    labels = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    return TrainingSet.from_points(points, labels), k, output


@st.composite
def halfspace_cases(
    draw: st.DrawFn, *, max_points: int = 12, max_dim: int = 4
) -> tuple[list[tuple[int, ...]], list[int]]:
    """``(integer points, 0/1 labels)`` for one unit's minimum error (:mod:`solvers.exact.pencils`).

    Families chosen to exercise every path of the sweep: ``"lattice"``
    (coordinates in -2..2: duplicates, contradictory labels, collinear and
    coplanar points, exact ties in every pencil), ``"wide"`` (usually general
    position), ``"flat"`` (points on a lower-dimensional affine subspace,
    embedded with an integer map), ``"near"`` (a lattice scaled by 10**17
    plus unit jitter: directions closer than a float can tell, so the exact
    predicates decide) and ``"huge"`` (coordinates past 2**64, no float copy).
    """
    family = draw(st.sampled_from(("lattice", "wide", "flat", "near", "huge")))
    dim = draw(st.integers(1, max_dim))
    n = draw(st.integers(1, max_points))
    if family == "flat":
        low = draw(st.integers(1, max(1, dim - 1)))
        base = draw(st.lists(st.lists(st.integers(-3, 3), min_size=low, max_size=low), min_size=n, max_size=n))
        embed = draw(st.lists(st.lists(st.integers(-2, 2), min_size=low, max_size=low), min_size=dim, max_size=dim))
        shift = draw(st.lists(st.integers(-5, 5), min_size=dim, max_size=dim))
        points = [tuple(sum(a * x for a, x in zip(row, p)) + s for row, s in zip(embed, shift)) for p in base]
    else:
        coordinate = {"lattice": st.integers(-2, 2), "wide": st.integers(-1000, 1000),
                      "near": st.integers(-2, 2), "huge": st.integers(-3, 3)}[family]
        points = draw(st.lists(st.lists(coordinate, min_size=dim, max_size=dim).map(tuple), min_size=n, max_size=n))
        if family == "near":
            jitter = st.integers(-1, 1)
            points = [tuple(x * 10**17 + draw(jitter) for x in p) for p in points]
        elif family == "huge":
            points = [tuple(x * 2**70 + 1 for x in p) for p in points]
    labels = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    return points, labels


@st.composite
def integer_systems(draw: st.DrawFn, *, max_rows: int = 6, max_cols: int = 5) -> tuple[list[list[int]], list[int]]:
    """``(rows, rhs)``: integer linear systems, consistent or not, with dependent columns now and then.

    For the exact solvers of :mod:`solvers.exact.geometry` (``solve_exact`` and
    the fraction-free ``_solve_unique_int``), compared on the same systems.
    Entries mix small values with 6-decimal-sized ones (the real data's).
    """
    m, n = draw(st.integers(1, max_rows)), draw(st.integers(1, max_cols))
    entry = st.integers(-4, 4) | st.integers(-(10**7), 10**7)
    rows = draw(st.lists(st.lists(entry, min_size=n, max_size=n), min_size=m, max_size=m))
    if n > 1 and draw(st.booleans()):  # a column that is a multiple of another: never a unique solution
        a, b, f = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1)), draw(st.integers(-3, 3))
        if a != b:
            for row in rows:
                row[b] = f * row[a]
    x = draw(st.lists(st.fractions(min_value=-5, max_value=5, max_denominator=7), min_size=n, max_size=n))
    rhs = [sum(Fraction(a) * v for a, v in zip(row, x)) for row in rows]
    scale = 1
    for v in rhs:
        scale = scale * v.denominator // math.gcd(scale, v.denominator)
    rows = [[a * scale for a in row] for row in rows]
    rhs = [int(v * scale) for v in rhs]
    if draw(st.booleans()):  # perturb: usually inconsistent when there are more rows than the rank
        i = draw(st.integers(0, m - 1))
        rhs[i] += draw(st.integers(1, 3))
    return rows, rhs


@st.composite
def planted_network_args(
    draw: st.DrawFn, *, max_points: int = 20, max_dim: int = 4, max_hidden: int = 3
) -> tuple[int, dict[str, Any]]:
    """``(n, keywords)`` for :func:`~reductions.generators.planted_network_set`, always fillable.

    Draws the dimension, the hidden units, the output (``and``, ``or``,
    ``xor``), a margin among 0, 1/4, 1/2 and 1 (a float or a ``"p/q"``
    string) and a seed; ``n`` stays well below the points the default box
    keeps at that margin (at most 6 in one dimension, 100 in two).
    """
    dim = draw(st.integers(1, max_dim))
    hidden = draw(st.integers(1, max_hidden))
    n = draw(st.integers(1, min(max_points, {1: 6, 2: 100}.get(dim, max_points))))
    margin = draw(st.sampled_from([0, "1/4", 0.25, 0.5, "1/2", 1]))
    output = draw(st.sampled_from(OutputFunction.NAMES))
    seed = draw(st.integers(0, 2**32 - 1))
    return n, {"dim": dim, "hidden": hidden, "output": output, "margin": margin, "seed": seed}
