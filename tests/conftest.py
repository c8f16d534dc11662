"""Shared test helpers: small catalogs built in a temporary folder from fixtures."""

from __future__ import annotations

import os
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
    from emergence_atlas.catalog import build_catalog

    _, diags, _ = build_catalog(root)
    return [d.format() for d in diags]


@pytest.fixture
def chromium_path() -> str | None:
    """Path of Debian's chromium, or None."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None
