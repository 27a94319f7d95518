"""The surrogates: differentiable relaxations of the threshold units, one registry.

A threshold unit ``u`` fires iff its pre-activation ``a_u = w_u · x - t_u``
is positive; gradient descent needs a relaxation of that step.  Every
relaxation the engines know is one :class:`Surrogate` in :data:`SURROGATES`,
and everything else is derived from that dict: the names
:data:`solvers.gd.networks.SURROGATES` (the ``--surrogate`` choices of
``trainhard gd`` and ``trainhard crosscheck``),
:data:`solvers.gd.loading.LOADING_SURROGATES`, the validation of
:class:`~solvers.gd.networks.GDConfig`, its temperature schedule
(:meth:`~solvers.gd.networks.GDConfig.temperature_at`), the reference loss
:func:`~solvers.gd.networks.relaxed_loss` and the closed-form gradient of the
batched engine.  Adding a surrogate is adding one entry here (the tests loop
over the registry: the closed-form gradient is checked against autograd of
the reference loss, and a restart against itself in a batch).

The losses are per point of a one-hidden-layer network with an output truth
table (Blum & Rivest 1992).  For a point with label ``y``, a hidden bit
pattern ``b`` (bit ``u`` is unit ``u`` firing) is *consistent* when the
truth table maps ``b`` to ``y``; every surrogate scores the point through
the consistent patterns.

``sigmoid``
    ``z_u = sigmoid(a_u / T)``; the output is the multilinear extension of
    the truth table (product for AND, ``1 - prod(1 - z)`` for OR,
    ``z1 (1 - z2) + z2 (1 - z1)`` for XOR of two), and the loss is its binary
    cross-entropy, computed stably in log space:
    ``loss = sum_u softplus(a_u / T) - logsumexp_{b consistent} (b · a / T)``.
``anneal``
    The same with a temperature that decays geometrically from
    ``temperature`` to ``final_temperature`` over the run, so the sigmoids
    approach the step function.
``hinge``
    ``loss = min_{b consistent} sum_u relu(margin - s_u(b) a_u)`` with
    ``s_u = +1`` where ``b`` makes unit ``u`` fire and ``-1`` where not: the
    hinge loss of the nearest hidden pattern that gives the right output.

Nothing here imports torch at module import time.

References
----------
D. E. Rumelhart, G. E. Hinton, R. J. Williams, "Learning representations by
back-propagating errors", Nature 323:533-536, 1986 (sigmoid units trained by
gradient descent).
K. Rose, "Deterministic annealing for clustering, compression,
classification, regression, and related optimization problems",
Proc. IEEE 86(11):2210-2239, 1998 (lowering the temperature of a smoothed
objective during the descent).
C. Cortes, V. Vapnik, "Support-vector networks", Machine Learning
20:273-297, 1995 (the hinge loss with a margin).
A. Blum, R. L. Rivest, "Training a 3-node neural network is NP-complete",
Neural Networks 5(1):117-127, 1992 (the architecture).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from reductions.errors import InvalidInstanceError

from .torch_utils import import_torch, invariant_exp, invariant_sigmoid

if TYPE_CHECKING:  # pragma: no cover
    import torch

__all__ = ["Surrogate", "PerPointLoss", "PreactivationGradient", "SURROGATES", "sigmoid_loss", "sigmoid_gradient",
           "hinge_loss", "hinge_gradient"]


class PerPointLoss(Protocol):
    """The reference loss of every point, written plainly for autograd (see :attr:`Surrogate.loss`)."""

    def __call__(self, a: "torch.Tensor", consistent: list["torch.Tensor"], k: int, *,
                 temperature: float, margin: float) -> "torch.Tensor": ...


class PreactivationGradient(Protocol):
    """The closed-form gradient of the per-point loss (see :attr:`Surrogate.gradient`)."""

    def __call__(self, A: "torch.Tensor", consistent: list["torch.Tensor"], k: int, *,
                 inv_t: "torch.Tensor", margin: float) -> "torch.Tensor": ...


@dataclass(frozen=True)
class Surrogate:
    """One relaxation of the threshold units; validated on construction.

    Parameters
    ----------
    name : str
        The registry key, the value of :attr:`GDConfig.surrogate
        <solvers.gd.networks.GDConfig.surrogate>` and of ``--surrogate``.
    description : str
        One line, for documentation.
    anneals : bool
        The temperature decays geometrically from ``temperature`` to
        ``final_temperature`` over the run
        (:meth:`~solvers.gd.networks.GDConfig.temperature_at`); otherwise it
        stays at ``temperature``.
    loading : bool
        Defined on Judd's loading networks (:func:`solvers.gd.loading.train_gd_loading`).
        That engine has its own relaxation, written for deep architectures:
        every unit a sigmoid at the temperature of :attr:`anneals`'s schedule,
        binary cross-entropy on the outputs.  Set this only for a surrogate
        that *is* that relaxation; :attr:`loss` and :attr:`gradient` are not
        used there.  Where it is ``False``, ``train_gd_loading`` refuses the
        surrogate before doing any work.
    loss : PerPointLoss
        ``loss(a, consistent, k, *, temperature, margin)``: the loss of every
        point, differentiable by autograd.  ``a`` holds the pre-activations,
        shape ``(..., k)``; ``consistent[b]`` (one per hidden pattern
        ``b < 2**k``, bit ``u`` of ``b`` being unit ``u``) is a bool tensor,
        broadcastable to ``a[..., 0]``, true where the output truth table maps
        ``b`` to the point's label; ``temperature`` is the step's temperature
        (a float, ``a`` is *divided* by it), ``margin`` the hinge margin.
        Returns shape ``a.shape[:-1]``.  :func:`~solvers.gd.networks.relaxed_loss`
        averages it over the points.
    gradient : PreactivationGradient
        ``gradient(A, consistent, k, *, inv_t, margin)``: the derivative of
        :attr:`loss` with respect to ``A``, shape ``A.shape``, in closed form,
        for the batched engine.  ``inv_t`` is ``1 / temperature`` as a 0-d
        tensor (``A`` is *multiplied* by it).  It must use elementwise
        operations with a fixed order of accumulation only (``exp`` and the
        sigmoid from :mod:`solvers.gd.torch_utils`), so that each restart's
        numbers do not depend on the other restarts in the batch.

    Raises
    ------
    InvalidInstanceError
        For an empty name, a description that is not one line, flags that are
        not bools, or functions that are not callable.

    Examples
    --------
    >>> hinge = SURROGATES["hinge"]
    >>> hinge.name, hinge.anneals, hinge.loading
    ('hinge', False, False)
    """

    name: str
    description: str
    anneals: bool
    loading: bool
    loss: PerPointLoss
    gradient: PreactivationGradient

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name or self.name != self.name.strip():
            raise InvalidInstanceError(f"a surrogate's name must be a non-empty word, got {self.name!r}")
        if not isinstance(self.description, str) or not self.description.strip() or "\n" in self.description:
            raise InvalidInstanceError(f"surrogate {self.name!r} needs a one-line description")
        for flag in ("anneals", "loading"):
            if not isinstance(getattr(self, flag), bool):
                raise InvalidInstanceError(f"surrogate {self.name!r}: {flag} must be true or false")
        for function in ("loss", "gradient"):
            if not callable(getattr(self, function)):
                raise InvalidInstanceError(f"surrogate {self.name!r}: {function} must be callable")


def _patterns(k: int) -> list[list[int]]:
    """Units firing in each hidden pattern ``b`` (bit ``u`` of ``b`` is unit ``u``)."""
    return [[u for u in range(k) if b >> u & 1] for b in range(2**k)]


# ---------------------------------------------------------------------------
# sigmoid units, binary cross-entropy of the multilinear output
# ---------------------------------------------------------------------------


def sigmoid_loss(a: "torch.Tensor", consistent: list["torch.Tensor"], k: int, *,
                 temperature: float, margin: float) -> "torch.Tensor":
    """Binary cross-entropy of the multilinear output of sigmoid units, per point.

    ``sum_u softplus(a_u / T) - logsumexp_{b consistent} (b · a / T)``: the
    negative log of the probability that independent bits with
    ``P(unit u fires) = sigmoid(a_u / T)`` form a pattern the truth table
    maps to the label.  ``margin`` is not used.  See :class:`Surrogate` for
    the parameters.

    Returns
    -------
    torch.Tensor
        Shape ``a.shape[:-1]``.

    Examples
    --------
    One unit, output its bit, label 1: ``softplus(0) - 0 = log 2``.

    >>> import torch
    >>> a = torch.zeros(1, 1, dtype=torch.float64)
    >>> consistent = [torch.tensor([False]), torch.tensor([True])]
    >>> sigmoid_loss(a, consistent, 1, temperature=1.0, margin=0.0)
    tensor([0.6931], dtype=torch.float64)
    """
    torch = import_torch()
    a = a / temperature
    scores = torch.stack(
        [torch.where(c, sum((a[..., u] for u in on), torch.zeros_like(a[..., 0])), torch.full_like(a[..., 0], -math.inf))
         for c, on in zip(consistent, _patterns(k))],
        -1,
    )
    return torch.nn.functional.softplus(a).sum(-1) - torch.logsumexp(scores, -1)


def sigmoid_gradient(A: "torch.Tensor", consistent: list["torch.Tensor"], k: int, *,
                     inv_t: "torch.Tensor", margin: float) -> "torch.Tensor":
    """d(:func:`sigmoid_loss`)/dA in closed form: ``(sigmoid(a) - q) / T`` with ``a = A / T``.

    ``q_u`` is the posterior probability that unit ``u`` fires given a
    consistent pattern: the consistent patterns' weights ``exp(b · a)``
    summed over the patterns where ``u`` fires, over their total (shifted by
    the largest score, with :func:`~solvers.gd.torch_utils.invariant_exp`).
    Elementwise operations in a fixed order only.  ``margin`` is not used.
    See :class:`Surrogate` for the parameters.

    Returns
    -------
    torch.Tensor
        Shape ``A.shape``.
    """
    torch = import_torch()
    patterns = _patterns(k)
    a = A * inv_t
    au = [a[..., u] for u in range(k)]
    scores = []
    for b, on in enumerate(patterns):
        s = torch.zeros_like(au[0])
        for u in on:
            s = s + au[u]
        scores.append(torch.where(consistent[b], s, torch.full_like(s, -math.inf)))
    mx = scores[0]
    for s in scores[1:]:
        mx = torch.maximum(mx, s)
    zero = torch.zeros_like(mx)
    expo = [torch.where(consistent[b], invariant_exp(s - mx), zero) for b, s in enumerate(scores)]
    z = expo[0]
    for e in expo[1:]:
        z = z + e
    q = []
    for u in range(k):
        acc = torch.zeros_like(z)
        for b, on in enumerate(patterns):
            if u in on:
                acc = acc + expo[b]
        q.append(acc / z)
    return (invariant_sigmoid(a) - torch.stack(q, -1)) * inv_t


# ---------------------------------------------------------------------------
# the hinge loss of the nearest consistent pattern
# ---------------------------------------------------------------------------


def hinge_loss(a: "torch.Tensor", consistent: list["torch.Tensor"], k: int, *,
               temperature: float, margin: float) -> "torch.Tensor":
    """``min_{b consistent} sum_u relu(margin - s_u(b) a_u)``, per point.

    ``s_u(b) = +1`` where ``b`` makes unit ``u`` fire, ``-1`` where not.
    ``temperature`` is not used.  See :class:`Surrogate` for the parameters.

    Returns
    -------
    torch.Tensor
        Shape ``a.shape[:-1]``.

    Examples
    --------
    One unit, output its bit, label 1, ``a = 0.25``: ``relu(1 - 0.25)``.

    >>> import torch
    >>> a = torch.tensor([[0.25]])
    >>> consistent = [torch.tensor([False]), torch.tensor([True])]
    >>> hinge_loss(a, consistent, 1, temperature=1.0, margin=1.0)
    tensor([0.7500])
    """
    torch = import_torch()
    m = margin
    costs = [
        sum((torch.relu(m - a[..., u]) if u in on else torch.relu(m + a[..., u])) for u in range(k))
        for on in _patterns(k)
    ]
    stacked = torch.stack([torch.where(c, cost, torch.full_like(cost, math.inf)) for c, cost in zip(consistent, costs)], -1)
    return stacked.min(-1).values


def hinge_gradient(A: "torch.Tensor", consistent: list["torch.Tensor"], k: int, *,
                   inv_t: "torch.Tensor", margin: float) -> "torch.Tensor":
    """d(:func:`hinge_loss`)/dA: the (sub)gradient through the cheapest consistent pattern.

    The pattern is chosen by a fixed-order scan (the lowest ``b`` on ties);
    unit ``u`` then gets ``-1`` where it should fire and its hinge is active,
    ``+1`` where it should not and its hinge is active, else 0.  ``inv_t`` is
    not used.  See :class:`Surrogate` for the parameters.

    Returns
    -------
    torch.Tensor
        Shape ``A.shape``.
    """
    torch = import_torch()
    units = [A[..., u] for u in range(k)]
    cp = [torch.relu(margin - x) for x in units]  # cost if the unit should fire
    cm = [torch.relu(margin + x) for x in units]  # cost if it should not
    best = None
    choice = None
    for b, on in enumerate(_patterns(k)):
        cost = cp[0] if 0 in on else cm[0]
        for u in range(1, k):
            cost = cost + (cp[u] if u in on else cm[u])
        cost = torch.where(consistent[b], cost, torch.full_like(cost, math.inf))
        if best is None:
            best, choice = cost, torch.zeros_like(cost, dtype=torch.int64)
        else:
            better = cost < best
            best = torch.where(better, cost, best)
            choice = torch.where(better, torch.full_like(choice, b), choice)
    grads = []
    for u in range(k):
        fire = (choice >> u & 1).to(torch.bool)
        grads.append(torch.where(fire, -(cp[u] > 0).to(A.dtype), (cm[u] > 0).to(A.dtype)))
    return torch.stack(grads, -1)


# ---------------------------------------------------------------------------
# the registry
# ---------------------------------------------------------------------------


SURROGATES: dict[str, Surrogate] = {
    s.name: s
    for s in (
        Surrogate("sigmoid", "sigmoid units at a constant temperature, cross-entropy of the multilinear output",
                  anneals=False, loading=True, loss=sigmoid_loss, gradient=sigmoid_gradient),
        Surrogate("anneal", "sigmoid units whose temperature decays geometrically towards the step function",
                  anneals=True, loading=True, loss=sigmoid_loss, gradient=sigmoid_gradient),
        Surrogate("hinge", "hinge loss with a margin of the nearest hidden pattern that gives the right output",
                  anneals=False, loading=False, loss=hinge_loss, gradient=hinge_gradient),
    )
}
"""Every surrogate by name, in the order the CLI lists them; the one source of truth.

Examples
--------
>>> list(SURROGATES)
['sigmoid', 'anneal', 'hinge']
>>> [name for name, s in SURROGATES.items() if s.loading]
['sigmoid', 'anneal']
"""
