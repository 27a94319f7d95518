"""CNF encodings of trainhard's source problems, with named variables.

:func:`encode` is the front door: it turns a :class:`~reductions.problems.CNF`,
:class:`~reductions.problems.NAEFormula`, :class:`~reductions.problems.Hypergraph`
or :class:`~reductions.problems.Graph` into an :class:`Encoding`.  Each
encoding owns one :class:`pysat.formula.IDPool`; variables are named by
hashable keys (``("x", v)`` for a variable or a vertex's 2-colour,
``("c", v, j)`` for "vertex ``v`` has colour ``j``"), never numbered by hand,
so a model decodes to a witness by name.

Clauses are tuples of plain Python ints: PySAT reads a clause made of numpy
integers as a cardinality constraint and fails ("Native atmost constraints
are currently disabled"), so :class:`Encoding` refuses anything else.

Dispatch is by type (:func:`functools.singledispatch`); a new problem type
registers its own encoder with ``@encode.register``.
"""

from __future__ import annotations

import functools
import itertools
import numbers
import operator
from dataclasses import InitVar, dataclass, field
from typing import Any, Callable, Sequence

from pysat.formula import IDPool

from reductions.errors import InvalidInstanceError
from reductions.problems import CNF, Graph, Hypergraph, NAEFormula

__all__ = ["Encoding", "encode"]

Decoder = Callable[[frozenset[int]], Any]
"""``decoder(true_ids) -> witness``, where ``true_ids`` are the variables set true."""


@dataclass(frozen=True)
class Encoding:
    """A CNF encoding of an instance, with the names of its variables.

    Attributes
    ----------
    clauses : tuple of tuple of int
        The clauses in DIMACS notation, plain Python ints only.
    pool : pysat.formula.IDPool
        The names of the variables: ``pool.obj(i)`` is variable ``i``'s key,
        ``pool.id(key)`` its DIMACS id.
    num_vars : int
        Number of variables (``pool.top``); literals lie in ``±1..±num_vars``.
    primary : tuple of int
        The variables a witness is read from.  Two models that agree on them
        give the same witness, so model counting blocks on these.
    decoder : callable
        ``decoder(true_ids) -> witness``; use :meth:`decode`.
    check : bool
        Check the literals (not stored).  The encoders below build clauses
        from pool ids or from an already validated CNF and skip the check,
        which costs about as much as building the clauses.

    Raises
    ------
    InvalidInstanceError
        If a literal is not a plain ``int`` (numpy integers included), is 0,
        or lies outside ``±1..±num_vars``.
    """

    clauses: tuple[tuple[int, ...], ...]
    pool: IDPool = field(compare=False, repr=False)
    num_vars: int
    primary: tuple[int, ...] = field(repr=False)
    decoder: Decoder = field(compare=False, repr=False)
    check: InitVar[bool] = True

    def __post_init__(self, check: bool) -> None:
        if not check:
            return
        literals = list(itertools.chain.from_iterable(self.clauses))
        if literals:
            types = set(map(type, literals))
            if types != {int}:
                bad = next(t for t in types if t is not int)
                raise InvalidInstanceError(
                    f"clause literals must be plain Python ints, got {bad.__name__} "
                    "(PySAT reads numpy integers as cardinality constraints)"
                )
            low, high = min(literals), max(literals)
            if 0 in literals or high > self.num_vars or -low > self.num_vars:
                raise InvalidInstanceError(f"a literal is 0 or outside ±1..±{self.num_vars}")

    def decode(self, model: Sequence[int] | None) -> Any:
        """Turn a solver's model (signed literals) into the instance's witness.

        Variables missing from ``model`` count as false.
        """
        return self.decoder(frozenset(lit for lit in model or () if lit > 0))


@functools.singledispatch
def encode(instance: Any, *, colors: int | None = None, symmetry_breaking: bool = True) -> Encoding:
    """Encode ``instance`` as CNF.

    ================  ==============  =======================  =============================
    instance          ``colors``      variables                witness
    ================  ==============  =======================  =============================
    CNF               —               ``("x", i)`` = ``i``     signed literals ``±1..±n``
    NAEFormula        —               ``("x", i)`` = ``i``     signed literals ``±1..±n``
    Hypergraph        2 (default)     ``("x", v)``: colour 1   colours 0/1
    Hypergraph, Graph ``k >= 1``      ``("c", v, j)``          colours ``0..k-1``
    ================  ==============  =======================  =============================

    * A CNF keeps its clauses and ids: ``n`` variables, ``m`` clauses.
    * An NAE clause ``C`` gives ``C`` and its complement ``{¬l : l in C}``
      (some literal true and some false): ``n`` variables, ``2m`` clauses.
    * Set splitting (hypergraph 2-colouring), compact: each edge ``e`` gives
      ``OR_{v in e} x_v`` and ``OR_{v in e} ¬x_v``: ``n`` variables,
      ``2m`` clauses (+1 with symmetry breaking).
    * k-colouring, one-hot: per vertex one at-least-one clause and
      ``k(k-1)/2`` pairwise at-most-one clauses; per edge and colour
      ``OR_{v in e} ¬c(v, j)``: ``nk`` variables,
      ``n(1 + k(k-1)/2) + mk`` clauses (+1 with symmetry breaking).

    Every encoding takes time linear in its output.

    Parameters
    ----------
    instance : CNF, NAEFormula, Hypergraph or Graph
    colors : int, optional
        Number of colours: a hypergraph defaults to 2 (set splitting), a
        graph needs it, formulas refuse it.
    symmetry_breaking : bool
        For colourings, fix the first vertex of the first edge to colour 0.
        Permuting the colours maps proper colourings to proper colourings,
        so this never changes satisfiability; turn it off to count every
        colouring (:func:`solvers.sat.count_models` always does).

    Returns
    -------
    Encoding

    Raises
    ------
    InvalidInstanceError
        For an unknown instance type, a graph without ``colors``, ``colors``
        below 1 or ``colors`` given for a formula.

    Examples
    --------
    >>> enc = encode(Hypergraph(3, [(0, 1, 2)]))
    >>> enc.clauses
    ((1, 2, 3), (-1, -2, -3), (-1,))
    >>> enc.pool.obj(2), enc.num_vars
    (('x', 1), 3)
    >>> enc.decode([-1, 2, -3])
    (0, 1, 0)
    >>> encode(Graph(2, [(0, 1)]), colors=2, symmetry_breaking=False).clauses
    ((1, 2), (-1, -2), (3, 4), (-3, -4), (-1, -3), (-2, -4))
    """
    raise InvalidInstanceError(
        f"cannot encode a {type(instance).__name__} as CNF; "
        "expected a CNF, NAEFormula, Hypergraph or Graph"
    )


def _no_colors(colors: int | None, what: str) -> None:
    if colors is not None:
        raise InvalidInstanceError(f"colors applies to hypergraphs and graphs, not to a {what}")


def _colors(colors: int | None, default: int | None, what: str) -> int:
    if colors is None:
        if default is None:
            raise InvalidInstanceError(f"{what} colouring needs colors=K")
        return default
    if isinstance(colors, bool) or not isinstance(colors, numbers.Integral) or colors < 1:
        raise InvalidInstanceError(f"the number of colours must be an integer >= 1, got {colors!r}")
    return int(colors)


def _name(pool: IDPool, keys: list[Any]) -> list[int]:
    """``[pool.id(key) for key in keys]``, at C speed when ``pool`` is fresh.

    A fresh pool hands out ``1, 2, ...`` in order, so the keys' ids are
    written into its public maps in one go (the encodings run on every solve).
    """
    if pool.top or pool.obj2id or getattr(pool, "_occupied", None) or getattr(pool, "with_neg", False):
        return [pool.id(key) for key in keys]
    ids = range(1, len(keys) + 1)
    pool.obj2id.update(zip(keys, ids))
    pool.id2obj.update(zip(ids, keys))
    pool.top = len(keys)
    return list(ids)


def _literal_pool(n: int) -> IDPool:
    """A pool in which ``("x", i)`` is variable ``i`` (DIMACS ids kept)."""
    pool = IDPool()
    _name(pool, [("x", i) for i in range(1, n + 1)])
    return pool


def _literal_encoding(n: int, clauses: tuple[tuple[int, ...], ...]) -> Encoding:
    """Clauses over ``("x", 1..n)`` = ``1..n``; the witness is the complete model."""

    def decode(true: frozenset[int]) -> tuple[int, ...]:
        return tuple([v if v in true else -v for v in range(1, n + 1)])

    return Encoding(clauses, _literal_pool(n), n, tuple(range(1, n + 1)), decode, check=False)


@encode.register
def _(instance: CNF, *, colors: int | None = None, symmetry_breaking: bool = True) -> Encoding:
    _no_colors(colors, "CNF")
    n = instance.num_vars
    return _literal_encoding(n, instance.clauses)


@encode.register
def _(instance: NAEFormula, *, colors: int | None = None, symmetry_breaking: bool = True) -> Encoding:
    _no_colors(colors, "NAE formula")
    n = instance.num_vars
    clauses: list[tuple[int, ...]] = []
    for clause in instance.clauses:
        clauses.append(clause)
        clauses.append(tuple(map(operator.neg, clause)))
    return _literal_encoding(n, tuple(clauses))


def _two_colouring(h: Hypergraph, symmetry_breaking: bool) -> Encoding:
    pool = IDPool()
    x = _name(pool, [("x", v) for v in range(h.num_vertices)])  # true = colour 1
    not_x = [-var for var in x]
    positive, negative = x.__getitem__, not_x.__getitem__
    clauses: list[tuple[int, ...]] = []
    for edge in h.edges:  # map over C-level getitem: no Python call per literal
        clauses.append(tuple(map(positive, edge)))
        clauses.append(tuple(map(negative, edge)))
    if symmetry_breaking and h.edges:
        clauses.append((-x[h.edges[0][0]],))

    def decode(true: frozenset[int]) -> tuple[int, ...]:
        return tuple([1 if var in true else 0 for var in x])

    return Encoding(tuple(clauses), pool, pool.top, tuple(x), decode, check=False)


def _k_colouring(n: int, edges: tuple[tuple[int, ...], ...], k: int, symmetry_breaking: bool) -> Encoding:
    pool = IDPool()
    flat = _name(pool, [("c", v, j) for v in range(n) for j in range(k)])
    c = [flat[v * k:(v + 1) * k] for v in range(n)]
    clauses: list[tuple[int, ...]] = []
    for row in c:
        clauses.append(tuple(row))
        clauses.extend((-row[a], -row[b]) for a in range(k) for b in range(a + 1, k))
    not_colour = [[-c[v][j] for v in range(n)].__getitem__ for j in range(k)]
    for edge in edges:
        clauses.extend(tuple(map(lits, edge)) for lits in not_colour)
    if symmetry_breaking and edges:
        clauses.append((c[edges[0][0]][0],))

    def decode(true: frozenset[int]) -> tuple[int, ...]:
        # At-least-one holds in every model; -1 only marks a bad model (the verifier rejects it).
        return tuple([next((j for j in range(k) if row[j] in true), -1) for row in c])

    return Encoding(tuple(clauses), pool, pool.top, tuple(flat), decode, check=False)


@encode.register
def _(instance: Hypergraph, *, colors: int | None = None, symmetry_breaking: bool = True) -> Encoding:
    k = _colors(colors, 2, "hypergraph")
    if k == 2:
        return _two_colouring(instance, symmetry_breaking)
    return _k_colouring(instance.num_vertices, instance.edges, k, symmetry_breaking)


@encode.register
def _(instance: Graph, *, colors: int | None = None, symmetry_breaking: bool = True) -> Encoding:
    k = _colors(colors, None, "graph")
    return _k_colouring(instance.num_vertices, instance.edges, k, symmetry_breaking)
