"""Wheel build hook: validate the catalog once and ship it compiled.

Runs the same loader and linter as ``emergence-atlas lint``; a catalog with errors
stops the build. The snapshot goes into the wheel as
``emergence_atlas/_catalog.snapshot.json`` (read by ``emergence_atlas.load()``).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogSnapshotHook(BuildHookInterface):
    """Compiles catalog/ into a validated snapshot for the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from emergence_atlas.build import build_catalog
            from emergence_atlas.snapshot import SNAPSHOT_NAME, to_snapshot
        finally:
            sys.path.pop(0)
        catalog, diags, _ = build_catalog(root / "catalog")
        if catalog is None:
            lines = "\n".join(d.format() for d in diags if d.is_error)
            raise RuntimeError(f"the catalog has errors; fix them before building the wheel:\n{lines}")
        # a folder of its own, removed after the build: the output folder holds only the wheel
        self._snapshot_dir = Path(tempfile.mkdtemp(prefix="emergence-atlas-snapshot-"))
        out = self._snapshot_dir / SNAPSHOT_NAME
        out.write_bytes(to_snapshot(catalog))
        build_data["force_include"][str(out)] = f"emergence_atlas/{SNAPSHOT_NAME}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        folder = getattr(self, "_snapshot_dir", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
