"""The width price: how many hidden units a heuristic needs, set beside the exact minimum.

For a hypergraph or graph ``G``, the training set of Blum and Rivest's
construction (``coloring-to-halfspaces``: the origin +, each unit vector
``e_i`` -, each edge's indicator +) is fitted by an AND of ``k`` threshold
units exactly when ``G`` is ``k``-colourable (Blum & Rivest 1992, Lemma 2;
the set does not depend on ``k``).  So the fewest hidden units any network
of that family needs is the chromatic number ``chi(G)``, decided exactly
here by the SAT solver on the source, and a heuristic that fits the set with
``k'`` units hands back a checked ``k'``-colouring.  The *width price* of a
heuristic on ``G`` is the smallest ``k' >= chi(G)`` at which it fits within
the budget, minus ``chi(G)``: the extra hidden units it needs.

References
----------
A. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1):117-127, 1992.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reductions.errors import InvalidInstanceError
from reductions.problems import Graph, Hypergraph, Kind
from reductions.registry import get_reduction

from ..core.result import Status
from .registry import Budget, HeuristicResult, get_heuristic, run_heuristic

__all__ = ["MAX_COLORS", "WidthPrice", "chromatic_number", "width_price"]

MAX_COLORS = 12
"""The most colours (hidden units) tried: the exact trainer's limit on hidden units as well."""


def chromatic_number(instance: Hypergraph | Graph, *, time_limit: float | None = None, max_colors: int = MAX_COLORS) -> int | None:
    """The fewest colours with no monochromatic edge, decided exactly (None if a decision timed out).

    Each ``k`` from 1 up is decided by :func:`solvers.solve` (CaDiCaL; a
    ``k``-colouring verified, or UNSAT proved).  A hypergraph with a
    singleton edge has no proper colouring: ``InvalidInstanceError``.
    """
    from ..exact.front import solve

    if not isinstance(instance, (Hypergraph, Graph)):
        raise InvalidInstanceError(f"a chromatic number needs a hypergraph or graph, got {type(instance).__name__}")
    edges = instance.edges
    if any(len(set(e)) < 2 for e in edges):
        raise InvalidInstanceError("an edge with one vertex is monochromatic under every colouring")
    if not edges:
        return 1 if instance.num_vertices else 0
    for k in range(2, max_colors + 1):
        status = solve(instance, colors=k, time_limit=time_limit).status
        if status is Status.SAT:
            return k
        if status is Status.UNKNOWN:
            return None
    raise InvalidInstanceError(f"needs more than {max_colors} colours")


@dataclass(frozen=True)
class WidthPrice:
    """What :func:`width_price` found for one heuristic on one instance.

    Attributes
    ----------
    heuristic : str
    chromatic : int or None
        The exact minimum number of hidden units (None: undecided in time).
    width : int or None
        The fewest units at which the heuristic fitted within the budget
        (None: not up to ``chromatic + max_extra``).
    runs : tuple of HeuristicResult
        One per width tried, in order.
    """

    heuristic: str
    chromatic: int | None
    width: int | None
    runs: tuple[HeuristicResult, ...] = field(default_factory=tuple)

    @property
    def extra(self) -> int | None:
        """``width - chromatic``: the extra hidden units the heuristic needed."""
        return None if self.width is None or self.chromatic is None else self.width - self.chromatic

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, with each run's result."""
        return {"heuristic": self.heuristic, "chromatic": self.chromatic, "width": self.width, "extra": self.extra,
                "runs": [r.to_json() for r in self.runs]}


def width_price(
    heuristic: str,
    instance: Hypergraph | Graph,
    *,
    budget: Budget,
    max_extra: int = 3,
    seed: int = 0,
    chromatic: int | None = None,
    exact_time_limit: float | None = None,
    **settings: Any,
) -> WidthPrice:
    """The smallest number of hidden units at which ``heuristic`` fits ``instance``'s colouring set.

    Parameters
    ----------
    heuristic : str
        A heuristic acting on the target (a network).
    instance : Hypergraph or Graph
    budget : Budget
        Per width tried.
    max_extra : int
        Widths ``chi, chi + 1, ..., chi + max_extra`` are tried (at most :data:`MAX_COLORS`).
    chromatic : int, optional
        The chromatic number if already known; else decided by :func:`chromatic_number`.
    **settings
        The heuristic's settings (``extra_units`` is fixed at 0: the width is set here).
    """
    h = get_heuristic(heuristic)
    if h.acts_on != "target":
        raise InvalidInstanceError(f"{h.name} searches the source instance: it has no width")
    if Kind.TRAINING not in h.targets:
        raise InvalidInstanceError(f"{h.name} does not search threshold networks on training sets: it has no width")
    if "extra_units" in h.defaults:
        settings = {**settings, "extra_units": 0}
    chi = chromatic if chromatic is not None else chromatic_number(instance, time_limit=exact_time_limit)
    if chi is None:
        return WidthPrice(h.name, None, None)
    reduction = get_reduction("coloring-to-halfspaces")
    target = reduction(instance, k=max(chi, 1))
    runs = []
    for width in range(max(chi, 1), min(chi + max_extra, MAX_COLORS) + 1):
        result = run_heuristic(h, target, source=instance, reduction=reduction, params={"k": width},
                               hidden=width, output="and", budget=budget, seed=seed, **settings)
        runs.append(result)
        if result.status is Status.SAT:
            return WidthPrice(h.name, chi, width, tuple(runs))
    return WidthPrice(h.name, chi, None, tuple(runs))
