"""The reduction type and the registry ``REDUCTIONS``, the single source of truth.

A :class:`Reduction` is a Karp-style triple (Karp, "Karp: a language for
NP reductions", PLDI 2022): the instance map, the forward witness map
(source certificate -> target certificate) and the backward witness map
(target certificate -> source certificate).  The CLI's ``reduce`` choices,
the conformance tests, the benchmarks and the README table all read
``REDUCTIONS``; nothing else lists reductions.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .errors import InvalidInstanceError
from .problems import Kind

__all__ = ["Parameter", "Reduction", "compose", "REDUCTIONS", "get_reduction", "register"]


@dataclass(frozen=True)
class Parameter:
    """A parameter of a reduction (e.g. the number of colours ``k``).

    ``default=None`` means the parameter is required.
    """

    name: str
    type: type
    help: str
    default: Any = None
    minimum: int | None = None

    def validate(self, value: Any) -> Any:
        """Check and convert ``value``; raise :class:`InvalidInstanceError` if wrong."""
        if value is None:
            if self.default is None:
                raise InvalidInstanceError(f"parameter {self.name!r} is required ({self.help})")
            return self.default
        if self.type is int:
            if isinstance(value, bool) or not isinstance(value, int) and not str(value).lstrip("-").isdigit():
                raise InvalidInstanceError(f"parameter {self.name!r} must be an integer, got {value!r}")
            value = int(value)
            if self.minimum is not None and value < self.minimum:
                raise InvalidInstanceError(f"parameter {self.name!r} must be >= {self.minimum}, got {value}")
        return value


@dataclass(frozen=True)
class Reduction:
    """A polynomial-time many-one reduction with both witness maps.

    Attributes
    ----------
    name : str
        Registry name, used by the CLI (``trainhard reduce NAME``).
    source, target : Kind
        The decision problems mapped from and to.
    source_types : tuple of type
        Accepted source instance types.
    instance_map : callable
        ``instance_map(source, **params) -> target``.
    forward : callable
        ``forward(source, target, source_witness) -> target_witness``.
    backward : callable
        ``backward(source, target, target_witness) -> source_witness``.
    size : callable
        ``size(source, **params) -> {attribute: value}``, the documented size
        of the output, checked against the target's attributes in the tests.
    parameters : tuple of Parameter
        Extra parameters of the instance map (``k`` for colouring).
    target_params : callable
        ``target_params(source, target, **params) -> dict``: parameters of
        the target decision problem (e.g. ``{"colors": k}`` or
        ``{"hidden_units": k}``), so a decider can be run on the target alone.
    """

    name: str
    source: Kind
    target: Kind
    source_types: tuple[type, ...]
    instance_map: Callable[..., Any]
    forward: Callable[[Any, Any, Any], Any]
    backward: Callable[[Any, Any, Any], Any]
    size: Callable[..., Mapping[str, int]]
    parameters: tuple[Parameter, ...] = ()
    target_params: Callable[..., Mapping[str, Any]] = lambda source, target, **params: {}
    source_params: Callable[..., Mapping[str, Any]] = lambda **params: {}

    @property
    def summary(self) -> str:
        """First line of the instance map's docstring (the CLI's help text)."""
        doc = inspect.getdoc(self.instance_map) or ""
        return doc.splitlines()[0] if doc else self.name

    def params(self, **given: Any) -> dict[str, Any]:
        """Validate the parameters, filling defaults; unknown names are refused."""
        known = {p.name for p in self.parameters}
        unknown = set(given) - known
        if unknown:
            raise InvalidInstanceError(
                f"{self.name} takes no parameter {sorted(unknown)[0]!r}"
                + (f" (it takes: {', '.join(sorted(known))})" if known else "")
            )
        return {p.name: p.validate(given.get(p.name)) for p in self.parameters}

    def check_source(self, source: Any) -> None:
        """Refuse a source instance of the wrong type with a clear message."""
        if not isinstance(source, self.source_types):
            names = " or ".join(t.__name__ for t in self.source_types)
            raise InvalidInstanceError(f"{self.name} takes a {names}, got a {type(source).__name__}")

    def __call__(self, source: Any, **params: Any) -> Any:
        """Map ``source`` to the target instance."""
        self.check_source(source)
        return self.instance_map(source, **self.params(**params))


def compose(name: str, *steps: Reduction) -> Reduction:
    """Chain reductions; the witness maps are composed step by step.

    The witness maps recompute the intermediate instances (each step is
    polynomial and deterministic), so a composed reduction needs no state.
    The steps must take no parameters.
    """
    if len(steps) < 2:
        raise ValueError("compose needs at least two reductions")
    for a, b in zip(steps, steps[1:]):
        if a.target != b.source:
            raise ValueError(f"cannot chain {a.name} ({a.target.value}) into {b.name} ({b.source.value})")
    if any(s.parameters for s in steps):
        # the witness maps recompute the chain from the source alone
        raise ValueError("composed reductions take no parameters; compose parameter-free steps")
    last = steps[-1]

    def chain(source: Any) -> list[Any]:
        instances = [source]
        for step in steps:
            instances.append(step.instance_map(instances[-1]))
        return instances

    def instance_map(source: Any) -> Any:
        return chain(source)[-1]

    instance_map.__doc__ = (
        f"Composition {' -> '.join(s.name for s in steps)}.\n\n"
        + "\n\n".join(f"{s.name}: {s.summary}" for s in steps)
    )

    def forward(source: Any, target: Any, witness: Any) -> Any:
        instances = chain(source)
        for step, a, b in zip(steps, instances, instances[1:]):
            witness = step.forward(a, b, witness)
        return witness

    def backward(source: Any, target: Any, witness: Any) -> Any:
        instances = chain(source)
        for step, a, b in reversed(list(zip(steps, instances, instances[1:]))):
            witness = step.backward(a, b, witness)
        return witness

    def size(source: Any) -> Mapping[str, int]:
        return last.size(chain(source)[-2])

    def target_params(source: Any, target: Any) -> Mapping[str, Any]:
        return last.target_params(None, target)

    return Reduction(
        name=name,
        source=steps[0].source,
        target=last.target,
        source_types=steps[0].source_types,
        instance_map=instance_map,
        forward=forward,
        backward=backward,
        size=size,
        target_params=target_params,
        source_params=steps[0].source_params,
    )


REDUCTIONS: dict[str, Reduction] = {}
"""Registry name -> :class:`Reduction`.  Filled by :func:`register`."""


def register(reduction: Reduction) -> Reduction:
    """Add ``reduction`` to :data:`REDUCTIONS` (names must be unique)."""
    if reduction.name in REDUCTIONS:
        raise ValueError(f"reduction {reduction.name!r} is already registered")
    REDUCTIONS[reduction.name] = reduction
    return reduction


def get_reduction(name: str | Reduction) -> Reduction:
    """Look a reduction up by name (or pass one through), with a helpful error."""
    if isinstance(name, Reduction):
        return name
    try:
        return REDUCTIONS[name]
    except KeyError:
        raise InvalidInstanceError(
            f"unknown reduction {name!r}; choose one of: {', '.join(sorted(REDUCTIONS))}"
        ) from None


# ---------------------------------------------------------------------------
# the registered reductions
# ---------------------------------------------------------------------------

from . import blum_rivest as _br  # noqa: E402
from . import sat_chain as _chain  # noqa: E402
from .problems import CNF, Graph, Hypergraph, NAEFormula  # noqa: E402

_CNF_TO_3CNF = register(
    Reduction(
        name="cnf-to-3cnf",
        source=Kind.SAT,
        target=Kind.SAT,
        source_types=(CNF,),
        instance_map=_chain.cnf_to_3cnf,
        forward=_chain.cnf_to_3cnf_forward,
        backward=_chain.cnf_to_3cnf_backward,
        size=lambda f: {
            "num_clauses": sum({0: 8, 1: 4, 2: 2, 3: 1}.get(len(set(c)), len(set(c)) - 2) for c in f.clauses)
        },
    )
)

_SAT_TO_NAE = register(
    Reduction(
        name="sat-to-nae-sat",
        source=Kind.SAT,
        target=Kind.NAE_SAT,
        source_types=(CNF,),
        instance_map=_chain.sat_to_nae,
        forward=_chain.sat_to_nae_forward,
        backward=_chain.sat_to_nae_backward,
        size=lambda f: {"num_vars": f.num_vars + 1},
    )
)

_NAE_TO_SPLITTING = register(
    Reduction(
        name="nae-sat-to-splitting",
        source=Kind.NAE_SAT,
        target=Kind.SET_SPLITTING,
        source_types=(NAEFormula,),
        instance_map=_chain.nae_to_splitting,
        forward=_chain.nae_to_splitting_forward,
        backward=_chain.nae_to_splitting_backward,
        size=lambda f: {
            "num_vertices": max(2 * f.num_vars, 1) if any(not c for c in f.clauses) else 2 * f.num_vars,
            "num_edges": len(f.clauses) + f.num_vars,
        },
    )
)


def _br_size(h: Hypergraph | Graph, **params: Any) -> Mapping[str, int]:
    return {"num_points": 1 + h.num_vertices + h.num_edges, "dim": h.num_vertices}


def _hidden_units(source: Any, target: Any, **params: Any) -> Mapping[str, Any]:
    return {"hidden_units": int(target.metadata["hidden_units"])}


_SPLITTING_TO_BR = register(
    Reduction(
        name="splitting-to-blum-rivest",
        source=Kind.SET_SPLITTING,
        target=Kind.TRAINING,
        source_types=(Hypergraph,),
        instance_map=_br.blum_rivest,
        forward=lambda h, ts, colouring: _br.coloring_to_network(h, colouring, 2),
        backward=_br.network_to_coloring,
        size=_br_size,
        target_params=_hidden_units,
        source_params=lambda **params: {"colors": 2},
    )
)

register(
    Reduction(
        name="coloring-to-halfspaces",
        source=Kind.COLORING,
        target=Kind.TRAINING,
        source_types=(Hypergraph, Graph),
        instance_map=_br.coloring_to_halfspaces,
        forward=lambda h, ts, colouring: _br.coloring_to_network(h, colouring, ts.metadata["hidden_units"]),
        backward=_br.network_to_coloring,
        size=_br_size,
        parameters=(Parameter("k", int, "number of colours = hidden threshold units", minimum=1),),
        target_params=_hidden_units,
        source_params=lambda k, **params: {"colors": k},
    )
)

_CNF_TO_SPLITTING = register(compose("cnf-to-splitting", _CNF_TO_3CNF, _SAT_TO_NAE, _NAE_TO_SPLITTING))
register(compose("cnf-to-blum-rivest", _CNF_TO_SPLITTING, _SPLITTING_TO_BR))


from . import judd as _judd  # noqa: E402

register(
    Reduction(
        name="cnf-to-loading",
        source=Kind.SAT,
        target=Kind.LOADING,
        source_types=(CNF,),
        instance_map=_judd.cnf_to_loading,
        forward=_judd.cnf_to_loading_forward,
        backward=_judd.cnf_to_loading_backward,
        size=_judd.loading_size,
    )
)

register(
    Reduction(
        name="cnf-to-loading-two-thirds",
        source=Kind.SAT,
        target=Kind.LOADING,
        source_types=(CNF,),
        instance_map=_judd.cnf_to_loading_two_thirds,
        forward=_judd.two_thirds_forward,
        backward=_judd.two_thirds_backward,
        size=_judd.two_thirds_size,
    )
)
