"""Shared test helpers: small catalogs built in a temporary folder from fixtures."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def make_catalog(tmp_path, monkeypatch):
    """Copy the valid fixture catalog to ``tmp_path/catalog``, apply overlays, chdir there.

    ``overlays`` maps a path inside the catalog to a broken fixture name (copied),
    to bytes (written), or to None (deleted). A ``.bib`` fixture is appended to
    references.bib after one blank line.
    """

    def build(overlays: dict[str, str | bytes | None] | None = None) -> Path:
        root = tmp_path / "catalog"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(FIXTURES / "valid", root)
        for dest, src in (overlays or {}).items():
            target = root / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            if src is None:
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink()
            elif isinstance(src, bytes):
                target.write_bytes(src)
            elif dest == "references.bib":
                target.write_bytes(target.read_bytes() + b"\n" + (FIXTURES / "broken" / src).read_bytes())
            else:
                shutil.copyfile(FIXTURES / "broken" / src, target)
        monkeypatch.chdir(tmp_path)
        return Path("catalog")

    return build


def run_lint(root: Path) -> list[str]:
    """Every diagnostic line of ``build_catalog(root)``."""
    from emergence_atlas.build import build_catalog

    _, diags, _ = build_catalog(root)
    return [d.format() for d in diags]




def mkdocs_build(config: Path, out: Path, *, engine: str = "mkdocs", cache: Path | None = None):
    """Run ``<engine> build --strict`` on a config; return the CompletedProcess."""
    import subprocess
    import sys

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cache is not None:
        env["EMERGENCE_ATLAS_PLOT_CACHE"] = str(cache)
    return subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-f", str(config), "-d", str(out)],
                          capture_output=True, text=True, env=env, check=False, cwd=REPO)


def site_config_for(catalog_root: Path, folder: Path) -> Path:
    """A site config like the real one that builds ``catalog_root`` with only the generated pages.

    (The hand-written pages link to entries of the real catalog, so they stay out.)
    """
    import yaml

    docs = folder / "docs"
    shutil.copytree(REPO / "site" / "assets", docs / "assets", dirs_exist_ok=True)
    for page in ("methodology", "contributing", "downloads", "debates"):  # targets of generated links
        (docs / f"{page}.md").write_text(f"# {page.title()}\n", encoding="utf-8")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site", f"docs_dir: {docs}")
    text = text.replace("catalog: catalog", f"catalog: {catalog_root}")
    head = text[: text.index("\nnav:")]
    nav = ["Home: index.md", "Abilities: abilities/index.md", "Model families: models/index.md",
           "Prompting strategies: strategies/index.md", "References: references/index.md",
           "Later work: later-work.md", "Beyond scaling: beyond-scaling.md", "Thresholds: thresholds.md", "Diagnostics: diagnostics.md",
           "Vocabularies: vocabularies.md", "Methodology: methodology.md", "Contributing: contributing.md",
           "Downloads: downloads.md", "Debates: debates.md"]
    text = head + "\nnav:\n" + "".join(f"  - {item}\n" for item in nav)
    text = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", text)
    yaml.safe_load(text)  # still valid YAML
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real catalog's site, built once per test session with a strict build."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(REPO / "mkdocs.yml", out, cache=tmp_path_factory.mktemp("plot-cache"))
    assert result.returncode == 0, result.stderr
    return out
