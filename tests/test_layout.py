"""Architecture rules that a refactor must not break silently."""

from __future__ import annotations

import importlib
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


# ---------------------------------------------------------------------------
# the layering of solvers/ and the public API
# ---------------------------------------------------------------------------

LAYERS = ("core", "gd", "exact", "heuristics", "experiments", "report", "cli")
"""solvers/'s subpackages, lowest first: a module may import from its own layer and those below it only."""


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) for every import in ``path``, inside functions too."""
    import ast

    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module, [alias.name for alias in node.names]))
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "solvers" or len(parts) < 2 or parts[1] not in LAYERS:
        return None
    return LAYERS.index(parts[1])


def test_layers_import_only_downwards():
    """core < gd < exact < heuristics < experiments < report < cli, and reductions imports no solvers."""
    bad = []
    for path in _modules("solvers"):
        own = _layer(_module_name(path))
        if own is None:  # solvers/__init__.py and __main__.py: the front, above every layer
            continue
        for line, module, _ in _imports(path):
            other = _layer(module)
            if other is not None and other > own:
                bad.append(f"{path.relative_to(ROOT)}:{line} ({LAYERS[own]}) imports {module} ({LAYERS[other]})")
    for path in _modules("reductions"):
        for line, module, _ in _imports(path):
            if module.split(".")[0] == "solvers":
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def test_no_module_imports_private_names_of_another():
    """A name with a leading underscore stays in its module."""
    bad = []
    for path in _modules("solvers") + _modules("reductions"):
        for line, module, names in _imports(path):
            if module.split(".")[0] not in ("solvers", "reductions"):
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private or any(part.startswith("_") and part != "__init__" for part in module.split(".")):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {', '.join(private) or module} from {module}")
    assert not bad, "\n".join(bad)


def test_the_layers_are_the_subpackages():
    """Every subpackage of solvers/ has its place in LAYERS (a new one must be placed)."""
    found = {p.parent.name for p in (ROOT / "solvers").glob("*/__init__.py")}
    assert found == set(LAYERS)


def test_solvers_public_api_is_complete_and_typed():
    """__all__ is the lazy table; every name loads; the TYPE_CHECKING block imports exactly those names."""
    import ast

    import solvers

    assert solvers.__all__ == sorted(solvers._LAZY)
    for name in solvers.__all__:
        assert getattr(solvers, name) is getattr(importlib.import_module(f"solvers.{solvers._LAZY[name]}"), name)
    tree = ast.parse((ROOT / "solvers" / "__init__.py").read_text())
    typed = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for imp in node.body:
                for alias in imp.names:
                    typed[alias.name] = imp.module
    assert typed == solvers._LAZY
    assert set(solvers.__all__) <= set(dir(solvers))
    assert (ROOT / "solvers" / "py.typed").exists() and (ROOT / "reductions" / "py.typed").exists()


def test_public_api_names_the_registries():
    """The registries (reductions, generators, SAT backends, sweep solver kinds) are public, and each is complete."""
    import reductions
    import solvers
    from reductions.generators import GENERATORS
    from reductions.registry import REDUCTIONS

    for name in reductions.__all__:
        assert getattr(reductions, name) is not None
    assert reductions.REDUCTIONS is REDUCTIONS and reductions.generators.GENERATORS is GENERATORS
    assert "REDUCTIONS" in reductions.__all__ and "generators" in reductions.__all__
    assert {"SOLVERS", "DEFAULT_SOLVER", "SOLVER_KINDS"} <= set(solvers.__all__)
    assert solvers.DEFAULT_SOLVER in solvers.SOLVERS
    for kind in solvers.SOLVER_KINDS.values():
        assert isinstance(kind.exact, bool)
        for module in kind.preload:
            importlib.import_module(module)
    # every reduction's maps are public functions of reductions (no private helper is the API)
    for red in REDUCTIONS.values():
        assert red.name and callable(red.forward) and callable(red.backward)


def test_old_spellings_are_aliases():
    """One spelling (American, as networkx's is_coloring and the reduction names); the old names still work."""
    from reductions import blum_rivest as br

    assert br.colouring_to_network is br.coloring_to_network
    assert br.network_to_colouring is br.network_to_coloring
    assert br.recognise_blum_rivest is br.recognize_blum_rivest


def test_documented_import_paths_exist():
    """Every ``solvers.…`` / ``reductions.…`` path quoted in a docstring, comment or the README names a real object."""
    import re

    quoted = re.compile(r"`~?((?:solvers|reductions)(?:\.[A-Za-z_]\w*)+)`")

    def resolves(path: str) -> bool:
        parts = path.split(".")
        for i in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                continue
            for part in parts[i:]:
                fields = getattr(obj, "__dataclass_fields__", {})
                if part in fields:  # a dataclass attribute without a class-level default
                    obj = fields[part]
                elif hasattr(obj, part):
                    obj = getattr(obj, part)
                else:
                    return False
            return True
        return False

    files = _modules("solvers") + _modules("reductions") + [ROOT / "README.md", ROOT / "benchmarks" / "RESULTS.md"]
    bad = [f"{path.relative_to(ROOT)}:{number}: {match.group(1)}"
           for path in files
           for number, line in enumerate(path.read_text().splitlines(), 1)
           for match in quoted.finditer(line)
           if not resolves(match.group(1))]
    assert not bad, "\n".join(bad)
