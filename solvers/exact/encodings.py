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

import bisect
import functools
import itertools
import numbers
import operator
from dataclasses import InitVar, dataclass, field
from typing import Any, Callable, Iterable, Sequence

from pysat.formula import IDPool

from reductions.errors import InvalidInstanceError
from reductions.formats import check_declared_size
from reductions.problems import CNF, Graph, Hypergraph, NAEFormula

__all__ = ["Encoding", "encode"]

Decoder = Callable[[frozenset[int]], Any]
"""``decoder(true_ids) -> witness``, where ``true_ids`` are the variables set true."""


@dataclass(frozen=True)
class Encoding:
    """A CNF encoding of an instance, with the names of its variables.

    Only what the clauses or edges use is encoded: a declared variable or
    vertex that no clause or edge mentions gets no solver variable (the
    decoder gives it a fixed value), so a header declaring ten million
    variables costs nothing until a witness is built.

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
        The variables of the clauses a witness is read from.  Two models
        that agree on them give the same witness, so model counting blocks
        on these (and multiplies by ``choices ** free``).
    decoder : callable
        ``decoder(true_ids) -> witness``; use :meth:`decode`.
    free : int
        Positions of the witness (variables, vertices) that no clause
        mentions; each takes any of ``choices`` values in some witness.
    choices : int
        Values a free position takes (2, or the number of colours), so
        every model of the clauses stands for ``choices ** free`` witnesses
        (:func:`solvers.exact.sat.count_models` multiplies by it).
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
    free: int = 0
    choices: int = 2

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

    Only the ``u`` variables or vertices that clauses or edges mention are
    encoded (``u <= n``, the declared number); the others are false, or
    colour 0, in the witness, which always has one entry per declared
    variable or vertex.

    * A CNF keeps its clauses and ids: ``u`` variables, ``m`` clauses.
    * An NAE clause ``C`` gives ``C`` and its complement ``{¬l : l in C}``
      (some literal true and some false): ``u`` variables, ``2m`` clauses.
    * Set splitting (hypergraph 2-colouring), compact: each edge ``e`` gives
      ``OR_{v in e} x_v`` and ``OR_{v in e} ¬x_v``: ``u`` variables,
      ``2m`` clauses (+1 with symmetry breaking).
    * k-colouring, one-hot: per vertex one at-least-one clause and
      ``k(k-1)/2`` pairwise at-most-one clauses; per edge and colour
      ``OR_{v in e} ¬c(v, j)``: ``uk`` variables,
      ``u(1 + k(k-1)/2) + mk`` clauses (+1 with symmetry breaking, which
      also encodes at most ``u`` colours: more are never needed).

    Every encoding takes time linear in its output, and decoding linear in
    ``n``.  A declared ``n`` or ``colors`` above
    :data:`~reductions.formats.MAX_DECLARED_SIZE` is refused.

    Parameters
    ----------
    instance : CNF, NAEFormula, Hypergraph or Graph
    colors : int, optional
        Number of colours: a hypergraph defaults to 2 (set splitting), a
        graph needs it, formulas refuse it.
    symmetry_breaking : bool
        For colourings, fix the first vertex of the first edge to colour 0,
        and encode at most as many colours as there are used vertices.
        Permuting the colours maps proper colourings to proper colourings,
        so this never changes satisfiability; turn it off to count every
        colouring (:func:`solvers.exact.sat.count_models` always does).

    Returns
    -------
    Encoding

    Raises
    ------
    InvalidInstanceError
        For an unknown instance type, a graph without ``colors``, ``colors``
        below 1 or ``colors`` given for a formula; a declared size above
        :data:`~reductions.formats.MAX_DECLARED_SIZE`.

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
    return check_declared_size(int(colors), "colours")


def _name(pool: IDPool, keys: list[Any], ids: Sequence[int] | None = None) -> list[int]:
    """``[pool.id(key) for key in keys]``, at C speed when ``pool`` is fresh.

    A fresh pool hands out ``1, 2, ...`` in order, so the keys' ids (or the
    given ``ids``) are written into its public maps in one go (the
    encodings run on every solve); ``pool.top`` becomes the largest id.
    """
    if pool.top or pool.obj2id or getattr(pool, "_occupied", None) or getattr(pool, "with_neg", False):
        return [pool.id(key) for key in keys]
    ids = list(range(1, len(keys) + 1)) if ids is None else list(ids)
    pool.obj2id.update(zip(keys, ids))
    pool.id2obj.update(zip(ids, keys))
    pool.top = max(ids, default=0)
    return ids


class _GridPool(IDPool):
    """An :class:`IDPool` whose ``size`` grid keys have fixed ids, named only when used.

    ``key_id(key)`` is a grid key's id (or None for any other key) and
    ``id_key(i)`` the key of id ``i`` in ``1..size``.  The encoders name
    the keys the clauses use (:func:`_name`); the others are answered on
    demand, so a declared size costs no memory.  ``top`` is ``size``, and
    new keys get ids after the grid.
    """

    def __init__(self, size: int, key_id: Callable[[Any], int | None], id_key: Callable[[int], Any]) -> None:
        super().__init__()
        self._size, self._key_id, self._id_key = size, key_id, id_key

    def name(self, keys: list[Any]) -> list[int]:
        """Name grid ``keys`` (their fixed ids); return the ids."""
        ids = _name(self, keys, [self._key_id(key) for key in keys])
        self.top = self._size
        return ids

    def id(self, obj: Any = None) -> int:
        """The key's id: its grid id, or a new one after the grid."""
        if obj is not None and obj not in self.obj2id:
            vid = self._key_id(obj)
            if vid is not None:
                return vid
        return super().id(obj)

    def obj(self, vid: int) -> Any:
        """The key of ``vid``."""
        if vid not in self.id2obj and isinstance(vid, int) and 1 <= vid <= self._size:
            return self._id_key(vid)
        return super().obj(vid)


def _index(key: Any, tag: str, length: int) -> tuple[int, ...] | None:
    """The int fields of ``key`` when it is ``(tag, int, ...)`` of ``length``, else None."""
    if type(key) is tuple and len(key) == length and key[0] == tag and all(type(i) is int for i in key[1:]):
        return key[1:]
    return None


def _variable_pool(n: int) -> _GridPool:
    """``("x", i)`` is variable ``i``, for ``i`` in ``1..n`` (DIMACS ids)."""

    def key_id(key: Any) -> int | None:
        index = _index(key, "x", 2)
        return index[0] if index is not None and 1 <= index[0] <= n else None

    return _GridPool(n, key_id, lambda vid: ("x", vid))


def _used(edges: Iterable[Iterable[int]]) -> list[int]:
    """The distinct items of ``edges`` (variables, vertices), sorted."""
    return sorted(set(itertools.chain.from_iterable(edges)))


def _literal_encoding(n: int, clauses: tuple[tuple[int, ...], ...]) -> Encoding:
    """Clauses over ``("x", i)`` = ``i`` (DIMACS ids kept); the witness is the complete model.

    Only the variables the clauses mention are named; the others are false
    in the witness.
    """
    used = _used(map(abs, clause) for clause in clauses)
    pool = _variable_pool(n)
    pool.name([("x", v) for v in used])

    def decode(true: frozenset[int]) -> tuple[int, ...]:
        return tuple([v if v in true else -v for v in range(1, n + 1)])

    return Encoding(clauses, pool, n, tuple(used), decode, check=False, free=n - len(used), choices=2)


@encode.register
def _(instance: CNF, *, colors: int | None = None, symmetry_breaking: bool = True) -> Encoding:
    _no_colors(colors, "CNF")
    n = check_declared_size(instance.num_vars, "variables")
    return _literal_encoding(n, instance.clauses)


@encode.register
def _(instance: NAEFormula, *, colors: int | None = None, symmetry_breaking: bool = True) -> Encoding:
    _no_colors(colors, "NAE formula")
    n = check_declared_size(instance.num_vars, "variables")
    clauses: list[tuple[int, ...]] = []
    for clause in instance.clauses:
        clauses.append(clause)
        clauses.append(tuple(map(operator.neg, clause)))
    return _literal_encoding(n, tuple(clauses))


class _Order:
    """Vertices ``0..n-1`` renumbered to positions: the ``used`` ones first, then the others, each in order.

    So the solver's variables are numbered compactly from 1 whichever vertices
    the edges use, and a vertex in no edge still has a position (and an id)
    for anyone who asks, computed when asked.
    """

    def __init__(self, n: int, used: list[int]) -> None:
        self.n, self.used = n, used
        self.rank = {v: i for i, v in enumerate(used)}

    def position(self, v: int) -> int:
        """The position of vertex ``v``."""
        rank = self.rank.get(v)
        return rank if rank is not None else len(self.used) + v - bisect.bisect_left(self.used, v)

    def vertex(self, position: int) -> int:
        """The vertex at ``position`` (the inverse of :meth:`position`)."""
        u = len(self.used)
        if position < u:
            return self.used[position]
        q = position - u  # the q-th vertex in no edge: the smallest v with q + 1 such vertices in 0..v
        lo, hi = q, min(self.n - 1, q + u)
        while lo < hi:
            mid = (lo + hi) // 2
            if mid + 1 - bisect.bisect_right(self.used, mid) >= q + 1:
                hi = mid
            else:
                lo = mid + 1
        return lo


def _two_colouring(h: Hypergraph, symmetry_breaking: bool) -> Encoding:
    """``("x", v)`` true for colour 1; used vertices get ids ``1..u``; vertices in no edge get colour 0."""
    n = check_declared_size(h.num_vertices, "vertices")
    order = _Order(n, _used(h.edges))

    def key_id(key: Any) -> int | None:
        index = _index(key, "x", 2)
        return order.position(index[0]) + 1 if index is not None and 0 <= index[0] < n else None

    pool = _GridPool(n, key_id, lambda vid: ("x", order.vertex(vid - 1)))
    x = dict(zip(order.used, pool.name([("x", v) for v in order.used])))
    not_x = {v: -var for v, var in x.items()}
    positive, negative = x.__getitem__, not_x.__getitem__
    clauses: list[tuple[int, ...]] = []
    for edge in h.edges:  # map over C-level getitem: no Python call per literal
        clauses.append(tuple(map(positive, edge)))
        clauses.append(tuple(map(negative, edge)))
    if symmetry_breaking and h.edges:
        clauses.append((-x[h.edges[0][0]],))

    def decode(true: frozenset[int]) -> tuple[int, ...]:
        colour = [0] * n
        for var in true:
            if 1 <= var <= n:
                colour[order.vertex(var - 1)] = 1
        return tuple(colour)

    return Encoding(tuple(clauses), pool, n, tuple(x.values()), decode, check=False, free=n - len(order.used))


def _k_colouring(n: int, edges: tuple[tuple[int, ...], ...], k: int, symmetry_breaking: bool) -> Encoding:
    """One-hot ``("c", v, j)``, compact ids for the used vertices; vertices in no edge get colour 0.

    With symmetry breaking only the first ``w = min(k, u)`` colours of the
    ``u`` used vertices get clauses (that many always suffice), so the
    solver sees ``u w`` variables: ``("c", v, j)`` is ``p w + j + 1`` for
    ``j < w``, where ``p`` is ``v``'s position (:class:`_Order`), and the
    colours ``j >= w`` follow, after ``n w``.  ``num_vars`` is ``n k``.
    """
    n = check_declared_size(n, "vertices")
    order = _Order(n, _used(edges))
    used = order.used
    width = max(1, min(k, len(used))) if symmetry_breaking else k
    rest = k - width

    def key_id(key: Any) -> int | None:
        index = _index(key, "c", 3)
        if index is None or not (0 <= index[0] < n and 0 <= index[1] < k):
            return None
        p, j = order.position(index[0]), index[1]
        return p * width + j + 1 if j < width else n * width + p * rest + (j - width) + 1

    def id_key(vid: int) -> tuple[str, int, int]:
        if vid <= n * width:
            p, j = divmod(vid - 1, width)
        else:
            p, j = divmod(vid - 1 - n * width, rest)
            j += width
        return ("c", order.vertex(p), j)

    pool = _GridPool(n * k, key_id, id_key)
    flat = pool.name([("c", v, j) for v in used for j in range(width)])
    c = {v: flat[i * width:(i + 1) * width] for i, v in enumerate(used)}
    clauses: list[tuple[int, ...]] = []
    for row in c.values():
        clauses.append(tuple(row))
        clauses.extend((-row[a], -row[b]) for a in range(width) for b in range(a + 1, width))
    not_colour = [{v: -row[j] for v, row in c.items()}.__getitem__ for j in range(width)]
    for edge in edges:
        clauses.extend(tuple(map(lits, edge)) for lits in not_colour)
    if symmetry_breaking and edges:
        clauses.append((c[edges[0][0]][0],))

    def decode(true: frozenset[int]) -> tuple[int, ...]:
        # Each vertex's smallest true colour.  A used vertex with none gets -1, a bad model the
        # verifier rejects (at-least-one holds in every model); a vertex in no edge gets 0.
        best: dict[int, int] = {}
        for var in true:
            if 1 <= var <= n * k:
                _, v, j = id_key(var)
                if j < best.get(v, k):
                    best[v] = j
        colour = [0] * n
        for v in used:
            colour[v] = -1
        for v, j in best.items():
            colour[v] = j
        return tuple(colour)

    return Encoding(tuple(clauses), pool, n * k, tuple(flat), decode, check=False, free=n - len(used), choices=k)


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
