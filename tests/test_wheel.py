"""The wheel carries the catalog: build it, install it in a fresh venv outside the repo, use it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow


def _run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)])
    wheels = list(dist.glob("emergence_atlas-*.whl"))
    assert len(wheels) == 1
    assert sorted(p.name for p in dist.iterdir()) == [wheels[0].name]  # nothing but the wheel
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheels[0])])
    return python, wheels[0]


def test_wheel_contains_the_compiled_catalog(installed):
    import zipfile

    _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "emergence_atlas/_catalog.snapshot.json" in names
    assert "emergence_atlas/py.typed" in names
    assert any(n.startswith("emergence_atlas/_catalog/abilities/") for n in names)


def test_readme_and_api_examples_run_outside_the_repository(installed, tmp_path):
    python, _ = installed
    code = []
    for doc in ("README.md", "site/python-api.md"):
        code += re.findall(r"```python\n(.*?)```", (REPO / doc).read_text(encoding="utf-8"), flags=re.S)
    script = tmp_path / "examples.py"
    script.write_text("\n".join(code), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = _run([str(python), str(script)], cwd=tmp_path, env=env)
    assert "Three-digit addition and subtraction gpt-3 13B 2.31e+22 registry 2.3e+22" in result.stdout
    where = _run([str(python), "-c", "import emergence_atlas, sys; print(emergence_atlas.__file__)"], cwd=tmp_path, env=env)
    assert str(REPO) not in where.stdout


def test_installed_command_queries_the_packaged_catalog(installed, tmp_path):
    python, _ = installed
    cli = Path(python).parent / "emergence-atlas"
    result = _run([str(cli), "query", "--family", "gpt-3", "--flops", ":3e22", "--format", "csv"], cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,ability,")
    assert any(line.startswith("arithmetic-3-digit-gpt-3-13b,") for line in lines[1:])
