"""Seeded instance generators.

Every generator takes ``seed: int | numpy.random.Generator | None`` and
normalises it once with :func:`make_rng`; the global random state is never
touched.  The same integer seed gives the same instance, byte for byte, on
every machine with the same numpy release (numpy's PCG64 stream and the
``Generator.integers`` algorithm used here).  ``tests/test_generators.py``
pins a few SHA-256 digests so that a change of stream is noticed.

Only :meth:`numpy.random.Generator.integers` is used to draw, so instances do
not depend on floating-point details.

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
from .problems import CNF, Graph, Hypergraph

__all__ = [
    "Seed",
    "make_rng",
    "num_edges_for",
    "random_uniform_hypergraph",
    "planted_hypergraph",
    "random_kcnf",
    "planted_kcnf",
    "random_graph",
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


GENERATORS: dict[str, Callable[..., Any]] = {
    "hypergraph": random_uniform_hypergraph,
    "planted-hypergraph": planted_hypergraph,
    "cnf": random_kcnf,
    "planted-cnf": planted_kcnf,
    "graph": random_graph,
}
"""The generator registry: CLI ``trainhard generate NAME`` choices and benchmark families."""


def instance_type(name: str) -> type:
    """The type of instance ``GENERATORS[name]`` makes, read from its return annotation.

    Lets a caller check where the instance can be written before generating it.

    Examples
    --------
    >>> instance_type("planted-cnf").__name__
    'CNF'
    """
    try:
        returns = typing.get_type_hints(GENERATORS[name])["return"]
    except KeyError:
        raise InvalidInstanceError(f"unknown generator {name!r}; choose one of {', '.join(GENERATORS)}") from None
    if typing.get_origin(returns) is tuple:  # (instance, planted witness)
        returns = typing.get_args(returns)[0]
    return returns
