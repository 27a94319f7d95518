"""Blum & Rivest: hypergraph colouring -> training a network of threshold units.

Blum & Rivest, "Training a 3-node neural network is NP-complete", NIPS 1988;
Neural Networks 5(1):117-127, 1992.  For a hypergraph on ``n`` vertices with
``m`` edges the training set has ``n + m + 1`` points in ``R^n``:

* point 0, the origin, labelled 1 (+);
* points ``1..n``, the unit vectors ``e_i``, labelled 0 (-);
* points ``n+1..n+m``, the indicator vector of each edge, labelled 1 (+).

A network with ``k`` hidden threshold units and an AND output fits it exactly
when the hypergraph has a k-colouring with no monochromatic edge; ``k = 2``
is set splitting (the 3-node network).  For ``k >= 3`` plain graphs suffice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import InvalidInstanceError, WitnessError
from .problems import (
    Graph,
    Hypergraph,
    OutputFunction,
    ThresholdNetwork,
    TrainingSet,
    fits,
    is_coloring,
)

__all__ = [
    "blum_rivest",
    "coloring_to_halfspaces",
    "coloring_to_network",
    "network_to_coloring",
    "recognize_blum_rivest",
]


def _hypergraph(instance: Hypergraph | Graph) -> Hypergraph:
    return instance.to_hypergraph() if isinstance(instance, Graph) else instance


def coloring_to_halfspaces(instance: Hypergraph | Graph, k: int) -> TrainingSet:
    """k-colouring -> training set for k threshold units with an AND output.

    The Blum–Rivest construction with ``k`` hidden units: ``n + m + 1`` points
    in ``n`` dimensions (origin +, unit vectors -, edge indicators +), integer
    coordinates, built in O(n (n + m)) time.  The metadata records
    ``hidden_units = k`` and ``output = "and"``.

    References
    ----------
    Blum & Rivest, Neural Networks 5(1), 1992, Section 4 and the k-unit
    generalisation in Section 6.

    Examples
    --------
    >>> ts = coloring_to_halfspaces(Hypergraph(3, [(0, 1, 2)]), 2)
    >>> ts.numerators.tolist(), ts.labels.tolist()
    ([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [1, 0, 0, 0, 1])
    """
    h = _hypergraph(instance)
    if k < 1:
        raise InvalidInstanceError(f"the number of hidden units k must be >= 1, got {k}")
    n, m = h.num_vertices, h.num_edges
    points = np.zeros((1 + n + m, n), dtype=np.int64)
    points[1 : n + 1] = np.eye(n, dtype=np.int64)
    for j, edge in enumerate(h.edges):
        points[1 + n + j, list(edge)] = 1
    labels = np.concatenate([[1], np.zeros(n, dtype=np.uint8), np.ones(m, dtype=np.uint8)]).astype(np.uint8)
    meta = {"hidden_units": int(k), "output": "and", "source_vertices": n, "source_edges": m}
    return TrainingSet(points, labels, 1, meta)


def blum_rivest(hypergraph: Hypergraph) -> TrainingSet:
    """Set splitting -> the Blum–Rivest training set for the 3-node network.

    Two hidden threshold units and an AND output; ``n + m + 1`` points in
    ``n`` dimensions.  See :func:`coloring_to_halfspaces` (``k = 2``).

    References
    ----------
    Blum & Rivest, "Training a 3-node neural network is NP-complete",
    Neural Networks 5(1):117-127, 1992, Theorem 1.
    """
    return coloring_to_halfspaces(hypergraph, 2)


def coloring_to_network(
    instance: Hypergraph | Graph, colouring: Sequence[int], k: int
) -> ThresholdNetwork:
    """Forward witness map: a colouring gives explicit integer weights.

    Unit ``j`` gets weight ``-2`` on the vertices of colour ``j`` and ``2n``
    elsewhere, threshold ``-1`` (twice Blum & Rivest's ``-1, n, -1/2``).  The
    origin passes every unit (``0 > -1``); ``e_i`` fails the unit of its
    colour (``-2 <= -1``); an edge that is not monochromatic has a vertex
    outside each colour class, so its sum is at least ``2n - 2(|e| - 1) >= 2``.
    """
    h = _hypergraph(instance)
    if not is_coloring(h, colouring, k):
        raise WitnessError("the source colouring leaves an edge monochromatic")
    n = h.num_vertices
    weights = [[-2 if colouring[i] == j else 2 * n for i in range(n)] for j in range(k)]
    return ThresholdNetwork.from_numbers(weights, [-1] * k, OutputFunction.named("and", k))


def network_to_coloring(
    instance: Hypergraph | Graph, training_set: TrainingSet, network: ThresholdNetwork
) -> tuple[int, ...]:
    """Backward witness map: vertex ``i`` gets the first unit that rejects ``e_i``.

    Every ``e_i`` is labelled -, so under an AND some unit rejects it.  If an
    edge lay inside one colour class ``j``, unit ``j``'s weights on its
    vertices would all be at most its threshold ``t``, and ``t < 0`` because
    the origin passes, so the edge's indicator would be rejected too
    (Blum & Rivest 1992, Lemma 2).
    """
    h = _hypergraph(instance)
    k = network.hidden_units
    if network.output.table != OutputFunction.named("and", k).table:
        raise WitnessError("the Blum–Rivest backward map needs a network with an AND output")
    if network.dim != h.num_vertices and k:
        raise WitnessError(f"the network has input dimension {network.dim}, expected {h.num_vertices}")
    if not fits(network, training_set):
        raise WitnessError("the network does not fit the training set")
    hidden = network.hidden(training_set)
    n = h.num_vertices
    return tuple(int(np.flatnonzero(hidden[1 + i] == 0)[0]) for i in range(n))


def recognize_blum_rivest(training_set: TrainingSet) -> Hypergraph | None:
    """The hypergraph behind a training set of the Blum–Rivest shape, or None.

    The shape, in any order of the points: integer 0/1 coordinates in
    ``n >= 1`` dimensions; the origin exactly once, labelled 1; every unit
    vector ``e_i`` exactly once labelled 0, and no other point labelled 0;
    every other point labelled 1 and non-zero (an edge's indicator).  The
    edges are returned in the order of their points.  This is structural
    recognition only; it trusts no metadata.  The exact trainer uses it to
    justify the MILP's weight bound (:func:`solvers.exact.trainer.weight_bound`).

    Examples
    --------
    >>> h = Hypergraph(3, [(0, 1, 2), (0, 1)])
    >>> recognize_blum_rivest(blum_rivest(h)) == h
    True
    >>> recognize_blum_rivest(TrainingSet.from_points([[0, 0], [1, 1]], [1, 0])) is None
    True
    """
    n = training_set.dim
    if n < 1 or training_set.denominator != 1 or training_set.num_points == 0:
        return None
    x = np.asarray(training_set.numerators)
    if x.dtype == object or not np.isin(x, (0, 1)).all():
        return None
    labels = training_set.labels
    sums = x.sum(axis=1)
    origin = np.flatnonzero(sums == 0)
    if len(origin) != 1 or labels[origin[0]] != 1:
        return None
    negatives = np.flatnonzero(labels == 0)
    if len(negatives) != n or not (sums[negatives] == 1).all():
        return None
    if sorted(int(np.flatnonzero(x[j])[0]) for j in negatives) != list(range(n)):
        return None
    edges = [tuple(int(i) for i in np.flatnonzero(x[p])) for p in range(training_set.num_points)
             if labels[p] == 1 and sums[p] > 0]
    return Hypergraph(n, tuple(edges))


# The old British spellings, kept so that existing scripts keep working; the
# public names follow networkx's ``is_coloring`` and the reduction names.
colouring_to_network = coloring_to_network
network_to_colouring = network_to_coloring
recognise_blum_rivest = recognize_blum_rivest
