"""Judd's loading problem: architectures, tasks, configurations and the public verifier.

Judd (1987, 1988, 1990) formalised supervised training of a feed-forward
network as *loading*: given an **architecture** (input nodes, computing nodes
each with its *receptive field*, the nodes it reads, and output nodes) and a
**task** (stimulus/response pairs, a response bit may be "don't care"), choose
one function from a *node-function family* for every computing node, a
**configuration**, so that the network maps every stimulus to its response.

This module holds the types and the exact, public verifier:

* :class:`Family` — the node-function families: every Boolean function of the
  fan-in (lookup tables), linearly separable functions (threshold units with
  integer weights) and AND/OR of literals.  ``AND_OR ⊂ THRESHOLD ⊂ TABLE``.
* :class:`TableFunction`, :class:`ThresholdFunction`, :class:`AndOrFunction` —
  node functions; :func:`in_family` says which family admits which.
* :class:`Architecture`, :class:`Task`, :class:`LoadingInstance`,
  :class:`Configuration`;
* :func:`run_network`, :func:`evaluate`, :func:`correct_pairs`,
  :func:`num_correct` and :func:`loads` (the verifier: at least
  ``instance.required`` pairs right, by default all of them);
* :func:`family_functions` — the functions of a family and fan-in, one per
  truth table, enumerated with integer weights for threshold units up to
  fan-in :data:`MAX_THRESHOLD_FANIN`;
* the versioned JSON format ``trainhard-loading`` (:func:`loading_to_json`,
  :func:`parse_loading`, :func:`load_loading`, :func:`save_loading`);
* :func:`tensor_view` and :func:`configuration_from_weights` — the
  architecture as plain numpy arrays for a gradient-descent engine, and the
  exact way back from real weights to a configuration the verifier judges.

Pure Python and numpy: no torch, no pysat, no scipy.

References
----------
J. S. Judd, "On the complexity of loading shallow neural networks",
J. Complexity 4:177–192, 1988.
J. S. Judd, *Neural Network Design and the Complexity of Learning*, MIT Press, 1990.
"""

from __future__ import annotations

import enum
import functools
import itertools
import json
import json.scanner
import math
import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .errors import FormatError, InvalidInstanceError, WitnessError

__all__ = [
    "Family",
    "TableFunction",
    "ThresholdFunction",
    "AndOrFunction",
    "NodeFunction",
    "Node",
    "Architecture",
    "Task",
    "LoadingInstance",
    "Configuration",
    "in_family",
    "as_family",
    "family_functions",
    "threshold_functions",
    "run_network",
    "evaluate",
    "correct_pairs",
    "num_correct",
    "loads",
    "check_configuration",
    "two_thirds",
    "LOADING_FORMAT",
    "LOADING_VERSION",
    "MAX_TABLE_FANIN",
    "MAX_THRESHOLD_FANIN",
    "loading_to_json",
    "loading_from_json",
    "parse_loading",
    "format_loading",
    "load_loading",
    "save_loading",
    "configuration_to_json",
    "configuration_from_json",
    "TensorView",
    "tensor_view",
    "configuration_from_weights",
]

LOADING_FORMAT = "trainhard-loading"
"""The ``"format"`` field of a loading-instance JSON file."""
LOADING_VERSION = 1
"""The ``"version"`` of loading JSON files this module writes and reads."""
MAX_TABLE_FANIN = 16
"""Largest fan-in of a lookup table (``2**16`` entries)."""
MAX_THRESHOLD_FANIN = 4
"""Largest fan-in for which :func:`threshold_functions` enumerates the threshold
functions (1,882 of them at fan-in 4; there are 94,572 at fan-in 5)."""


# ---------------------------------------------------------------------------
# node functions and families
# ---------------------------------------------------------------------------


class Family(enum.Enum):
    """A node-function family: the functions a computing node may take.

    ``AND_OR ⊂ THRESHOLD ⊂ TABLE``: an AND or OR of literals is a threshold
    function, and every threshold function has a truth table.
    """

    TABLE = "table"
    """Every Boolean function of the fan-in (a lookup table)."""
    THRESHOLD = "threshold"
    """Linearly separable functions: ``w·x > t`` with integer ``w`` and ``t``."""
    AND_OR = "and-or"
    """AND or OR of the inputs, each input possibly negated."""


def _bit_matrix(k: int) -> np.ndarray:
    """All ``2**k`` input vectors, row ``b`` holding the bits of ``b`` (bit ``i`` = input ``i``)."""
    idx = np.arange(2**k, dtype=np.int64)
    return ((idx[:, None] >> np.arange(k, dtype=np.int64)) & 1).astype(np.int64)


def _check_bits(bits: np.ndarray, k: int) -> np.ndarray:
    bits = np.asarray(bits)
    if bits.ndim != 2 or bits.shape[1] != k:
        raise InvalidInstanceError(f"expected input bits of shape (rows, {k}), got {bits.shape}")
    return bits


@dataclass(frozen=True)
class TableFunction:
    """A Boolean function given by its truth table.

    ``table[b]`` is the output when input ``i`` (in receptive-field order)
    carries bit ``i`` of ``b``.

    Examples
    --------
    >>> xor = TableFunction((False, True, True, False))
    >>> xor.arity, xor((1, 0)), xor((1, 1))
    (2, 1, 0)
    """

    table: tuple[bool, ...]

    def __post_init__(self) -> None:
        table = tuple(self.table)
        for entry in table:
            if not isinstance(entry, (bool, np.bool_)) and entry not in (0, 1):
                raise InvalidInstanceError(f"a truth-table entry must be 0/1 or a boolean, got {entry!r}")
        n = len(table)
        k = n.bit_length() - 1
        if n == 0 or n != 2**k:
            raise InvalidInstanceError(f"a truth table has 2**k entries, got {n}")
        if k > MAX_TABLE_FANIN:
            raise InvalidInstanceError(f"lookup tables take at most {MAX_TABLE_FANIN} inputs, got {k}")
        object.__setattr__(self, "table", tuple(bool(b) for b in table))

    @property
    def arity(self) -> int:
        """Number of inputs."""
        return len(self.table).bit_length() - 1

    def truth_table(self) -> tuple[bool, ...]:
        """The truth table (itself)."""
        return self.table

    def evaluate(self, bits: np.ndarray) -> np.ndarray:
        """Outputs (0/1, uint8) on the rows of a ``(rows, arity)`` 0/1 array."""
        bits = _check_bits(bits, self.arity)
        index = (bits.astype(np.int64) << np.arange(self.arity, dtype=np.int64)).sum(axis=1)
        return np.array(self.table, dtype=np.uint8)[index] if len(bits) else np.zeros(0, np.uint8)

    def __call__(self, bits: Sequence[int]) -> int:
        return int(self.table[sum(1 << i for i, bit in enumerate(bits) if bit)])


@dataclass(frozen=True)
class ThresholdFunction:
    """A linear threshold unit with integer weights: outputs 1 exactly when ``w·x > t``.

    The inequality is strict, as in :class:`~reductions.problems.ThresholdNetwork`
    and Blum & Rivest (1992).

    Examples
    --------
    >>> and2 = ThresholdFunction((1, 1), 1)
    >>> and2.truth_table()
    (False, False, False, True)
    """

    weights: tuple[int, ...]
    threshold: int

    def __post_init__(self) -> None:
        weights = tuple(_integer(w, "weight") for w in self.weights)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "threshold", _integer(self.threshold, "threshold"))

    @property
    def arity(self) -> int:
        """Number of inputs."""
        return len(self.weights)

    def truth_table(self) -> tuple[bool, ...]:
        """The truth table (fan-in at most :data:`MAX_TABLE_FANIN`)."""
        if self.arity > MAX_TABLE_FANIN:
            raise InvalidInstanceError(f"no truth table for a threshold unit of fan-in {self.arity}")
        return tuple(bool(v) for v in self.evaluate(_bit_matrix(self.arity)))

    def evaluate(self, bits: np.ndarray) -> np.ndarray:
        """Outputs (0/1, uint8) on the rows of a ``(rows, arity)`` 0/1 array, in exact integers."""
        bits = _check_bits(bits, self.arity)
        big = max([abs(w) for w in self.weights] + [abs(self.threshold)]) * (self.arity + 1) >= 2**62
        if big:
            dots = bits.astype(object) @ np.array(self.weights, dtype=object) if self.arity else np.zeros(len(bits), dtype=object)
            return np.array([int(d) > self.threshold for d in dots], dtype=np.uint8)
        w = np.array(self.weights, dtype=np.int64)
        dots = bits.astype(np.int64) @ w if self.arity else np.zeros(len(bits), dtype=np.int64)
        return (dots > self.threshold).astype(np.uint8)

    def __call__(self, bits: Sequence[int]) -> int:
        return int(sum(w * int(b) for w, b in zip(self.weights, bits)) > self.threshold)


@dataclass(frozen=True)
class AndOrFunction:
    """AND or OR of the inputs, input ``i`` negated when ``negated[i]``.

    The AND of no inputs is 1 and the OR of no inputs is 0.

    Examples
    --------
    >>> f = AndOrFunction("or", (False, True))   # x0 OR NOT x1
    >>> f.truth_table(), f.to_threshold()
    ((True, True, False, True), ThresholdFunction(weights=(1, -1), threshold=-1))
    """

    op: str
    negated: tuple[bool, ...]

    def __post_init__(self) -> None:
        if self.op not in ("and", "or"):
            raise InvalidInstanceError(f"an AND/OR node function is 'and' or 'or', got {self.op!r}")
        negated = tuple(self.negated)
        for entry in negated:
            if not isinstance(entry, (bool, np.bool_)) and entry not in (0, 1):
                raise InvalidInstanceError(f"negation flags must be 0/1 or booleans, got {entry!r}")
        object.__setattr__(self, "negated", tuple(bool(b) for b in negated))

    @property
    def arity(self) -> int:
        """Number of inputs."""
        return len(self.negated)

    def to_threshold(self) -> ThresholdFunction:
        """The same function as a threshold unit with weights ±1.

        AND: ``Σ_pos x + Σ_neg (1 - x) > k - 1``; OR: ``... > 0``.
        """
        weights = tuple(-1 if neg else 1 for neg in self.negated)
        negatives = sum(self.negated)
        bound = self.arity - 1 if self.op == "and" else 0
        return ThresholdFunction(weights, bound - negatives)

    def truth_table(self) -> tuple[bool, ...]:
        """The truth table."""
        if self.arity > MAX_TABLE_FANIN:
            raise InvalidInstanceError(f"no truth table for an AND/OR of fan-in {self.arity}")
        return tuple(bool(v) for v in self.evaluate(_bit_matrix(self.arity)))

    def evaluate(self, bits: np.ndarray) -> np.ndarray:
        """Outputs (0/1, uint8) on the rows of a ``(rows, arity)`` 0/1 array."""
        bits = _check_bits(bits, self.arity).astype(bool) ^ np.array(self.negated, dtype=bool)
        out = bits.all(axis=1) if self.op == "and" else bits.any(axis=1)
        return out.astype(np.uint8)

    def __call__(self, bits: Sequence[int]) -> int:
        lits = [bool(b) != neg for b, neg in zip(bits, self.negated)]
        return int(all(lits) if self.op == "and" else any(lits))


NodeFunction = TableFunction | ThresholdFunction | AndOrFunction
"""Any node function."""

_FAMILY_TYPES: dict[Family, tuple[type, ...]] = {
    Family.TABLE: (TableFunction, ThresholdFunction, AndOrFunction),
    Family.THRESHOLD: (ThresholdFunction, AndOrFunction),
    Family.AND_OR: (AndOrFunction,),
}


def in_family(function: Any, family: Family) -> bool:
    """Whether ``function`` belongs to ``family`` (``AND_OR ⊂ THRESHOLD ⊂ TABLE``).

    Membership is by representation: a threshold unit is given by its
    integer weights, an AND/OR by its operator and negations, so the
    certificate shows membership without any search.

    Examples
    --------
    >>> in_family(AndOrFunction("and", (True,)), Family.THRESHOLD)
    True
    >>> in_family(TableFunction((False, True)), Family.THRESHOLD)
    False
    """
    return isinstance(function, _FAMILY_TYPES[Family(family)])


def as_family(function: NodeFunction, family: Family) -> NodeFunction:
    """``function`` in the native representation of ``family`` (raises if not a member).

    A threshold unit or an AND/OR becomes a :class:`TableFunction` for
    ``TABLE``; an AND/OR becomes a :class:`ThresholdFunction` for ``THRESHOLD``.
    """
    family = Family(family)
    if not in_family(function, family):
        raise WitnessError(f"{function!r} is not in the {family.value} family")
    if family is Family.TABLE and not isinstance(function, TableFunction):
        return TableFunction(function.truth_table())
    if family is Family.THRESHOLD and isinstance(function, AndOrFunction):
        return function.to_threshold()
    return function


@functools.lru_cache(maxsize=None)
def threshold_functions(arity: int) -> Mapping[tuple[bool, ...], ThresholdFunction]:
    """Every threshold function of ``arity`` inputs, one integer representation per truth table.

    Enumerates integer weight vectors with ``|w_i| <= arity`` in order of
    (largest weight, total weight), and for each every threshold that cuts
    its sorted dot products, keeping the first (smallest) representation of
    each truth table.  Up to fan-in 4 this finds them all: 2, 4, 14, 104 and
    1,882 functions of 0..4 inputs (OEIS A000609; tested), with weights of
    at most 3 in absolute value.

    Raises
    ------
    InvalidInstanceError
        Above :data:`MAX_THRESHOLD_FANIN`.

    Examples
    --------
    >>> [len(threshold_functions(k)) for k in range(4)]
    [2, 4, 14, 104]
    """
    if isinstance(arity, bool) or not isinstance(arity, int) or arity < 0:
        raise InvalidInstanceError(f"arity must be an integer >= 0, got {arity!r}")
    if arity > MAX_THRESHOLD_FANIN:
        raise InvalidInstanceError(
            f"threshold functions are enumerated up to fan-in {MAX_THRESHOLD_FANIN}, got {arity} "
            "(there are 94,572 of 5 inputs); use lookup tables or smaller receptive fields"
        )
    points = _bit_matrix(arity)
    vectors = sorted(
        itertools.product(range(-arity, arity + 1), repeat=arity),
        key=lambda w: (max(map(abs, w), default=0), sum(map(abs, w)), w),
    )
    found: dict[tuple[bool, ...], ThresholdFunction] = {}
    for w in vectors:
        dots = points @ np.array(w, dtype=np.int64) if arity else np.zeros(1, dtype=np.int64)
        values = sorted(set(int(d) for d in dots))
        for t in [values[0] - 1] + values:
            table = tuple(bool(d > t) for d in dots)
            if table not in found:
                found[table] = ThresholdFunction(tuple(int(x) for x in w), t)
    return found


@functools.lru_cache(maxsize=None)
def _and_or_functions(arity: int) -> Mapping[tuple[bool, ...], AndOrFunction]:
    found: dict[tuple[bool, ...], AndOrFunction] = {}
    for op in ("and", "or"):
        for negated in itertools.product((False, True), repeat=arity):
            fn = AndOrFunction(op, negated)
            found.setdefault(fn.truth_table(), fn)
    return found


def family_functions(family: Family, arity: int) -> Mapping[tuple[bool, ...], NodeFunction] | None:
    """The functions of ``family`` with ``arity`` inputs, keyed by truth table.

    ``None`` for :attr:`Family.TABLE` (every table is allowed).  Threshold
    functions up to fan-in :data:`MAX_THRESHOLD_FANIN`; AND/OR of literals up
    to fan-in 12 (``2**(k+1)`` tables).

    Examples
    --------
    >>> len(family_functions(Family.AND_OR, 3)), len(family_functions(Family.THRESHOLD, 3))
    (16, 104)
    """
    family = Family(family)
    if family is Family.TABLE:
        return None
    if family is Family.THRESHOLD:
        return threshold_functions(arity)
    if arity > 12:
        raise InvalidInstanceError(f"AND/OR functions are enumerated up to fan-in 12, got {arity}")
    return _and_or_functions(arity)


def _integer(value: Any, what: str) -> int:
    if type(value) is int:
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InvalidInstanceError(f"{what} must be an integer, got {value!r}")
    return int(value)


# ---------------------------------------------------------------------------
# architectures, tasks, instances, configurations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A computing node: its name, its receptive field (global node ids) and its family."""

    name: str
    field: tuple[int, ...]
    family: Family = Family.TABLE

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InvalidInstanceError(f"a node name must be a non-empty string, got {self.name!r}")
        object.__setattr__(self, "field", tuple(_integer(j, f"receptive field of {self.name}") for j in self.field))
        try:
            object.__setattr__(self, "family", Family(self.family))
        except ValueError:
            names = ", ".join(f.value for f in Family)
            raise InvalidInstanceError(f"node {self.name}: unknown family {self.family!r}; choose one of {names}") from None

    @property
    def fan_in(self) -> int:
        """Size of the receptive field."""
        return len(self.field)


@dataclass(frozen=True)
class Architecture:
    """A feed-forward architecture in Judd's sense.

    Global node ids: ``0 .. num_inputs-1`` are the input nodes (named by
    ``inputs``), ``num_inputs + k`` is computing node ``nodes[k]``.  A node
    reads only earlier nodes (so the graph is acyclic and ``nodes`` is a
    topological order); output nodes are computing nodes.

    Parameters
    ----------
    inputs : tuple of str
        Names of the input nodes.
    nodes : tuple of Node
        Computing nodes in topological order.
    outputs : tuple of int
        Global ids of the output nodes, in the order of a response.

    Examples
    --------
    >>> arch = Architecture(("x", "y"), (Node("h", (0, 1), Family.THRESHOLD),), (2,))
    >>> arch.num_inputs, arch.num_nodes, arch.max_fan_in, arch.depth
    (2, 1, 2, 1)
    """

    inputs: tuple[str, ...]
    nodes: tuple[Node, ...]
    outputs: tuple[int, ...]

    def __post_init__(self) -> None:
        inputs = tuple(self.inputs)
        nodes = tuple(self.nodes)
        for name in inputs:
            if not isinstance(name, str) or not name:
                raise InvalidInstanceError(f"an input name must be a non-empty string, got {name!r}")
        seen: set[str] = set()
        for name in list(inputs) + [node.name for node in nodes if isinstance(node, Node)]:
            if name in seen:
                raise InvalidInstanceError(f"node name {name!r} is used twice")
            seen.add(name)
        for k, node in enumerate(nodes):
            if not isinstance(node, Node):
                raise InvalidInstanceError(f"computing node {k} must be a Node, got {type(node).__name__}")
            me = len(inputs) + k
            if len(set(node.field)) != len(node.field):
                raise InvalidInstanceError(f"node {node.name} reads a node twice: {node.field}")
            for j in node.field:
                if not 0 <= j < me:
                    raise InvalidInstanceError(
                        f"node {node.name} (id {me}) reads node {j}: a node may read only earlier nodes (ids 0..{me - 1})"
                    )
            if node.family is Family.TABLE and node.fan_in > MAX_TABLE_FANIN:
                raise InvalidInstanceError(f"node {node.name}: lookup tables take at most {MAX_TABLE_FANIN} inputs")
        outputs = tuple(_integer(o, "output id") for o in self.outputs)
        if len(set(outputs)) != len(outputs):
            raise InvalidInstanceError(f"an output is listed twice: {outputs}")
        for o in outputs:
            if not len(inputs) <= o < len(inputs) + len(nodes):
                raise InvalidInstanceError(f"output {o} is not a computing node (ids {len(inputs)}..{len(inputs) + len(nodes) - 1})")
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "outputs", outputs)

    @property
    def num_inputs(self) -> int:
        """Number of input nodes."""
        return len(self.inputs)

    @property
    def num_nodes(self) -> int:
        """Number of computing nodes."""
        return len(self.nodes)

    @property
    def num_outputs(self) -> int:
        """Number of output nodes."""
        return len(self.outputs)

    @property
    def max_fan_in(self) -> int:
        """Largest receptive field (0 without computing nodes)."""
        return max((node.fan_in for node in self.nodes), default=0)

    @functools.cached_property
    def depths(self) -> tuple[int, ...]:
        """Depth of every node (inputs 0, a computing node 1 + the deepest node it reads)."""
        depth = [0] * self.num_inputs
        for node in self.nodes:
            depth.append(1 + max((depth[j] for j in node.field), default=0))
        return tuple(depth)

    @property
    def depth(self) -> int:
        """Length of the longest path from an input to a node."""
        return max(self.depths, default=0)

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        """Name of every node by global id."""
        return self.inputs + tuple(node.name for node in self.nodes)

    @functools.cached_property
    def ids(self) -> Mapping[str, int]:
        """Global id of every node by name."""
        return {name: i for i, name in enumerate(self.names)}

    @functools.cached_property
    def cones(self) -> tuple[tuple[int, ...], ...]:
        """Support cone of every computing node: the input ids it depends on, sorted (Judd 1988)."""
        cones: list[frozenset[int]] = [frozenset((i,)) for i in range(self.num_inputs)]
        for node in self.nodes:
            cones.append(frozenset().union(*(cones[j] for j in node.field)) if node.field else frozenset())
        return tuple(tuple(sorted(c)) for c in cones[self.num_inputs:])

    def to_networkx(self) -> Any:
        """A :class:`networkx.DiGraph` with an edge ``j -> k`` when node ``k`` reads node ``j``.

        Node attributes: ``name``, ``kind`` (``"input"`` or ``"node"``),
        ``family``, ``output`` (bool).
        """
        import networkx as nx

        g = nx.DiGraph()
        outputs = set(self.outputs)
        for i, name in enumerate(self.inputs):
            g.add_node(i, name=name, kind="input", family=None, output=False)
        for k, node in enumerate(self.nodes):
            me = self.num_inputs + k
            g.add_node(me, name=node.name, kind="node", family=node.family.value, output=me in outputs)
            g.add_edges_from((j, me) for j in node.field)
        return g


_STIMULUS_CHARS = frozenset("01")
_RESPONSE_CHARS = frozenset("01*")


@dataclass(frozen=True)
class Task:
    """Stimulus/response pairs: strings over ``01`` and ``01*`` (``*`` = don't care).

    Character ``i`` of a stimulus is the value of input node ``i``;
    character ``j`` of a response the required value of output ``j``.  The
    same stimulus may occur in several pairs, even with conflicting
    responses (then no configuration gets them all right).

    Examples
    --------
    >>> t = Task((("01", "1*"), ("11", "00")))
    >>> t.num_pairs, t.responses().tolist()
    (2, [[1, -1], [0, 0]])
    """

    pairs: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        pairs = []
        for p, pair in enumerate(self.pairs):
            try:
                stimulus, response = pair
            except (TypeError, ValueError):
                raise InvalidInstanceError(f"pair {p} must be (stimulus, response), got {pair!r}") from None
            if not isinstance(stimulus, str) or not set(stimulus) <= _STIMULUS_CHARS:
                raise InvalidInstanceError(f"pair {p}: a stimulus is a string of 0s and 1s, got {stimulus!r}")
            if not isinstance(response, str) or not set(response) <= _RESPONSE_CHARS:
                raise InvalidInstanceError(f"pair {p}: a response is a string over 0, 1 and * (don't care), got {response!r}")
            pairs.append((stimulus, response))
        if pairs:
            ls, lr = len(pairs[0][0]), len(pairs[0][1])
            for p, (s, r) in enumerate(pairs):
                if len(s) != ls or len(r) != lr:
                    raise InvalidInstanceError(
                        f"pair {p} has a stimulus of {len(s)} and a response of {len(r)} characters; pair 0 has {ls} and {lr}"
                    )
        object.__setattr__(self, "pairs", tuple(pairs))

    @property
    def num_pairs(self) -> int:
        """Number of pairs."""
        return len(self.pairs)

    def stimuli(self) -> np.ndarray:
        """``(num_pairs, num_inputs)`` uint8 array of the stimuli."""
        if not self.pairs:
            return np.zeros((0, 0), dtype=np.uint8)
        data = "".join(s for s, _ in self.pairs).encode("ascii")
        width = len(self.pairs[0][0])
        return (np.frombuffer(data, dtype=np.uint8) - ord("0")).reshape(len(self.pairs), width).copy()

    def responses(self) -> np.ndarray:
        """``(num_pairs, num_outputs)`` int8 array: 0, 1, or -1 for don't care."""
        if not self.pairs:
            return np.zeros((0, 0), dtype=np.int8)
        data = np.frombuffer("".join(r for _, r in self.pairs).encode("ascii"), dtype=np.uint8)
        out = np.where(data == ord("*"), -1, data.astype(np.int16) - ord("0")).astype(np.int8)
        return out.reshape(len(self.pairs), len(self.pairs[0][1]))


def two_thirds(num_pairs: int) -> int:
    """``ceil(2 * num_pairs / 3)``: the number of pairs Judd's approximate problem asks for.

    >>> [two_thirds(n) for n in (0, 1, 2, 3, 4, 9)]
    [0, 1, 2, 2, 3, 6]
    """
    return -(-2 * num_pairs // 3)


@dataclass(frozen=True)
class LoadingInstance:
    """An instance of the loading problem: can ``required`` pairs of ``task`` be loaded?

    Parameters
    ----------
    architecture : Architecture
    task : Task
        Stimuli of ``architecture.num_inputs`` bits, responses of
        ``architecture.num_outputs`` characters.
    required : int, optional
        How many pairs a configuration must get right; default all of them
        (Judd's loading problem).  Fewer gives the approximate version, e.g.
        :func:`two_thirds`.
    metadata : mapping
        JSON-serialisable facts (which reduction made it, ...).
    """

    architecture: Architecture
    task: Task
    required: int | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.architecture, Architecture):
            raise InvalidInstanceError("a loading instance needs an Architecture")
        if not isinstance(self.task, Task):
            raise InvalidInstanceError("a loading instance needs a Task")
        arch, task = self.architecture, self.task
        if task.pairs:
            s, r = task.pairs[0]
            if len(s) != arch.num_inputs:
                raise InvalidInstanceError(f"stimuli have {len(s)} bits but the architecture has {arch.num_inputs} inputs")
            if len(r) != arch.num_outputs:
                raise InvalidInstanceError(
                    f"responses have {len(r)} entries but the architecture has {arch.num_outputs} outputs"
                )
        required = task.num_pairs if self.required is None else _integer(self.required, "required")
        if not 0 <= required <= task.num_pairs:
            raise InvalidInstanceError(f"required must lie in 0..{task.num_pairs} (the number of pairs), got {required}")
        meta = dict(self.metadata)
        try:
            json.dumps(meta)
        except (TypeError, ValueError) as exc:
            raise InvalidInstanceError(f"metadata must be JSON-serialisable: {exc}") from None
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "metadata", meta)

    __hash__ = None  # type: ignore[assignment]

    @property
    def num_inputs(self) -> int:
        """Number of input nodes."""
        return self.architecture.num_inputs

    @property
    def num_nodes(self) -> int:
        """Number of computing nodes."""
        return self.architecture.num_nodes

    @property
    def num_outputs(self) -> int:
        """Number of output nodes."""
        return self.architecture.num_outputs

    @property
    def num_pairs(self) -> int:
        """Number of stimulus/response pairs."""
        return self.task.num_pairs

    @property
    def max_fan_in(self) -> int:
        """Largest receptive field."""
        return self.architecture.max_fan_in

    @property
    def depth(self) -> int:
        """Depth of the architecture."""
        return self.architecture.depth


@dataclass(frozen=True)
class Configuration:
    """One node function per computing node, in the architecture's order (Judd's configuration)."""

    functions: tuple[NodeFunction, ...]

    def __post_init__(self) -> None:
        functions = tuple(self.functions)
        for k, fn in enumerate(functions):
            if not isinstance(fn, (TableFunction, ThresholdFunction, AndOrFunction)):
                raise WitnessError(f"function {k} is not a node function: {fn!r}")
        object.__setattr__(self, "functions", functions)


# ---------------------------------------------------------------------------
# the verifier
# ---------------------------------------------------------------------------


def check_configuration(architecture: Architecture, configuration: Configuration) -> None:
    """Raise :class:`WitnessError` unless every node has a function of its family and fan-in."""
    if not isinstance(configuration, Configuration):
        raise WitnessError(f"a configuration is a Configuration, got {type(configuration).__name__}")
    if len(configuration.functions) != architecture.num_nodes:
        raise WitnessError(
            f"the configuration has {len(configuration.functions)} functions for {architecture.num_nodes} nodes"
        )
    for node, fn in zip(architecture.nodes, configuration.functions):
        if fn.arity != node.fan_in:
            raise WitnessError(f"node {node.name} reads {node.fan_in} nodes but its function takes {fn.arity}")
        if not in_family(fn, node.family):
            raise WitnessError(f"node {node.name} takes {node.family.value} functions, got {fn!r}")


def run_network(
    architecture: Architecture, configuration: Configuration, stimuli: np.ndarray | Sequence[str] | str
) -> np.ndarray:
    """Values of every node (inputs first) on each stimulus, exactly.

    Parameters
    ----------
    stimuli : array, sequence of str or str
        A ``(rows, num_inputs)`` 0/1 array, or stimulus strings.

    Returns
    -------
    numpy.ndarray
        ``(rows, num_inputs + num_nodes)`` uint8 (one row for a single string).
    """
    check_configuration(architecture, configuration)
    if isinstance(stimuli, str):
        stimuli = [stimuli]
    if not isinstance(stimuli, np.ndarray):
        stimuli = Task(tuple((s, "") for s in stimuli)).stimuli() if len(stimuli) else np.zeros((0, architecture.num_inputs))
    stimuli = np.asarray(stimuli)
    if stimuli.ndim != 2 or stimuli.shape[1] != architecture.num_inputs:
        raise InvalidInstanceError(f"stimuli must have shape (rows, {architecture.num_inputs}), got {stimuli.shape}")
    values = np.zeros((stimuli.shape[0], architecture.num_inputs + architecture.num_nodes), dtype=np.uint8)
    values[:, : architecture.num_inputs] = stimuli
    for k, (node, fn) in enumerate(zip(architecture.nodes, configuration.functions)):
        values[:, architecture.num_inputs + k] = fn.evaluate(values[:, list(node.field)])
    return values


def evaluate(instance: LoadingInstance, configuration: Configuration) -> np.ndarray:
    """The network's outputs on every stimulus of the task, ``(num_pairs, num_outputs)`` uint8."""
    values = run_network(instance.architecture, configuration, instance.task.stimuli())
    return values[:, list(instance.architecture.outputs)]


def correct_pairs(instance: LoadingInstance, configuration: Configuration) -> tuple[bool, ...]:
    """For each pair, whether every specified response bit comes out right."""
    if instance.num_pairs == 0:
        check_configuration(instance.architecture, configuration)
        return ()
    out = evaluate(instance, configuration).astype(np.int8)
    want = instance.task.responses()
    ok = ((out == want) | (want < 0)).all(axis=1)
    return tuple(bool(b) for b in ok)


def num_correct(instance: LoadingInstance, configuration: Configuration) -> int:
    """How many pairs the configuration gets right."""
    return sum(correct_pairs(instance, configuration))


def loads(instance: LoadingInstance, configuration: Configuration) -> bool:
    """Judd's verifier: whether ``configuration`` gets at least ``instance.required`` pairs right.

    With the default ``required`` that is every pair: the network maps every
    stimulus to its response.  Raises :class:`WitnessError` for a
    configuration of the wrong shape or with a function outside a node's
    family.

    Examples
    --------
    >>> arch = Architecture(("x", "y"), (Node("h", (0, 1), Family.AND_OR),), (2,))
    >>> inst = LoadingInstance(arch, Task((("00", "0"), ("11", "1"), ("10", "0"))))
    >>> loads(inst, Configuration((AndOrFunction("and", (False, False)),)))
    True
    >>> loads(inst, Configuration((AndOrFunction("or", (False, False)),)))
    False
    """
    return num_correct(instance, configuration) >= instance.required


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def function_to_json(function: NodeFunction) -> dict[str, Any]:
    """JSON object of a node function."""
    if isinstance(function, TableFunction):
        return {"table": "".join("1" if b else "0" for b in function.table)}
    if isinstance(function, ThresholdFunction):
        return {"weights": list(function.weights), "threshold": function.threshold}
    return {"op": function.op, "negated": "".join("1" if b else "0" for b in function.negated)}


def function_from_json(obj: Any, where: str = "function") -> NodeFunction:
    """Inverse of :func:`function_to_json`; raises :class:`InvalidInstanceError`."""
    if not isinstance(obj, dict):
        raise InvalidInstanceError(f"{where} must be a JSON object, got {json.dumps(obj)}")
    if "table" in obj:
        table = obj["table"]
        if not isinstance(table, str) or not set(table) <= _STIMULUS_CHARS:
            raise InvalidInstanceError(f"{where}.table must be a string of 0s and 1s")
        return TableFunction(tuple(c == "1" for c in table))
    if "weights" in obj:
        weights, threshold = obj["weights"], obj.get("threshold")
        if not isinstance(weights, list) or any(type(w) is not int for w in weights) or type(threshold) is not int:
            raise InvalidInstanceError(f"{where}: weights must be an array of integers and threshold an integer")
        return ThresholdFunction(tuple(weights), threshold)
    if "op" in obj:
        negated = obj.get("negated", "")
        if not isinstance(negated, str) or not set(negated) <= _STIMULUS_CHARS:
            raise InvalidInstanceError(f"{where}.negated must be a string of 0s and 1s")
        return AndOrFunction(obj["op"], tuple(c == "1" for c in negated))
    raise InvalidInstanceError(f"{where} needs 'table', 'weights' or 'op'")


def configuration_to_json(architecture: Architecture, configuration: Configuration) -> list[dict[str, Any]]:
    """The configuration as a JSON array: ``{"node": NAME, ...function}`` per computing node."""
    check_configuration(architecture, configuration)
    return [{"node": node.name, **function_to_json(fn)} for node, fn in zip(architecture.nodes, configuration.functions)]


def configuration_from_json(architecture: Architecture, obj: Any) -> Configuration:
    """Inverse of :func:`configuration_to_json` (nodes in any order, each exactly once)."""
    if not isinstance(obj, list):
        raise InvalidInstanceError("a configuration is a JSON array of node functions")
    by_name: dict[str, NodeFunction] = {}
    for i, item in enumerate(obj):
        if not isinstance(item, dict) or not isinstance(item.get("node"), str):
            raise InvalidInstanceError(f"configuration[{i}] must be an object with a 'node' name")
        by_name[item["node"]] = function_from_json(item, f"configuration[{i}]")
    missing = [node.name for node in architecture.nodes if node.name not in by_name]
    if missing:
        raise InvalidInstanceError(f"the configuration has no function for node {missing[0]!r}")
    config = Configuration(tuple(by_name[node.name] for node in architecture.nodes))
    check_configuration(architecture, config)
    return config


def loading_to_json(instance: LoadingInstance) -> dict[str, Any]:
    """The JSON object of a loading instance (see :func:`parse_loading` for the schema)."""
    arch = instance.architecture
    names = arch.names
    obj: dict[str, Any] = {
        "format": LOADING_FORMAT,
        "version": LOADING_VERSION,
        "inputs": list(arch.inputs),
        "nodes": [
            {"name": node.name, "field": [names[j] for j in node.field], "family": node.family.value}
            for node in arch.nodes
        ],
        "outputs": [names[o] for o in arch.outputs],
        "pairs": [{"stimulus": s, "response": r} for s, r in instance.task.pairs],
    }
    if instance.required != instance.num_pairs:
        obj["required"] = instance.required
    if instance.metadata:
        obj["metadata"] = dict(instance.metadata)
    return obj


def format_loading(instance: LoadingInstance) -> str:
    """JSON text of a loading instance: one node and one pair per line, readable by hand.

    Examples
    --------
    >>> arch = Architecture(("x",), (Node("h", (0,), Family.THRESHOLD),), (1,))
    >>> print(format_loading(LoadingInstance(arch, Task((("0", "1"), ("1", "*"))))), end="")
    {
      "format": "trainhard-loading",
      "version": 1,
      "inputs": ["x"],
      "nodes": [
        {"name": "h", "field": ["x"], "family": "threshold"}
      ],
      "outputs": ["h"],
      "pairs": [
        {"stimulus": "0", "response": "1"},
        {"stimulus": "1", "response": "*"}
      ]
    }
    """
    if not isinstance(instance, LoadingInstance):
        raise InvalidInstanceError(f"expected a LoadingInstance, got {type(instance).__name__}")
    obj = loading_to_json(instance)
    lines = ["{"]
    items = list(obj.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if key in ("nodes", "pairs") and value:
            lines.append(f"  {json.dumps(key)}: [")
            lines.extend(f"    {json.dumps(v)}" + ("," if j < len(value) - 1 else "") for j, v in enumerate(value))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


class _SchemaError(Exception):
    def __init__(self, path: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def _locate(text: str, path: tuple[Any, ...]) -> int | None:
    """Best-effort 1-based line of the JSON value at ``path`` (keys and indices) in ``text``."""
    positions: dict[int, int] = {}
    decoder = json.JSONDecoder()
    parse_object, parse_array = decoder.parse_object, decoder.parse_array

    def object_at(s_and_end: tuple[str, int], *args: Any) -> Any:
        obj, end = parse_object(s_and_end, *args)
        positions[id(obj)] = s_and_end[1] - 1
        return obj, end

    def array_at(s_and_end: tuple[str, int], *args: Any) -> Any:
        arr, end = parse_array(s_and_end, *args)
        positions[id(arr)] = s_and_end[1] - 1
        return arr, end

    decoder.parse_object, decoder.parse_array = object_at, array_at  # type: ignore[method-assign]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        node: Any = decoder.decode(text)
    except (ValueError, RecursionError):
        return None
    offset = positions.get(id(node), 0)
    for step in path:
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            found = text.find(json.dumps(step), offset)
            child = node[step]
            offset = positions.get(id(child), found if found >= 0 else offset)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            child = node[step]
            offset = positions.get(id(child), offset)
        else:
            break
        node = child
    return text.count("\n", 0, offset) + 1


def _where(path: tuple[Any, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "the file"


def _get(obj: dict[str, Any], key: str, kind: type, path: tuple[Any, ...]) -> Any:
    if key not in obj:
        raise _SchemaError(path, f"{_where(path)} has no {key!r} key")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        names = {dict: "object", list: "array", str: "string", int: "integer"}
        raise _SchemaError(path + (key,), f"{_where(path + (key,))} must be a JSON {names[kind]}, got {json.dumps(value)[:60]}")
    return value


def _instance_from_obj(obj: Any) -> LoadingInstance:
    """Build an instance from decoded JSON; errors are :class:`_SchemaError` with a path."""
    if not isinstance(obj, dict):
        raise _SchemaError((), f"a loading instance is a JSON object, got {type(obj).__name__}")
    if obj.get("format") != LOADING_FORMAT:
        raise _SchemaError((), f"not a loading file: 'format' is {json.dumps(obj.get('format'))}, expected {LOADING_FORMAT!r}")
    version = obj.get("version")
    if type(version) is not int or version != LOADING_VERSION:
        raise _SchemaError(("version",), f"unsupported version {json.dumps(version)}; this version reads {LOADING_VERSION}")
    inputs = _get(obj, "inputs", list, ())
    for i, name in enumerate(inputs):
        if not isinstance(name, str) or not name:
            raise _SchemaError(("inputs", i), f"inputs[{i}] must be a non-empty string, got {json.dumps(name)}")
    ids: dict[str, int] = {}
    for i, name in enumerate(inputs):
        if name in ids:
            raise _SchemaError(("inputs", i), f"input name {name!r} is used twice")
        ids[name] = i
    nodes = []
    for k, item in enumerate(_get(obj, "nodes", list, ())):
        path: tuple[Any, ...] = ("nodes", k)
        if not isinstance(item, dict):
            raise _SchemaError(path, f"{_where(path)} must be a JSON object, got {json.dumps(item)[:60]}")
        name = _get(item, "name", str, path)
        if not name:
            raise _SchemaError(path + ("name",), f"{_where(path)}.name is empty")
        if name in ids:
            raise _SchemaError(path + ("name",), f"node name {name!r} is used twice")
        field_names = _get(item, "field", list, path)
        field_ids = []
        for j, ref in enumerate(field_names):
            if not isinstance(ref, str):
                raise _SchemaError(path + ("field", j), f"{_where(path)}.field[{j}] must be a node name, got {json.dumps(ref)}")
            if ref not in ids:
                later = any(isinstance(o, dict) and o.get("name") == ref for o in obj["nodes"][k:])
                why = "a node may read only inputs and earlier nodes" if later else "no such node"
                raise _SchemaError(path + ("field", j), f"node {name!r} reads {ref!r}: {why}")
            field_ids.append(ids[ref])
        family = item.get("family", Family.TABLE.value)
        try:
            family = Family(family)
        except ValueError:
            names = ", ".join(f.value for f in Family)
            raise _SchemaError(path + ("family",), f"node {name!r}: unknown family {json.dumps(family)}; choose one of {names}") from None
        try:
            nodes.append(Node(name, tuple(field_ids), family))
        except InvalidInstanceError as exc:
            raise _SchemaError(path, str(exc)) from None
        ids[name] = len(inputs) + k
    outputs = []
    for j, ref in enumerate(_get(obj, "outputs", list, ())):
        if not isinstance(ref, str) or ref not in ids or ids[ref] < len(inputs):
            raise _SchemaError(("outputs", j), f"outputs[{j}] must name a computing node, got {json.dumps(ref)}")
        outputs.append(ids[ref])
    try:
        arch = Architecture(tuple(inputs), tuple(nodes), tuple(outputs))
    except InvalidInstanceError as exc:
        raise _SchemaError(("outputs",), str(exc)) from None
    pairs = []
    for p, item in enumerate(_get(obj, "pairs", list, ())):
        path = ("pairs", p)
        if not isinstance(item, dict):
            raise _SchemaError(path, f"{_where(path)} must be a JSON object, got {json.dumps(item)[:60]}")
        stimulus = _get(item, "stimulus", str, path)
        response = _get(item, "response", str, path)
        if len(stimulus) != len(inputs) or not set(stimulus) <= _STIMULUS_CHARS:
            bad = next((c for c in stimulus if c not in _STIMULUS_CHARS), None)
            what = f"character {bad!r} is not 0 or 1" if bad else f"{len(stimulus)} bits for {len(inputs)} inputs"
            raise _SchemaError(path + ("stimulus",), f"pair {p}: stimulus: {what}")
        if len(response) != len(outputs) or not set(response) <= _RESPONSE_CHARS:
            bad = next((c for c in response if c not in _RESPONSE_CHARS), None)
            what = f"character {bad!r} is not 0, 1 or *" if bad else f"{len(response)} entries for {len(outputs)} outputs"
            raise _SchemaError(path + ("response",), f"pair {p}: response: {what}")
        pairs.append((stimulus, response))
    required = obj.get("required")
    if required is not None and (type(required) is not int or not 0 <= required <= len(pairs)):
        raise _SchemaError(("required",), f"required must be an integer in 0..{len(pairs)}, got {json.dumps(required)}")
    metadata = obj.get("metadata", {})
    if not isinstance(metadata, dict):
        raise _SchemaError(("metadata",), "metadata must be a JSON object")
    return LoadingInstance(arch, Task(tuple(pairs)), required, metadata)


def loading_from_json(obj: Any, *, source: str = "<string>") -> LoadingInstance:
    """Build a loading instance from its decoded JSON object; see :func:`parse_loading`."""
    try:
        return _instance_from_obj(obj)
    except _SchemaError as exc:
        raise FormatError(source, None, exc.message) from None


def parse_loading(text: str | bytes, *, source: str = "<string>") -> LoadingInstance:
    """Parse a ``trainhard-loading`` JSON document.

    Schema (version 1)::

        {"format": "trainhard-loading", "version": 1,
         "inputs":  ["a1", "b1", ...],                       # input node names
         "nodes":   [{"name": "h1", "field": ["a1", "b1"],   # computing nodes in
                      "family": "threshold"}, ...],          # topological order
         "outputs": ["u1", ...],                             # computing node names
         "pairs":   [{"stimulus": "0110", "response": "1*0"}, ...],
         "required": 12,                                     # optional, default all pairs
         "metadata": {...}}                                  # optional

    ``family`` is ``"table"`` (default), ``"threshold"`` or ``"and-or"``.
    Stimuli are strings of ``0``/``1``, one character per input; responses
    strings over ``0``, ``1`` and ``*`` (don't care), one per output.
    Unknown keys are ignored.

    Raises
    ------
    FormatError
        Invalid JSON (with its line), a wrong format or version, or a schema
        error, located at the line of the offending value (best effort).

    Examples
    --------
    >>> parse_loading('{"format": "trainhard-loading", "version": 1, "inputs": [],\\n'
    ...               ' "nodes": [], "outputs": [], "pairs": [{"stimulus": "1"}]}', source="L.json")
    Traceback (most recent call last):
    ...
    reductions.errors.FormatError: L.json:2: pairs[0] has no 'response' key
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            line = bytes(text).count(b"\n", 0, exc.start) + 1
            raise FormatError(source, line, "not UTF-8 text") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(source, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except (RecursionError, ValueError) as exc:
        raise FormatError(source, None, f"invalid JSON: {exc}") from None
    return loading_from_text_obj(text, obj, source=source)


def loading_from_text_obj(text: str, obj: Any, *, source: str) -> LoadingInstance:
    """Build from an already decoded ``obj``, locating schema errors in ``text``."""
    try:
        return _instance_from_obj(obj)
    except _SchemaError as exc:
        raise FormatError(source, _locate(text, exc.path) if exc.path else None, exc.message) from None


def load_loading(path: str | os.PathLike) -> LoadingInstance:
    """Read a loading-instance JSON file; see :func:`parse_loading`."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise FormatError(str(path), None, "no such file") from None
    except IsADirectoryError:
        raise FormatError(str(path), None, "is a directory, not a file") from None
    return parse_loading(data, source=str(path))


def save_loading(instance: LoadingInstance, path: str | os.PathLike) -> None:
    """Write a loading instance as JSON (see :func:`format_loading`)."""
    text = format_loading(instance)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------------------
# a tensor-friendly view, for a gradient-descent engine
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TensorView:
    """A loading instance as plain numpy arrays, for a batched relaxed network.

    Attributes
    ----------
    num_inputs : int
    adjacency : numpy.ndarray
        ``(num_nodes, num_inputs + num_nodes)`` uint8; ``adjacency[k, j] = 1``
        when computing node ``k`` reads global node ``j``.  A relaxed threshold
        network masks its weight matrix with it.
    layers : tuple of numpy.ndarray
        Computing-node indices (0-based among computing nodes) by depth 1, 2, ...;
        nodes of one layer read only earlier layers, so a layer is one masked
        matrix product.
    families : tuple of Family
        Family of each computing node.
    outputs : numpy.ndarray
        Computing-node indices of the outputs, in response order.
    stimuli : numpy.ndarray
        ``(num_pairs, num_inputs)`` float32 0/1.
    targets : numpy.ndarray
        ``(num_pairs, num_outputs)`` float32 0/1 (0 where don't care).
    mask : numpy.ndarray
        ``(num_pairs, num_outputs)`` bool, True where the response is specified.
    """

    num_inputs: int
    adjacency: np.ndarray
    layers: tuple[np.ndarray, ...]
    families: tuple[Family, ...]
    outputs: np.ndarray
    stimuli: np.ndarray
    targets: np.ndarray
    mask: np.ndarray


def tensor_view(instance: LoadingInstance) -> TensorView:
    """The instance as arrays (see :class:`TensorView`); no torch needed.

    What a gradient-descent engine does with it, for threshold-family
    architectures (the Judd instances of :mod:`reductions.judd` by default):
    keep a real weight matrix of the adjacency's shape and a threshold per
    node; evaluate layer by layer (``values[:, n_in + layer] = relax(values @
    (W * adjacency)[layer].T - t[layer])``); train on ``targets`` where
    ``mask``; then judge a candidate *exactly* with
    :func:`configuration_from_weights` and :func:`loads`, and map a success
    back to the source with the reduction's ``backward`` map, as for
    Blum–Rivest training sets.

    Examples
    --------
    >>> arch = Architecture(("x", "y"), (Node("h", (0, 1), Family.THRESHOLD), Node("o", (2,), Family.THRESHOLD)), (3,))
    >>> view = tensor_view(LoadingInstance(arch, Task((("01", "1"), ("11", "*")))))
    >>> view.adjacency.tolist(), [l.tolist() for l in view.layers], view.mask.tolist()
    ([[1, 1, 0, 0], [0, 0, 1, 0]], [[0], [1]], [[True], [False]])
    """
    arch = instance.architecture
    n_in, c = arch.num_inputs, arch.num_nodes
    adjacency = np.zeros((c, n_in + c), dtype=np.uint8)
    for k, node in enumerate(arch.nodes):
        adjacency[k, list(node.field)] = 1
    depths = np.array(arch.depths[n_in:], dtype=np.int64)
    layers = tuple(np.flatnonzero(depths == d) for d in range(1, int(depths.max(initial=0)) + 1))
    responses = instance.task.responses()
    stimuli = instance.task.stimuli().astype(np.float32).reshape(instance.num_pairs, n_in)
    mask = (responses >= 0).reshape(instance.num_pairs, arch.num_outputs)
    targets = np.where(mask, responses, 0).astype(np.float32).reshape(mask.shape)
    outputs = np.array([o - n_in for o in arch.outputs], dtype=np.int64)
    return TensorView(n_in, adjacency, layers, tuple(node.family for node in arch.nodes), outputs, stimuli, targets, mask)


def configuration_from_weights(
    architecture: Architecture, weights: np.ndarray | Sequence[Sequence[float]], thresholds: Sequence[float] | np.ndarray
) -> Configuration:
    """Map real weights back to a configuration, exactly: the way back from gradient descent.

    Node ``k`` fires when ``Σ_j weights[k, j] · value_j > thresholds[k]`` over the
    nodes ``j`` it reads (entries outside its receptive field are ignored).
    Each float is taken at its exact binary value and the node's weights and
    threshold are scaled by the common denominator to integers, so the
    resulting :class:`ThresholdFunction` computes exactly what the real unit
    computes.  A ``table`` node gets its truth table; an ``and-or`` node
    gets an AND/OR only if the unit computes one, else :class:`WitnessError`.
    """
    w = np.asarray(weights, dtype=np.float64)
    t = np.asarray(thresholds, dtype=np.float64).reshape(-1)
    shape = (architecture.num_nodes, architecture.num_inputs + architecture.num_nodes)
    if w.shape != shape or t.shape != (architecture.num_nodes,):
        raise InvalidInstanceError(f"weights must have shape {shape} and thresholds ({shape[0]},)")
    if not (np.isfinite(w).all() and np.isfinite(t).all()):
        raise InvalidInstanceError("weights and thresholds must be finite")
    functions: list[NodeFunction] = []
    for k, node in enumerate(architecture.nodes):
        exact = [Fraction(float(w[k, j])) for j in node.field] + [Fraction(float(t[k]))]
        scale = math.lcm(*(x.denominator for x in exact)) if exact else 1
        ints = [int(x * scale) for x in exact]
        fn: NodeFunction = ThresholdFunction(tuple(ints[:-1]), ints[-1])
        if node.family is Family.TABLE:
            fn = TableFunction(fn.truth_table())
        elif node.family is Family.AND_OR:
            table = fn.truth_table()
            match = _and_or_functions(node.fan_in).get(table)
            if match is None:
                raise WitnessError(f"node {node.name} takes AND/OR functions, but its unit computes another function")
            fn = match
        functions.append(fn)
    return Configuration(tuple(functions))
