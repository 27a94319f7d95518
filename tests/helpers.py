"""Helpers shared by the test modules (pytest puts this folder on ``sys.path``)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from solvers.cli import main


def run_cli(*argv: object) -> tuple[int, str, str]:
    """Run ``trainhard ARGV...`` in-process; return ``(exit code, stdout, stderr)``."""
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def one_torch_thread() -> Iterator[None]:
    """Fixture body: one torch thread (the CI machine has two shared cores; two threads spin against each other)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
