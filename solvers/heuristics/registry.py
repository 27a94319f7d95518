"""The heuristic registry: every search that can only find, on one budget scale, judged exactly.

A heuristic looks for a witness of a reduction's *target* (a network that
fits a training set, or a configuration that loads a Judd loading instance)
or for a witness of the source instance (a model, a colouring).  Which
targets a heuristic searches is declared once, in :attr:`Heuristic.targets`,
and :meth:`Heuristic.refuses` is the one place that decides whether it can
run on a given target (the sweep's rows read it too).  Whatever it returns
is judged here, never by the heuristic itself:

* a network is checked with :func:`reductions.problems.fits` in exact
  arithmetic, then mapped back through the reduction and the source witness
  checked by the source's public verifier;
* a loading configuration is checked with :func:`reductions.loading.loads`
  (exact: Boolean node functions run on the task's stimuli), then mapped
  back likewise (``cnf-to-loading`` reads a model off it);
* a source witness is checked by :func:`reductions.problems.verify`.

A witness that fails its check is a bug and raises
:class:`HeuristicBugError`: on an unsatisfiable instance a "success" is
impossible.

Budgets
-------
Every heuristic is charged on one scale, **restart-steps**: one restart
doing one unit of work.  For gradient descent (on a network or a loading
architecture) a unit is one optimiser step of one restart; for local search on the network it is one move (one LP per
changed unit); for WalkSAT/probSAT it is one flip.  Wall time is recorded
beside it, and a :class:`Budget` may cap both.  A heuristic must stop within
its budget; :func:`run_heuristic` refuses a result that reports more.

References
----------
A. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1):117-127, 1992.

J. S. Judd, "On the complexity of loading shallow neural networks",
J. Complexity 4:177–192, 1988.

J. S. Judd, *Neural Network Design and the Complexity of Learning*, MIT
Press, 1990.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Self

from reductions.errors import InvalidInstanceError, TrainhardError, WitnessError
from reductions.loading import Configuration, LoadingInstance, loads, num_correct
from reductions.problems import Kind, OutputFunction, ThresholdNetwork, TrainingSet, fits, kind_of, verify

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
    "TARGET_KINDS",
    "answers",
    "get_heuristic",
    "register_heuristic",
    "run_heuristic",
    "target_kind",
]

ACTS_ON = ("target", "source")
"""Where a heuristic searches: the target (a training set or loading instance) or the source instance (its witness)."""

TARGET_KINDS: Mapping[Kind, tuple[type, str, str]] = {
    Kind.TRAINING: (TrainingSet, "threshold networks", "a training set"),
    Kind.LOADING: (LoadingInstance, "loading configurations", "a loading instance"),
}
"""The targets a heuristic may search: kind -> (instance type, what it searches for, what to give it)."""


def target_kind(problem: Any) -> Kind | None:
    """The kind of target ``problem`` is (:data:`TARGET_KINDS`), or ``None`` for anything else."""
    for kind, (cls, _, _) in TARGET_KINDS.items():
        if isinstance(problem, cls):
            return kind
    return None


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
    witness : ThresholdNetwork, Configuration, sequence of int, or None
        A network or a loading configuration (heuristics on the target) or
        a source witness (on the source); ``None`` when nothing was found.
    restart_steps : int
        Restart-steps spent (at most the budget's).
    best_errors : int or None
        Target heuristics: the fewest points any network it tried
        misclassifies (on a loading instance: the fewest pairs not right),
        counted exactly; 0 with a network.
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
        ``"target"`` (searches for the target's witness) or ``"source"``
        (searches for the source instance's witness).
    search : callable
        ``search(problem, *, hidden, output, budget, seed, **settings) -> Attempt``
        where ``problem`` is the target (a training set, or a loading
        instance: ``hidden`` and ``output`` are then ``None``, the
        architecture comes with it) or the source instance (``hidden`` and
        ``output`` are then ``None`` unless the source is read as a
        colouring, when ``hidden`` is its number of colours).
    defaults : mapping
        Its settings and their defaults; :func:`run_heuristic` accepts only these.
    tuning : mapping
        Per setting, the values the fair tuning tries (a small grid).
    targets : tuple of Kind
        Heuristics on the target: the kinds of target it searches, from
        :data:`TARGET_KINDS` (default ``(Kind.TRAINING,)``: threshold
        networks on training sets; ``(Kind.LOADING,)`` for Judd's loading
        instances).  Names (``"loading"``) are accepted and normalised.
        Ignored by heuristics on the source.  :meth:`refuses` reads it.
    """

    name: str
    description: str
    acts_on: str
    search: Callable[..., Attempt]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    tuning: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    targets: tuple[Kind, ...] = (Kind.TRAINING,)

    def __post_init__(self) -> None:
        if self.acts_on not in ACTS_ON:
            raise InvalidInstanceError(f"acts_on must be one of {', '.join(ACTS_ON)}, got {self.acts_on!r}")
        unknown = set(self.tuning) - set(self.defaults)
        if unknown:
            raise InvalidInstanceError(f"{self.name}: tuning names settings it does not have: {', '.join(sorted(unknown))}")
        targets = (self.targets,) if isinstance(self.targets, (str, Kind)) else tuple(self.targets)
        try:
            kinds = tuple(dict.fromkeys(Kind(t) for t in targets))
        except ValueError:
            kinds = ()
        if not kinds or any(k not in TARGET_KINDS for k in kinds):
            allowed = ", ".join(k.value for k in TARGET_KINDS)
            raise InvalidInstanceError(f"{self.name}: targets must be some of {allowed}, got {self.targets!r}")
        object.__setattr__(self, "targets", kinds)

    def refuses(self, target: Any) -> str | None:
        """Why this heuristic cannot search ``target``, or ``None`` when it can.

        The one place that decides which heuristic runs on which target:
        :func:`run_heuristic` raises the reason, and a sweep records it as
        the reason of an UNKNOWN row.

        Parameters
        ----------
        target : object
            The problem it would be given: a training set or loading
            instance for a heuristic on the target (which it searches only
            when its kind is in :attr:`targets`).  A heuristic on the
            source searches the source instance, whatever the target: it
            refuses nothing here.

        Returns
        -------
        str or None
            A one-line reason, naming what it searches and what it was given.
        """
        if self.acts_on != "target":
            return None
        kind = target_kind(target)
        if kind in self.targets:
            return None
        searched = " or ".join(TARGET_KINDS[k][1] for k in self.targets)
        wanted = " or ".join(TARGET_KINDS[k][2] for k in self.targets)
        given = TARGET_KINDS[kind][1] if kind is not None else None
        return (f"{self.name} searches {searched}{f', not {given}' if given else ''}: "
                f"give it {wanted}, not a {type(target).__name__}")


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
        the reduction's); ``None`` on the source and on loading instances.
    source_witness : tuple of int or None
        The source instance's witness: found directly (source heuristics),
        mapped back from the network or configuration, or (relaxed, on
        colouring sets) the ``k'``-colouring an AND of ``k'`` units is;
        checked by the verifier.
    restart_steps : int
    time_s : float
    best_errors : int or None
        The fewest points misclassified (pairs not right, on a loading
        instance) by anything it tried, counted exactly; ``None`` when it
        reports none.
    settings : mapping
        The settings it ran with (after defaults and tuning).
    details : mapping
    relaxed : bool
        The network fits the set with more units or another output than
        asked (over-parameterised, or a learned output layer): the status
        stays ``UNKNOWN``, since it is no certificate of the question.
    configuration : Configuration or None
        Heuristics on a loading instance: a configuration that loads it,
        checked with :func:`~reductions.loading.loads`.
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
    configuration: Configuration | None = None

    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready data; :meth:`from_json` reads it back."""
        return {
            "heuristic": self.heuristic,
            "status": self.status.value,
            "relaxed": self.relaxed,
            "network": witness_to_json(self.network),
            "configuration": witness_to_json(self.configuration),
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
                configuration=_configuration_from_json(obj.get("configuration")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInstanceError(f"not a heuristic result object: {exc}") from None


def _configuration_from_json(obj: Any) -> Configuration | None:
    """The loading configuration :func:`witness_to_json` wrote (``[]``: a configuration of no nodes)."""
    if obj is None:
        return None
    found = Configuration(()) if obj == [] else witness_from_json(obj)
    if not isinstance(found, Configuration):
        raise InvalidInstanceError(f"configuration must be a list of node functions, got {obj!r:.80}")
    return found


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
    return _checked_source_witness(reduction.backward(source, target, network), source, reduction, params, "network")


def _checked_source_witness(witness: Any, source: Any, reduction: Any, params: Mapping[str, Any],
                            what: str) -> tuple[int, ...]:
    """``witness``, mapped back through ``reduction``, checked with the source's verifier (else a bug)."""
    colors = reduction.source_params(**reduction.params(**params)).get("colors")
    kind = reduction.source
    if not verify(kind, source, witness, **({"colors": colors} if kind is Kind.COLORING else {})):
        raise HeuristicBugError(f"the {what} maps back through {reduction.name} to a witness that fails its check")
    return tuple(int(x) for x in witness)


def _judge_configuration(h: Heuristic, found: Any, target: LoadingInstance) -> Configuration | None:
    """``found`` if it is a configuration that loads ``target`` (:func:`~reductions.loading.loads`), else a bug."""
    if found is None:
        return None
    try:
        loaded = isinstance(found, Configuration) and loads(target, found)
    except WitnessError:  # the wrong shape, or a function outside a node's family
        loaded = False
    if not loaded:
        raise HeuristicBugError(f"{h.name} returned a configuration that does not load the task")
    return found


def _map_back_configuration(configuration: Configuration, target: LoadingInstance, source: Any, reduction: Any,
                            params: Mapping[str, Any]) -> tuple[int, ...] | None:
    """The source witness of a configuration that loads ``target``, checked; None without a source.

    ``cnf-to-loading`` reads a model off *any* configuration that loads its
    task (trainhard's own gadget after Judd 1988; see
    :func:`reductions.judd.cnf_to_loading`), and the model is checked with
    :func:`~reductions.problems.verify`.
    """
    if source is None or reduction is None:
        return None
    if reduction.target is not Kind.LOADING:
        raise InvalidInstanceError(f"{reduction.name} does not produce loading instances: it cannot map a configuration back")
    try:
        witness = reduction.backward(source, target, configuration)
    except WitnessError as error:
        raise HeuristicBugError(f"the configuration does not map back through {reduction.name}: {error}") from None
    return _checked_source_witness(witness, source, reduction, params, "configuration")


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
    problem : TrainingSet, LoadingInstance or source instance
        For heuristics acting on the target, a target of a kind in its
        :attr:`~Heuristic.targets` (a training set, or a Judd loading
        instance); for those acting on the source, the source instance (or
        a target together with ``source``: the source is then used).
    source, reduction : optional
        The instance the target was reduced from, and the reduction (a name
        or :class:`~reductions.registry.Reduction`): a network or loading
        configuration found is mapped back and the source witness checked.
    params : mapping, optional
        The reduction's parameters (``{"k": 3}`` for ``coloring-to-halfspaces``).
    hidden, output : optional
        The question on a training set: does a network of ``hidden`` units
        with ``output`` fit?  (default: the set's metadata,
        :mod:`solvers.core.architecture`; ``output="any"`` asks for any
        output table, as a learned output layer answers it).  A network of
        another architecture is kept as ``relaxed``.  A loading instance
        carries its architecture: neither may be given.
    budget : Budget, optional
        Default ``Budget()``: 10**6 restart-steps, no time limit.
    seed : int
        Seeds the search; runs are reproducible.
    **settings
        The heuristic's settings (see its ``defaults``); unknown names are refused.

    Returns
    -------
    HeuristicResult
        On a loading instance, a success is a ``configuration`` checked
        with :func:`~reductions.loading.loads` (Judd 1988's verifier) and,
        with a source, mapped back to a ``source_witness`` checked by
        :func:`~reductions.problems.verify`.

    Raises
    ------
    HeuristicBugError
        The heuristic returned a witness that fails its exact check, or
        spent more restart-steps than the budget.
    InvalidInstanceError
        Bad input, an unknown setting, or a target the heuristic does not
        search (:meth:`Heuristic.refuses`).
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
    configuration = None
    if h.acts_on == "target" and (refusal := h.refuses(problem)) is not None:
        raise InvalidInstanceError(refusal)
    if h.acts_on == "target" and isinstance(problem, LoadingInstance):
        if hidden is not None or output is not None:
            raise InvalidInstanceError("a loading instance carries its architecture: give neither hidden nor output")
        attempt = h.search(problem, hidden=None, output=None, budget=budget, seed=seed, **used)
        configuration = _judge_configuration(h, attempt.witness, problem)
        network = hidden_found = None
        relaxed = False
        source_witness = (None if configuration is None
                          else _map_back_configuration(configuration, problem, source, reduction, params or {}))
    elif h.acts_on == "target":
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
    solved = (network is not None or configuration is not None or source_witness is not None) and not relaxed
    if network is not None:
        best_errors = 0
    elif configuration is not None:  # all pairs but those a two-thirds task may leave wrong: counted here, exactly
        best_errors = problem.num_pairs - num_correct(problem, configuration)
    else:
        best_errors = attempt.best_errors
    return HeuristicResult(
        heuristic=h.name, status=Status.SAT if solved else Status.UNKNOWN, network=network, relaxed=relaxed,
        hidden=hidden_found, source_witness=source_witness, restart_steps=int(attempt.restart_steps),
        time_s=time.monotonic() - start, best_errors=best_errors,
        settings=used, details=dict(attempt.details), configuration=configuration,
    )
