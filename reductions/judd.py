"""3SAT -> Judd's loading problem, and its two-thirds version.

Judd (1988, 1990) proved that loading is NP-complete for shallow
architectures of bounded fan-in, and that it stays NP-complete when only two
thirds of the task's pairs must come out right.  The exact gadgets of his
proof could not be recovered from any source available to this project
(``/work/shared/REFERENCES.md`` records what is confirmed: the 5-tuple
architecture, tasks with don't-care responses, configurations, NP-completeness
and the two-thirds result, and not the reduction itself).  **The
construction below is therefore trainhard's own, not Judd's**; it uses only
Judd's framework (architectures, support cones, tasks with don't cares) and
is proved here in both directions.  See :func:`cnf_to_loading`.

The proof works for every node-function family between AND/OR of literals and
all Boolean functions: the forward map only uses AND/OR functions, and the
backward map reads the assignment off *any* configuration that loads the
task, whatever functions it uses.  So the loading problem is NP-hard for
lookup tables, for threshold units with integer weights and for AND/OR nodes
alike, at depth 2 with fan-in ``max(2, clause width)`` (3 for 3-CNF).

References
----------
J. S. Judd, "On the complexity of loading shallow neural networks",
J. Complexity 4:177–192, 1988.
J. S. Judd, *Neural Network Design and the Complexity of Learning*, MIT Press, 1990.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .errors import WitnessError
from .loading import (
    AndOrFunction,
    Architecture,
    Configuration,
    Family,
    LoadingInstance,
    Node,
    NodeFunction,
    Task,
    as_family,
    correct_pairs,
    loads,
    run_network,
)
from .problems import CNF, satisfies

__all__ = [
    "active_clauses",
    "cnf_to_loading",
    "cnf_to_loading_forward",
    "cnf_to_loading_backward",
    "loading_size",
    "cnf_to_loading_two_thirds",
    "two_thirds_forward",
    "two_thirds_backward",
    "two_thirds_size",
]


def active_clauses(cnf: CNF) -> list[tuple[int, tuple[int, ...]]]:
    """``(index, literals)`` of the clauses the reduction keeps: repeated
    literals removed, tautologies (``x`` and ``-x`` together) dropped."""
    out = []
    for j, clause in enumerate(cnf.clauses):
        lits = tuple(dict.fromkeys(clause))
        if any(-lit in lits for lit in lits):
            continue
        out.append((j, lits))
    return out


def _stimulus(n: int, lits: Iterable[int]) -> str:
    """Inputs ``a_v`` (position ``2(v-1)``) for positive literals, ``b_v`` for negative."""
    bits = ["0"] * (2 * n)
    for lit in lits:
        bits[2 * (abs(lit) - 1) + (lit < 0)] = "1"
    return "".join(bits)


def cnf_to_loading(cnf: CNF, *, family: Family | str = Family.THRESHOLD) -> LoadingInstance:
    """3SAT -> loading a depth-2 architecture of fan-in 3 (trainhard's own gadget, after Judd).

    For a CNF with variables ``1..n`` and, after dropping tautologies and
    repeated literals, clauses ``C_1..C_m``:

    *Architecture* (every computing node in ``family``, default threshold units):

    - inputs ``a_i, b_i`` for each variable ``i`` (``2n`` inputs);
    - hidden node ``h_i`` reads ``(a_i, b_i)``;
    - output node ``u_i`` reads ``h_i`` (fan-in 1);
    - output node ``c_j`` reads ``h_v`` for the variables ``v`` of ``C_j``.

    *Task* (``*`` = don't care), stimuli named by the inputs set to 1:

    - ``Z`` (no input set): ``c_j = 0`` for every ``j``;
    - ``X_i`` (``a_i``): ``u_i = 1``;   ``Y_i`` (``b_i``): ``u_i = 0``;
    - ``S_j`` (``a_v`` for each positive literal ``x_v`` of ``C_j``, ``b_v``
      for each negative one): ``c_j = 1``;
    - and, in every pair, ``c_k = 0`` wherever the stimulus is 0 on all
      inputs of ``c_k``'s support cone (it then looks like ``Z`` to ``c_k``);
      everything else is don't care.

    Size: ``2n`` inputs, ``2n + m`` computing nodes, ``n + m`` outputs,
    ``1 + 2n + m`` pairs, depth 2 (1 without clauses), largest fan-in
    ``max(2, clause width)``.  Runs in O((n + m)(n + m)) time (the task's
    characters).

    Proof (trainhard's own; Judd's gadgets are not confirmed from sources):

    *Satisfiable => loadable.*  For a model ``x``: ``h_i = a_i AND NOT b_i``
    if ``x_i`` is true, ``h_i = a_i OR NOT b_i`` if false; ``u_i = h_i``;
    ``c_j`` = OR over the variables ``v`` of ``C_j`` of ``h_v`` (if ``x_v``)
    or ``NOT h_v`` (if not).  Then ``h_i`` is 1 on ``X_i`` and 0 on ``Y_i``,
    so ``u_i`` is right; on ``Z`` and every stimulus that is 0 on ``c_k``'s
    cone, ``h_v = NOT x_v`` and every literal of ``c_k`` is 0, so ``c_k = 0``;
    on ``S_j``, a true literal ``x_v`` gives ``h_v = 1`` with ``x_v`` true and
    a true ``NOT x_v`` gives ``h_v = 0`` with ``x_v`` false, so ``c_j = 1``.
    All these are AND/OR functions, hence threshold functions and tables.

    *Loadable => satisfiable.*  Take any configuration that loads the task,
    with any Boolean node functions.  ``u_i`` reads only ``h_i`` and answers 1
    on ``X_i`` and 0 on ``Y_i``, so ``h_i(X_i) != h_i(Y_i)``: being bits,
    ``h_i(Z)`` equals exactly one of them.  Set ``x_i`` true iff
    ``h_i(X_i) != h_i(Z)`` (iff ``h_i(Z) = h_i(Y_i)``).  ``c_j`` answers 0 on
    ``Z`` and 1 on ``S_j``, so some ``h_v`` it reads differs between them;
    ``h_v`` sees only ``(a_v, b_v)``, which ``S_j`` sets to ``(1, 0)`` (like
    ``X_v``) for a positive literal and to ``(0, 1)`` (like ``Y_v``) for a
    negative one.  Positive: ``h_v(X_v) != h_v(Z)``, so ``x_v`` is true.
    Negative: ``h_v(Y_v) != h_v(Z)``, so ``h_v(Z) = h_v(X_v)`` and ``x_v`` is
    false.  Either way ``C_j`` is satisfied.  (A tautology is always
    satisfied; an empty clause gives a node with no inputs that must answer
    0 on ``Z`` and 1 on ``S_j = Z``: not loadable, as it should be.)

    Parameters
    ----------
    cnf : CNF
        Any CNF; for 3-CNF the fan-in is at most 3.
    family : Family or str
        The node-function family of every computing node.

    Returns
    -------
    LoadingInstance
        ``metadata``: ``reduction``, ``num_vars``, ``clauses`` (the kept
        clause indices).

    References
    ----------
    J. S. Judd, "On the complexity of loading shallow neural networks",
    J. Complexity 4:177–192, 1988; *Neural Network Design and the Complexity
    of Learning*, MIT Press, 1990 (the loading problem; the construction here
    is trainhard's own).

    Examples
    --------
    >>> inst = cnf_to_loading(CNF(2, [(1, -2)]))
    >>> inst.architecture.names
    ('a1', 'b1', 'a2', 'b2', 'h1', 'h2', 'u1', 'u2', 'c1')
    >>> inst.task.pairs
    (('0000', '**0'), ('1000', '1**'), ('0100', '0**'), ('0010', '*1*'), ('0001', '*0*'), ('1001', '**1'))
    """
    family = Family(family)
    n = cnf.num_vars
    kept = active_clauses(cnf)
    inputs = tuple(name for i in range(1, n + 1) for name in (f"a{i}", f"b{i}"))
    h = [2 * n + i for i in range(n)]  # global id of h_{i+1}
    nodes = [Node(f"h{i}", (2 * (i - 1), 2 * (i - 1) + 1), family) for i in range(1, n + 1)]
    nodes += [Node(f"u{i}", (h[i - 1],), family) for i in range(1, n + 1)]
    var_sets = []
    for j, lits in kept:
        variables = tuple(dict.fromkeys(abs(lit) for lit in lits))
        var_sets.append(frozenset(variables))
        nodes.append(Node(f"c{j + 1}", tuple(h[v - 1] for v in variables), family))
    outputs = tuple(range(3 * n, 4 * n + len(kept)))
    arch = Architecture(inputs, tuple(nodes), outputs)

    def clause_part(touched: frozenset[int], *, own: int | None = None) -> str:
        return "".join("1" if k == own else ("0" if not (vs & touched) else "*") for k, vs in enumerate(var_sets))

    star_u = "*" * n
    pairs = [(_stimulus(n, ()), star_u + clause_part(frozenset()))]
    for i in range(1, n + 1):
        touched = frozenset((i,))
        rest = clause_part(touched)
        pairs.append((_stimulus(n, (i,)), "*" * (i - 1) + "1" + "*" * (n - i) + rest))
        pairs.append((_stimulus(n, (-i,)), "*" * (i - 1) + "0" + "*" * (n - i) + rest))
    for k, (j, lits) in enumerate(kept):
        pairs.append((_stimulus(n, lits), star_u + clause_part(var_sets[k], own=k)))
    meta = {"reduction": "cnf-to-loading", "num_vars": n, "clauses": [j for j, _ in kept]}
    return LoadingInstance(arch, Task(tuple(pairs)), None, meta)


def loading_size(cnf: CNF, **params: object) -> Mapping[str, int]:
    """The documented size of :func:`cnf_to_loading`'s output."""
    n = cnf.num_vars
    kept = active_clauses(cnf)
    widths = [len({abs(lit) for lit in lits}) for _, lits in kept]
    return {
        "num_inputs": 2 * n,
        "num_nodes": 2 * n + len(kept),
        "num_outputs": n + len(kept),
        "num_pairs": 1 + 2 * n + len(kept),
        "max_fan_in": max(([2] if n else []) + widths, default=0),
    }


def _model_values(cnf: CNF, model: Iterable[int]) -> dict[int, bool]:
    model = tuple(model)
    if not satisfies(cnf, model):
        raise WitnessError("the source assignment does not satisfy the formula")
    return {abs(lit): lit > 0 for lit in model}


def _forward_functions(cnf: CNF, instance: LoadingInstance, values: Mapping[int, bool]) -> list[NodeFunction]:
    """The AND/OR configuration of the proof, in each node's family."""
    n = cnf.num_vars
    arch = instance.architecture
    functions: list[NodeFunction] = []
    for i in range(1, n + 1):
        functions.append(AndOrFunction("and" if values[i] else "or", (False, True)))
    functions += [AndOrFunction("and", (False,))] * n
    for node in arch.nodes[2 * n : 2 * n + len(active_clauses(cnf))]:
        variables = [j - 2 * n + 1 for j in node.field]  # h_v has global id 2n + v - 1
        functions.append(AndOrFunction("or", tuple(not values[v] for v in variables)))
    return [as_family(fn, node.family) for fn, node in zip(functions, arch.nodes)]


def cnf_to_loading_forward(cnf: CNF, instance: LoadingInstance, model: Iterable[int]) -> Configuration:
    """A model -> the configuration of the proof (AND/OR functions, in the nodes' family)."""
    return Configuration(tuple(_forward_functions(cnf, instance, _model_values(cnf, model))))


def _read_assignment(cnf: CNF, instance: LoadingInstance, configuration: Configuration) -> tuple[int, ...]:
    """``x_i`` true iff ``h_i(X_i) != h_i(Z)``, computed by running the network."""
    n = cnf.num_vars
    stimuli = [_stimulus(n, ())] + [_stimulus(n, (i,)) for i in range(1, n + 1)]
    values = run_network(instance.architecture, configuration, stimuli)
    return tuple(
        i if values[i, 2 * n + i - 1] != values[0, 2 * n + i - 1] else -i for i in range(1, n + 1)
    )


def cnf_to_loading_backward(cnf: CNF, instance: LoadingInstance, configuration: Configuration) -> tuple[int, ...]:
    """A configuration that loads the task -> a model: ``x_i`` iff ``h_i(X_i) != h_i(Z)``.

    Raises
    ------
    WitnessError
        If the configuration does not load the task.
    """
    if not loads(instance, configuration):
        raise WitnessError("the configuration does not load the task")
    return _read_assignment(cnf, instance, configuration)


# ---------------------------------------------------------------------------
# two thirds
# ---------------------------------------------------------------------------


def cnf_to_loading_two_thirds(cnf: CNF, *, family: Family | str = Family.THRESHOLD) -> LoadingInstance:
    """3SAT -> loading at least two thirds of the pairs (trainhard's own padding, after Judd).

    Take :func:`cnf_to_loading`'s instance with ``P = 1 + 2n + m`` pairs and
    add one output node ``g`` with an empty receptive field (a constant; the
    AND of no inputs is 1, the OR of no inputs 0, so every family has both
    constants).  ``g`` is don't care in the ``P`` original pairs, and ``2P``
    new pairs on the all-zero stimulus are don't care everywhere except
    ``g``: ``P`` of them ask ``g = 1`` and ``P`` ask ``g = 0``.  The instance
    asks for ``required = 2P`` of its ``3P`` pairs: exactly two thirds.

    Proof: ``g`` reads nothing and nothing reads ``g``, and the original
    outputs are don't care in the new pairs, so which new pairs are right
    depends on ``g`` alone and which original pairs are right does not depend
    on ``g``.  Whatever ``g`` is, exactly ``P`` new pairs are right.  Hence
    the best configuration gets ``P + (best on the original task)`` pairs
    right, which is ``2P`` if the formula is satisfiable (all ``P`` original
    pairs loadable, :func:`cnf_to_loading`) and at most ``2P - 1`` if not.
    Deciding "at least two thirds of the pairs" is therefore NP-hard on
    these instances, as Judd (1988) states for loading in general; this
    padding is trainhard's own, not Judd's.

    Size: as :func:`cnf_to_loading` plus one node and one output; ``3P``
    pairs; ``required = 2P``.

    References
    ----------
    J. S. Judd, *Neural Network Design and the Complexity of Learning*, MIT
    Press, 1990 (the two-thirds result; this gadget is trainhard's own).

    Examples
    --------
    >>> inst = cnf_to_loading_two_thirds(CNF(1, [(1,)]))
    >>> inst.num_pairs, inst.required, inst.architecture.nodes[-1]
    (12, 8, Node(name='g', field=(), family=<Family.THRESHOLD: 'threshold'>))
    """
    family = Family(family)
    base = cnf_to_loading(cnf, family=family)
    arch = base.architecture
    g = arch.num_inputs + arch.num_nodes
    new_arch = Architecture(arch.inputs, arch.nodes + (Node("g", (), family),), arch.outputs + (g,))
    p = base.num_pairs
    zero = "0" * arch.num_inputs
    stars = "*" * arch.num_outputs
    pairs = [(s, r + "*") for s, r in base.task.pairs]
    pairs += [(zero, stars + "1")] * p + [(zero, stars + "0")] * p
    meta = {**base.metadata, "reduction": "cnf-to-loading-two-thirds", "base_pairs": p}
    return LoadingInstance(new_arch, Task(tuple(pairs)), 2 * p, meta)


def two_thirds_size(cnf: CNF, **params: object) -> Mapping[str, int]:
    """The documented size of :func:`cnf_to_loading_two_thirds`'s output."""
    base = loading_size(cnf)
    p = base["num_pairs"]
    return {
        **base,
        "num_nodes": base["num_nodes"] + 1,
        "num_outputs": base["num_outputs"] + 1,
        "num_pairs": 3 * p,
        "required": 2 * p,
    }


def two_thirds_forward(cnf: CNF, instance: LoadingInstance, model: Iterable[int]) -> Configuration:
    """The base configuration plus ``g = 1`` (2P of 3P pairs right)."""
    functions = _forward_functions(cnf, instance, _model_values(cnf, model))
    g = as_family(AndOrFunction("and", ()), instance.architecture.nodes[-1].family)
    return Configuration(tuple(functions) + (g,))


def two_thirds_backward(cnf: CNF, instance: LoadingInstance, configuration: Configuration) -> tuple[int, ...]:
    """A configuration with at least ``2P`` pairs right gets all ``P`` original pairs right; read the model off it.

    Raises
    ------
    WitnessError
        If fewer than ``required`` pairs are right.
    """
    if not loads(instance, configuration):
        raise WitnessError(f"the configuration gets fewer than {instance.required} pairs right")
    p = instance.metadata.get("base_pairs", instance.num_pairs // 3)
    if not all(correct_pairs(instance, configuration)[:p]):  # pragma: no cover - impossible by the proof
        raise WitnessError("bug: two thirds right without every original pair right")
    return _read_assignment(cnf, instance, configuration)
