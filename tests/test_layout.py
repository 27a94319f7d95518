"""Architecture rules that a refactor must not break silently."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_reductions_is_pure():
    """reductions/ imports neither torch nor pysat (nor scipy): it is data and maps only."""
    code = (
        "import sys, pkgutil, importlib, reductions\n"
        "for m in pkgutil.iter_modules(reductions.__path__):\n"
        "    importlib.import_module('reductions.' + m.name)\n"
        "bad = sorted(n for n in ('torch', 'pysat', 'scipy') if n in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == ""


def test_torch_is_not_imported_by_the_exact_path():
    """torch is imported lazily, only where gradient descent runs."""
    code = (
        "import sys\n"
        "from solvers.cli import main\n"
        "import solvers; solvers.solve; solvers.check_reduction; solvers.decide_and_network\n"
        "print('torch' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == "False"
