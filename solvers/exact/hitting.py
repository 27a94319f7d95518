"""Minimum training error by implicit hitting sets (MaxHS style), with anytime bounds.

The fewest points a network must misclassify is the size of a minimum
*hitting set* of the *cores*: a core is a set of points that no network of
the architecture classifies all correctly, so every network gets at least
one point of every core wrong.  Conversely, if the points outside a set
``H`` are trainable, some network errs on at most ``|H|`` points.  So

    minimum error  =  min { |H| : H hits every core }

and the search alternates two oracles, as MaxHS does for MaxSAT (Davies &
Bacchus 2011), and as combinatorial Benders cuts do for maximum feasible
subsystems (Codato & Fischetti 2006):

1. a *hitting set* ``H`` of the cores found so far: greedy (cheap, no
   guarantee) until greedy sets stop producing new cores, then an exact
   minimum by a 0-1 program (HiGHS), whose optimum is a proved lower bound;
2. a *trainability check* of the points outside ``H``: either a network,
   whose errors on all points, counted exactly, are an upper bound, or a
   core among those points.  One check harvests many *disjoint* cores: a
   core's points are set aside and the rest checked again, until what is
   left is trainable; the number of disjoint cores is itself a lower bound.

The search ends when the lower bound meets the upper bound.  It is
*anytime*: both bounds and the best network so far are kept, reported
through a callback whenever they improve, and returned when time runs out.

This module is generic: it knows points and cores, not geometry.  The
exact trainer (:mod:`solvers.exact.trainer`) supplies the trainability check
(SAT over hidden firing patterns plus an LP per unit, every certificate
exact).

References
----------
J. Davies and F. Bacchus, "Solving MAXSAT by solving a sequence of simpler
SAT instances", CP 2011 (implicit hitting sets).
G. Codato and M. Fischetti, "Combinatorial Benders' cuts for mixed-integer
linear programming", Operations Research 54(4):756-766, 2006.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

__all__ = ["Checked", "HittingSetSearch", "MinimumHittingSet", "SearchTimeout", "harvest_cores"]

Net = TypeVar("Net")


class SearchTimeout(Exception):
    """Raised by a trainability check (or the search) when the deadline has passed."""


@dataclass(frozen=True)
class Checked(Generic[Net]):
    """What a trainability check returns: a network and its exact error count, or a core.

    Exactly one of ``network`` and ``core`` is set.  ``errors`` counts the
    network's mistakes on *all* points, exactly.
    """

    network: Net | None = None
    errors: int | None = None
    core: tuple[int, ...] | None = None


def harvest_cores(
    active: Iterable[int],
    check: Callable[[list[int]], Checked[Net]],
    *,
    tick: Callable[[], None] | None = None,
    end: float | None = None,
) -> tuple[list[tuple[int, ...]], Checked[Net] | None]:
    """Check the ``active`` points; set each core aside and check the rest again, until it trains.

    The cores found are disjoint, so each costs a mistake of its own: their
    number is a lower bound on the minimum error.  Returns the cores and the
    last check (the trainable rest's network), or ``None`` for it when
    ``end`` (a ``time.perf_counter()`` instant) passes first.  ``tick`` is
    called before every check (it may raise to stop the harvest).
    """
    left = set(active)
    cores: list[tuple[int, ...]] = []
    while end is None or time.perf_counter() < end:
        if tick is not None:
            tick()
        result = check(sorted(left))
        if result.core is None:
            return cores, result
        core = set(result.core)
        if not core or not core <= left:  # pragma: no cover - a checker bug
            raise RuntimeError("bug: a core must be a non-empty subset of the checked points")
        cores.append(tuple(result.core))
        left -= core
    return cores, None


class MinimumHittingSet:
    """Incremental minimum hitting sets of point sets (unit weights), by a HiGHS 0-1 program.

    One binary column per point (1: the point is given up), one row
    ``sum_{p in core} x_p >= 1`` per core.  Rows are added to the same model
    between solves (HiGHS keeps the model; no start solution is passed).
    Points in no core are fixed at 0 by the solver's presolve.
    """

    def __init__(self, num_points: int) -> None:
        import highspy

        self._highspy = highspy
        self.n = num_points
        self.cores: list[tuple[int, ...]] = []
        from .highs import silent_model

        self.model = silent_model()
        self.model.setOptionValue("mip_rel_gap", 0.0)
        self.model.setOptionValue("mip_abs_gap", 0.0)
        if num_points:
            idx = np.arange(num_points, dtype=np.int32)
            for _ in range(num_points):
                self.model.addVar(0.0, 1.0)
            self.model.changeColsCost(num_points, idx, np.ones(num_points))
            self.model.changeColsIntegrality(
                num_points, idx, np.array([highspy.HighsVarType.kInteger] * num_points)
            )
        self.solves = 0
        self.time_s = 0.0

    def add(self, core: Iterable[int]) -> None:
        """Add the constraint "at least one point of ``core`` is given up"."""
        c = tuple(sorted(set(int(p) for p in core)))
        if not c:
            raise ValueError("an empty core: no network fits even no points")
        self.cores.append(c)
        idx = np.array(c, dtype=np.int32)
        self.model.addRow(1.0, self._highspy.kHighsInf, len(idx), idx, np.ones(len(idx)))

    def greedy(self) -> set[int]:
        """A hitting set by the greedy rule (the point in most un-hit cores first); not minimum."""
        chosen: set[int] = set()
        open_cores = list(self.cores)
        while open_cores:
            counts: dict[int, int] = {}
            for c in open_cores:
                for p in c:
                    counts[p] = counts.get(p, 0) + 1
            best = max(counts, key=lambda p: (counts[p], -p))
            chosen.add(best)
            open_cores = [c for c in open_cores if best not in c]
        return chosen

    def minimum(self, deadline: float | None) -> tuple[set[int] | None, int]:
        """A minimum hitting set and its size, or ``(None, bound)`` when time ran out.

        The second value is always a proved lower bound on the minimum
        (the optimum, or the solver's dual bound when it stopped early).
        """
        if not self.cores:
            return set(), 0
        if deadline is not None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise SearchTimeout
            self.model.setOptionValue("time_limit", max(left, 1e-3))
        start = time.perf_counter()
        self.model.run()
        self.solves += 1
        self.time_s += time.perf_counter() - start
        info = self.model.getInfo()
        status = self.model.getModelStatus()
        bound = max(0, int(np.ceil(info.mip_dual_bound - 1e-6))) if np.isfinite(info.mip_dual_bound) else 0
        if status != self._highspy.HighsModelStatus.kOptimal:
            return None, bound
        x = self.model.getSolution().col_value
        chosen = {p for p in range(self.n) if x[p] > 0.5}
        # the optimum of a 0-1 program with unit costs is an integer; trust the solution's size, checked
        if any(not (set(c) & chosen) for c in self.cores):  # pragma: no cover - a solver bug
            raise RuntimeError("bug: HiGHS returned a set that misses a core")
        return chosen, len(chosen)


@dataclass
class HittingSetSearch(Generic[Net]):
    """The implicit-hitting-set search for a minimum number of given-up points.

    Parameters
    ----------
    num_points : int
    check : callable
        ``check(active)`` decides whether the points ``active`` (a sorted
        list) can all be classified correctly: a :class:`Checked` with a
        network (and its exact error count on all points) or with a core
        (a non-empty subset of ``active``).  It may raise
        :class:`SearchTimeout`.
    deadline : float or None
        ``time.perf_counter()`` value at which to stop.
    on_bounds : callable, optional
        Called as ``on_bounds(lower, upper)`` whenever a bound improves.

    Attributes
    ----------
    lower, upper : int
        Proved lower bound and the errors of :attr:`network` (``num_points``
        and ``None`` until a network is found).
    network
        The best network found, counted exactly.
    """

    num_points: int
    check: Callable[[list[int]], Checked[Net]]
    deadline: float | None = None
    on_bounds: Callable[[int, int], None] | None = None
    lower: int = 0
    upper: int = field(init=False)
    network: Net | None = None
    rounds: int = 0
    checks: int = 0
    disjoint_lower: int = 0

    def __post_init__(self) -> None:
        self.upper = self.num_points
        self.hs = MinimumHittingSet(self.num_points)

    # -- bounds --------------------------------------------------------------

    def offer(self, network: Net, errors: int) -> None:
        """A network from elsewhere (a warm start, gradient descent), counted exactly: maybe a better upper bound."""
        if errors < self.upper or self.network is None:
            improved = errors < self.upper
            self.upper, self.network = min(errors, self.upper), network
            if improved:
                self._report()

    def _raise_lower(self, value: int) -> None:
        if value > self.lower:
            self.lower = min(value, self.upper)
            self._report()

    def _report(self) -> None:
        if self.on_bounds is not None:
            self.on_bounds(self.lower, self.upper)

    def _tick(self) -> None:
        if self.deadline is not None and time.perf_counter() >= self.deadline:
            raise SearchTimeout

    # -- the search ----------------------------------------------------------

    def _harvest(self, given_up: set[int]) -> int:
        """Check the points outside ``given_up``; set cores aside until the rest trains.

        Adds every core to the hitting-set model and returns how many it
        found (0: the points outside ``given_up`` are trainable).
        """
        def check(points: list[int]) -> Checked[Net]:
            self.checks += 1
            result = self.check(points)
            if result.core is not None:
                self.hs.add(set(result.core))
            return result

        cores, final = harvest_cores(set(range(self.num_points)) - given_up, check, tick=self._tick)
        assert final is not None and final.network is not None and final.errors is not None
        self.offer(final.network, final.errors)
        return len(cores)

    def run(self) -> bool:
        """Search until the bounds meet (return True) or time runs out (raise :class:`SearchTimeout`)."""
        if self.num_points == 0:
            self.upper = 0
            return True
        # round 0: nothing given up; its disjoint cores are a first lower bound
        found = self._harvest(set())
        self.disjoint_lower = found
        self._raise_lower(found)
        exact_due = found == 0
        while self.lower < self.upper:
            self.rounds += 1
            if exact_due:
                chosen, bound = self.hs.minimum(self.deadline)
                if chosen is None:
                    self._raise_lower(bound)
                    raise SearchTimeout
                self._raise_lower(bound)
                if self.lower >= self.upper:
                    break
                found = self._harvest(chosen)
                # no new core: the points outside a minimum hitting set train, so upper <= |chosen| = lower
                exact_due = found == 0
            else:
                found = self._harvest(self.hs.greedy())
                exact_due = found == 0  # greedy sets stopped finding cores: time for an exact one
        return True
