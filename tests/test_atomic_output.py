"""Atomic output: a failed site build or export leaves the previous output untouched."""

from __future__ import annotations

import errno
import os
import shutil

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from emergence_atlas.builder import plots

from .conftest import FIXTURES, site_config_for


@pytest.fixture
def small_site(tmp_path, monkeypatch):
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "valid", root)
    config_path = site_config_for(root, tmp_path)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("EMERGENCE_ATLAS_PLOT_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "site"

    def run():
        config = load_config(str(config_path), site_dir=str(out), strict=True)
        build(config)

    return root, out, run


def _snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_successful_build_replaces_the_output_and_leaves_no_staging(small_site):
    _, out, run = small_site
    run()
    assert (out / "index.html").is_file()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".site.")] == []


@pytest.mark.parametrize("failure", ["plot exception", "disk full", "bad data"])
def test_failed_build_leaves_the_previous_site_untouched(small_site, monkeypatch, failure):
    root, out, run = small_site
    run()
    before = _snapshot(out)
    (root / "abilities" / "counting-tiny-lm-1b.yaml").write_text(
        (root / "abilities" / "counting-tiny-lm-1b.yaml").read_text(encoding="utf-8").replace("Same task", "Changed task"),
        encoding="utf-8")
    shutil.rmtree(out.parent / "cache", ignore_errors=True)
    monkeypatch.setattr(plots, "_SVG_MEMO", {})  # as in a new process: no plot drawn before
    if failure == "plot exception":
        def broken(spec, theme):
            raise RuntimeError("plot failed")
        monkeypatch.setitem(plots.DRAWERS, "family_sizes", broken)
    elif failure == "disk full":  # writing the site fails with ENOSPC (a cache that cannot be written only costs time)
        monkeypatch.setattr("mkdocs.utils.write_file", _full_disk)
    else:
        (root / "abilities" / "broken.yaml").write_text("ability: [unclosed\n", encoding="utf-8")
    from mkdocs.exceptions import MkDocsException

    with pytest.raises((RuntimeError, OSError, MkDocsException)):
        run()
    assert _snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".site.")] == []


def _full_disk(content, output_path):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_export_to_a_file_is_atomic(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from emergence_atlas import fileio
    from emergence_atlas.cli import main

    target = tmp_path / "catalog.json"
    target.write_text("previous", encoding="utf-8")
    monkeypatch.setattr(fileio.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    result = CliRunner().invoke(main, ["export", "--format", "json", "--root", str(FIXTURES / "valid"), "-o", str(target)])
    assert result.exit_code != 0
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.json"]


def test_concurrent_builds_do_not_corrupt_the_plot_cache(tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "cache"
    script = (
        "import sys, hashlib\n"
        "from pathlib import Path\n"
        "import emergence_atlas\n"
        "from emergence_atlas.builder.pages import generate_pages\n"
        f"catalog = emergence_atlas.load({str(FIXTURES / 'valid')!r})\n"
        "pages = generate_pages(catalog, cache_dir=Path(sys.argv[1]))\n"
        "svgs = sorted((k, hashlib.sha256(v).hexdigest()) for k, v in pages.items() if k.endswith('.svg'))\n"
        "print(svgs)\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script, str(cache)], stdout=subprocess.PIPE, text=True)
            for _ in range(3)]
    outputs = [run.communicate()[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]
    from emergence_atlas import load
    from emergence_atlas.builder.pages import generate_pages

    fresh = generate_pages(load(FIXTURES / "valid"))
    cached = generate_pages(load(FIXTURES / "valid"), cache_dir=cache)
    assert cached == fresh
    assert not list(cache.rglob("*.tmp"))
    for svg in cache.rglob("*.svg"):
        assert svg.read_bytes().rstrip().endswith(b"</svg>")


def test_written_files_respect_the_umask(tmp_path):
    """Exports, generated folders and scaffolded files are readable by others under umask 022."""
    import stat

    from emergence_atlas.fileio import write_atomic, write_folder

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "catalog.json", b"{}")
        out = write_folder(tmp_path / "pages", {"index.md": b"# x\n", "plots/a.svg": b"<svg/>"})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "catalog.json").stat().st_mode) == 0o644
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "index.md").stat().st_mode) == 0o644
