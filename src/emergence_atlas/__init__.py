"""Emergence Atlas: an open, cited catalog of the emergent abilities of large language models.

The public API. [`load()`][emergence_atlas.load] returns the validated
[`Catalog`][emergence_atlas.Catalog] (the copy packaged with this library, or a
checkout's `catalog/` folder); [`CatalogError`][emergence_atlas.CatalogError]
carries every diagnostic when the data is broken.

Examples:
    ```python
    import emergence_atlas

    catalog = emergence_atlas.load()
    entry = catalog["arithmetic-3-digit-gpt-3-13b"]
    print(entry.ability)  # Three-digit addition and subtraction
    ```
"""

from __future__ import annotations

from pathlib import Path

from ._version import SCHEMA_VERSION, __version__
from .catalog import Catalog, ResolvedQuantity, ResolvedScale
from .diagnostics import CatalogError, Diagnostic
from .references import Reference
from .schema import AbilityEntry, Curve, ModelFamily, ModelSize


def load(root: str | Path | None = None) -> Catalog:
    """Load and validate a catalog.

    Args:
        root: A catalog folder (with `abilities/`, `models/` and `references.bib`);
            by default the catalog packaged with this library.

    Returns:
        The validated catalog.

    Raises:
        CatalogError: With every diagnostic, if the data has errors (see
            [`CatalogError`][emergence_atlas.CatalogError]).

    Examples:
        ```python
        catalog = emergence_atlas.load()                 # the packaged catalog
        catalog = emergence_atlas.load("path/to/catalog")  # a checkout's folder
        ```
    """
    from .build import load_catalog
    from .paths import bundled_root

    if root is None:
        from .snapshot import from_snapshot, snapshot_path

        compiled = snapshot_path()
        if compiled.is_file():  # an installed wheel: the catalog compiled and validated at build time
            return from_snapshot(compiled.read_bytes(), bundled_root())
    return load_catalog(Path(root) if root is not None else bundled_root())


__all__ = [
    "SCHEMA_VERSION",
    "AbilityEntry",
    "Catalog",
    "CatalogError",
    "Curve",
    "Diagnostic",
    "ModelFamily",
    "ModelSize",
    "Reference",
    "ResolvedQuantity",
    "ResolvedScale",
    "__version__",
    "load",
]
