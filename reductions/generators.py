"""Seeded instance generators.

Every generator takes ``seed: int | numpy.random.Generator | None`` and
normalises it once with :func:`make_rng`; the global random state is never
touched.  The same integer seed gives the same instance, byte for byte, on
every machine with the same numpy release (numpy's PCG64 stream and the
``Generator.integers`` algorithm used here).  ``tests/test_generators.py``
pins a few SHA-256 digests so that a change of stream is noticed.

Only :meth:`numpy.random.Generator.integers` is used to draw, so instances do
not depend on floating-point details.

Most generators make *source* instances (hypergraphs, CNF formulas, graphs)
that a reduction turns into training sets; :func:`planted_network_set` makes
a training set directly, labelled by a planted threshold network.

Every generator checks its sizes before drawing anything: ``n`` at most
:data:`~reductions.formats.MAX_DECLARED_SIZE` (no file a reader would refuse
is made), and the instance's estimated memory within what this process may
use (:func:`~reductions.formats.check_memory`, whose message gives the
estimate).  The CLI and sweeps call the generators, so they share the check.
"""

from __future__ import annotations

import math
import numbers
import typing
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from .errors import InvalidInstanceError
from .formats import show_integer, check_declared_size, check_memory
from .problems import CNF, Graph, Hypergraph, OutputFunction, ThresholdNetwork, TrainingSet, as_exact

__all__ = [
    "Seed",
    "make_rng",
    "num_edges_for",
    "random_uniform_hypergraph",
    "planted_hypergraph",
    "random_kcnf",
    "planted_kcnf",
    "random_graph",
    "planted_network_set",
    "PLANTED_TRIES",
    "GENERATORS",
    "instance_type",
]

Seed = int | np.random.Generator | None


def make_rng(seed: Seed) -> np.random.Generator:
    """Normalise a seed to a :class:`numpy.random.Generator` (networkx's convention)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        if seed is not None and int(seed) < 0:
            raise InvalidInstanceError(f"seed must be >= 0, got {seed}")
        return np.random.default_rng(None if seed is None else int(seed))
    raise InvalidInstanceError(f"seed must be an int, a numpy Generator or None, got {seed!r}")


def num_edges_for(n: int, *, m: int | None = None, ratio: float | None = None) -> int:
    """The number of edges (or clauses): ``m`` itself, or ``round(ratio * n)``."""
    if (m is None) == (ratio is None):
        raise InvalidInstanceError("give exactly one of m (a count) and ratio (edges per vertex)")
    if m is None:
        if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real) or not ratio >= 0:  # also refuses NaN
            raise InvalidInstanceError(f"ratio must be a number >= 0, got {ratio!r}")
        try:
            product = ratio * n  # a float, rounded as every published instance's m was
        except OverflowError:  # n beyond a float's range
            product = math.inf
        if not math.isfinite(product):
            raise InvalidInstanceError(f"ratio * n must be finite, got {ratio!r} * {show_integer(n)}")
        m = int(round(product))
    m = _integer(m, "the number of edges m")
    if m < 0:
        raise InvalidInstanceError(f"number of edges must be >= 0, got {m}")
    return m


def _integer(value: Any, what: str) -> int:
    """``value`` as an int; floats, bools and other types are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidInstanceError(f"{what} must be an integer, got {value!r}")
    return int(value)


# Bytes per item of a generated instance and its text, measured with tracemalloc
# (CPython 3.12): a tuple per edge or clause, an int object and two slots per member,
# a planted witness's entry per vertex, networkx's dicts per node and per edge.
_EDGE_BYTES = 64
_MEMBER_BYTES = 48
_PLANTED_BYTES = 100
_NX_NODE_BYTES = 400
_NX_EDGE_BYTES = 300


def _check_sizes(what: str, n: int, k: int, m: int, *, planted: bool, unit: str = "vertices") -> None:
    """Refuse ``m`` edges of size ``k`` on ``n`` vertices (with a planted witness) that cannot fit in memory.

    Then ``n`` itself: no more than :data:`~reductions.formats.MAX_DECLARED_SIZE`.
    """
    needed = m * (_EDGE_BYTES + _MEMBER_BYTES * (k + 1)) + n * (_PLANTED_BYTES if planted else 8)
    check_memory(needed, f"a {what} with n={show_integer(n)}, m={show_integer(m)} and k={show_integer(k)}")
    check_declared_size(n, unit)


def _check_nk(n: int, k: int, what: str = "vertices") -> None:
    n = _integer(n, f"the number of {what} n")
    k = _integer(k, "edge size k")
    if k < 1:
        raise InvalidInstanceError(f"edge size k must be >= 1, got {k}")
    if n < k:
        raise InvalidInstanceError(f"need at least k={k} {what}, got n={n}")


def _subset(rng: np.random.Generator, n: int, k: int) -> tuple[int, ...]:
    """A uniformly random k-subset of range(n), sorted (rejection on repeats)."""
    while True:
        draw = rng.integers(0, n, size=k)
        if len(set(draw.tolist())) == k:
            return tuple(sorted(int(v) for v in draw))


def _floyd(rng: np.random.Generator, n: int, k: int) -> tuple[int, ...]:
    """A uniformly random k-subset of range(n), sorted, in exactly k draws (Floyd's algorithm)."""
    chosen: set[int] = set()
    for j in range(n - k, n):
        t = int(rng.integers(0, j + 1))
        chosen.add(j if t in chosen else t)
    return tuple(sorted(chosen))


_Sampler = Callable[[np.random.Generator], tuple[int, ...]]
"""``draw(rng) -> k-subset``: how a generator draws its edges or clauses' variables."""


def _subsets(n: int, k: int) -> _Sampler:
    """The k-subset sampler for ``n`` and ``k``: rejection, unless it would spin.

    Rejection (the stream every published instance was drawn with) keeps k
    draws only when they are distinct.  When under 1 in 10**4 of them are
    (``k`` close to ``n``: for k = n = 30 it is 1 in 10**12), Floyd's
    algorithm is used instead.
    """
    accept = 1.0
    for i in range(k):
        accept *= (n - i) / n
        if accept < 1e-4:
            return lambda rng: _floyd(rng, n, k)
    return lambda rng: _subset(rng, n, k)


def random_uniform_hypergraph(
    n: int, *, k: int = 3, m: int | None = None, ratio: float | None = None, seed: Seed = None
) -> Hypergraph:
    """Random k-uniform hypergraph: ``m`` edges, each a uniform k-subset of ``n`` vertices.

    Edges are drawn independently (with replacement), the standard random
    model near the set-splitting threshold (about 2.1 edges per vertex for
    k = 3, see Achlioptas et al., SODA 2001).  Runs in expected O(m k) time.

    Examples
    --------
    >>> h = random_uniform_hypergraph(10, m=5, seed=1)
    >>> h.num_vertices, h.num_edges, {len(e) for e in h.edges}
    (10, 5, {3})
    """
    _check_nk(n, k)
    m = num_edges_for(n, m=m, ratio=ratio)
    _check_sizes("hypergraph", n, k, m, planted=False)
    rng = make_rng(seed)
    draw = _subsets(n, k)
    return Hypergraph(n, tuple(draw(rng) for _ in range(m)))


def planted_hypergraph(
    n: int, *, k: int = 3, m: int | None = None, ratio: float | None = None, seed: Seed = None
) -> tuple[Hypergraph, tuple[int, ...]]:
    """Random k-uniform hypergraph with a planted 2-colouring.

    Draws a uniformly random non-constant colouring ``sigma``, then each edge
    uniformly among the k-subsets that ``sigma`` does not leave monochromatic.
    Returns ``(hypergraph, sigma)``; ``sigma`` is a known splitting.  Planted
    instances are much easier than uniform ones near the threshold; label
    them as planted in any experiment.
    """
    _check_nk(n, k)
    if k < 2:
        raise InvalidInstanceError("a planted splitting needs edges of size >= 2")
    m = num_edges_for(n, m=m, ratio=ratio)
    _check_sizes("planted hypergraph", n, k, m, planted=True)
    rng = make_rng(seed)
    while True:
        sigma = tuple(int(c) for c in rng.integers(0, 2, size=n))
        if len(set(sigma)) == 2:
            break
    draw = _subsets(n, k)
    edges = []
    while len(edges) < m:
        e = draw(rng)
        if len({sigma[v] for v in e}) == 2:
            edges.append(e)
    return Hypergraph(n, tuple(edges)), sigma


def _clause(rng: np.random.Generator, k: int, draw: _Sampler) -> tuple[int, ...]:
    variables = draw(rng)
    signs = rng.integers(0, 2, size=k)
    return tuple(v + 1 if s else -(v + 1) for v, s in zip(variables, signs.tolist()))


def random_kcnf(
    n: int, *, k: int = 3, m: int | None = None, ratio: float | None = None, seed: Seed = None
) -> CNF:
    """Random k-CNF: ``m`` clauses over ``n`` variables, k distinct variables each, random signs.

    The satisfiability threshold of random 3-SAT is about 4.27 clauses per
    variable (higher at small n).

    Examples
    --------
    >>> f = random_kcnf(5, m=3, seed=0)
    >>> f.num_vars, f.num_clauses, {len(c) for c in f.clauses}
    (5, 3, {3})
    """
    _check_nk(n, k, "variables")
    m = num_edges_for(n, m=m, ratio=ratio)
    _check_sizes("CNF", n, k, m, planted=False, unit="variables")
    rng = make_rng(seed)
    draw = _subsets(n, k)
    return CNF(n, tuple(_clause(rng, k, draw) for _ in range(m)))


def planted_kcnf(
    n: int, *, k: int = 3, m: int | None = None, ratio: float | None = None, seed: Seed = None
) -> tuple[CNF, tuple[int, ...]]:
    """Random k-CNF with a planted model: clauses are drawn uniformly among those it satisfies.

    Returns ``(cnf, model)`` with ``model`` as signed DIMACS literals.
    """
    _check_nk(n, k, "variables")
    m = num_edges_for(n, m=m, ratio=ratio)
    _check_sizes("planted CNF", n, k, m, planted=True, unit="variables")
    rng = make_rng(seed)
    draw = _subsets(n, k)
    model = tuple(v if b else -v for v, b in zip(range(1, n + 1), rng.integers(0, 2, size=n).tolist()))
    truth = set(model)
    clauses = []
    while len(clauses) < m:
        c = _clause(rng, k, draw)
        if truth.intersection(c):
            clauses.append(c)
    return CNF(n, tuple(clauses)), model


def random_graph(
    n: int,
    *,
    p: float | None = None,
    m: int | None = None,
    ratio: float | None = None,
    seed: Seed = None,
) -> Graph:
    """Erdős–Rényi graph: G(n, p) if ``p`` is given, else G(n, m) with ``m`` or ``ratio * n`` edges.

    Uses networkx's generators (``gnp_random_graph`` / ``gnm_random_graph``),
    seeded with an integer drawn from the normalised generator.
    """
    import networkx as nx

    n = _integer(n, "the number of vertices n")
    if n < 0:
        raise InvalidInstanceError(f"the number of vertices must be >= 0, got {n}")
    if p is not None:
        if m is not None or ratio is not None:
            raise InvalidInstanceError("give p, or one of m and ratio, not both")
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p <= 1:
            raise InvalidInstanceError(f"edge probability p must be in [0, 1], got {p!r}")
        expected_edges = math.ceil(Fraction(p) * (n * (n - 1) // 2))  # exact: n may be far beyond a float
    else:
        m = num_edges_for(n, m=m, ratio=ratio)
        if m > n * (n - 1) // 2:
            raise InvalidInstanceError(f"a simple graph on {n} vertices has at most {n * (n - 1) // 2} edges")
        expected_edges = m
    label = f"p={p}" if p is not None else f"m={show_integer(m)}"
    check_memory(n * _NX_NODE_BYTES + expected_edges * _NX_EDGE_BYTES, f"a graph with n={show_integer(n)} and {label}")
    check_declared_size(n, "vertices")
    rng = make_rng(seed)
    nx_seed = int(rng.integers(0, 2**31 - 1))
    if p is not None:
        g = nx.gnp_random_graph(n, p, seed=nx_seed)
    else:
        g = nx.gnm_random_graph(n, m, seed=nx_seed)
    return Graph(n, tuple(sorted((min(u, v), max(u, v)) for u, v in g.edges())))


PLANTED_TRIES = 100
"""Candidate points :func:`planted_network_set` draws per requested point before it gives up."""

_MAX_PLANTED_HIDDEN = 20  # OutputFunction's largest arity (reductions.problems)
_MAX_PLANTED_SCALE = 1000  # coordinates and weights: |value| <= 1000 keeps every dot product exact in int64


def _positive(value: Any, what: str, *, most: int | None = None) -> int:
    """``value`` as an int in ``1..most``; anything else is refused with one line naming ``what``."""
    value = _integer(value, what)
    if value < 1 or most is not None and value > most:
        bounds = ">= 1" if most is None else f"in 1..{most}"
        raise InvalidInstanceError(f"{what} must be {bounds}, got {show_integer(value)}")
    return value


def _margin(margin: Any) -> Fraction:
    """The margin as an exact fraction >= 0 (a finite number, or a ``"p/q"`` string)."""
    if isinstance(margin, bool) or not isinstance(margin, (numbers.Real, str)):
        raise InvalidInstanceError(f"margin must be a number >= 0, got {margin!r}")
    value = as_exact(margin, "margin")  # refuses NaN and infinities
    if value < 0:
        raise InvalidInstanceError(f"margin must be >= 0, got {margin!r}")
    return value


def planted_network_set(
    n: int,
    *,
    dim: int = 2,
    hidden: int = 2,
    output: str = "and",
    margin: float | Fraction | str = 0.5,
    radius: int = 10,
    weight_bound: int = 3,
    seed: Seed = None,
) -> tuple[TrainingSet, ThresholdNetwork]:
    """A training set labelled by a planted threshold network, every point at least ``margin`` from each hyperplane.

    The planted network has ``hidden`` threshold units and the named
    ``output`` (``"and"``, ``"or"`` or ``"xor"``).  Unit ``j`` has a nonzero
    integer weight vector ``w_j`` with entries in ``[-weight_bound,
    weight_bound]`` and the half-integer threshold ``t_j = w_j · c_j + 1/2``,
    where the centre ``c_j`` is a lattice point in the middle half of the
    box (entries in ``[-radius // 2, radius // 2]``), so every hyperplane
    crosses the box and no integer point lies on one.  The units are then
    oriented (``w_j, t_j`` negated where needed) so that a random anchor
    point in the middle half gets an input pattern of the rarer output
    value: the AND's positive region, the OR's negative one, contains it.

    Points are distinct integer points of the box ``[-radius, radius]^dim``,
    drawn uniformly and kept only when their Euclidean distance to every
    unit's hyperplane ``{x : w_j · x = t_j}`` is at least ``margin``:

        |w_j · x - t_j| >= margin · ‖w_j‖  (Euclidean norm)

    (checked exactly, in integers).  The margin is thus in the coordinates'
    own units, whatever the weights' scale: the planted network, divided by
    ``margin``, classifies every point with a functional margin of at least
    ``‖w_j‖`` at unit ``j``.  With ``margin = 0`` every point is kept (it
    is at distance at least ``1 / (2 ‖w_j‖)`` anyway).  Each point is
    labelled by the planted network, which therefore fits the set.

    Planted sets are easier than the hardest ones of their size: label them
    as planted in any experiment.  The labels are those of the planted
    network, so the classes may be unbalanced: in 200 sets of 100 points
    (margin 1/2, the default box) an AND of 2 units labels 40% of the
    points positive on average and an AND of 3 units 27%, with no positive
    point in 1% of the sets.

    Runs in expected ``O(n · dim · hidden)`` time while the margin keeps a
    constant fraction of the box; at most ``PLANTED_TRIES · n`` candidates
    are drawn.

    Parameters
    ----------
    n : int
        Number of points (>= 1).
    dim : int
        Dimension of the points (>= 1).
    hidden : int
        Hidden units of the planted network (1 to 20).
    output : str
        Its output unit: ``"and"``, ``"or"`` or ``"xor"``.
    margin : number or str
        Least Euclidean distance of a point to any unit's hyperplane
        (>= 0; a float is taken at its exact value, ``"p/q"`` also works).
    radius : int
        Coordinates are integers in ``[-radius, radius]`` (1 to 1000).
    weight_bound : int
        Weights are integers in ``[-weight_bound, weight_bound]`` (1 to 1000).
    seed : int, numpy Generator or None

    Returns
    -------
    (TrainingSet, ThresholdNetwork)
        The set, whose metadata names the architecture (``hidden_units``,
        ``output``), the generator (``planted``) and the ``margin``; and the
        planted network, which fits it.

    Raises
    ------
    InvalidInstanceError
        Bad parameters, more points than the box holds, or fewer than ``n``
        distinct points at the margin after ``PLANTED_TRIES · n`` draws
        (lower the margin or ``n``, or raise ``radius`` or ``dim``).

    Examples
    --------
    >>> from reductions.problems import fits
    >>> ts, net = planted_network_set(12, margin=1, seed=0)
    >>> ts.num_points, ts.dim, net.hidden_units, fits(net, ts)
    (12, 2, 2, True)
    >>> ts.metadata["hidden_units"], ts.metadata["output"]
    (2, 'and')
    """
    n = _positive(n, "the number of points n")
    dim = _positive(dim, "the dimension dim")
    hidden = _positive(hidden, "the number of hidden units", most=_MAX_PLANTED_HIDDEN)
    if output not in OutputFunction.NAMES:
        raise InvalidInstanceError(f"output must be one of {', '.join(OutputFunction.NAMES)}, got {output!r}")
    exact_margin = _margin(margin)
    radius = _positive(radius, "radius", most=_MAX_PLANTED_SCALE)
    weight_bound = _positive(weight_bound, "weight_bound", most=_MAX_PLANTED_SCALE)
    check_declared_size(dim, "dimensions")
    check_declared_size(n, "points")
    side = 2 * radius + 1
    if dim * math.log2(side) < 64 and n > side**dim:
        raise InvalidInstanceError(f"only {show_integer(side**dim)} distinct integer points lie in [-{radius}, {radius}]^{dim}, "
                                   f"fewer than n={show_integer(n)}")
    batch = max(64, n)
    check_memory((n + batch) * dim * (8 + _MEMBER_BYTES) + hidden * dim * 16,
                 f"a training set of {show_integer(n)} points in {show_integer(dim)} dimensions")
    rng = make_rng(seed)
    rows: list[np.ndarray] = []
    while len(rows) < hidden:
        w = rng.integers(-weight_bound, weight_bound + 1, size=dim)
        if w.any():
            rows.append(w)
    weights = np.array(rows, dtype=np.int64)  # (hidden, dim)
    centres = rng.integers(-(radius // 2), radius // 2 + 1, size=(hidden, dim))
    twice_thresholds = 2 * (weights * centres).sum(axis=1) + 1  # 2 t_j: odd, so no lattice point is on a hyperplane
    # Orient the units so that an anchor point gets a pattern of the rarer output: that class is never empty.
    table = OutputFunction.named(output, hidden).table
    rare = sum(table) <= len(table) // 2
    patterns = [b for b, value in enumerate(table) if value == rare]
    pattern = patterns[int(rng.integers(0, len(patterns)))]
    anchor = rng.integers(-(radius // 2), radius // 2 + 1, size=dim)
    for j in range(hidden):
        fires = 2 * int(weights[j] @ anchor) > int(twice_thresholds[j])
        if fires != bool(pattern >> j & 1):
            weights[j], twice_thresholds[j] = -weights[j], -twice_thresholds[j]
    # |w.x - t| >= m |w|  <=>  (2 w.x - 2t)^2 q^2 >= 4 p^2 |w|^2, with m = p/q: all integers
    p, q = exact_margin.numerator, exact_margin.denominator
    needed = [4 * p * p * int(norm) for norm in (weights * weights).sum(axis=1)]
    kept: dict[tuple[int, ...], None] = {}
    drawn, limit = 0, PLANTED_TRIES * n
    while len(kept) < n and drawn < limit:
        size = min(batch, limit - drawn)
        candidates = rng.integers(-radius, radius + 1, size=(size, dim))
        drawn += size
        gaps = 2 * (candidates @ weights.T) - twice_thresholds  # (size, hidden), exact in int64
        for point, gap in zip(candidates.tolist(), gaps.tolist()):
            if all(g * g * q * q >= bound for g, bound in zip(gap, needed)):
                kept.setdefault(tuple(point), None)
                if len(kept) == n:
                    break
    if len(kept) < n:
        raise InvalidInstanceError(
            f"only {len(kept)} of n={n} distinct points lie at distance >= {margin} from every "
            f"hyperplane after {drawn} draws; lower the margin or n, or raise the dimension"
        )
    network = ThresholdNetwork.from_numbers(weights.tolist(), [Fraction(int(t), 2) for t in twice_thresholds], output)
    points = np.array(list(kept), dtype=np.int64)
    labels = network.classify(TrainingSet(points, np.zeros(n, dtype=np.uint8)))
    metadata = {"hidden_units": hidden, "output": output, "planted": "planted-network", "margin": float(exact_margin)}
    return TrainingSet(points, labels, 1, metadata), network


GENERATORS: dict[str, Callable[..., Any]] = {
    "hypergraph": random_uniform_hypergraph,
    "planted-hypergraph": planted_hypergraph,
    "cnf": random_kcnf,
    "planted-cnf": planted_kcnf,
    "graph": random_graph,
    "planted-network": planted_network_set,
}
"""The generator registry: CLI ``trainhard generate NAME`` choices and benchmark families.

Every entry makes a source instance for a reduction, except
``planted-network``, which makes a training set (:func:`instance_type`
tells them apart)."""


def instance_type(name: str) -> type:
    """The type of instance ``GENERATORS[name]`` makes, read from its return annotation.

    Lets a caller check where the instance can be written before generating it.

    Examples
    --------
    >>> instance_type("planted-cnf").__name__, instance_type("planted-network").__name__
    ('CNF', 'TrainingSet')
    """
    try:
        returns = typing.get_type_hints(GENERATORS[name])["return"]
    except KeyError:
        raise InvalidInstanceError(f"unknown generator {name!r}; choose one of {', '.join(GENERATORS)}") from None
    if typing.get_origin(returns) is tuple:  # (instance, planted witness)
        returns = typing.get_args(returns)[0]
    return returns
