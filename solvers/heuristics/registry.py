"""The heuristic registry: every search that can only find, on one budget scale, judged exactly.

A heuristic looks for a network that fits a training set (the *target* of a
reduction) or for a witness of the source instance (a model, a colouring).
Whatever it returns is judged here, never by the heuristic itself:

* a network is checked with :func:`reductions.problems.fits` in exact
  arithmetic, then mapped back through the reduction and the source witness
  checked by the source's public verifier;
* a source witness is checked by :func:`reductions.problems.verify`.

A witness that fails its check is a bug and raises
:class:`HeuristicBugError`: on an unsatisfiable instance a "success" is
impossible.

Budgets
-------
Every heuristic is charged on one scale, **restart-steps**: one restart
doing one unit of work.  For gradient descent a unit is one optimiser step
of one restart; for local search on the network it is one move (one LP per
changed unit); for WalkSAT/probSAT it is one flip.  Wall time is recorded
beside it, and a :class:`Budget` may cap both.  A heuristic must stop within
its budget; :func:`run_heuristic` refuses a result that reports more.

References
----------
A. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1):117-127, 1992.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Self

from reductions.errors import InvalidInstanceError, TrainhardError
from reductions.problems import OutputFunction, ThresholdNetwork, TrainingSet, fits, kind_of, verify

from ..core.architecture import resolve_hidden, resolve_output_name
from ..core.limits import check_time_limit
from ..core.result import Status, json_value, status_from_json, witness_from_json, witness_to_json

__all__ = [
    "ACTS_ON",
    "Attempt",
    "Budget",
    "Heuristic",
    "HeuristicBugError",
    "HeuristicResult",
    "HEURISTICS",
    "answers",
    "get_heuristic",
    "register_heuristic",
    "run_heuristic",
]

ACTS_ON = ("target", "source")
"""Where a heuristic searches: the training set (a network) or the source instance (its witness)."""


class HeuristicBugError(TrainhardError):
    """A heuristic returned a witness that fails its exact check (a bug: never a result)."""


@dataclass(frozen=True)
class Budget:
    """How much a heuristic may spend on one instance.

    Attributes
    ----------
    restart_steps : int
        Restart-steps (see the module docstring): the scale every heuristic
        is charged on.
    time_s : float or None
        Wall-clock seconds, or no limit.
    """

    restart_steps: int = 10**6
    time_s: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.restart_steps, bool) or not isinstance(self.restart_steps, int) or self.restart_steps < 1:
            raise InvalidInstanceError(f"a budget needs at least one restart-step, got {self.restart_steps!r}")
        check_time_limit(self.time_s)


@dataclass(frozen=True)
class Attempt:
    """What a heuristic's search hands back, before it is judged.

    Attributes
    ----------
    witness : ThresholdNetwork, sequence of int, or None
        A network (heuristics on the target) or a source witness (on the
        source); ``None`` when nothing was found.
    restart_steps : int
        Restart-steps spent (at most the budget's).
    best_errors : int or None
        Target heuristics: the fewest points any network it tried
        misclassifies, counted exactly; 0 with a witness.
    details : mapping
        Anything else worth recording (restarts, moves, LPs, ...).
    """

    witness: Any
    restart_steps: int
    best_errors: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Heuristic:
    """One registered heuristic.

    Attributes
    ----------
    name, description : str
    acts_on : str
        ``"target"`` (searches for a network on the training set) or
        ``"source"`` (searches for the source instance's witness).
    search : callable
        ``search(problem, *, hidden, output, budget, seed, **settings) -> Attempt``
        where ``problem`` is the training set (target) or the source
        instance (source; ``hidden`` and ``output`` are then ``None`` unless
        the source is read as a colouring, when ``hidden`` is its number of
        colours).
    defaults : mapping
        Its settings and their defaults; :func:`run_heuristic` accepts only these.
    tuning : mapping
        Per setting, the values the fair tuning tries (a small grid).
    """

    name: str
    description: str
    acts_on: str
    search: Callable[..., Attempt]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    tuning: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.acts_on not in ACTS_ON:
            raise InvalidInstanceError(f"acts_on must be one of {', '.join(ACTS_ON)}, got {self.acts_on!r}")
        unknown = set(self.tuning) - set(self.defaults)
        if unknown:
            raise InvalidInstanceError(f"{self.name}: tuning names settings it does not have: {', '.join(sorted(unknown))}")


@dataclass(frozen=True)
class HeuristicResult:
    """A heuristic's run on one instance, judged exactly.

    Attributes
    ----------
    heuristic : str
    status : Status
        ``SAT`` when the run certifies the question asked (a network of the
        architecture asked that fits, or a source witness), checked exactly;
        else ``UNKNOWN`` (a heuristic never proves anything).
    network : ThresholdNetwork or None
        Target heuristics: a network that fits, checked with
        :func:`~reductions.problems.fits`; with :attr:`relaxed` it has
        another architecture than the one asked.
    hidden : int or None
        Its number of hidden units (over-parameterised runs use more than
        the reduction's).
    source_witness : tuple of int or None
        The source instance's witness: found directly (source heuristics),
        mapped back from the network, or (relaxed, on colouring sets) the
        ``k'``-colouring an AND of ``k'`` units is; checked by the verifier.
    restart_steps : int
    time_s : float
    best_errors : int or None
    settings : mapping
        The settings it ran with (after defaults and tuning).
    details : mapping
    relaxed : bool
        The network fits the set with more units or another output than
        asked (over-parameterised, or a learned output layer): the status
        stays ``UNKNOWN``, since it is no certificate of the question.
    """

    heuristic: str
    status: Status
    network: ThresholdNetwork | None
    hidden: int | None
    source_witness: tuple[int, ...] | None
    restart_steps: int
    time_s: float
    best_errors: int | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)
    relaxed: bool = False

    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready data; :meth:`from_json` reads it back."""
        return {
            "heuristic": self.heuristic,
            "status": self.status.value,
            "relaxed": self.relaxed,
            "network": witness_to_json(self.network),
            "hidden": self.hidden,
            "source_witness": witness_to_json(self.source_witness),
            "restart_steps": self.restart_steps,
            "time_s": self.time_s,
            "best_errors": self.best_errors,
            "settings": json_value(dict(self.settings)),
            "details": json_value(dict(self.details)),
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Self:
        """The result of a :meth:`to_json` object."""
        try:
            return cls(
                heuristic=str(obj["heuristic"]), status=status_from_json(obj["status"]),
                network=witness_from_json(obj["network"]), hidden=obj["hidden"],
                source_witness=witness_from_json(obj["source_witness"]), restart_steps=int(obj["restart_steps"]),
                time_s=float(obj["time_s"]), best_errors=obj["best_errors"],
                settings=dict(obj["settings"]), details=dict(obj["details"]), relaxed=bool(obj.get("relaxed", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInstanceError(f"not a heuristic result object: {exc}") from None


HEURISTICS: dict[str, Heuristic] = {}
"""The registered heuristics, name -> :class:`Heuristic`: the single list for sweeps, tuning, tests and benchmarks."""


def register_heuristic(heuristic: Heuristic) -> Heuristic:
    """Add ``heuristic`` to :data:`HEURISTICS` (names are unique)."""
    if heuristic.name in HEURISTICS:
        raise ValueError(f"heuristic {heuristic.name!r} is already registered")
    HEURISTICS[heuristic.name] = heuristic
    return heuristic


def get_heuristic(name: str | Heuristic) -> Heuristic:
    """The heuristic registered as ``name`` (or ``name`` itself)."""
    if isinstance(name, Heuristic):
        return name
    try:
        return HEURISTICS[name]
    except (KeyError, TypeError):
        raise InvalidInstanceError(f"unknown heuristic {name!r}; choose one of: {', '.join(HEURISTICS)}") from None


def _map_back(network: ThresholdNetwork, target: TrainingSet, source: Any, reduction: Any,
              params: Mapping[str, Any]) -> tuple[int, ...] | None:
    """The source witness of a fitting network, checked; None without a source.

    The reduction's backward map reads networks of its own architecture (the
    set's hidden units, or ``params["k"]``, and its output).  Any other
    network certifies something only on a colouring set, and only as an AND
    of ``k'`` units: a ``k'``-colouring (:func:`_wider_colouring`).
    """
    if source is None or reduction is None:
        return None
    k = network.hidden_units
    own_output = resolve_output_name(target)
    own = (k == params.get("k", resolve_hidden(target, None, required=False))
           and isinstance(own_output, str) and network.output.table == OutputFunction.named(own_output, k).table)
    if not own:
        return _wider_colouring(network, target, source, reduction)
    witness = reduction.backward(source, target, network)
    colors = reduction.source_params(**reduction.params(**params)).get("colors")
    kind = reduction.source
    if not verify(kind, source, witness, **({"colors": colors} if kind.value == "coloring" else {})):
        raise HeuristicBugError(f"the network maps back through {reduction.name} to a witness that fails its check")
    return tuple(int(x) for x in witness)


_COLORING_REDUCTIONS = ("splitting-to-blum-rivest", "coloring-to-halfspaces")
"""Reductions whose training sets read an AND of k' units as a k'-colouring."""


def _wider_colouring(network: ThresholdNetwork, target: TrainingSet, source: Any, reduction: Any) -> tuple[int, ...] | None:
    """An AND of ``k'`` units fitting a colouring set is a ``k'``-colouring (Blum & Rivest 1992, Lemma 2), checked."""
    if source is None or reduction is None or reduction.name not in _COLORING_REDUCTIONS:
        return None
    k = network.hidden_units
    if network.output.table != OutputFunction.named("and", k).table:
        return None  # another output family: the set is fitted, nothing is certified about the source
    from reductions.blum_rivest import network_to_coloring
    from reductions.problems import Kind

    colouring = network_to_coloring(source, target, network)
    if not verify(Kind.COLORING, source, colouring, colors=k):
        raise HeuristicBugError(f"the {k}-unit network maps back to a colouring that is not proper")
    return tuple(int(c) for c in colouring)


def answers(network: ThresholdNetwork, hidden: int, output: Any) -> bool:
    """Whether ``network`` has the architecture asked for: ``hidden`` units and the ``output`` named.

    ``output`` is a name (``and``, ``or``, ``xor``), an
    :class:`~reductions.problems.OutputFunction`, or a learned family:
    ``any`` (every table) or ``monotone``.
    """
    if network.hidden_units != hidden:
        return False
    if isinstance(output, str) and output.lower() == "any":
        return True
    if isinstance(output, str) and output.lower() == "monotone":
        from ..exact.trainer import is_monotone

        return is_monotone(network.output)
    expected = output if isinstance(output, OutputFunction) else OutputFunction.named(str(output), hidden)
    return network.output.table == expected.table


def run_heuristic(
    heuristic: str | Heuristic,
    problem: Any,
    *,
    source: Any = None,
    reduction: Any = None,
    params: Mapping[str, Any] | None = None,
    hidden: int | None = None,
    output: Any = None,
    budget: Budget | None = None,
    seed: int = 0,
    **settings: Any,
) -> HeuristicResult:
    """Run one registered heuristic on ``problem`` and judge what it finds, exactly.

    Parameters
    ----------
    heuristic : str or Heuristic
        A name from :data:`HEURISTICS`.
    problem : TrainingSet or source instance
        A training set for heuristics acting on the target; for those acting
        on the source, the source instance (or a training set together with
        ``source``: the source is then used).
    source, reduction : optional
        The instance the training set was reduced from, and the reduction
        (a name or :class:`~reductions.registry.Reduction`): a network found
        is mapped back and the source witness checked.
    params : mapping, optional
        The reduction's parameters (``{"k": 3}`` for ``coloring-to-halfspaces``).
    hidden, output : optional
        The question: does a network of ``hidden`` units with ``output`` fit?
        (default: the set's metadata, :mod:`solvers.core.architecture`;
        ``output="any"`` asks for any output table, as a learned output layer
        answers it).  A network of another architecture is kept as
        ``relaxed``.
    budget : Budget, optional
        Default ``Budget()``: 10**6 restart-steps, no time limit.
    seed : int
        Seeds the search; runs are reproducible.
    **settings
        The heuristic's settings (see its ``defaults``); unknown names are refused.

    Raises
    ------
    HeuristicBugError
        The heuristic returned a witness that fails its exact check.
    InvalidInstanceError
        Bad input or an unknown setting.
    """
    h = get_heuristic(heuristic)
    budget = budget if budget is not None else Budget()
    unknown = set(settings) - set(h.defaults)
    if unknown:
        raise InvalidInstanceError(f"{h.name} has no setting {', '.join(sorted(unknown))}; its settings: "
                                   f"{', '.join(h.defaults) or 'none'}")
    used = {**h.defaults, **settings}
    if reduction is not None and not hasattr(reduction, "backward"):
        from reductions.registry import get_reduction

        reduction = get_reduction(reduction)
    start = time.monotonic()
    if h.acts_on == "target":
        if not isinstance(problem, TrainingSet):
            raise InvalidInstanceError(f"{h.name} searches for a network: give it a training set, not a {type(problem).__name__}")
        k = int(resolve_hidden(problem, hidden))
        out = resolve_output_name(problem, output)
        attempt = h.search(problem, hidden=k, output=out, budget=budget, seed=seed, **used)
        found = attempt.witness
        network = source_witness = None
        relaxed = False
        if found is not None:
            if not isinstance(found, ThresholdNetwork) or not fits(found, problem):
                raise HeuristicBugError(f"{h.name} returned a network that does not fit the training set")
            network = found
            relaxed = not answers(found, k, out)  # more units, or another output: it fits, but answers another question
            source_witness = _map_back(found, problem, source, reduction, params or {})
        hidden_found = network.hidden_units if network is not None else int(attempt.details.get("hidden", k))
    else:
        instance = source if source is not None else problem
        colors = hidden  # a source read as a colouring: its number of colours
        if reduction is not None:
            colors = reduction.source_params(**reduction.params(**(params or {}))).get("colors")
        attempt = h.search(instance, hidden=colors, output=None, budget=budget, seed=seed, **used)
        network = None
        hidden_found = None
        source_witness = None
        relaxed = False
        if attempt.witness is not None:
            kind = reduction.source if reduction is not None else kind_of(instance, colors=colors)
            if not verify(kind, instance, attempt.witness, **({"colors": colors} if kind.value == "coloring" else {})):
                raise HeuristicBugError(f"{h.name} returned a witness that fails the {kind.value} verifier")
            source_witness = tuple(int(x) for x in attempt.witness)
    if attempt.restart_steps > budget.restart_steps:
        raise HeuristicBugError(f"{h.name} spent {attempt.restart_steps} restart-steps on a budget of {budget.restart_steps}")
    solved = (network is not None or source_witness is not None) and not relaxed
    return HeuristicResult(
        heuristic=h.name, status=Status.SAT if solved else Status.UNKNOWN, network=network, relaxed=relaxed,
        hidden=hidden_found, source_witness=source_witness, restart_steps=int(attempt.restart_steps),
        time_s=time.monotonic() - start,
        best_errors=0 if network is not None else attempt.best_errors,
        settings=used, details=dict(attempt.details),
    )
