"""The optimiser step shared by the gradient-descent engines.

One elementwise Adam or SGD update, written once and used by
:mod:`solvers.gd.networks` (inside its possibly compiled step function) and
:mod:`solvers.gd.loading` (for the weights and the thresholds).  Only
elementwise tensor arithmetic, in a fixed order, so a restart's update does
not depend on the other restarts in its batch.  Nothing here imports torch.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OPTIMIZERS", "ADAM_BETA1", "ADAM_BETA2", "ADAM_EPS", "adam_bias_corrections", "optimizer_step"]

OPTIMIZERS = ("adam", "sgd")
"""Optimisers, both applied elementwise per restart."""

ADAM_BETA1 = 0.9
"""Adam's first-moment decay (PyTorch's default)."""

ADAM_BETA2 = 0.999
"""Adam's second-moment decay (PyTorch's default)."""

ADAM_EPS = 1e-8
"""Adam's epsilon, added to the square root of the second moment (PyTorch's formula)."""


def adam_bias_corrections(step: int) -> tuple[float, float]:
    """Adam's bias corrections ``(1 - beta1**(step + 1), 1 - beta2**(step + 1))`` for the update after ``step`` steps.

    Parameters
    ----------
    step : int
        Updates applied so far (0 for the first update).

    Returns
    -------
    (float, float)
        The divisors of the first and second moments.

    Examples
    --------
    >>> adam_bias_corrections(0) == (1 - 0.9, 1 - 0.999)
    True
    """
    return 1 - ADAM_BETA1 ** (step + 1), 1 - ADAM_BETA2 ** (step + 1)


def optimizer_step(param: Any, grad: Any, m: Any, v: Any, *, optimizer: str, lr: float, momentum: float = 0.0,
                   bias1: Any = None, bias2: Any = None) -> tuple[Any, Any, Any]:
    """One elementwise Adam or SGD update; returns the new ``(param, m, v)``.

    Adam (PyTorch's formula, betas :data:`ADAM_BETA1`, :data:`ADAM_BETA2`,
    epsilon :data:`ADAM_EPS`)::

        m = m * beta1 + grad * (1 - beta1)
        v = v * beta2 + grad * grad * (1 - beta2)
        param = param - lr * (m / bias1) / (sqrt(v / bias2) + eps)

    SGD: ``param - lr * grad``, with momentum ``m = m * momentum + grad`` used
    in place of ``grad`` when ``momentum`` is nonzero (``v`` is unchanged).
    The inputs are not modified: new tensors are returned, so the function
    can be traced by :func:`torch.compile`.

    Parameters
    ----------
    param, grad, m, v : torch.Tensor
        The parameters, their gradient and the optimiser's two moment
        buffers, all of one shape.
    optimizer : str
        ``"adam"`` or ``"sgd"`` (see :data:`OPTIMIZERS`).
    lr : float
        Learning rate.
    momentum : float
        SGD momentum (0: plain SGD); ignored by Adam.
    bias1, bias2 : float or 0-dimensional tensor
        Adam's bias corrections for this step (:func:`adam_bias_corrections`);
        ignored by SGD.

    Returns
    -------
    (param, m, v)
        The updated parameters and moment buffers.

    Examples
    --------
    >>> import torch
    >>> one, two, zero = torch.tensor([1.0]), torch.tensor([2.0]), torch.zeros(1)
    >>> p, m, v = optimizer_step(one, two, zero, zero, optimizer="sgd", lr=0.5, momentum=0.5)
    >>> p.tolist(), m.tolist()
    ([0.0], [2.0])
    >>> p, m, v = optimizer_step(one, two, zero, zero, optimizer="adam", lr=0.1, bias1=0.1, bias2=0.001)
    >>> round(p.item(), 6)
    0.9
    """
    if optimizer == "adam":
        m = m * ADAM_BETA1 + grad * (1 - ADAM_BETA1)
        v = v * ADAM_BETA2 + grad * grad * (1 - ADAM_BETA2)
        param = param - lr * (m / bias1) / ((v / bias2).sqrt() + ADAM_EPS)  # Tensor.sqrt is torch.sqrt
        return param, m, v
    if momentum:
        m = m * momentum + grad
        grad = m
    return param - lr * grad, m, v
