"""Torch helpers shared by the gradient-descent engines.

Both :mod:`solvers.gd.networks` (Blum–Rivest networks) and
:mod:`solvers.gd.loading` (Judd's loading networks) need the same few
pieces: torch imported lazily with a one-line error when it is missing,
device names resolved, per-restart seeds, and an ``exp`` and a sigmoid
whose bits do not depend on the batch they run in.  They live here, under
public names, so that neither engine imports the other's private helpers.

Nothing here imports torch at module import time.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from reductions.errors import InvalidInstanceError

if TYPE_CHECKING:  # pragma: no cover
    import torch

__all__ = [
    "DeviceError",
    "import_torch",
    "resolve_device",
    "restart_seed",
    "invariant_exp",
    "invariant_sigmoid",
]


class DeviceError(InvalidInstanceError):
    """An unknown device, or CUDA requested where there is none."""


def import_torch() -> Any:
    """The :mod:`torch` module, imported on first use.

    Returns
    -------
    module
        :mod:`torch`.

    Raises
    ------
    DeviceError
        When PyTorch is not installed.
    """
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        raise DeviceError("gradient descent needs PyTorch (pip install torch)") from None
    return torch


def resolve_device(device: str) -> str:
    """``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"auto"`` -> a concrete device name.

    Parameters
    ----------
    device : str
        The requested device (case and surrounding blanks ignored).

    Returns
    -------
    str
        ``"cpu"`` or ``"cuda:N"``.

    Raises
    ------
    DeviceError
        For an unknown name, or CUDA asked for where torch sees none.

    Examples
    --------
    >>> resolve_device(" CPU ")
    'cpu'
    """
    torch = import_torch()
    name = str(device).strip().lower()
    if name == "auto":
        return "cuda:0" if torch.cuda.is_available() else "cpu"
    if name == "cpu":
        return "cpu"
    if name == "cuda" or name.startswith("cuda:"):
        index = 0
        if name != "cuda":
            tail = name[5:]
            if not tail.isdigit():
                raise DeviceError(f"unknown device {device!r}; use cpu, cuda, cuda:N or auto")
            index = int(tail)
        if not torch.cuda.is_available():
            raise DeviceError(f"device {device!r} requested but torch finds no CUDA device here")
        if index >= torch.cuda.device_count():
            raise DeviceError(f"device {device!r} requested but there are {torch.cuda.device_count()} CUDA devices")
        return f"cuda:{index}"
    raise DeviceError(f"unknown device {device!r}; use cpu, cuda, cuda:N or auto")


def restart_seed(seed: int, restart: int) -> int:
    """A 63-bit torch seed for restart ``restart`` of a run seeded ``seed``.

    Parameters
    ----------
    seed : int
        The run's seed.
    restart : int
        The restart's index.

    Returns
    -------
    int
        A seed in ``[0, 2**63)`` drawn through :class:`numpy.random.SeedSequence`
        from ``(seed, restart)``, so restart ``r`` starts from the same point
        in any batch.

    Examples
    --------
    >>> restart_seed(0, 1) == restart_seed(0, 1) != restart_seed(0, 2)
    True
    >>> 0 <= restart_seed(5, 7) < 2**63
    True
    """
    state = np.random.SeedSequence([int(seed), int(restart)]).generate_state(2, dtype=np.uint32)
    return (int(state[0]) << 31) ^ int(state[1])


_LOG2E = 1.4426950408889634
_LN2_HI = 0.693145751953125  # ln 2 split in two (Cody & Waite): n * _LN2_HI is exact for |n| < 2**10
_LN2_LO = 1.4286068203094172e-06


def invariant_exp(x: "torch.Tensor") -> "torch.Tensor":
    """``exp(x)`` from additions, multiplications and bit operations only.

    PyTorch's CPU kernels compute transcendental functions with vector code
    (SLEEF) for most elements and scalar libm code for the leftover tail of
    each chunk, and the two can differ in the last bit; which elements fall
    in the tail depends on the batch size.  Basic IEEE operations are
    correctly rounded in both paths, so this exp gives every restart the
    same bits whatever batch it runs in.  Cody–Waite range reduction and a
    Taylor polynomial (degree 7 for float32, 13 for float64: below one ulp
    of error on the reduced range).  ``x`` is clamped to the normal range.

    Parameters
    ----------
    x : torch.Tensor
        A float32 or float64 tensor (not modified).

    Returns
    -------
    torch.Tensor
        ``exp(x)`` elementwise, same shape and dtype.
    """
    torch = import_torch()
    f32 = x.dtype == torch.float32
    lo, hi = (-87.0, 88.0) if f32 else (-708.0, 709.0)
    x = torch.clamp(x, lo, hi)
    n = (x * _LOG2E).add_(0.5).floor_()
    r = x.sub_(n * _LN2_HI).sub_(n * _LN2_LO)  # x is a fresh tensor from clamp
    degree = 7 if f32 else 13
    p = r * (1.0 / math.factorial(degree))
    for i in range(degree - 1, 0, -1):
        p.add_(1.0 / math.factorial(i)).mul_(r)
    p.add_(1.0)
    if f32:
        scale = n.to(torch.int32).add_(127).bitwise_left_shift_(23).view(torch.float32)
    else:
        scale = n.to(torch.int64).add_(1023).bitwise_left_shift_(52).view(torch.float64)
    return p.mul_(scale)


def invariant_sigmoid(x: "torch.Tensor") -> "torch.Tensor":
    """``1 / (1 + exp(-x))`` with the batch-independent :func:`invariant_exp`.

    Parameters
    ----------
    x : torch.Tensor
        A float32 or float64 tensor.

    Returns
    -------
    torch.Tensor
        The logistic sigmoid of ``x`` elementwise.
    """
    return 1.0 / (1.0 + invariant_exp(-x))
