"""The core install: what the package needs without the site extra, and the CLI on the compiled catalog.

Using the catalog (the API and the commands lint, schema, export, query, new) imports
nothing of the site (MkDocs, Material, matplotlib, jinja2, markdown-it, nh3); each
third-party import is declared in pyproject.toml, in the core or in the extra that
its module belongs to; ``pages`` without the site extra says what to install; and
``query``/``export`` outside a checkout read the compiled catalog, not the YAML.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping

import pytest
import tomllib
from click.testing import CliRunner

import emergence_atlas
from emergence_atlas.cli import main

from .conftest import FIXTURES, REPO

#: Top-level modules of the site extra (and what they bring): none may be imported to use the catalog.
SITE_MODULES = ("mkdocs", "matplotlib", "jinja2", "material", "markdown_it", "nh3", "markupsafe", "mkdocstrings")
PACKAGE = REPO / "src" / "emergence_atlas"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


def _blocked(code: str) -> str:
    """``code`` run with every site module made unimportable (as if the extra were not installed)."""
    return f"import sys\nfor name in {SITE_MODULES!r}:\n    sys.modules[name] = None\n{code}"


def test_using_the_catalog_imports_nothing_of_the_site(tmp_path):
    code = ("import emergence_atlas, sys\n"
            "c = emergence_atlas.load()\n"
            "s = c.filter(family='palm')\n"
            "s.group_by('size'); c.cite(s); s.cite(); s.to_records(); s.to_json(); c.to_json()\n"
            "c.filter(flops=(None, 1e23)).group_by('family')\n"
            "print(len(s), sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'mkdocs', 'matplotlib', 'jinja2', 'material', 'markdown_it', 'nh3'}))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=_env(),
                            check=False)
    assert result.returncode == 0, result.stderr
    count, modules = result.stdout.split(" ", 1)
    assert int(count) > 0  # the selection found entries: the calls above did real work
    assert modules.strip() == "[]"


@pytest.fixture
def checkout(tmp_path):
    """A copy of the valid fixture catalog, with the template ``new`` copies."""
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "valid", root)
    shutil.copyfile(REPO / "catalog" / "_template.yaml", root / "_template.yaml")
    return root


@pytest.mark.parametrize(("args", "expected"), [
    (["lint", "{root}"], "checked 2 entries, 1 model families"),
    (["schema", "--check", "--out", str(REPO / "schema")], "schemas in"),
    (["export", "--format", "json", "--root", "{root}"], '"schema_version"'),
    (["export", "--format", "csv", "--root", "{root}"], "counting-tiny-lm-10b,"),
    (["export", "--format", "bibtex", "--root", "{root}"], "@"),
    (["query", "--family", "tiny-lm", "--root", "{root}"], "2 of 2 entries"),
    (["query", "--family", "tiny-lm", "--format", "csv", "--root", "{root}"], "counting-tiny-lm-1b,"),
    (["new", "counting-tiny-lm-100b", "--root", "{root}"], "created "),
])
def test_commands_work_without_the_site_extra(checkout, args, expected):
    args = [a.replace("{root}", str(checkout)) for a in args]
    code = _blocked("from emergence_atlas.cli import main\nmain()")
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            cwd=checkout.parent, env=_env(), check=False)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_pages_without_the_site_extra_says_what_to_install(checkout):
    out = checkout.parent / "pages"
    code = _blocked("from emergence_atlas.cli import main\nmain()")
    result = subprocess.run([sys.executable, "-c", code, "pages", str(out), "--root", str(checkout)],
                            capture_output=True, text=True, cwd=checkout.parent, env=_env(), check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("emergence-atlas pages needs the site extra (missing: jinja2, markupsafe, markdown_it, "
                             "nh3, matplotlib): pip install 'emergence-atlas[site]', or pip install '.[site]' "
                             "in a clone\n")
    assert not out.exists()


# --- every third-party import is declared, in the core or in its extra ---

def _third_party_imports() -> dict[str, dict[str, bool]]:
    """``{package module: {top-level third-party module: imported at module level}}``."""
    stdlib = sys.stdlib_module_names
    found: dict[str, dict[str, bool]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
        found[module] = _imports_of(ast.parse(path.read_text(encoding="utf-8")), stdlib)
    return found


def _imports_of(tree: ast.Module, stdlib: frozenset[str]) -> dict[str, bool]:
    imports: dict[str, bool] = {}

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
                continue
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module]
            for name in names:
                first = name.split(".")[0]
                if first not in stdlib and first != "emergence_atlas":
                    imports[first] = imports.get(first, False) or top
            lazy = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, top and not lazy)

    visit(tree, True)
    return imports


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


@functools.cache
def _module_distributions() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()  # reads every installed distribution: once


def _distribution(module: str) -> str:
    (dist,) = _module_distributions()[module][:1]
    return {"pydantic-core": "pydantic"}.get(dist.lower().replace("_", "-"), dist.lower().replace("_", "-"))


def test_the_core_dependencies_are_what_using_the_catalog_needs():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = _requirement_names(project["dependencies"])
    extras = {name: _requirement_names(reqs) for name, reqs in project["optional-dependencies"].items()}
    assert core == {"pydantic", "pyyaml", "bibtexparser", "pylatexenc", "click"}
    assert not core & extras["site"]
    assert {"emergence-atlas"} <= extras["test"]
    assert re.search(r"emergence-atlas\[(site,pandas|pandas,site)\]", " ".join(project["optional-dependencies"]["test"]))
    imports = _third_party_imports()
    site_only = {m for m, found in imports.items() if m.startswith("emergence_atlas.builder")}
    assert site_only and len(imports) > 30  # the walk found the package
    used_by_core: set[str] = set()
    for module, found in imports.items():
        for name, top in found.items():
            dist = _distribution(name)
            if module in site_only:
                assert dist in core | extras["site"], f"{module} imports {name} ({dist}), not in the core or [site]"
            elif top:
                assert dist in core, f"{module} imports {name} ({dist}) at module level: not a core dependency"
                used_by_core.add(dist)
            else:  # imported when a function is called: an extra that says so when missing (pandas)
                assert dist in core | extras["pandas"], f"{module} imports {name} ({dist}): not in the core or [pandas]"
    assert used_by_core == core  # every core dependency is used outside the site


def test_site_requirements_cover_what_mkdocs_yml_and_the_builder_load():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    site = _requirement_names(project["optional-dependencies"]["site"])
    assert {"mkdocs", "mkdocs-material", "mkdocstrings", "jinja2", "matplotlib", "markdown-it-py", "nh3"} <= site
    assert "mkdocstrings[python]" in " ".join(project["optional-dependencies"]["site"])


# --- query and export outside a checkout read the compiled catalog ---

@pytest.fixture
def compiled(tmp_path, monkeypatch):
    """The valid fixture catalog compiled into a snapshot that stands in for the installed one."""
    from emergence_atlas.build import load_catalog
    from emergence_atlas.snapshot import to_snapshot

    snapshot = tmp_path / "installed" / "_catalog.snapshot.json"
    snapshot.parent.mkdir()
    snapshot.write_bytes(to_snapshot(load_catalog(FIXTURES / "valid")))
    monkeypatch.setattr("emergence_atlas.snapshot.snapshot_path", lambda: snapshot)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    return snapshot


def _run(args):
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_query_outside_a_checkout_reads_the_compiled_catalog(compiled):
    from_snapshot = _run(["query", "--format", "csv"])
    from_yaml = _run(["query", "--format", "csv", "--root", str(FIXTURES / "valid")])
    assert from_snapshot.exit_code == 0, from_snapshot.output
    assert [line.split(",")[0] for line in from_snapshot.stdout.splitlines()] == [
        "id", "counting-tiny-lm-10b", "counting-tiny-lm-1b"]
    assert from_snapshot.stdout == from_yaml.stdout
    table = _run(["query", "--family", "tiny-lm"])
    assert table.stdout.splitlines()[-1] == "2 of 2 entries"
    exported = _run(["export", "--format", "json"])
    assert exported.stdout == _run(["export", "--format", "json", "--root", str(FIXTURES / "valid")]).stdout
    assert [e["id"] for e in json.loads(exported.stdout)["entries"]] == ["counting-tiny-lm-10b", "counting-tiny-lm-1b"]


def test_query_inside_a_checkout_validates_its_yaml(compiled, monkeypatch):
    monkeypatch.chdir(REPO)  # a checkout: ./catalog is read, not the compiled fixture catalog of 2 entries
    here = _run(["query", "--format", "csv"])
    assert here.exit_code == 0, here.output
    assert len(here.stdout.splitlines()) - 1 == len(emergence_atlas.load(REPO / "catalog")) > 2
    monkeypatch.chdir(compiled.parent)
    named = _run(["query", "--format", "csv", "--root", str(REPO / "catalog")])
    assert named.stdout == here.stdout


def test_lint_never_reads_the_compiled_catalog(compiled):
    result = _run(["lint"])  # outside a checkout: the packaged YAML (here the repository's), never the snapshot
    assert result.exit_code == 0, result.output
    checked = re.search(r"^checked (\d+) entries", result.stdout, re.M)
    assert checked and int(checked.group(1)) > 2


def test_an_unreadable_compiled_catalog_is_one_line_and_exit_1(compiled):
    compiled.write_text('{"format": 99}', encoding="utf-8")
    result = _run(["query", "--family", "tiny-lm"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"{compiled}:0:0: the compiled catalog cannot be read "
                             "(unsupported catalog snapshot format 99); reinstall the package\n")
