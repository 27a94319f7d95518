"""Exact deciders for Judd's loading problem: a SAT encoding, RC2 MaxSAT, two thirds.

:func:`encode_loading` turns a :class:`~reductions.loading.LoadingInstance`
into CNF over named variables (one :class:`pysat.formula.IDPool`):

* ``("T", k, b)`` — entry ``b`` of computing node ``k``'s truth table
  (bit ``i`` of ``b`` is the value of the ``i``-th node of its receptive field);
* ``("v", k, q)`` — the value of node ``k`` on its ``q``-th *support-cone
  pattern*.  A node's value depends only on the stimulus restricted to its
  support cone (Judd 1988), so stimuli that agree there share one variable;
  a node whose receptive field holds only inputs needs none: its value on a
  pattern *is* the table entry ``("T", k, b)``; and only patterns that some
  specified response depends on (through the nodes that read this one) get
  a literal at all;
* ``("ok", p)`` — pair ``p`` comes out right (only when not every pair is
  required);
* ``("sel", k, f)`` — node ``k`` takes the ``f``-th function of its family
  (only where selecting is cheaper than forbidding, see below).

Clauses:

* **consistency** — for every node ``k``, pattern ``q`` and assignment ``b``
  of its receptive field that the pattern's constant input bits allow:
  ``field = b -> (v <-> T_b)`` (two clauses);
* **family** — a lookup table is free; a threshold or AND/OR node's table
  must be one of the family's functions (:func:`~reductions.loading.family_functions`;
  threshold functions are enumerated with integer weights up to fan-in
  :data:`~reductions.loading.MAX_THRESHOLD_FANIN` = 4, AND/OR up to 12).
  Either the tables outside the family are forbidden by clauses over the
  ``2**k`` entries (one clause per cube of a Quine–McCluskey cover of the
  forbidden tables: 24 clauses of 4 literals exclude the 152 non-threshold
  tables of 3 inputs), or one selector per family member implies its table
  entries and one clause asks for a selector, whichever has fewer clauses
  (threshold: forbid up to fan-in 3, select at fan-in 4 with 1,882
  selectors; AND/OR: forbid up to fan-in 3);
* **functional consistency** (redundant) — a node takes equal values on two
  patterns whose receptive fields carry equal values: ``(v1 != v2) ->
  OR_i d_i`` with ``d_i -> (a_i != b_i)`` over the field literals.  Implied
  by the consistency clauses, it lets unit propagation see "these two
  patterns need different field values" without search through the truth
  table; without it CaDiCaL needed minutes on loading instances of
  100-variable formulas it decides in 10 ms directly;
* **task** — each specified response bit of pair ``p`` is a unit clause, or,
  when counting, ``ok_p -> bit``.

A model decodes, by name, to a :class:`~reductions.loading.Configuration`
(a threshold node gets the integer weights of its truth table), which is
checked with the public verifier :func:`~reductions.loading.loads` before
it is returned.

:func:`decide_loading` decides "at least ``k`` pairs right" (a cardinality
constraint over the ``ok`` variables when ``k`` is below the number of
pairs); :func:`max_loading` finds the largest number of pairs any
configuration gets right with RC2 (Ignatiev, Morgado & Marques-Silva 2019),
one soft clause per pair, and certifies the optimum by showing "one more"
UNSAT with a second SAT solver; :func:`decide_two_thirds` is Judd's
approximate problem.

References
----------
J. S. Judd, "On the complexity of loading shallow neural networks",
J. Complexity 4:177–192, 1988.
A. Ignatiev, A. Morgado, J. Marques-Silva, "RC2: an efficient MaxSAT solver",
J. Satisfiability, Boolean Modeling and Computation 11:53–64, 2019.
"""

from __future__ import annotations

import functools
import itertools
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
from pysat.formula import IDPool

from reductions.errors import InvalidInstanceError
from reductions.loading import (
    Configuration,
    Family,
    LoadingInstance,
    NodeFunction,
    TableFunction,
    family_functions,
    num_correct,
    two_thirds,
)

from ..core.deadline import run_with_deadline
from ..core.result import Result, Status, json_value, status_from_json, witness_from_json, witness_to_json
from ..core.limits import check_time_limit
from .sat import DEFAULT_SOLVER, solve_cnf_clauses

__all__ = [
    "LoadingEncoding",
    "encode_loading",
    "decide_loading",
    "decide_two_thirds",
    "MaxLoadingResult",
    "max_loading",
]


@dataclass(frozen=True)
class LoadingEncoding:
    """A CNF encoding of a loading instance, with named variables.

    Attributes
    ----------
    clauses : tuple of tuple of int
        Hard clauses, plain Python ints.
    pool : IDPool
        Variable names (see the module docstring).
    pair_literals : tuple of int
        ``ok_p`` per pair when ``counting``, else empty.
    counting : bool
        Whether pairs are soft (``ok_p -> pair right``) rather than required.
    decoder : callable
        ``decoder(true_ids) -> Configuration``.
    """

    clauses: tuple[tuple[int, ...], ...]
    pool: IDPool = field(compare=False, repr=False)
    pair_literals: tuple[int, ...]
    counting: bool
    decoder: Callable[[frozenset[int]], Configuration] = field(compare=False, repr=False)

    @property
    def num_vars(self) -> int:
        """Number of variables (``pool.top``)."""
        return self.pool.top

    def decode(self, model: Any) -> Configuration:
        """The configuration a model (signed literals) names."""
        return self.decoder(frozenset(lit for lit in model or () if lit > 0))


@functools.lru_cache(maxsize=None)
def _family_plan(family: Family, arity: int) -> tuple[str, np.ndarray | None, tuple[tuple[bool, ...], ...]]:
    """How a family restricts a truth table of ``2**arity`` entries: ``("free", ...)``,
    ``("forbid", clauses)`` with signed 1-based entry positions, or ``("select", tables)``."""
    allowed = family_functions(family, arity)
    if allowed is None:
        return "free", None, ()
    size = 2**arity
    forbid = 2**size - len(allowed) if size <= 8 else None  # tables outside the family
    select = len(allowed) * size + 1
    tables = tuple(allowed)
    if forbid is not None and forbid <= 4 * select:
        forbidden = [
            sum(1 << i for i, bit in enumerate(table) if bit)
            for table in itertools.product((False, True), repeat=size)
            if table not in allowed
        ]
        rows = []
        for value, mask in _cover(forbidden, size):  # one clause per cube of forbidden tables
            rows.append([0 if mask >> i & 1 else (-(i + 1) if value >> i & 1 else i + 1) for i in range(size)])
        if len(rows) <= select:
            return "forbid", np.array(rows, dtype=np.int64).reshape(len(rows), size), tables
    return "select", None, tables


def _cover(minterms: list[int], width: int) -> list[tuple[int, int]]:
    """A small set of cubes ``(value, mask)`` (mask bits free) covering exactly ``minterms``.

    Quine–McCluskey prime implicants, then a greedy cover; run once per
    family and fan-in (at most 256 minterms of 8 variables).
    """
    level = {(m, 0) for m in minterms}
    primes: set[tuple[int, int]] = set()
    while level:
        merged: set[tuple[int, int]] = set()
        used: set[tuple[int, int]] = set()
        by_mask: dict[int, set[int]] = {}
        for value, mask in level:
            by_mask.setdefault(mask, set()).add(value)
        for mask, values in by_mask.items():
            for value in values:
                for i in range(width):
                    bit = 1 << i
                    if not mask & bit and not value & bit and value | bit in values:
                        merged.add((value, mask | bit))
                        used.update({(value, mask), (value | bit, mask)})
        primes |= level - used
        level = merged
    uncovered = set(minterms)
    chosen = []

    def covers(cube: tuple[int, int]) -> set[int]:
        value, mask = cube
        return {m for m in uncovered if m & ~mask == value}

    while uncovered:
        best = max(sorted(primes), key=lambda cube: len(covers(cube)))
        chosen.append(best)
        uncovered -= covers(best)
    return chosen


def _family_clauses(
    pool: IDPool, k: int, family: Family, table_vars: list[int]
) -> tuple[list[tuple[int, ...]], Mapping[tuple[bool, ...], NodeFunction] | None]:
    """Clauses restricting a node's truth table to its family (see the module docstring)."""
    arity = len(table_vars).bit_length() - 1
    mode, template, tables = _family_plan(family, arity)
    if mode == "free":
        return [], None
    allowed = family_functions(family, arity)
    ids = np.array([0] + table_vars, dtype=np.int64)
    if mode == "forbid":
        assert template is not None
        if not len(template):
            return [], allowed
        clauses = np.sign(template) * ids[np.abs(template)]
        return [tuple(x for x in row if x) for row in clauses.tolist()], allowed
    out: list[tuple[int, ...]] = []
    selectors = []
    for f, table in enumerate(tables):
        s = pool.id(("sel", k, f))
        selectors.append(s)
        out.extend((-s, t if bit else -t) for t, bit in zip(table_vars, table))
    out.append(tuple(selectors))
    return out, allowed


def encode_loading(instance: LoadingInstance, *, counting: bool | None = None) -> LoadingEncoding:
    """Encode ``instance`` as CNF (see the module docstring).

    Parameters
    ----------
    instance : LoadingInstance
    counting : bool, optional
        Make pairs soft, with one ``ok_p`` literal each (for cardinality and
        MaxSAT).  Default: only when ``instance.required`` is below the
        number of pairs; the required count itself is not encoded here (see
        :func:`decide_loading`).

    Returns
    -------
    LoadingEncoding

    Raises
    ------
    InvalidInstanceError
        For a threshold node of fan-in above 4 or an AND/OR node above 12.

    Examples
    --------
    >>> from reductions.loading import Architecture, Node, Task
    >>> arch = Architecture(("x", "y"), (Node("h", (0, 1), Family.THRESHOLD),), (2,))
    >>> enc = encode_loading(LoadingInstance(arch, Task((("01", "1"), ("10", "1"), ("11", "0")))))
    >>> enc.pool.obj(1), len(enc.clauses)   # XOR and XNOR forbidden, three units
    (('T', 0, 0), 5)
    """
    arch = instance.architecture
    n_in = arch.num_inputs
    counting = instance.required < instance.num_pairs if counting is None else bool(counting)
    pool = IDPool()
    clauses: list[tuple[int, ...]] = []
    tables: list[list[int]] = []
    allowed_by_node: list[Mapping[tuple[bool, ...], NodeFunction] | None] = []
    for k, node in enumerate(arch.nodes):
        tv = [pool.id(("T", k, b)) for b in range(2**node.fan_in)]
        tables.append(tv)
        fam_clauses, allowed = _family_clauses(pool, k, node.family, tv)
        clauses.extend(fam_clauses)
        allowed_by_node.append(allowed)

    stimuli = instance.task.stimuli().reshape(instance.num_pairs, n_in)
    if len(stimuli):
        distinct, pair_stimulus = np.unique(stimuli, axis=0, return_inverse=True)
        pair_stimulus = pair_stimulus.reshape(-1)
    else:
        distinct, pair_stimulus = np.zeros((0, n_in), dtype=np.uint8), np.zeros(0, dtype=np.int64)
    num_stimuli = len(distinct)
    # pattern[k][s]: the support-cone pattern of computing node k on distinct stimulus s;
    # reps[k][q]: a stimulus with pattern q
    pattern: list[np.ndarray] = []
    reps: list[np.ndarray] = []
    for k, node in enumerate(arch.nodes):
        cone = list(arch.cones[k])
        if num_stimuli == 0:
            inverse, first = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        elif not cone:
            inverse, first = np.zeros(num_stimuli, dtype=np.int64), np.zeros(1, dtype=np.int64)
        elif len(cone) <= 62:  # the pattern as one integer: a 1-D unique is much faster
            keys = distinct[:, cone].astype(np.int64) @ (np.int64(1) << np.arange(len(cone), dtype=np.int64))
            _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        else:
            _, first, inverse = np.unique(distinct[:, cone], axis=0, return_index=True, return_inverse=True)
        pattern.append(inverse.reshape(-1))
        reps.append(first)
    responses = instance.task.responses().reshape(instance.num_pairs, arch.num_outputs)
    # only (node, pattern) values that a specified response depends on get a literal
    needed = [np.zeros(len(r), dtype=bool) for r in reps]
    for column, o in enumerate(arch.outputs):
        rows = np.flatnonzero(responses[:, column] >= 0)
        needed[o - n_in][pattern[o - n_in][pair_stimulus[rows]]] = True
    for k in range(arch.num_nodes - 1, -1, -1):
        stimuli_needed = reps[k][np.flatnonzero(needed[k])]
        for j in arch.nodes[k].field:
            if j >= n_in:
                needed[j - n_in][pattern[j - n_in][stimuli_needed]] = True
    # value[k][q]: the literal of node k's value on its pattern q (0 where not needed)
    value: list[np.ndarray] = []
    for k, node in enumerate(arch.nodes):
        tv = np.array(tables[k], dtype=np.int64)
        lit_of = np.zeros(len(reps[k]), dtype=np.int64)
        value.append(lit_of)
        qs = np.flatnonzero(needed[k])
        if not len(qs):
            continue
        at = reps[k][qs]
        # the receptive field on each pattern: input bits are constants, computing nodes literals
        const = [(i, j) for i, j in enumerate(node.field) if j < n_in]
        var = [(i, j) for i, j in enumerate(node.field) if j >= n_in]
        base = np.zeros(len(qs), dtype=np.int64)
        for i, j in const:
            base += distinct[at, j].astype(np.int64) << i
        if not var:
            lit_of[qs] = tv[base]
            continue
        lits = np.stack([value[j - n_in][pattern[j - n_in][at]] for _, j in var], axis=1)  # (q, r)
        v = np.array([pool.id(("v", k, int(q))) for q in qs], dtype=np.int64)
        lit_of[qs] = v
        r = len(var)
        bits = ((np.arange(2**r)[:, None] >> np.arange(r)) & 1).astype(bool)  # (2^r, r)
        guard = np.where(bits[None, :, :], -lits[:, None, :], lits[:, None, :])  # field != bits
        index = base[:, None] + bits.astype(np.int64) @ (np.int64(1) << np.array([i for i, _ in var], dtype=np.int64))
        t = tv[index]  # (q, 2^r)
        vv = np.broadcast_to(v[:, None], t.shape)
        # field = bits -> (v <-> T[index])
        first = np.concatenate([guard, -vv[..., None], t[..., None]], axis=2).reshape(-1, r + 2)
        second = np.concatenate([guard, vv[..., None], -t[..., None]], axis=2).reshape(-1, r + 2)
        clauses.extend(map(tuple, first.tolist()))
        clauses.extend(map(tuple, second.tolist()))
        clauses.extend(_functional_consistency(pool, base.tolist(), lits.tolist(), v.tolist()))

    ok = np.array([pool.id(("ok", p)) for p in range(instance.num_pairs)], dtype=np.int64) if counting else None
    pair_literals = tuple(ok.tolist()) if ok is not None else ()
    for column, o in enumerate(arch.outputs):
        want = responses[:, column]
        rows = np.flatnonzero(want >= 0)
        if not len(rows):
            continue
        lits = value[o - n_in][pattern[o - n_in][pair_stimulus[rows]]]
        signed = np.where(want[rows] == 1, lits, -lits)
        if ok is None:
            clauses.extend((x,) for x in dict.fromkeys(signed.tolist()))  # many pairs share a pattern
        else:
            clauses.extend(zip((-ok[rows]).tolist(), signed.tolist()))

    families = [node.family for node in arch.nodes]

    def decode(true: frozenset[int]) -> Configuration:
        functions: list[NodeFunction] = []
        for tv, family, allowed in zip(tables, families, allowed_by_node):
            table = tuple(t in true for t in tv)
            if allowed is None:
                functions.append(TableFunction(table))
            else:
                # a model satisfies the family clauses, so the table is a member;
                # a bad model falls back to a table and fails the verifier
                functions.append(allowed.get(table) or TableFunction(table))
        return Configuration(tuple(functions))

    return LoadingEncoding(tuple(clauses), pool, pair_literals, counting, decode)


_MAX_CONSISTENCY_PAIRS = 5000
"""Per node, the largest number of pattern pairs that get functional-consistency clauses."""


def _functional_consistency(
    pool: IDPool, base: list[int], lits: list[list[int]], values: list[int]
) -> list[tuple[int, ...]]:
    """Redundant clauses: a node gives equal values on two patterns whose receptive fields agree.

    For patterns ``q1, q2`` with the same constant input bits and field
    literals ``a_i``, ``b_i``: ``(v1 != v2) -> OR_i d_i`` with
    ``d_i -> (a_i != b_i)`` (``d`` shared by name, ``("d", a, b)``).  Every
    model of the consistency clauses extends to these (``d_i = a_i xor
    b_i``), so they change no verdict; they let unit propagation see at once
    that two patterns with different required outputs need different
    receptive-field values, which CDCL otherwise has to learn through the
    node's truth table.  Up to :data:`_MAX_CONSISTENCY_PAIRS` pairs per node.
    """
    out: list[tuple[int, ...]] = []
    groups: dict[int, list[int]] = {}
    for q, b in enumerate(base):
        groups.setdefault(b, []).append(q)
    budget = _MAX_CONSISTENCY_PAIRS
    for members in groups.values():
        for q1, q2 in itertools.combinations(members, 2):
            budget -= 1
            if budget < 0:
                return out
            v1, v2 = values[q1], values[q2]
            diffs = []
            for a, b in zip(lits[q1], lits[q2]):
                if a == b:
                    continue
                if a == -b:  # the fields differ for sure: nothing to add
                    break
                key = ("d", min(a, b), max(a, b))
                fresh = key not in pool.obj2id
                d = pool.id(key)
                if fresh:
                    out.append((-d, a, b))
                    out.append((-d, -a, -b))
                diffs.append(d)
            else:
                out.append(tuple(diffs) + (-v1, v2))
                out.append(tuple(diffs) + (v1, -v2))
    return out


def _cardinality(encoding: LoadingEncoding, bound: int) -> list[list[int]]:
    """Clauses for "at least ``bound`` of the ``ok`` literals", with fresh ids from the pool."""
    from pysat.card import CardEnc, EncType

    lits = list(encoding.pair_literals)
    if bound <= 0:
        return []
    if bound > len(lits):
        return [[]]
    if bound == len(lits):
        return [[lit] for lit in lits]
    card = CardEnc.atleast(lits=lits, bound=bound, vpool=encoding.pool, encoding=EncType.seqcounter)
    return [list(map(int, c)) for c in card.clauses]


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    return max(deadline - time.monotonic(), 1e-3)


def decide_loading(
    instance: LoadingInstance,
    *,
    solver: str = DEFAULT_SOLVER,
    time_limit: float | None = None,
    at_least: int | None = None,
) -> Result:
    """Decide whether some configuration gets at least ``at_least`` pairs right.

    Parameters
    ----------
    instance : LoadingInstance
    solver : str
        A PySAT backend (:data:`solvers.exact.sat.SOLVERS`).
    time_limit : float, optional
        Wall-clock seconds for the whole call; at the deadline the solver is
        stopped and the status is UNKNOWN (never a wrong verdict).
    at_least : int, optional
        Default ``instance.required`` (all pairs unless the instance says
        otherwise).  Below the number of pairs, a sequential-counter
        cardinality constraint (Sinz 2005) over the ``ok`` literals is added.

    Returns
    -------
    Result
        SAT carries a :class:`~reductions.loading.Configuration` that the
        public verifier has checked to get at least ``at_least`` pairs right;
        ``stats`` holds ``variables``, ``clauses``, ``encode_s``,
        ``solve_s``, ``verify_s``, ``correct`` and the solver's counters.

    Raises
    ------
    RuntimeError
        If a model fails the verifier (a bug, never silenced).

    Examples
    --------
    >>> from reductions.judd import cnf_to_loading
    >>> from reductions.problems import CNF
    >>> decide_loading(cnf_to_loading(CNF(1, [(1,), (-1,)]))).status
    <Status.UNSAT: 'UNSAT'>
    """
    start = time.perf_counter()
    check_time_limit(time_limit)
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    if not isinstance(instance, LoadingInstance):
        raise InvalidInstanceError(f"decide_loading takes a LoadingInstance, got {type(instance).__name__}")
    k = instance.required if at_least is None else at_least
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InvalidInstanceError(f"at_least must be an integer >= 0, got {k!r}")
    if k > instance.num_pairs:  # more pairs than the task has: no configuration
        return Result(Status.UNSAT, None, solver, time.perf_counter() - start, {"at_least": k, "method": "trivial"})
    encoding = encode_loading(instance, counting=k < instance.num_pairs)
    clauses = list(encoding.clauses)
    if encoding.counting:
        clauses += [tuple(c) for c in _cardinality(encoding, k)]
    encoded = time.perf_counter()
    if any(len(c) == 0 for c in clauses):
        status, model, solver_stats = Status.UNSAT, None, {"method": "trivial"}
    else:
        status, model, solver_stats = solve_cnf_clauses(
            encoding.pool.top, clauses, solver=solver, time_limit=_remaining(deadline)
        )
    solved = time.perf_counter()
    witness, correct = None, None
    if status is Status.SAT:
        witness = encoding.decode(model)
        correct = num_correct(instance, witness)
        if correct < k:
            raise RuntimeError(f"{solver} returned a configuration with {correct} pairs right, {k} required")
    end = time.perf_counter()
    stats = {
        "variables": encoding.pool.top,
        "clauses": len(clauses),
        "encode_s": encoded - start,
        "solve_s": solved - encoded,
        "verify_s": end - solved,
        "at_least": k,
        "correct": correct,
        **solver_stats,
    }
    return Result(status, witness, solver, end - start, stats)


def decide_two_thirds(
    instance: LoadingInstance, *, solver: str = DEFAULT_SOLVER, time_limit: float | None = None
) -> Result:
    """Judd's approximate problem: can a configuration get at least two thirds of the pairs right?

    ``at_least = ceil(2 * num_pairs / 3)``; see :func:`decide_loading`.
    """
    return decide_loading(instance, solver=solver, time_limit=time_limit, at_least=two_thirds(instance.num_pairs))


@dataclass(frozen=True)
class MaxLoadingResult:
    """The largest number of pairs any configuration gets right.

    Attributes
    ----------
    status : Status
        SAT if ``best >= required``, UNSAT if the optimum is below
        ``required``, UNKNOWN if RC2 ran out of time.
    best : int or None
        The optimum (None if unknown).
    num_pairs, required : int
    configuration : Configuration or None
        A configuration achieving ``best``, checked by the public verifier.
    optimal : bool
        RC2 proved the optimum.
    certified : Status
        Outcome of the independent check that ``best + 1`` pairs cannot be
        right (a cardinality encoding and a second SAT solver): UNSAT
        certifies the optimum; SAT would be a bug; UNKNOWN if it ran out of
        time or was not run; when ``best`` is every pair there is nothing to
        certify and the status is UNSAT.
    time_s : float
    stats : mapping
    """

    status: Status
    best: int | None
    num_pairs: int
    required: int
    configuration: Configuration | None
    optimal: bool
    certified: Status
    time_s: float
    stats: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready data (the configuration as node functions); :meth:`from_json` reads it back."""
        return {
            "status": self.status.value,
            "best": self.best,
            "num_pairs": self.num_pairs,
            "required": self.required,
            "optimal": self.optimal,
            "certified": self.certified.value,
            "witness": witness_to_json(self.configuration),
            "time_s": self.time_s,
            "stats": json_value(dict(self.stats)),
        }

    @classmethod
    def from_json(cls, obj: Any) -> "MaxLoadingResult":
        """The :class:`MaxLoadingResult` of a :meth:`to_json` object."""
        try:
            return cls(
                status=status_from_json(obj["status"]), best=obj["best"], num_pairs=int(obj["num_pairs"]),
                required=int(obj["required"]), configuration=witness_from_json(obj["witness"]),
                optimal=bool(obj["optimal"]), certified=status_from_json(obj["certified"]),
                time_s=float(obj["time_s"]), stats=dict(obj.get("stats") or {}),
            )
        except (KeyError, TypeError) as exc:
            raise InvalidInstanceError(f"not a max-loading result object: missing or malformed {exc}") from None


def _rc2(hard: list[tuple[int, ...]], soft: list[int], solver: str) -> tuple[list[int] | None, int | None]:
    from pysat.examples.rc2 import RC2
    from pysat.formula import WCNF

    wcnf = WCNF()
    for clause in hard:
        wcnf.append(list(clause))
    for lit in soft:
        wcnf.append([lit], weight=1)
    with RC2(wcnf, solver=solver) as rc2:
        model = rc2.compute()
        return (list(model), int(rc2.cost)) if model is not None else (None, None)


def _rc2_with_deadline(
    hard: list[tuple[int, ...]], soft: list[int], solver: str, deadline: float | None
) -> tuple[bool, list[int] | None, int | None]:
    """Run RC2, in a child process killed at ``deadline`` when there is one; ``(finished, model, cost)``."""
    run = run_with_deadline(_rc2, (hard, soft, solver), deadline=deadline, what="RC2")
    return (True, *run.value) if run.finished else (False, None, None)


def max_loading(
    instance: LoadingInstance,
    *,
    time_limit: float | None = None,
    rc2_solver: str = "g3",
    certify: bool = True,
    certify_solver: str = DEFAULT_SOLVER,
) -> MaxLoadingResult:
    """The largest number of pairs any configuration gets right, exactly, with RC2.

    Hard clauses: :func:`encode_loading` with ``counting=True``; one soft
    unit clause ``ok_p`` of weight 1 per pair.  RC2's optimal cost is the
    number of pairs no configuration can avoid getting wrong.  The returned
    configuration is checked with the public verifier to get exactly
    ``best`` pairs right; with ``certify``, "at least ``best + 1``" is
    encoded with a cardinality constraint and shown UNSAT by
    ``certify_solver`` (default CaDiCaL 1.9.5, a different solver from
    RC2's Glucose 3 oracle).

    Parameters
    ----------
    instance : LoadingInstance
    time_limit : float, optional
        Wall-clock seconds for everything; RC2 runs in a child process that
        is killed at the deadline (status UNKNOWN), and the certificate gets
        what is left.
    rc2_solver : str
        RC2's SAT oracle (PySAT's short names: ``g3``, ``g4``, ``cd19``, ...).
    certify : bool
        Run the independent optimality check.
    certify_solver : str
        Backend of :data:`solvers.exact.sat.SOLVERS` for the check.

    Examples
    --------
    >>> from reductions.judd import cnf_to_loading
    >>> from reductions.problems import CNF
    >>> r = max_loading(cnf_to_loading(CNF(1, [(1,), (-1,)])))
    >>> r.best, r.num_pairs, r.status.value, r.certified.value
    (4, 5, 'UNSAT', 'UNSAT')
    """
    start = time.perf_counter()
    check_time_limit(time_limit)
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    if not isinstance(instance, LoadingInstance):
        raise InvalidInstanceError(f"max_loading takes a LoadingInstance, got {type(instance).__name__}")
    encoding = encode_loading(instance, counting=True)
    encoded = time.perf_counter()
    hard = list(encoding.clauses)
    finished, model, cost = _rc2_with_deadline(hard, list(encoding.pair_literals), rc2_solver, deadline)
    solved = time.perf_counter()
    stats: dict[str, Any] = {
        "variables": encoding.pool.top,
        "hard_clauses": len(hard),
        "soft_clauses": len(encoding.pair_literals),
        "encode_s": encoded - start,
        "rc2_s": solved - encoded,
        "rc2_solver": rc2_solver,
    }
    n = instance.num_pairs
    if not finished:
        return MaxLoadingResult(Status.UNKNOWN, None, n, instance.required, None, False, Status.UNKNOWN,
                                time.perf_counter() - start, stats)
    if model is None:  # pragma: no cover - the hard clauses always have a model (all ok false)
        raise RuntimeError("RC2 found the hard clauses unsatisfiable; they never are")
    best = n - int(cost)
    config = encoding.decode(model)
    correct = num_correct(instance, config)
    if correct != best:
        raise RuntimeError(f"RC2 claims {best} pairs right but its configuration gets {correct}")
    certified = Status.UNSAT if best == n else Status.UNKNOWN
    if certify and best < n:
        check = decide_loading(instance, solver=certify_solver, time_limit=_remaining(deadline), at_least=best + 1)
        if check.status is Status.SAT:
            raise RuntimeError(f"{certify_solver} found {best + 1} pairs right; RC2 claimed {best} was optimal")
        certified = check.status
        stats["certify_s"] = check.time_s
        stats["certify_solver"] = certify_solver
    status = Status.SAT if best >= instance.required else Status.UNSAT
    return MaxLoadingResult(status, best, n, instance.required, config, True, certified,
                            time.perf_counter() - start, stats)
