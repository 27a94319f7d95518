"""Seeded instance generators.

Every generator takes ``seed: int | numpy.random.Generator | None`` and
normalises it once with :func:`make_rng`; the global random state is never
touched.  The same integer seed gives the same instance, byte for byte, on
every machine with the same numpy release (numpy's PCG64 stream and the
``Generator.integers`` algorithm used here).  ``tests/test_generators.py``
pins a few SHA-256 digests so that a change of stream is noticed.

Only :meth:`numpy.random.Generator.integers` is used to draw, so instances do
not depend on floating-point details.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .errors import InvalidInstanceError
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
        if not ratio >= 0:  # also refuses NaN
            raise InvalidInstanceError(f"ratio must be >= 0, got {ratio}")
        m = int(round(ratio * n))
    if m < 0:
        raise InvalidInstanceError(f"number of edges must be >= 0, got {m}")
    return int(m)


def _check_nk(n: int, k: int, what: str = "vertices") -> None:
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
    rng = make_rng(seed)
    return Hypergraph(n, tuple(_subset(rng, n, k) for _ in range(m)))


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
    rng = make_rng(seed)
    while True:
        sigma = tuple(int(c) for c in rng.integers(0, 2, size=n))
        if len(set(sigma)) == 2:
            break
    edges = []
    while len(edges) < m:
        e = _subset(rng, n, k)
        if len({sigma[v] for v in e}) == 2:
            edges.append(e)
    return Hypergraph(n, tuple(edges)), sigma


def _clause(rng: np.random.Generator, n: int, k: int) -> tuple[int, ...]:
    variables = _subset(rng, n, k)
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
    rng = make_rng(seed)
    return CNF(n, tuple(_clause(rng, n, k) for _ in range(m)))


def planted_kcnf(
    n: int, *, k: int = 3, m: int | None = None, ratio: float | None = None, seed: Seed = None
) -> tuple[CNF, tuple[int, ...]]:
    """Random k-CNF with a planted model: clauses are drawn uniformly among those it satisfies.

    Returns ``(cnf, model)`` with ``model`` as signed DIMACS literals.
    """
    _check_nk(n, k, "variables")
    m = num_edges_for(n, m=m, ratio=ratio)
    rng = make_rng(seed)
    model = tuple(v if b else -v for v, b in zip(range(1, n + 1), rng.integers(0, 2, size=n).tolist()))
    truth = set(model)
    clauses = []
    while len(clauses) < m:
        c = _clause(rng, n, k)
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

    rng = make_rng(seed)
    nx_seed = int(rng.integers(0, 2**31 - 1))
    if p is not None:
        if m is not None or ratio is not None:
            raise InvalidInstanceError("give p, or one of m and ratio, not both")
        if not 0 <= p <= 1:
            raise InvalidInstanceError(f"edge probability p must be in [0, 1], got {p}")
        g = nx.gnp_random_graph(n, p, seed=nx_seed)
    else:
        m = num_edges_for(n, m=m, ratio=ratio)
        if m > n * (n - 1) // 2:
            raise InvalidInstanceError(f"a simple graph on {n} vertices has at most {n * (n - 1) // 2} edges")
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
