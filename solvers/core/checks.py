"""Checks of numeric settings (counts, rates, probabilities), one message per kind of mistake.

Every search's settings are checked here before any work starts, so that
``restarts=0``, ``lr=nan`` or ``noise=True`` give the same one-line
``InvalidInstanceError`` wherever they are passed.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from reductions.errors import InvalidInstanceError

__all__ = ["check_count", "check_number"]


def check_count(value: Any, what: str) -> int:
    """``value`` as an integer >= 1 (not a bool).

    Examples
    --------
    >>> check_count(4, "restarts")
    4
    >>> check_count(0, "restarts")
    Traceback (most recent call last):
    ...
    reductions.errors.InvalidInstanceError: restarts must be an integer >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise InvalidInstanceError(f"{what} must be an integer >= 1, got {value!r}")
    return int(value)


def check_number(value: Any, what: str, *, low: float = 0.0, strict: bool = True, high: float | None = None) -> float:
    """``value`` as a finite float above ``low`` (at or above it unless ``strict``), and at most ``high`` if given.

    Examples
    --------
    >>> check_number(0.5, "noise", strict=False, high=1.0)
    0.5
    >>> check_number(float("nan"), "lr")
    Traceback (most recent call last):
    ...
    reductions.errors.InvalidInstanceError: lr must be a finite number > 0, got nan
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInstanceError(f"{what} must be a number, got {value!r}")
    x = float(value)
    if not math.isfinite(x) or x < low or (strict and x == low):
        raise InvalidInstanceError(f"{what} must be a finite number {'>' if strict else '>='} {low:g}, got {value!r}")
    if high is not None and x > high:
        raise InvalidInstanceError(f"{what} must lie in [{low:g}, {high:g}], got {value!r}")
    return x
