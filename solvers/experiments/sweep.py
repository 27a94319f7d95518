"""Sweeps: the phase-transition atlas, resumable, on one machine or a Dask cluster.

A sweep is a grid read from a TOML file (:func:`load_config`): families,
sizes ``n``, densities, instances per cell, and the solvers to run on every
instance (:data:`SOLVER_KINDS`).  Two sorts of family:

*source families* (:data:`~reductions.generators.GENERATORS`: random and
planted hypergraphs, random k-CNF through the chain, graphs for
k-colouring, Judd's loading construction through ``cnf-to-loading``)
    make a source instance per cell and seed, which a reduction turns into
    a training set or loading instance; the density is edges (clauses) per
    vertex (variable);
*training-set families* (no source, no reduction)
    ``planted-network``: points labelled by a planted threshold network,
    every point at least the *margin* from each hidden unit's hyperplane
    (:func:`~reductions.generators.planted_network_set`); the density is
    that margin.  ``dataset``: a seeded stratified subsample of a real data
    set (:mod:`solvers.experiments.datasets`, needs scikit-learn); the
    density is a placeholder, 0.

The solver kinds:

``sat``
    an exact SAT solver on the source instance (witness verified); it has
    nothing to run on a training-set family, and such a combination is
    refused when the configuration is read;
``exact``
    the exact trainer on the target training set
    (:func:`solvers.exact.trainer.train_exact`; with ``min_error = true``,
    also the proved minimum error of a set no network fits), or the exact
    loading decider on a loading instance
    (:func:`solvers.exact.loading.decide_loading`);
``gd``
    gradient descent (:func:`solvers.gd.networks.train_gd`), every success checked
    with exact arithmetic and mapped back to a verified source certificate;
``heuristic``
    any registered heuristic (:mod:`solvers.heuristics`); one that searches
    the source (probSAT, WalkSAT) is refused on a training-set family, like ``sat``.

Every (instance, solver) pair is one task, run in a worker process with a
hard wall-clock limit (:class:`solvers.experiments.isolation.IsolatedRunner`: at the
limit the worker is killed and the task recorded as UNKNOWN) and committed
to the results store (:mod:`solvers.experiments.store`) as it finishes.  Re-running the
same command skips every finished key, so a killed sweep resumes where it
stopped.  With ``scheduler="tcp://HOST:PORT"`` the same tasks run on a Dask
distributed cluster; the coordinating process still writes every row.

When a sweep ends, the rows of every instance are cross-checked: two exact
solvers that disagree, or a gradient-descent success on an instance an
exact solver proves unsatisfiable, are reported (:attr:`SweepSummary.inconsistencies`).

Configuration
-------------
::

    name = "atlas"              # default: the file's stem
    seed = 0                    # instance seeds derive from it and the cell
    instances = 8               # per (family, n, density) cell
    time_limit = 60             # hard limit per task, seconds
    workers = 2                 # local worker processes (default: the CPU count)

    [[families]]
    family = "hypergraph"       # reductions.generators.GENERATORS, or "dataset"
    n = [20, 40]
    density = {start = 1.6, stop = 2.6, step = 0.2}   # or a list; edges per vertex
    # reduction = "splitting-to-blum-rivest"   # default by family
    # label = "..."             # default: the family, "via REDUCTION" when one is named
    # colors = 3                # graphs (k-colouring), hypergraph colouring
    # edge_size = 3             # k of k-uniform hypergraphs / k-CNF
    # instances = 16            # overrides the top-level value
    # solvers = ["cadical"]     # the [[solvers]] run on this family (default: all)

    [[families]]
    family = "planted-network"  # training sets labelled by a planted network
    n = [40, 80]                # points
    density = [0.5, 1.0, 2.0]   # the margin: least distance of a point to a unit's hyperplane
    # hidden = 2                # hidden units of the planted network, asked of every solver (default 2)
    # output = "and"            # its output unit: and, or, xor (default and)
    # dimension = 2             # dimension of the points (default 2)

    [[families]]
    family = "dataset"          # real data (solvers.experiments.datasets.DATASETS; scikit-learn)
    dataset = ["iris-petal", "wine"]   # one name or a list: one family per data set, named after it
    n = [30, 60, "all"]         # points: a seeded stratified subsample; "all" (or the size): the whole set, one instance
    # density = 0               # a placeholder axis: 0 only
    # hidden = 2                # hidden units asked for (default 2); output = "and" likewise

    [[solvers]]
    name = "cadical"
    kind = "sat"
    backend = "cadical195"

    [[solvers]]
    name = "gd-16x200"
    kind = "gd"
    restarts = 16
    steps = 200                 # any GDConfig field but hidden and output

References
----------
A. Blum, R. L. Rivest, "Training a 3-node neural network is NP-complete",
Neural Networks 5(1):117-127, 1992.
D. Achlioptas, A. Chtcherba, G. Istrate, C. Moore, "The phase transition in
1-in-k SAT and NAE 3-SAT", SODA 2001.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import os
import platform
import queue
import re
import socket
import threading
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from reductions import formats
from reductions.errors import FormatError, InvalidInstanceError
from reductions.generators import GENERATORS, instance_type
from reductions.problems import CNF, Graph, Hypergraph, NAEFormula, OutputFunction, TrainingSet
from reductions.registry import get_reduction

from .consistency import inconsistencies
from .kinds import SOLVER_KINDS, SolverKind, SweepCase, package_version, preload_modules
from .store import COLUMNS, ResultsStore

__all__ = [
    "DATASET_FAMILY",
    "FamilySpec",
    "density_label",
    "SolverSpec",
    "SolverKind",
    "SweepConfig",
    "Task",
    "SweepSummary",
    "SOLVER_KINDS",
    "load_config",
    "makes_training_sets",
    "parse_config",
    "expand",
    "execute_task",
    "run_sweep",
    "inconsistencies",
]

# ---------------------------------------------------------------------------
# configuration
# ---------------------------------------------------------------------------

_TOP_KEYS = {"name", "seed", "instances", "time_limit", "workers", "families", "solvers"}
_FAMILY_KEYS = {"family", "n", "density", "reduction", "colors", "edge_size", "instances", "label",
                "dataset", "hidden", "dimension", "output", "solvers"}

DATASET_FAMILY = "dataset"
"""The family of real data sets (:data:`solvers.experiments.datasets.DATASETS`); every other family is a generator."""

_MAKER_KEYWORDS = {"edge_size": "k", "dimension": "dim", "hidden": "hidden", "output": "output"}
"""Family keys passed on to the family's generator (or data-set sampler) as these keywords; a key
is refused for a family whose maker takes no such keyword."""

_DENSITY_KEYWORD: dict[str, str | None] = {"planted-network": "margin", DATASET_FAMILY: None}
"""What a cell's density is, by family: the keyword it is passed to the generator as (for every family
not listed, ``ratio``: edges or clauses per vertex or variable), or ``None`` for a placeholder axis
that must be 0.  The one place that decides it (:func:`_make_instance` reads it; :func:`density_label`
names it for the report)."""


def _maker(family: str) -> Callable[..., Any]:
    """What makes a family's instances: its generator, or the data-set sampler."""
    if family == DATASET_FAMILY:
        from .datasets import sample

        return sample
    return GENERATORS[family]


def makes_training_sets(family: str) -> bool:
    """Whether ``family`` makes training sets (no source instance, no reduction) rather than source instances."""
    return family == DATASET_FAMILY or instance_type(family) is TrainingSet


@dataclass(frozen=True)
class FamilySpec:
    """One family of the grid: every ``n`` × every density × ``instances`` seeds.

    A *source* family (a generator of hypergraphs, CNF formulas or graphs)
    makes instances that a reduction turns into training sets or loading
    instances; there ``density`` is edges (clauses) per vertex (variable):
    the generators' ``ratio``.  A *training-set* family makes training sets
    directly (:func:`makes_training_sets`), asking for ``hidden`` threshold
    units and the ``output`` unit (the maker's defaults: 2 and ``"and"``):

    * ``planted-network`` (:func:`~reductions.generators.planted_network_set`):
      ``n`` points in ``dimension`` dimensions (default 2) labelled by a
      planted network; ``density`` is the **margin**, the least Euclidean
      distance of a point to any hidden unit's hyperplane.
    * ``dataset``: ``n`` points of the real data set ``dataset``
      (:func:`solvers.experiments.datasets.sample`, a seeded stratified
      subsample; ``n`` equal to its size is the whole set, one instance per
      cell whatever ``instances``); ``density`` is a placeholder axis, 0.

    :data:`_DENSITY_KEYWORD` decides what the density is.  :attr:`name`
    labels the family's rows (their ``family`` column) and figures:
    ``label`` when given, else the data set's name, or the generator's
    name followed by ``via REDUCTION`` when a reduction is named.  Two
    tables with the same generator draw the same instances (the seeds
    derive from the generator's name), so two reductions of one family are
    compared on the same sources.  ``solvers``, when given, names the
    ``[[solvers]]`` tables run on this family (default: all).
    """

    family: str
    n: tuple[int, ...]
    density: tuple[float, ...]
    instances: int
    reduction: str | None = None
    colors: int | None = None
    edge_size: int | None = None
    label: str | None = None
    dataset: str | None = None
    hidden: int | None = None
    dimension: int | None = None
    output: str | None = None
    solvers: tuple[str, ...] | None = None

    @property
    def name(self) -> str:
        """The label of this family's rows and figures."""
        if self.label is not None:
            return self.label
        if self.dataset is not None:
            return self.dataset
        return self.family if self.reduction is None else f"{self.family} via {self.reduction}"

    @property
    def training_sets(self) -> bool:
        """Whether this family makes training sets (no source, no reduction)."""
        return makes_training_sets(self.family)

    @property
    def seed_key(self) -> str:
        """What the instance seeds derive from besides the cell: the generator's name, or the data set's."""
        return self.family if self.dataset is None else f"{DATASET_FAMILY}:{self.dataset}"

    def whole_set(self, n: int) -> bool:
        """Whether ``n`` points of this family are a whole data set (the same instance for every seed)."""
        from .datasets import DATASETS

        return self.dataset is not None and n == DATASETS[self.dataset].points

    def __post_init__(self) -> None:
        if self.label is not None and (not isinstance(self.label, str) or not self.label.strip()):
            raise InvalidInstanceError(f"label must be a non-empty string, got {self.label!r}")
        if not isinstance(self.family, str) or self.family != DATASET_FAMILY and self.family not in GENERATORS:
            raise InvalidInstanceError(f"unknown family {self.family!r}; choose one of {', '.join([*GENERATORS, DATASET_FAMILY])}")
        if not self.n or any(not isinstance(v, int) or isinstance(v, bool) or v < 1 for v in self.n):
            raise InvalidInstanceError(f"n must be a non-empty list of positive integers, got {list(self.n)}")
        if not self.density or any(not isinstance(v, float) or not math.isfinite(v) or v < 0 for v in self.density):
            raise InvalidInstanceError(f"density must be a non-empty list of finite numbers >= 0, got {list(self.density)}")
        if not isinstance(self.instances, int) or isinstance(self.instances, bool) or self.instances < 1:
            raise InvalidInstanceError(f"instances must be a positive integer, got {self.instances!r}")
        for name in ("colors", "edge_size"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 2):
                raise InvalidInstanceError(f"{name} must be an integer >= 2, got {value!r}")
        for name in ("hidden", "dimension"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                raise InvalidInstanceError(f"{name} must be a positive integer, got {value!r}")
        if self.output is not None and self.output not in OutputFunction.NAMES:
            raise InvalidInstanceError(f"output must be one of {', '.join(OutputFunction.NAMES)}, got {self.output!r}")
        if self.solvers is not None and (
            not self.solvers or any(not isinstance(v, str) for v in self.solvers)
        ):
            raise InvalidInstanceError(f"solvers must be a non-empty list of [[solvers]] names, got {self.solvers!r}")
        if self.training_sets:
            for name in ("reduction", "colors"):
                if getattr(self, name) is not None:
                    raise InvalidInstanceError(f"{name} does not apply to family {self.family}: "
                                               "it makes training sets, which are not reduced")
        takes = inspect.signature(_maker(self.family)).parameters
        for name, keyword in _MAKER_KEYWORDS.items():
            if getattr(self, name) is not None and keyword not in takes:
                raise InvalidInstanceError(f"{name} does not apply to family {self.family}")
        if self.family == DATASET_FAMILY:
            from .datasets import DATASETS, check_sample_size

            if self.dataset is None:
                raise InvalidInstanceError(f"family {DATASET_FAMILY} needs dataset = NAME (or a list of names)")
            if not isinstance(self.dataset, str) or self.dataset not in DATASETS:
                raise InvalidInstanceError(f"dataset {self.dataset!r} unknown; choose one of {', '.join(DATASETS)}")
            for n in self.n:
                check_sample_size(self.dataset, n)  # the name, then n against the data set's size
        elif self.dataset is not None:
            raise InvalidInstanceError(f"dataset applies to family = \"{DATASET_FAMILY}\" only")
        if _DENSITY_KEYWORD.get(self.family, "ratio") is None and set(self.density) != {0.0}:
            raise InvalidInstanceError(f"density must be 0 for family {self.family}: "
                                       "its cells are sizes only (the density axis is a placeholder)")
        if self.reduction is not None:
            get_reduction(self.reduction)  # refuses unknown names with the list


@dataclass(frozen=True)
class SolverSpec:
    """One solver configuration: a label, a kind, its options (defaults filled in)."""

    name: str
    kind: str
    options: Mapping[str, Any]
    time_limit: float | None = None

    @property
    def key(self) -> str:
        """SHA-256 of the kind and the options: the solver part of a result's key.

        The label and the time limit are not part of it: renaming a solver
        or raising its limit does not redo finished work.
        """
        return _sha256({"kind": self.kind, "options": dict(self.options)})


@dataclass(frozen=True)
class SweepConfig:
    """A parsed sweep configuration (see the module docstring for the TOML form)."""

    name: str
    seed: int
    time_limit: float
    families: tuple[FamilySpec, ...]
    solvers: tuple[SolverSpec, ...]
    workers: int | None = None
    source: str = "<string>"


class _Locator:
    """Line numbers of keys in a TOML text, for error messages (best effort)."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def line(self, table: str | None, index: int, key: str | None) -> int | None:
        start, seen = 0, -1
        if table is not None:
            header = re.compile(r"\s*\[\[\s*" + re.escape(table) + r"\s*\]\]")
            for i, text in enumerate(self.lines):
                if header.match(text):
                    seen += 1
                    if seen == index:
                        start = i
                        break
            else:
                return None
            if key is None:
                return start + 1
        pattern = re.compile(r"\s*" + re.escape(key or "") + r"\s*=")
        for i in range(start + (table is not None), len(self.lines)):
            if table is not None and i > start and self.lines[i].lstrip().startswith("["):
                break
            if table is None and self.lines[i].lstrip().startswith("["):
                break
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1 if table is not None else None

    def error(self, message: str, table: str | None = None, index: int = 0, key: str | None = None) -> FormatError:
        return FormatError(self.source, self.line(table, index, key), message)


def _number_list(value: Any, what: str) -> tuple[float, ...]:
    if isinstance(value, Mapping):
        extra = set(value) - {"start", "stop", "step"}
        if extra or not {"start", "stop", "step"} <= set(value):
            raise InvalidInstanceError(f"{what} as a range needs exactly start, stop and step")
        start, stop, step = (value[k] for k in ("start", "stop", "step"))
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (start, stop, step)):
            raise InvalidInstanceError(f"{what}: start, stop and step must be finite numbers")
        if step <= 0 or stop < start:
            raise InvalidInstanceError(f"{what}: need step > 0 and stop >= start")
        count = int(math.floor((stop - start) / step + 1e-9)) + 1
        if count > 10_000:
            raise InvalidInstanceError(f"{what}: {count} values is too many")
        return tuple(round(start + i * step, 10) for i in range(count))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise InvalidInstanceError(f"{what} must be a number, a list of numbers or {{start, stop, step}}")
    out = []
    for v in value:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise InvalidInstanceError(f"{what} must hold numbers, got {v!r}")
        out.append(float(v))
    return tuple(out)


def _int_list(value: Any, what: str) -> tuple[int, ...]:
    if isinstance(value, Mapping):
        numbers = _number_list(value, what)
        if any(v != int(v) for v in numbers):
            raise InvalidInstanceError(f"{what} must be integers")
        return tuple(int(v) for v in numbers)
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or any(not isinstance(v, int) or isinstance(v, bool) for v in value):
        raise InvalidInstanceError(f"{what} must be an integer or a list of integers, got {value!r}")
    return tuple(value)


def parse_config(text: str, *, source: str = "<string>") -> SweepConfig:
    """Parse a sweep configuration from TOML text.

    Raises
    ------
    FormatError
        Malformed TOML, unknown keys, bad values: one line naming ``source``
        and, where it can be found, the line.
    """
    loc = _Locator(text, source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else None
        raise FormatError(source, line, "invalid TOML: " + re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))) from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise loc.error(f"unknown key {key!r}; the top level takes {', '.join(sorted(_TOP_KEYS))}", None, 0, key)

    def top(key: str, kind: type, default: Any) -> Any:
        value = data.get(key, default)
        ok = isinstance(value, kind) and not isinstance(value, bool) if value is not None else default is None
        if not ok:
            raise loc.error(f"{key} must be {'a number' if kind is not str else 'a string'}, got {value!r}", None, 0, key)
        return value

    name = top("name", str, Path(source).stem if source != "<string>" else "sweep")
    seed = top("seed", int, 0)
    if seed < 0:
        raise loc.error(f"seed must be >= 0, got {seed}", None, 0, "seed")
    default_instances = top("instances", int, 8)
    time_limit = float(top("time_limit", (int, float), 60.0))
    if not (time_limit > 0 and math.isfinite(time_limit)):
        raise loc.error(f"time_limit must be a positive number of seconds, got {time_limit}", None, 0, "time_limit")
    workers = top("workers", int, None)
    if workers is not None and workers < 1:
        raise loc.error(f"workers must be >= 1, got {workers}", None, 0, "workers")

    families_data = data.get("families")
    if not isinstance(families_data, list) or not families_data:
        raise loc.error("a sweep needs at least one [[families]] table")
    families: list[FamilySpec] = []
    tables: list[int] = []  # the [[families]] table of each spec (a list of data sets makes several)
    for i, fam in enumerate(families_data):
        if not isinstance(fam, dict):
            raise loc.error("families must be [[families]] tables", "families", i)
        unknown = set(fam) - _FAMILY_KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise loc.error(f"unknown key {key!r} in [[families]]; allowed: {', '.join(sorted(_FAMILY_KEYS))}", "families", i, key)
        is_dataset = fam.get("family") == DATASET_FAMILY
        for key in ("family", "n") if is_dataset else ("family", "n", "density"):
            if key not in fam:
                raise loc.error(f"[[families]] needs {key}", "families", i)
        try:
            for spec in _family_specs(fam, default_instances):
                families.append(spec)
                tables.append(i)
        except InvalidInstanceError as error:
            message = str(error)
            key = next((k for k in ("n", "density", "instances", "colors", "edge_size", "label", "dataset", "hidden",
                                    "dimension", "output", "solvers")
                        if k in fam and re.match(re.escape(k) + r"\b", message)), "reduction" if "reduction" in message else "family")
            raise loc.error(str(error), "families", i, key) from None

    seen: dict[str, int] = {}
    for fam, i in zip(families, tables):
        if fam.name in seen:
            raise loc.error(f"two [[families]] tables are both called {fam.name!r}; give one a label", "families", i)
        seen[fam.name] = i

    solvers_data = data.get("solvers")
    if not isinstance(solvers_data, list) or not solvers_data:
        raise loc.error("a sweep needs at least one [[solvers]] table")
    solvers, names = [], set()
    for i, sol in enumerate(solvers_data):
        if not isinstance(sol, dict):
            raise loc.error("solvers must be [[solvers]] tables", "solvers", i)
        kind = sol.get("kind")
        if kind not in SOLVER_KINDS:
            raise loc.error(f"solver kind {kind!r} unknown; choose one of {', '.join(SOLVER_KINDS)}", "solvers", i, "kind")
        spec = SOLVER_KINDS[kind]
        label = sol.get("name", kind)
        if not isinstance(label, str) or not label or label in names:
            raise loc.error(f"solver names must be distinct non-empty strings, got {label!r}", "solvers", i, "name")
        names.add(label)
        options = dict(spec.defaults)
        for key, value in sol.items():
            if key in ("kind", "name", "time_limit"):
                continue
            if key not in spec.defaults:
                raise loc.error(f"unknown option {key!r} for a {kind} solver; allowed: {', '.join(sorted(spec.defaults))}", "solvers", i, key)
            options[key] = value
        limit = sol.get("time_limit")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float)) or not limit > 0):
            raise loc.error(f"time_limit must be a positive number of seconds, got {limit!r}", "solvers", i, "time_limit")
        try:
            spec.validate(options)
        except InvalidInstanceError as error:
            key = next((k for k in sol if k in str(error)), "kind")
            raise loc.error(f"solver {label!r}: {error}", "solvers", i, key) from None
        solvers.append(SolverSpec(label, kind, options, None if limit is None else float(limit)))
    keys = [s.key for s in solvers]
    if len(set(keys)) != len(keys):
        raise loc.error("two [[solvers]] tables have the same kind and options; results would share a key", "solvers", 0)
    for fam, i in zip(families, tables):
        key = "solvers" if fam.solvers is not None else None
        unknown = sorted(set(fam.solvers or ()) - names)
        if unknown:
            raise loc.error(f"solvers: no [[solvers]] table is called {unknown[0]!r}; the tables: {', '.join(sorted(names))}",
                            "families", i, key)
        if fam.training_sets:
            for solver in _family_solvers(solvers, fam):
                if SOLVER_KINDS[solver.kind].searches_source(solver.options):
                    raise loc.error(
                        f"family {fam.name} makes training sets, with no source instance, and solver {solver.name!r} "
                        f"({solver.kind}) searches the source; leave it out with solvers = [...] in this [[families]] table",
                        "families", i, key)
    return SweepConfig(name, seed, time_limit, tuple(families), tuple(solvers), workers, source)


def _family_specs(fam: Mapping[str, Any], default_instances: int) -> list[FamilySpec]:
    """The :class:`FamilySpec` of one ``[[families]]`` table: one per data set when ``dataset`` lists several.

    ``n = "all"`` (alone or in the list) is the data set's size.
    """
    family = fam["family"]
    common = dict(
        family=family,
        instances=fam.get("instances", default_instances),
        reduction=fam.get("reduction"),
        colors=fam.get("colors"),
        edge_size=fam.get("edge_size"),
        hidden=fam.get("hidden"),
        dimension=fam.get("dimension"),
        output=fam.get("output"),
        solvers=_names(fam["solvers"], "solvers") if "solvers" in fam else None,
    )
    density = _number_list(fam["density"], "density") if "density" in fam else (0.0,)
    label = fam.get("label")
    if family != DATASET_FAMILY:
        if "dataset" in fam:
            raise InvalidInstanceError(f"dataset applies to family = \"{DATASET_FAMILY}\" only")
        return [FamilySpec(n=_int_list(fam["n"], "n"), density=density, label=label, **common)]
    from .datasets import DATASETS, check_sample_size

    if "dataset" not in fam:
        raise InvalidInstanceError(f"family {DATASET_FAMILY} needs dataset = NAME (or a list of names)")
    names = _names(fam["dataset"], "dataset")
    specs = []
    for name in names:
        if name not in DATASETS:
            raise InvalidInstanceError(f"dataset {name!r} unknown; choose one of {', '.join(DATASETS)}")
        values = list(_int_list(fam["n"], "n")) if isinstance(fam["n"], Mapping) else \
            fam["n"] if isinstance(fam["n"], list) else [fam["n"]]
        sizes = tuple(dict.fromkeys(check_sample_size(name, v) for v in values)) if values else ()
        own = label if label is None or len(names) == 1 else f"{label} {name}"
        specs.append(FamilySpec(n=sizes, density=density, label=own, dataset=name, **common))
    return specs


def _names(value: Any, what: str) -> tuple[str, ...]:
    """A string or a non-empty list of strings, as a tuple."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or any(not isinstance(v, str) for v in value):
        raise InvalidInstanceError(f"{what} must be a name or a non-empty list of names, got {value!r}")
    return tuple(value)


def _family_solvers(solvers: Sequence[SolverSpec], fam: FamilySpec) -> list[SolverSpec]:
    """The solvers run on ``fam``: those its ``solvers`` key names, else all."""
    return [s for s in solvers if fam.solvers is None or s.name in fam.solvers]


def load_config(path: str | Path) -> SweepConfig:
    """Read a sweep configuration file (see the module docstring)."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as error:
        raise FormatError(str(path), None, f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise FormatError(str(path), None, "not a UTF-8 text file") from None
    return parse_config(text, source=str(path))


# ---------------------------------------------------------------------------
# tasks
# ---------------------------------------------------------------------------

_SOURCE_KINDS: dict[type, tuple[str, Callable[..., Any]]] = {
    CNF: ("cnf", formats.parse_cnf),
    Hypergraph: ("hypergraph", formats.parse_hgr),
    Graph: ("graph", formats.parse_col),
    NAEFormula: ("nae", formats.parse_nae),
    TrainingSet: ("training-set", formats.parse_csv),
}
"""How each instance type travels to a worker: its ``source_kind`` and the parser of its text."""
_PARSERS = {name: parser for name, parser in _SOURCE_KINDS.values()}


def density_label(rows: Sequence[Mapping[str, Any]]) -> str:
    """What a family's density axis means, read off its rows (their ``source_kind`` and densities).

    The rows' side of :data:`_DENSITY_KEYWORD`: source families vary edges
    per vertex (clauses per variable for CNF); training-set families vary
    the planted margin, or nothing (a data set's one placeholder density, 0).
    """
    kinds = {str(r.get("source_kind")) for r in rows}
    if kinds == {_SOURCE_KINDS[CNF][0]}:
        return "density: clauses per variable"
    if kinds == {_SOURCE_KINDS[TrainingSet][0]}:
        if {r.get("density") for r in rows} <= {0, 0.0}:
            return "density: none (a data set; cells differ in n only)"
        return "density: margin (least distance of a point to a planted hyperplane)"
    return "density: edges per vertex"


def _instance_text(instance: Any) -> str:
    """The text an instance travels as: its file format's text (a training set as exact CSV, metadata kept)."""
    if isinstance(instance, TrainingSet):
        return formats.format_csv(instance)
    return formats.format_instance(instance)


def _sha256(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _instance_seed(base: int, family: str, n: int, density: float, replicate: int) -> int:
    """A 31-bit seed per instance, from the sweep seed and the cell (independent cells)."""
    text = f"{base}|{family}|{n}|{density!r}|{replicate}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") >> 1


@dataclass(frozen=True)
class Task:
    """One (instance, solver) pair: its key, the row fields known up front, what the worker gets."""

    key: tuple[str, str, int]
    row: Mapping[str, Any]
    payload: Mapping[str, Any]
    hard_limit: float


def _grace(limit: float) -> float:
    """Seconds between a task's soft limit (the solver stops itself) and the kill."""
    return min(5.0, max(0.5, 0.1 * limit))


def _make_instance(fam: FamilySpec, n: int, density: float, seed: int) -> Any:
    """The instance of one cell and seed: the family's maker, with the density as :data:`_DENSITY_KEYWORD` says."""
    kwargs = {keyword: getattr(fam, name) for name, keyword in _MAKER_KEYWORDS.items() if getattr(fam, name) is not None}
    density_keyword = _DENSITY_KEYWORD.get(fam.family, "ratio")
    if density_keyword is not None:
        kwargs[density_keyword] = density
    if fam.dataset is not None:
        return _maker(fam.family)(fam.dataset, n, seed=seed, **kwargs)
    made = _maker(fam.family)(n, seed=seed, **kwargs)
    return made[0] if isinstance(made, tuple) else made


def _check_combination(config: SweepConfig, fam: FamilySpec, reduction: Any) -> None:
    """Refuse a solver setting the family's target does not support, before anything runs."""
    from reductions.problems import Kind

    if reduction is None or reduction.target is not Kind.LOADING:
        return
    from ..gd.networks import GDConfig
    from ..gd.loading import check_loading_config

    for solver in _family_solvers(config.solvers, fam):
        if solver.kind == "gd":
            try:
                check_loading_config(GDConfig(**solver.options))
            except InvalidInstanceError as error:
                raise FormatError(config.source, None, f"solver {solver.name!r}, family {fam.name}: {error}") from None


def expand(config: SweepConfig, *, time_limit: float | None = None) -> list[Task]:
    """Every task of the sweep, replicate-major (the picture fills in evenly if stopped early).

    Instances are generated here, in the coordinator, and travel to the
    workers as text: every worker (on any machine) solves the same bytes,
    whatever its numpy release.
    """
    from .crosscheck import resolve_reduction

    limit_default = config.time_limit if time_limit is None else float(time_limit)
    tasks = []
    for replicate in range(max(f.instances for f in config.families)):
        for fam in config.families:
            if replicate >= fam.instances:
                continue
            for n in fam.n:
                if replicate and fam.whole_set(n):
                    continue  # a whole data set is one instance, whatever the seed
                for density in fam.density:
                    seed = _instance_seed(config.seed, fam.seed_key, n, density, replicate)
                    try:
                        source = _make_instance(fam, n, density, seed)
                        if isinstance(source, TrainingSet):  # a training-set family: no source, nothing to reduce
                            red, params = None, {}
                        else:
                            red, params = resolve_reduction(source, fam.reduction, colors=fam.colors)
                    except InvalidInstanceError as error:
                        raise FormatError(config.source, None,
                                          f"family {fam.name} at n={n}, density={density}: {error}") from None
                    _check_combination(config, fam, red)
                    kind, _ = _SOURCE_KINDS[type(source)]
                    text = _instance_text(source)
                    reduction = None if red is None else red.name
                    instance = {"source_kind": kind, "source": text, "reduction": reduction, "params": params}
                    instance_hash = _sha256(instance)
                    base = {
                        "sweep": config.name, "family": fam.name, "n": n, "density": density,
                        "replicate": replicate, "source_kind": kind, "source_hash": _sha256(text),
                        "reduction": reduction, "reduction_params": params,
                    }
                    for solver in _family_solvers(config.solvers, fam):
                        limit = solver.time_limit if solver.time_limit is not None and time_limit is None else limit_default
                        payload = {**instance, "colors": fam.colors, "solver_kind": solver.kind,
                                   "options": dict(solver.options), "time_limit": limit}
                        row = {**base, "solver": solver.name, "solver_kind": solver.kind,
                               "solver_options": dict(solver.options), "time_limit": limit}
                        tasks.append(Task((instance_hash, solver.key, seed), row, payload, limit + _grace(limit)))
    return tasks


# ---------------------------------------------------------------------------
# the worker side
# ---------------------------------------------------------------------------



def execute_task(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Run one task (in a worker process) and return its result columns.

    The source is parsed from its text, reduced (a training set is taken
    as is), and handed to the solver kind's ``run``; the environment
    columns (versions, host, device) are added here, where the work happens.
    """
    start = time.perf_counter()
    from ..exact import pencils

    pencils.DEFAULT_WORKERS = 1  # the sweep's workers already use the cores: no processes inside a task
    parser = _PARSERS[payload["source_kind"]]
    source = parser(payload["source"], source="<sweep task>")
    reduction = None if payload["reduction"] is None else get_reduction(payload["reduction"])
    case = SweepCase(source, reduction, payload.get("colors"))
    kind = SOLVER_KINDS[payload["solver_kind"]]
    result = kind.run(case, dict(payload["options"]), payload.get("time_limit"))
    target = case.built.training_set if case.built is not None else None  # SAT on the source builds none
    if target is not None:
        from reductions.loading import LoadingInstance

        if isinstance(target, LoadingInstance):
            result.setdefault("num_points", target.task.num_pairs)
            result.setdefault("dim", target.architecture.num_nodes)
        else:
            result.setdefault("num_points", target.num_points)
            result.setdefault("dim", target.dim)
    result.setdefault("device", "cpu")
    result.update({
        "wall_s": time.perf_counter() - start,
        "trainhard_version": package_version("trainhard"),
        "python_version": platform.python_version(),
        "numpy_version": package_version("numpy"),
        "pysat_version": package_version("python-sat"),
        "torch_version": package_version("torch"),
        "host": socket.gethostname(),
        "pid": os.getpid(),
    })
    return result


_LOCAL = threading.local()

def run_isolated(payload: Mapping[str, Any], hard_limit: float) -> dict[str, Any]:
    """Run one task in this thread's persistent worker process, killed at ``hard_limit``.

    What a Dask worker executes: each worker thread keeps its own
    :class:`~solvers.experiments.isolation.IsolatedRunner`.
    """
    from .isolation import IsolatedRunner

    runner = getattr(_LOCAL, "runner", None)
    if runner is None:
        runner = _LOCAL.runner = IsolatedRunner("solvers.experiments.sweep:execute_task", preload=preload_modules(list(SOLVER_KINDS)))
    return runner.run(dict(payload), hard_limit=hard_limit)


# ---------------------------------------------------------------------------
# the coordinator
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepSummary:
    """What one :func:`run_sweep` call did.

    Attributes
    ----------
    tasks : int
        Tasks in the sweep.
    skipped : int
        Already finished in the database (resumed).
    ran : int
        Run and committed by this call.
    statuses : mapping
        Rows committed by this call, per status.
    errors : tuple of str
        ``ERROR`` rows of this call (solver name, instance, reason); they are retried on a re-run.
    inconsistencies : tuple of str
        Disagreements found over the whole database (see :func:`inconsistencies`).
    time_s : float
    workers : int
    scheduler : str or None
    """

    tasks: int
    skipped: int
    ran: int
    statuses: Mapping[str, int]
    errors: tuple[str, ...]
    inconsistencies: tuple[str, ...]
    time_s: float
    workers: int
    scheduler: str | None = None
    interrupted: bool = False

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready record; :meth:`from_json` reads it back."""
        return {name: (dict(v) if isinstance(v, Mapping) else list(v) if isinstance(v, tuple) else v)
                for name, v in self.__dict__.items()}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "SweepSummary":
        """The summary of a :meth:`to_json` object."""
        try:
            return cls(**{**obj, "statuses": dict(obj["statuses"]), "errors": tuple(obj["errors"]),
                          "inconsistencies": tuple(obj["inconsistencies"])})
        except (KeyError, TypeError) as exc:
            raise InvalidInstanceError(f"not a sweep summary object: {exc}") from None


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def run_sweep(
    config: SweepConfig,
    db: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    time_limit: float | None = None,
    retry_unknown: bool = False,
    progress: bool = False,
    connect_timeout: float = 30.0,
) -> SweepSummary:
    """Run every unfinished task of ``config``, committing each row to ``db`` as it completes.

    Parameters
    ----------
    config : SweepConfig
    db : path
        The SQLite results database (created if missing).  Finished keys
        are skipped: re-running the same call resumes a stopped sweep.
    workers : int, optional
        Local worker processes (default: the configuration's, else the CPU count).
    scheduler : str, optional
        ``"tcp://HOST:PORT"`` of a Dask distributed scheduler: run the tasks
        on its cluster instead (needs ``distributed`` here and trainhard
        installed on the workers).  Rows are still written here, once.
    time_limit : float, optional
        Overrides every task's limit (seconds).  A task gets its limit as a
        soft limit (solvers that can stop themselves do) and is killed at
        the limit plus a grace of ``min(5, max(0.5, limit / 10))`` seconds,
        recorded as UNKNOWN.
    retry_unknown : bool
        Also re-run tasks whose row says UNKNOWN (e.g. with a larger limit).
    progress : bool
        A progress bar with counts and ETA on standard error.
    connect_timeout : float
        Seconds to wait for the Dask scheduler.

    Notes
    -----
    A SIGKILL of this process loses at most the tasks in flight: every
    finished task was committed before the next one was awaited, and the
    workers die with it (:mod:`solvers.experiments.isolation`).
    """
    from ..core.progress import Progress

    start = time.perf_counter()
    if time_limit is not None and not (time_limit > 0 and math.isfinite(time_limit)):
        raise InvalidInstanceError(f"time limit must be a positive number of seconds, got {time_limit}")
    if workers is not None and workers < 1:
        raise InvalidInstanceError(f"workers must be >= 1, got {workers}")
    n_workers = workers or config.workers or os.cpu_count() or 1
    tasks = expand(config, time_limit=time_limit)
    with ResultsStore(db) as store:
        done = store.finished_keys(retry_unknown=retry_unknown)
        todo = [t for t in tasks if t.key not in done]
        statuses: dict[str, int] = {}
        errors: list[str] = []

        def commit(task: Task, result: Mapping[str, Any]) -> None:
            row = {**task.row, **{k: v for k, v in result.items() if k in _RESULT_COLUMNS}}
            row.update(zip(("instance_hash", "solver_key", "seed"), task.key))
            row["finished_at"] = _utc_now()
            row.setdefault("wall_s", result.get("wall_s"))
            store.write(row)
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
            if row["status"] == "ERROR":
                errors.append(f"{row['solver']} on {row['family']} n={row['n']} density={row['density']} "
                              f"replicate {row['replicate']}: {row.get('reason')}")
            bar.advance(note=" ".join(f"{k} {v}" for k, v in sorted(statuses.items())))

        interrupted = False
        with Progress(len(todo), f"sweep {config.name}", enabled=progress and bool(todo)) as bar:
            try:
                if scheduler is not None:
                    n_workers = _run_dask(todo, scheduler, commit, connect_timeout)
                else:
                    kinds = sorted({t.payload["solver_kind"] for t in todo})
                    _run_local(todo, min(n_workers, max(1, len(todo))), commit, preload_modules(kinds))
            except KeyboardInterrupt:
                interrupted = True
        rows = list(store.rows())
    hashes = {t.key[0] for t in tasks}
    found = inconsistencies([r for r in rows if r["instance_hash"] in hashes])
    return SweepSummary(len(tasks), len(tasks) - len(todo), sum(statuses.values()), statuses, tuple(errors),
                        tuple(found), time.perf_counter() - start, n_workers, scheduler, interrupted)


_RESULT_COLUMNS = frozenset(COLUMNS) - {"instance_hash", "solver_key", "seed", "finished_at"}
"""The columns a worker's result may set (the key and the finish time are the coordinator's)."""


def _run_local(
    tasks: Sequence[Task], workers: int, commit: Callable[[Task, Mapping[str, Any]], None], preload: Sequence[str] = ()
) -> None:
    """Run ``tasks`` on ``workers`` local worker processes; ``commit`` each result in this thread."""
    from .isolation import IsolatedRunner

    if not tasks:
        return
    todo: queue.SimpleQueue[Task] = queue.SimpleQueue()
    for task in tasks:
        todo.put(task)
    results: queue.SimpleQueue[tuple[Task, Mapping[str, Any]]] = queue.SimpleQueue()
    stop = threading.Event()

    def work() -> None:
        with IsolatedRunner("solvers.experiments.sweep:execute_task", preload=preload) as runner:
            while not stop.is_set():
                try:
                    task = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    result = runner.run(dict(task.payload), hard_limit=task.hard_limit)
                except Exception as error:  # never lose the task silently
                    result = {"status": "ERROR", "reason": f"{type(error).__name__}: {error}"}
                results.put((task, result))

    threads = [threading.Thread(target=work, name=f"sweep-worker-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(len(tasks)):
            task, result = results.get()
            commit(task, result)
    finally:
        stop.set()


def _run_dask(
    tasks: Sequence[Task], scheduler: str, commit: Callable[[Task, Mapping[str, Any]], None], connect_timeout: float = 30.0
) -> int:
    """Run ``tasks`` on a Dask distributed cluster; ``commit`` each result here as it completes."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InvalidInstanceError("--scheduler needs Dask: pip install 'dask[distributed]'") from None
    try:
        client = Client(scheduler, timeout=connect_timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise InvalidInstanceError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    with client:
        workers = max(1, sum(client.nthreads().values()))
        if not tasks:
            return workers
        # A bounded window of submitted tasks: the scheduler holds a few per worker thread, not the
        # whole sweep, and a cluster that grows picks up more (the window follows its threads).
        pending = iter(enumerate(tasks))
        by_key: dict[str, Task] = {}

        def submit_next() -> Any:
            i, task = next(pending)
            key = f"trainhard-task-{task.key[0][:16]}-{task.key[1][:8]}-{task.key[2]}-{i}"
            future = client.submit(run_isolated, dict(task.payload), task.hard_limit, key=key, pure=False, retries=1)
            by_key[future.key] = task
            return future

        window = _DASK_WINDOW_PER_THREAD * workers
        running = as_completed([submit_next() for _ in range(min(window, len(tasks)))])
        submitted = min(window, len(tasks))
        asked = time.monotonic()
        for future in running:
            task = by_key.pop(future.key)
            try:
                result = future.result()
            except Exception as error:  # a worker lost twice, a pickling error: record, go on
                result = {"status": "ERROR", "reason": f"dask: {type(error).__name__}: {error}"}
            future.release()
            commit(task, result)
            if time.monotonic() - asked > 1.0:  # the cluster's size, asked at most once a second
                workers = max(1, sum(client.nthreads().values()))
                window, asked = _DASK_WINDOW_PER_THREAD * workers, time.monotonic()
            while submitted < len(tasks) and running.count() < window:
                running.add(submit_next())
                submitted += 1
        return workers


_DASK_WINDOW_PER_THREAD = 4
"""Tasks submitted ahead per Dask worker thread."""
