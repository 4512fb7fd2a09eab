"""The layers of ``docs/arsitektur.md``, checked on the import graph read from the source (ast).

Every module under ``src/indeks_opd`` belongs to one layer; a module may import its own layer
and the ones below, never one above; module imports form no cycle; the core imports no file,
archive, XML or Excel library and opens no file.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from conftest import SRC

PACKAGE = SRC / "indeks_opd"

LAYERS = [
    ("core", ["indeks_opd.core"]),
    ("present", ["indeks_opd.present"]),
    ("contract", ["indeks_opd.contract"]),
    ("files", ["indeks_opd.files"]),
    ("features", ["indeks_opd.templat", "indeks_opd.impor", "indeks_opd.rapor", "indeks_opd.alur"]),
    ("shells", ["indeks_opd.excel", "indeks_opd.udfs"]),
    ("artefacts", ["indeks_opd.artefacts"]),
    ("cli", ["indeks_opd.cli", "indeks_opd.__main__"]),
]
"""Lowest first; the same table as docs/arsitektur.md. The package root (``__version__``) counts as core."""

CORE_FORBIDDEN = {"openpyxl", "xlwings", "xlsxwriter", "lxml", "defusedxml", "python_calamine", "zipfile", "zlib", "io",
                  "os", "shutil", "tempfile", "pathlib", "glob", "socket", "subprocess", "sqlite3", "reportlab",
                  "matplotlib", "rich"}
PANDAS_IO = {"read_excel", "read_csv", "read_json", "read_parquet", "read_pickle", "to_excel", "to_csv", "to_parquet",
             "to_pickle", "ExcelWriter", "ExcelFile"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    """Index in LAYERS of the layer that owns ``module`` (-1: none)."""
    if module == "indeks_opd":
        return 0
    return next((i for i, (_, prefixes) in enumerate(LAYERS)
                 for prefix in prefixes if module == prefix or module.startswith(prefix + ".")), -1)


def imports_of(module: str) -> list[tuple[str, int]]:
    """``(imported module, line)`` for every import in the module (top level, in functions, under TYPE_CHECKING).

    ``from X import Y`` counts as importing ``X.Y`` when that is one of our modules, else ``X``.
    """
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                sub = f"{target}.{a.name}"
                found.append((sub if sub in MODULES else target, node.lineno))
    return found


def internal_graph() -> dict[str, set[str]]:
    return {m: {t for t, _ in imports_of(m) if t in MODULES and t != m} for m in MODULES}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) < 0] == []


def test_no_module_imports_a_higher_layer():
    upward = []
    for m in MODULES:
        for target, line in imports_of(m):
            if target in MODULES and layer_of(target) > layer_of(m):
                upward.append(f"{m}:{line} ({LAYERS[layer_of(m)][0]}) imports "
                              f"{target} ({LAYERS[layer_of(target)][0]})")
    assert upward == []


def test_module_imports_have_no_cycle():
    graph = internal_graph()
    cycles, state = [], {}

    def visit(m: str, stack: list[str]) -> None:
        state[m] = "open"
        for t in sorted(graph[m]):
            if state.get(t) == "open":
                cycles.append(" -> ".join(stack[stack.index(t):] + [m, t]) if t in stack else f"{m} -> {t}")
            elif t not in state:
                visit(t, stack + [m])
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert cycles == []


@pytest.mark.parametrize("module", [m for m in MODULES if layer_of(m) == 0])
def test_core_does_no_io(module):
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"line {line}: import {t}" for t, line in imports_of(module) if t.split(".")[0] in CORE_FORBIDDEN]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            found.append(f"line {node.lineno}: open()")
        if isinstance(node, ast.Attribute) and node.attr in PANDAS_IO:
            found.append(f"line {node.lineno}: .{node.attr}")
    assert found == []


FACES = sorted([m for m, path in MODULES.items() if path.name == "__init__.py"] + ["indeks_opd.excel", "indeks_opd.udfs"])


@pytest.mark.parametrize("module", FACES)
def test_every_package_states_its_public_face(module):
    """Each package (and the two modules VBA and xlwings call by name) lists its public names in ``__all__``."""
    imported = importlib.import_module(module)
    assert isinstance(getattr(imported, "__all__", None), list), f"{module} has no __all__"
    missing = [n for n in imported.__all__ if not hasattr(imported, n) and f"{module}.{n}" not in MODULES]
    assert missing == []


def test_the_checks_see_a_violation(tmp_path, monkeypatch):
    """The rules above do catch an upward import, a cycle and core I/O (the graph is not read empty)."""
    assert len(MODULES) > 30 and sum(len(v) for v in internal_graph().values()) > 100
    assert layer_of("indeks_opd.core.checks") < layer_of("indeks_opd.contract.reader") < layer_of("indeks_opd.excel")
    fake = {"indeks_opd.core.fake": tmp_path / "fake.py", "indeks_opd.core.other": tmp_path / "other.py"}
    fake["indeks_opd.core.fake"].write_text("import zipfile\nfrom indeks_opd.core import other\n"
                                            "from indeks_opd.excel import hitung_indeks\n")
    fake["indeks_opd.core.other"].write_text("from indeks_opd.core import fake\n")
    monkeypatch.setitem(MODULES, "indeks_opd.core.fake", fake["indeks_opd.core.fake"])
    monkeypatch.setitem(MODULES, "indeks_opd.core.other", fake["indeks_opd.core.other"])
    with pytest.raises(AssertionError, match="imports indeks_opd.excel"):
        test_no_module_imports_a_higher_layer()
    with pytest.raises(AssertionError, match="indeks_opd.core.fake -> indeks_opd.core.other"):
        test_module_imports_have_no_cycle()
    with pytest.raises(AssertionError, match="import zipfile"):
        test_core_does_no_io("indeks_opd.core.fake")
