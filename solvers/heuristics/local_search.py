"""Local search over hidden firing patterns, one exact LP per unit: a non-gradient heuristic on the network.

A network of ``k`` threshold units with output ``f`` fits a training set
exactly when every point ``p`` can be given a hidden pattern
``b_p ∈ {0,1}^k`` with

* ``f(b_p)`` equal to the label of ``p`` (the pattern is *label-consistent*),
  and
* for every unit ``u``, the points with ``b_p[u] = 1`` (the unit's *fire*
  set) strictly linearly separable from those with ``b_p[u] = 0`` (its
  *silent* set).

Given the patterns, the ``k`` separability questions are independent and
each is decided exactly by one LP (:meth:`solvers.exact.geometry.Geometry.separate`,
the engine behind :func:`solvers.exact.geometry.separate`): a separator, or
a hull intersection that proves the unit's sets inseparable.  The search
in between is over patterns only, in the min-conflicts / WalkSAT style.

References
----------
A. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1):117-127, 1992.

S. Minton, M. D. Johnston, A. B. Philips and P. Laird, "Minimizing
conflicts: a heuristic repair method for constraint satisfaction and
scheduling problems", Artificial Intelligence 58(1-3):161-205, 1992.

B. Selman, H. Kautz and B. Cohen, "Noise strategies for improving local
search", Proc. AAAI-94, 337-343, 1994.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from reductions.errors import InvalidInstanceError
from reductions.generators import make_rng
from reductions.problems import OutputFunction, TrainingSet, fits

from ..exact.geometry import Geometry, IntHull, IntSeparator, NumericalTroubleError, network_from_separators
from ..core.checks import check_count, check_number
from .registry import Attempt, Budget

__all__ = ["PATTERN_SEARCH_DEFAULTS", "PATTERN_SEARCH_TUNING", "pattern_search"]

PATTERN_SEARCH_DEFAULTS: dict[str, Any] = {"restarts": 4, "noise": 0.1}
"""The settings of :func:`pattern_search` and their defaults."""

PATTERN_SEARCH_TUNING: dict[str, tuple[Any, ...]] = {"restarts": (1, 4, 16), "noise": (0.05, 0.1, 0.2)}
"""The grid fair tuning tries for :func:`pattern_search`."""


def _bits(x: int) -> list[int]:
    """The positions of the set bits of ``x``, lowest first."""
    out = []
    while x:
        low = x & -x
        out.append(low.bit_length() - 1)
        x ^= low
    return out


def pattern_search(
    training_set: TrainingSet, *, hidden: int, output: str | OutputFunction, budget: Budget,
    seed: int | np.random.Generator | None, restarts: int = 4, noise: float = 0.1,
) -> Attempt:
    """Search for a fitting network by local search over the hidden units' firing patterns.

    Every point ``p`` holds a label-consistent hidden pattern ``b_p``
    (``f(b_p)`` is its label); unit ``u`` must then fire on
    ``{p : b_p[u] = 1}`` and stay silent on the rest.  When all ``k`` units
    are separable, their exact separators are the network
    (:func:`~solvers.exact.geometry.network_from_separators`).

    Parameters
    ----------
    training_set : TrainingSet
        Labels 1 and 0; exact rational points.
    hidden : int
        Number of hidden units ``k >= 1``.
    output : str or OutputFunction
        ``"and"``, ``"or"``, ``"xor"``, or a truth table of arity ``k``.
    budget : Budget
        ``restart_steps`` caps the moves (one move changes one point's
        pattern; the LPs of the units it changes belong to it), split
        evenly over the restarts; ``time_s`` caps the wall time.
    seed : int, numpy.random.Generator or None
        The whole search is a function of the seed (and the budget's time
        limit, if one stops it).
    restarts : int
        Independent random starts the moves are split over (capped at the
        budget).
    noise : float
        Probability in ``[0, 1]`` of a random move instead of the greedy one.

    Returns
    -------
    Attempt
        ``witness``: a :class:`~reductions.problems.ThresholdNetwork` checked
        with :func:`~reductions.problems.fits`, or ``None``.
        ``restart_steps``: the moves made.  ``best_errors``: ``None``.
        ``details``: ``moves``, ``lp_calls``, ``restarts`` (started),
        ``nogoods`` (hull intersections learned), ``timed_out``, and
        ``infeasible`` (``True`` when the search found that no
        label-consistent assignment can exist: a label no pattern gives,
        or a learned conflict no move can break; no network then fits).

    Notes
    -----
    *Conflicts.*  A hull intersection from an inseparable unit names fire
    points ``F`` and silent points ``S`` whose hulls meet: no unit can fire
    on all of ``F`` while silent on all of ``S``.  The fact does not depend
    on the unit, so it is learned once as a *nogood* ``(F, S)`` and checked
    at every unit, like a clause of WalkSAT.  A unit that violates a known
    nogood is inseparable without an LP; one that was separable stays so
    (without an LP) while its last separator still classifies the moved
    point; separators are also cached by fire set.  An LP is run only on a
    unit that violates no known nogood and has no valid separator, and it
    either certifies the unit or teaches a new nogood.

    *Moves.*  Each step picks a violated (nogood, unit) pair at random;
    the candidate moves give one of its points the nearest (fewest bits
    changed) label-consistent pattern with the other value at that unit,
    which breaks the nogood.  With probability ``noise`` a random candidate
    is taken (WalkSAT's random walk, Selman et al. 1994), otherwise the
    one that leaves the fewest violated (nogood, unit) pairs over all units
    (min-conflicts, Minton et al. 1992), ties broken at random.  A pair no
    candidate can break (every point's bit at that unit is forced by its
    label) proves that no network fits: the search stops.

    *Starts.*  Each restart draws every point's pattern uniformly among the
    label-consistent ones (an AND: positives all ones, negatives any other
    pattern).  Learned nogoods and cached separators carry over.

    *Cost.*  A move costs ``O(k c)`` bookkeeping on the ``c`` nogoods that
    contain the moved point, plus at most one LP per changed unit (two when
    it is inseparable: :meth:`~solvers.exact.geometry.Geometry.separate`),
    each of size ``(number of points) x (dim + 1)``.  The consistent
    patterns of each label are enumerated once (``2^k`` of them).

    Being incomplete, it never proves a set untrainable; it stops without a
    witness when the budget runs out.

    References
    ----------
    A. Blum and R. L. Rivest, "Training a 3-node neural network is
    NP-complete", Neural Networks 5(1):117-127, 1992.

    S. Minton, M. D. Johnston, A. B. Philips and P. Laird, "Minimizing
    conflicts: a heuristic repair method for constraint satisfaction and
    scheduling problems", Artificial Intelligence 58(1-3):161-205, 1992.

    B. Selman, H. Kautz and B. Cohen, "Noise strategies for improving local
    search", Proc. AAAI-94, 337-343, 1994.

    Examples
    --------
    >>> ts = TrainingSet.from_points([[1, 0], [0, 1], [0, 0], [1, 1]], [1, 1, 0, 0])
    >>> found = pattern_search(ts, hidden=2, output="and", budget=Budget(100), seed=0)
    >>> fits(found.witness, ts)
    True
    >>> one = pattern_search(ts, hidden=1, output="and", budget=Budget(100), seed=0)
    >>> one.witness is None, one.details["infeasible"]
    (True, True)
    """
    if isinstance(hidden, bool) or not isinstance(hidden, (int, np.integer)) or hidden < 1:
        raise InvalidInstanceError(f"pattern search needs an integer number of hidden units >= 1, got {hidden!r}")
    k = int(hidden)
    if isinstance(output, OutputFunction):
        f = output
    elif isinstance(output, str):
        f = OutputFunction.named(output, k)
    else:
        raise InvalidInstanceError(f"output must be a name (and, or, xor) or an OutputFunction, got {output!r}")
    if f.arity != k:
        raise InvalidInstanceError(f"the output function has arity {f.arity}, not the {k} hidden units")
    search = _PatternSearch(training_set, k, f, budget, make_rng(seed), check_count(restarts, "restarts"),
                            check_number(noise, "noise", strict=False, high=1.0))
    return search.run()


class _PatternSearch:
    """The state of one :func:`pattern_search` call (see its Notes)."""

    def __init__(self, ts: TrainingSet, k: int, f: OutputFunction, budget: Budget,
                 rng: np.random.Generator, restarts: int, noise: float) -> None:
        self.ts, self.k, self.f, self.rng, self.noise = ts, k, f, rng, noise
        self.n = ts.num_points
        self.labels = [int(x) for x in ts.labels]
        self.geometry = Geometry([[int(x) for x in row] for row in ts.numerators], ts.dim)
        table = np.array(f.table, dtype=bool)
        everything = np.arange(2**k, dtype=np.int64)
        self.allowed = {1: everything[table], 0: everything[~table]}
        self.restarts = max(1, min(restarts, budget.restart_steps))
        self.max_moves = budget.restart_steps
        self.deadline = None if budget.time_s is None else time.monotonic() + budget.time_s
        self.moves = 0
        self.timed_out = False
        # nogoods: fire mask, silent mask, members [(point, side)] (side: the bit that violates),
        # and per point the nogoods holding it.  Global facts: they survive restarts.
        self.nogood_keys: dict[tuple[int, int], int] = {}
        self.members: list[list[tuple[int, int]]] = []
        self.holding: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
        self.separators: dict[int, IntSeparator] = {}  # fire mask -> separator
        self.candidates_cache: dict[tuple[int, int, int], list[int]] = {}

    # -- state -------------------------------------------------------------

    def start(self) -> None:
        """A fresh random label-consistent pattern per point."""
        rng, k = self.rng, self.k
        self.pattern = [int(rng.choice(self.allowed[label])) for label in self.labels]
        self.masks = [0] * k
        for p, b in enumerate(self.pattern):
            for u in _bits(b):
                self.masks[u] |= 1 << p
        self.unit_sep: list[IntSeparator | None] = [None] * k
        self.count = [[self._matching(g, u) for u in range(k)] for g in range(len(self.members))]
        self.violated: set[tuple[int, int]] = set()
        self.unit_violations = [0] * k
        for g in range(len(self.members)):
            for u in range(k):
                if self.count[g][u] == len(self.members[g]):
                    self.violated.add((g, u))
                    self.unit_violations[u] += 1

    def _matching(self, g: int, u: int) -> int:
        return sum(1 for p, side in self.members[g] if (self.pattern[p] >> u) & 1 == side)

    def learn(self, hull: IntHull) -> None:
        """Add the nogood of a hull intersection (fire side: its positives; silent side: its negatives)."""
        fire = sum(1 << p for p in hull.positive)
        silent = sum(1 << q for q in hull.negative)
        if (fire, silent) in self.nogood_keys:
            return
        g = len(self.members)
        self.nogood_keys[(fire, silent)] = g
        members = [(p, 1) for p in sorted(hull.positive)] + [(q, 0) for q in sorted(hull.negative)]
        self.members.append(members)
        for p, side in members:
            self.holding[p].append((g, side))
        self.count.append([self._matching(g, u) for u in range(self.k)])
        for u in range(self.k):
            if self.count[g][u] == len(members):
                self.violated.add((g, u))
                self.unit_violations[u] += 1

    def move(self, p: int, new: int) -> None:
        """Give point ``p`` the pattern ``new``, updating masks, nogood counts and separators."""
        diff = self.pattern[p] ^ new
        self.pattern[p] = new
        for u in _bits(diff):
            self.masks[u] ^= 1 << p
            bit = (new >> u) & 1
            for g, side in self.holding[p]:
                size = len(self.members[g])
                if bit == side:
                    self.count[g][u] += 1
                    if self.count[g][u] == size:
                        self.violated.add((g, u))
                        self.unit_violations[u] += 1
                else:
                    if self.count[g][u] == size:
                        self.violated.discard((g, u))
                        self.unit_violations[u] -= 1
                    self.count[g][u] -= 1
            sep = self.unit_sep[u]
            if sep is not None and not self.geometry.check_separator(sep, (p,) if bit else (), () if bit else (p,)):
                self.unit_sep[u] = None
        self.moves += 1

    def score(self, p: int, new: int) -> int:
        """The change in violated (nogood, unit) pairs if ``p`` took the pattern ``new``."""
        diff = self.pattern[p] ^ new
        delta = 0
        for u in _bits(diff):
            bit = (new >> u) & 1
            for g, side in self.holding[p]:
                c, size = self.count[g][u], len(self.members[g])
                if bit == side:
                    delta += c + 1 == size
                else:
                    delta -= c == size
        return delta

    def check_units(self) -> bool:
        """Decide every undecided unit (LPs only where needed); True when all are separable."""
        ok = True
        for u in range(self.k):
            if self.unit_sep[u] is not None:
                continue
            if self.unit_violations[u]:
                ok = False
                continue
            mask = self.masks[u]
            sep = self.separators.get(mask)
            if sep is None:
                fire = [p for p in range(self.n) if (mask >> p) & 1]
                silent = [p for p in range(self.n) if not (mask >> p) & 1]
                result = self.geometry.separate(fire, silent)
                if isinstance(result, IntHull):
                    self.learn(result)
                    ok = False
                    continue
                sep = self.separators[mask] = result
            self.unit_sep[u] = sep
        return ok

    def candidates(self, p: int, u: int) -> list[int]:
        """The nearest label-consistent patterns of ``p`` with the other bit at unit ``u``."""
        key = (self.labels[p], self.pattern[p], u)
        found = self.candidates_cache.get(key)
        if found is None:
            allowed = self.allowed[self.labels[p]]
            want = ((self.pattern[p] >> u) & 1) ^ 1
            options = allowed[((allowed >> u) & 1) == want]
            if options.size:
                distance = np.bitwise_count(options ^ self.pattern[p])
                options = options[distance == distance.min()]
            found = self.candidates_cache[key] = [int(x) for x in options]
        return found

    # -- the search ----------------------------------------------------------

    def out_of_time(self) -> bool:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.timed_out = True
        return self.timed_out

    def attempt(self, network: Any = None, *, started: int, infeasible: bool = False, reason: str = "") -> Attempt:
        details = {"moves": self.moves, "lp_calls": self.geometry.lp_calls, "restarts": started,
                   "nogoods": len(self.members), "timed_out": self.timed_out, "infeasible": infeasible}
        if reason:
            details["reason"] = reason
        return Attempt(witness=network, restart_steps=self.moves, best_errors=0 if network is not None else None,
                       details=details)

    def run(self) -> Attempt:
        for label in set(self.labels):
            if not self.allowed[label].size:
                return self.attempt(started=0, infeasible=True,
                                    reason=f"no hidden pattern gives the output {label}")
        base, extra = divmod(self.max_moves, self.restarts)
        started = 0
        try:
            for r in range(self.restarts):
                if self.out_of_time():
                    break
                started += 1
                self.start()
                limit = self.moves + base + (r < extra)
                while True:
                    if self.check_units():
                        return self.attempt(self.network(), started=started)
                    if self.moves >= limit or self.out_of_time():
                        break
                    chosen = self.step()
                    if chosen is None:
                        return self.attempt(started=started, infeasible=True,
                                            reason="a learned conflict that no label-consistent move breaks")
        except NumericalTroubleError as exc:
            return self.attempt(started=started, reason=f"numerical trouble: {exc}")
        return self.attempt(started=started)

    def step(self) -> tuple[int, int] | None:
        """One move on a random violated (nogood, unit) pair; None if no move can break it."""
        pairs = sorted(self.violated)
        g, u = pairs[int(self.rng.integers(len(pairs)))]
        options = [(p, new) for p, _ in self.members[g] for new in self.candidates(p, u)]
        if not options:
            return None
        if self.rng.random() < self.noise:
            p, new = options[int(self.rng.integers(len(options)))]
        else:
            scores = [self.score(p, new) for p, new in options]
            best = min(scores)
            ties = [o for o, s in zip(options, scores) if s == best]
            p, new = ties[int(self.rng.integers(len(ties)))]
        self.move(p, new)
        return p, new

    def network(self) -> Any:
        seps = [s for s in self.unit_sep if s is not None]
        network = network_from_separators(seps, self.f, self.ts.denominator)
        if not fits(network, self.ts):
            raise RuntimeError("bug: the network assembled from exactly checked separators does not fit")
        return network
