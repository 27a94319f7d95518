"""The textbook chain CNF -> 3-CNF -> NAE-SAT -> set splitting.

Each step is a Karp-style triple registered in :mod:`reductions.registry`.
References: Garey & Johnson, *Computers and Intractability* (1979), problems
LO1/LO2 and SP4 (set splitting, after Lovász 1973); Schaefer, "The complexity
of satisfiability problems", STOC 1978 (NAE-SAT).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from .errors import WitnessError
from .problems import CNF, Hypergraph, NAEFormula, is_splitting, nae_satisfies, satisfies

__all__ = [
    "cnf_to_3cnf",
    "cnf_to_3cnf_forward",
    "cnf_to_3cnf_backward",
    "sat_to_nae",
    "sat_to_nae_forward",
    "sat_to_nae_backward",
    "nae_to_splitting",
    "nae_to_splitting_forward",
    "nae_to_splitting_backward",
    "literal_vertex",
]


def _dedupe(clause: Sequence[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(clause))


def _plan(cnf: CNF) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """For each clause: (its deduplicated literals, the fresh variables it gets)."""
    plan = []
    fresh = cnf.num_vars
    for clause in cnf.clauses:
        lits = _dedupe(clause)
        need = {0: 3, 1: 2, 2: 1, 3: 0}.get(len(lits), len(lits) - 3)
        plan.append((lits, tuple(range(fresh + 1, fresh + 1 + need))))
        fresh += need
    return plan


def cnf_to_3cnf(cnf: CNF) -> CNF:
    """CNF -> 3-CNF: every clause becomes clauses of exactly three literals.

    Repeated literals are removed first.  A clause of length ``L`` becomes:
    ``L = 0``: the 8 clauses over 3 fresh variables (unsatisfiable);
    ``L = 1``: 4 clauses over 2 fresh variables; ``L = 2``: 2 clauses over 1
    fresh variable; ``L = 3``: itself; ``L > 3``: the chain
    ``(l1 l2 y1)(-y1 l3 y2)...(-y_{L-3} l_{L-1} l_L)`` with ``L - 3`` fresh
    variables and ``L - 2`` clauses.  The original variables keep their ids,
    so the backward map is a restriction.  Runs in O(total length) time.

    References
    ----------
    Garey & Johnson (1979), Theorem 3.1 (SAT to 3SAT); Karp (1972).

    Examples
    --------
    >>> cnf_to_3cnf(CNF(4, [(1, 2, 3, 4), (-1,)])).clauses
    ((1, 2, 5), (-5, 3, 4), (-1, 6, 7), (-1, 6, -7), (-1, -6, 7), (-1, -6, -7))
    """
    clauses: list[tuple[int, ...]] = []
    for lits, ys in _plan(cnf):
        if len(lits) == 0:
            a, b, c = ys
            clauses += [(sa * a, sb * b, sc * c) for sa in (1, -1) for sb in (1, -1) for sc in (1, -1)]
        elif len(lits) == 1:
            (l,), (a, b) = lits, ys
            clauses += [(l, a, b), (l, a, -b), (l, -a, b), (l, -a, -b)]
        elif len(lits) == 2:
            clauses += [lits + (ys[0],), lits + (-ys[0],)]
        elif len(lits) == 3:
            clauses.append(lits)
        else:
            clauses.append((lits[0], lits[1], ys[0]))
            for i in range(1, len(ys)):
                clauses.append((-ys[i - 1], lits[i + 1], ys[i]))
            clauses.append((-ys[-1], lits[-2], lits[-1]))
    total = cnf.num_vars + sum(len(ys) for _, ys in _plan(cnf))
    return CNF(total, tuple(clauses))


def _values(cnf: CNF, model: Iterable[int]) -> dict[int, bool]:
    model = tuple(model)
    if not satisfies(cnf, model):
        raise WitnessError("the source assignment does not satisfy the formula")
    return {abs(lit): lit > 0 for lit in model}


def _as_model(values: dict[int, bool], n: int) -> tuple[int, ...]:
    return tuple(v if values[v] else -v for v in range(1, n + 1))


def cnf_to_3cnf_forward(source: CNF, target: CNF, model: Iterable[int]) -> tuple[int, ...]:
    """Extend a model of the CNF to the fresh variables of its 3-CNF.

    In a chain, ``y_i`` is true exactly when none of ``l_1..l_{i+1}`` is.
    Other fresh variables are set false.
    """
    values = _values(source, model)
    for lits, ys in _plan(source):
        if len(lits) > 3:
            true = [values[abs(l)] == (l > 0) for l in lits]
            for i, y in enumerate(ys):  # ys[i] is true iff lits[0..i+1] are all false
                values[y] = not any(true[: i + 2])
        else:
            for y in ys:
                values[y] = False
    return _as_model(values, target.num_vars)


def cnf_to_3cnf_backward(source: CNF, target: CNF, model: Iterable[int]) -> tuple[int, ...]:
    """Restrict a model of the 3-CNF to the original variables."""
    values = _values(target, model)
    return _as_model(values, source.num_vars)


def sat_to_nae(cnf: CNF) -> NAEFormula:
    """SAT -> NAE-SAT: add one sentinel variable ``z = n + 1`` to every clause.

    The output has ``n + 1`` variables and the same number of clauses, each
    one literal longer; from 3-CNF it gives NAE-4-SAT.  A model of the CNF with
    ``z`` false NAE-satisfies every clause; conversely the complement of an
    NAE model is one too, so one with ``z`` false exists and its restriction
    satisfies the CNF.  Runs in O(total length) time.

    References
    ----------
    Schaefer (1978); Garey & Johnson (1979), problem LO3.

    Examples
    --------
    >>> sat_to_nae(CNF(2, [(1, -2), (2,)])).clauses
    ((1, -2, 3), (2, 3))
    """
    z = cnf.num_vars + 1
    return NAEFormula(CNF(z, tuple(tuple(c) + (z,) for c in cnf.clauses)))


def sat_to_nae_forward(source: CNF, target: NAEFormula, model: Iterable[int]) -> tuple[int, ...]:
    """A model of the CNF, with the sentinel false."""
    values = _values(source, model)
    values[target.num_vars] = False
    return _as_model(values, target.num_vars)


def sat_to_nae_backward(source: CNF, target: NAEFormula, model: Iterable[int]) -> tuple[int, ...]:
    """Complement the NAE model if the sentinel is true, then restrict."""
    model = tuple(model)
    if not nae_satisfies(target, model):
        raise WitnessError("the target assignment does not NAE-satisfy the formula")
    values = {abs(lit): lit > 0 for lit in model}
    flip = values[target.num_vars]
    return tuple(v if values[v] != flip else -v for v in range(1, source.num_vars + 1))


def literal_vertex(literal: int) -> int:
    """The set-splitting element of a literal: ``x_i -> 2(i-1)``, ``-x_i -> 2(i-1)+1``."""
    return 2 * (abs(literal) - 1) + (literal < 0)


def nae_to_splitting(formula: NAEFormula) -> Hypergraph:
    """NAE-SAT -> set splitting: elements are literals, one set per clause, plus ``{x_i, -x_i}``.

    The output has ``2n`` vertices (literal ``x_i`` is vertex ``2(i-1)``,
    ``-x_i`` is ``2(i-1)+1``) and ``m + n`` edges: first the clauses (repeated
    literals removed), then the pairs.  An empty clause, which no assignment
    NAE-satisfies, becomes the unsplittable edge ``(0,)`` (with one vertex
    added when ``n = 0``).  Runs in O(n + total length) time.

    References
    ----------
    Garey & Johnson (1979), problem SP4 (set splitting); Lovász (1973).

    Examples
    --------
    >>> nae_to_splitting(NAEFormula(CNF(2, [(1, -2)]))).edges
    ((0, 3), (0, 1), (2, 3))
    """
    n = formula.num_vars
    has_empty = any(len(c) == 0 for c in formula.clauses)
    vertices = max(2 * n, 1) if has_empty else 2 * n
    edges = [tuple(literal_vertex(l) for l in _dedupe(c)) if c else (0,) for c in formula.clauses]
    edges += [(2 * i, 2 * i + 1) for i in range(n)]
    return Hypergraph(vertices, tuple(edges))


def nae_to_splitting_forward(source: NAEFormula, target: Hypergraph, model: Iterable[int]) -> tuple[int, ...]:
    """Colour each literal's vertex 1 when the literal is true."""
    model = tuple(model)
    if not nae_satisfies(source, model):
        raise WitnessError("the source assignment does not NAE-satisfy the formula")
    colours = [0] * target.num_vertices
    for lit in model:
        colours[literal_vertex(lit)] = 1
    return tuple(colours)


def nae_to_splitting_backward(source: NAEFormula, target: Hypergraph, colouring: Sequence[int]) -> tuple[int, ...]:
    """Variable ``x_i`` is true when vertex ``2(i-1)`` has colour 1."""
    if not is_splitting(target, colouring):
        raise WitnessError("the target colouring is not a splitting")
    return tuple(v if colouring[2 * (v - 1)] == 1 else -v for v in range(1, source.num_vars + 1))
