"""Problem types and their public verifiers.

Every type is a frozen dataclass that validates itself in ``__post_init__``:
an object that exists is a well-formed instance.  Invalid data raises
:class:`~reductions.errors.InvalidInstanceError` (a ``ValueError``).

Verifiers (:func:`satisfies`, :func:`nae_satisfies`, :func:`is_splitting`,
:func:`is_coloring`, :func:`fits`) are exact: integers and fractions only,
never a float tolerance.  Every solver result in trainhard passes through them.
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import numbers
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .errors import InvalidInstanceError, WitnessError

__all__ = [
    "CNF",
    "NAEFormula",
    "Hypergraph",
    "Graph",
    "TrainingSet",
    "OutputFunction",
    "ThresholdNetwork",
    "Kind",
    "satisfies",
    "nae_satisfies",
    "is_splitting",
    "is_coloring",
    "fits",
    "as_exact",
    "verify",
    "kind_of",
]


class Kind(enum.Enum):
    """The decision problems trainhard knows, used to type reductions."""

    SAT = "sat"
    """CNF satisfiability; instance :class:`CNF`, witness a model."""
    NAE_SAT = "nae-sat"
    """Not-all-equal satisfiability; instance :class:`NAEFormula`."""
    SET_SPLITTING = "set-splitting"
    """Hypergraph 2-colouring; instance :class:`Hypergraph`, witness colours 0/1."""
    COLORING = "coloring"
    """Hypergraph or graph k-colouring (no monochromatic edge)."""
    TRAINING = "training"
    """Loading a training set into a threshold network; witness a network."""
    LOADING = "loading"
    """Judd's loading problem; instance :class:`~reductions.loading.LoadingInstance`,
    witness a :class:`~reductions.loading.Configuration`."""


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def _int(value: Any, what: str) -> int:
    """Return ``value`` as a plain Python int, refusing floats, bools and NaN."""
    if type(value) is int:
        return value
    if isinstance(value, (bool, np.bool_)):
        raise InvalidInstanceError(f"{what} must be an integer, got a boolean {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    raise InvalidInstanceError(f"{what} must be an integer, got {value!r}")


def as_exact(value: Any, what: str = "value") -> Fraction:
    """Convert ``value`` to an exact :class:`fractions.Fraction`.

    Integers, fractions, finite floats (taken at their exact binary value),
    decimal strings and ``"p/q"`` strings are accepted; NaN and infinities are
    refused.
    """
    if isinstance(value, (bool, np.bool_)):
        raise InvalidInstanceError(f"{what} must be a number, got a boolean {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Real):
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            raise InvalidInstanceError(f"{what} must be finite, got {value!r}")
        return Fraction(f)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise InvalidInstanceError(f"{what} is not a number: {value!r}") from None
    raise InvalidInstanceError(f"{what} must be a number, got {type(value).__name__}")


def _freeze(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _colouring(colouring: Sequence[int] | np.ndarray, n: int, k: int | None) -> tuple[int, ...]:
    """Validate a colouring's shape; return it as a tuple of ints."""
    colours = tuple(_int(c, "colour") for c in colouring)
    if len(colours) != n:
        raise WitnessError(f"a colouring needs one colour per vertex: {n} expected, got {len(colours)}")
    for v, c in enumerate(colours):
        if c < 0 or (k is not None and c >= k):
            bound = "" if k is None else f" < {k}"
            raise WitnessError(f"vertex {v} has colour {c}, expected 0 <= colour{bound}")
    return colours


# ---------------------------------------------------------------------------
# CNF and NAE formulas
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CNF:
    """A CNF formula over variables ``1..num_vars`` in DIMACS literal notation.

    Parameters
    ----------
    num_vars : int
        Number of variables; literals are ``±1..±num_vars``.
    clauses : sequence of sequences of int
        Clauses as tuples of nonzero DIMACS literals.  Repeated literals and
        tautologies are kept as given (DIMACS files contain them); the empty
        clause is allowed and makes the formula unsatisfiable.

    Examples
    --------
    >>> f = CNF(2, [[1, -2], [2]])
    >>> f.clauses
    ((1, -2), (2,))
    >>> satisfies(f, [1, 2]), satisfies(f, [-1, 2])
    (True, False)
    """

    num_vars: int
    clauses: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        n = _int(self.num_vars, "number of variables")
        if n < 0:
            raise InvalidInstanceError(f"number of variables must be >= 0, got {n}")
        clauses = []
        for j, clause in enumerate(self.clauses):
            lits = tuple(_int(lit, f"literal in clause {j}") for lit in clause)
            for lit in lits:
                if lit == 0:
                    raise InvalidInstanceError(f"clause {j}: literal 0 is not allowed inside a clause")
                if abs(lit) > n:
                    raise InvalidInstanceError(
                        f"clause {j}: literal {lit} is out of range for {n} variables"
                    )
            clauses.append(lits)
        object.__setattr__(self, "num_vars", n)
        object.__setattr__(self, "clauses", tuple(clauses))

    @property
    def num_clauses(self) -> int:
        """Number of clauses."""
        return len(self.clauses)


@dataclass(frozen=True)
class NAEFormula:
    """A not-all-equal SAT instance: the clauses of ``cnf`` read as NAE constraints.

    A clause is NAE-satisfied when it has at least one true and at least one
    false literal.  A clause with fewer than two literals can never be.
    """

    cnf: CNF

    def __post_init__(self) -> None:
        if not isinstance(self.cnf, CNF):
            raise InvalidInstanceError("NAEFormula wraps a CNF")

    @property
    def num_vars(self) -> int:
        """Number of variables."""
        return self.cnf.num_vars

    @property
    def clauses(self) -> tuple[tuple[int, ...], ...]:
        """The NAE clauses."""
        return self.cnf.clauses


def _model(cnf_vars: int, assignment: Iterable[int] | Mapping[int, bool]) -> dict[int, bool]:
    """Validate a model (signed literals or a ``{var: bool}`` mapping)."""
    values: dict[int, bool] = {}
    if isinstance(assignment, Mapping):
        items = ((_int(v, "variable"), bool(b)) for v, b in assignment.items())
    else:
        items = ((abs(lit), lit > 0) for lit in (_int(x, "literal") for x in assignment))
    for var, value in items:
        if var == 0 or var > cnf_vars:
            raise WitnessError(f"assignment mentions variable {var}, outside 1..{cnf_vars}")
        if values.get(var, value) != value:
            raise WitnessError(f"assignment sets variable {var} both true and false")
        values[var] = value
    if len(values) != cnf_vars:
        missing = next(v for v in range(1, cnf_vars + 1) if v not in values)
        raise WitnessError(f"assignment leaves variable {missing} unset ({len(values)} of {cnf_vars} set)")
    return values


def satisfies(cnf: CNF, assignment: Iterable[int] | Mapping[int, bool]) -> bool:
    """Whether a complete assignment satisfies every clause of ``cnf``.

    Parameters
    ----------
    cnf : CNF
    assignment : iterable of int or mapping
        Signed DIMACS literals, one per variable (a SAT solver's model), or a
        mapping ``{variable: bool}``.  Every variable must be set exactly once.

    Raises
    ------
    WitnessError
        If the assignment is malformed (missing or contradictory variables).
    """
    values = _model(cnf.num_vars, assignment)
    return all(any(values[abs(lit)] == (lit > 0) for lit in clause) for clause in cnf.clauses)


def nae_satisfies(formula: NAEFormula, assignment: Iterable[int] | Mapping[int, bool]) -> bool:
    """Whether every clause has a true and a false literal under ``assignment``."""
    values = _model(formula.num_vars, assignment)
    for clause in formula.clauses:
        seen = {values[abs(lit)] == (lit > 0) for lit in clause}
        if len(seen) < 2:
            return False
    return True


# ---------------------------------------------------------------------------
# hypergraphs and graphs
# ---------------------------------------------------------------------------


def _edges(edges: Iterable[Iterable[Any]], n: int, *, min_size: int = 1) -> tuple[tuple[int, ...], ...]:
    out = []
    for j, edge in enumerate(edges):
        verts = tuple(_int(v, f"vertex of edge {j}") for v in edge)
        if len(verts) < min_size:
            raise InvalidInstanceError(f"edge {j} has {len(verts)} vertices, at least {min_size} needed")
        for v in verts:
            if not 0 <= v < n:
                raise InvalidInstanceError(f"edge {j}: vertex {v} is out of range 0..{n - 1}")
        if len(set(verts)) != len(verts):
            raise InvalidInstanceError(f"edge {j} repeats a vertex: {verts}")
        out.append(verts)
    return tuple(out)


@dataclass(frozen=True)
class Hypergraph:
    """A hypergraph on vertices ``0..num_vertices-1``.

    Set splitting asks for a 2-colouring with no monochromatic edge; k-colouring
    asks the same with ``k`` colours (the *weak* colouring of hypergraphs).
    Edges are non-empty tuples of distinct vertices, kept in the given order;
    repeated edges are allowed (random models produce them).

    Examples
    --------
    >>> h = Hypergraph(3, [(0, 1, 2), (0, 1)])
    >>> is_splitting(h, [0, 1, 1]), is_splitting(h, [0, 0, 1])
    (True, False)
    """

    num_vertices: int
    edges: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        n = _int(self.num_vertices, "number of vertices")
        if n < 0:
            raise InvalidInstanceError(f"number of vertices must be >= 0, got {n}")
        object.__setattr__(self, "num_vertices", n)
        object.__setattr__(self, "edges", _edges(self.edges, n))

    @property
    def num_edges(self) -> int:
        """Number of edges (repeats counted)."""
        return len(self.edges)


@dataclass(frozen=True)
class Graph:
    """A simple undirected graph on vertices ``0..num_vertices-1``.

    Self-loops are refused (no proper colouring exists, and DIMACS ``.col``
    files that contain them are malformed).  Parallel edges are kept.  Use
    :meth:`from_networkx` / :meth:`to_networkx` to move to networkx.
    """

    num_vertices: int
    edges: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        n = _int(self.num_vertices, "number of vertices")
        if n < 0:
            raise InvalidInstanceError(f"number of vertices must be >= 0, got {n}")
        edges = _edges(self.edges, n, min_size=2)
        for j, e in enumerate(edges):
            if len(e) != 2:
                raise InvalidInstanceError(f"edge {j} has {len(e)} vertices; graph edges have 2")
        object.__setattr__(self, "num_vertices", n)
        object.__setattr__(self, "edges", edges)

    @property
    def num_edges(self) -> int:
        """Number of edges."""
        return len(self.edges)

    def to_hypergraph(self) -> Hypergraph:
        """The same edges as a 2-uniform :class:`Hypergraph`."""
        return Hypergraph(self.num_vertices, self.edges)

    def to_networkx(self) -> "Any":
        """A :class:`networkx.MultiGraph` with nodes ``0..n-1``."""
        import networkx as nx

        g = nx.MultiGraph()
        g.add_nodes_from(range(self.num_vertices))
        g.add_edges_from(self.edges)
        return g

    @classmethod
    def from_networkx(cls, graph: Any) -> "Graph":
        """Convert a networkx graph; nodes are numbered in ``graph.nodes`` order."""
        index = {v: i for i, v in enumerate(graph.nodes)}
        return cls(len(index), tuple((index[u], index[v]) for u, v in graph.edges()))


def is_coloring(
    instance: Hypergraph | Graph, colouring: Sequence[int] | np.ndarray, k: int | None = None
) -> bool:
    """Whether ``colouring`` leaves no edge monochromatic (and uses colours < k).

    Parameters
    ----------
    instance : Hypergraph or Graph
    colouring : sequence of int
        One colour (0-based) per vertex.
    k : int, optional
        Number of colours allowed; colours must lie in ``0..k-1``.

    Raises
    ------
    WitnessError
        If the colouring has the wrong length or a colour out of range.
    """
    colours = _colouring(colouring, instance.num_vertices, k)
    return all(len({colours[v] for v in edge}) > 1 for edge in instance.edges)


def is_splitting(hypergraph: Hypergraph, colouring: Sequence[int] | np.ndarray) -> bool:
    """Whether the 0/1 ``colouring`` splits every edge (set splitting)."""
    return is_coloring(hypergraph, colouring, 2)


# ---------------------------------------------------------------------------
# training sets
# ---------------------------------------------------------------------------


def _common_denominator(values: Iterable[Fraction]) -> int:
    den = 1
    for v in values:
        den = math.lcm(den, v.denominator)
    return den


def _int_array(rows: list[list[int]], shape: tuple[int, int]) -> np.ndarray:
    """Integers as int64 when they fit, else as an object array of Python ints."""
    flat = [x for row in rows for x in row]
    if all(-(2**62) < x < 2**62 for x in flat):
        return np.array(flat, dtype=np.int64).reshape(shape)
    return np.array(flat, dtype=object).reshape(shape)


@dataclass(frozen=True, eq=False)
class TrainingSet:
    """Labelled points with exact rational coordinates.

    The points are ``numerators / denominator``: ``numerators`` is an integer
    array of shape ``(num_points, dim)`` and ``denominator`` a positive int, so
    every coordinate is an exact rational.  Labels are 0/1.  Build one from
    any exact or float data with :meth:`from_points`.

    Parameters
    ----------
    numerators : numpy.ndarray
        Integer array ``(num_points, dim)``, int64 or object (Python ints).
    labels : numpy.ndarray
        Array of 0/1 of length ``num_points``.
    denominator : int
        Common positive denominator of all coordinates.
    metadata : mapping
        JSON-serialisable facts about the set (which reduction made it, the
        architecture it is meant for: ``hidden_units``, ``output``).

    Examples
    --------
    >>> ts = TrainingSet.from_points([[0, 0], ["1/2", 1]], [1, 0])
    >>> ts.denominator, ts.numerators.tolist()
    (2, [[0, 0], [1, 2]])
    >>> ts.point(1)
    (Fraction(1, 2), Fraction(1, 1))
    """

    numerators: np.ndarray
    labels: np.ndarray
    denominator: int = 1
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        num = np.asarray(self.numerators)
        if num.ndim != 2:
            raise InvalidInstanceError(f"points must be a 2-D array (points x dims), got shape {num.shape}")
        if num.dtype.kind not in "iuO":
            raise InvalidInstanceError(f"point numerators must be integers, got dtype {num.dtype}")
        if num.dtype.kind == "O":
            for x in num.flat:
                _int(x, "point coordinate numerator")
            num = _int_array([[int(x) for x in row] for row in num], num.shape)
        elif num.dtype != np.int64:
            num = num.astype(np.int64)
        labels = np.asarray(self.labels)
        if labels.ndim != 1 or labels.shape[0] != num.shape[0]:
            raise InvalidInstanceError(
                f"labels must be 1-D with one label per point: {num.shape[0]} points, labels of shape {labels.shape}"
            )
        if labels.dtype.kind == "f" and np.isnan(labels).any():
            raise InvalidInstanceError("labels contain NaN")
        if labels.size and not np.isin(labels, (0, 1)).all():
            bad = labels[~np.isin(labels, (0, 1))][0]
            raise InvalidInstanceError(f"labels must be 0 or 1, got {bad!r}")
        den = _int(self.denominator, "denominator")
        if den <= 0:
            raise InvalidInstanceError(f"denominator must be positive, got {den}")
        meta = dict(self.metadata)
        try:
            json.dumps(meta)
        except TypeError as exc:
            raise InvalidInstanceError(f"metadata must be JSON-serialisable: {exc}") from None
        object.__setattr__(self, "numerators", _freeze(np.array(num, copy=True)))
        object.__setattr__(self, "labels", _freeze(labels.astype(np.uint8)))
        object.__setattr__(self, "denominator", den)
        object.__setattr__(self, "metadata", meta)

    @classmethod
    def from_points(
        cls,
        points: Sequence[Sequence[Any]] | np.ndarray,
        labels: Sequence[int] | np.ndarray,
        *,
        metadata: Mapping[str, Any] | None = None,
    ) -> "TrainingSet":
        """Build a training set from numbers of any exact kind.

        Floats are taken at their exact binary value; NaN and infinities are
        refused.  The common denominator is the smallest possible.
        """
        arr = np.asarray(points, dtype=object)
        if arr.ndim == 1 and arr.size == 0:
            arr = arr.reshape(0, 0)
        if arr.ndim != 2:
            raise InvalidInstanceError(f"points must be a 2-D array (points x dims), got shape {arr.shape}")
        exact = [[as_exact(x, f"coordinate ({i}, {j})") for j, x in enumerate(row)] for i, row in enumerate(arr)]
        den = _common_denominator(x for row in exact for x in row)
        nums = [[int(x * den) for x in row] for row in exact]
        return cls(_int_array(nums, arr.shape), np.asarray(labels), den, dict(metadata or {}))

    @property
    def num_points(self) -> int:
        """Number of points."""
        return int(self.numerators.shape[0])

    @property
    def dim(self) -> int:
        """Dimension of the points."""
        return int(self.numerators.shape[1])

    def point(self, i: int) -> tuple[Fraction, ...]:
        """Point ``i`` as exact fractions."""
        return tuple(Fraction(int(x), self.denominator) for x in self.numerators[i])

    def to_float(self) -> np.ndarray:
        """The points as float64 (for gradient descent and plotting, not for judging)."""
        return self.numerators.astype(np.float64) / self.denominator

    def fingerprint(self) -> str:
        """SHA-256 of the exact content (points, labels, denominator), as hex."""
        h = hashlib.sha256()
        h.update(repr((self.numerators.shape, self.denominator)).encode())
        h.update(",".join(str(int(x)) for x in self.numerators.flat).encode())
        h.update(self.labels.tobytes())
        return h.hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TrainingSet):
            return NotImplemented
        return (
            self.numerators.shape == other.numerators.shape
            and self.denominator == other.denominator
            and bool(np.array_equal(self.labels, other.labels))
            and all(int(a) == int(b) for a, b in zip(self.numerators.flat, other.numerators.flat))
            and self.metadata == other.metadata
        )

    __hash__ = None  # type: ignore[assignment]


# ---------------------------------------------------------------------------
# threshold networks
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputFunction:
    """A Boolean function of the hidden units' outputs.

    ``table[b]`` is the output when hidden unit ``i`` outputs bit ``i`` of
    ``b``.  Use :meth:`named` for ``"and"``, ``"or"``, ``"xor"``.

    Examples
    --------
    >>> OutputFunction.named("and", 2).table
    (False, False, False, True)
    """

    arity: int
    table: tuple[bool, ...]
    name: str = "table"

    def __post_init__(self) -> None:
        k = _int(self.arity, "arity")
        if k < 0 or k > 20:
            raise InvalidInstanceError(f"output arity must be in 0..20, got {k}")
        table = tuple(bool(_int(b, "truth-table entry")) if not isinstance(b, bool) else b for b in self.table)
        if len(table) != 2**k:
            raise InvalidInstanceError(f"a truth table of arity {k} has {2**k} entries, got {len(table)}")
        object.__setattr__(self, "arity", k)
        object.__setattr__(self, "table", table)

    NAMES = ("and", "or", "xor")

    @classmethod
    def named(cls, name: str, arity: int) -> "OutputFunction":
        """``"and"``, ``"or"`` or ``"xor"`` of ``arity`` inputs."""
        rules = {
            "and": lambda b: b == 2**arity - 1,
            "or": lambda b: b != 0,
            "xor": lambda b: bin(b).count("1") % 2 == 1,
        }
        if name not in rules:
            raise InvalidInstanceError(f"unknown output function {name!r}; choose one of {', '.join(rules)}")
        return cls(arity, tuple(rules[name](b) for b in range(2**arity)), name)

    def __call__(self, bits: Sequence[bool]) -> bool:
        index = sum(1 << i for i, bit in enumerate(bits) if bit)
        return self.table[index]

    def to_json(self) -> dict[str, Any]:
        """JSON form: the name when it has one and its table matches, else the truth table."""
        if self.name in self.NAMES and OutputFunction.named(self.name, self.arity).table == self.table:
            return {"name": self.name}
        return {"table": [int(b) for b in self.table]}


@dataclass(frozen=True)
class ThresholdNetwork:
    """A one-hidden-layer network of linear threshold units.

    Hidden unit ``j`` outputs 1 exactly when ``weights[j] · x > thresholds[j]``
    (a strict inequality, as in Blum & Rivest 1992); the network outputs
    ``output(h_0, ..., h_{k-1})``.  Weights and thresholds are exact fractions.

    Examples
    --------
    >>> net = ThresholdNetwork.from_numbers([[1, 1], [-1, -1]], ["1/2", "-3/2"], "and")
    >>> net.classify([[0, 0], [1, 0], [1, 1]]).tolist()
    [0, 1, 0]
    """

    weights: tuple[tuple[Fraction, ...], ...]
    thresholds: tuple[Fraction, ...]
    output: OutputFunction

    def __post_init__(self) -> None:
        weights = tuple(tuple(as_exact(w, "weight") for w in row) for row in self.weights)
        thresholds = tuple(as_exact(t, "threshold") for t in self.thresholds)
        if len(weights) != len(thresholds):
            raise InvalidInstanceError(
                f"{len(weights)} weight vectors but {len(thresholds)} thresholds"
            )
        if len({len(row) for row in weights}) > 1:
            raise InvalidInstanceError("hidden units have weight vectors of different lengths")
        if not isinstance(self.output, OutputFunction):
            raise InvalidInstanceError("output must be an OutputFunction")
        if self.output.arity != len(weights):
            raise InvalidInstanceError(
                f"output function takes {self.output.arity} inputs but the network has {len(weights)} hidden units"
            )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "thresholds", thresholds)

    @classmethod
    def from_numbers(
        cls,
        weights: Sequence[Sequence[Any]],
        thresholds: Sequence[Any],
        output: str | OutputFunction = "and",
    ) -> "ThresholdNetwork":
        """Build from numbers of any exact kind and an output name or function."""
        if isinstance(output, str):
            output = OutputFunction.named(output, len(weights))
        return cls(
            tuple(tuple(as_exact(w, "weight") for w in row) for row in weights),
            tuple(as_exact(t, "threshold") for t in thresholds),
            output,
        )

    @property
    def hidden_units(self) -> int:
        """Number of hidden units."""
        return len(self.weights)

    @property
    def dim(self) -> int:
        """Input dimension (0 for a network without hidden units)."""
        return len(self.weights[0]) if self.weights else 0

    def hidden(self, points: TrainingSet | Sequence[Sequence[Any]] | np.ndarray) -> np.ndarray:
        """Exact hidden-unit outputs, a 0/1 array of shape ``(num_points, k)``."""
        ts = points if isinstance(points, TrainingSet) else TrainingSet.from_points(
            points, np.zeros(len(points), dtype=np.uint8)
        )
        if ts.num_points and ts.dim != self.dim and self.hidden_units:
            raise InvalidInstanceError(f"points have dimension {ts.dim}, the network expects {self.dim}")
        out = np.zeros((ts.num_points, self.hidden_units), dtype=np.uint8)
        for j, (row, theta) in enumerate(zip(self.weights, self.thresholds)):
            # w·(N/s) > t  <=>  r·(W·N) > T·q·s  with w = W/q, t = T/r, all integers.
            q = _common_denominator(row)
            w_int = [int(w * q) for w in row]
            dot = _dot(ts.numerators, w_int)
            rhs = theta.numerator * q * ts.denominator
            bound = max(int(np.abs(dot).max()) if dot.size else 0, 1) * theta.denominator
            if dot.dtype != np.int64 or bound >= 2**62 or abs(rhs) >= 2**62:
                dot = dot.astype(object)
            out[:, j] = np.asarray(dot * theta.denominator > rhs, dtype=np.uint8)
        return out

    def classify(self, points: TrainingSet | Sequence[Sequence[Any]] | np.ndarray) -> np.ndarray:
        """Exact 0/1 outputs of the network on ``points``."""
        h = self.hidden(points)
        index = (h.astype(np.int64) << np.arange(self.hidden_units, dtype=np.int64)).sum(axis=1)
        table = np.array(self.output.table, dtype=np.uint8)
        return table[index] if len(h) else np.zeros(0, dtype=np.uint8)


def _dot(numerators: np.ndarray, w_int: list[int]) -> np.ndarray:
    """Exact integer matrix-vector product, int64 when no overflow is possible."""
    if not w_int:
        return np.zeros(numerators.shape[0], dtype=np.int64)
    wmax = max(abs(w) for w in w_int)
    xmax = int(np.abs(numerators).max()) if numerators.size else 0
    if numerators.dtype == np.int64 and wmax * xmax * len(w_int) < 2**62 and wmax < 2**62:
        return numerators @ np.array(w_int, dtype=np.int64)
    obj = numerators.astype(object)
    return obj @ np.array(w_int, dtype=object)


def fits(network: ThresholdNetwork, training_set: TrainingSet) -> bool:
    """Whether ``network`` classifies every point of ``training_set`` correctly.

    Computed in exact integer arithmetic.

    Examples
    --------
    >>> ts = TrainingSet.from_points([[0], [1]], [0, 1])
    >>> fits(ThresholdNetwork.from_numbers([[1]], ["1/2"], "and"), ts)
    True
    """
    if training_set.num_points == 0:
        return True
    return bool(np.array_equal(network.classify(training_set), training_set.labels))


def verify(kind: Kind, instance: Any, witness: Any, *, colors: int | None = None) -> bool:
    """Check ``witness`` for ``instance`` with the public verifier of ``kind``.

    ``colors`` is the number of colours for :attr:`Kind.COLORING`.  A
    malformed witness gives ``False`` rather than an exception, so callers
    can use this as a plain predicate.
    """
    try:
        if kind is Kind.SAT:
            return satisfies(instance, witness)
        if kind is Kind.NAE_SAT:
            return nae_satisfies(instance, witness)
        if kind is Kind.SET_SPLITTING:
            return is_splitting(instance, witness)
        if kind is Kind.COLORING:
            return is_coloring(instance, witness, colors)
        if kind is Kind.TRAINING:
            return isinstance(witness, ThresholdNetwork) and fits(witness, instance)
        if kind is Kind.LOADING:
            from .loading import loads

            return loads(instance, witness)
    except InvalidInstanceError:
        return False
    raise InvalidInstanceError(f"no verifier for {kind!r}")


def kind_of(instance: Any, *, colors: int | None = None) -> Kind:
    """The decision problem an instance poses by default (a hypergraph with ``colors`` > 2 poses colouring)."""
    if isinstance(instance, CNF):
        return Kind.SAT
    if isinstance(instance, NAEFormula):
        return Kind.NAE_SAT
    if isinstance(instance, Hypergraph):
        return Kind.SET_SPLITTING if colors in (None, 2) else Kind.COLORING
    if isinstance(instance, Graph):
        return Kind.COLORING
    if isinstance(instance, TrainingSet):
        return Kind.TRAINING
    from .loading import LoadingInstance

    if isinstance(instance, LoadingInstance):
        return Kind.LOADING
    raise InvalidInstanceError(f"not a trainhard instance: {type(instance).__name__}")
