"""The wheel carries the catalog: build it, install it without extras in a fresh venv outside the repo, use it.

One wheel is built and installed (with its dependencies, from the package index, so
the dependency list itself is tested) for the module. The core install must
answer the README's and the Python API page's examples (those that need no
pandas), read the compiled catalog for ``query``, and hold nothing of the site.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import REPO
from .doc_examples import examples

pytestmark = pytest.mark.slow

#: Distributions of the site extra: none of them may come with the core install.
SITE_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "mkdocstrings", "matplotlib", "jinja2", "markdown-it-py", "nh3",
                      "pandas")


def _env() -> dict[str, str]:
    """The environment without this checkout on the path: the venv imports what it installed."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _run(args, **kwargs):
    kwargs.setdefault("env", _env())
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)], env=None)
    wheels = list(dist.glob("emergence_atlas-*.whl"))
    assert len(wheels) == 1
    assert sorted(p.name for p in dist.iterdir()) == [wheels[0].name]  # nothing but the wheel
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheels[0])])  # no extras, with the dependencies
    return python, wheels[0]


def test_wheel_contains_the_compiled_catalog(installed):
    import zipfile

    _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "emergence_atlas/_catalog.snapshot.json" in names
    assert "emergence_atlas/py.typed" in names
    assert any(n.startswith("emergence_atlas/_catalog/abilities/") for n in names)


def test_the_core_install_holds_nothing_of_the_site(installed):
    python, _ = installed
    listed = _run([str(python), "-m", "pip", "list", "--format", "json"])
    names = {d["name"].lower().replace("_", "-") for d in json.loads(listed.stdout)}
    assert {"emergence-atlas", "pydantic", "pyyaml", "bibtexparser", "pylatexenc", "click"} <= names
    assert sorted(names & set(SITE_DISTRIBUTIONS)) == []


_EXAMPLE_RUNNER = """
import contextlib, io, json, sys
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
namespace, printed = {}, []
for code in blocks:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "<example>", "exec"), namespace)
    printed.append(buffer.getvalue())
print(json.dumps(printed))
"""


def _needs_pandas(code: str) -> bool:
    return "to_dataframe" in code or "pandas" in code


def test_readme_and_api_examples_run_on_the_core_install(installed, tmp_path):
    """The docs' code blocks, taken from the files, in the venv without extras: the API page prints what it shows."""
    python, _ = installed
    readme = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), flags=re.S)
    page = [(code, out) for code, out in examples((REPO / "site" / "python-api.md").read_text(encoding="utf-8"))
            if not _needs_pandas(code)]
    assert len(readme) >= 2 and len(page) >= 5, "the docs' examples were not found"
    assert sum(out is not None for _, out in page) >= 5
    blocks = tmp_path / "blocks.json"
    blocks.write_text(json.dumps(readme + [code for code, _ in page]), encoding="utf-8")
    runner = tmp_path / "run_examples.py"
    runner.write_text(_EXAMPLE_RUNNER, encoding="utf-8")
    result = _run([str(python), str(runner), str(blocks)], cwd=tmp_path)
    printed = json.loads(result.stdout)
    assert "Three-digit addition and subtraction gpt-3 13B 2.31e+22 registry 2.3e+22" in printed[0]
    for (code, expected), out in zip(page, printed[len(readme):], strict=True):
        if expected is not None:
            assert out == expected, code
    where = _run([str(python), "-c", "import emergence_atlas, sys; print(emergence_atlas.__file__)"], cwd=tmp_path)
    assert str(REPO) not in where.stdout
    assert "/site-packages/emergence_atlas/" in where.stdout


def test_to_dataframe_on_the_core_install_says_how_to_get_pandas(installed, tmp_path):
    python, _ = installed
    code = ("import emergence_atlas\ntry:\n    emergence_atlas.load().filter(family='palm').to_dataframe()\n"
            "except ImportError as error:\n    print(error)\n")
    result = _run([str(python), "-c", code], cwd=tmp_path)
    assert result.stdout == "to_dataframe() needs pandas; install it with: pip install 'emergence-atlas[pandas]'\n"


def test_installed_command_queries_the_packaged_catalog(installed, tmp_path):
    python, _ = installed
    cli = Path(python).parent / "emergence-atlas"
    result = _run([str(cli), "query", "--family", "gpt-3", "--flops", ":3e22", "--format", "csv"], cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,ability,")
    assert any(line.startswith("arithmetic-3-digit-gpt-3-13b,") for line in lines[1:])


def test_installed_query_and_export_answer_as_the_checkout_does(installed, tmp_path):
    """Outside a checkout the installed command reads the compiled catalog; it must say what the YAML says."""
    from click.testing import CliRunner

    from emergence_atlas.cli import main

    python, _ = installed
    cli = str(Path(python).parent / "emergence-atlas")
    for args in (["query", "--family", "palm"], ["export", "--format", "json"]):
        installed_out = _run([cli, *args], cwd=tmp_path).stdout
        checkout_out = CliRunner().invoke(main, [*args, "--root", str(REPO / "catalog")]).stdout
        assert installed_out == checkout_out, args
    assert installed_out.startswith("{")
    assert re.search(r"^\d+ of \d+ entries$", _run([cli, "query", "--family", "palm"], cwd=tmp_path).stdout, re.M)


_MODULES_READ = """
import sys
from emergence_atlas.cli import main
main(sys.argv[1:], standalone_mode=False)
print(sorted(m for m in sys.modules if m in {"yaml", "bibtexparser", "emergence_atlas.loading", "emergence_atlas.build"}),
      file=sys.stderr)
"""


@pytest.mark.parametrize(("in_checkout", "loader"), [
    (False, "[]"),
    (True, "['bibtexparser', 'emergence_atlas.build', 'emergence_atlas.loading', 'yaml']"),
])
def test_installed_query_reads_yaml_only_inside_a_checkout(installed, tmp_path, in_checkout, loader):
    """Outside a checkout neither the YAML loader nor the BibTeX parser is imported; inside one, both are."""
    python, _ = installed
    if in_checkout:
        import shutil

        shutil.copytree(REPO / "tests" / "fixtures" / "valid", tmp_path / "catalog")
    result = _run([str(python), "-c", _MODULES_READ, "query", "--format", "csv"], cwd=tmp_path)
    assert result.stderr.splitlines()[-1] == loader
    rows = len(result.stdout.splitlines()) - 1
    assert rows == 2 if in_checkout else rows > 100


def test_installed_pages_asks_for_the_site_extra(installed, tmp_path):
    python, _ = installed
    cli = str(Path(python).parent / "emergence-atlas")
    result = subprocess.run([cli, "pages", str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path,
                            env=_env(), check=False)
    assert result.returncode == 2
    assert result.stderr == ("emergence-atlas pages needs the site extra (missing: jinja2, markupsafe, markdown_it, "
                             "nh3, matplotlib): pip install 'emergence-atlas[site]', or pip install '.[site]' in a clone\n")
    assert not (tmp_path / "out").exists()
