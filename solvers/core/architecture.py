"""Which network a training set asks for: the one place the defaults are read from its metadata.

A training set made by a reduction names its architecture in its metadata
(``hidden_units``, ``output``: Blum & Rivest (1992) sets say 2 and ``"and"``).
An explicit argument always wins; a missing output is an AND (the
Blum–Rivest network); a missing number of hidden units is an error, never a
guess.
"""

from __future__ import annotations

from typing import Any, Mapping

from reductions.errors import InvalidInstanceError

__all__ = ["DEFAULT_OUTPUT", "resolve_hidden", "resolve_output_name"]

DEFAULT_OUTPUT = "and"
"""The output unit when neither the caller nor the training set names one."""


def _metadata(source: Any) -> Mapping[str, Any]:
    return source if isinstance(source, Mapping) else getattr(source, "metadata", {}) or {}


def resolve_hidden(source: Any, hidden: Any = None, *, required: bool = True) -> Any:
    """The number of hidden units: ``hidden`` if given, else the metadata's ``hidden_units``.

    ``source`` is a training set or its metadata.  The value is returned as
    given (each solver checks the range it supports).  When neither names
    it, this raises, or returns None if not ``required`` (for callers with
    their own message).

    Examples
    --------
    >>> resolve_hidden({"hidden_units": 2}), resolve_hidden({"hidden_units": 2}, 3)
    (2, 3)
    >>> resolve_hidden({})
    Traceback (most recent call last):
    ...
    reductions.errors.InvalidInstanceError: the training set names no architecture: pass the number of hidden units
    """
    if hidden is None:
        hidden = _metadata(source).get("hidden_units")
        if hidden is None and required:
            raise InvalidInstanceError("the training set names no architecture: pass the number of hidden units")
    return hidden


def resolve_output_name(source: Any, output: Any = None) -> Any:
    """The output unit: ``output`` if given, else the metadata's ``output``, else :data:`DEFAULT_OUTPUT`.

    Examples
    --------
    >>> resolve_output_name({}), resolve_output_name({"output": "xor"}), resolve_output_name({"output": "xor"}, "or")
    ('and', 'xor', 'or')
    """
    if output is None:
        output = _metadata(source).get("output", DEFAULT_OUTPUT)
    return output
