"""Batched gradient descent on threshold networks, judged exactly.

The heuristic everyone uses, run on training sets whose exact answer is
known.  The hidden threshold units of a one-hidden-layer network (unit ``u``
fires iff ``w_u · x > t_u``, Blum & Rivest 1992) are relaxed to a
differentiable surrogate, trained with Adam or SGD from many random
restarts at once, and every restart is then *thresholded* and judged by the
exact verifier :func:`reductions.problems.fits`.  A float loss below a
tolerance never counts as a success.

Surrogates (all work for any output truth table, ``and``, ``or``, ``xor``)
are the entries of the registry :data:`solvers.gd.surrogates.SURROGATES`:
``sigmoid`` (binary cross-entropy of the multilinear output of sigmoid
units), ``anneal`` (the same with a decaying temperature) and ``hinge`` (the
hinge loss of the nearest hidden pattern that gives the right output).  Each
entry gives the per-point loss that :func:`relaxed_loss` averages and its
closed-form gradient, which the batched engine uses.

Batching.  The instances of one shape and their restarts form one tensor
program: weights are stacked as ``[instances, d + 1, restarts * k]`` (the
last row is the bias ``-t``, restarts contiguous), the pre-activations are
the contraction ``X W``, and the gradient is computed in closed form
(checked against autograd in the tests) and applied by an elementwise Adam
or SGD (:func:`~solvers.gd.optim.optimizer_step`).  The loss is a mean over the points *within* a restart and a
**sum** over restarts and instances, so every restart receives exactly its
own gradient: averaging over restarts would shrink each restart's gradient
by the batch size (and, with Adam's epsilon, stop large batches from
learning).  Restart ``r`` is initialised from its own generator seeded by
``(seed, r)``.

Batch invariance, by construction.  Every number that belongs to one
restart is computed by operations whose order and rounding depend only on
that restart's own shapes (points, dimension, ``k``): elementwise IEEE
operations, each correctly rounded, and sums in a fixed order over the
restart's own points or coordinates (:func:`_forward`, :func:`_backward`).
No GEMM is used by default, because a GEMM's blocking, and so its rounding,
depends on how many columns (restarts) share it.  ``exp`` is built from
basic operations (:func:`~solvers.gd.torch_utils.invariant_exp`), because
PyTorch's vector and scalar-tail code for transcendental functions can
differ in the last bit.  So restart
``r``'s weights are the same bits alone or among any number of restarts and
instances, however they are chunked, on any CPU, and by the same
construction on CUDA.  ``GDConfig(fast=True)`` contracts with batched
GEMMs instead: faster, equal only up to rounding.  ``torch.compile`` may
fuse or reorder operations: compiled results equal eager ones up to
rounding.

Judging.  At every step the forward pass also counts, per restart, the points
the *thresholded* network gets right (in floating point).  The first step at
which a restart gets every point right is a candidate; its weights are
converted exactly (``Fraction(float)`` is exact) into a
:class:`~reductions.problems.ThresholdNetwork` and checked with ``fits``.
Only that exact check makes a success; a candidate it rejects (a point on
the boundary, rounding) is dropped and the restart trains on.

References
----------
A. Blum, R. L. Rivest, "Training a 3-node neural network is NP-complete",
Neural Networks 5(1):117-127, 1992.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable, Mapping, Self, Sequence

import numpy as np

from reductions.errors import InvalidInstanceError
from reductions.problems import OutputFunction, ThresholdNetwork, TrainingSet, fits

from .optim import OPTIMIZERS, adam_bias_corrections, optimizer_step
from .surrogates import SURROGATES as SURROGATE_REGISTRY
from .torch_utils import DeviceError, import_torch, resolve_device, restart_seed

if TYPE_CHECKING:  # pragma: no cover
    import torch

__all__ = [
    "SURROGATES",
    "OPTIMIZERS",
    "GDConfig",
    "cli_option",
    "json_object",
    "steps_from_json",
    "GDInstanceResult",
    "GDRun",
    "DeviceError",
    "train_gd",
    "resolve_device",
    "restart_init",
    "relaxed_loss",
    "network_from_row",
    "judge",
    "run_from_json",
    "run_to_json",
    "train_one_naive",
]

SURROGATES = tuple(SURROGATE_REGISTRY)
"""Names of the relaxations of the threshold units, derived from :data:`solvers.gd.surrogates.SURROGATES`."""

DTYPES = ("float32", "float64")


# ---------------------------------------------------------------------------
# configuration and results
# ---------------------------------------------------------------------------


MAX_STEPS = 10**12
"""Most optimiser steps per restart (a run that long needs ``time_limit`` anyway)."""

MAX_RESTARTS = 2**24
"""Most restarts per instance: per-restart records are kept on the host."""

MAX_SEED = 2**63 - 1
"""Largest seed, restart offset and index (torch generators take 64-bit seeds)."""

MAX_MAGNITUDE = 1e12
"""Largest learning rate, temperature, margin or initial scale; temperatures are also at least its inverse."""


def json_object(obj: Any, what: str, keys: Sequence[str]) -> Mapping[str, Any]:
    """``obj`` checked to be a JSON object with every key of ``keys``; for the ``from_json`` readers.

    Parameters
    ----------
    obj : Any
        A decoded JSON value.
    what : str
        What it should describe, for the error message.
    keys : sequence of str
        Keys it must have (others are ignored).

    Returns
    -------
    Mapping
        ``obj`` itself.

    Raises
    ------
    InvalidInstanceError
        When ``obj`` is not a dict or lacks a key.

    Examples
    --------
    >>> json_object({"a": 1}, "a thing", ["a"])
    {'a': 1}
    """
    if not isinstance(obj, Mapping):
        raise InvalidInstanceError(f"{what} must be a JSON object, got {type(obj).__name__}")
    missing = [key for key in keys if key not in obj]
    if missing:
        raise InvalidInstanceError(f"{what} has no {missing[0]!r}")
    return obj


def steps_from_json(obj: Any, what: str) -> tuple[int | None, ...]:
    """Per-restart success steps (integers or ``None``) from a JSON array.

    Parameters
    ----------
    obj : Any
        A decoded JSON array.
    what : str
        What it is, for the error message.

    Returns
    -------
    tuple of (int or None)

    Raises
    ------
    InvalidInstanceError
        When ``obj`` is not an array of non-negative integers and nulls.

    Examples
    --------
    >>> steps_from_json([3, None], "steps")
    (3, None)
    """
    if not isinstance(obj, list) or any(
        s is not None and (isinstance(s, bool) or not isinstance(s, int) or s < 0) for s in obj
    ):
        raise InvalidInstanceError(f"{what} must be an array of non-negative integers and nulls")
    return tuple(obj)


def _positive_int(value: Any, what: str, *, minimum: int = 1, maximum: int = MAX_SEED) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidInstanceError(f"{what} must be an integer, got {value!r}")
    if not minimum <= int(value) <= maximum:
        raise InvalidInstanceError(f"{what} must be between {minimum} and {maximum}, got {value}")
    return int(value)


def _positive_float(value: Any, what: str, *, allow_zero: bool = False, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidInstanceError(f"{what} must be a number, got {value!r}")
    try:
        f = float(value)
    except OverflowError:
        f = math.inf
    bound = ">= 0" if allow_zero else "> 0"
    if not math.isfinite(f) or f < 0 or (f == 0 and not allow_zero):
        raise InvalidInstanceError(f"{what} must be finite and {bound}, got {value!r}")
    if f > MAX_MAGNITUDE or (f != 0 and f < minimum):
        raise InvalidInstanceError(f"{what} must be between {minimum or 0:g} and {MAX_MAGNITUDE:g}, got {value!r}")
    return f


def cli_option(help: str | None, *, choices: Sequence[str] | None = None, dest: str | None = None) -> dict[str, Any]:
    """Field metadata declaring a :class:`GDConfig` field's command-line flag.

    The CLI (:mod:`solvers.cli.gd`) adds one flag per field that carries
    this metadata: ``--`` plus the field name with ``-`` for ``_``, its type
    from the field's annotation (a ``bool`` is a ``store_true`` switch), its
    default the field's default.

    Parameters
    ----------
    help : str or None
        The flag's argparse help text (may use ``%(default)s``); ``None`` for none.
    choices : sequence of str, optional
        The allowed values.
    dest : str, optional
        The argparse destination, where it is not the field name.

    Returns
    -------
    dict
        ``{"cli": {...}}``, to pass as ``dataclasses.field(metadata=...)``.

    Examples
    --------
    >>> cli_option("learning rate", dest="rate")
    {'cli': {'help': 'learning rate', 'choices': None, 'dest': 'rate'}}
    """
    return {"cli": {"help": help, "choices": choices, "dest": dest}}


@dataclass(frozen=True)
class GDConfig:
    """How gradient descent runs; validated on construction.

    Parameters
    ----------
    hidden : int
        Hidden threshold units ``k`` (2 for the Blum–Rivest 3-node network).
    output : str
        Output function of the hidden bits: ``"and"``, ``"or"`` or ``"xor"``.
    surrogate : str
        A name in the registry :data:`solvers.gd.surrogates.SURROGATES`:
        ``"sigmoid"``, ``"anneal"`` or ``"hinge"``.
    optimizer : str
        ``"adam"`` (betas 0.9, 0.999, eps 1e-8, PyTorch's formula) or ``"sgd"``.
    lr : float
        Learning rate.
    steps : int
        Optimiser steps per restart.
    restarts : int
        Independent random initialisations per instance.
    seed : int
        Restart ``r`` is initialised from a generator seeded by ``(seed, r)``.
    device : str
        ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"auto"`` (CUDA when present).
    dtype : str
        ``"float32"`` or ``"float64"`` for the training arithmetic.
    temperature, final_temperature : float
        Sigmoid temperature; ``anneal`` decays it geometrically to the final one.
    margin : float
        Hinge margin.
    init_scale : float
        Weights and biases start uniform in ``±init_scale``.
    momentum : float
        SGD momentum (0 for plain SGD).
    check_every : int
        Candidates are judged exactly every this many steps (their step is
        recorded exactly whatever the interval); the run stops early once
        every restart has succeeded.
    batch_size : int or None
        Most restart-instance pairs in one tensor program; larger jobs are
        split into chunks, which changes no result.  ``None``: 2,048 on the
        CPU (where large temporaries fall out of cache), 65,536 on CUDA.
    stop_at_first : bool
        Stop each instance at its first exactly checked fit (at the next
        check), as a heuristic that only needs one network would; the
        restarts not yet fitted then count as failures, so success rates
        across restarts need the default ``False``.  Restart-steps are
        charged for every restart of a tensor program up to the stop.
    compile : bool
        Run the step through :func:`torch.compile` (fused kernels; meant for
        CUDA).  Compiled code may round differently from eager code (the
        compiler may fuse or reorder operations): equal up to rounding.
    fast : bool
        Contract points and weights with batched GEMMs (BLAS, cuBLAS) instead
        of the fixed-order elementwise contraction.  Faster, but a GEMM's
        blocking depends on how many restarts share it, so restart ``r``'s
        weights are then equal alone and in a batch only up to rounding.
        Off by default; recorded in sweep rows (it is part of the solver key).
    restart_offset : int
        Index of the first restart: the run trains restarts
        ``restart_offset .. restart_offset + restarts - 1`` (to extend a run,
        or to rerun one restart alone).

    Notes
    -----
    Every field is range-checked on construction (one
    :class:`~reductions.errors.InvalidInstanceError` line, never an
    overflow later): at most :data:`MAX_STEPS` steps and
    :data:`MAX_RESTARTS` restarts; seeds and restart indices below 2**63;
    learning rate, temperatures, margin and initial scale finite and at most
    :data:`MAX_MAGNITUDE`, temperatures at least its inverse.
    """

    # The command-line flags of ``trainhard gd`` and ``trainhard crosscheck``
    # are generated from these fields (see :func:`cli_option`): a field
    # without a ``"cli"`` entry in its metadata has no generated flag.
    hidden: int = 2  # the CLI's --hidden defaults to the set's metadata: hand-written there
    output: str = "and"  # likewise --output
    surrogate: str = field(default="sigmoid", metadata=cli_option(
        "relaxation of the threshold units (default %(default)s)", choices=SURROGATES))
    optimizer: str = field(default="adam", metadata=cli_option("default %(default)s", choices=OPTIMIZERS))
    lr: float = field(default=0.05, metadata=cli_option("learning rate (default %(default)s)"))
    steps: int = field(default=2000, metadata=cli_option("steps per restart (default %(default)s)"))
    restarts: int = field(default=16, metadata=cli_option("random restarts per instance (default %(default)s)"))
    seed: int = field(default=0, metadata=cli_option(
        "seed of the restarts' initialisations (default %(default)s)", dest="gd_seed"))
    device: str = field(default="cpu", metadata=cli_option("cpu, cuda, cuda:N or auto (default %(default)s)"))
    dtype: str = field(default="float32", metadata=cli_option(None, choices=list(DTYPES)))
    temperature: float = field(default=1.0, metadata=cli_option("sigmoid temperature (default %(default)s)"))
    final_temperature: float = field(default=0.05, metadata=cli_option(
        "anneal: final temperature (default %(default)s)"))
    margin: float = field(default=1.0, metadata=cli_option("hinge margin (default %(default)s)"))
    init_scale: float = field(default=1.0, metadata=cli_option(
        "initial weights uniform in ±this (default %(default)s)"))
    momentum: float = field(default=0.0, metadata=cli_option("SGD momentum (default %(default)s)"))
    check_every: int = 50  # not on the command line
    batch_size: int | None = field(default=None, metadata=cli_option(
        "restart-instance pairs per tensor program (default 2048 on CPU, 65536 on CUDA)"))
    stop_at_first: bool = field(default=False, metadata=cli_option(
        "stop each instance at its first exact fit (success rates across restarts then mean nothing)"))
    compile: bool = field(default=False, metadata=cli_option(
        "fuse the step with torch.compile (for CUDA; equal to eager up to rounding)"))
    fast: bool = field(default=False, metadata=cli_option(
        "contract with batched GEMMs: faster, but a restart's weights then depend on the batch "
        "up to rounding (default: the batch-invariant fixed-order contraction)"))
    restart_offset: int = 0  # not on the command line (an API for extending or replaying runs)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", _positive_int(self.hidden, "hidden units"))
        if self.hidden > 12:
            raise InvalidInstanceError(f"at most 12 hidden units are supported, got {self.hidden}")
        OutputFunction.named(self.output, self.hidden)  # refuses unknown names
        for name, allowed in (("surrogate", tuple(SURROGATE_REGISTRY)), ("optimizer", OPTIMIZERS), ("dtype", DTYPES)):
            if getattr(self, name) not in allowed:
                raise InvalidInstanceError(
                    f"unknown {name} {getattr(self, name)!r}; choose one of {', '.join(allowed)}"
                )
        object.__setattr__(self, "lr", _positive_float(self.lr, "learning rate"))
        object.__setattr__(self, "steps", _positive_int(self.steps, "steps", minimum=0, maximum=MAX_STEPS))
        object.__setattr__(self, "restarts", _positive_int(self.restarts, "restarts", maximum=MAX_RESTARTS))
        object.__setattr__(self, "seed", _positive_int(self.seed, "seed", minimum=0))
        for name in ("temperature", "final_temperature"):  # 1 / T must be finite, in float32 too
            what = name.replace("_", " ")
            object.__setattr__(self, name, _positive_float(getattr(self, name), what, minimum=1 / MAX_MAGNITUDE))
        object.__setattr__(self, "margin", _positive_float(self.margin, "margin", allow_zero=True))
        object.__setattr__(self, "init_scale", _positive_float(self.init_scale, "init scale"))
        object.__setattr__(self, "momentum", _positive_float(self.momentum, "momentum", allow_zero=True))
        if self.momentum >= 1:
            raise InvalidInstanceError(f"momentum must be < 1, got {self.momentum}")
        object.__setattr__(self, "check_every", _positive_int(self.check_every, "check interval"))
        if self.batch_size is not None:
            object.__setattr__(self, "batch_size", _positive_int(self.batch_size, "batch size", maximum=2**31 - 1))
        if not isinstance(self.device, str):
            raise DeviceError(f"device must be a string, got {self.device!r}")
        for flag in ("compile", "fast", "stop_at_first"):
            if not isinstance(getattr(self, flag), (bool, np.bool_)):
                raise InvalidInstanceError(f"{flag} must be true or false, got {getattr(self, flag)!r}")
            object.__setattr__(self, flag, bool(getattr(self, flag)))
        object.__setattr__(self, "restart_offset", _positive_int(self.restart_offset, "restart offset", minimum=0,
                                                                 maximum=MAX_SEED - self.restarts))

    def to_json(self) -> dict[str, Any]:
        """Every field by name, as JSON values (the fields are validated ints, floats, strings, bools or ``None``).

        Returns
        -------
        dict
            ``{field name: value}``, in field order; :meth:`from_json` is its inverse.

        Examples
        --------
        >>> GDConfig.from_json(GDConfig(steps=5).to_json()) == GDConfig(steps=5)
        True
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, obj: Any) -> Self:
        """The configuration of a :meth:`to_json` object (missing fields take their defaults).

        Parameters
        ----------
        obj : dict
            Field names to values.

        Returns
        -------
        GDConfig

        Raises
        ------
        InvalidInstanceError
            For a value that is not a JSON object, an unknown field, or a
            field that fails validation.
        """
        obj = json_object(obj, "a gradient-descent configuration", ())
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(obj) - names)
        if unknown:
            raise InvalidInstanceError(f"a gradient-descent configuration has no field {unknown[0]!r}")
        return cls(**obj)

    @property
    def output_function(self) -> OutputFunction:
        """The output function as an :class:`OutputFunction` of ``hidden`` inputs."""
        return OutputFunction.named(self.output, self.hidden)

    def temperature_at(self, step: int) -> float:
        """The sigmoid temperature at ``step``: constant unless the surrogate :attr:`~solvers.gd.surrogates.Surrogate.anneals`.

        An annealing surrogate's temperature decays geometrically from
        ``temperature`` at step 0 to ``final_temperature`` at step
        ``steps - 1`` (and stays there).

        Examples
        --------
        >>> GDConfig(surrogate="anneal", steps=3, temperature=1.0, final_temperature=0.25).temperature_at(1)
        0.5
        >>> GDConfig(surrogate="sigmoid", steps=3, temperature=1.0).temperature_at(2)
        1.0
        """
        if not SURROGATE_REGISTRY[self.surrogate].anneals or self.steps <= 1:
            return self.temperature
        frac = min(step, self.steps - 1) / (self.steps - 1)
        return self.temperature * (self.final_temperature / self.temperature) ** frac


class RestartSummary:
    """What every gradient-descent result derives from its per-restart record.

    Subclasses provide ``success_steps`` (per restart, the first step at
    which it succeeded under the exact check, or ``None``), ``best_correct``
    and ``num_points`` (points, or pairs of a loading task).
    """

    success_steps: tuple[int | None, ...]
    best_correct: int
    num_points: int

    @property
    def restarts_solved(self) -> int:
        """How many restarts succeeded under the exact check."""
        return sum(s is not None for s in self.success_steps)

    @property
    def first_success_step(self) -> int | None:
        """Fewest steps any restart needed to succeed, or ``None``."""
        steps = [s for s in self.success_steps if s is not None]
        return min(steps) if steps else None

    @property
    def best_errors(self) -> int:
        """Points (pairs) the best network (configuration) found gets wrong."""
        return self.num_points - self.best_correct

    @property
    def best_accuracy(self) -> float:
        """``best_correct / num_points`` (1.0 when there is nothing to get right)."""
        return self.best_correct / self.num_points if self.num_points else 1.0

    def solved_within(self, restarts: int) -> bool:
        """Whether one of the first ``restarts`` restarts succeeded.

        Valid because restart ``r`` does not depend on the others: its
        outcome is the same in a run of ``restarts`` restarts.
        """
        return any(s is not None for s in self.success_steps[:restarts])


@dataclass(frozen=True)
class GDInstanceResult(RestartSummary):
    """Gradient descent on one training set, judged exactly.

    Attributes
    ----------
    num_points : int
    restarts : int
    success_steps : tuple of (int or None)
        Per restart, the first step (number of updates applied) at which its
        thresholded network fits the whole set under the exact ``fits``
        check, or ``None``.
    best_correct : int
        Most points classified correctly by one thresholded network of any
        restart at any step, counted exactly on :attr:`best_network`.
    network : ThresholdNetwork or None
        A network that fits (the earliest success, lowest restart index on
        ties), already checked with ``fits``.
    best_network : ThresholdNetwork or None
        The network achieving :attr:`best_correct`.
    """

    num_points: int
    restarts: int
    success_steps: tuple[int | None, ...]
    best_correct: int
    network: ThresholdNetwork | None
    best_network: ThresholdNetwork | None

    @property
    def solved(self) -> bool:
        """Whether some restart found a network that fits exactly."""
        return self.network is not None

    def to_json(self, *, full: bool = True) -> dict[str, Any]:
        """The result as JSON-ready data (networks in the trainhard network format).

        Parameters
        ----------
        full : bool
            Also give ``success_steps`` (per restart) and ``best_network``,
            so that :meth:`from_json` rebuilds the result exactly (the
            default).  ``full=False`` gives the summary that
            ``trainhard gd --json`` prints and the cross-check rows embed.

        Returns
        -------
        dict
            ``num_points``, ``restarts``, ``restarts_solved``,
            ``first_success_step``, ``best_correct``, ``best_accuracy``,
            ``network`` (``None`` when not solved); with ``full``, then
            ``success_steps`` and ``best_network``.
        """
        from reductions import formats

        obj = {
            "num_points": self.num_points,
            "restarts": self.restarts,
            "restarts_solved": self.restarts_solved,
            "first_success_step": self.first_success_step,
            "best_correct": self.best_correct,
            "best_accuracy": self.best_accuracy,
            "network": formats.network_to_json(self.network) if self.network is not None else None,
        }
        if full:
            obj["success_steps"] = list(self.success_steps)
            obj["best_network"] = formats.network_to_json(self.best_network) if self.best_network is not None else None
        return obj

    @classmethod
    def from_json(cls, obj: Any) -> Self:
        """The result of a :meth:`to_json` object (the derived summary keys are not read).

        Parameters
        ----------
        obj : dict
            As written by :meth:`to_json` with ``full=True``.

        Returns
        -------
        GDInstanceResult

        Raises
        ------
        InvalidInstanceError
            For a missing key (a summary written without ``full``) or a malformed value.
        FormatError
            For a malformed network.
        """
        from reductions import formats

        keys = ("num_points", "restarts", "success_steps", "best_correct", "network", "best_network")
        obj = json_object(obj, "a gradient-descent result", keys)
        networks = [None if obj[key] is None else formats.network_from_json(obj[key]) for key in ("network", "best_network")]
        steps = steps_from_json(obj["success_steps"], "success_steps")
        return cls(_positive_int(obj["num_points"], "num_points", minimum=0), _positive_int(obj["restarts"], "restarts"),
                   steps, _positive_int(obj["best_correct"], "best_correct", minimum=0), *networks)


@dataclass(frozen=True)
class GDRun:
    """The outcome of :func:`train_gd` on a list of training sets.

    Attributes
    ----------
    config : GDConfig
    device : str
        The device the run used (``"cpu"`` or ``"cuda:N"``).
    instances : tuple of GDInstanceResult
        One per training set, in input order.
    restart_steps : int
        Restart-steps actually computed (fewer than ``restarts * steps``
        per instance when every restart succeeded early).
    time_s : float
        Wall time of the whole call, exact judging included.
    timed_out : bool
        The time limit stopped the run before every step was taken.
    final_weights : tuple of numpy.ndarray or None
        With ``keep_weights=True``: per instance, the float weights after the
        last step, shape ``(restarts, k, d + 1)`` (last column the bias ``-t``).
    """

    config: GDConfig
    device: str
    instances: tuple[GDInstanceResult, ...]
    restart_steps: int
    time_s: float
    final_weights: tuple[np.ndarray, ...] | None = field(default=None, repr=False)
    timed_out: bool = False

    def to_json(self) -> dict[str, Any]:
        """The whole run as JSON values; :meth:`from_json` is its inverse.

        Returns
        -------
        dict
            ``config`` (:meth:`GDConfig.to_json`), ``device``, ``instances``
            (each :meth:`GDInstanceResult.to_json` with ``full=True``),
            ``restart_steps``, ``time_s``, ``timed_out`` and
            ``final_weights`` (nested lists of floats, or ``None``).  Floats
            are written by :mod:`json` at full precision, so the weights
            read back to the same bits.
        """
        finals = None if self.final_weights is None else [np.asarray(w, dtype=np.float64).tolist()
                                                          for w in self.final_weights]
        return run_to_json(self, finals)

    @classmethod
    def from_json(cls, obj: Any) -> Self:
        """The run of a :meth:`to_json` object (final weights as float64 arrays).

        Parameters
        ----------
        obj : dict
            As written by :meth:`to_json`.

        Returns
        -------
        GDRun

        Raises
        ------
        InvalidInstanceError
            For a missing key or a malformed value.
        """
        fields, finals = run_from_json(obj, "a gradient-descent run", GDInstanceResult)
        if finals is not None and not isinstance(finals, list):
            raise InvalidInstanceError("final_weights must be a JSON array or null")
        return cls(**fields, final_weights=None if finals is None else tuple(np.array(w, dtype=np.float64) for w in finals))


def run_to_json(run: Any, final_weights: Any) -> dict[str, Any]:
    """The fields every gradient-descent run writes (:class:`GDRun`, :class:`~solvers.gd.loading.LoadingGDRun`).

    ``final_weights`` is already JSON data (or ``None``); each run type lays its weights out its own way.
    """
    return {
        "config": run.config.to_json(),
        "device": run.device,
        "instances": [res.to_json(full=True) for res in run.instances],
        "restart_steps": int(run.restart_steps),
        "time_s": float(run.time_s),
        "timed_out": bool(run.timed_out),
        "final_weights": final_weights,
    }


def run_from_json(obj: Any, what: str, result_type: Any) -> tuple[dict[str, Any], Any]:
    """The constructor fields of a run written by :func:`run_to_json`, and its raw ``final_weights``.

    Raises
    ------
    InvalidInstanceError
        For a missing key or a malformed value.
    """
    keys = ("config", "device", "instances", "restart_steps", "time_s", "timed_out", "final_weights")
    obj = json_object(obj, what, keys)
    if not isinstance(obj["instances"], list):
        raise InvalidInstanceError("instances must be a JSON array")
    fields = {
        "config": GDConfig.from_json(obj["config"]),
        "device": str(obj["device"]),
        "instances": tuple(result_type.from_json(item) for item in obj["instances"]),
        "restart_steps": _positive_int(obj["restart_steps"], "restart_steps", minimum=0),
        "time_s": float(obj["time_s"]),
        "timed_out": bool(obj["timed_out"]),
    }
    return fields, obj["final_weights"]


# ---------------------------------------------------------------------------
# devices, data, initialisation
# ---------------------------------------------------------------------------


def restart_init(seed: int, restarts: range | Sequence[int], hidden: int, dim: int, *, scale: float = 1.0) -> np.ndarray:
    """Initial weights of the given restarts, shape ``(len(restarts), hidden, dim + 1)``, float64.

    Restart ``r`` draws from its own torch generator seeded by ``(seed, r)``
    (through :class:`numpy.random.SeedSequence`), uniform in ``±scale``
    (PyTorch's ``rand`` in float64); the last column is the bias ``-t``.  The
    draw is on the CPU in float64, so every device starts from the same
    numbers.
    """
    torch = import_torch()
    bound = float(scale)
    out = np.empty((len(restarts), hidden, dim + 1), dtype=np.float64)
    for i, r in enumerate(restarts):
        g = torch.Generator().manual_seed(restart_seed(seed, r))
        out[i] = ((torch.rand(hidden, dim + 1, generator=g, dtype=torch.float64) * 2 - 1) * bound).numpy()
    return out


def _float_points(ts: TrainingSet) -> np.ndarray:
    try:
        x = ts.to_float()
    except OverflowError:
        x = np.array([np.inf])
    if not np.isfinite(x).all():
        raise InvalidInstanceError("a coordinate is too large for floating point; gradient descent cannot use this set")
    return x


# ---------------------------------------------------------------------------
# the relaxed loss (reference, for autograd) and its closed-form gradient
# ---------------------------------------------------------------------------


def relaxed_loss(
    weights: "torch.Tensor", points: "torch.Tensor", labels: "torch.Tensor", config: GDConfig, *, step: int = 0
) -> "torch.Tensor":
    """The surrogate loss of each restart, written plainly for autograd.

    Parameters
    ----------
    weights : torch.Tensor
        ``(restarts, k, d + 1)``, the last column the bias ``-t``.
    points : torch.Tensor
        ``(P, d)`` float points.
    labels : torch.Tensor
        ``(P,)`` 0/1 labels.
    config : GDConfig
        Its surrogate's :attr:`~solvers.gd.surrogates.Surrogate.loss` gives
        the loss of every point.
    step : int
        Only for an annealing surrogate: the step whose temperature to use.

    Returns
    -------
    torch.Tensor
        ``(restarts,)``, the mean loss over the points of each restart.
        :func:`train_gd` follows the gradient of ``loss.sum()``, in closed
        form (the surrogate's :attr:`~solvers.gd.surrogates.Surrogate.gradient`);
        the tests check it against autograd on this function.
    """
    torch = import_torch()
    k = weights.shape[1]
    table = config.output_function.table
    a = torch.einsum("rkd,pd->rpk", weights[:, :, :-1], points) + weights[:, None, :, -1]
    y = labels.to(torch.bool)[None, :]
    consistent = [y == bool(table[b]) for b in range(2**k)]
    per_point = SURROGATE_REGISTRY[config.surrogate].loss(
        a, consistent, k, temperature=config.temperature_at(step), margin=config.margin)
    return per_point.mean(-1)


# ---------------------------------------------------------------------------
# the batched step
# ---------------------------------------------------------------------------


@dataclass
class _Group:
    """Tensors of one chunk: instances of one shape times a range of restarts."""

    X: Any  # (I, P, d+1)
    y: Any  # (I, P, 1) bool
    consistent: list[Any]  # per pattern b, (I, P, 1) bool
    table: Any  # (2^k,) bool
    W: Any  # (I, d+1, R*k): restart r's unit u in column r*k + u, the last row the bias -t
    m: Any
    v: Any
    best_correct: Any  # (I, R) int64
    best_W: Any
    cand_step: Any  # (I, R) int64, -1 = none
    cand_W: Any
    solved: Any  # (I, R) int64, -1 = not yet


def _forward(X: "torch.Tensor", Wt: "torch.Tensor", fast: bool) -> "torch.Tensor":
    """Pre-activations ``A[i, p, c] = sum_j X[i, p, j] * Wt[i, j, c]``, shape ``(I, P, C)``.

    ``C = restarts * k`` columns, restarts contiguous.  The invariant path is
    a fixed-order contraction: ``D = d + 1`` elementwise multiplications and
    additions, each correctly rounded IEEE arithmetic, accumulated in the
    order ``j = 0, 1, ..., D - 1``.  Element ``(i, p, c)`` is therefore the
    same bits whatever ``I`` and ``C`` are (how many instances and restarts
    share the tensor, how they are chunked), on any CPU and on CUDA.
    ``fast`` uses one batched GEMM instead, whose blocking (and rounding)
    depends on the number of columns: equal to the invariant path only up
    to rounding.
    """
    torch = import_torch()
    if fast:
        return torch.matmul(X, Wt)
    A = torch.mul(X[:, :, 0:1], Wt[:, None, 0, :])
    term = torch.empty_like(A)
    for j in range(1, X.shape[2]):  # in place: no allocation per term
        A.add_(torch.mul(X[:, :, j : j + 1], Wt[:, None, j, :], out=term))
    return A


def _backward(G: "torch.Tensor", X: "torch.Tensor", fast: bool) -> "torch.Tensor":
    """``grad[i, j, c] = sum_p X[i, p, j] * G[i, p, c]``, shape ``(I, D, C)``.

    The invariant path accumulates over the points in the fixed order
    ``p = 0, 1, ..., P - 1`` with elementwise operations, like
    :func:`_forward`; ``fast`` is one batched GEMM.
    """
    torch = import_torch()
    if fast:
        return torch.matmul(X.transpose(1, 2), G)
    out = torch.mul(X[:, 0, :, None], G[:, 0:1, :])
    term = torch.empty_like(out)
    for p in range(1, X.shape[1]):
        out.add_(torch.mul(X[:, p, :, None], G[:, p : p + 1, :], out=term))
    return out


def _per_restart(Wt: "torch.Tensor", restarts: int, k: int) -> "torch.Tensor":
    """The engine's ``(I, d + 1, restarts * k)`` weights as ``(I, restarts, k, d + 1)`` rows."""
    I, D, _ = Wt.shape
    return Wt.view(I, D, restarts, k).permute(0, 2, 3, 1)


def _make_step(config: GDConfig, k: int, num_points: int) -> Callable[..., tuple[Any, ...]]:
    """The pure step function: bookkeeping of the current weights, then one update."""
    torch = import_torch()
    gradient = SURROGATE_REGISTRY[config.surrogate].gradient  # d(per-point loss)/dA, in closed form
    optimizer, lr, margin = config.optimizer, config.lr, config.margin
    fast = config.fast
    momentum = config.momentum
    inv_points = 1.0 / num_points

    def step(X, y, consistent, table, W, m, v, best_correct, best_W, cand_step, cand_W, solved,
             step_index, inv_t, bias1, bias2, update: bool):
        I, D, RK = W.shape
        R = RK // k
        A = _forward(X, W, fast).view(I, X.shape[1], R, k)  # (I, P, R, k)
        # bookkeeping: the thresholded network of the current weights, in floats
        fire = A > 0
        index = fire[..., 0].to(torch.int64)
        for u in range(1, k):
            index = index + (fire[..., u].to(torch.int64) << u)
        correct = (table[index] == y).sum(1)  # (I, R)
        improved = correct > best_correct
        best_correct = torch.where(improved, correct, best_correct)
        W4 = W.view(I, D, R, k)
        best_W = torch.where(improved[:, None, :, None], W4, best_W.view(I, D, R, k)).view(I, D, RK)
        new = (correct == X.shape[1]) & (cand_step < 0) & (solved < 0)
        cand_step = torch.where(new, step_index, cand_step)
        cand_W = torch.where(new[:, None, :, None], W4, cand_W.view(I, D, R, k)).view(I, D, RK)
        if not update:
            return W, m, v, best_correct, best_W, cand_step, cand_W
        # closed-form gradient of sum over restarts of (mean over points of the loss)
        G = gradient(A, consistent, k, inv_t=inv_t, margin=margin) * inv_points
        grad = _backward(G.view(I, X.shape[1], RK), X, fast)  # (I, d+1, R*k)
        W, m, v = optimizer_step(W, grad, m, v, optimizer=optimizer, lr=lr, momentum=momentum, bias1=bias1, bias2=bias2)
        return W, m, v, best_correct, best_W, cand_step, cand_W

    return step


def _allow_recompiles(limit: int = 256) -> None:
    """Let dynamo compile one graph per chunk shape (its default stops at 8 and falls back to eager)."""
    import torch._dynamo

    cfg = torch._dynamo.config
    for name in ("recompile_limit", "cache_size_limit", "accumulated_recompile_limit", "accumulated_cache_size_limit"):
        if hasattr(cfg, name):
            setattr(cfg, name, max(int(getattr(cfg, name)), limit))


def network_from_row(row: np.ndarray, output: OutputFunction) -> ThresholdNetwork:
    """The threshold network of one restart's float weights ``(k, d + 1)``, converted exactly.

    Unit ``u`` gets the weights ``row[u, :d]`` and the threshold
    ``-row[u, d]``, each the exact rational value of the float.
    """
    row = np.asarray(row, dtype=np.float64)
    weights = [[Fraction(float(w)) for w in unit[:-1]] for unit in row]
    thresholds = [-Fraction(float(unit[-1])) for unit in row]
    return ThresholdNetwork(tuple(map(tuple, weights)), tuple(thresholds), output)


def judge(row: np.ndarray, training_set: TrainingSet, output: OutputFunction) -> ThresholdNetwork | None:
    """The exact verdict on one restart: its network if it ``fits``, else ``None``.

    This is the only way a restart counts as a success; a float pre-check
    that says "all correct" is a candidate, not a success.
    """
    net = network_from_row(row, output)
    return net if fits(net, training_set) else None


def _exact_correct(net: ThresholdNetwork, ts: TrainingSet) -> int:
    return int((net.classify(ts) == ts.labels).sum()) if ts.num_points else 0


# ---------------------------------------------------------------------------
# the front door
# ---------------------------------------------------------------------------


_SCALAR_BLOCK = 1024
"""Steps whose scalars (step index, 1 / temperature, Adam's bias corrections) are sent to the device at once."""


def _step_scalars(config: GDConfig, steps: range, dtype: Any, device: str) -> tuple[Any, ...]:
    """Per-step scalars of ``steps`` as device tensors: nothing is allocated for steps not yet reached."""
    torch = import_torch()
    return (
        torch.arange(steps.start, steps.stop, device=device),
        torch.tensor([1.0 / config.temperature_at(s) for s in steps], dtype=dtype, device=device),
        torch.tensor([adam_bias_corrections(s)[0] for s in steps], dtype=dtype, device=device),
        torch.tensor([adam_bias_corrections(s)[1] for s in steps], dtype=dtype, device=device),
    )


def _chunks(indices: list[int], restarts: int, batch_size: int) -> list[tuple[list[int], range]]:
    """Split (instances x restarts) into pieces of at most ``batch_size`` pairs."""
    per = max(1, min(restarts, batch_size))
    out = []
    for r0 in range(0, restarts, per):
        rr = range(r0, min(restarts, r0 + per))
        step = max(1, batch_size // len(rr))
        for i0 in range(0, len(indices), step):
            out.append((indices[i0 : i0 + step], rr))
    return out


def train_gd(
    data: TrainingSet | Sequence[TrainingSet],
    config: GDConfig | None = None,
    *,
    progress: bool = False,
    keep_weights: bool = False,
    time_limit: float | None = None,
    **overrides: Any,
) -> GDRun:
    """Run batched gradient descent on training sets and judge every restart exactly.

    Parameters
    ----------
    data : TrainingSet or sequence of TrainingSet
        The sets to fit.  Sets of the same shape (points, dimension) run as
        one tensor program; every set gets ``config.restarts`` restarts.
    config : GDConfig, optional
        Defaults to ``GDConfig()``; keyword ``overrides`` replace fields.
    progress : bool
        Draw a progress bar on standard error.
    keep_weights : bool
        Keep each restart's final float weights in :attr:`GDRun.final_weights`
        (and run every step: without it a chunk stops once all its restarts
        have succeeded, which changes no outcome but the final weights).
    time_limit : float, optional
        Seconds.  The run stops at the first step boundary after the limit,
        judges its pending candidates exactly and returns what it found, with
        :attr:`GDRun.timed_out` set; restarts it never trained count as not
        solved.  Like every time limit in trainhard, it really stops the work.

    Returns
    -------
    GDRun
        Per instance: restarts solved, steps to first success, the best
        number of points classified correctly (exact), and a fitting network
        verified by :func:`~reductions.problems.fits` when one was found.

    Notes
    -----
    Cost: ``O(restarts * steps * P * k * d)`` arithmetic per instance, in
    batched matmuls; the exact judging is ``O(k * d * P)`` big-integer work
    per candidate.  Gradient descent can never prove a set untrainable: an
    instance it does not solve may still be solvable.

    References
    ----------
    Blum & Rivest, Neural Networks 5(1):117-127, 1992 (the architecture).
    """
    config = replace(config or GDConfig(), **overrides) if overrides else (config or GDConfig())
    sets = [data] if isinstance(data, TrainingSet) else list(data)
    for j, ts in enumerate(sets):
        if not isinstance(ts, TrainingSet):
            raise InvalidInstanceError(f"item {j} is a {type(ts).__name__}, not a TrainingSet")
    from ..core.limits import check_time_limit

    check_time_limit(time_limit)
    torch = import_torch()
    device = resolve_device(config.device)
    dtype = torch.float32 if config.dtype == "float32" else torch.float64
    start = time.perf_counter()
    deadline = None if time_limit is None else start + float(time_limit)
    timed_out = False
    k, R = config.hidden, config.restarts
    output = config.output_function
    table_np = np.array(output.table, dtype=bool)

    n = len(sets)
    success: list[list[int | None]] = [[None] * R for _ in range(n)]
    success_rows: list[dict[int, np.ndarray]] = [{} for _ in range(n)]
    best_float = [np.full(R, -1, dtype=np.int64) for _ in range(n)]
    best_rows: list[np.ndarray | None] = [None] * n
    finals = [np.zeros((R, k, ts.dim + 1)) for ts in sets] if keep_weights else None
    restart_steps = 0

    groups: dict[tuple[int, int], list[int]] = {}
    for j, ts in enumerate(sets):
        groups.setdefault((ts.num_points, ts.dim), []).append(j)
    batch_size = config.batch_size or (2048 if device == "cpu" else 65536)
    plan = [(shape, piece) for shape, members in groups.items() for piece in _chunks(members, R, batch_size)]

    from ..core.progress import Progress

    with Progress(len(plan) * config.steps, "gd", enabled=progress and config.steps > 0) as bar:
        for (P, d), (members, rr) in plan:
            if timed_out:
                break
            if config.stop_at_first:  # instances already fitted in an earlier chunk need no more restarts
                members = [j for j in members if all(s is None for s in success[j])]
                if not members:
                    continue
            if P == 0:
                for j in members:
                    for r in rr:
                        success[j][r] = 0
                continue
            init = restart_init(config.seed, range(rr.start + config.restart_offset, rr.stop + config.restart_offset),
                                k, d, scale=config.init_scale)  # (R', k, d+1)
            Rc = len(rr)
            X = torch.tensor(
                np.stack([np.concatenate([_float_points(sets[j]), np.ones((P, 1))], 1) for j in members]),
                dtype=dtype, device=device,
            )
            y = torch.tensor(np.stack([sets[j].labels.astype(bool) for j in members]), device=device)[..., None]
            table = torch.tensor(table_np, device=device)
            consistent = [y == bool(table_np[b]) for b in range(2**k)]
            W = torch.tensor(init.transpose(2, 0, 1).reshape(1, d + 1, Rc * k), dtype=dtype).repeat(len(members), 1, 1).to(device)
            zeros_i = torch.zeros((len(members), Rc), dtype=torch.int64, device=device)
            state = _Group(X, y, consistent, table, W, torch.zeros_like(W), torch.zeros_like(W),
                           zeros_i - 1, W.clone(), zeros_i - 1, W.clone(), zeros_i - 1)
            step_fn = _make_step(config, k, P)
            if config.compile:
                _allow_recompiles()
                step_fn = torch.compile(step_fn, dynamic=False)
            solved_cpu = np.full((len(members), Rc), -1, dtype=np.int64)

            def judge_candidates() -> bool:
                """Check pending candidates exactly; return True once every restart succeeded (one per instance with stop_at_first)."""
                cand = state.cand_step.cpu().numpy()
                pending = np.argwhere(cand >= 0)
                if len(pending):
                    rows = _per_restart(state.cand_W, Rc, k)[
                        torch.as_tensor(pending[:, 0], device=device), torch.as_tensor(pending[:, 1], device=device)
                    ].double().cpu().numpy()
                    for (ii, rj), row in zip(pending, rows):
                        j = members[ii]
                        if judge(row, sets[j], output) is not None:
                            solved_cpu[ii, rj] = cand[ii, rj]
                            success[j][rr[rj]] = int(cand[ii, rj])
                            success_rows[j][rr[rj]] = row
                    state.solved = torch.as_tensor(solved_cpu, device=device)
                    state.cand_step = torch.full_like(state.cand_step, -1)
                if config.stop_at_first:
                    return bool((solved_cpu >= 0).any(axis=1).all())
                return bool((solved_cpu >= 0).all())

            done_steps = 0
            finished = False
            with torch.no_grad():
                for s in range(config.steps + 1):
                    if s % _SCALAR_BLOCK == 0:  # per-step scalars, moved to the device a block at a time
                        scalars = _step_scalars(config, range(s, min(s + _SCALAR_BLOCK, config.steps + 1)), dtype, device)
                    update = s < config.steps
                    if update and deadline is not None and time.perf_counter() >= deadline:
                        timed_out = True
                        update = False  # a last bookkeeping pass over the current weights, then stop
                    step_id, inv_t, bias1, bias2 = (t[s % _SCALAR_BLOCK] for t in scalars)
                    out = step_fn(state.X, state.y, state.consistent, state.table, state.W, state.m, state.v,
                                  state.best_correct, state.best_W, state.cand_step, state.cand_W, state.solved,
                                  step_id, inv_t, bias1, bias2, update)
                    (state.W, state.m, state.v, state.best_correct, state.best_W, state.cand_step, state.cand_W) = out
                    if update:
                        done_steps += 1
                    if (s + 1) % config.check_every == 0 or not update:
                        finished = judge_candidates() and not keep_weights
                    if update:
                        bar.advance(1)
                    if finished or not update:
                        break
            bar.advance(config.steps - done_steps)
            restart_steps += done_steps * len(members) * Rc
            bc = state.best_correct.cpu().numpy()
            bw = _per_restart(state.best_W, Rc, k).double().cpu().numpy()
            for ii, j in enumerate(members):
                r_best = int(np.argmax(bc[ii]))
                if bc[ii, r_best] > best_float[j].max():
                    best_rows[j] = bw[ii, r_best]
                best_float[j][list(rr)] = bc[ii]
            if finals is not None:
                fw = _per_restart(state.W, Rc, k).double().cpu().numpy()
                for ii, j in enumerate(members):
                    finals[j][rr.start : rr.stop] = fw[ii]

    results = []
    for j, ts in enumerate(sets):
        steps_j = tuple(success[j])
        network = None
        solved = [(s, r) for r, s in enumerate(steps_j) if s is not None]
        if solved and ts.num_points:
            s0, r0 = min(solved)
            network = network_from_row(success_rows[j][r0], output)
            if not fits(network, ts):  # pragma: no cover - judged exactly above
                raise AssertionError("bug: an accepted network does not fit")
        elif solved:
            network = ThresholdNetwork(tuple(((Fraction(0),) * ts.dim) for _ in range(k)), (Fraction(0),) * k, output)
        if network is not None:
            best_net, best = network, ts.num_points
        elif best_rows[j] is not None:
            best_net = network_from_row(best_rows[j], output)
            best = _exact_correct(best_net, ts)
        else:
            best_net, best = None, 0
        results.append(GDInstanceResult(ts.num_points, R, steps_j, best, network, best_net))
    return GDRun(config, device, tuple(results), restart_steps, time.perf_counter() - start,
                 tuple(finals) if finals is not None else None, timed_out)


def train_one_naive(training_set: TrainingSet, config: GDConfig, restart: int) -> tuple[np.ndarray, int | None]:
    """One restart trained on its own with autograd and ``torch.optim``: the naive baseline.

    The same mathematics as :func:`train_gd` (same initialisation, the loss
    of :func:`relaxed_loss`, PyTorch's Adam or SGD), written the plain way:
    one restart at a time, an autograd graph per step.  The throughput
    benchmark measures the batched engine against this loop, and the tests
    check that both follow the same trajectory.

    Returns
    -------
    (weights, success_step)
        The final float weights ``(k, d + 1)`` and the first step at which
        the thresholded network fits exactly (``None`` if never).
    """
    torch = import_torch()
    if resolve_device(config.device) != "cpu":
        raise DeviceError("the naive baseline runs on the CPU")
    dtype = torch.float32 if config.dtype == "float32" else torch.float64
    k, output = config.hidden, config.output_function
    points = torch.tensor(_float_points(training_set), dtype=dtype)
    labels = torch.tensor(training_set.labels.astype(np.int64))
    table = torch.tensor(np.array(output.table, dtype=bool))
    W = torch.tensor(restart_init(config.seed, [restart], k, training_set.dim, scale=config.init_scale), dtype=dtype)
    W.requires_grad_(True)
    if config.optimizer == "adam":
        opt = torch.optim.Adam([W], lr=config.lr, foreach=False)
    else:
        opt = torch.optim.SGD([W], lr=config.lr, momentum=config.momentum, foreach=False)
    success = None
    for s in range(config.steps + 1):
        if success is None:
            with torch.no_grad():
                fire = (torch.einsum("rkd,pd->rpk", W[:, :, :-1], points) + W[:, None, :, -1]) > 0
                index = (fire.to(torch.int64) << torch.arange(k)).sum(-1)
                if bool((table[index] == labels.bool()).all()):
                    if judge(W[0].detach().double().numpy(), training_set, output) is not None:
                        success = s
        if s == config.steps:
            break
        opt.zero_grad()
        relaxed_loss(W, points, labels, config, step=s).sum().backward()
        opt.step()
    return W[0].detach().double().numpy(), success
