"""Shared by the benchmark scripts: the machine description and the ``median [min–max]`` cell."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
from typing import Any, Callable, Sequence


def machine(*, gpu: str = "no GPU used") -> list[str]:
    """Markdown bullet lines describing this machine and the software (CPU, memory, versions)."""
    import numpy
    import pysat

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as f:
            kib = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        memory = f"{kib / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown memory"
    versions = f"python {platform.python_version()}, python-sat {pysat.__version__}, numpy {numpy.__version__}"
    try:
        import scipy

        versions += f", SciPy {scipy.__version__} (HiGHS)"
    except ImportError:  # pragma: no cover - scipy is a dependency
        pass
    return [
        f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"- machine: {platform.platform()}; {cpu}; {os.cpu_count()} logical CPUs; {memory}; {gpu}",
        f"- {versions}",
    ]


def spread(values: Sequence[float], fmt: str = "{:.4g}") -> str:
    """``median [min–max]`` (``–`` for no values)."""
    if not values:
        return "–"
    return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}–{fmt.format(max(values))}]"


def command_line(script: str, argv: Sequence[str] | None) -> str:
    """The line ``command: python3 benchmarks/SCRIPT ARGS`` that reproduces a run (``argv`` None: this process's)."""
    import sys

    args = sys.argv[1:] if argv is None else list(argv)
    return f"command: python3 benchmarks/{script} {' '.join(args)}".rstrip()


def real_data_header(script: str, argv: Sequence[str] | None) -> "Callable[[str], Any] | None":
    """Start a benchmark on :mod:`benchmarks.real_data`: print the machine and the command, return its ``training_set``.

    ``None`` (with one ``error:`` line on standard error) when scikit-learn,
    which bundles the data sets, is missing.
    """
    import sys

    try:
        from real_data import training_set
    except ImportError as exc:  # pragma: no cover - scikit-learn missing
        print(f"error: {exc}", file=sys.stderr)
        return None
    print("\n".join(machine()))
    print(command_line(script, argv))
    return training_set


def fix_settings(items: Sequence[str], settings: dict[str, dict[str, Any]], error: Callable[[str], Any]) -> dict[str, Any]:
    """Apply ``--set NAME:KEY=VALUE`` items (VALUE in JSON) to ``settings[NAME]``; return what was fixed, for the record.

    A setting fixed here is not tuned; a name or key the run does not have is refused through ``error``.
    """
    import json

    fixed: dict[str, Any] = {}
    for item in items:
        name, _, assignment = item.partition(":")
        key, _, value = assignment.partition("=")
        if name not in settings or key not in settings[name]:
            error(f"--set {item}: {name!r} has no setting {key!r} (heuristics run: {', '.join(settings)})")
        try:
            settings[name][key] = fixed[f"{name}/{key}"] = json.loads(value)
        except ValueError:
            error(f"--set {item}: {value!r} is not a JSON value")
    return fixed
