"""reductions: problems, verifiers, generators, file formats and reductions.

This package is pure: it imports neither torch, pysat nor scipy.  Its public
names are listed in ``__all__``; the submodules hold the rest:

* :mod:`reductions.problems`: the instance types and their exact verifiers
  (:func:`satisfies`, :func:`is_splitting`, :func:`is_coloring`, :func:`fits`);
* :mod:`reductions.registry`: :data:`REDUCTIONS`, the single list of
  reductions (each with witness maps both ways);
* :mod:`reductions.generators`: seeded random and planted families;
* :mod:`reductions.formats`: DIMACS CNF, ``.col``, hMETIS ``.hgr``, ``.npz``,
  CSV and JSON files;
* :mod:`reductions.loading`: Judd's loading problem (:class:`LoadingInstance`,
  :func:`loads`);
* :mod:`reductions.strategies`: Hypothesis strategies for property tests
  (imported explicitly; it needs hypothesis).
"""
from . import formats, generators, loading
from .errors import FormatError, InvalidInstanceError, TrainhardError, WitnessError
from .loading import Architecture, Configuration, LoadingInstance, loads
from .problems import (
    CNF,
    Graph,
    Hypergraph,
    Kind,
    NAEFormula,
    OutputFunction,
    ThresholdNetwork,
    TrainingSet,
    as_exact,
    fits,
    is_coloring,
    is_splitting,
    kind_of,
    nae_satisfies,
    satisfies,
    verify,
)
from .registry import REDUCTIONS, Parameter, Reduction, compose, get_reduction, register

__all__ = [
    # instance types
    "CNF",
    "Graph",
    "Hypergraph",
    "Kind",
    "NAEFormula",
    "OutputFunction",
    "ThresholdNetwork",
    "TrainingSet",
    "LoadingInstance",
    "Architecture",
    "Configuration",
    # exact verifiers
    "as_exact",
    "fits",
    "is_coloring",
    "is_splitting",
    "kind_of",
    "loads",
    "nae_satisfies",
    "satisfies",
    "verify",
    # the registry
    "REDUCTIONS",
    "Parameter",
    "Reduction",
    "compose",
    "get_reduction",
    "register",
    # errors
    "FormatError",
    "InvalidInstanceError",
    "TrainhardError",
    "WitnessError",
    # submodules
    "formats",
    "generators",
    "loading",
]
