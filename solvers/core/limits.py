"""Time limits: the one check of a ``time_limit`` argument, shared by every solver and heuristic."""

from __future__ import annotations

import numbers

from reductions.errors import InvalidInstanceError

__all__ = ["check_time_limit"]


def check_time_limit(time_limit: float | None) -> None:
    """Refuse a time limit that is not a finite positive number of seconds (``None`` means none).

    Examples
    --------
    >>> check_time_limit(None); check_time_limit(2.5)
    >>> check_time_limit(0)
    Traceback (most recent call last):
    ...
    reductions.errors.InvalidInstanceError: time limit must be a positive number of seconds, got 0
    """
    if time_limit is None:
        return
    if (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, numbers.Real)
        or not 0 < time_limit < float("inf")
    ):
        raise InvalidInstanceError(f"time limit must be a positive number of seconds, got {time_limit!r}")
