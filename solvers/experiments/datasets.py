"""Real data sets as exact training sets: scikit-learn's bundled data, nothing downloaded.

Binary tasks are built from scikit-learn's *bundled* data sets (one class
against the rest, on a few feature columns), with every feature z-scored
over the whole data set and rounded to :data:`DECIMALS` decimals, kept as
decimal strings, so each training set is exact rationals
(:func:`datasets`, :func:`training_set`).  :data:`DATASETS` is the one list
of them: ``benchmarks/real_data.py`` and the sweeps' ``dataset`` family
(:mod:`solvers.experiments.sweep`) read it.  :func:`sample` draws a seeded
stratified subsample for a sweep cell.

scikit-learn is an optional extra (``pip install -e '.[examples]'``): it
is imported only when a data set is loaded, and its absence is reported by
:class:`MissingExtraError` with :data:`SKLEARN_MISSING`.  The names, the
descriptions and the sizes are known without it.

Examples
--------
>>> DATASETS["iris-petal"].points, DATASETS["wine"].description
(150, 'wine, class 1 vs rest, alcohol and colour intensity')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from reductions.errors import InvalidInstanceError
from reductions.generators import Seed, make_rng
from reductions.problems import OutputFunction, TrainingSet

__all__ = [
    "DATASETS",
    "DECIMALS",
    "SKLEARN_MISSING",
    "Dataset",
    "DataSetSpec",
    "MissingExtraError",
    "datasets",
    "training_set",
    "sample",
    "check_sample_size",
]

Dataset = tuple[list[list[str]], list[int], list[str]]
"""A binary task: points as exact decimal strings (one list per point), 0/1 labels, feature names."""

SKLEARN_MISSING = "scikit-learn is not installed (the bundled data sets come with it): pip install -e '.[examples]'"
"""The message when a data set is asked for without scikit-learn."""

DECIMALS = 6
"""Decimal places of the z-scores: the data is exactly these decimals."""


class MissingExtraError(InvalidInstanceError, ImportError):
    """An optional dependency is not installed; the message names the extra that brings it.

    An :class:`ImportError` (what a script catches around an optional
    import) and an :class:`~reductions.errors.InvalidInstanceError` (what
    the CLI and the sweeps report as one line).
    """


def _require_sklearn() -> None:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise MissingExtraError(SKLEARN_MISSING) from None


def _zscores(x: np.ndarray) -> list[list[str]]:
    """Each column centred and scaled to unit (population) standard deviation, as ``DECIMALS``-place strings."""
    std = x.std(axis=0)
    z = (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return [[f"{v:.{DECIMALS}f}".replace("-0.000000", "0.000000") for v in row] for row in z]


def _task(loader: str, positive: int, features: Sequence[int] | None, *, keep: Sequence[int] | None = None,
          names: Sequence[str] | None = None) -> Dataset:
    """Class ``positive`` against the rest (or against the classes in ``keep``) on the chosen feature columns."""
    import sklearn.datasets

    bunch = getattr(sklearn.datasets, loader)()
    x, target = np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target)
    rows = np.isin(target, keep) if keep is not None else np.ones(len(target), dtype=bool)
    columns = list(range(x.shape[1])) if features is None else list(features)
    feature_names = list(names) if names is not None else [str(bunch.feature_names[j]) for j in columns]
    return _zscores(x[rows][:, columns]), [int(t == positive) for t in target[rows]], feature_names


_DIGIT_PIXELS = [(r, c) for r in (3, 4) for c in (2, 3, 4, 5)]  # the 8 central pixels of the 8x8 images


def _digits_top_variance(count: int = 8) -> Dataset:
    """Digits 3 vs 8 on the ``count`` pixels of largest variance over those images (labels unused; ties by index)."""
    import sklearn.datasets

    bunch = sklearn.datasets.load_digits()
    x = np.asarray(bunch.data, dtype=np.float64)[np.isin(bunch.target, [3, 8])]
    pixels = sorted(np.argsort(-x.var(axis=0), kind="stable")[:count].tolist())
    return _task("load_digits", 3, pixels, keep=[3, 8], names=[f"pixel_{p // 8}_{p % 8}" for p in pixels])


@dataclass(frozen=True)
class DataSetSpec:
    """One registered data set.

    Attributes
    ----------
    build : callable
        ``build() -> (points, labels, feature names)``; imports scikit-learn.
    description : str
        A few words for tables and help texts.
    points : int
        Its number of points, known without loading it (a test checks it):
        a sweep refuses a larger ``n`` before anything is loaded.
    """

    build: Callable[[], Dataset]
    description: str
    points: int


DATASETS: dict[str, DataSetSpec] = {
    "iris-petal": DataSetSpec(lambda: _task("load_iris", 1, [2, 3]),
                              "iris, versicolor vs rest, petal length and width", 150),
    "iris-sepal": DataSetSpec(lambda: _task("load_iris", 1, [0, 1]),
                              "iris, versicolor vs rest, sepal length and width", 150),
    "iris-all": DataSetSpec(lambda: _task("load_iris", 1, None), "iris, versicolor vs rest, all 4 features", 150),
    "wine": DataSetSpec(lambda: _task("load_wine", 1, [0, 9]),
                        "wine, class 1 vs rest, alcohol and colour intensity", 178),
    "breast-cancer": DataSetSpec(lambda: _task("load_breast_cancer", 1, [0, 1, 2]),
                                 "breast cancer, benign vs malignant, the first 3 features, all 569 points", 569),
    "digits-3v8": DataSetSpec(_digits_top_variance,
                              "digits, 3 vs 8, the 8 pixels of largest variance over those 357 images", 357),
    "digits-3v8-central": DataSetSpec(lambda: _task("load_digits", 3, [8 * r + c for r, c in _DIGIT_PIXELS], keep=[3, 8],
                                                    names=[f"pixel_{r}_{c}" for r, c in _DIGIT_PIXELS]),
                                      "digits, 3 vs 8, the 8 central pixels", 357),
}
"""Every data set by name (the one list: benchmark choices, sweep families and tables come from here)."""


def _spec(name: str) -> DataSetSpec:
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        raise InvalidInstanceError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}") from None


_LOADED: dict[str, Dataset] = {}


def datasets(names: Sequence[str] | None = None) -> dict[str, Dataset]:
    """The data sets ``names`` (default: all of :data:`DATASETS`) by name: ``(points, labels, feature names)``.

    Points are z-scored features rounded to :data:`DECIMALS` decimals, as
    strings, so ``TrainingSet.from_points`` reads them exactly.  Each is
    built once per process.

    Raises
    ------
    MissingExtraError
        Without scikit-learn (message :data:`SKLEARN_MISSING`); an ``ImportError``.
    InvalidInstanceError
        For a name not in :data:`DATASETS`.
    """
    wanted = list(names) if names is not None else list(DATASETS)
    specs = {name: _spec(name) for name in wanted}
    _require_sklearn()
    for name, spec in specs.items():
        if name not in _LOADED:
            _LOADED[name] = spec.build()
    return {name: _LOADED[name] for name in wanted}


def training_set(name: str) -> TrainingSet:
    """The exact training set of data set ``name``; its metadata names the data set and the columns."""
    x, y, names = datasets([name])[name]
    return TrainingSet.from_points(x, y, metadata={"dataset": name, "columns": names, "label": "positive"})


def check_sample_size(name: str, n: Any) -> int:
    """``n`` as a number of points of data set ``name``: an integer in ``1..size``, or ``"all"`` (the size).

    Needs no scikit-learn (the sizes are registered).

    Examples
    --------
    >>> check_sample_size("iris-petal", "all"), check_sample_size("wine", 40)
    (150, 40)
    >>> check_sample_size("iris-petal", 151)
    Traceback (most recent call last):
    ...
    reductions.errors.InvalidInstanceError: n=151 is more than the 150 points of iris-petal
    """
    size = _spec(name).points
    if n == "all":
        return size
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise InvalidInstanceError(f"n must be a positive integer or \"all\", got {n!r}")
    if n < 1:
        raise InvalidInstanceError(f"n must be >= 1, got {n}")
    if n > size:
        raise InvalidInstanceError(f"n={n} is more than the {size} points of {name}")
    return int(n)


def sample(
    name: str, n: int | str = "all", *, seed: Seed = None, hidden: int = 2, output: str = "and"
) -> TrainingSet:
    """``n`` points of data set ``name``, a seeded stratified subsample, asking for ``hidden`` units and ``output``.

    The subsample keeps the class proportions: ``round(n · positives /
    size)`` positive points (at least one of each class when ``n >= 2``),
    each class drawn uniformly without replacement; the points keep their
    order in the data set.  With ``n`` equal to the size (or ``"all"``) the
    whole set is returned, whatever the seed.  The coordinates are the
    whole set's z-scores (an affine map, which changes no dichotomy).

    The metadata adds the architecture (``hidden_units``, ``output``: what
    the exact trainer, gradient descent and the heuristics are asked) and,
    for a proper subsample, ``sample_seed``.

    Raises
    ------
    InvalidInstanceError
        Unknown name, ``n`` out of range, bad architecture.
    MissingExtraError
        Without scikit-learn.

    Examples
    --------
    >>> ts = sample("iris-petal", 30, seed=1)  # doctest: +SKIP
    >>> ts.num_points, int(ts.labels.sum()), ts.metadata["hidden_units"]  # doctest: +SKIP
    (30, 10, 2)
    """
    size = check_sample_size(name, n)
    if isinstance(hidden, bool) or not isinstance(hidden, int) or not 1 <= hidden <= 20:
        raise InvalidInstanceError(f"hidden must be an integer in 1..20, got {hidden!r}")
    if output not in OutputFunction.NAMES:
        raise InvalidInstanceError(f"output must be one of {', '.join(OutputFunction.NAMES)}, got {output!r}")
    full = training_set(name)
    metadata: dict[str, Any] = {**full.metadata, "hidden_units": hidden, "output": output}
    if size == full.num_points:
        return TrainingSet(full.numerators, full.labels, full.denominator, metadata)
    rng = make_rng(seed)
    positives = np.flatnonzero(full.labels == 1)
    negatives = np.flatnonzero(full.labels == 0)
    take = int(round(size * len(positives) / full.num_points))
    if size >= 2 and len(positives) and len(negatives):
        take = min(max(take, 1), size - 1)
    take = min(take, len(positives))
    take = max(take, size - len(negatives))
    chosen = np.sort(np.concatenate([
        rng.choice(positives, size=take, replace=False),
        rng.choice(negatives, size=size - take, replace=False),
    ]))
    if isinstance(seed, (int, np.integer)):
        metadata["sample_seed"] = int(seed)
    return TrainingSet(full.numerators[chosen], full.labels[chosen], full.denominator, metadata)
