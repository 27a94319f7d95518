"""Exceptions shared by the whole toolkit.

Every error caused by bad input is a :class:`ValueError` subclass, so library
users can catch it the usual way, and the CLI turns it into one line
``error: FILE:LINE: what is wrong`` with exit status 2.
"""

from __future__ import annotations

__all__ = ["TrainhardError", "InvalidInstanceError", "FormatError", "WitnessError"]


class TrainhardError(Exception):
    """Base class of every exception raised on purpose by trainhard."""


class InvalidInstanceError(TrainhardError, ValueError):
    """An instance, witness or parameter does not satisfy its type's invariants."""


class WitnessError(InvalidInstanceError):
    """A witness has the wrong shape for its instance, or fails to map."""


class FormatError(InvalidInstanceError):
    """A file is malformed.

    Parameters
    ----------
    path : str
        The file (or ``"<stdin>"``/``"<string>"``) being read.
    line : int or None
        1-based line number of the offending line, or ``None`` when the
        problem is not tied to one line (an empty file, a wrong count).
    message : str
        What is wrong, in a few words.
    """

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {message}")
