"""The house's layering: no import cycle among the package's modules, and no upward import.

Every module sits in one layer (lowest first). A module may import modules of its
own layer or of lower ones; the few documented exceptions are imports made inside
a function, listed in LAZY_UPWARD with the reason. A module the table does not
place fails the test, so a new module has to be given its place in the flow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "emergence_atlas"

#: Layers, lowest first; a name ending in ".*" places a whole subpackage.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("_version", "paths", "diagnostics", "references", "suggest", "formatting", "links", "fileio")),
    ("loading", ("loading", "bibliography")),
    ("schema", ("schema", "schema.*")),
    ("collection", ("catalog",)),
    ("lint", ("lint", "lint.*")),
    ("build", ("build", "snapshot", "buildcache")),
    ("outputs", ("thresholds", "evidence", "export", "query", "tables", "jsonschema", "linkcheck")),
    ("site", ("builder", "builder.*")),
    ("interface", ("cli", "__main__", "importers", "importers.*", "")),
]

#: Imports inside a function that go up a layer on purpose: (importer, imported) -> why.
LAZY_UPWARD: dict[tuple[str, str], str] = {
    ("catalog", "query"): "Catalog.select/filter/group_by/cite/to_records/to_dataframe hand over to queries",
    ("catalog", "export"): "Catalog.to_json hands over to the export",
    ("catalog", "tables"): "Catalog.models_records/curves_records and their DataFrames hand over to the tables",
    ("catalog", "evidence"): "Catalog.thresholds and Catalog.evidence compute and cache the evidence rules' results",
    ("catalog", "build"): "the old names catalog.build_catalog/load_catalog/MAX_ENTRIES still resolve",
    ("query", "export"): "selections turn into records, BibTeX and CSV rows",
}


def _layer_of(module: str) -> int:
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            if module == name or (name.endswith(".*") and module.startswith(name[:-1])):
                return index
    raise AssertionError(f"module emergence_atlas.{module} has no layer in tests/test_architecture.py")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(module: str, path: Path, modules: set[str]) -> list[tuple[str, bool]]:
    """``(imported module, lazy)`` for every run-time import of a package module."""
    is_package = path.name == "__init__.py"
    base = module.split(".") if module else []
    if not is_package:
        base = base[:-1]
    found: list[tuple[str, bool]] = []

    def add(target: str, lazy: bool) -> None:
        if target in modules and target != module:
            found.append((target, lazy))

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other, lazy)
                continue
            inner = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    anchor = base[: len(base) - (child.level - 1)] if child.level > 1 else base
                    target = ".".join([*anchor, *(child.module.split(".") if child.module else [])])
                elif child.module and child.module.startswith("emergence_atlas"):
                    target = child.module.removeprefix("emergence_atlas").lstrip(".")
                else:
                    continue
                for alias in child.names:
                    sub = f"{target}.{alias.name}" if target else alias.name
                    add(sub if sub in modules else target, inner)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("emergence_atlas"):
                        add(alias.name.removeprefix("emergence_atlas").lstrip("."), inner)
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _graph() -> dict[str, set[str]]:
    """Run-time import edges between package modules (lazy ones listed in LAZY_UPWARD left out)."""
    modules = _modules()
    names = set(modules)
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in modules.items():
        for target, lazy in _imports(name, path, names):
            if lazy and (name, target) in LAZY_UPWARD:
                continue
            graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_the_import_walker_sees_the_package():
    modules = _modules()
    assert {"catalog", "build", "lint", "lint.entry_rules", "schema.vocabularies", "builder.pages", "cli"} <= set(modules)
    edges = _graph()
    assert "catalog" in edges["build"] and "lint" in edges["build"] and "loading" in edges["build"]
    assert "schema.models" in edges["catalog"]
    lazy = {t for t, is_lazy in _imports("catalog", modules["catalog"], set(modules)) if is_lazy}
    assert lazy == {"query", "export", "evidence", "build", "tables"}


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_among_the_package_modules():
    assert _cycles(_graph()) == []


def test_every_module_has_a_layer_and_imports_only_its_own_or_lower_layers():
    modules = _modules()
    upward = []
    for name, path in modules.items():
        for target, lazy in _imports(name, path, set(modules)):
            if lazy and (name, target) in LAZY_UPWARD:
                continue
            if _layer_of(target) > _layer_of(name):
                upward.append(f"{name} ({LAYERS[_layer_of(name)][0]}) imports {target} ({LAYERS[_layer_of(target)][0]})")
    assert upward == []


@pytest.mark.parametrize(("importer", "imported"), sorted(LAZY_UPWARD))
def test_each_documented_lazy_import_is_still_there(importer, imported):
    modules = _modules()
    assert (imported, True) in _imports(importer, modules[importer], set(modules))
