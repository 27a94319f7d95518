"""The exact trainer: threshold networks on any data, with proofs of untrainability.

:func:`train_exact` decides whether a network of ``k`` hidden linear
threshold units (unit ``u`` fires when ``w_u · x > t_u``) followed by a fixed
Boolean output function (AND, OR, XOR or any truth table) classifies a
training set correctly, and with ``min_error=True`` finds the fewest points
any such network misclassifies.  It is the judge against which gradient
descent is measured: after training, it says whether a better network existed.

Two methods, which must agree (``tests/test_trainer.py``):

``lazy`` (default): SAT + LP, counterexample-guided.
    A SAT solver chooses, for every point ``p`` and unit ``u``, whether ``u``
    fires on ``p`` (variable ``h[p, u]``), subject to the output function
    giving ``p``'s label.  For each unit an LP then checks whether the points
    it fires on can be separated from those it is silent on.  For finite sets
    this is possible exactly when the two convex hulls are disjoint
    (``REFERENCES.md``, "Exact training"); when they meet, the LP's
    certificate, convex weights on the two sides with a common point, is
    turned into a clause ("no unit fires on all of ``F`` while silent on all
    of ``S``"), added for every unit, and the loop repeats.  These
    :class:`HullConflict` clauses are geometric facts about the points alone,
    checkable in exact arithmetic by anyone; on Blum–Rivest training sets they
    are the hyperedges of the source hypergraph, so the loop rediscovers the
    set-splitting instance by itself.

``milp``: a big-M mixed-integer program (``scipy.optimize.milp``, HiGHS).
    The baseline.  Its weight bound is derived from the data so that
    infeasibility and optimality are proofs (see :func:`weight_bound`).
    Where the derived bound is too large for floating point (float data
    always: 0.1 has denominator 2**55), the MILP runs as a heuristic on
    coordinates mapped exactly into ``[-1, 1]``: the networks it finds are
    checked exactly as always, but an infeasible MILP is reported as
    UNKNOWN, never as UNSAT, and its minimum error as an upper bound only.

Every verdict is exact.  A network is assembled from separators checked in
rational arithmetic and then checked once more with
:func:`reductions.problems.fits`.  An untrainability proof is a *core*: a
subset of the points that no network of the architecture fits, obtained
from the SAT solver's failed assumptions and shrunk by deletion, so that
removing any single point makes it trainable (when minimisation finishes
within its budget; :attr:`TrainResult.core_minimal` says whether it did).
A minimum error comes from RC2 (MaxSAT) on the same clauses, is attained by
the returned network (counted exactly), and is re-proved optimal by a
second SAT solver: with the learned hull conflicts, "at most ``errors - 1``
mistakes" is unsatisfiable.  One unit in low dimension is instead solved by
enumeration (:mod:`solvers.exact.pencils`), one unit beyond it by implicit hitting
sets (:mod:`solvers.exact.hitting`, re-proved by RC2).  Both work towards the one deadline of
``time_limit`` (see :data:`TIME_LIMIT_GRACE_S`); a minimum not re-proved by
then is UNKNOWN, and its network is returned as an upper bound only.

References
----------
A. L. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1):117-127, 1992.
A. Ignatiev, A. Morgado and J. Marques-Silva, "RC2: an efficient MaxSAT
solver", J. Satisfiability, Boolean Modeling and Computation 11:53-64, 2019.
A. Schrijver, "Theory of Linear and Integer Programming", Wiley, 1986
(ch. 10: sizes of solutions of linear inequalities).
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from reductions.errors import InvalidInstanceError
from reductions.problems import OutputFunction, ThresholdNetwork, TrainingSet, fits

from .geometry import (
    NumericalTroubleError,
    Geometry,
    IntHull,
    IntSeparator,
    network_from_separators,
)
from ..core.architecture import resolve_hidden, resolve_output_name
from ..core.result import Status, json_value
from .backends import DEFAULT_SOLVER

if TYPE_CHECKING:
    from ..gd.networks import GDConfig

__all__ = [
    "METHODS",
    "TIME_LIMIT_GRACE_S",
    "WARM_START_GD",
    "WARM_START_SHARE",
    "HullConflict",
    "TrainResult",
    "LEARNED_OUTPUTS",
    "RC2_ORACLE",
    "count_errors",
    "learned_output",
    "resolve_output",
    "train_exact",
    "warm_start_config",
    "weight_bound",
]

METHODS = ("lazy", "milp")
"""The exact training methods, for the CLI's choices."""

TIME_LIMIT_GRACE_S = 1.0
"""Seconds :func:`train_exact` may run past its ``time_limit``.

Every phase works towards one deadline, ``time_limit`` seconds after the
call: the SAT + LP loop, core minimisation, RC2, the re-proof of a minimum
error and the MILP.  Solvers that can be interrupted are interrupted at the
deadline, CaDiCaL (which cannot) searches in slices of about a quarter
of a second, HiGHS gets the time left, and the loops check the clock
between steps.  What may run past the deadline is the step in
progress (one LP, one slice, HiGHS noticing its limit) and the exact check
of a network already found.
"""

WARM_START_GD = {"surrogate": "anneal", "restarts": 64, "steps": 2000}
"""Gradient descent's settings for ``initial="gd"`` (and ``--warm-start gd``); see :func:`warm_start_config`."""

WARM_START_SHARE = 0.5
"""At most this share of ``time_limit`` goes to gradient descent's warm start; the rest is the exact search's."""

RC2_ORACLE = "m22"
"""The SAT oracle inside RC2 (a PySAT solver name), for every RC2 call of the exact trainer.

MiniSat 2.2: RC2 is stopped at the deadline by ``interrupt()``, which MiniSat
honours within milliseconds; Glucose 4 (RC2's usual oracle) only between
restarts, and a run with a 120 s limit ended at 129 s.  Measured about as fast
as Glucose on the real-data tasks (``benchmarks/RESULTS.md``).
"""
RC2_ORACLE_NAME = "MiniSat 2.2"

_SOLUTION_GUIDED = True  # fit mode: a warm start's hidden patterns become CaDiCaL's phases (False: benchmarks' A/B)
_CONFLICTS_PER_UNIT = 64  # extra hull LPs per unit and round, each finding a new conflict
_SAT_SLICE_S = 0.25  # target seconds of one solve_limited() slice for SAT backends without interrupt()
_SAT_FIRST_BUDGET = 1_000  # conflicts in the first slice; later slices follow the measured rate
_SAT_MAX_BUDGET = 1_000_000
_DEFAULT_CORE_BUDGET_S = 10.0
_MAX_SAFE_BIG_M = 1e5  # largest big-M the MILP uses; HiGHS's integrality tolerance is 1e-6


_INTERRUPT_REPEAT_S = 0.05  # after the deadline, interrupt() is repeated this often until the solver stops


class _Timeout(Exception):
    """Internal: the deadline passed."""


@contextmanager
def _interrupt_at(deadline: float | None, interrupt: Callable[[], Any]) -> Iterator[None]:
    """Call ``interrupt()`` from a thread at ``deadline`` (``time.perf_counter()`` seconds), and again
    every ``_INTERRUPT_REPEAT_S`` until the block ends.

    Once is not enough: RC2 runs some SAT calls of its own (core
    minimisation, exhaustion) that it never interrupts, and the solver's next
    interruptible call starts by clearing the flag, so an interrupt that
    lands during one of those was lost and the run overshot its limit by
    seconds (measured: 2 s on 569 points).
    """
    if deadline is None:
        yield
        return
    done = threading.Event()

    def keep_interrupting() -> None:
        if done.wait(max(0.0, deadline - time.perf_counter())):
            return
        while True:
            interrupt()
            if done.wait(_INTERRUPT_REPEAT_S):
                return

    thread = threading.Thread(target=keep_interrupting, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


# ---------------------------------------------------------------------------
# certificates and results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HullConflict:
    """No threshold unit fires on all of :attr:`fire` while silent on all of :attr:`silent`.

    The convex combination ``sum fire[p] * x_p`` equals ``sum silent[q] *
    x_q``: the two hulls meet, so no ``w, t`` has ``w·x_p > t`` on the first
    set and ``w·x_q <= t`` on the second.  Indices are training-set point
    indices; the weights are exact.

    Examples
    --------
    >>> ts = TrainingSet.from_points([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1])
    >>> half = Fraction(1, 2)
    >>> HullConflict({0: half, 1: half}, {2: half, 3: half}).verify(ts)
    True
    """

    fire: Mapping[int, Fraction]
    silent: Mapping[int, Fraction]

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.fire.items())), tuple(sorted(self.silent.items()))))

    @property
    def points(self) -> tuple[int, ...]:
        """Every point index the conflict mentions."""
        return tuple(sorted(set(self.fire) | set(self.silent)))

    def verify(self, training_set: TrainingSet) -> bool:
        """Check the certificate in exact arithmetic on ``training_set``'s points."""
        n = training_set.num_points
        for weights in (self.fire, self.silent):
            if not weights or any(not 0 <= int(i) < n or Fraction(v) < 0 for i, v in weights.items()):
                return False
            if sum((Fraction(v) for v in weights.values()), Fraction(0)) != 1:
                return False
        # Numerators share one denominator, so compare combinations of numerators.
        rows = training_set.numerators
        for r in range(training_set.dim):
            lhs = sum((Fraction(v) * int(rows[i][r]) for i, v in self.fire.items()), Fraction(0))
            rhs = sum((Fraction(v) * int(rows[j][r]) for j, v in self.silent.items()), Fraction(0))
            if lhs != rhs:
                return False
        return True

    def to_json(self) -> dict[str, Any]:
        """``{"fire": {index: "p/q"}, "silent": {...}}`` with exact fractions as strings."""
        return {
            "fire": {str(i): str(v) for i, v in sorted(self.fire.items())},
            "silent": {str(i): str(v) for i, v in sorted(self.silent.items())},
        }

    @classmethod
    def from_json(cls, obj: Any) -> "HullConflict":
        """The conflict of a :meth:`to_json` object, its weights exact."""
        try:
            return cls(*({int(i): Fraction(v) for i, v in obj[side].items()} for side in ("fire", "silent")))
        except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError) as exc:
            raise InvalidInstanceError(f"not a hull-conflict object: {exc}") from None


@dataclass(frozen=True)
class TrainResult:
    """The verdict of :func:`train_exact`.

    Attributes
    ----------
    status : Status
        Consistency mode: SAT (a network fits every point), UNSAT (none
        does), UNKNOWN (time limit, or a bound the method could not
        justify; see :attr:`reason`).  Minimum-error mode: SAT when the
        optimum is proved, UNKNOWN otherwise.
    network : ThresholdNetwork or None
        A network checked with :func:`~reductions.problems.fits` (consistency)
        or one attaining :attr:`errors` mistakes, counted exactly (min-error).
    core : tuple of int or None
        For UNSAT, indices of points that no network of the architecture
        fits: the proof of untrainability, re-checkable by any exact decider.
    core_minimal : bool
        Whether removing any single point of :attr:`core` makes it trainable
        (checked one point at a time within the minimisation budget).
    errors : int or None
        Minimum-error mode: the fewest points any network misclassifies,
        set only when proved (status SAT).
    misclassified : tuple of int or None
        The points :attr:`network` gets wrong (min-error mode).  On UNKNOWN
        (time limit, unproved MILP bound) :attr:`network` may still be the
        best network found: ``len(misclassified)`` is then an upper bound on
        the minimum (also ``stats["errors_upper_bound"]``), not a claim that
        it is the minimum.
    method : str
        ``"lazy"`` or ``"milp"``.
    hidden : int
    output : str
        The output function's name (``"and"``, ``"or"``, ``"xor"``, ``"table"``).
    time_s : float
        Wall time of the whole call, checks included.
    stats : mapping
        Counters: SAT calls, LP calls, rounds, learned conflicts, weight bound...
    reason : str
        Why the status is UNKNOWN (empty otherwise).
    conflicts : tuple of HullConflict
        The geometric facts the lazy method learned; with the SAT solver's
        verdict they are the proof of UNSAT cores and of minimum errors.
    errors_lower : int or None
        Minimum-error mode: a proved lower bound on the minimum (equal to
        :attr:`errors` when the optimum is proved; on UNKNOWN the best bound
        reached before the time limit).  With :attr:`errors_upper` it
        brackets the minimum at any time.
    """

    status: Status
    network: ThresholdNetwork | None = None
    core: tuple[int, ...] | None = None
    core_minimal: bool = False
    errors: int | None = None
    misclassified: tuple[int, ...] | None = None
    method: str = "lazy"
    hidden: int = 0
    output: str = "and"
    time_s: float = 0.0
    stats: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    conflicts: tuple[HullConflict, ...] = ()
    errors_lower: int | None = None

    @property
    def errors_upper(self) -> int | None:
        """Minimum-error mode: the exact error count of :attr:`network`, an upper bound on the minimum."""
        return None if self.misclassified is None else len(self.misclassified)

    @property
    def trainable(self) -> bool | None:
        """True (SAT), False (UNSAT) or None (UNKNOWN), consistency mode."""
        return {Status.SAT: True, Status.UNSAT: False}.get(self.status)

    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready data (the CLI's ``--json`` object); :meth:`from_json` reads it back."""
        from reductions.formats import network_to_json

        obj: dict[str, Any] = {
            "status": self.status.value,
            "method": self.method,
            "hidden": self.hidden,
            "output": self.output,
            "time_s": self.time_s,
            "network": network_to_json(self.network) if self.network is not None else None,
            "core": list(self.core) if self.core is not None else None,
            "core_minimal": self.core_minimal,
            "stats": json_value(dict(self.stats)),
        }
        if self.errors is not None or self.misclassified is not None or self.errors_lower is not None:
            obj["errors"] = self.errors
            obj["errors_lower"] = self.errors_lower
            obj["errors_upper"] = self.errors_upper
            obj["misclassified"] = list(self.misclassified) if self.misclassified is not None else None
        if self.reason:
            obj["reason"] = self.reason
        if self.conflicts:
            obj["conflicts"] = [c.to_json() for c in self.conflicts]
        return obj

    @classmethod
    def from_json(cls, obj: Any) -> "TrainResult":
        """The :class:`TrainResult` of a :meth:`to_json` object (``errors_upper`` is derived, not read).

        Examples
        --------
        >>> import json
        >>> ts = TrainingSet.from_points([[0], [1], [2]], [0, 1, 0])
        >>> res = train_exact(ts, 1, min_error=True)
        >>> TrainResult.from_json(json.loads(json.dumps(res.to_json()))) == res
        True
        """
        from reductions.formats import network_from_json

        from ..core.result import status_from_json

        try:
            network = obj.get("network")
            core = obj.get("core")
            misclassified = obj.get("misclassified")
            return cls(
                status=status_from_json(obj["status"]),
                network=None if network is None else network_from_json(network),
                core=None if core is None else tuple(int(i) for i in core),
                core_minimal=bool(obj.get("core_minimal", False)),
                errors=obj.get("errors"),
                misclassified=None if misclassified is None else tuple(int(i) for i in misclassified),
                method=str(obj["method"]),
                hidden=int(obj["hidden"]),
                output=str(obj["output"]),
                time_s=float(obj["time_s"]),
                stats=dict(obj.get("stats") or {}),
                reason=str(obj.get("reason", "")),
                conflicts=tuple(HullConflict.from_json(c) for c in obj.get("conflicts", ())),
                errors_lower=obj.get("errors_lower"),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise InvalidInstanceError(f"not a train-exact result object: missing or malformed {exc}") from None


# ---------------------------------------------------------------------------
# helpers shared by both methods
# ---------------------------------------------------------------------------


LEARNED_OUTPUTS = {
    "any": "every Boolean function of the hidden units (what an MLP with a learned output layer can reach)",
    "monotone": "every monotone Boolean function of the hidden units (a learned output unit with non-negative weights)",
}
"""Output families the exact trainer learns together with the units: ``output="any"`` or ``"monotone"``."""


def is_monotone(f: OutputFunction) -> bool:
    """Whether switching on a hidden unit never switches the output off: ``f(b) <= f(b')`` for ``b ⊆ b'``."""
    return all(not f.table[b] or f.table[b | 1 << u] for b in range(2**f.arity) for u in range(f.arity))


def learned_output(output: Any) -> str | None:
    """The learned family named by ``output`` ("any"/"monotone"), else None: the one place this is read."""
    if isinstance(output, str) and output.lower() in LEARNED_OUTPUTS:
        return output.lower()
    return None


def resolve_output(output: str | OutputFunction | None, hidden: int, metadata: Mapping[str, Any] | None = None) -> OutputFunction:
    """The output function: a name (``and``/``or``/``xor``), a table, or the training set's metadata.

    Examples
    --------
    >>> resolve_output("or", 3).table
    (False, True, True, True, True, True, True, True)
    """
    output = resolve_output_name(metadata or {}, output)
    if isinstance(output, OutputFunction):
        if output.arity != hidden:
            raise InvalidInstanceError(f"the output function takes {output.arity} inputs but there are {hidden} hidden units")
        return output
    if not isinstance(output, str):
        raise InvalidInstanceError(f"output must be 'and', 'or', 'xor' or an OutputFunction, got {output!r}")
    return OutputFunction.named(output.lower(), hidden)


def _resolve_hidden(hidden: int | None, training_set: TrainingSet) -> int:
    hidden = resolve_hidden(training_set, hidden)
    if isinstance(hidden, bool) or not isinstance(hidden, (int, np.integer)) or not 1 <= int(hidden) <= 12:
        raise InvalidInstanceError(f"the number of hidden units must be an integer in 1..12, got {hidden!r}")
    return int(hidden)


def count_errors(network: ThresholdNetwork, training_set: TrainingSet) -> tuple[int, ...]:
    """Indices of the points ``network`` misclassifies, computed exactly.

    Examples
    --------
    >>> ts = TrainingSet.from_points([[0], [1], [2]], [0, 1, 0])
    >>> count_errors(ThresholdNetwork.from_numbers([[1]], ["1/2"], "and"), ts)
    (2,)
    """
    if training_set.num_points == 0:
        return ()
    wrong = network.classify(training_set) != training_set.labels
    return tuple(int(i) for i in np.flatnonzero(wrong))


def _forbidden_patterns(f: OutputFunction) -> dict[int, list[int]]:
    """For each label, the hidden patterns (as bit masks) that output the other label."""
    return {y: [b for b in range(2**f.arity) if int(f.table[b]) != y] for y in (0, 1)}


def _is_symmetric(f: OutputFunction) -> bool:
    """Whether permuting the hidden units leaves ``f`` unchanged (adjacent swaps generate all)."""
    k = f.arity

    def swap(b: int, i: int) -> int:
        lo, hi = (b >> i) & 1, (b >> (i + 1)) & 1
        return b if lo == hi else b ^ (1 << i) ^ (1 << (i + 1))

    return all(f.table[b] == f.table[swap(b, i)] for i in range(k - 1) for b in range(2**k))


def _conflict(hull: IntHull) -> HullConflict:
    return HullConflict(dict(hull.positive), dict(hull.negative))


# ---------------------------------------------------------------------------
# the lazy SAT + LP method
# ---------------------------------------------------------------------------


class _Lazy:
    """Shared state of the lazy method: variables, geometry, learned conflicts."""

    def __init__(self, training_set: TrainingSet, k: int, f: OutputFunction, deadline: float | None,
                 learned: str | None = None) -> None:
        self.ts = training_set
        self.k = k
        self.f = f
        self.learned = learned
        self.table: tuple[bool, ...] | None = None  # learned mode: the output table of the last separable model
        self.deadline = deadline
        self.n = training_set.num_points
        self.geometry = Geometry([[int(x) for x in row] for row in training_set.numerators], training_set.dim)
        self.labels = [int(y) for y in training_set.labels]
        self.conflicts: list[HullConflict] = []
        self._seen: set[tuple[frozenset[int], frozenset[int]]] = set()
        self.rounds = 0
        self._this_round: set[tuple[frozenset[int], frozenset[int]]] = set()
        self._uses: dict[int, int] = {}  # point -> number of learned conflicts containing it
        self.bar: Any = None  # a solvers.core.progress.Progress, counting learned conflicts
        # Label clauses, guarded by the point's selector: s_p -> f(h_p) == y_p.  With a learned output the
        # table is variables t_b: s_p and h_p == b imply t_b == y_p; "monotone" adds t_b -> t_(b + unit u).
        self.label_clauses: list[list[int]] = []
        if learned is None:
            patterns = _forbidden_patterns(f)
            for p in range(self.n):
                for b in patterns[self.labels[p]]:
                    self.label_clauses.append(
                        [-self.sel(p)] + [-self.h(p, u) if (b >> u) & 1 else self.h(p, u) for u in range(k)]
                    )
        else:
            for p in range(self.n):
                for b in range(2**k):
                    self.label_clauses.append(
                        [-self.sel(p)] + [-self.h(p, u) if (b >> u) & 1 else self.h(p, u) for u in range(k)]
                        + [self.t(b) if self.labels[p] else -self.t(b)]
                    )
            if learned == "monotone":
                for b in range(2**k):
                    for u in range(k):
                        if not (b >> u) & 1:
                            self.label_clauses.append([-self.t(b), self.t(b | 1 << u)])
        # Symmetry breaking (units are interchangeable when f is symmetric, and
        # when the output is learned from a family closed under permuting the
        # units): on one reference point, the units that fire come first.  Any
        # network can be permuted into this form, so no verdict changes.
        self.symmetry_clauses: list[list[int]] = []
        if (learned is not None or _is_symmetric(f)) and self.n and k > 1:
            ref = next((p for p in range(self.n) if self.labels[p] == 0), 0)
            for u in range(k - 1):
                self.symmetry_clauses.append([self.h(ref, u), -self.h(ref, u + 1)])

    # variables: h(p, u) = 1 + p*k + u, then one selector per point
    def h(self, p: int, u: int) -> int:
        return 1 + p * self.k + u

    def sel(self, p: int) -> int:
        return 1 + self.n * self.k + p

    def point_of_selector(self, lit: int) -> int:
        return abs(lit) - 1 - self.n * self.k

    def t(self, b: int) -> int:
        """Learned output mode: the variable "the output is 1 on hidden pattern b"."""
        return 1 + self.n * self.k + self.n + b

    @property
    def num_vars(self) -> int:
        return self.n * self.k + self.n + (2**self.k if self.learned is not None else 0)

    def output(self) -> OutputFunction:
        """The output function of the networks found: ``f``, or the table learned with the last separators."""
        if self.learned is None:
            return self.f
        assert self.table is not None
        return OutputFunction(self.k, self.table)

    def phases(self, network: ThresholdNetwork) -> list[int]:
        """Preferred SAT values from a warm start: ``h(p, u)`` as unit ``u`` of ``network`` answers on point ``p``.

        Solution-guided search: the solver's first models sit next to the
        warm start's hidden patterns, so a near-fit network's few mistakes are
        what the hull conflicts repair.  Only a preference: no verdict changes.
        """
        fires = network.hidden(self.ts)
        return [self.h(p, u) if fires[p][u] else -self.h(p, u) for p in range(self.n) for u in range(self.k)]

    def tick(self) -> None:
        if self.deadline is not None and time.perf_counter() >= self.deadline:
            raise _Timeout

    def conflict_clauses(self, c: HullConflict) -> list[list[int]]:
        """``c`` as one clause per unit: some fire-side point silent, or some silent-side point firing."""
        return [[-self.h(p, u) for p in c.fire] + [self.h(q, u) for q in c.silent] for u in range(self.k)]

    def _learn(self, hull: IntHull, new: list[HullConflict]) -> None:
        key = (frozenset(hull.positive), frozenset(hull.negative))
        if key in self._seen:
            # Another unit found it earlier in this round (its clauses are
            # added after the round); from an earlier round it would mean
            # the SAT model violates a learned clause.
            if key not in self._this_round:  # pragma: no cover - a bug
                raise RuntimeError("bug: the SAT model violates a learned hull conflict")
            return
        self._seen.add(key)
        self._this_round.add(key)
        for p in itertools.chain(hull.positive, hull.negative):
            self._uses[p] = self._uses.get(p, 0) + 1
        if self.bar is not None:
            self.bar.advance(1, note=f"(SAT+LP round {self.rounds})")
        c = _conflict(hull)
        self.conflicts.append(c)
        new.append(c)

    def _extract(
        self, fire: Sequence[int], silent: Sequence[int], hull: IntHull, new: list[HullConflict], limit: int
    ) -> None:
        """More conflicts from one partition: drop a support point of the last one, look again.

        Each hull LP that succeeds is a new conflict (it avoids the dropped
        point).  The dropped point is the one in the fewest conflicts learned
        so far (then the lightest): on Blum–Rivest sets that is the edge's
        indicator, which keeps the conflicts of every other edge findable.
        """
        chain = None
        for _ in range(limit):
            self.tick()
            support = [(i, v, 0) for i, v in hull.positive.items()] + [(j, v, 1) for j, v in hull.negative.items()]
            drop, _, _ = min(support, key=lambda t: (self._uses.get(t[0], 0), t[2], t[1], t[0]))
            if chain is None:  # the LPs of one partition, each warm-started from the last (one point fewer)
                chain = self.geometry.hull_chain(sorted(fire), sorted(silent))
            nxt = chain.without(drop)
            if nxt is None:
                return
            hull = nxt
            self._learn(hull, new)

    def seed(self) -> list[HullConflict]:
        """Conflicts of the partition "fire on label 1, silent on label 0", learned up front.

        A heuristic start (every conflict is a geometric fact whatever the
        output function): for an AND output these are the sets of negatives
        one unit cannot reject, the hyperedges of ``REFERENCES.md``.
        Learning them before the first SAT call saves rounds, and lets the
        solver see all of them rather than only those its models happened to
        violate, which makes the final refutation much easier.
        """
        self._this_round = set()
        fire = [p for p in range(self.n) if self.labels[p] == 1]
        silent = [p for p in range(self.n) if self.labels[p] == 0]
        new: list[HullConflict] = []
        if not fire or not silent:
            return new
        self.tick()
        first = self.geometry._hull_lp(fire, silent)
        if first is not None:
            self._learn(first, new)
            self._extract(fire, silent, first, new, self.n)
        return new

    def refine(self, model: Sequence[int], active: Sequence[int]) -> tuple[list[IntSeparator] | None, list[HullConflict]]:
        """Check every unit's partition of the ``active`` points in ``model``.

        Returns the separators when every unit is separable, else ``None``
        and the newly learned conflicts (at least one).
        """
        self.rounds += 1
        self._this_round = set()
        value = {lit for lit in model if lit > 0}
        separators: list[IntSeparator] = []
        new: list[HullConflict] = []
        for u in range(self.k):
            self.tick()
            fire = [p for p in active if self.h(p, u) in value]
            silent = [p for p in active if self.h(p, u) not in value]
            result = self.geometry.separate(fire, silent)
            if isinstance(result, IntSeparator):
                separators.append(result)
                continue
            self._learn(result, new)
            self._extract(fire, silent, result, new, _CONFLICTS_PER_UNIT)
        if len(separators) < self.k:
            return None, new
        if self.learned is not None:
            self.table = tuple(self.t(b) in value for b in range(2**self.k))
        return separators, new


def _check_solver(name: str, deadline: float | None) -> Any:
    """The :class:`~solvers.exact.sat.Backend` ``name``, refused unless the lazy method can use it."""
    from .sat import get_backend

    backend = get_backend(name)
    if not backend.incremental:
        raise InvalidInstanceError(f"{name} cannot be used incrementally; choose another solver for the exact trainer")
    if deadline is not None and not backend.limited:
        raise InvalidInstanceError(f"{name} cannot be stopped at a time limit; choose another solver")
    return backend


class _Sat:
    """An incremental PySAT solver that stops at a deadline.

    Backends whose ``interrupt()`` takes effect at once
    (:attr:`~solvers.exact.sat.Backend.stops_promptly`) are interrupted by a timer
    at the deadline; the others (CaDiCaL, Glucose) search in conflict-budget
    slices sized from the
    measured conflict rate to last about ``_SAT_SLICE_S`` seconds, and never
    much past what is left, with the clock checked between slices.
    """

    def __init__(self, name: str, deadline: float | None) -> None:
        from pysat.solvers import Solver

        self.interruptible = _check_solver(name, deadline).stops_promptly
        self.name = name
        self.solver = Solver(name=name)
        self.deadline = deadline
        self.calls = 0
        self._budget = _SAT_FIRST_BUDGET

    def add(self, clauses: Iterable[Sequence[int]]) -> None:
        for c in clauses:
            self.solver.add_clause([int(x) for x in c])

    def solve(self, assumptions: Sequence[int]) -> bool:
        """Raises ``_Timeout`` at the deadline."""
        self.calls += 1
        assumptions = [int(a) for a in assumptions]
        if self.deadline is None:
            return bool(self.solver.solve(assumptions=assumptions))
        if self.interruptible:
            self.solver.clear_interrupt()
            if time.perf_counter() >= self.deadline:
                raise _Timeout
            with _interrupt_at(self.deadline, self.solver.interrupt):
                result = self.solver.solve_limited(assumptions=assumptions, expect_interrupt=True)
            if result is None:
                self.solver.clear_interrupt()
                raise _Timeout
            return bool(result)
        while True:
            left = self.deadline - time.perf_counter()
            if left <= 0:
                raise _Timeout
            self.solver.conf_budget(self._budget)
            began = time.perf_counter()
            result = self.solver.solve_limited(assumptions=assumptions)
            if result is not None:
                return bool(result)
            spent = max(time.perf_counter() - began, 1e-4)
            # The next slice: about _SAT_SLICE_S seconds (or what is left) at
            # the rate just measured, growing at most fourfold at a time.
            target = min(_SAT_SLICE_S, max(left - spent, 0.0))
            self._budget = max(100, min(_SAT_MAX_BUDGET, 4 * self._budget, int(self._budget * target / spent)))

    def model(self) -> list[int]:
        return self.solver.get_model()

    def core(self) -> list[int]:
        return list(self.solver.get_core() or [])

    def close(self) -> None:
        self.solver.delete()


def _lazy_decide(
    lazy: _Lazy, sat: _Sat, active: Sequence[int] | None
) -> tuple[bool, list[IntSeparator] | None, list[int] | None]:
    """Run the SAT + LP loop until a verdict.

    ``active=None``: every point, with the label clauses hard in ``sat``
    (no assumptions, which the solver propagates at level 0: several times
    faster than the same clauses under assumptions).  Otherwise only the
    ``active`` points, through their selectors as assumptions.

    Returns ``(True, separators, None)`` or ``(False, None, core)`` where
    ``core`` lists the active points whose selectors the solver needed
    (``None`` when every point is active).
    """
    points = range(lazy.n) if active is None else active
    assumptions = [] if active is None else [lazy.sel(p) for p in active]
    while True:
        lazy.tick()
        if not sat.solve(assumptions):
            if active is None:
                return False, None, None
            return False, None, sorted(lazy.point_of_selector(lit) for lit in sat.core())
        separators, new = lazy.refine(sat.model(), points)
        if separators is not None:
            return True, separators, None
        for c in new:
            sat.add(lazy.conflict_clauses(c))


def _conflict_core(lazy: _Lazy) -> list[int]:
    """A core needing no further solving: the points of the learned conflicts.

    Valid once the label clauses of all points plus the learned conflicts are
    unsatisfiable: a point in no conflict occurs only in its own label
    clauses (and in the symmetry-breaking clauses, which any network can be
    permuted to satisfy), so unless the output function cannot produce its
    label at all, which puts it in the core too, it can always be satisfied
    on its own and is not needed.
    """
    if lazy.learned is not None:
        # a learned table couples every point's label clauses through the table variables, so a point in no
        # conflict may still be needed: the whole set is the sound starting core (minimisation shrinks it)
        return list(range(lazy.n))
    mentioned = {p for c in lazy.conflicts for p in c.points}
    return sorted(mentioned | _hopeless(lazy))


def _hopeless(lazy: _Lazy) -> set[int]:
    """Points whose label the output function cannot give at all (each alone is a core)."""
    if lazy.learned is not None:
        return set()  # a learned table can give any point its label
    patterns = _forbidden_patterns(lazy.f)
    return {p for p in range(lazy.n) if len(patterns[lazy.labels[p]]) == 2**lazy.k}


def _conflict_group_core(lazy: _Lazy, solver: str, core: list[int], end: float) -> list[int]:
    """Shrink the conflict core cheaply: which learned conflicts does the refutation need?

    Every label clause stays hard (the solver propagates them at level 0),
    and each conflict's clauses get one selector; the solver's failed
    selectors name a subset of conflicts that with the labels is still
    unsatisfiable, and by the argument of :func:`_conflict_core` their
    points (plus any point whose label the output function cannot give)
    form a core.  Raises ``_Timeout`` at ``end``.
    """
    if not lazy.conflicts or lazy.learned is not None:  # learned tables: the argument does not hold
        return core
    sat = _Sat(solver, end if lazy.deadline is None else min(end, lazy.deadline))
    try:
        sat.add(lazy.label_clauses)
        sat.add(lazy.symmetry_clauses)
        sat.add([lazy.sel(p)] for p in range(lazy.n))
        top = lazy.num_vars
        groups = {}
        for i, c in enumerate(lazy.conflicts):
            g = top + 1 + i
            groups[g] = c
            sat.add([-g] + clause for clause in lazy.conflict_clauses(c))
        if sat.solve(list(groups)):  # pragma: no cover - phase one proved it unsatisfiable
            raise RuntimeError("bug: the learned conflicts with hard labels are satisfiable after an UNSAT verdict")
        needed = {p for g in sat.core() for p in groups[abs(g)].points}
    finally:
        sat.close()
    return sorted(needed | _hopeless(lazy))


def _minimise_core(lazy: _Lazy, sat: _Sat, core: list[int], budget_end: float) -> tuple[list[int], bool]:
    """Deletion-based minimisation: drop each point whose removal keeps the core untrainable.

    ``sat`` holds the label clauses guarded by selectors and every learned
    conflict.  Stops at ``budget_end`` with the smallest core proved so far.
    """
    saved = lazy.deadline, sat.deadline
    lazy.deadline = sat.deadline = budget_end if saved[0] is None else min(budget_end, saved[0])
    core = sorted(core)
    kept: list[int] = []
    i = 0
    try:
        # The solver's own core first: usually much smaller than the conflicts' points.
        trainable, _, smaller = _lazy_decide(lazy, sat, core)
        if trainable:  # pragma: no cover - the conflict core is a proof
            raise RuntimeError("bug: a core built from the learned conflicts is trainable")
        assert smaller is not None
        core = smaller
        while i < len(core):
            candidate = kept + core[i + 1 :]
            trainable, _, smaller = _lazy_decide(lazy, sat, candidate)
            if trainable:
                kept.append(core[i])
                i += 1
            else:
                # Still untrainable without core[i]; the solver's core may be smaller still.
                assert smaller is not None
                rest = set(smaller)
                kept = [p for p in kept if p in rest]
                core = kept + [p for p in core[i + 1 :] if p in rest]
                i = len(kept)
    except _Timeout:
        return kept + core[i:], False
    finally:
        lazy.deadline, sat.deadline = saved
    return kept, True


def _train_lazy(
    ts: TrainingSet, k: int, f: OutputFunction, *, deadline: float | None, solver: str,
    minimize_core: bool | float, min_error: bool, start: float, progress: bool = False,
    bounds: "_Bounds | None" = None, learned: str | None = None,
) -> TrainResult:
    lazy = _Lazy(ts, k, f, deadline, learned)
    bounds = bounds if bounds is not None else _Bounds(ts)
    if progress:
        from ..core.progress import Progress

        with Progress(None, "train-exact: hull conflicts learned:") as lazy.bar:
            return _train_lazy_inner(lazy, ts, k, f, deadline=deadline, solver=solver,
                                     minimize_core=minimize_core, min_error=min_error, start=start, bounds=bounds)
    return _train_lazy_inner(lazy, ts, k, f, deadline=deadline, solver=solver,
                             minimize_core=minimize_core, min_error=min_error, start=start, bounds=bounds)


def _train_lazy_inner(
    lazy: _Lazy, ts: TrainingSet, k: int, f: OutputFunction, *, deadline: float | None, solver: str,
    minimize_core: bool | float, min_error: bool, start: float, bounds: "_Bounds",
) -> TrainResult:
    common: dict[str, Any] = {"method": "lazy", "hidden": k, "output": lazy.learned or f.name}
    sat_calls = 0

    def stats(**extra: Any) -> dict[str, Any]:
        return {
            "rounds": lazy.rounds,
            "lp_calls": lazy.geometry.lp_calls,
            "exact_lp_calls": lazy.geometry.exact_calls,
            "conflicts": len(lazy.conflicts),
            "sat_solver": solver,
            "sat_calls": sat_calls,
            **extra,
        }

    if min_error:
        engine = {"pencils": _min_error_pencils, "hitting-sets": _min_error_hitting_sets,
                  "rc2": _min_error_lazy}[_min_error_engine(k, f, ts)]  # learned, k = 1: f is the identity
        return engine(lazy, solver=solver, start=start, stats=stats, common=common, bounds=bounds)

    try:
        # Phase 1: decide, with every label clause hard.
        sat = _Sat(solver, deadline)
        try:
            sat.add(lazy.label_clauses)
            sat.add(lazy.symmetry_clauses)
            sat.add([lazy.sel(p)] for p in range(lazy.n))
            if bounds.network is not None and _SOLUTION_GUIDED:
                sat.solver.set_phases(lazy.phases(bounds.network))
            for c in lazy.seed():
                sat.add(lazy.conflict_clauses(c))
            trainable, separators, _ = _lazy_decide(lazy, sat, None)
        except _Timeout:
            return TrainResult(
                Status.UNKNOWN, time_s=time.perf_counter() - start, reason="time limit reached",
                stats=stats(), conflicts=tuple(lazy.conflicts), **common,
            )
        finally:
            sat_calls += sat.calls
            sat.close()
        decided = time.perf_counter()
        if trainable:
            assert separators is not None
            network = network_from_separators(separators, lazy.output(), ts.denominator)
            if not fits(network, ts):  # pragma: no cover - exactly checked separators
                raise RuntimeError("bug: a network assembled from exactly checked separators does not fit")
            return TrainResult(
                Status.SAT, network=network, time_s=time.perf_counter() - start,
                stats=stats(decide_s=decided - start), conflicts=tuple(lazy.conflicts), **common,
            )
        # Phase 2: an untrainable core, shrunk within the budget.
        core = _conflict_core(lazy)
        minimal = False
        if minimize_core is not False and core:
            budget = _DEFAULT_CORE_BUDGET_S if minimize_core is True else float(minimize_core)
            from .sat import SOLVERS

            # The minimisation stops at its budget, which needs solve_limited().
            limited = solver if SOLVERS[solver].limited else DEFAULT_SOLVER
            try:
                core = _conflict_group_core(lazy, limited, core, decided + budget)
            except _Timeout:
                pass
            sat = _Sat(limited, None)
            try:
                sat.add(lazy.label_clauses)
                sat.add(lazy.symmetry_clauses)
                for c in lazy.conflicts:
                    sat.add(lazy.conflict_clauses(c))
                core, minimal = _minimise_core(lazy, sat, core, decided + budget)
            finally:
                sat_calls += sat.calls
                sat.close()
        return TrainResult(
            Status.UNSAT, core=tuple(core), core_minimal=minimal, time_s=time.perf_counter() - start,
            stats=stats(decide_s=decided - start, core_size=len(core)),
            conflicts=tuple(lazy.conflicts), **common,
        )
    except NumericalTroubleError as exc:
        return TrainResult(
            Status.UNKNOWN, time_s=time.perf_counter() - start, reason=f"numerical trouble: {exc}",
            stats=stats(), **common,
        )


def _min_error_lazy(
    lazy: _Lazy, *, solver: str, start: float, stats: Any, common: dict[str, Any], bounds: "_Bounds"
) -> TrainResult:
    """RC2 on the label clauses (soft: one selector per point) + lazily learned hull conflicts.

    RC2 and the re-proof of its optimum work towards the one deadline
    ``lazy.deadline``.  Every RC2 optimum of the clauses learned so far is a
    lower bound (more conflicts only raise it).  When the deadline passes,
    the result is UNKNOWN and carries the bounds: the best network known
    (a warm start, or RC2's own once found) and the last lower bound.
    """
    from pysat.examples.rc2 import RC2
    from pysat.formula import WCNF

    def unknown(reason: str, maxsat_calls: int, **found: Any) -> TrainResult:
        if "network" in found:
            bounds.offer(found["network"])
        return bounds.unknown(reason, stats=stats(maxsat_calls=maxsat_calls, engine="rc2"),
                              conflicts=tuple(lazy.conflicts), time_s=time.perf_counter() - start, **common)

    wcnf = WCNF()
    for c in lazy.label_clauses + lazy.symmetry_clauses:
        wcnf.append([int(x) for x in c])
    for p in range(lazy.n):
        wcnf.append([lazy.sel(p)], weight=1)
    try:
        for conflict in lazy.seed():
            for c in lazy.conflict_clauses(conflict):
                wcnf.append([int(x) for x in c])
    except _Timeout:
        return unknown("time limit reached", 0)
    except NumericalTroubleError as exc:
        return unknown(f"numerical trouble: {exc}", 0)
    # No solution-guided phases here: Glucose with forced phases ignored RC2's interrupt for seconds
    # (45 s limit on 569 points: 48.7 s with phases, 45.0 s without), for about the same bounds (14 against 13).
    rc2 = RC2(wcnf, solver=RC2_ORACLE)
    everyone = list(range(lazy.n))
    maxsat_calls = 0
    try:
        with _interrupt_at(lazy.deadline, rc2.interrupt):
            while True:
                lazy.tick()
                maxsat_calls += 1
                model = rc2.compute(expect_interrupt=lazy.deadline is not None)
                if model is None:
                    if rc2.interrupted or (lazy.deadline is not None and time.perf_counter() >= lazy.deadline):
                        raise _Timeout
                    raise RuntimeError("bug: the hard clauses of the min-error problem are satisfiable by all-firing")
                bounds.raise_lower(int(rc2.cost))  # optimal for a relaxation: a lower bound
                separators, new = lazy.refine(model, everyone)
                if separators is not None:
                    cost = int(rc2.cost)
                    break
                for c in new:
                    for clause in lazy.conflict_clauses(c):
                        rc2.add_clause([int(x) for x in clause])
    except _Timeout:
        return unknown("time limit reached", maxsat_calls)
    except KeyboardInterrupt:
        return unknown("interrupted (Ctrl-C)", maxsat_calls)
    except NumericalTroubleError as exc:
        return unknown(f"numerical trouble: {exc}", maxsat_calls)
    finally:
        rc2.delete()
    network = network_from_separators(separators, lazy.output(), lazy.ts.denominator)
    wrong = count_errors(network, lazy.ts)
    if len(wrong) != cost:  # pragma: no cover - RC2 optimum attained by construction
        raise RuntimeError(f"bug: RC2 reports {cost} errors but its network makes {len(wrong)}")
    try:
        proved = _reprove_lower_bound(lazy, cost, solver)
    except _Timeout:
        return unknown(
            f"time limit reached while re-proving the minimum: the network found makes {cost} errors "
            "(an upper bound; that none makes fewer is not confirmed)",
            maxsat_calls, network=network, misclassified=wrong,
        )
    bounds.offer(network)
    return bounds.optimum(cost, proved, stats=stats(maxsat_calls=maxsat_calls, engine="rc2", optimality_rechecked_by=proved),
                          conflicts=tuple(lazy.conflicts), time_s=time.perf_counter() - start, **common)


def _min_error_hitting_sets(
    lazy: _Lazy, *, solver: str, start: float, stats: Any, common: dict[str, Any], bounds: "_Bounds"
) -> TrainResult:
    """Minimum error by implicit hitting sets (:mod:`solvers.exact.hitting`) over an incremental SAT + LP oracle.

    The oracle is one incremental SAT solver (label clauses guarded by
    point selectors, every learned hull conflict) queried under the
    selectors of the points outside a hitting set, with the usual LP check
    per unit; an UNSAT answer's failed selectors are a core, shrunk once by
    asking again under the core alone.  Lower bounds come from disjoint
    cores and exact minimum hitting sets (HiGHS), upper bounds from every
    network the oracle returns (errors counted exactly).  The optimum is
    then re-proved without HiGHS, by RC2 on the learned clauses
    (:func:`_rc2_reproof`).
    """
    from .hitting import Checked, HittingSetSearch, SearchTimeout

    sat = _Sat(solver, lazy.deadline)

    def check(active: list[int]) -> Checked[ThresholdNetwork]:
        try:
            ok, separators, core = _lazy_decide(lazy, sat, active)
            if ok:
                network = network_from_separators(separators, lazy.output(), lazy.ts.denominator)
                return Checked(network=network, errors=len(count_errors(network, lazy.ts)))
            assert core is not None
            again, _, smaller = _lazy_decide(lazy, sat, core)
            return Checked(core=tuple(core if again or not smaller else smaller))
        except _Timeout:
            raise SearchTimeout from None

    search: HittingSetSearch[ThresholdNetwork] = HittingSetSearch(lazy.n, check, lazy.deadline)

    def engine_stats(**extra: Any) -> dict[str, Any]:
        return stats(engine="hitting-sets", hs_rounds=search.rounds, hs_checks=search.checks,
                     hs_cores=len(search.hs.cores), hs_exact_solves=search.hs.solves,
                     hs_exact_s=round(search.hs.time_s, 3), hs_disjoint_cores=search.disjoint_lower, **extra)

    try:
        sat.add(lazy.label_clauses)
        sat.add(lazy.symmetry_clauses)
        for c in lazy.seed():
            sat.add(lazy.conflict_clauses(c))
        if bounds.network is not None:
            search.offer(bounds.network, bounds.upper)
        search.on_bounds = lambda lower, upper: (bounds.raise_lower(lower), bounds.offer(search.network))
        search.run()
    except (_Timeout, SearchTimeout, KeyboardInterrupt) as stop:
        if search.network is not None:
            bounds.offer(search.network)
        bounds.raise_lower(search.lower)
        why = "interrupted (Ctrl-C)" if isinstance(stop, KeyboardInterrupt) else "time limit reached"
        return bounds.unknown(why, stats=engine_stats(), conflicts=tuple(lazy.conflicts),
                              time_s=time.perf_counter() - start, **common)
    except NumericalTroubleError as exc:
        return bounds.unknown(f"numerical trouble: {exc}", stats=engine_stats(), conflicts=tuple(lazy.conflicts),
                              time_s=time.perf_counter() - start, **common)
    finally:
        sat.close()
    assert search.network is not None
    bounds.offer(search.network)
    cost = bounds.upper
    try:
        proved = _rc2_reproof(lazy, cost)
    except _Timeout:
        bounds.raise_lower(search.lower)
        return bounds.unknown(
            f"time limit reached while re-proving the minimum: the network found makes {cost} errors (an upper "
            f"bound; the hitting-set search's lower bound {search.lower}, from HiGHS, is not yet confirmed by a "
            "second solver)", stats=engine_stats(), conflicts=tuple(lazy.conflicts),
            time_s=time.perf_counter() - start, **common)
    return bounds.optimum(cost, proved, stats=engine_stats(optimality_rechecked_by=proved, hs_sat_calls=sat.calls),
                          conflicts=tuple(lazy.conflicts), time_s=time.perf_counter() - start, **common)


def _rc2_reproof(lazy: _Lazy, errors: int) -> str:
    """A second method confirms the hitting-set search's lower bound: RC2 on the same clauses.

    The label clauses and every learned hull conflict, with one soft clause
    per point, form a relaxation of the minimum-error problem (each clause
    an exactly checked fact), so RC2's optimum of it is a lower bound found
    without HiGHS.  It must reach ``errors``.  Raises ``_Timeout`` at
    ``lazy.deadline``.
    """
    if errors == 0:
        return "none needed"
    from pysat.examples.rc2 import RC2
    from pysat.formula import WCNF

    lazy.tick()
    wcnf = WCNF()
    for c in lazy.label_clauses + lazy.symmetry_clauses:
        wcnf.append([int(x) for x in c])
    for conflict in lazy.conflicts:
        for c in lazy.conflict_clauses(conflict):
            wcnf.append([int(x) for x in c])
    for p in range(lazy.n):
        wcnf.append([lazy.sel(p)], weight=1)
    rc2 = RC2(wcnf, solver=RC2_ORACLE)
    try:
        with _interrupt_at(lazy.deadline, rc2.interrupt):
            model = rc2.compute(expect_interrupt=lazy.deadline is not None)
        if model is None:
            raise _Timeout
        if rc2.cost != errors:
            raise RuntimeError(f"bug: RC2 bounds the minimum by {rc2.cost} where the hitting-set search proved {errors}")
    finally:
        rc2.delete()
    return f"RC2 ({RC2_ORACLE_NAME}) on the learned clauses"


PENCILS_MAX_WORK = 5e8
"""The largest :func:`solvers.exact.pencils.pencil_work` (pencils x points) for which one unit's minimum error is swept.

About a minute on the 2-core reference machine (``benchmarks/RESULTS.md``:
breast cancer, 569 points in 3-D, is 9.2e7 and takes 12 s).
"""


def _min_error_engine(k: int, f: OutputFunction | None = None, ts: TrainingSet | None = None) -> str:
    """The lazy method's minimum-error engine: the one place this is decided.

    One unit in low dimension (a non-constant output, and a sweep of at most
    :data:`PENCILS_MAX_WORK`): the exhaustive pencil sweep
    (:mod:`solvers.exact.pencils`), which proves the optimum by
    enumeration in polynomial time.  Otherwise, measured on real data
    (``benchmarks/RESULTS.md``): implicit hitting sets for one unit, where
    cores are small hull conflicts, RC2 for two or more units.
    """
    if k == 1 and f is not None and ts is not None and f.table in ((False, True), (True, False)):
        from .pencils import pencil_work

        if pencil_work(ts.num_points, ts.dim) <= PENCILS_MAX_WORK:
            return "pencils"
    return "hitting-sets" if k == 1 else "rc2"


PENCILS_LOWER_BOUND_S = 2.0
"""The most seconds the pencil engine spends first on a lower bound by disjoint cores (and a tenth of its time limit)."""


def _disjoint_cores(lazy: _Lazy, labels: Sequence[int], end: float) -> int:
    """A lower bound for one unit: disjoint untrainable subsets, each an exactly checked hull intersection.

    :func:`solvers.exact.hitting.harvest_cores` with the separator LP as the
    check: a hull certificate (small support) is set aside and the rest
    asked again, until they are separable or ``end`` passes.
    """
    from .hitting import Checked, harvest_cores

    def check(active: list[int]) -> Checked[ThresholdNetwork]:
        result = lazy.geometry.separate([i for i in active if labels[i]], [i for i in active if not labels[i]])
        if isinstance(result, IntHull):
            return Checked(core=tuple(sorted(set(result.positive) | set(result.negative))))
        network = network_from_separators([result], lazy.f, lazy.ts.denominator)
        return Checked(network=network, errors=len(count_errors(network, lazy.ts)))

    return len(harvest_cores(range(lazy.n), check, end=end)[0])


def _min_error_pencils(
    lazy: _Lazy, *, solver: str, start: float, stats: Any, common: dict[str, Any], bounds: "_Bounds"
) -> TrainResult:
    """One unit's minimum error by the exhaustive pencil sweep; the optimal dichotomy's unit found by exact LP.

    The sweep (:func:`solvers.exact.pencils.min_error_halfspace`) visits
    every hyperplane spanned by the data with exact predicates, so its
    minimum is proved by enumeration; a warm start's errors prune it.  The
    unit realising the optimal dichotomy comes from the exact separator LP,
    and its errors are counted exactly on the training set.
    """
    from .pencils import PencilTimeout, min_error_halfspace

    ts = lazy.ts
    # a learned output with one unit: the identity (a member of both families) reaches the minimum, since the
    # other tables give complements of halfspaces (halfspaces again) or constants (the sweep's w = 0)
    negated = lazy.f.table == (True, False)  # the network outputs NOT unit: the unit learns the flipped labels
    labels = [1 - int(y) if negated else int(y) for y in ts.labels]

    def network_of(positive: Sequence[bool]) -> ThresholdNetwork:
        pos = [i for i, s in enumerate(positive) if s]
        neg = [i for i, s in enumerate(positive) if not s]
        sep = lazy.geometry.separate(pos, neg)
        if not isinstance(sep, IntSeparator):  # pragma: no cover - the sweep returns realisable dichotomies
            raise RuntimeError("bug: the sweep's dichotomy has no separating unit")
        return network_from_separators([sep], lazy.f, ts.denominator)

    def sweep_stats(**extra: Any) -> dict[str, Any]:
        return stats(engine="pencils", **extra)

    upper = bounds.upper if bounds.network is not None else None
    # a proved lower bound first (cheap: 0.1 s on 569 points), for an UNKNOWN and as a check on the sweep
    budget = PENCILS_LOWER_BOUND_S
    if lazy.deadline is not None:
        budget = min(budget, 0.1 * max(0.0, lazy.deadline - time.perf_counter()))
    if budget > 0:
        try:
            bounds.raise_lower(_disjoint_cores(lazy, labels, time.perf_counter() + budget))
        except NumericalTroubleError:
            pass
    bar = lazy.bar

    def report(done: int, total: int) -> None:  # the run's progress line counts pencils (never backwards)
        bar.label, bar.total = "train-exact: pencils swept:", total
        if done > bar.done:
            bar.advance(done - bar.done)

    try:
        try:
            found = min_error_halfspace(ts.numerators, labels, deadline=lazy.deadline, upper=upper,
                                        progress=report if bar is not None else None)
        except PencilTimeout as stop:
            if stop.best is not None:
                bounds.offer(network_of(stop.best.positive))
            return bounds.unknown("time limit reached during the pencil sweep (the lower bound counts disjoint cores)",
                                  stats=sweep_stats(), time_s=time.perf_counter() - start, **common)
        bounds.offer(network_of(found.positive))
    except KeyboardInterrupt:
        return bounds.unknown("interrupted (Ctrl-C) during the pencil sweep", stats=sweep_stats(),
                              time_s=time.perf_counter() - start, **common)
    except NumericalTroubleError as exc:
        return bounds.unknown(f"numerical trouble: {exc}", stats=sweep_stats(), time_s=time.perf_counter() - start,
                              **common)
    if bounds.upper != found.errors:  # pragma: no cover - the separator realises the dichotomy exactly
        raise RuntimeError(f"bug: the sweep's optimum is {found.errors}, its unit makes {bounds.upper} errors")
    if bounds.lower > found.errors:  # pragma: no cover - two methods disagree: a bug somewhere
        raise RuntimeError(f"bug: {bounds.lower} disjoint cores but the sweep's optimum is {found.errors}")
    return bounds.optimum(
        found.errors, "exhaustive pencil sweep",
        stats=sweep_stats(pencils=found.pencils, exact_pencils=found.exact_pencils, affine_dimension=found.dimension,
                          optimality_proved_by="exhaustive sweep of the hyperplanes spanned by the data (exact predicates)"),
        time_s=time.perf_counter() - start, **common)


class _Bounds:
    """The anytime state of a minimum-error run: the best network (counted exactly) and the best lower bound.

    Shared by every engine and by warm starts; ``on_upper`` hears each
    improvement of the upper bound (the CLI's ``o ERRORS`` lines).
    """

    def __init__(self, ts: TrainingSet, on_upper: Callable[[int], None] | None = None) -> None:
        self.ts = ts
        self.on_upper = on_upper
        self.network: ThresholdNetwork | None = None
        self.misclassified: tuple[int, ...] | None = None
        self.lower = 0
        self.warm_start: dict[str, Any] = {}  # stats of a gradient-descent warm start, for the result

    @property
    def upper(self) -> int:
        return self.ts.num_points if self.misclassified is None else len(self.misclassified)

    def offer(self, network: ThresholdNetwork | None) -> None:
        if network is None:
            return
        wrong = count_errors(network, self.ts)
        if self.misclassified is None or len(wrong) < len(self.misclassified):
            self.network, self.misclassified = network, wrong
            if self.on_upper is not None:
                self.on_upper(len(wrong))

    def raise_lower(self, value: int) -> None:
        self.lower = max(self.lower, min(int(value), self.upper))

    def unknown(self, reason: str, **fields: Any) -> TrainResult:
        stats = dict(fields.pop("stats", {}))
        if self.misclassified is not None:
            stats["errors_upper_bound"] = len(self.misclassified)
            reason += f"; bounds [{self.lower}, {self.upper}]"
        return TrainResult(Status.UNKNOWN, network=self.network, misclassified=self.misclassified, reason=reason,
                           errors_lower=self.lower, stats=stats, **fields)

    def optimum(self, errors: int, proved_by: str, **fields: Any) -> TrainResult:
        if self.misclassified is None or len(self.misclassified) != errors:  # pragma: no cover - a bug
            raise RuntimeError(f"bug: the optimum {errors} is not attained by the best network")
        self.lower = errors
        return TrainResult(Status.SAT, network=self.network, errors=errors, misclassified=self.misclassified,
                           errors_lower=errors, **fields)


def _reprove_lower_bound(lazy: _Lazy, errors: int, solver: str) -> str:
    """A second solver confirms that fewer than ``errors`` mistakes are impossible.

    The hard clauses (hull conflicts, each an exactly checked geometric
    fact) plus "at least ``n - errors + 1`` points classified right" must be
    unsatisfiable.  Returns the solver's name; raises ``_Timeout`` at
    ``lazy.deadline``, the deadline RC2 worked towards.
    """
    if errors == 0:
        return "none needed"
    from pysat.card import CardEnc, EncType

    lazy.tick()
    selectors = [lazy.sel(p) for p in range(lazy.n)]
    card = CardEnc.atleast(selectors, bound=lazy.n - errors + 1, top_id=lazy.num_vars, encoding=EncType.seqcounter)
    name = solver if solver != "glucose4" else DEFAULT_SOLVER
    sat = _Sat(name, lazy.deadline)
    try:
        sat.add(lazy.label_clauses)
        sat.add(lazy.symmetry_clauses)
        sat.add(card.clauses)
        for conflict in lazy.conflicts:
            sat.add(lazy.conflict_clauses(conflict))
        lazy.tick()
        if sat.solve([]):
            raise RuntimeError(f"bug: {name} finds fewer than {errors} errors possible where RC2 proved {errors} optimal")
    finally:
        sat.close()
    return name


# ---------------------------------------------------------------------------
# the big-M MILP baseline
# ---------------------------------------------------------------------------


def _blum_rivest_vertices(ts: TrainingSet) -> int | None:
    """``n`` when ``ts`` has the shape of a Blum–Rivest set in ``n`` dimensions, else None.

    The shape: integer 0/1 coordinates; the origin labelled 1; every unit
    vector ``e_i`` labelled 0 and no other point labelled 0; every other
    point labelled 1.  The points may come in any order.
    """
    from reductions.blum_rivest import recognize_blum_rivest

    h = recognize_blum_rivest(ts)
    return None if h is None else h.num_vertices


def weight_bound(training_set: TrainingSet, hidden: int, output: str | OutputFunction | None = "and") -> tuple[int, str]:
    """A weight bound ``W`` with which the big-M MILP loses no network, and why.

    In integer coordinates (numerators ``x_p``), unit ``u``'s constraints are
    ``w·x_p - t >= 1`` where it fires and ``w·x_p - t <= 0`` where it is
    silent (any strict separator can be rescaled to margin 1).  If this
    system is feasible, it has a solution whose every coordinate is a ratio
    of subdeterminants of the integer matrix ``[A | b]`` with denominator at
    least 1 in absolute value (Cramer's rule on a minimal face; Schrijver
    1986, ch. 10), so ``|w_i|, |t| <= Delta``, the largest absolute
    subdeterminant.  By Hadamard's inequality ``Delta`` is at most the
    product of the ``d + 1`` largest row norms ``sqrt(|x_p|^2 + 2)``.

    On a training set of the Blum–Rivest shape with an AND output, the
    theorem of Blum & Rivest (1992) gives a much smaller sound bound: a fit
    exists iff the hypergraph of the positive 0/1 points is ``k``-colourable,
    and then the network with weight -2 on its own colour class and ``2n``
    elsewhere, threshold -1, satisfies the margin-1 constraints.  So
    ``W = max(2n, 1)`` loses nothing.

    Returns
    -------
    (int, str)
        The bound and a one-line justification.

    Examples
    --------
    >>> from reductions.generators import random_uniform_hypergraph
    >>> from reductions.blum_rivest import blum_rivest
    >>> weight_bound(blum_rivest(random_uniform_hypergraph(10, m=20, seed=0)), 2)[0]
    20
    """
    k = _resolve_hidden(hidden, training_set)
    f = resolve_output(output, k, training_set.metadata)
    if f.table == OutputFunction.named("and", k).table:
        n = _blum_rivest_vertices(training_set)
        if n is not None:
            return max(2 * n, 1), f"Blum–Rivest shape with AND output: weights -2 / 2n = {2 * n}, threshold -1 suffice"
    rows = [sum(int(x) * int(x) for x in row) + 2 for row in training_set.numerators]
    rows.sort(reverse=True)
    product = 1
    for r in rows[: training_set.dim + 1]:
        product *= r
    delta = math.isqrt(product)
    if delta * delta < product:
        delta += 1
    return max(delta, 1), "Hadamard bound on the subdeterminants of the margin-1 system (Cramer's rule)"


@dataclass(frozen=True)
class _MilpFrame:
    """Where the MILP works: the points as it sees them, its weight bound and big-Ms, and what its verdicts prove."""

    rows: tuple[tuple[float, ...], ...]  # one point per row, in the MILP's coordinates
    big_m: tuple[float, ...]  # per point: bound * (|row|_1 + 1) + 1 covers every |w·x - t| allowed
    bound: int
    proof: bool  # "infeasible" proves UNSAT and "optimal" proves a minimum
    coordinates: str
    why: str


def _milp_frame(ts: TrainingSet, k: int, f: OutputFunction, user_bound: int | None) -> _MilpFrame:
    """Decide the MILP's coordinates and weight bound, and whether its verdicts are proofs.

    * The integer numerators ``x`` with the proven bound ``W`` of
      :func:`weight_bound`, when every big-M ``W (|x|_1 + 1) + 1`` is at most
      ``_MAX_SAFE_BIG_M`` (so every coefficient is exact in floating point and
      HiGHS's integrality tolerance cannot fake a margin): verdicts are proofs.
    * A user's bound, on ``x`` too: a proof only when it covers ``W`` and
      its big-Ms are as safe.
    * Otherwise a heuristic.  Float data are the usual case: 0.1 is
      3602879701896397 / 2**55, so ``x`` and ``W`` are astronomic.  Each
      coordinate goes through the exact rational affine map
      ``x -> (2x - lo - hi) / (hi - lo)`` into ``[-1, 1]``, which changes no
      dichotomy (HiGHS gets the nearest floats), and the bound is the
      largest that keeps big-M within ``_MAX_SAFE_BIG_M`` there.  The
      partitions it finds are rebuilt into networks on the exact points as
      always, but neither infeasibility nor optimality proves anything.
    """
    sound, why = weight_bound(ts, k, f)
    ints = [[int(x) for x in row] for row in ts.numerators]
    norms = [sum(abs(x) for x in row) + 1 for row in ints]
    widest = max(norms, default=1)
    integer = "integer numerators"
    if user_bound is not None:
        bound = int(user_bound)
        safe = bound * widest + 1 <= _MAX_SAFE_BIG_M
        why = f"user-given bound {bound}" + (
            f" (below the proven bound {sound})" if bound < sound
            else " (covers the proven bound)" if safe
            else f" (covers the proven bound, but big-M {bound * widest + 1} exceeds the float-safe {_MAX_SAFE_BIG_M:g})"
        )
        rows = tuple(tuple(float(x) for x in row) for row in ints)
        return _MilpFrame(rows, tuple(float(bound * m + 1) for m in norms), bound, bound >= sound and safe, integer, why)
    if sound * widest + 1 <= _MAX_SAFE_BIG_M:
        rows = tuple(tuple(float(x) for x in row) for row in ints)
        return _MilpFrame(rows, tuple(float(sound * m + 1) for m in norms), sound, True, integer, why)
    d = ts.dim
    span = [(min((row[i] for row in ints), default=0), max((row[i] for row in ints), default=0)) for i in range(d)]
    rows = tuple(
        tuple(float(Fraction(2 * x - lo - hi, hi - lo)) if hi > lo else 0.0 for x, (lo, hi) in zip(row, span))
        for row in ints
    )
    bound = max(1, int(_MAX_SAFE_BIG_M - 1) // (d + 1))
    big_m = tuple(float(bound * (sum(abs(y) for y in row) + 1) + 1) for row in rows)
    why = (
        f"proven bound {sound} too large for floating point: a heuristic bound {bound} on coordinates "
        "mapped exactly into [-1, 1], not proven sufficient"
    )
    return _MilpFrame(rows, big_m, bound, False, "each coordinate mapped exactly into [-1, 1]", why)


def _train_milp(
    ts: TrainingSet, k: int, f: OutputFunction, *, deadline: float | None, min_error: bool,
    start: float, user_bound: int | None,
) -> TrainResult:
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    common: dict[str, Any] = {"method": "milp", "hidden": k, "output": f.name}
    n_pts, d = ts.num_points, ts.dim
    frame = _milp_frame(ts, k, f, user_bound)
    bound, why = frame.bound, frame.why
    # variable layout: per unit [w (d), t, z (n_pts)], then e (n_pts) for min-error
    per_unit = d + 1 + n_pts
    n_var = k * per_unit + (n_pts if min_error else 0)

    def wv(u: int, i: int) -> int:
        return u * per_unit + i

    def tv(u: int) -> int:
        return u * per_unit + d

    def zv(u: int, p: int) -> int:
        return u * per_unit + d + 1 + p

    def ev(p: int) -> int:
        return k * per_unit + p

    rows_i: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0

    def add_row(entries: list[tuple[int, float]], lower: float, upper: float) -> None:
        nonlocal r
        for c, v in entries:
            rows_i.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(lower)
        hi.append(upper)
        r += 1

    for u in range(k):
        for p in range(n_pts):
            m_p = frame.big_m[p]
            lin = [(wv(u, i), x) for i, x in enumerate(frame.rows[p]) if x != 0] + [(tv(u), -1.0)]
            # fires (z = 1): w·x - t >= 1; silent (z = 0): w·x - t <= 0.  Both
            # bounds of the one form w·x - t - M z go on one ranged row:
            # as two identical rows with different sides, HiGHS's presolve
            # (SciPy 1.17.1) declared a feasible model infeasible.
            add_row(lin + [(zv(u, p), -m_p)], 1.0 - m_p, 0.0)
    patterns = _forbidden_patterns(f)
    for p in range(n_pts):
        for b in patterns[int(ts.labels[p])]:
            ones = [u for u in range(k) if (b >> u) & 1]
            entries = [(zv(u, p), -1.0 if u in ones else 1.0) for u in range(k)]
            if min_error:
                entries.append((ev(p), 1.0))
            add_row(entries, 1.0 - len(ones), np.inf)
    integrality = np.zeros(n_var)
    lower = np.full(n_var, -float(bound))
    upper = np.full(n_var, float(bound))
    for u in range(k):
        for p in range(n_pts):
            integrality[zv(u, p)] = 1
            lower[zv(u, p)], upper[zv(u, p)] = 0, 1
    c = np.zeros(n_var)
    if min_error:
        for p in range(n_pts):
            integrality[ev(p)] = 1
            lower[ev(p)], upper[ev(p)] = 0, 1
            c[ev(p)] = 1.0
    constraints = []
    if r:
        a = sparse.csr_matrix((vals, (rows_i, cols)), shape=(r, n_var))
        constraints.append(LinearConstraint(a, np.array(lo), np.array(hi)))
    stats: dict[str, Any] = {
        "weight_bound": bound, "weight_bound_reason": why, "weight_bound_sound": frame.proof,
        "coordinates": frame.coordinates, "rows": r, "variables": n_var,
    }
    elapsed = lambda: time.perf_counter() - start
    options: dict[str, Any] = {"mip_rel_gap": 0.0}
    if deadline is not None:
        left = deadline - time.perf_counter()
        if left <= 0:
            return TrainResult(Status.UNKNOWN, time_s=elapsed(), stats=stats, reason="time limit reached", **common)
        options["time_limit"] = left
    res = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(lower, upper), options=options)
    stats.update(milp_status=int(res.status), milp_message=str(res.message))
    # SciPy reports HiGHS's "model error" with the status of infeasibility (2).
    infeasible = res.status == 2 and "infeasible" in str(res.message).lower()
    if res.x is None:
        if infeasible and not min_error:
            if frame.proof:
                return TrainResult(
                    Status.UNSAT, core=tuple(range(n_pts)), core_minimal=False, time_s=elapsed(), stats=stats, **common
                )
            return TrainResult(
                Status.UNKNOWN, time_s=elapsed(), stats=stats, **common,
                reason=f"no network with |weights| <= {bound}, but that bound is not proven sufficient ({why})",
            )
        if res.status == 1:
            return TrainResult(Status.UNKNOWN, time_s=elapsed(), stats=stats, reason="time limit reached", **common)
        if infeasible:  # min-error: all points wrong is always feasible
            return TrainResult(
                Status.UNKNOWN, time_s=elapsed(), stats=stats, **common,
                reason=f"numerical trouble: HiGHS calls the min-error model infeasible, which it is not ({res.message})",
            )
        return TrainResult(Status.UNKNOWN, time_s=elapsed(), stats=stats, reason=f"MILP: {res.message}", **common)
    # A (possibly only feasible) solution: rebuild every unit exactly from its partition.
    x = res.x
    geometry = Geometry([[int(v) for v in row] for row in ts.numerators], d)
    separators: list[IntSeparator] = []
    for u in range(k):
        fire = [p for p in range(n_pts) if x[zv(u, p)] > 0.5]
        silent = [p for p in range(n_pts) if x[zv(u, p)] <= 0.5]
        try:
            sep = geometry.separate(fire, silent)
        except NumericalTroubleError as exc:
            return TrainResult(Status.UNKNOWN, time_s=elapsed(), stats=stats, reason=f"numerical trouble: {exc}", **common)
        if not isinstance(sep, IntSeparator):
            return TrainResult(
                Status.UNKNOWN, time_s=elapsed(), stats=stats, **common,
                reason="the MILP's partition for a unit is not separable in exact arithmetic (float tolerance)",
            )
        separators.append(sep)
    network = network_from_separators(separators, f, ts.denominator)
    wrong = count_errors(network, ts)
    if not min_error:
        if wrong:
            return TrainResult(
                Status.UNKNOWN, time_s=elapsed(), stats=stats, **common,
                reason="the MILP's hidden patterns do not give the labels in exact arithmetic",
            )
        return TrainResult(Status.SAT, network=network, time_s=elapsed(), stats=stats, **common)
    claimed = int(round(res.fun))
    stats["errors_upper_bound"] = len(wrong)
    # No errors at all needs no bound to be optimal.
    optimal = not wrong or (res.status == 0 and frame.proof and len(wrong) == claimed)
    if not optimal:
        found = f"the network found makes {len(wrong)} errors (an upper bound)"
        reason = (
            f"time limit reached: {found}" if res.status == 1
            else f"optimum not proven ({why}): {found}" if not frame.proof
            else f"MILP objective {claimed} but its network makes {len(wrong)} errors exactly"
        )
        return TrainResult(
            Status.UNKNOWN, network=network, misclassified=wrong, time_s=elapsed(), stats=stats, reason=reason, **common
        )
    return TrainResult(Status.SAT, network=network, errors=len(wrong), misclassified=wrong, time_s=elapsed(), stats=stats, **common)


# ---------------------------------------------------------------------------
# front door
# ---------------------------------------------------------------------------


def train_exact(
    training_set: TrainingSet,
    hidden: int | None = None,
    *,
    output: str | OutputFunction | None = None,
    method: str = "lazy",
    min_error: bool = False,
    time_limit: float | None = None,
    minimize_core: bool | float = True,
    solver: str = DEFAULT_SOLVER,
    weight_bound: int | None = None,
    progress: bool = False,
    initial: "ThresholdNetwork | GDConfig | str | None" = None,
    on_upper: Callable[[int], None] | None = None,
) -> TrainResult:
    """Decide exactly whether a threshold network fits ``training_set``, or its minimum error.

    Parameters
    ----------
    training_set : TrainingSet
        Points with exact rational coordinates, labels 0/1.
    hidden : int, optional
        Number of hidden threshold units ``k`` (1..12); defaults to the
        training set's ``hidden_units`` metadata (set by the reductions).
    output : {"and", "or", "xor", "any", "monotone"} or OutputFunction, optional
        The output unit, a Boolean function of the ``k`` hidden outputs;
        defaults to the metadata's ``output``, else AND.  ``"any"`` learns
        the table too (the best over every Boolean function: what an MLP
        with a learned output layer can reach), ``"monotone"`` over the
        monotone ones (:data:`LEARNED_OUTPUTS`); the network returned
        carries the table found.  Lazy method only.
    method : {"lazy", "milp"}
        SAT + LP with hull conflicts (default), or the big-M MILP baseline.
    min_error : bool
        Find the fewest misclassified points instead (with ``lazy``: the
        exhaustive pencil sweep of :mod:`solvers.exact.pencils` for one unit in
        low dimension, implicit hitting sets for one unit beyond it, RC2
        MaxSAT for more, as :func:`_min_error_engine` decides; a MILP with
        error indicators for ``milp``).  Ctrl-C during the search returns
        UNKNOWN with the bounds reached (``errors_lower``, ``errors_upper``,
        ``network``).
    time_limit : float, optional
        Wall-clock seconds for the whole call, every phase included; the
        call returns within ``time_limit + TIME_LIMIT_GRACE_S`` (1 s).  A
        question not settled by then is UNKNOWN, never a wrong answer; in
        min-error mode an UNKNOWN may still carry the best network found
        (see :class:`TrainResult`).  An UNSAT verdict reached in time stays
        UNSAT: core minimisation stops at the deadline with the smallest
        core proved so far.
    minimize_core : bool or float
        Shrink an UNSAT core by deletion (``True``: up to 10 s; a number:
        that many seconds; ``False``: keep the solver's core).
    solver : str
        Incremental PySAT backend for the lazy method (default CaDiCaL 1.9.5).
    weight_bound : int, optional
        MILP only: force this weight bound.  An infeasible MILP is UNSAT
        only if the bound covers the proven one (:func:`weight_bound`),
        else UNKNOWN.
    progress : bool
        Lazy method: count the learned hull conflicts on standard error.
    initial : ThresholdNetwork, GDConfig or "gd", optional
        A warm start: any network of the architecture (for example a
        thresholded torch model through
        :meth:`ThresholdNetwork.from_numbers`), or ``"gd"`` (a
        :class:`~solvers.gd.networks.GDConfig`) to run the project's gradient
        descent first (:func:`warm_start_config`; it gets at most
        :data:`WARM_START_SHARE` of the time limit, and ``stats`` records
        it under ``warm_start_gd``).  Its mistakes are counted exactly.  If
        it fits, the answer is SAT at once.  Otherwise, in fit mode, the
        exact search starts next to it: the SAT solver prefers its hidden
        patterns (solution-guided phases), so a near-fit is repaired by a
        few hull conflicts; in min-error mode it is the first upper bound,
        and the answer is either its optimality or a network with fewer
        mistakes.  It never changes a verdict or an optimum.
    on_upper : callable, optional
        Min-error mode: called with the new upper bound each time a network
        with fewer mistakes is found (the CLI's ``o ERRORS`` lines).

    Returns
    -------
    TrainResult
        Exactly checked; see its attributes.

    References
    ----------
    A. L. Blum and R. L. Rivest, "Training a 3-node neural network is
    NP-complete", Neural Networks 5(1):117-127, 1992.

    Examples
    --------
    XOR of two bits: one unit cannot fit it, and the whole set is the proof
    (removing any point makes it separable); two units with an AND can.

    >>> ts = TrainingSet.from_points([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1])
    >>> train_exact(ts, 1).status.value, train_exact(ts, 2).status.value
    ('UNSAT', 'SAT')
    >>> train_exact(ts, 1).core
    (0, 1, 2, 3)
    >>> train_exact(ts, 1, min_error=True).errors
    1
    """
    from ..core.limits import check_time_limit

    start = time.perf_counter()
    if not isinstance(training_set, TrainingSet):
        raise InvalidInstanceError(f"train_exact needs a TrainingSet, got {type(training_set).__name__}")
    check_time_limit(time_limit)
    k = _resolve_hidden(hidden, training_set)
    learned = learned_output(resolve_output_name(training_set, output))
    f = OutputFunction.named("and", k) if learned else resolve_output(output, k, training_set.metadata)
    if method not in METHODS:
        raise InvalidInstanceError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if learned and method != "lazy":
        raise InvalidInstanceError(f"output={learned!r} (a learned output table) needs the lazy method")
    if weight_bound is not None:
        if method != "milp":
            raise InvalidInstanceError("weight_bound applies to the MILP method only")
        if isinstance(weight_bound, bool) or not isinstance(weight_bound, (int, np.integer)) or weight_bound < 1:
            raise InvalidInstanceError(f"weight_bound must be a positive integer, got {weight_bound!r}")
    if isinstance(minimize_core, (int, float)) and not isinstance(minimize_core, bool) and not minimize_core >= 0:
        raise InvalidInstanceError(f"minimize_core must be True, False or a number of seconds, got {minimize_core!r}")
    deadline = None if time_limit is None else start + float(time_limit)
    bounds = _Bounds(training_set, on_upper)
    if initial is not None and not isinstance(initial, ThresholdNetwork):
        from ..gd.networks import GDConfig

        if not (isinstance(initial, GDConfig) or (isinstance(initial, str) and initial == "gd")):
            got = repr(initial) if isinstance(initial, str) else type(initial).__name__
            raise InvalidInstanceError(f"initial must be a ThresholdNetwork, a GDConfig or 'gd', got {got}")
        initial, gd_stats = _gd_warm_start(initial, training_set, k, f, learned, deadline)
        bounds.warm_start = {"warm_start_gd": gd_stats}
    if initial is not None:
        _check_initial(initial, training_set, k, f, learned)
        bounds.offer(initial)
        if bounds.upper == 0:  # the warm start fits: nothing to search
            common = {"method": method, "hidden": k, "output": learned or f.name, "time_s": time.perf_counter() - start,
                      "stats": {"warm_start": "fits", **bounds.warm_start}}
            if min_error:
                return bounds.optimum(0, "the warm start fits", **common)
            return TrainResult(Status.SAT, network=initial, **common)
    if method == "milp":
        result = _train_milp(
            training_set, k, f, deadline=deadline, min_error=min_error, start=start, user_bound=weight_bound
        )
        if min_error and result.status is Status.SAT:
            result = replace(result, errors_lower=result.errors)
        elif min_error:
            bounds.offer(result.network)  # unproved: the better of its network and the warm start
            result = replace(result, network=bounds.network, misclassified=bounds.misclassified, errors_lower=0)
    else:
        _check_solver(solver, deadline)
        result = _train_lazy(
            training_set, k, f, deadline=deadline, solver=solver, minimize_core=minimize_core,
            min_error=min_error, start=start, progress=progress, bounds=bounds, learned=learned,
        )
    return replace(result, stats={**result.stats, **bounds.warm_start}) if bounds.warm_start else result


def warm_start_config(hidden: int, output: str = "and", **overrides: Any) -> "GDConfig":
    """The gradient descent run by ``train_exact(..., initial="gd")``: :data:`WARM_START_GD` with ``overrides``.

    A learned output table (``"any"``, ``"monotone"``) starts from an AND
    network, a member of both families.  Gradient descent trains AND, OR
    and XOR outputs only.
    """
    from ..gd.networks import GDConfig

    name = "and" if output in LEARNED_OUTPUTS else output
    if name not in ("and", "or", "xor"):
        raise InvalidInstanceError(
            f"a gradient-descent warm start trains and, or or xor outputs, not {output!r}; give a network instead"
        )
    return GDConfig(**{**WARM_START_GD, "hidden": hidden, "output": name, **overrides})


def _gd_warm_start(
    initial: Any, ts: TrainingSet, k: int, f: OutputFunction, learned: str | None, deadline: float | None,
) -> tuple[ThresholdNetwork | None, dict[str, Any]]:
    """Run gradient descent for a warm start (``initial`` is ``"gd"`` or a :class:`~solvers.gd.networks.GDConfig`).

    It gets at most :data:`WARM_START_SHARE` of the time left.  Returns its
    best network (judged exactly, or ``None``) and what to record in the
    result's ``stats``.
    """
    from ..gd.networks import train_gd

    if isinstance(initial, str):  # "gd", as train_exact checked
        config = warm_start_config(k, learned or f.name)
    else:
        config = initial
        _check_architecture("the warm start's GDConfig", config.hidden, config.output_function, k, f, learned)
    budget = None if deadline is None else max(WARM_START_SHARE * (deadline - time.perf_counter()), 1e-3)
    began = time.perf_counter()
    run = train_gd(ts, config, time_limit=budget)
    inst = run.instances[0]
    network = inst.network or inst.best_network
    return network, {"source": "gd", "restarts": config.restarts, "steps": config.steps,
                     "errors": None if network is None else inst.best_errors,
                     "time_s": round(time.perf_counter() - began, 3)}


def _check_initial(network: Any, ts: TrainingSet, k: int, f: OutputFunction, learned: str | None = None) -> None:
    """Refuse a warm start that is not a network of the architecture being trained."""
    if not isinstance(network, ThresholdNetwork):
        raise InvalidInstanceError(f"initial must be a ThresholdNetwork, got {type(network).__name__}")
    _check_architecture("the warm start", len(network.thresholds), network.output, k, f, learned)
    if any(len(w) != ts.dim for w in network.weights):
        raise InvalidInstanceError(f"the warm start's units take {len(network.weights[0])} inputs, the data has {ts.dim}")


def _check_architecture(what: str, units: int, output: OutputFunction, k: int, f: OutputFunction,
                        learned: str | None) -> None:
    """Refuse a warm start (a network, or gradient descent's settings) of another architecture than the run's."""
    if units != k:
        raise InvalidInstanceError(f"{what} has {units} hidden units, the run trains {k}")
    if learned == "monotone" and not is_monotone(output):
        raise InvalidInstanceError(f"{what} has the output function {output.name!r}, which is not monotone")
    if learned is None and tuple(output.table) != tuple(f.table):
        raise InvalidInstanceError(f"{what} trains {output.name!r}, the run's output is {f.name}")
