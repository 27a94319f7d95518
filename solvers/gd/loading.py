"""Batched gradient descent on Judd's loading problem, judged exactly.

Judd (1988) formalised training as *loading*: choose a function for every
computing node of a fixed architecture so that the network maps each
stimulus to its response (don't-care response bits excepted).  Where the
node-function family is the linearly separable functions, the architecture
is a network of threshold units, and the heuristic everyone uses applies:
relax every unit to a sigmoid, train by gradient descent from many random
restarts at once, then threshold and judge **exactly**.

The relaxed network.  With ``C`` computing nodes and ``N = n_in + C`` global
nodes, the weights of ``R`` restarts are one ``[R, C, N]`` tensor, masked by
the architecture's adjacency (:func:`reductions.loading.tensor_view`), and
the thresholds one ``[R, C]`` tensor.  Node ``k`` computes
``a_k = sum_j W[k, j] v_j - t_k`` over the nodes ``j`` it reads; the network
is evaluated layer by layer (a layer reads only earlier layers), a hidden
node passing on ``sigmoid(a_k / T)`` and an output node's ``a_k / T`` being
the logit of its response.  The loss of a restart is the binary
cross-entropy of the specified (non-don't-care) response bits, summed over
the outputs of a pair and averaged over the pairs; the loss of a batch is
the **sum** over restarts, so each restart gets exactly its own gradient.

Surrogates: the entries of :data:`solvers.gd.surrogates.SURROGATES` whose
:attr:`~solvers.gd.surrogates.Surrogate.loading` is true, :data:`LOADING_SURROGATES`:
``sigmoid`` (constant temperature ``T``) and ``anneal`` (``T`` decays
geometrically from ``temperature`` to ``final_temperature``).  The others
(``hinge``) are defined for one hidden layer and an output truth table, not
for deep architectures; they are refused.

Families.  Every node is trained as a threshold unit whatever its family.
A unit converted exactly by :func:`~reductions.loading.configuration_from_weights`
is a threshold function, which is also a lookup table, so ``threshold`` and
``table`` nodes always convert; an ``and-or`` node converts only when its
unit happens to compute an AND/OR of literals, and a candidate with a node
that does not is **not** a success (it is counted in
:attr:`LoadingGDResult.rejected_candidates`).  Training threshold units on
``table`` nodes searches a subfamily, so a miss says nothing about tables.

Batch independence.  Restart ``r`` starts from its own generator seeded by
``(seed, r)`` (:func:`loading_restart_init`, the same idea as
:func:`solvers.gd.networks.restart_init`).  The forward pass uses elementwise
operations only (a node's weighted sum is a fixed sequential sum over its
receptive field, the sigmoid the basic-IEEE sigmoid of :mod:`solvers.gd.torch_utils`);
the backward pass is written by hand (checked against autograd in the
tests) from elementwise products, sums over the pairs within a restart and
an ``index_add_`` over the nodes read; Adam and SGD are elementwise.  On the
CPU a restart's final weights are the same bits alone or in a batch of many
(tested, one and two threads).  On CUDA, equal up to rounding.

Judging.  At every step the thresholded network of every restart is run in
floating point (a node fires when its float weighted sum exceeds its
threshold) and its right pairs counted.  A restart whose float count reaches
``instance.required`` is a *candidate*: its float weights are converted
exactly (each float at its binary value) into a
:class:`~reductions.loading.Configuration` and checked with
:func:`~reductions.loading.loads`.  Only that check makes a success; a
rejected candidate trains on.  The best number of right pairs is counted
exactly with :func:`~reductions.loading.num_correct`.

References
----------
J. S. Judd, "On the complexity of loading shallow neural networks",
J. Complexity 4:177–192, 1988.
J. S. Judd, *Neural Network Design and the Complexity of Learning*, MIT Press, 1990.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any, Self, Sequence

import numpy as np

from reductions.errors import InvalidInstanceError, WitnessError
from reductions.loading import (
    Configuration,
    LoadingInstance,
    configuration_from_weights,
    configuration_to_json,
    function_from_json,
    function_to_json,
    loads,
    num_correct,
    tensor_view,
)

from .networks import GDConfig, RestartSummary, json_object, run_from_json, run_to_json, steps_from_json
from .optim import adam_bias_corrections, optimizer_step
from .surrogates import SURROGATES
from .torch_utils import import_torch, invariant_sigmoid, resolve_device, restart_seed

__all__ = [
    "LOADING_SURROGATES",
    "LoadingGDResult",
    "LoadingGDRun",
    "check_loading_config",
    "loading_restart_init",
    "judge_loading",
    "train_gd_loading",
]

_EXACT_BEST = 4
"""How many restarts' best float networks are counted exactly for ``best_correct``."""

LOADING_SURROGATES = tuple(name for name, surrogate in SURROGATES.items() if surrogate.loading)
"""Names of the surrogates :func:`train_gd_loading` accepts, derived from the registry (see the module docstring)."""


def check_loading_config(config: GDConfig) -> None:
    """Refuse settings gradient descent on loading networks does not define (before any work is done).

    Parameters
    ----------
    config : GDConfig
        The configuration to check.

    Raises
    ------
    InvalidInstanceError
        When the configuration's surrogate is not
        :attr:`~solvers.gd.surrogates.Surrogate.loading` in the registry, or
        it sets ``compile``, ``fast`` or ``batch_size``, which only the
        engine for threshold networks has.
    """
    unsupported = [f"{name}={getattr(config, name)!r}" for name in ("compile", "fast", "batch_size")
                   if getattr(config, name) not in (False, None)]
    if unsupported:  # the loading engine runs one instance's restarts eagerly, in one program
        raise InvalidInstanceError(f"gradient descent on loading networks has no {', '.join(unsupported)}")
    if not SURROGATES[config.surrogate].loading:
        allowed = [name for name, surrogate in SURROGATES.items() if surrogate.loading]
        raise InvalidInstanceError(
            f"surrogate {config.surrogate!r} is not defined for the loading networks; choose one of {', '.join(allowed)}"
        )


@dataclass(frozen=True)
class LoadingGDResult(RestartSummary):
    """Gradient descent on one loading instance, judged exactly.

    Attributes
    ----------
    num_pairs : int
        Pairs of the task.
    required : int
        Pairs a configuration must get right (``instance.required``).
    restarts : int
    success_steps : tuple of (int or None)
        Per restart, the first step (updates applied) at which its
        thresholded network loads the task under the exact check, or ``None``.
    best_correct : int
        Pairs right, counted exactly with ``num_correct``, of the best
        configuration found: each restart's thresholded network is kept at
        the step of its highest *float* count, and the
        :data:`_EXACT_BEST` restarts with the highest float counts (plus
        the success, if any) are counted exactly; 0 when none of them lies
        in the nodes' families.
    configuration : Configuration or None
        The earliest success (lowest restart on ties), checked with ``loads``.
    best_configuration : Configuration or None
        The configuration achieving :attr:`best_correct`.
    rejected_candidates : int
        Float "successes" that the exact check rejected (rounding, a unit
        exactly on its threshold, an ``and-or`` node computing another
        function); none of them counts.
    """

    num_pairs: int
    required: int
    restarts: int
    success_steps: tuple[int | None, ...]
    best_correct: int
    configuration: Configuration | None
    best_configuration: Configuration | None
    rejected_candidates: int = 0

    @property
    def num_points(self) -> int:
        """Alias of :attr:`num_pairs` (the cross-check reports speak of points)."""
        return self.num_pairs

    @property
    def solved(self) -> bool:
        """Whether some restart loaded the task exactly."""
        return self.configuration is not None

    def to_json(self, instance: LoadingInstance | None = None, *, full: bool = True) -> dict[str, Any]:
        """A JSON-ready summary; with ``instance``, the configuration in the loading JSON format.

        Parameters
        ----------
        instance : LoadingInstance, optional
            The task the result is for: its architecture names the nodes of
            the configurations (``{"node": NAME, ...function}`` per node, as
            :func:`~reductions.loading.configuration_to_json`).
        full : bool
            Also give ``success_steps`` and ``best_configuration``, and the
            configurations even without ``instance`` (then one
            :func:`~reductions.loading.function_to_json` object per computing
            node, in the architecture's order), so that :meth:`from_json`
            rebuilds the result exactly (the default).  ``full=False`` gives
            the summary that the cross-check rows embed.

        Returns
        -------
        dict
            ``num_points`` (the pairs), ``required``, ``restarts``,
            ``restarts_solved``, ``first_success_step``, ``best_correct``,
            ``best_accuracy``, ``rejected_candidates``, ``configuration``
            (``None`` when not solved, or without ``instance`` and ``full``);
            with ``full``, then ``success_steps`` and ``best_configuration``.
        """

        def encode(configuration: Configuration | None) -> Any:
            if configuration is None:
                return None
            if instance is not None:
                return configuration_to_json(instance.architecture, configuration)
            return [function_to_json(fn) for fn in configuration.functions] if full else None

        obj = {
            "num_points": self.num_pairs,
            "required": self.required,
            "restarts": self.restarts,
            "restarts_solved": self.restarts_solved,
            "first_success_step": self.first_success_step,
            "best_correct": self.best_correct,
            "best_accuracy": self.best_accuracy,
            "rejected_candidates": self.rejected_candidates,
            "configuration": encode(self.configuration),
        }
        if full:
            obj["success_steps"] = list(self.success_steps)
            obj["best_configuration"] = encode(self.best_configuration)
        return obj

    @classmethod
    def from_json(cls, obj: Any) -> Self:
        """The result of a :meth:`to_json` object, with or without the instance's node names.

        Parameters
        ----------
        obj : dict
            As written by :meth:`to_json` with ``full=True``.

        Returns
        -------
        LoadingGDResult

        Raises
        ------
        InvalidInstanceError
            For a missing key (a summary written without ``full``) or a malformed value.
        """
        keys = ("num_points", "required", "restarts", "success_steps", "best_correct", "rejected_candidates",
                "configuration", "best_configuration")
        obj = json_object(obj, "a loading gradient-descent result", keys)

        def decode(key: str) -> Configuration | None:
            value = obj[key]
            if value is None:
                return None
            if not isinstance(value, list):
                raise InvalidInstanceError(f"{key} must be a JSON array of node functions or null")
            return Configuration(tuple(function_from_json(item, f"{key}[{i}]") for i, item in enumerate(value)))

        counts = {}
        for key in ("num_points", "required", "restarts", "best_correct", "rejected_candidates"):
            value = obj[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidInstanceError(f"{key} must be a non-negative integer, got {value!r}")
            counts[key] = value
        return cls(counts["num_points"], counts["required"], counts["restarts"],
                   steps_from_json(obj["success_steps"], "success_steps"), counts["best_correct"],
                   decode("configuration"), decode("best_configuration"), counts["rejected_candidates"])


@dataclass(frozen=True)
class LoadingGDRun:
    """The outcome of :func:`train_gd_loading` on a list of loading instances.

    Attributes
    ----------
    config : GDConfig
    device : str
    instances : tuple of LoadingGDResult
        One per instance, in input order.
    restart_steps : int
        Restart-steps computed (fewer than ``restarts * steps`` when every
        restart succeeded early).
    time_s : float
        Wall time of the call, exact judging included.
    final_weights : tuple or None
        With ``keep_weights=True``: per instance, the float weights
        ``(R, C, n_in + C)`` (masked) and thresholds ``(R, C)`` after the last step.
    timed_out : bool
        The time limit stopped the run before every step was taken.
    """

    config: GDConfig
    device: str
    instances: tuple[LoadingGDResult, ...]
    restart_steps: int
    time_s: float
    final_weights: tuple[tuple[np.ndarray, np.ndarray], ...] | None = field(default=None, repr=False)
    timed_out: bool = False

    def to_json(self) -> dict[str, Any]:
        """The whole run as JSON values; :meth:`from_json` is its inverse.

        Returns
        -------
        dict
            ``config``, ``device``, ``instances`` (each
            :meth:`LoadingGDResult.to_json` with ``full=True``, configurations
            as node functions in architecture order), ``restart_steps``,
            ``time_s``, ``timed_out`` and ``final_weights`` (per instance a
            pair ``[weights, thresholds]`` of nested float lists, or ``None``).
        """
        finals = None
        if self.final_weights is not None:
            finals = [[np.asarray(w, dtype=np.float64).tolist(), np.asarray(t, dtype=np.float64).tolist()]
                      for w, t in self.final_weights]
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
        LoadingGDRun

        Raises
        ------
        InvalidInstanceError
            For a missing key or a malformed value.
        """
        fields, finals = run_from_json(obj, "a loading gradient-descent run", LoadingGDResult)
        if finals is not None and (not isinstance(finals, list) or any(not isinstance(p, list) or len(p) != 2 for p in finals)):
            raise InvalidInstanceError("final_weights must be null or a JSON array of [weights, thresholds] pairs")
        return cls(
            **fields,
            final_weights=None if finals is None else tuple((np.array(w, dtype=np.float64), np.array(t, dtype=np.float64))
                                                           for w, t in finals),
        )


def loading_restart_init(seed: int, restarts: range | Sequence[int], num_nodes: int, width: int,
                         *, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Initial weights ``(R, C, width)`` and thresholds ``(R, C)`` of the given restarts, float64.

    Restart ``r`` draws ``C * (width + 1)`` numbers uniform in ``±scale`` from
    its own torch generator seeded by ``(seed, r)`` (as
    :func:`solvers.gd.networks.restart_init`), so it starts from the same point in
    any batch and on any device.  Entries outside a node's receptive field
    are drawn but never used.
    """
    torch = import_torch()
    w = np.empty((len(restarts), num_nodes, width), dtype=np.float64)
    t = np.empty((len(restarts), num_nodes), dtype=np.float64)
    for i, r in enumerate(restarts):
        g = torch.Generator().manual_seed(restart_seed(seed, r))
        draw = ((torch.rand(num_nodes, width + 1, generator=g, dtype=torch.float64) * 2 - 1) * float(scale)).numpy()
        w[i], t[i] = draw[:, :width], draw[:, width]
    return w, t


def judge_loading(instance: LoadingInstance, weights: np.ndarray, thresholds: np.ndarray) -> Configuration | None:
    """The exact verdict on one restart: its configuration if it ``loads`` the task, else ``None``.

    The floats are converted at their exact binary value by
    :func:`~reductions.loading.configuration_from_weights`; a node whose
    unit computes no function of its family (an ``and-or`` node) makes the
    verdict ``None``.
    """
    try:
        config = configuration_from_weights(instance.architecture, weights, thresholds)
    except WitnessError:
        return None
    return config if loads(instance, config) else None


def _exact_correct(instance: LoadingInstance, weights: np.ndarray, thresholds: np.ndarray) -> tuple[int, Configuration | None]:
    try:
        config = configuration_from_weights(instance.architecture, weights, thresholds)
    except WitnessError:
        return 0, None
    return num_correct(instance, config), config


class _Net:
    """The tensors of one instance, node-major: values are ``(nodes, R, P)``, weights ``(R, C, F)``.

    ``F`` is the largest fan-in; ``Wf[r, k, f]`` is the weight of node ``k``
    on the ``f``-th node of its receptive field (zero and never updated where
    the field is shorter).  This is the ``(R, C, n_in + C)`` weight matrix
    masked by the adjacency, stored without its zeros: :meth:`dense` gives it back.
    """

    def __init__(self, instance: LoadingInstance, device: str, dtype: Any) -> None:
        torch = import_torch()
        view = tensor_view(instance)
        self.n_in = view.num_inputs
        self.num_nodes = view.adjacency.shape[0]
        self.width = view.adjacency.shape[1]
        self.adjacency = view.adjacency
        fields = [tuple(node.field) for node in instance.architecture.nodes]
        self.fan = max((len(f) for f in fields), default=0)
        self.fidx = np.zeros((self.num_nodes, self.fan), dtype=np.int64)
        self.used = np.zeros((self.num_nodes, self.fan), dtype=bool)
        for k, f in enumerate(fields):
            self.fidx[k, : len(f)] = f
            self.used[k, : len(f)] = True
        self.used_t = torch.as_tensor(self.used, dtype=dtype, device=device)
        position = {int(k): p for p, k in enumerate(view.outputs)}
        self.layers = []
        for layer in view.layers:
            fan = int(self.used[layer].sum(1).max(initial=0))
            cols = [torch.as_tensor(self.fidx[layer, f], device=device) for f in range(fan)]
            reads = []  # per field position: (layer rows whose f-th input is a computing node, those nodes' value rows)
            for f in range(fan):
                src = [i for i, k in enumerate(layer) if self.used[k, f] and self.fidx[k, f] >= self.n_in]
                reads.append((torch.as_tensor(src, device=device), torch.as_tensor(self.fidx[layer[src], f], device=device))
                             if src else None)
            rows = [i for i, k in enumerate(layer) if int(k) in position]
            out = (torch.as_tensor(rows, device=device), torch.as_tensor([position[int(layer[i])] for i in rows], device=device)) if rows else None
            self.layers.append((torch.as_tensor(layer, device=device), cols, reads, out, fan))
        self.outputs = torch.as_tensor(view.outputs, device=device)
        self.stimuli = torch.as_tensor(view.stimuli.T.copy(), dtype=dtype, device=device)  # (n_in, P)
        self.targets = torch.as_tensor(view.targets.T.copy(), dtype=dtype, device=device)[:, None, :]  # (O, 1, P)
        self.mask_f = torch.as_tensor(view.mask.T.copy(), dtype=dtype, device=device)[:, None, :]
        self.num_pairs = view.stimuli.shape[0]

    def compact(self, dense: np.ndarray) -> np.ndarray:
        """``(R, C, n_in + C)`` -> ``(R, C, F)``: each node's weights on its receptive field."""
        out = np.take_along_axis(dense, np.broadcast_to(self.fidx, dense.shape[:1] + self.fidx.shape), axis=2)
        return out * self.used

    def dense(self, compact: np.ndarray) -> np.ndarray:
        """``(R, C, F)`` -> ``(R, C, n_in + C)``, zero outside the adjacency."""
        out = np.zeros((compact.shape[0], self.num_nodes, self.width), dtype=np.float64)
        for f in range(self.fan):
            rows = np.flatnonzero(self.used[:, f])
            out[:, rows, self.fidx[rows, f]] = compact[:, rows, f]
        return out

    def _values(self, R: int, dtype: Any, device: Any) -> Any:
        torch = import_torch()
        V = torch.zeros((self.width, R, self.num_pairs), dtype=dtype, device=device)
        V[: self.n_in] = self.stimuli[:, None, :]
        return V

    def _weighted_sum(self, Wt: Any, V: Any, layer: Any) -> Any:
        """``sum_f V[field_f] * w_f``, ``(L, R, P)``, a fixed sequential sum over the field."""
        nodes, cols, _, _, fan = layer
        acc = None
        for f in range(fan):
            term = V[cols[f]] * Wt[f][nodes][:, :, None]
            acc = term if acc is None else acc + term
        return acc

    def hard_correct(self, Wf: Any, t: Any) -> Any:
        """Pairs right per restart of the thresholded network, in floating point, ``(R,)``."""
        Wt = (Wf * self.used_t).permute(2, 1, 0)  # (F, C, R)
        tt = t.T[:, :, None]
        V = self._values(Wf.shape[0], Wf.dtype, Wf.device)
        for layer in self.layers:
            s = self._weighted_sum(Wt, V, layer)
            th = tt[layer[0]]
            V[self.n_in + layer[0]] = (s > th if s is not None else (0 > th).expand(-1, -1, self.num_pairs)).to(Wf.dtype)
        out = V[self.n_in + self.outputs]  # (O, R, P)
        ok = ((out == self.targets) | (self.mask_f == 0)).all(0)
        return ok.sum(-1)

    def gradient(self, Wf: Any, t: Any, inv_t: float) -> tuple[Any, Any]:
        """Gradient of ``sum_r mean_p sum_o mask * BCE`` w.r.t. ``Wf`` and ``t``, by hand, elementwise."""
        torch = import_torch()
        R = Wf.shape[0]
        Wt = (Wf * self.used_t).permute(2, 1, 0)  # (F, C, R)
        tt = t.T[:, :, None]
        V = self._values(R, Wf.dtype, Wf.device)
        for layer in self.layers:
            s = self._weighted_sum(Wt, V, layer)
            th = tt[layer[0]]
            V[self.n_in + layer[0]] = invariant_sigmoid(((s if s is not None else 0) - th) * inv_t)
        # the BCE gradient of every output's logit, already divided by the number of pairs
        out_err = (V[self.n_in + self.outputs] - self.targets) * self.mask_f * (1.0 / max(self.num_pairs, 1))
        dV = torch.zeros_like(V)  # dL/d(value of node j), accumulated from its readers
        gWt = torch.zeros((self.fan, self.num_nodes, R), dtype=Wf.dtype, device=Wf.device)
        gtt = torch.zeros((self.num_nodes, R), dtype=Wf.dtype, device=Wf.device)
        for layer in reversed(self.layers):
            nodes, cols, reads, out, fan = layer
            sig = V[self.n_in + nodes]
            g = dV[self.n_in + nodes] * sig * (1 - sig)  # through the sigmoid (hidden use)
            if out is not None:
                g[out[0]] = g[out[0]] + out_err[out[1]]  # as an output: the logit's BCE gradient
            g = g * inv_t  # d a / d (weighted sum - threshold), (L, R, P)
            gtt[nodes] = -g.sum(-1)
            for f in range(fan):
                gWt[f, nodes] = (g * V[cols[f]]).sum(-1)
                if reads[f] is not None:
                    src, targets = reads[f]
                    dV.index_add_(0, targets, g[src] * Wt[f][nodes][src][:, :, None])
        return gWt.permute(2, 1, 0) * self.used_t, gtt.T


def train_gd_loading(
    data: LoadingInstance | Sequence[LoadingInstance],
    config: GDConfig | None = None,
    *,
    progress: bool = False,
    keep_weights: bool = False,
    time_limit: float | None = None,
    **overrides: Any,
) -> LoadingGDRun:
    """Run batched gradient descent on loading instances and judge every restart exactly.

    Parameters
    ----------
    data : LoadingInstance or sequence of LoadingInstance
        Every node is trained as a threshold unit (see the module docstring
        for ``table`` and ``and-or`` nodes).
    config : GDConfig, optional
        Used fields: ``surrogate`` (one of :data:`LOADING_SURROGATES`), ``optimizer``,
        ``lr``, ``steps``, ``restarts``, ``seed``, ``device``, ``dtype``,
        ``temperature``, ``final_temperature``, ``init_scale``, ``momentum``
        and ``restart_offset``; ``hidden`` and ``output`` describe the
        Blum–Rivest network and are ignored (the architecture comes with the
        instance), and so are ``check_every`` (candidates are judged at
        every step), ``batch_size``, ``compile`` and ``fast`` (no GEMM is used
        here: elementwise operations and sums over a restart's own pairs, so
        a restart is the same bits alone or in a batch whatever ``fast`` says).  Keyword ``overrides``
        replace fields.
    progress : bool
        Draw a progress bar on standard error.
    keep_weights : bool
        Keep the final float weights (and run every step: without it the
        run stops once every restart has succeeded, which changes no outcome).
    time_limit : float, optional
        Seconds; as in :func:`solvers.gd.networks.train_gd`, the run stops at the
        first step boundary after it and returns what it found, with
        :attr:`LoadingGDRun.timed_out` set.

    Returns
    -------
    LoadingGDRun
        Per instance: restarts solved, first success step, the best number
        of pairs right (exact) and a configuration verified by ``loads``.

    Raises
    ------
    InvalidInstanceError
        For an item that is not a LoadingInstance, or a surrogate not
        defined on loading networks (``hinge``).

    Notes
    -----
    Cost per step: ``O(R * P * (E + n_in + C))`` elementwise work for ``R``
    restarts, ``P`` pairs and ``E`` edges of the architecture, in a few
    tensor operations per layer and field position; exact judging is
    ``O(P * (n_in + C))`` per candidate.  Gradient descent never proves an
    instance unloadable.

    References
    ----------
    J. S. Judd, J. Complexity 4:177–192, 1988 (the loading problem).
    """
    config = replace(config or GDConfig(), **overrides) if overrides else (config or GDConfig())
    check_loading_config(config)
    from ..core.limits import check_time_limit

    check_time_limit(time_limit)
    instances = [data] if isinstance(data, LoadingInstance) else list(data)
    for j, inst in enumerate(instances):
        if not isinstance(inst, LoadingInstance):
            raise InvalidInstanceError(f"item {j} is a {type(inst).__name__}, not a LoadingInstance")
    torch = import_torch()
    device = resolve_device(config.device)
    dtype = torch.float32 if config.dtype == "float32" else torch.float64
    start = time.perf_counter()
    deadline = None if time_limit is None else start + float(time_limit)
    results = []
    finals = []
    restart_steps = 0
    timed_out = False

    from ..core.progress import Progress

    with Progress(len(instances) * config.steps, "gd-loading", enabled=progress and config.steps > 0) as bar:
        for inst in instances:
            res, done, final, stopped = _train_one(inst, config, device, dtype, keep_weights, deadline)
            results.append(res)
            finals.append(final)
            restart_steps += done
            timed_out = timed_out or stopped
            bar.advance(config.steps)
    return LoadingGDRun(config, device, tuple(results), restart_steps, time.perf_counter() - start,
                        tuple(finals) if keep_weights else None, timed_out)


def _train_one(inst: LoadingInstance, config: GDConfig, device: str, dtype: Any,
               keep_weights: bool, deadline: float | None) -> tuple[LoadingGDResult, int, Any, bool]:
    torch = import_torch()
    R = config.restarts
    restarts = range(config.restart_offset, config.restart_offset + R)
    net = _Net(inst, device, dtype)
    w0, t0 = loading_restart_init(config.seed, restarts, net.num_nodes, net.width, scale=config.init_scale)
    W = torch.as_tensor(net.compact(w0), dtype=dtype, device=device)  # the adjacency-masked weights, compact
    t = torch.as_tensor(t0, dtype=dtype, device=device)
    mW, vW, mt, vt = (torch.zeros_like(W), torch.zeros_like(W), torch.zeros_like(t), torch.zeros_like(t))
    success: list[int | None] = [None] * R
    success_config: dict[int, Configuration] = {}
    best_float = np.full(R, -1, dtype=np.int64)
    best_rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    rejected = 0
    required = inst.required
    done = 0
    stopped = False
    with torch.no_grad():
        for s in range(config.steps + 1):
            correct = net.hard_correct(W, t).cpu().numpy()
            improved = np.flatnonzero(correct > best_float)
            if len(improved):
                Wc, tc = net.dense(W[improved].double().cpu().numpy()), t[improved].double().cpu().numpy()
                for i, r in enumerate(improved):
                    best_float[r] = correct[r]
                    best_rows[int(r)] = (Wc[i], tc[i])
            pending = [r for r in np.flatnonzero(correct >= required) if success[r] is None]
            if pending:
                Wc, tc = net.dense(W[pending].double().cpu().numpy()), t[pending].double().cpu().numpy()
                for i, r in enumerate(pending):
                    verdict = judge_loading(inst, Wc[i], tc[i])
                    if verdict is None:
                        rejected += 1
                    else:
                        success[r] = s
                        success_config[int(r)] = verdict
            fitted = any(x is not None for x in success) if config.stop_at_first else all(x is not None for x in success)
            if s == config.steps or (fitted and not keep_weights):
                break
            if deadline is not None and time.perf_counter() >= deadline:
                stopped = True
                break
            inv_t = 1.0 / config.temperature_at(s)
            gW, gt = net.gradient(W, t, inv_t)
            b1, b2 = adam_bias_corrections(s)
            hyper = {"optimizer": config.optimizer, "lr": config.lr, "momentum": config.momentum, "bias1": b1, "bias2": b2}
            W, mW, vW = optimizer_step(W, gW, mW, vW, **hyper)
            t, mt, vt = optimizer_step(t, gt, mt, vt, **hyper)
            done += 1
    configuration = None
    solved = [(st, r) for r, st in enumerate(success) if st is not None]
    if solved:
        configuration = success_config[min(solved)[1]]
        if not loads(inst, configuration):  # pragma: no cover - judged exactly above
            raise AssertionError("bug: an accepted configuration does not load the task")
    best, best_config = 0, None
    for r in sorted(best_rows, key=lambda r: (-best_float[r], r))[:_EXACT_BEST]:  # counted exactly
        count, conf = _exact_correct(inst, *best_rows[r])
        if conf is not None and (best_config is None or count > best):
            best, best_config = count, conf
    if configuration is not None:
        count = num_correct(inst, configuration)
        if count >= best:
            best, best_config = count, configuration
    final = (net.dense(W.double().cpu().numpy()), t.double().cpu().numpy()) if keep_weights else None
    result = LoadingGDResult(inst.num_pairs, required, R, tuple(success), best, configuration, best_config, rejected)
    return result, done * R, final, stopped
