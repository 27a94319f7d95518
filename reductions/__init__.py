"""trainhard.reductions: problems, verifiers, generators, file formats and reductions.

This package is pure: it imports neither torch nor pysat.
"""
from .errors import FormatError, InvalidInstanceError, TrainhardError, WitnessError
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
    nae_satisfies,
    satisfies,
    verify,
    kind_of,
)
from .registry import REDUCTIONS, Parameter, Reduction, compose, get_reduction, register
from . import generators
