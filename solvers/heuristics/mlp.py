"""Gradient descent on a standard MLP (a learned output layer), thresholded and judged exactly.

The network every practitioner would train: ``k`` sigmoid hidden units and
a *learned* linear output unit, binary cross-entropy, Adam.  For restart
``r`` and a point ``x``,

* hidden pre-activations ``a = W x + b`` (``k`` units), ``h = sigmoid(a)``;
* output logit ``o = v · h + c``; the loss is the mean over the points of
  ``BCE(sigmoid(o), y)``.

All restarts are one tensor program (float64, weights stacked on a leading
restart axis).  The loss is summed over restarts, so each restart receives
exactly its own gradient (:func:`mlp_gradients`, in closed form, checked
against autograd in the tests), and Adam acts elementwise
(:func:`solvers.gd.optim.optimizer_step`), so restarts never mix.

Thresholding.  Hidden unit ``u`` fires iff ``w_u · x > -b_u`` (the strict
inequality of :class:`reductions.problems.ThresholdNetwork`: threshold
``t_u = -b_u``).  The thresholded output fires iff ``v · bits + c > 0``;
the hidden bits take ``2**k`` values, so the output unit *is* a truth
table, ``table[β] = (v · bits(β) + c > 0)`` with bit ``i`` of ``β`` the
output of unit ``i`` (the convention of
:class:`reductions.problems.OutputFunction`), computed exactly from the
floats.  Every float is taken at its exact binary value, so only the step
from the smooth network to its threshold network is approximate; the
network judged is exactly the one the weights define.

Judging.  Every ``check_every`` steps (and after the last step) the
thresholded network of every restart is evaluated in floating point; each
restart that gets every point right there is converted exactly and checked
with :func:`reductions.problems.fits`, and the first that fits (lowest
restart index at the earliest check) is returned.  A float "all correct"
that the exact check rejects is dropped and the restart trains on.  The
restart with the fewest float mistakes at a check has its mistakes counted
exactly when it could improve on the best so far, so ``best_errors`` is
always an exact count (of the best network judged).

The registry's ``output`` is ignored: the output is learned, and the
returned network carries the table found; ``details["learned_output"]`` is
``True`` so that :func:`~solvers.heuristics.registry.run_heuristic`
accepts a table other than the named one.  A network so found fits the
training set, but on a reduction whose backward map needs a particular
output (an AND for Blum–Rivest) it need not map back to a source witness.
Indeed a learned output makes every Blum–Rivest set trainable with two
units, splittable or not: ``x = 0`` or ``sum(x) >= 2`` (an OR of two
halfspaces) separates the origin and the edges' indicators from the unit
vectors.  Only a fixed AND output keeps that training problem NP-hard.

Budget.  Restart-steps: one restart doing one Adam step.  ``restarts``
restarts (at most the budget) of ``budget.restart_steps // restarts`` steps
each; a run that stops early (a fit, or ``budget.time_s``, checked between
steps) is charged the steps it ran.  Deterministic given ``seed``: restart
``r`` draws its initial weights, uniform in ``±init_scale``, from its own
generator seeded by ``(seed, r)`` (hidden weights first, so they equal
:func:`solvers.gd.networks.restart_init`'s; then ``v`` and ``c``).

References
----------
A. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1):117-127, 1992.

D. E. Rumelhart, G. E. Hinton and R. J. Williams, "Learning representations
by back-propagating errors", Nature 323:533-536, 1986.

D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization",
ICLR 2015.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import numpy as np

from reductions.errors import InvalidInstanceError
from reductions.problems import OutputFunction, ThresholdNetwork, TrainingSet, fits

from ..gd.networks import network_from_row
from ..gd.optim import adam_bias_corrections, optimizer_step
from ..gd.torch_utils import import_torch, restart_seed
from ..core.checks import check_count, check_number
from .registry import Attempt, Budget

__all__ = ["MLP_DEFAULTS", "MLP_TUNING", "learned_table", "mlp_gradients", "mlp_search"]

MLP_DEFAULTS: dict[str, Any] = {"restarts": 16, "lr": 0.2, "init_scale": 1.0, "check_every": 50}
"""Settings of :func:`mlp_search` and their defaults."""

MLP_TUNING: dict[str, tuple[Any, ...]] = {"lr": (0.05, 0.2, 0.5), "init_scale": (0.5, 1.0, 4.0), "restarts": (16, 64)}
"""The grid fair tuning tries for the MLP."""

MAX_HIDDEN = 12
"""Most hidden units: the output table has ``2**k`` entries."""


def learned_table(v: Any, c: Any) -> OutputFunction:
    """The truth table of the thresholded output unit ``v · bits + c > 0``, computed exactly.

    Parameters
    ----------
    v : sequence of float
        The output weights, one per hidden unit.
    c : float
        The output bias.

    Returns
    -------
    OutputFunction
        ``table[β]`` is ``sum(v[i] for bits i set in β) + c > 0``, each float
        taken at its exact value; named (``"and"``, ``"or"``, ``"xor"``)
        when it is one of those.

    Examples
    --------
    >>> learned_table([1.0, 1.0], -1.5).table  # an AND
    (False, False, False, True)
    >>> learned_table([-2.0, 1.0], 0.5).table
    (True, False, True, False)
    """
    weights = [Fraction(float(x)) for x in v]
    bias = Fraction(float(c))
    k = len(weights)
    table = tuple(sum((w for i, w in enumerate(weights) if beta >> i & 1), bias) > 0 for beta in range(2**k))
    for name in OutputFunction.NAMES:  # a named table keeps its name (and, or, xor)
        if OutputFunction.named(name, k).table == table:
            return OutputFunction.named(name, k)
    return OutputFunction(k, table)


def _network(hidden_row: np.ndarray, out_row: np.ndarray) -> ThresholdNetwork:
    """The exact threshold network of one restart: ``(k, d + 1)`` hidden weights and bias, ``(k + 1)`` output."""
    return network_from_row(hidden_row, learned_table(out_row[:-1], out_row[-1]))


def mlp_gradients(points: Any, labels: Any, hidden_weights: Any, output_weights: Any) -> tuple[Any, Any, Any]:
    """Each restart's loss and its gradient, in closed form.

    Parameters
    ----------
    points : torch.Tensor
        ``[N, d + 1]``: the points with a final column of ones.
    labels : torch.Tensor
        ``[N]``, 0.0 or 1.0.
    hidden_weights : torch.Tensor
        ``[R, k, d + 1]``: per restart, each hidden unit's weights and (last) bias.
    output_weights : torch.Tensor
        ``[R, k + 1]``: per restart, the output weights ``v`` and (last) bias ``c``.

    Returns
    -------
    (loss, grad_hidden, grad_output)
        ``loss[r]`` is restart ``r``'s mean binary cross-entropy of
        ``sigmoid(v · sigmoid(W x + b) + c)``; the gradients are those of
        ``loss.sum()``, so each restart gets exactly its own.
    """
    torch = import_torch()
    n, k = points.shape[0], hidden_weights.shape[1]
    h = torch.sigmoid(torch.einsum("nd,rkd->rnk", points, hidden_weights))           # [R, N, k]
    logits = torch.einsum("rnk,rk->rn", h, output_weights[:, :k]) + output_weights[:, k:]  # [R, N]
    target = labels.expand_as(logits)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none").mean(dim=1)
    d_logits = (torch.sigmoid(logits) - target) / n                                    # [R, N]
    grad_output = torch.cat([torch.einsum("rn,rnk->rk", d_logits, h), d_logits.sum(dim=1, keepdim=True)], dim=1)
    d_pre = d_logits[:, :, None] * output_weights[:, None, :k] * h * (1 - h)          # [R, N, k]
    grad_hidden = torch.einsum("rnk,nd->rkd", d_pre, points)
    return loss, grad_hidden, grad_output


def _exact_errors(net: ThresholdNetwork, ts: TrainingSet) -> int:
    return int((net.classify(ts) != ts.labels).sum()) if ts.num_points else 0


def mlp_search(
    training_set: TrainingSet, *, hidden: int, output: Any, budget: Budget, seed: int,
    restarts: int = 16, lr: float = 0.2, init_scale: float = 1.0, check_every: int = 50,
) -> Attempt:
    """Adam on an MLP with a learned output layer, thresholded and judged exactly (see the module docstring).

    Parameters
    ----------
    training_set : TrainingSet
    hidden : int
        Hidden units ``k`` (1..12).
    output : any
        Ignored: the output unit is learned.
    budget : Budget
        Restart-steps and wall time.
    seed : int
        Seeds every restart's initial weights.
    restarts : int
        Restarts run side by side (at most the budget's restart-steps).
    lr : float
        Adam's learning rate.
    init_scale : float
        Initial weights and biases are uniform in ``±init_scale``.
    check_every : int
        Steps between exact checks of every restart.

    Returns
    -------
    Attempt
        The first network that fits (with its learned table), else ``None``;
        ``details`` has ``learned_output`` (True), ``table`` (of the network
        returned, else of the restart with the fewest exact mistakes),
        ``restarts``, ``steps`` (per restart, as planned), ``steps_run``,
        ``restart`` (the restart returned) and ``timed_out``.
    """
    del output  # the output layer is learned
    k = check_count(hidden, "hidden")
    if k > MAX_HIDDEN:
        raise InvalidInstanceError(f"the MLP supports at most {MAX_HIDDEN} hidden units, got {k}")
    restarts = min(check_count(restarts, "restarts"), budget.restart_steps)
    lr = check_number(lr, "lr")
    init_scale = check_number(init_scale, "init_scale")
    check_every = check_count(check_every, "check_every")
    steps = max(1, budget.restart_steps // restarts)
    deadline = None if budget.time_s is None else time.monotonic() + budget.time_s

    torch = import_torch()
    ts = training_set
    x_np = ts.to_float()
    if not np.isfinite(x_np).all():
        raise InvalidInstanceError("a coordinate is too large for floating point; gradient descent cannot use this set")
    n, d = ts.num_points, ts.dim
    dtype = torch.float64
    X = torch.from_numpy(np.ascontiguousarray(x_np, dtype=np.float64)).reshape(n, d)
    y = torch.from_numpy(ts.labels.astype(np.float64))

    # hidden weights with the bias as the last column, [R, k, d + 1]; output weights v then c, [R, k + 1]
    Wh = torch.empty(restarts, k, d + 1, dtype=dtype)
    Wo = torch.empty(restarts, k + 1, dtype=dtype)
    for r in range(restarts):
        g = torch.Generator().manual_seed(restart_seed(seed, r))
        Wh[r] = (torch.rand(k, d + 1, generator=g, dtype=dtype) * 2 - 1) * init_scale
        Wo[r] = (torch.rand(k + 1, generator=g, dtype=dtype) * 2 - 1) * init_scale
    Xa = torch.cat([X, torch.ones(n, 1, dtype=dtype)], dim=1)  # [N, d + 1]
    moments = [torch.zeros_like(Wh), torch.zeros_like(Wh), torch.zeros_like(Wo), torch.zeros_like(Wo)]
    labels = y > 0.5

    best_errors = n + 1
    best_table: OutputFunction | None = None
    found: ThresholdNetwork | None = None
    found_restart: int | None = None

    def judge_restart(r: int) -> ThresholdNetwork:
        return _network(Wh[r].numpy(), Wo[r].numpy())

    def check() -> bool:
        """Judge every restart at the current weights; True when one fits exactly."""
        nonlocal best_errors, best_table, found, found_restart
        bits = (torch.einsum("nd,rkd->rnk", Xa, Wh) > 0).to(dtype)
        pred = torch.einsum("rnk,rk->rn", bits, Wo[:, :k]) + Wo[:, k:] > 0
        float_errors = (pred != labels).sum(dim=1).tolist()
        for r in (r for r in range(restarts) if float_errors[r] == 0):
            net = judge_restart(r)
            if fits(net, ts):
                found, found_restart, best_errors, best_table = net, r, 0, net.output
                return True
        r = min(range(restarts), key=lambda i: float_errors[i])
        if float_errors[r] < best_errors:
            net = judge_restart(r)
            errors = _exact_errors(net, ts)
            if errors < best_errors:
                best_errors, best_table = errors, net.output
        return False

    steps_run = checked = 0
    timed_out = False
    if n:
        while steps_run < steps:
            if deadline is not None and time.monotonic() >= deadline:
                timed_out = True
                break
            _, grad_h, grad_o = mlp_gradients(Xa, y, Wh, Wo)
            bias1, bias2 = adam_bias_corrections(steps_run)
            Wh, moments[0], moments[1] = optimizer_step(Wh, grad_h, moments[0], moments[1], optimizer="adam", lr=lr,
                                                        bias1=bias1, bias2=bias2)
            Wo, moments[2], moments[3] = optimizer_step(Wo, grad_o, moments[2], moments[3], optimizer="adam", lr=lr,
                                                        bias1=bias1, bias2=bias2)
            steps_run += 1
            if steps_run % check_every == 0 or steps_run == steps:
                checked = steps_run
                if check():
                    break
    if found is None and (checked != steps_run or best_table is None):
        check()  # stopped by the clock between checks (or no points): judge the last weights too
    return Attempt(
        witness=found, restart_steps=restarts * steps_run, best_errors=min(best_errors, n),
        details={"learned_output": True, "table": [int(t) for t in best_table.table] if best_table else None,
                 "restarts": restarts, "steps": steps, "steps_run": steps_run, "restart": found_restart,
                 "timed_out": timed_out},
    )
