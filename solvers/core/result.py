"""Verdicts shared by every solver: :class:`Status` and :class:`Result`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["Status", "Result", "EXIT_CODES"]


class Status(enum.Enum):
    """A decision procedure's verdict, with the SAT competition's names."""

    SAT = "SAT"
    UNSAT = "UNSAT"
    UNKNOWN = "UNKNOWN"

    @property
    def competition_line(self) -> str:
        """The ``s ...`` line of the SAT competition's output format."""
        return {"SAT": "s SATISFIABLE", "UNSAT": "s UNSATISFIABLE", "UNKNOWN": "s UNKNOWN"}[self.value]

    @property
    def exit_code(self) -> int:
        """10 for SAT, 20 for UNSAT, 0 for UNKNOWN (the competition's convention)."""
        return EXIT_CODES[self]


EXIT_CODES = {Status.SAT: 10, Status.UNSAT: 20, Status.UNKNOWN: 0}


@dataclass(frozen=True)
class Result:
    """The outcome of deciding one instance.

    Attributes
    ----------
    status : Status
    witness : object or None
        For SAT, the certificate, already checked by the instance's public
        verifier: a model (signed DIMACS literals) for CNF, a colour per
        vertex for hypergraphs and graphs, a network for training sets.
    solver : str
        Which decider produced the verdict (e.g. ``"cadical195"``).
    time_s : float
        Wall time of the whole call, encoding and verification included.
    stats : mapping
        Solver statistics (``conflicts``, ``decisions``, versions, ...).
    proof : object or None
        For UNSAT, an optional checkable certificate (e.g. an untrainable core).
    """

    status: Status
    witness: Any = None
    solver: str = ""
    time_s: float = 0.0
    stats: Mapping[str, Any] = field(default_factory=dict)
    proof: Any = None
