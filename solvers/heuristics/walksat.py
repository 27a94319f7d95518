"""Stochastic local search on the source instance: probSAT, and WalkSAT/SKC as an option.

Both heuristics encode the source instance (a CNF, an NAE formula, a
hypergraph read as set splitting or k-colouring, or a graph read as
k-colouring) with :func:`solvers.exact.encodings.encode`, search the
clauses for a model by flipping one variable at a time, and decode a model
that satisfies every clause into the instance's witness (a model, or a
colour per vertex).  The registry (:func:`solvers.heuristics.registry.run_heuristic`)
checks that witness exactly; a search never proves anything, so an
unsatisfiable instance only ever gives "nothing found".

Each step picks an unsatisfied clause uniformly at random and flips one of
its variables.  The *break* of a variable is the number of clauses that
flipping it would falsify (those in which its literal is the only true one).

* **probSAT** (Balint & Schöning 2012), polynomial break-only variant:
  variable ``v`` of the clause is flipped with probability proportional to
  ``(eps + break(v)) ** -cb``.  ``cb = 2.06, eps = 0.9`` is the paper's
  setting for random 3-SAT.
* **WalkSAT/SKC** (Selman, Kautz & Cohen 1994): flip a variable of break 0
  if there is one (a "freebie"); otherwise, with probability ``noise``, a
  variable of the clause chosen uniformly, else one of least break (ties
  broken uniformly).  ``noise = 0.567`` is the optimum reported for random
  3-SAT near the threshold.

Budget: one restart-step is one flip.  ``restarts`` tries from fresh
uniformly random assignments share ``budget.restart_steps`` flips
(``budget.restart_steps // restarts`` each, or ``max_flips`` each when
given; never more than the budget in all).  ``budget.time_s`` is checked
every :data:`CHECK_EVERY` flips and before each restart.

Implementation: pure Python with numpy only for random numbers, drawn in
blocks.  Breaks are computed on demand from occurrence lists and per-clause
true-literal counts (probSAT's "non-caching" scheme, the faster one for
3-SAT); the unsatisfied clauses are kept in a list with positions, so a
flip costs time linear in the occurrences of the flipped variable, and a
step linear in those of the clause's variables.  Literals repeated in a
clause count once, and tautological clauses are dropped (they are always
satisfied).  Encoding takes time linear in the instance (see
:func:`~solvers.exact.encodings.encode`), each restart's initialisation
time linear in the number of literals.

References
----------
A. Balint and U. Schöning, "Choosing probability distributions for
stochastic local search and the role of make versus break", SAT 2012,
LNCS 7317, pp. 16-29, 2012.

B. Selman, H. Kautz and B. Cohen, "Noise strategies for improving local
search", AAAI 1994, pp. 337-343.

Examples
--------
>>> from reductions.problems import CNF
>>> from solvers.heuristics.registry import Budget
>>> a = probsat_search(CNF(2, [(1, 2), (-1,)]), hidden=None, output=None, budget=Budget(100), seed=0)
>>> a.witness, a.best_errors
((-1, 2), 0)
>>> probsat_search(CNF(1, [()]), hidden=None, output=None, budget=Budget(100), seed=0).witness is None
True
"""

from __future__ import annotations

import operator
import time
from typing import Any

import numpy as np

from reductions.generators import make_rng

from ..exact.encodings import encode
from ..core.checks import check_count, check_number
from .registry import Attempt, Budget, HeuristicBugError

__all__ = [
    "CHECK_EVERY",
    "PROBSAT_DEFAULTS",
    "PROBSAT_TUNING",
    "WALKSAT_DEFAULTS",
    "WALKSAT_TUNING",
    "probsat_search",
    "walksat_search",
]

CHECK_EVERY = 1024
"""Flips between two looks at the clock (and two draws of a block of random numbers)."""

PROBSAT_DEFAULTS: dict[str, Any] = {"cb": 2.06, "eps": 0.9, "restarts": 1, "max_flips": None}
"""probSAT's settings: Balint & Schöning's polynomial break-only setting for 3-SAT, one long run."""

PROBSAT_TUNING: dict[str, tuple[Any, ...]] = {"cb": (1.8, 2.06, 2.5), "restarts": (1, 10)}
"""The grid fair tuning tries for probSAT."""

WALKSAT_DEFAULTS: dict[str, Any] = {"noise": 0.567, "restarts": 1, "max_flips": None}
"""WalkSAT/SKC's settings: the noise that is best on random 3-SAT, one long run."""

WALKSAT_TUNING: dict[str, tuple[Any, ...]] = {"noise": (0.4, 0.567, 0.7), "restarts": (1, 10)}
"""The grid fair tuning tries for WalkSAT/SKC."""


def probsat_search(
    instance: Any, *, hidden: int | None, output: Any, budget: Budget, seed: int | np.random.Generator | None,
    cb: float = 2.06, eps: float = 0.9, restarts: int = 1, max_flips: int | None = None,
) -> Attempt:
    """probSAT (polynomial break-only) on the CNF encoding of a source instance.

    Parameters
    ----------
    instance : CNF, NAEFormula, Hypergraph or Graph
    hidden : int or None
        Number of colours: a hypergraph is read as set splitting when it is
        ``None`` or 2, else as ``hidden``-colouring; a graph needs it;
        formulas refuse it (as :func:`~solvers.exact.encodings.encode` does).
    output : ignored
        Part of the registry's signature (always ``None`` on the source).
    budget : Budget
        Flips in all (``restart_steps``), and wall-clock seconds.
    seed : int, numpy Generator or None
        Seeds :func:`numpy.random.default_rng`; a run is reproducible.
    cb, eps : float
        A variable of break ``b`` is picked with weight ``(eps + b) ** -cb``;
        ``cb >= 0``, ``eps > 0``.
    restarts : int
        Tries from fresh random assignments (at most one per restart-step).
    max_flips : int, optional
        Flips per try; default ``budget.restart_steps // restarts``.

    Returns
    -------
    Attempt
        ``witness``: the decoded witness of a model of every clause, or
        ``None``; ``restart_steps``: flips made; ``best_errors``: the fewest
        unsatisfied clauses of any assignment visited (``None`` when none
        was: the encoding has an empty clause, or time ran out before the
        first try); ``details``:
        ``flips``, ``restarts`` (tries started), ``clauses`` and
        ``variables`` (of the encoding), ``timed_out``.

    Raises
    ------
    InvalidInstanceError
        Bad settings, or an instance :func:`~solvers.exact.encodings.encode` refuses.
    """
    cb, eps = check_number(cb, "cb", strict=False), check_number(eps, "eps")
    return _search(instance, hidden, budget, seed, restarts, max_flips, probsat=True, cb=cb, eps=eps, noise=0.0)


def walksat_search(
    instance: Any, *, hidden: int | None, output: Any, budget: Budget, seed: int | np.random.Generator | None,
    noise: float = 0.567, restarts: int = 1, max_flips: int | None = None,
) -> Attempt:
    """WalkSAT/SKC on the CNF encoding of a source instance.

    As :func:`probsat_search`, except for the choice of the variable to
    flip (see the module docstring): ``noise`` in ``[0, 1]`` is the
    probability of a random walk step when no variable of the clause has
    break 0.
    """
    noise = check_number(noise, "noise", strict=False, high=1.0)
    return _search(instance, hidden, budget, seed, restarts, max_flips, probsat=False, cb=0.0, eps=1.0, noise=noise)


def _search(instance: Any, hidden: int | None, budget: Budget, seed: Any, restarts: int, max_flips: int | None,
            *, probsat: bool, cb: float, eps: float, noise: float) -> Attempt:
    """Encode, search, decode: the body shared by both heuristics."""
    restarts = min(check_count(restarts, "restarts"), budget.restart_steps)
    per_try = budget.restart_steps // restarts if max_flips is None else check_count(max_flips, "max_flips")
    rng = make_rng(seed)
    start = time.monotonic()
    deadline = None if budget.time_s is None else start + budget.time_s
    encoding = encode(instance, colors=hidden)
    details: dict[str, Any] = {"flips": 0, "restarts": 0, "clauses": len(encoding.clauses),
                               "variables": encoding.num_vars, "timed_out": False}
    if any(not clause for clause in encoding.clauses):  # an empty clause: no model exists
        return Attempt(witness=None, restart_steps=0, best_errors=None, details=details)

    # Literals renamed to compact variables 1..u; repeated literals count once; tautologies dropped.
    clauses = [tuple(d) for d in map(dict.fromkeys, encoding.clauses) if not any(-lit in d for lit in d)]
    used = sorted({abs(lit) for clause in clauses for lit in clause})
    index = {v: i for i, v in enumerate(used, 1)}
    u, m = len(used), len(clauses)
    occ: list[list[int]] = [[] for _ in range(2 * u + 2)]  # occ[2v + 1]: clauses with +v; occ[2v]: with -v
    cvars: list[tuple[int, ...]] = []
    for ci, clause in enumerate(clauses):
        vs = []
        for lit in clause:
            v = index[abs(lit)]
            occ[2 * v + (lit > 0)].append(ci)
            vs.append(v)
        cvars.append(tuple(vs))
    weight = [(eps + b) ** -cb for b in range(max(map(len, occ)) + 1)] if probsat else []

    flips, best, tries = 0, None, 0
    model: list[int] | None = None
    while tries < restarts and flips < budget.restart_steps and model is None:
        if deadline is not None and time.monotonic() >= deadline:
            details["timed_out"] = True
            break
        tries += 1
        val = [0, *rng.integers(0, 2, size=u).tolist()]
        made, unsat_left, timed_out = _run(occ, cvars, m, val, rng, min(per_try, budget.restart_steps - flips),
                                           deadline, probsat, weight, noise)
        flips += made
        best = unsat_left if best is None else min(best, unsat_left)
        details["timed_out"] = timed_out
        if unsat_left == 0:
            model = [v if val[index[v]] else -v for v in used]
        if timed_out:
            break
    details.update(flips=flips, restarts=tries)
    if model is None:
        return Attempt(witness=None, restart_steps=flips, best_errors=best, details=details)
    true = {lit for lit in model if lit > 0}
    if not all(any((lit in true) if lit > 0 else (-lit not in true) for lit in clause) for clause in encoding.clauses):
        raise HeuristicBugError("local search reported a model that falsifies a clause")
    return Attempt(witness=encoding.decode(model), restart_steps=flips, best_errors=0, details=details)


def _run(occ: list[list[int]], cvars: list[tuple[int, ...]], m: int, val: list[int], rng: np.random.Generator,
         limit: int, deadline: float | None, probsat: bool, weight: list[float], noise: float
         ) -> tuple[int, int, bool]:
    """One try from the assignment ``val`` (changed in place), at most ``limit`` flips.

    Returns ``(flips, fewest unsatisfied clauses seen, timed out)``; the
    fewest is 0 exactly when ``val`` ends as a model.
    """
    numtrue = [0] * m
    for v in range(1, len(val)):
        for c in occ[2 * v + val[v]]:
            numtrue[c] += 1
    unsat = [c for c in range(m) if numtrue[c] == 0]
    where = [0] * m
    for i, c in enumerate(unsat):
        where[c] = i
    best = len(unsat)
    flips = 0
    count_of, get = operator.countOf, numtrue.__getitem__
    while best and flips < limit:
        chunk = min(CHECK_EVERY, limit - flips)
        draws = rng.random(2 * chunk).tolist()
        done = 0
        for i in range(0, 2 * chunk, 2):
            vs = cvars[unsat[int(draws[i] * len(unsat))]]
            if len(vs) == 1:
                v = vs[0]
            elif probsat:
                ps = [weight[count_of(map(get, occ[x + x + val[x]]), 1)] for x in vs]
                t = draws[i + 1] * sum(ps)
                for v, p in zip(vs, ps):
                    t -= p
                    if t < 0:
                        break
            else:  # WalkSAT/SKC
                breaks = [count_of(map(get, occ[x + x + val[x]]), 1) for x in vs]
                least, r = min(breaks), draws[i + 1]
                if least == 0 or r >= noise:
                    ties = [x for x, b in zip(vs, breaks) if b == least]
                    k = len(ties)  # min(): a quotient just below 1 may round to 1
                    v = ties[min(int((r if least == 0 else (r - noise) / (1 - noise)) * k), k - 1)]
                else:
                    v = vs[min(int(r / noise * len(vs)), len(vs) - 1)]
            # flip v
            b = val[v]
            val[v] = 1 - b
            for c in occ[v + v + 1 - b]:  # its literal becomes true here
                n = numtrue[c]
                if n == 0:
                    last = unsat.pop()
                    if last != c:
                        j = where[c]
                        unsat[j] = last
                        where[last] = j
                numtrue[c] = n + 1
            for c in occ[v + v + b]:  # and false here
                n = numtrue[c] - 1
                numtrue[c] = n
                if n == 0:
                    where[c] = len(unsat)
                    unsat.append(c)
            done += 1
            if len(unsat) < best:
                best = len(unsat)
                if not best:
                    break
        flips += done
        if best and deadline is not None and time.monotonic() >= deadline:
            return flips, best, True
    return flips, best, False
