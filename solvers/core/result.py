"""Verdicts shared by every solver: :class:`Status` and :class:`Result`."""

from __future__ import annotations

import enum
import numbers
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping, Self

from reductions.errors import InvalidInstanceError

__all__ = ["Status", "Result", "EXIT_CODES", "json_value", "witness_to_json", "witness_from_json", "status_from_json"]


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


    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready data; :meth:`from_json` reads it back.

        ``witness`` is a list of integers (a model, a colouring), a
        trainhard network object (:func:`reductions.formats.network_to_json`)
        or a list of node functions (a loading configuration); an UNSAT
        ``proof`` (a core of point indices) is ``core``.  This is the object
        ``trainhard solve --json`` prints.

        Examples
        --------
        >>> import json
        >>> r = Result(Status.SAT, witness=(1, -2), solver="cadical195", time_s=0.5, stats={"conflicts": 3})
        >>> json.dumps(r.to_json())
        '{"status": "SAT", "witness": [1, -2], "solver": "cadical195", "time_s": 0.5, "stats": {"conflicts": 3}}'
        >>> Result.from_json(r.to_json()) == r
        True
        """
        obj: dict[str, Any] = {
            "status": self.status.value,
            "witness": witness_to_json(self.witness),
            "solver": self.solver,
            "time_s": self.time_s,
            "stats": json_value(dict(self.stats)),
        }
        if self.proof is not None:
            obj["core"] = [int(i) for i in self.proof]
        return obj

    @classmethod
    def from_json(cls, obj: Any) -> Self:
        """The :class:`Result` of a :meth:`to_json` object (a malformed one raises ``InvalidInstanceError``)."""
        if not isinstance(obj, Mapping) or "status" not in obj:
            raise InvalidInstanceError(f"a result object needs a status, got {obj!r:.80}")
        core = obj.get("core")
        return cls(
            status=status_from_json(obj["status"]),
            witness=witness_from_json(obj.get("witness")),
            solver=str(obj.get("solver", "")),
            time_s=float(obj.get("time_s", 0.0)),
            stats=dict(obj.get("stats") or {}),
            proof=None if core is None else tuple(int(i) for i in core),
        )


def status_from_json(value: Any) -> Status:
    """The :class:`Status` named ``value`` (``"SAT"``, ``"UNSAT"``, ``"UNKNOWN"``)."""
    try:
        return Status(value)
    except ValueError:
        raise InvalidInstanceError(f"status must be SAT, UNSAT or UNKNOWN, got {value!r}") from None


def json_value(value: Any) -> Any:
    """``value`` as data :func:`json.dumps` accepts, exactly where it can be.

    Integers (numpy's too) stay integers, fractions become ``"p/q"``
    strings, floats stay floats, enums their values, mappings and sequences
    are converted item by item; anything else becomes its ``str``.

    Examples
    --------
    >>> import numpy as np
    >>> json_value({"n": np.int64(3), "w": Fraction(1, 3), "xs": (1, 2.5), "s": Status.SAT})
    {'n': 3, 'w': '1/3', 'xs': [1, 2.5], 's': 'SAT'}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, enum.Enum):
        return json_value(value.value)
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        return [json_value(v) for v in (sorted(items) if isinstance(value, (set, frozenset)) else items)]
    return str(value)


def witness_to_json(witness: Any) -> Any:
    """A certificate as JSON data: a network object, a list of node functions, or a list of integers."""
    from reductions.loading import Configuration, function_to_json
    from reductions.problems import ThresholdNetwork

    if witness is None:
        return None
    if isinstance(witness, ThresholdNetwork):
        from reductions.formats import network_to_json

        return network_to_json(witness)
    if isinstance(witness, Configuration):
        return [function_to_json(fn) for fn in witness.functions]
    return [int(x) for x in witness]


def witness_from_json(obj: Any) -> Any:
    """The certificate :func:`witness_to_json` wrote: a network, a loading configuration or a tuple of integers."""
    from reductions.loading import Configuration, function_from_json

    if obj is None:
        return None
    if isinstance(obj, Mapping):
        from reductions.formats import network_from_json

        return network_from_json(obj)
    if isinstance(obj, list) and obj and all(isinstance(x, Mapping) for x in obj):
        return Configuration(tuple(function_from_json(x, f"function {k}") for k, x in enumerate(obj)))
    if isinstance(obj, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in obj):
        return tuple(obj)
    raise InvalidInstanceError(f"a witness must be a network object, node functions or integers, got {obj!r:.80}")
